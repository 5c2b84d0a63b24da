/* drmlease: DRM mode leases on virtio-gpu (one output). CREATE_LEASE with no objects
 * (wlroots' probe: a new fd), its flags, bad object lists (bad pointers, unknown ids,
 * objects that cannot be leased, duplicates, a CRTC without a connector, a missing
 * plane with universal planes), a lease of connector + CRTC + primary plane: the
 * lessee's view (GETRESOURCES, planes, GETCONNECTOR/GETCRTC/GETPLANE of objects it
 * does not hold: ENOENT; SETCRTC, PAGE_FLIP, CURSOR, atomic), what the lessor still
 * does with leased objects, LIST_LESSEES and GET_LEASE from both sides (the two-call
 * protocol, bad pointers, pad), SET_MASTER/DROP_MASTER of lessor and lessee,
 * REVOKE_LEASE, closing the lessee (the lease ends, its id comes back, a LEASE=1
 * uevent), closing the lessor, and non-masters and the render node (EACCES).
 * Object ids are printed by name, lessee ids as numbers (each lessor numbers its
 * lessees from 1), fds as facts. `drmlease heads`: the same with two outputs. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "drmtest.h"

#define CARD "/dev/dri/card0"
/* Linux's enum drm_plane_type: the "type" property's values (not in the uapi). */
enum { PLANE_PRIMARY = 1, PLANE_CURSOR = 2 };

static int m;	/* the lessor: the first opener of card0, master */
static int probe;	/* an atomic client that is no master: property ids */
static int nl;	/* a uevent socket, or -1 */
static uint32_t crtc, conn, enc, primary, cursor;	/* the (first) output's */
static uint32_t crtc1, conn1, enc1, primary1, cursor1;	/* the second's, with two */
static struct drm_mode_modeinfo mode;
static uint32_t last_id;	/* the lessee id of the last lease show_lease made */

/* An unmapped address the compiler cannot see through. */
static volatile uintptr_t bad_address = 8;

static void die(const char *what)
{
	printf("%s: -1 %s\n", what, errname(errno));
	exit(1);
}

/* The name of a mode object id of the output, for ids that differ by design. */
static const char *name(uint32_t id)
{
	return id == 0 ? "none" : id == crtc ? "crtc" : id == conn ? "conn" :
	       id == enc ? "enc" : id == primary ? "primary" : id == cursor ? "cursor" :
	       id == crtc1 ? "crtc1" : id == conn1 ? "conn1" : id == enc1 ? "enc1" :
	       id == primary1 ? "primary1" : id == cursor1 ? "cursor1" : "other";
}

static void cap(int fd, uint64_t which, uint64_t value)
{
	struct drm_set_client_cap c = { .capability = which, .value = value };

	if (drm(fd, DRM_IOCTL_SET_CLIENT_CAP, &c) < 0)
		die("SET_CLIENT_CAP");
}

static void find_objects(void)
{
	uint32_t crtcs[4], conns[4], encs[4], planes[8];
	struct drm_mode_card_res r = { .crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 4,
				       .connector_id_ptr = (uintptr_t)conns, .count_connectors = 4,
				       .encoder_id_ptr = (uintptr_t)encs, .count_encoders = 4 };
	struct drm_mode_get_plane_res p = { .plane_id_ptr = (uintptr_t)planes, .count_planes = 8 };
	struct drm_mode_modeinfo modes[64];
	struct drm_mode_get_connector c = { .count_modes = 64, .modes_ptr = (uintptr_t)modes };

	if (drm(m, DRM_IOCTL_MODE_GETRESOURCES, &r) < 0 || !r.count_crtcs || !r.count_encoders)
		die("GETRESOURCES");
	crtc = crtcs[0];
	conn = conns[0];
	enc = encs[0];
	cap(m, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	if (drm(m, DRM_IOCTL_MODE_GETPLANERESOURCES, &p) < 0)
		die("GETPLANERESOURCES");
	if (r.count_crtcs > 1) {
		crtc1 = crtcs[1];
		conn1 = conns[1];
		enc1 = encs[1];
	}
	for (uint32_t k = 0; k < p.count_planes && k < 8; k++) {
		int64_t type = drm_prop_value(m, planes[k], "type");
		struct drm_mode_get_plane gp = { .plane_id = planes[k] };
		int second = drm(m, DRM_IOCTL_MODE_GETPLANE, &gp) == 0 && gp.possible_crtcs == 2;

		if (type == PLANE_PRIMARY)
			*(second ? &primary1 : &primary) = planes[k];
		if (type == PLANE_CURSOR)
			*(second ? &cursor1 : &cursor) = planes[k];
	}
	cap(m, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 0);
	c.connector_id = conn;
	if (drm(m, DRM_IOCTL_MODE_GETCONNECTOR, &c) < 0 || !c.count_modes)
		die("GETCONNECTOR");
	mode = modes[0];
	printf("objects: %u crtcs, %u connectors, %u encoders, %u planes, cursor plane %s\n",
	       r.count_crtcs, r.count_connectors, r.count_encoders, p.count_planes,
	       cursor ? "yes" : "no");
}

/* CREATE_LEASE of n objects on fd: the lease fd (its lessee id in *id) or -1. */
static int lease(int fd, const uint32_t *objs, uint32_t n, uint32_t flags, uint32_t *id)
{
	struct drm_mode_create_lease cl = { .object_ids = (uintptr_t)objs, .object_count = n,
					    .flags = flags };
	int r = drm(fd, DRM_IOCTL_MODE_CREATE_LEASE, &cl);

	if (id)
		*id = cl.lessee_id;
	return r < 0 ? -1 : (int)cl.fd;
}

/* Prints a CREATE_LEASE's result: ok and the lessee id, or the errno. */
static int show_lease(const char *what, int fd, const uint32_t *objs, uint32_t n)
{
	uint32_t id;
	int l = lease(fd, objs, n, 0, &id);

	if (l < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: ok lessee %u\n", what, id);
	last_id = id;
	return l;
}

/* Tries a lease and closes it at once. */
static void try_lease(const char *what, int fd, const uint32_t *objs, uint32_t n)
{
	int l = show_lease(what, fd, objs, n);

	if (l >= 0)
		close(l);
}

/* LIST_LESSEES on fd: the count and the ids that fit in room. */
static void list_lessees(const char *what, int fd, uint32_t room)
{
	uint32_t ids[8] = { 0 };
	struct drm_mode_list_lessees r = { .count_lessees = room, .lessees_ptr = (uintptr_t)ids };

	if (drm(fd, DRM_IOCTL_MODE_LIST_LESSEES, &r) < 0) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	printf("%s: count %u", what, r.count_lessees);
	for (uint32_t k = 0; k < r.count_lessees && k < room; k++)
		printf(" %u", ids[k]);
	printf("\n");
}

/* GET_LEASE on fd: the count and the names of the objects that fit in room. */
static void get_lease(const char *what, int fd, uint32_t room)
{
	uint32_t ids[8] = { 0 };
	struct drm_mode_get_lease r = { .count_objects = room, .objects_ptr = (uintptr_t)ids };

	if (drm(fd, DRM_IOCTL_MODE_GET_LEASE, &r) < 0) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	printf("%s: count %u", what, r.count_objects);
	for (uint32_t k = 0; k < r.count_objects && k < room; k++)
		printf(" %s", name(ids[k]));
	printf("%s\n", room > 1 && r.count_objects > 1 && ids[0] > ids[1] ? " (descending)" : "");
}

/* The owner's GET_LEASE: every mode object of the device, ascending. */
static void get_lease_owner(const char *what, int fd)
{
	uint32_t ids[1024];
	struct drm_mode_get_lease r = { .count_objects = 1024, .objects_ptr = (uintptr_t)ids };
	unsigned found = 0, ascending = 1;

	if (drm(fd, DRM_IOCTL_MODE_GET_LEASE, &r) < 0) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	for (uint32_t k = 0; k < r.count_objects && k < 1024; k++) {
		found += ids[k] == crtc || ids[k] == conn || ids[k] == enc || ids[k] == primary ||
			 ids[k] == cursor;
		ascending &= !k || ids[k - 1] < ids[k];
	}
	printf("%s: ok, more than the output's objects %s, the output's 5 among them %s, "
	       "ascending %s\n", what, r.count_objects > 5 ? "yes" : "no",
	       found == 5 ? "yes" : "no", ascending ? "yes" : "no");
}

/* What GETRESOURCES shows fd: counts and the CRTC and connector by name. */
static void resources(const char *what, int fd)
{
	uint32_t crtcs[4] = { 0 }, conns[4] = { 0 }, encs[4] = { 0 };
	struct drm_mode_card_res r = { .crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 4,
				       .connector_id_ptr = (uintptr_t)conns, .count_connectors = 4,
				       .encoder_id_ptr = (uintptr_t)encs, .count_encoders = 4 };

	if (drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &r) < 0) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	printf("%s: crtcs %u %s, connectors %u %s, encoders %u %s, fbs %u\n", what,
	       r.count_crtcs, name(crtcs[0]), r.count_connectors, name(conns[0]),
	       r.count_encoders, name(encs[0]), r.count_fbs);
}

/* GETPLANERESOURCES on fd: the planes it sees, by name. */
static void planes(const char *what, int fd)
{
	uint32_t ids[8] = { 0 };
	struct drm_mode_get_plane_res p = { .plane_id_ptr = (uintptr_t)ids, .count_planes = 8 };

	if (drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &p) < 0) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	printf("%s: %u", what, p.count_planes);
	for (uint32_t k = 0; k < p.count_planes && k < 8; k++)
		printf(" %s", name(ids[k]));
	printf("\n");
}

/* The GET ioctls of each output object on fd. */
static void lookups(const char *who, int fd)
{
	char what[64];
	struct drm_mode_crtc c = { .crtc_id = crtc };
	struct drm_mode_get_connector gc = { .connector_id = conn };
	struct drm_mode_get_encoder e = { .encoder_id = enc };
	struct drm_mode_get_plane pp = { .plane_id = primary }, pc = { .plane_id = cursor };
	struct drm_mode_crtc_lut lut = { .crtc_id = crtc };
	struct drm_mode_obj_get_properties op = { .obj_id = crtc };

	snprintf(what, sizeof(what), "%s GETCRTC", who);
	show(what, drm(fd, DRM_IOCTL_MODE_GETCRTC, &c));
	snprintf(what, sizeof(what), "%s GETCONNECTOR", who);
	show(what, drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &gc));
	snprintf(what, sizeof(what), "%s GETENCODER", who);
	if (drm(fd, DRM_IOCTL_MODE_GETENCODER, &e) < 0)
		show(what, -1);
	else
		printf("%s: crtc %s possible_crtcs %#x possible_clones %#x\n", what,
		       name(e.crtc_id), e.possible_crtcs, e.possible_clones);
	snprintf(what, sizeof(what), "%s GETPLANE primary", who);
	if (drm(fd, DRM_IOCTL_MODE_GETPLANE, &pp) < 0)
		show(what, -1);
	else
		printf("%s: crtc %s possible_crtcs %#x\n", what, name(pp.crtc_id),
		       pp.possible_crtcs);
	snprintf(what, sizeof(what), "%s GETPLANE cursor", who);
	show(what, drm(fd, DRM_IOCTL_MODE_GETPLANE, &pc));
	snprintf(what, sizeof(what), "%s GETGAMMA", who);
	show(what, drm(fd, DRM_IOCTL_MODE_GETGAMMA, &lut));
	snprintf(what, sizeof(what), "%s OBJ_GETPROPERTIES crtc", who);
	show(what, drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &op));
	op = (struct drm_mode_obj_get_properties){ .obj_id = conn };
	snprintf(what, sizeof(what), "%s OBJ_GETPROPERTIES conn", who);
	show(what, drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &op));
	op = (struct drm_mode_obj_get_properties){ .obj_id = enc };
	snprintf(what, sizeof(what), "%s OBJ_GETPROPERTIES enc", who);
	show(what, drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &op));
}

/* A framebuffer of the mode's size made on fd. */
static uint32_t make_fb(int fd)
{
	struct drm_mode_create_dumb c = { .width = mode.hdisplay, .height = mode.vdisplay,
					  .bpp = 32 };
	struct drm_mode_fb_cmd2 f = { .width = mode.hdisplay, .height = mode.vdisplay,
				      .pixel_format = DRM_FORMAT_XRGB8888 };

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0)
		die("CREATE_DUMB");
	f.handles[0] = c.handle;
	f.pitches[0] = c.pitch;
	if (drm(fd, DRM_IOCTL_MODE_ADDFB2, &f) < 0)
		die("ADDFB2");
	return f.fb_id;
}

/* SETCRTC on fd: fb shown on the output, or the CRTC off when fb is 0. */
static int setcrtc(int fd, uint32_t fb)
{
	struct drm_mode_crtc c = { .crtc_id = crtc, .fb_id = fb, .mode = mode,
				   .mode_valid = fb != 0, .count_connectors = fb != 0,
				   .set_connectors_ptr = (uintptr_t)&conn };

	return drm(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

/* GETCRTC on fd: whether the CRTC is on and which fb it shows. */
static void show_crtc(const char *what, int fd, uint32_t fb)
{
	struct drm_mode_crtc c = { .crtc_id = crtc };

	if (drm(fd, DRM_IOCTL_MODE_GETCRTC, &c) < 0)
		show(what, -1);
	else
		printf("%s: mode_valid %u fb %s\n", what, c.mode_valid,
		       !c.fb_id ? "none" : c.fb_id == fb ? "the expected one" : "another");
}

static int cursor_hide(int fd)
{
	struct drm_mode_cursor c = { .flags = DRM_MODE_CURSOR_BO, .crtc_id = crtc };

	return drm(fd, DRM_IOCTL_MODE_CURSOR, &c);
}

/* A MODE_ATOMIC TEST_ONLY of one property of obj on fd. */
static int atomic_one(int fd, uint32_t obj, const char *prop_name, uint64_t value)
{
	uint32_t count = 1, prop = drm_prop_id(probe, obj, prop_name);
	struct drm_mode_atomic a = { .flags = DRM_MODE_ATOMIC_TEST_ONLY, .count_objs = 1,
				     .objs_ptr = (uintptr_t)&obj,
				     .count_props_ptr = (uintptr_t)&count,
				     .props_ptr = (uintptr_t)&prop,
				     .prop_values_ptr = (uintptr_t)&value };

	return drm(fd, DRM_IOCTL_MODE_ATOMIC, &a);
}

/* GETFB of fb on fd by a child that is not root: whether it got a handle (only the
 * current master's files get one then). */
static void getfb_nonroot(const char *what, int fd, uint32_t fb)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct drm_mode_fb_cmd r = { .fb_id = fb };

		if (setuid(65534) < 0)
			printf("%s: setuid -1 %s\n", what, errname(errno));
		else if (drm(fd, DRM_IOCTL_MODE_GETFB, &r) < 0)
			printf("%s: -1 %s\n", what, errname(errno));
		else
			printf("%s: handle %s\n", what, r.handle ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static int set_master(int fd)
{
	return drm(fd, DRM_IOCTL_SET_MASTER, NULL);
}

static int drop_master(int fd)
{
	return drm(fd, DRM_IOCTL_DROP_MASTER, NULL);
}

static int revoke_lease(int fd, uint32_t id)
{
	struct drm_mode_revoke_lease r = { .lessee_id = id };

	return drm(fd, DRM_IOCTL_MODE_REVOKE_LEASE, &r);
}

static void uevent_drain(void)
{
	char buf[4096];

	while (nl >= 0 && recv(nl, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* Whether a uevent with LEASE=1 arrives within a second. */
static void uevent_lease(const char *what)
{
	char buf[4096];
	struct pollfd p = { .fd = nl, .events = POLLIN };
	int found = 0;

	while (nl >= 0 && !found && poll(&p, 1, 1000) > 0) {
		ssize_t n = recv(nl, buf, sizeof(buf) - 1, 0);

		for (ssize_t k = 0; k < n; k += strlen(buf + k) + 1)
			found |= !strcmp(buf + k, "LEASE=1");
	}
	printf("%s: uevent LEASE=1 %s\n", what, found ? "yes" : "no");
}

/* Non-masters and the render node may not touch leases. */
static void not_master(void)
{
	int n = open(CARD, O_RDWR | O_CLOEXEC), r = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	struct drm_mode_list_lessees ll = { 0 };
	struct drm_mode_get_lease gl = { 0 };
	int fds[2] = { n, r };

	for (int k = 0; k < 2; k++) {
		const char *who = k ? "render" : "non-master";
		char what[64];

		snprintf(what, sizeof(what), "%s CREATE_LEASE", who);
		show(what, lease(fds[k], NULL, 0, 0, NULL));
		snprintf(what, sizeof(what), "%s LIST_LESSEES", who);
		show(what, drm(fds[k], DRM_IOCTL_MODE_LIST_LESSEES, &ll));
		snprintf(what, sizeof(what), "%s GET_LEASE", who);
		show(what, drm(fds[k], DRM_IOCTL_MODE_GET_LEASE, &gl));
		snprintf(what, sizeof(what), "%s REVOKE_LEASE", who);
		show(what, revoke_lease(fds[k], 1));
	}
	resources("non-master GETRESOURCES", n);
	close(n);
	close(r);
}

/* The lease without objects: wlroots' probe for a new fd of the same device. */
static void empty_lease(void)
{
	uint32_t id;
	int l = lease(m, NULL, 0, 0, &id);
	struct stat a, b;
	char path[64], link[64] = "";

	if (l < 0)
		die("empty lease");
	printf("empty lease: ok lessee %u, a new fd %s\n", id, l != m ? "yes" : "no");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", l);
	readlink(path, link, sizeof(link) - 1);
	fstat(m, &a);
	fstat(l, &b);
	printf("empty lease fd: %s, same device %s, cloexec %s, O_RDWR %s, O_NONBLOCK %s\n",
	       link, a.st_rdev == b.st_rdev ? "yes" : "no",
	       fcntl(l, F_GETFD) & FD_CLOEXEC ? "yes" : "no",
	       (fcntl(l, F_GETFL) & O_ACCMODE) == O_RDWR ? "yes" : "no",
	       fcntl(l, F_GETFL) & O_NONBLOCK ? "yes" : "no");
	list_lessees("empty lease: LIST_LESSEES", m, 8);
	get_lease("empty lease: GET_LEASE", l, 8);
	resources("empty lease GETRESOURCES", l);
	cap(l, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	planes("empty lease GETPLANERESOURCES", l);
	lookups("empty lease", l);
	show("empty lease SETCRTC off", setcrtc(l, 0));
	show("empty lease CURSOR", cursor_hide(l));
	show("empty lease SET_MASTER", set_master(l));
	show("empty lease DROP_MASTER", drop_master(l));
	show_lease("empty lease CREATE_LEASE (sublease)", l, NULL, 0);
	uint32_t objs[3] = { conn, crtc, primary };
	show_lease("empty lease CREATE_LEASE of objects", l, objs, 3);
	list_lessees("empty lease LIST_LESSEES", l, 8);
	show("empty lease REVOKE_LEASE itself", revoke_lease(l, id));
	show("empty lease REVOKE_LEASE 999", revoke_lease(l, 999));
	struct drm_mode_create_dumb cd = { .width = 64, .height = 64, .bpp = 32 };
	show("empty lease CREATE_DUMB", drm(l, DRM_IOCTL_MODE_CREATE_DUMB, &cd));
	uevent_drain();
	close(l);
	uevent_lease("empty lease closed");
}

static void flags(void)
{
	uint32_t id;
	int l = lease(m, NULL, 0, O_CLOEXEC | O_NONBLOCK, &id);

	if (l < 0)
		show("flags O_CLOEXEC|O_NONBLOCK", -1);
	else
		printf("flags O_CLOEXEC|O_NONBLOCK: ok lessee %u, cloexec %s, nonblock %s\n", id,
		       fcntl(l, F_GETFD) & FD_CLOEXEC ? "yes" : "no",
		       fcntl(l, F_GETFL) & O_NONBLOCK ? "yes" : "no");
	close(l);
	l = lease(m, NULL, 0, O_CLOEXEC, &id);
	show("flags O_CLOEXEC", l < 0 ? -1 : 0);
	close(l);
	show("flags O_RDWR", lease(m, NULL, 0, O_RDWR, NULL));
	show("flags 1<<31", lease(m, NULL, 0, 1u << 31, NULL));
	show("flags O_NONBLOCK|O_APPEND", lease(m, NULL, 0, O_NONBLOCK | O_APPEND, NULL));
}

static void bad_objects(void)
{
	static uint32_t zeros[1000];
	uint32_t fb = make_fb(m), blob_data[4] = { 1, 2, 3, 4 };
	struct drm_mode_create_blob cb = { .data = (uintptr_t)blob_data, .length = 16 };
	struct drm_mode_create_lease cl = { .object_ids = bad_address, .object_count = 1 };
	uint32_t prop = drm_prop_id(probe, crtc, "ACTIVE");

	if (drm(m, DRM_IOCTL_MODE_CREATEPROPBLOB, &cb) < 0)
		die("CREATEPROPBLOB");
	show("bad pointer", drm(m, DRM_IOCTL_MODE_CREATE_LEASE, &cl));
	cl.object_ids = 0;
	show("NULL pointer", drm(m, DRM_IOCTL_MODE_CREATE_LEASE, &cl));
	cl.object_ids = (uintptr_t)zeros;
	cl.object_count = 0xffffffff;
	show("count 0xffffffff", drm(m, DRM_IOCTL_MODE_CREATE_LEASE, &cl));
	try_lease("1000 zero ids", m, zeros, 1000);
	try_lease("id 999999", m, (uint32_t[]){ 999999 }, 1);
	try_lease("id 0", m, (uint32_t[]){ 0 }, 1);
	try_lease("encoder", m, &enc, 1);
	try_lease("property", m, &prop, 1);
	try_lease("framebuffer", m, &fb, 1);
	try_lease("blob", m, &cb.blob_id, 1);
	try_lease("encoder, 999999", m, (uint32_t[]){ enc, 999999 }, 2);
	try_lease("999999, encoder", m, (uint32_t[]){ 999999, enc }, 2);
	try_lease("crtc, conn, encoder", m, (uint32_t[]){ crtc, conn, enc }, 3);
	try_lease("conn only", m, &conn, 1);
	try_lease("crtc only", m, &crtc, 1);
	try_lease("primary only", m, &primary, 1);
	try_lease("crtc, primary", m, (uint32_t[]){ crtc, primary }, 2);
	try_lease("crtc, conn, conn", m, (uint32_t[]){ crtc, conn, conn }, 3);
	try_lease("crtc, conn, primary", m, (uint32_t[]){ crtc, conn, primary }, 3);
	try_lease("primary, crtc, conn", m, (uint32_t[]){ primary, crtc, conn }, 3);
	try_lease("conn, cursor, crtc", m, (uint32_t[]){ conn, cursor, crtc }, 3);
	int l = show_lease("crtc, conn", m, (uint32_t[]){ crtc, conn }, 2);
	get_lease("crtc, conn: GET_LEASE", l, 8);
	close(l);
	cap(m, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	try_lease("universal: crtc, conn", m, (uint32_t[]){ crtc, conn }, 2);
	try_lease("universal: conn, primary", m, (uint32_t[]){ conn, primary }, 2);
	try_lease("universal: conn, crtc, primary, primary", m,
		  (uint32_t[]){ conn, crtc, primary, primary }, 4);
	l = show_lease("universal: crtc, conn, cursor", m, (uint32_t[]){ crtc, conn, cursor }, 3);
	get_lease("universal: crtc, conn, cursor: GET_LEASE", l, 8);
	struct drm_mode_crtc_page_flip pf = { .crtc_id = crtc, .fb_id = fb };
	show("no primary: SETCRTC", setcrtc(l, fb));
	show("no primary: PAGE_FLIP", drm(l, DRM_IOCTL_MODE_PAGE_FLIP, &pf));
	show("no primary: CURSOR", cursor_hide(l));
	show("no primary: SETCRTC off", setcrtc(l, 0));
	show_crtc("no primary: lessor GETCRTC", m, 0);
	close(l);
	/* ATOMIC 0 sets universal planes as it sets atomic: off */
	cap(m, DRM_CLIENT_CAP_ATOMIC, 1);
	cap(m, DRM_CLIENT_CAP_ATOMIC, 0);
	planes("ATOMIC 1 then 0: GETPLANERESOURCES", m);
	try_lease("ATOMIC 1 then 0: crtc, conn", m, (uint32_t[]){ crtc, conn }, 2);
	cap(m, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	struct drm_mode_destroy_blob db = { .blob_id = cb.blob_id };
	drm(m, DRM_IOCTL_MODE_DESTROYPROPBLOB, &db);
	drm(m, DRM_IOCTL_MODE_RMFB, &fb);
}

/* LIST_LESSEES and GET_LEASE's sizes, pointers and pad. */
static void queries(int l)
{
	uint32_t one[1] = { 0 };
	struct drm_mode_list_lessees ll = { .count_lessees = 1, .lessees_ptr = bad_address };
	struct drm_mode_get_lease gl = { .count_objects = 1, .objects_ptr = bad_address };

	list_lessees("LIST_LESSEES", m, 8);
	list_lessees("LIST_LESSEES room 0", m, 0);
	show("LIST_LESSEES bad pointer", drm(m, DRM_IOCTL_MODE_LIST_LESSEES, &ll));
	printf("LIST_LESSEES bad pointer: count_lessees %u\n", ll.count_lessees);
	ll.lessees_ptr = 0;
	show("LIST_LESSEES NULL pointer", drm(m, DRM_IOCTL_MODE_LIST_LESSEES, &ll));
	ll = (struct drm_mode_list_lessees){ .pad = 1 };
	show("LIST_LESSEES pad", drm(m, DRM_IOCTL_MODE_LIST_LESSEES, &ll));
	show("LIST_LESSEES bad arg", drm(m, DRM_IOCTL_MODE_LIST_LESSEES, (void *)bad_address));
	get_lease("GET_LEASE", l, 8);
	get_lease("GET_LEASE room 0", l, 0);
	get_lease("GET_LEASE room 1", l, 1);
	show("GET_LEASE bad pointer", drm(l, DRM_IOCTL_MODE_GET_LEASE, &gl));
	printf("GET_LEASE bad pointer: count_objects %u\n", gl.count_objects);
	gl = (struct drm_mode_get_lease){ .pad = 1, .objects_ptr = (uintptr_t)one };
	show("GET_LEASE pad", drm(l, DRM_IOCTL_MODE_GET_LEASE, &gl));
	get_lease_owner("owner GET_LEASE", m);
	gl = (struct drm_mode_get_lease){ .count_objects = 1, .objects_ptr = bad_address };
	show("owner GET_LEASE bad pointer", drm(m, DRM_IOCTL_MODE_GET_LEASE, &gl));
	list_lessees("lessee LIST_LESSEES", l, 8);
}

/* What the lessee sees and does with connector + CRTC + primary plane. */
static void lessee_use(int l)
{
	struct drm_mode_crtc_page_flip pf = { .crtc_id = crtc,
					      .flags = DRM_MODE_PAGE_FLIP_EVENT, .user_data = 7 };
	struct drm_event_vblank ev = { 0 };
	struct pollfd p = { .fd = l, .events = POLLIN };

	resources("lessee GETRESOURCES", l);
	planes("lessee GETPLANERESOURCES", l);
	cap(l, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	planes("lessee GETPLANERESOURCES universal", l);
	lookups("lessee", l);
	uint32_t fb = make_fb(l), fb2 = make_fb(l);
	show("lessee SETCRTC", setcrtc(l, fb));
	show_crtc("lessee GETCRTC", l, fb);
	show_crtc("lessor GETCRTC", m, fb);
	pf.fb_id = fb2;
	show("lessee PAGE_FLIP", drm(l, DRM_IOCTL_MODE_PAGE_FLIP, &pf));
	if (poll(&p, 1, 2000) == 1 && read(l, &ev, sizeof(ev)) == sizeof(ev))
		printf("lessee flip event: type %u user_data %llu crtc %s\n", ev.base.type,
		       (unsigned long long)ev.user_data, name(ev.crtc_id));
	else
		printf("lessee flip event: none\n");
	show("lessee CURSOR", cursor_hide(l));
	cap(l, DRM_CLIENT_CAP_ATOMIC, 1);
	show("lessee atomic primary FB_ID", atomic_one(l, primary, "FB_ID", fb));
	show("lessee atomic primary CRTC_ID", atomic_one(l, primary, "CRTC_ID", crtc));
	show("lessee atomic cursor FB_ID", atomic_one(l, cursor, "FB_ID", 0));
	show("lessee atomic conn CRTC_ID", atomic_one(l, conn, "CRTC_ID", crtc));
	show("lessee atomic crtc ACTIVE", atomic_one(l, crtc, "ACTIVE", 1));
	struct drm_mode_obj_set_property sp = { .obj_id = cursor,
		.prop_id = drm_prop_id(probe, cursor, "CRTC_X"), .obj_type = DRM_MODE_OBJECT_PLANE };
	show("lessee OBJ_SETPROPERTY cursor", drm(l, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &sp));
	/* the lessor still owns everything */
	uint32_t mfb = make_fb(m);
	getfb_nonroot("non-root lessee GETFB", l, mfb);
	getfb_nonroot("non-root non-master GETFB", probe, mfb);
	show("lessor SETCRTC leased crtc", setcrtc(m, mfb));
	show_crtc("lessor GETCRTC", m, mfb);
	show("lessor CURSOR leased crtc", cursor_hide(m));
	show("lessee SETCRTC again", setcrtc(l, fb));
}

/* SET_MASTER/DROP_MASTER of the lessor turn its lessees' master rights on and off. */
static void masters(int l)
{
	uint32_t fb = make_fb(l);
	int n = open(CARD, O_RDWR | O_CLOEXEC);

	show("lessee SET_MASTER", set_master(l));
	show("lessee DROP_MASTER", drop_master(l));
	show("lessor DROP_MASTER", drop_master(m));
	show("lessee SETCRTC, lessor not master", setcrtc(l, fb));
	get_lease("lessee GET_LEASE, lessor not master", l, 8);
	getfb_nonroot("non-root lessee GETFB, lessor not master", l, fb);
	resources("lessee GETRESOURCES, lessor not master", l);
	show("lessee SET_MASTER, no master", set_master(l));
	show("lessee DROP_MASTER, no master", drop_master(l));
	show("other SET_MASTER", set_master(n));
	show("lessee SETCRTC, other master", setcrtc(l, fb));
	show("lessee SET_MASTER, other master", set_master(l));
	list_lessees("other LIST_LESSEES", n, 8);
	get_lease_owner("other GET_LEASE", n);
	cap(n, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	try_lease("other leases the leased objects", n, (uint32_t[]){ conn, crtc, primary }, 3);
	show("other DROP_MASTER", drop_master(n));
	show("lessor SET_MASTER", set_master(m));
	show("lessee SETCRTC, lessor master again", setcrtc(l, fb));
	close(n);
}

static void revoked(int l, uint32_t id)
{
	show("REVOKE_LEASE 999", revoke_lease(m, 999));
	show("REVOKE_LEASE 0", revoke_lease(m, 0));
	show("REVOKE_LEASE", revoke_lease(m, id));
	show("REVOKE_LEASE again", revoke_lease(m, id));
	list_lessees("revoked: LIST_LESSEES", m, 8);
	get_lease("revoked: lessee GET_LEASE", l, 8);
	resources("revoked: lessee GETRESOURCES", l);
	planes("revoked: lessee GETPLANERESOURCES", l);
	lookups("revoked lessee", l);
	show("revoked: lessee SETCRTC off", setcrtc(l, 0));
	show("revoked: lessee SET_MASTER", set_master(l));
	show("revoked: lessee atomic primary FB_ID", atomic_one(l, primary, "FB_ID", 0));
	show_crtc("revoked: lessor GETCRTC", m, 0);
}

/* Closing a lessee ends its lease: the objects and the lessee id come back. */
static void closing(int l)
{
	uint32_t objs[3] = { conn, crtc, primary };
	int l2 = show_lease("lease again after revoke", m, objs, 3), l3;

	list_lessees("LIST_LESSEES", m, 8);
	uevent_drain();
	close(l);
	uevent_lease("revoked lessee closed");
	list_lessees("revoked lessee closed: LIST_LESSEES", m, 8);
	try_lease("lease of leased objects", m, objs, 3);
	l3 = show_lease("empty lease", m, NULL, 0);
	close(l3);
	uevent_drain();
	close(l2);
	uevent_lease("lessee closed");
	list_lessees("lessee closed: LIST_LESSEES", m, 8);
	l = show_lease("lease after close", m, objs, 3);
	cap(l, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	uint32_t fb = make_fb(l);
	show("lessee SETCRTC", setcrtc(l, fb));
	int d = dup(l);
	close(l);
	list_lessees("dup of lessee open: LIST_LESSEES", m, 8);
	show_crtc("dup of lessee open: lessor GETCRTC", m, fb);
	close(d);
	list_lessees("lessee and dup closed: LIST_LESSEES", m, 8);
	show_crtc("lessee closed: lessor GETCRTC", m, fb);
}

/* The lessor's close revokes its leases and takes the lessees' master rights. */
static void lessor_closed(void)
{
	uint32_t objs[3] = { conn, crtc, primary };
	int l = show_lease("lease before the lessor closes", m, objs, 3), n;

	close(m);
	get_lease("lessor closed: lessee GET_LEASE", l, 8);
	resources("lessor closed: lessee GETRESOURCES", l);
	show("lessor closed: lessee SET_MASTER", set_master(l));
	n = open(CARD, O_RDWR | O_CLOEXEC);
	show("new opener SET_MASTER", set_master(n));
	list_lessees("new opener LIST_LESSEES", n, 8);
	show("lessor closed: lessee SET_MASTER, new master", set_master(l));
	m = n;
	l = show_lease("new master leases", n, objs, 2);
	close(l);
	close(n);
}

/* Two outputs (GPU=virtio2): a lessee of one head sees nothing of the other, its
 * CRTC masks are renumbered over its CRTCs, and the other head's CRTC is EACCES as
 * an atomic CRTC_ID value; a lease may mix the heads' objects. */
static void heads(void)
{
	uint32_t objs[3] = { conn, crtc, primary };
	int l0 = show_lease("head 0 lease", m, objs, 3), l1;
	struct drm_mode_crtc c = { .crtc_id = crtc1 };
	struct drm_mode_get_encoder e = { .encoder_id = enc1 };
	struct drm_mode_get_plane gp = { .plane_id = primary1 };

	resources("head 0 lessee GETRESOURCES", l0);
	cap(l0, DRM_CLIENT_CAP_ATOMIC, 1);
	planes("head 0 lessee GETPLANERESOURCES", l0);
	lookups("head 0 lessee", l0);
	show("head 0 lessee GETCRTC crtc1", drm(l0, DRM_IOCTL_MODE_GETCRTC, &c));
	show("head 0 lessee GETPLANE primary1", drm(l0, DRM_IOCTL_MODE_GETPLANE, &gp));
	if (drm(l0, DRM_IOCTL_MODE_GETENCODER, &e) == 0)
		printf("head 0 lessee GETENCODER enc1: crtc %s possible_crtcs %#x\n",
		       name(e.crtc_id), e.possible_crtcs);
	show("head 0 lessee atomic primary CRTC_ID crtc1", atomic_one(l0, primary, "CRTC_ID", crtc1));
	show("head 0 lessee atomic conn CRTC_ID crtc1", atomic_one(l0, conn, "CRTC_ID", crtc1));
	show("head 0 lessee atomic crtc1 ACTIVE", atomic_one(l0, crtc1, "ACTIVE", 0));
	objs[0] = conn1;
	objs[1] = crtc1;
	objs[2] = primary1;
	l1 = show_lease("head 1 lease", m, objs, 3);
	resources("head 1 lessee GETRESOURCES", l1);
	cap(l1, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	planes("head 1 lessee GETPLANERESOURCES", l1);
	e.crtc_id = 0;
	if (drm(l1, DRM_IOCTL_MODE_GETENCODER, &e) == 0)
		printf("head 1 lessee GETENCODER enc1: crtc %s possible_crtcs %#x\n",
		       name(e.crtc_id), e.possible_crtcs);
	if (drm(l1, DRM_IOCTL_MODE_GETPLANE, &gp) == 0)
		printf("head 1 lessee GETPLANE primary1: possible_crtcs %#x\n", gp.possible_crtcs);
	list_lessees("two lessees: LIST_LESSEES", m, 8);
	try_lease("conn, crtc1, primary1 (both leased)", m, (uint32_t[]){ conn, crtc1, primary1 }, 3);
	close(l0);
	close(l1);
	l0 = show_lease("mixed lease conn, crtc1, primary1", m,
			(uint32_t[]){ conn, crtc1, primary1 }, 3);
	resources("mixed lessee GETRESOURCES", l0);
	e = (struct drm_mode_get_encoder){ .encoder_id = enc1 };
	if (drm(l0, DRM_IOCTL_MODE_GETENCODER, &e) == 0)
		printf("mixed lessee GETENCODER enc1: possible_crtcs %#x\n", e.possible_crtcs);
	e = (struct drm_mode_get_encoder){ .encoder_id = enc };
	if (drm(l0, DRM_IOCTL_MODE_GETENCODER, &e) == 0)
		printf("mixed lessee GETENCODER enc: possible_crtcs %#x\n", e.possible_crtcs);
	close(l0);
	cap(m, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 0);
	l0 = show_lease("crtc1, conn1", m, (uint32_t[]){ crtc1, conn1 }, 2);
	get_lease("crtc1, conn1: GET_LEASE", l0, 8);
	close(l0);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	uint32_t objs[3], id;
	int l;

	setvbuf(stdout, NULL, _IOLBF, 0);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (nl >= 0 && bind(nl, (struct sockaddr *)&a, sizeof(a)) < 0)
		nl = -1;
	m = open(CARD, O_RDWR | O_CLOEXEC);
	if (m < 0)
		die("open " CARD);
	show("lessor SET_MASTER", set_master(m));
	find_objects();
	probe = open(CARD, O_RDWR | O_CLOEXEC);
	cap(probe, DRM_CLIENT_CAP_ATOMIC, 1);
	if (argc > 1 && !strcmp(argv[1], "heads")) {
		cap(m, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
		heads();
		return 0;
	}
	not_master();
	empty_lease();
	flags();
	bad_objects();
	objs[0] = conn;
	objs[1] = crtc;
	objs[2] = primary;
	l = show_lease("lease conn, crtc, primary", m, objs, 3);
	if (l < 0)
		return 1;
	id = last_id;
	try_lease("the same again", m, objs, 3);
	try_lease("crtc, conn, cursor (crtc leased)", m, (uint32_t[]){ crtc, conn, cursor }, 3);
	queries(l);
	lessee_use(l);
	masters(l);
	revoked(l, id);
	closing(l);
	lessor_closed();
	return 0;
}
