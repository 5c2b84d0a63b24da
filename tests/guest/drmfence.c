/* drmfence: MODE_ATOMIC's fences on virtio-gpu. OUT_FENCE_PTR gives a sync_file fd
 * (close-on-exec, "anon_inode:sync_file") signalled when the flip completes, -1 for
 * TEST_ONLY, EFAULT for a bad pointer; a CRTC with only OUT_FENCE_PTR gets one too.
 * The sync_file: SYNC_IOC_FILE_INFO (name, status, the fence's obj_name, driver_name,
 * timestamp; bad flags, pad, pointers), SYNC_IOC_MERGE, poll, read, write, an
 * unknown ioctl. IN_FENCE_FD: an out-fence is waited for (TEST_ONLY too); stdin, a
 * closed fd, -2 and the DRM fd are EINVAL. Then a CRTC on with its primary plane
 * off (TEST_ONLY and committed, with an event and a fence): GETCRTC, the properties,
 * PAGE_FLIP (EBUSY), SETCRTC keeping the current fb (EINVAL), and the plane back on.
 * Fence corners: IN_FENCE_FD twice in one request (EINVAL), a pending in-fence
 * not waited for by TEST_ONLY (a 1 Hz mode keeps Lumen's flip pending long enough);
 * where OUT_FENCE_PTR gets -1 when a request fails (only pointers reached before
 * the failure), OUT_FENCE_PTR through OBJ_SETPROPERTY (-1 written, no fence), a full
 * fd table (EMFILE before anything is committed); a primary plane with CRTC_W or
 * CRTC_H 0 (accepted, invisible: no scaling check, no coverage check; the screen
 * keeps what it showed, screenshot drmfence-invisible).
 * Object ids are printed by name, fds as facts, the fence name only up to its
 * timeline (context numbers differ). */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "drmtest.h"

static int fd;
static uint32_t crtc, conn, plane, fbs[2], mode_blob;
static struct drm_mode_modeinfo mode;

/* An unmapped address the compiler cannot see through. */
static volatile uintptr_t bad_address = 8;

static void die(const char *what)
{
	printf("%s: -1 %s\n", what, errname(errno));
	exit(1);
}

static void find_objects(void)
{
	uint32_t planes[8];
	struct drm_mode_get_plane_res p = { .plane_id_ptr = (uintptr_t)planes,
					    .count_planes = 8 };

	if (drm_find_output(fd, &crtc, &conn, &mode) < 0)
		die("find output");
	if (drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &p) < 0 || !p.count_planes)
		die("GETPLANERESOURCES");
	plane = planes[0];
}

/* A framebuffer of the mode's size filled with color (XRGB8888). */
static uint32_t make_fb(uint32_t color)
{
	struct drm_mode_create_dumb c = { .width = mode.hdisplay, .height = mode.vdisplay,
					  .bpp = 32 };
	struct drm_mode_fb_cmd2 f = { .width = mode.hdisplay, .height = mode.vdisplay,
				      .pixel_format = DRM_FORMAT_XRGB8888 };
	uint32_t *px = drm_dumb_map(fd, &c);

	if (!px)
		die("dumb buffer");
	for (uint64_t k = 0; k < c.size / 4; k++)
		px[k] = color;
	munmap(px, c.size);
	f.handles[0] = c.handle;
	f.pitches[0] = c.pitch;
	if (drm(fd, DRM_IOCTL_MODE_ADDFB2, &f) < 0)
		die("ADDFB2");
	return f.fb_id;
}

/* A MODE_ATOMIC request of up to 16 settings, each on an object by id. */
struct setting { uint32_t obj; const char *name; uint64_t value; };

static int atomic(uint32_t flags, const struct setting *set, unsigned n)
{
	uint32_t objs[16], counts[16], props[16], nobjs = 0;
	uint64_t values[16];
	struct drm_mode_atomic a = { .flags = flags, .objs_ptr = (uintptr_t)objs,
				     .count_props_ptr = (uintptr_t)counts,
				     .props_ptr = (uintptr_t)props,
				     .prop_values_ptr = (uintptr_t)values };

	/* settings of one object are consecutive */
	for (unsigned k = 0; k < n; k++) {
		if (!nobjs || objs[nobjs - 1] != set[k].obj) {
			objs[nobjs] = set[k].obj;
			counts[nobjs++] = 0;
		}
		counts[nobjs - 1]++;
		props[k] = drm_prop_id(fd, set[k].obj, set[k].name);
		values[k] = set[k].value;
	}
	a.count_objs = nobjs;
	return drm(fd, DRM_IOCTL_MODE_ATOMIC, &a);
}

/* A flip of the primary plane to fbs[k] with the extra settings of fence. */
static int flip(uint32_t flags, unsigned k, const char *fence_prop, uint64_t fence_value)
{
	struct setting set[3] = { { plane, "FB_ID", fbs[k] } };
	unsigned n = 1;

	if (fence_prop && !strcmp(fence_prop, "IN_FENCE_FD"))
		set[n++] = (struct setting){ plane, "IN_FENCE_FD", fence_value };
	else if (fence_prop)
		set[n++] = (struct setting){ crtc, "OUT_FENCE_PTR", fence_value };
	return atomic(flags, set, n);
}

static void show_poll(const char *what, int f)
{
	struct pollfd p = { .fd = f, .events = POLLIN | POLLOUT };
	int r = poll(&p, 1, 2000);

	if (r < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: %d revents %#x\n", what, r, p.revents);
}

/* The sync_file's info: its name up to the timeline, status, each fence's. */
static void show_info(const char *what, int f)
{
	struct sync_fence_info fi[4];
	struct sync_file_info info = { .num_fences = 4, .sync_fence_info = (uintptr_t)fi };
	char prefix[64], obj[64];
	size_t len;

	snprintf(prefix, sizeof(prefix), "virtio_gpu-CRTC:%u-crtc-0", crtc);
	snprintf(obj, sizeof(obj), "CRTC:%u-crtc-0", crtc);
	len = strlen(prefix);
	if (drm(f, SYNC_IOC_FILE_INFO, &info) < 0) {
		printf("%s FILE_INFO: -1 %s\n", what, errname(errno));
		return;
	}
	if (!strncmp(info.name, prefix, len) && info.name[len] >= '0' && info.name[len] <= '9' &&
	    strchr(info.name + len, '-'))
		printf("%s: name virtio_gpu-CRTC:<crtc>-crtc-0<context>-<seqno>", what);
	else
		printf("%s: name %s", what, info.name);
	printf(" status %d flags %u num_fences %u\n", info.status, info.flags, info.num_fences);
	for (unsigned k = 0; k < info.num_fences && k < 4; k++)
		printf("%s fence %u: obj_name %s driver_name %s status %d flags %u timestamp %s\n",
		       what, k, strcmp(fi[k].obj_name, obj) ? fi[k].obj_name : "CRTC:<crtc>-crtc-0",
		       fi[k].driver_name, fi[k].status, fi[k].flags,
		       fi[k].timestamp_ns ? "set" : "0");
}

static void show_fd(const char *what, int f)
{
	char path[64], link[64] = "";

	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		strcpy(link, errname(errno));
	printf("%s: fd %s cloexec %d access %d link %s\n", what, f >= 0 ? "valid" : "-1",
	       fcntl(f, F_GETFD), fcntl(f, F_GETFL) & O_ACCMODE, link);
}

/* The sync_file ioctls and file operations with bad input. */
static void syncfile_bad(int f)
{
	struct sync_file_info info = { .flags = 1 };
	struct sync_merge_data m = { .name = "merged", .fd2 = f };
	struct sync_fence_info fi[1];
	char c;

	show("FILE_INFO flags 1", drm(f, SYNC_IOC_FILE_INFO, &info));
	info = (struct sync_file_info){ .pad = 1 };
	show("FILE_INFO pad 1", drm(f, SYNC_IOC_FILE_INFO, &info));
	info = (struct sync_file_info){ .num_fences = 1, .sync_fence_info = bad_address };
	show("FILE_INFO bad fence pointer", drm(f, SYNC_IOC_FILE_INFO, &info));
	info = (struct sync_file_info){ .num_fences = 0, .sync_fence_info = bad_address };
	show("FILE_INFO bad fence pointer, no fences asked", drm(f, SYNC_IOC_FILE_INFO, &info));
	printf("  status %d num_fences %u\n", info.status, info.num_fences);
	show("FILE_INFO bad info pointer", ioctl(f, SYNC_IOC_FILE_INFO, (void *)bad_address));
	info = (struct sync_file_info){ .num_fences = 1, .sync_fence_info = (uintptr_t)fi };
	show("FILE_INFO one fence", drm(f, SYNC_IOC_FILE_INFO, &info));
	show("read", read(f, &c, 1));
	show("write", write(f, &c, 1));
	show("unknown ioctl", ioctl(f, _IO(SYNC_IOC_MAGIC, 9), 0));
	show("MERGE bad pointer", ioctl(f, SYNC_IOC_MERGE, (void *)bad_address));
	m.flags = 1;
	show("MERGE flags 1", drm(f, SYNC_IOC_MERGE, &m));
	m.flags = 0;
	m.pad = 1;
	show("MERGE pad 1", drm(f, SYNC_IOC_MERGE, &m));
	m.pad = 0;
	m.fd2 = 999;
	show("MERGE closed fd2", drm(f, SYNC_IOC_MERGE, &m));
	m.fd2 = fd;
	show("MERGE DRM fd2", drm(f, SYNC_IOC_MERGE, &m));
	m.fd2 = 0;
	show("MERGE stdin fd2", drm(f, SYNC_IOC_MERGE, &m));
}

/* A modeset (flags added to ALLOW_MODESET) of the CRTC to the blob m with the
 * primary plane showing fbs[0], and the CRTC's OUT_FENCE_PTR set to out_fence when
 * that is not NULL: atomic()'s result. */
static int modeset(uint32_t flags, uint32_t m, int32_t *out_fence)
{
	struct setting set[14] = {
		{ conn, "CRTC_ID", crtc }, { crtc, "MODE_ID", m }, { crtc, "ACTIVE", 1 },
	};
	const struct setting primary[] = {
		{ plane, "FB_ID", fbs[0] }, { plane, "CRTC_ID", crtc },
		{ plane, "SRC_X", 0 }, { plane, "SRC_Y", 0 },
		{ plane, "SRC_W", (uint64_t)mode.hdisplay << 16 },
		{ plane, "SRC_H", (uint64_t)mode.vdisplay << 16 },
		{ plane, "CRTC_X", 0 }, { plane, "CRTC_Y", 0 },
		{ plane, "CRTC_W", mode.hdisplay }, { plane, "CRTC_H", mode.vdisplay },
	};
	unsigned n = 3;

	if (out_fence)
		set[n++] = (struct setting){ crtc, "OUT_FENCE_PTR", (uintptr_t)out_fence };
	memcpy(set + n, primary, sizeof(primary));
	return atomic(flags | DRM_MODE_ATOMIC_ALLOW_MODESET, set, n + 10);
}

static void out_fences(void)
{
	int32_t fence = 1234, fence2 = 1234;
	struct sync_merge_data m = { .name = "merged" };
	struct drm_event_vblank ev;
	struct setting only = { crtc, "OUT_FENCE_PTR", (uintptr_t)&fence };

	show("TEST_ONLY modeset with OUT_FENCE_PTR",
	     modeset(DRM_MODE_ATOMIC_TEST_ONLY, mode_blob, &fence));
	printf("  fence %d\n", fence);
	show("modeset with OUT_FENCE_PTR", modeset(0, mode_blob, &fence));
	show_fd("modeset fence", fence);
	show_poll("modeset fence poll", fence);
	show_info("modeset fence", fence);
	syncfile_bad(fence);

	show("OUT_FENCE_PTR bad pointer", flip(0, 1, "OUT_FENCE_PTR", bad_address));
	show("OUT_FENCE_PTR bad pointer, TEST_ONLY",
	     flip(DRM_MODE_ATOMIC_TEST_ONLY, 1, "OUT_FENCE_PTR", bad_address));
	fence2 = 1234;
	show("TEST_ONLY flip with OUT_FENCE_PTR",
	     flip(DRM_MODE_ATOMIC_TEST_ONLY, 1, "OUT_FENCE_PTR", (uintptr_t)&fence2));
	printf("  fence %d\n", fence2);

	show("nonblocking flip with OUT_FENCE_PTR and event",
	     flip(DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, 1, "OUT_FENCE_PTR",
		  (uintptr_t)&fence2));
	show_poll("flip fence poll", fence2);
	show_info("flip fence", fence2);
	show("flip event read", read(fd, &ev, sizeof(ev)));
	printf("  type %u crtc %s\n", ev.base.type, ev.crtc_id == crtc ? "<crtc>" : "other");

	m.fd2 = fence2;
	show("MERGE", drm(fence, SYNC_IOC_MERGE, &m));
	show_fd("merged", m.fence);
	show_info("merged", m.fence);
	show_poll("merged poll", m.fence);
	close(m.fence);

	show("IN_FENCE_FD an out-fence, TEST_ONLY",
	     flip(DRM_MODE_ATOMIC_TEST_ONLY, 0, "IN_FENCE_FD", fence2));
	show("IN_FENCE_FD an out-fence", flip(0, 0, "IN_FENCE_FD", fence2));
	show("IN_FENCE_FD -1", flip(0, 1, "IN_FENCE_FD", (uint64_t)-1));
	show("IN_FENCE_FD stdin", flip(0, 0, "IN_FENCE_FD", 0));
	show("IN_FENCE_FD closed fd", flip(0, 0, "IN_FENCE_FD", 999));
	show("IN_FENCE_FD -2", flip(0, 0, "IN_FENCE_FD", (uint64_t)-2));
	show("IN_FENCE_FD DRM fd", flip(0, 0, "IN_FENCE_FD", fd));
	close(fence);
	close(fence2);

	fence = 1234;
	show("CRTC with only OUT_FENCE_PTR", atomic(0, &only, 1));
	show_poll("its fence poll", fence);
	show_info("its fence", fence);
	close(fence);
}

static void show_crtc(const char *what)
{
	struct drm_mode_crtc c = { .crtc_id = crtc };
	uint64_t mode_id = drm_prop_value(fd, crtc, "MODE_ID");

	show(what, drm(fd, DRM_IOCTL_MODE_GETCRTC, &c));
	printf("  fb %s mode_valid %u mode %s\n", !c.fb_id ? "0" : c.fb_id == fbs[0] ||
	       c.fb_id == fbs[1] ? "ours" : "other", c.mode_valid,
	       c.mode_valid && c.mode.hdisplay == mode.hdisplay &&
	       c.mode.vdisplay == mode.vdisplay ? "ours" : "none");
	printf("  ACTIVE %llu MODE_ID %s connector CRTC_ID %s DPMS %llu plane FB_ID %s"
	       " plane CRTC_ID %s\n", (unsigned long long)drm_prop_value(fd, crtc, "ACTIVE"),
	       mode_id == mode_blob ? "ours" : mode_id ? "other" : "0",
	       drm_prop_value(fd, conn, "CRTC_ID") == crtc ? "<crtc>" : "0",
	       (unsigned long long)drm_prop_value(fd, conn, "DPMS"),
	       drm_prop_value(fd, plane, "FB_ID") ? "set" : "0",
	       drm_prop_value(fd, plane, "CRTC_ID") == crtc ? "<crtc>" : "0");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* IN_FENCE_FD is kept in the plane state: set twice in one request it is EINVAL, and
 * TEST_ONLY only checks it is a sync_file, without waiting for it. */
static void in_fence_state(void)
{
	struct drm_mode_modeinfo slow = mode;
	struct drm_mode_create_blob b = { .data = (uintptr_t)&slow, .length = sizeof(slow) };
	struct setting set[3] = { { plane, "FB_ID", fbs[1] } };
	uint32_t objs[1] = { plane }, counts[1] = { 2 }, props[2];
	uint64_t values[2];
	struct drm_mode_atomic a = { .flags = DRM_MODE_ATOMIC_TEST_ONLY, .count_objs = 1,
				     .objs_ptr = (uintptr_t)objs,
				     .count_props_ptr = (uintptr_t)counts,
				     .props_ptr = (uintptr_t)props,
				     .prop_values_ptr = (uintptr_t)values };
	int32_t fence = 1234;
	long long t;
	int r;

	set[1] = (struct setting){ plane, "IN_FENCE_FD", (uint64_t)-1 };
	set[2] = (struct setting){ plane, "IN_FENCE_FD", (uint64_t)-1 };
	show("IN_FENCE_FD -1 twice", atomic(0, set, 3));
	/* a 1 Hz mode: Lumen's flips then stay pending for up to a second */
	slow.clock = (uint32_t)((uint64_t)slow.htotal * slow.vtotal / 1000);
	slow.vrefresh = 1;
	if (drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &b) < 0)
		die("CREATEPROPBLOB slow");
	show("modeset to a 1 Hz mode", modeset(0, b.blob_id, NULL));
	show("nonblocking flip for a pending out-fence",
	     flip(DRM_MODE_ATOMIC_NONBLOCK, 1, "OUT_FENCE_PTR", (uintptr_t)&fence));
	set[1] = (struct setting){ plane, "IN_FENCE_FD", fence };
	set[2] = (struct setting){ plane, "IN_FENCE_FD", fence };
	show("IN_FENCE_FD twice, TEST_ONLY", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 3));
	set[2] = (struct setting){ plane, "IN_FENCE_FD", (uint64_t)-1 };
	show("IN_FENCE_FD then -1, TEST_ONLY", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 3));
	set[1] = (struct setting){ plane, "IN_FENCE_FD", (uint64_t)-1 };
	set[2] = (struct setting){ plane, "IN_FENCE_FD", fence };
	show("IN_FENCE_FD -1 then a fence, TEST_ONLY", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 3));
	props[0] = drm_prop_id(fd, plane, "FB_ID");
	props[1] = drm_prop_id(fd, plane, "IN_FENCE_FD");
	values[0] = fbs[0];
	values[1] = fence;
	t = now_ms();
	r = drm(fd, DRM_IOCTL_MODE_ATOMIC, &a);
	t = now_ms() - t;
	show("IN_FENCE_FD a pending fence, TEST_ONLY", r);
	printf("  returned at once %s\n", t < 200 ? "yes" : "no");
	show_poll("the pending fence poll", fence);
	close(fence);
	show("modeset back", modeset(0, mode_blob, NULL));
	show("DESTROYPROPBLOB slow", drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB,
					 &(struct drm_mode_destroy_blob){ b.blob_id }));
}

/* Where OUT_FENCE_PTR gets -1 when the request fails: only pointers met before the
 * failing property; and after a failed check. OBJ_SETPROPERTY writes -1 and makes
 * no fence. A full fd table fails the request before anything is committed. */
static void out_fence_failures(void)
{
	struct drm_mode_obj_set_property sp = { .obj_id = crtc,
						.obj_type = DRM_MODE_OBJECT_CRTC };
	int32_t fence = 1234, fence2 = 1234;
	struct setting set[3];
	int dups[1100], n = 0, k;

	set[0] = (struct setting){ plane, "FB_ID", fbs[1] };
	set[1] = (struct setting){ plane, "ACTIVE", 1 };
	set[2] = (struct setting){ crtc, "OUT_FENCE_PTR", (uintptr_t)&fence };
	show("OUT_FENCE_PTR after a missing property", atomic(0, set, 3));
	printf("  fence %d\n", fence);
	set[0] = (struct setting){ crtc, "OUT_FENCE_PTR", (uintptr_t)&fence };
	set[1] = (struct setting){ crtc, "ACTIVE", 2 };
	show("OUT_FENCE_PTR before a bad value", atomic(0, set, 2));
	printf("  fence %d\n", fence);
	fence = 1234;
	set[1] = (struct setting){ plane, "CRTC_W", 1 };
	show("OUT_FENCE_PTR and a failing check", atomic(0, set, 2));
	printf("  fence %d\n", fence);
	fence = 1234;
	set[1] = (struct setting){ crtc, "OUT_FENCE_PTR", (uintptr_t)&fence2 };
	show("OUT_FENCE_PTR twice, TEST_ONLY", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 2));
	printf("  fence %d fence2 %d\n", fence, fence2);

	fence = 1234;
	sp.prop_id = drm_prop_id(fd, crtc, "OUT_FENCE_PTR");
	sp.value = (uintptr_t)&fence;
	show("OBJ_SETPROPERTY OUT_FENCE_PTR", drm(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &sp));
	printf("  fence %d\n", fence);
	sp.value = bad_address;
	show("OBJ_SETPROPERTY OUT_FENCE_PTR bad pointer",
	     drm(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &sp));
	sp.value = 0;
	show("OBJ_SETPROPERTY OUT_FENCE_PTR 0", drm(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &sp));
	sp = (struct drm_mode_obj_set_property){ .obj_id = plane,
		.obj_type = DRM_MODE_OBJECT_PLANE, .prop_id = drm_prop_id(fd, plane, "IN_FENCE_FD"),
		.value = 0 };
	show("OBJ_SETPROPERTY IN_FENCE_FD stdin", drm(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &sp));
	sp.value = (uint64_t)-1;
	show("OBJ_SETPROPERTY IN_FENCE_FD -1", drm(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &sp));

	show("flip to fbs[0]", flip(0, 0, NULL, 0));
	while (n < 1100 && (k = dup(0)) >= 0)
		dups[n++] = k;
	printf("fd table full: %s\n", n < 1100 && errno == EMFILE ? "EMFILE" : errname(errno));
	fence = 1234;
	show("flip with OUT_FENCE_PTR, no free fd", flip(0, 1, "OUT_FENCE_PTR", (uintptr_t)&fence));
	printf("  fence %d plane FB_ID %s\n", fence,
	       drm_prop_value(fd, plane, "FB_ID") == fbs[0] ? "unchanged" : "changed");
	show("TEST_ONLY flip with OUT_FENCE_PTR, no free fd",
	     flip(DRM_MODE_ATOMIC_TEST_ONLY, 1, "OUT_FENCE_PTR", (uintptr_t)&fence));
	while (n)
		close(dups[--n]);
}

/* A primary plane with CRTC_W or CRTC_H 0 is invisible: virtio_gpu's plane check
 * (drm_atomic_helper_check_plane_state) finds no scaling and skips the coverage check. */
static void invisible_primary(void)
{
	struct drm_event_vblank ev;
	struct drm_mode_crtc_page_flip pf = { .crtc_id = crtc, .fb_id = fbs[1] };
	struct setting set[3] = { { plane, "FB_ID", fbs[1] } };

	set[1] = (struct setting){ plane, "CRTC_W", 0 };
	show("TEST_ONLY primary CRTC_W 0", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 2));
	set[1] = (struct setting){ plane, "CRTC_H", 0 };
	show("TEST_ONLY primary CRTC_H 0", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 2));
	set[1] = (struct setting){ plane, "CRTC_W", 1 };
	show("TEST_ONLY primary CRTC_W 1", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 2));
	set[1] = (struct setting){ plane, "CRTC_W", 0 };
	set[2] = (struct setting){ plane, "SRC_W", (uint64_t)(mode.hdisplay + 1) << 16 };
	show("TEST_ONLY primary CRTC_W 0, SRC_W past the fb",
	     atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 3));
	set[2] = (struct setting){ plane, "SRC_W", 0 };
	show("TEST_ONLY primary CRTC_W 0, SRC_W 0", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 3));
	set[2] = (struct setting){ plane, "CRTC_X", 5 };
	show("TEST_ONLY primary CRTC_W 0 at x 5", atomic(DRM_MODE_ATOMIC_TEST_ONLY, set, 3));
	set[1] = (struct setting){ plane, "CRTC_H", 0 };
	show("primary CRTC_H 0 with event", atomic(DRM_MODE_PAGE_FLIP_EVENT, set, 2));
	show("its event read", read(fd, &ev, sizeof(ev)));
	printf("  type %u crtc %s\n", ev.base.type, ev.crtc_id == crtc ? "<crtc>" : "other");
	/* the screen keeps fbs[0] (blue): nothing is sent for an invisible plane */
	printf("shot: %d\n", system("shot drmfence-invisible"));
	show_crtc("GETCRTC invisible primary");
	printf("  CRTC_H %llu\n", (unsigned long long)drm_prop_value(fd, plane, "CRTC_H"));
	show("PAGE_FLIP invisible primary", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf));
	printf("  CRTC_H %llu\n", (unsigned long long)drm_prop_value(fd, plane, "CRTC_H"));
	/* still blue: the flip keeps the plane's rectangles, so it stays invisible */
	printf("shot: %d\n", system("shot drmfence-invisible-flip"));
	set[0] = (struct setting){ plane, "CRTC_H", mode.vdisplay };
	show("primary visible again", atomic(0, set, 1));
	show_crtc("GETCRTC visible primary");
}

static void no_primary(void)
{
	int32_t fence = 1234;
	struct drm_event_vblank ev;
	struct drm_mode_crtc_page_flip pf = { .crtc_id = crtc, .fb_id = fbs[0] };
	struct drm_mode_crtc sc = { .crtc_id = crtc, .fb_id = (uint32_t)-1,
				    .set_connectors_ptr = (uintptr_t)&conn,
				    .count_connectors = 1, .mode_valid = 1, .mode = mode };
	struct setting off[] = {
		{ crtc, "OUT_FENCE_PTR", (uintptr_t)&fence },
		{ plane, "FB_ID", 0 }, { plane, "CRTC_ID", 0 },
	};
	struct setting on[] = {
		{ plane, "FB_ID", fbs[1] }, { plane, "CRTC_ID", crtc },
	};

	show("TEST_ONLY CRTC on, primary plane off",
	     atomic(DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET, off + 1, 2));
	show("CRTC on, primary plane off, event and fence",
	     atomic(DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_PAGE_FLIP_EVENT, off, 3));
	show("its event read", read(fd, &ev, sizeof(ev)));
	printf("  type %u crtc %s\n", ev.base.type, ev.crtc_id == crtc ? "<crtc>" : "other");
	show_poll("its fence poll", fence);
	close(fence);
	show_crtc("GETCRTC without primary");
	show("PAGE_FLIP without primary", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf));
	show("SETCRTC fb -1 without primary", drm(fd, DRM_IOCTL_MODE_SETCRTC, &sc));
	show("primary plane back on", atomic(0, on, 2));
	show_crtc("GETCRTC with primary");
	show("PAGE_FLIP with primary", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf));
}

int main(void)
{
	struct drm_set_client_cap up = { DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1 };
	struct drm_set_client_cap at = { DRM_CLIENT_CAP_ATOMIC, 1 };
	struct drm_mode_create_blob b;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open");
	if (drm(fd, DRM_IOCTL_SET_CLIENT_CAP, &up) < 0 || drm(fd, DRM_IOCTL_SET_CLIENT_CAP, &at) < 0)
		die("SET_CLIENT_CAP");
	find_objects();
	fbs[0] = make_fb(0x204060);
	fbs[1] = make_fb(0xc00000);
	b = (struct drm_mode_create_blob){ .data = (uintptr_t)&mode, .length = sizeof(mode) };
	if (drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &b) < 0)
		die("CREATEPROPBLOB");
	mode_blob = b.blob_id;
	out_fences();
	in_fence_state();
	out_fence_failures();
	invisible_primary();
	no_primary();
	return 0;
}
