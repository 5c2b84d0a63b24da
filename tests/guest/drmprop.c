/* drmprop: KMS properties and atomic modesetting on /dev/dri/card0 (virtio-gpu),
 * straight through the uapi headers: the property lists of the connector, CRTC and
 * primary plane for legacy and atomic clients, GETPROPERTY, property blobs (EDID,
 * MODE_ID, blobs of our own and their ownership), legacy DPMS, OBJ_SETPROPERTY and
 * MODE_ATOMIC (test-only, flips, modesets with and without ALLOW_MODESET), with bad
 * input from the master and from a second, non-master file. Object ids are printed
 * by name (they differ by design); property ids by the property's name. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "drmtest.h"

static int fd, fd2, fda;	/* master, second file, atomic reader */
static uint32_t crtc, conn, enc, plane;
static struct drm_mode_modeinfo mode;

/* Names for object ids: the fixed objects, then others in the order first seen.
 * Freed ids are handed out again (lowest first), so a name only holds until the
 * id is named anew. */
static struct { uint32_t id; char name[24]; } names[64];
static unsigned nr_names, nr_blobs;

/* Names id (a new object may get a freed object's id: the new name wins). */
static void name_id(uint32_t id, const char *name)
{
	unsigned i = 0;

	while (i < nr_names && names[i].id != id)
		i++;
	if (i == nr_names)
		nr_names++;
	names[i].id = id;
	snprintf(names[i].name, sizeof(names[0].name), "%s", name);
}

static const char *id_name(uint32_t id)
{
	char buf[24];

	if (!id)
		return "0";
	for (unsigned i = 0; i < nr_names; i++)
		if (names[i].id == id)
			return names[i].name;
	snprintf(buf, sizeof(buf), "blob%u", ++nr_blobs);
	name_id(id, buf);
	return names[nr_names - 1].name;
}

/* A property's name, flags and (for ids) a readable value. */
static struct drm_mode_get_property prop_info(uint32_t id)
{
	struct drm_mode_get_property p = { .prop_id = id };

	if (drm(fda, DRM_IOCTL_MODE_GETPROPERTY, &p))
		snprintf(p.name, sizeof(p.name), "?%s", errname(errno));
	return p;
}


static void print_value(const struct drm_mode_get_property *p, uint64_t v)
{
	if (p->flags & (DRM_MODE_PROP_BLOB | DRM_MODE_PROP_OBJECT)) {
		printf("%s", id_name(v));
		return;
	}
	if (p->flags & DRM_MODE_PROP_SIGNED_RANGE)
		printf("%lld", (long long)v);
	else
		printf("%llu", (unsigned long long)v);
}

/* Lists an object's properties (two calls) as name=value. */
static void list_props(const char *what, uint32_t obj, uint32_t type)
{
	struct drm_mode_obj_get_properties r = { .obj_id = obj, .obj_type = type };
	uint32_t ids[32];
	uint64_t values[32];

	if (drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r)) {
		show(what, -1);
		return;
	}
	r.props_ptr = (uintptr_t)ids;
	r.prop_values_ptr = (uintptr_t)values;
	show(what, drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	printf(" ");
	for (unsigned i = 0; i < r.count_props && i < 32; i++) {
		struct drm_mode_get_property p = prop_info(ids[i]);

		printf(" %s=", p.name);
		print_value(&p, values[i]);
	}
	printf("\n");
}

/* Describes one property: flags, values, enums. */
static void describe(uint32_t id)
{
	struct drm_mode_get_property p = { .prop_id = id };
	struct drm_mode_property_enum enums[8];
	uint64_t values[8];

	if (drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p))
		return show("GETPROPERTY", -1);
	p.values_ptr = (uintptr_t)values;
	p.enum_blob_ptr = (uintptr_t)enums;
	p.count_values = p.count_values > 8 ? 8 : p.count_values;
	p.count_enum_blobs = p.count_enum_blobs > 8 ? 8 : p.count_enum_blobs;
	printf("  %s flags %#x values", p.name, p.flags);
	if (drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p))
		return show(" GETPROPERTY", -1);
	for (unsigned i = 0; i < p.count_values; i++)
		if (p.flags & DRM_MODE_PROP_OBJECT)
			printf(" %#llx", (unsigned long long)values[i]);
		else
			printf(" %lld", (long long)values[i]);
	printf(" enums");
	for (unsigned i = 0; i < p.count_enum_blobs; i++)
		printf(" %s=%llu", enums[i].name, (unsigned long long)enums[i].value);
	printf("\n");
}

static void describe_all(uint32_t obj)
{
	struct drm_mode_obj_get_properties r = { .obj_id = obj, .count_props = 32 };
	uint32_t ids[32];
	uint64_t values[32];

	r.props_ptr = (uintptr_t)ids;
	r.prop_values_ptr = (uintptr_t)values;
	drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r);
	for (unsigned i = 0; i < r.count_props; i++)
		describe(ids[i]);
}

static uint32_t make_fb(uint32_t w, uint32_t h, const char *name)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_fb_cmd2 f = { .width = w, .height = h,
				      .pixel_format = DRM_FORMAT_XRGB8888 };

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return 0;
	f.handles[0] = c.handle;
	f.pitches[0] = c.pitch;
	if (drm(fd, DRM_IOCTL_MODE_ADDFB2, &f))
		return 0;
	name_id(f.fb_id, name);
	return f.fb_id;
}

static void find_objects(void)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_plane_res pr = { 0 };
	struct drm_mode_modeinfo modes[64];
	struct drm_mode_get_connector c = { 0 };
	uint32_t planes[8];

	res.crtc_id_ptr = (uintptr_t)&crtc;
	res.connector_id_ptr = (uintptr_t)&conn;
	res.encoder_id_ptr = (uintptr_t)&enc;
	res.count_crtcs = res.count_connectors = res.count_encoders = 1;
	show("GETRESOURCES", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	c.connector_id = conn;
	c.count_modes = 64;
	c.modes_ptr = (uintptr_t)modes;
	show("GETCONNECTOR", drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c));
	mode = modes[0];
	printf("  props %u, mode %s\n", c.count_props, mode.name);
	drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
	    &(struct drm_set_client_cap){ DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1 });
	pr.count_planes = 8;
	pr.plane_id_ptr = (uintptr_t)planes;
	drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr);
	for (unsigned i = 0; i < pr.count_planes && i < 8; i++)
		if (drm_prop_value(fda, planes[i], "type") == 1)
			plane = planes[i];
	name_id(crtc, "crtc");
	name_id(conn, "connector");
	name_id(enc, "encoder");
	name_id(plane, "primary");
}

/* Shows fb on the CRTC with the connector's first mode. */
static int setcrtc(uint32_t fb)
{
	return drm_setcrtc(fd, crtc, conn, &mode, fb);
}

static void getproperty_errors(void)
{
	struct drm_mode_get_property p = { .prop_id = drm_prop_id(fda, conn, "DPMS") };
	struct drm_mode_property_enum e[4];
	uint64_t v[4];

	show("GETPROPERTY DPMS counts", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	printf("  %s values %u enums %u\n", p.name, p.count_values, p.count_enum_blobs);
	p.count_enum_blobs = 2;
	p.count_values = 0;
	p.enum_blob_ptr = (uintptr_t)e;
	e[0].name[0] = 0;
	show("GETPROPERTY DPMS room for 2 enums", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	printf("  enums %u, first copied %d\n", p.count_enum_blobs, e[0].name[0] != 0);
	p.values_ptr = 8;
	p.count_values = 4;
	show("GETPROPERTY bad values pointer", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	p.values_ptr = (uintptr_t)v;
	p.enum_blob_ptr = 8;
	p.count_enum_blobs = 4;
	show("GETPROPERTY bad enums pointer", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	p.prop_id = crtc;
	show("GETPROPERTY with a CRTC's id", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	p.prop_id = 0;
	show("GETPROPERTY id 0", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	p.prop_id = 0x7fffffff;
	show("GETPROPERTY unknown id", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p));
	show("GETPROPERTY bad argument", drm(fd, DRM_IOCTL_MODE_GETPROPERTY, (void *)8));
}

static void obj_getproperties_errors(uint32_t fb)
{
	struct drm_mode_obj_get_properties r = { .obj_id = conn };
	uint32_t ids[8];
	uint64_t values[8];

	show("OBJ_GETPROPERTIES count", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	printf("  count %u\n", r.count_props);
	r.count_props = 2;
	r.props_ptr = (uintptr_t)ids;
	r.prop_values_ptr = (uintptr_t)values;
	show("OBJ_GETPROPERTIES room for 2", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	printf("  count %u first %s\n", r.count_props, prop_info(ids[0]).name);
	r.props_ptr = 8;
	r.count_props = 8;
	show("OBJ_GETPROPERTIES bad ids pointer", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.props_ptr = (uintptr_t)ids;
	r.prop_values_ptr = 8;
	show("OBJ_GETPROPERTIES bad values pointer", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.prop_values_ptr = (uintptr_t)values;
	r.obj_type = DRM_MODE_OBJECT_CRTC;
	show("OBJ_GETPROPERTIES connector as a CRTC", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.obj_type = DRM_MODE_OBJECT_CONNECTOR;
	show("OBJ_GETPROPERTIES connector typed", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.obj_type = 0;
	r.obj_id = enc;
	show("OBJ_GETPROPERTIES encoder", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.obj_id = fb;
	show("OBJ_GETPROPERTIES framebuffer", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.obj_id = drm_prop_id(fda, conn, "DPMS");
	show("OBJ_GETPROPERTIES property", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.obj_id = 0x7fffffff;
	show("OBJ_GETPROPERTIES unknown id", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
	r.obj_id = 0;
	show("OBJ_GETPROPERTIES id 0", drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r));
}

static void blobs(void)
{
	uint32_t edid = drm_prop_value(fda, conn, "EDID");
	struct drm_mode_get_blob g = { .blob_id = edid };
	uint8_t data[1024], sum = 0;
	struct drm_mode_create_blob c = { .data = (uintptr_t)"hello blob", .length = 11 };
	struct drm_mode_destroy_blob d;

	show("GETPROPBLOB EDID length", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	printf("  length %u\n", g.length);
	g.data = (uintptr_t)data;
	g.length -= 1;
	data[0] = 0x55;
	show("GETPROPBLOB EDID short length", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	printf("  length %u untouched %d\n", g.length, data[0] == 0x55);
	show("GETPROPBLOB EDID", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	for (unsigned i = 0; i < 128; i++)
		sum += data[i];
	printf("  header %02x%02x%02x%02x block sum %u extensions %u\n", data[0], data[1],
	       data[2], data[3], sum, data[126]);
	g.data = 8;
	show("GETPROPBLOB bad pointer", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	g.blob_id = crtc;
	show("GETPROPBLOB with a CRTC's id", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	show("CREATEPROPBLOB", drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c));
	name_id(c.blob_id, "myblob");
	g = (struct drm_mode_get_blob){ .blob_id = c.blob_id, .length = 11,
					.data = (uintptr_t)data };
	show("GETPROPBLOB own blob", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	printf("  \"%s\" length %u\n", data, g.length);
	show("GETPROPBLOB own blob from the second file", drm(fd2, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	c.length = 0;
	show("CREATEPROPBLOB length 0", drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c));
	c.length = 16;
	c.data = 8;
	show("CREATEPROPBLOB bad pointer", drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &c));
	c.data = (uintptr_t)data;
	show("CREATEPROPBLOB from the second file", drm(fd2, DRM_IOCTL_MODE_CREATEPROPBLOB, &c));
	name_id(c.blob_id, "blob-of-fd2");
	d.blob_id = g.blob_id;
	show("DESTROYPROPBLOB another file's", drm(fd2, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d));
	d.blob_id = edid;
	show("DESTROYPROPBLOB the EDID", drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d));
	d.blob_id = crtc;
	show("DESTROYPROPBLOB a CRTC", drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d));
	d.blob_id = g.blob_id;
	show("DESTROYPROPBLOB own", drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d));
	show("DESTROYPROPBLOB own again", drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d));
	show("GETPROPBLOB destroyed", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	g.blob_id = c.blob_id;
	show("GETPROPBLOB the second file's", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
}

static int setprop(int f, uint32_t obj, const char *name, uint64_t v)
{
	struct drm_mode_obj_set_property s = { .value = v, .prop_id = drm_prop_id(fda, obj, name),
					       .obj_id = obj };

	return drm(f, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &s);
}

static void crtc_state(const char *when)
{
	struct drm_mode_crtc c = { .crtc_id = crtc };

	drm(fd, DRM_IOCTL_MODE_GETCRTC, &c);
	printf("  %s: GETCRTC fb %s mode_valid %u; DPMS %llu ACTIVE %llu plane FB_ID %s\n",
	       when, id_name(c.fb_id), c.mode_valid,
	       (unsigned long long)drm_prop_value(fda, conn, "DPMS"),
	       (unsigned long long)drm_prop_value(fda, crtc, "ACTIVE"),
	       id_name(drm_prop_value(fda, plane, "FB_ID")));
}

static void legacy_setproperty(void)
{
	struct drm_mode_connector_set_property s = { .connector_id = conn,
						     .prop_id = drm_prop_id(fda, conn, "DPMS") };

	s.value = DRM_MODE_DPMS_OFF;
	show("SETPROPERTY DPMS Off", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	crtc_state("after DPMS Off");
	s.value = DRM_MODE_DPMS_OFF;
	show("SETPROPERTY DPMS Off again", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.value = DRM_MODE_DPMS_ON;
	show("SETPROPERTY DPMS On", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	crtc_state("after DPMS On");
	s.value = DRM_MODE_DPMS_STANDBY;
	show("SETPROPERTY DPMS Standby", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	crtc_state("after DPMS Standby");
	s.value = 7;
	show("SETPROPERTY DPMS 7", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.value = DRM_MODE_DPMS_ON;
	show("SETPROPERTY DPMS On from a non-master", drm(fd2, DRM_IOCTL_MODE_SETPROPERTY, &s));
	show("SETPROPERTY DPMS On", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.connector_id = crtc;
	show("SETPROPERTY on a CRTC id", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.connector_id = conn;
	s.prop_id = drm_prop_id(fda, plane, "type");
	show("SETPROPERTY a plane property", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.prop_id = drm_prop_id(fda, conn, "non-desktop");
	s.value = 1;
	show("SETPROPERTY immutable non-desktop", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.prop_id = drm_prop_id(fda, conn, "link-status");
	show("SETPROPERTY link-status Bad", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	printf("  link-status %llu\n", (unsigned long long)drm_prop_value(fda, conn, "link-status"));
	s.value = 5;
	show("SETPROPERTY link-status 5", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
	s.prop_id = 0x7fffffff;
	show("SETPROPERTY unknown property", drm(fd, DRM_IOCTL_MODE_SETPROPERTY, &s));
}

static void obj_setproperty(uint32_t fb1, uint32_t fb2)
{
	struct drm_mode_obj_set_property s = { .obj_id = plane, .obj_type = DRM_MODE_OBJECT_CRTC,
					       .prop_id = drm_prop_id(fda, plane, "FB_ID"), .value = fb2 };

	show("OBJ_SETPROPERTY plane typed as CRTC", drm(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, &s));
	show("OBJ_SETPROPERTY FB_ID from a non-master", setprop(fd2, plane, "FB_ID", fb2));
	show("OBJ_SETPROPERTY FB_ID fb2", setprop(fd, plane, "FB_ID", fb2));
	crtc_state("after FB_ID fb2");
	show("OBJ_SETPROPERTY FB_ID 0", setprop(fd, plane, "FB_ID", 0));
	show("OBJ_SETPROPERTY FB_ID of a CRTC", setprop(fd, plane, "FB_ID", crtc));
	show("OBJ_SETPROPERTY FB_ID fb1", setprop(fd, plane, "FB_ID", fb1));
	show("OBJ_SETPROPERTY SRC_X 1.0 (beyond the fb)", setprop(fd, plane, "SRC_X", 1 << 16));
	show("OBJ_SETPROPERTY CRTC_W 100 (scaling)", setprop(fd, plane, "CRTC_W", 100));
	show("OBJ_SETPROPERTY CRTC_X -1", setprop(fd, plane, "CRTC_X", (uint64_t)-1));
	show("OBJ_SETPROPERTY CRTC_X 2^31 (out of range)", setprop(fd, plane, "CRTC_X", 1ull << 31));
	show("OBJ_SETPROPERTY IN_FENCE_FD 0", setprop(fd, plane, "IN_FENCE_FD", 0));
	show("OBJ_SETPROPERTY IN_FENCE_FD -1", setprop(fd, plane, "IN_FENCE_FD", (uint64_t)-1));
	show("OBJ_SETPROPERTY type", setprop(fd, plane, "type", 1));
	show("OBJ_SETPROPERTY ACTIVE 0 (a modeset)", setprop(fd, crtc, "ACTIVE", 0));
	show("OBJ_SETPROPERTY ACTIVE 1 (unchanged)", setprop(fd, crtc, "ACTIVE", 1));
	show("OBJ_SETPROPERTY ACTIVE 2", setprop(fd, crtc, "ACTIVE", 2));
	show("OBJ_SETPROPERTY VRR_ENABLED 1", setprop(fd, crtc, "VRR_ENABLED", 1));
	printf("  VRR_ENABLED %llu\n", (unsigned long long)drm_prop_value(fda, crtc, "VRR_ENABLED"));
	show("OBJ_SETPROPERTY VRR_ENABLED 0", setprop(fd, crtc, "VRR_ENABLED", 0));
	show("OBJ_SETPROPERTY OUT_FENCE_PTR 0", setprop(fd, crtc, "OUT_FENCE_PTR", 0));
	show("OBJ_SETPROPERTY connector CRTC_ID 0", setprop(fd, conn, "CRTC_ID", 0));
	show("OBJ_SETPROPERTY connector CRTC_ID same", setprop(fd, conn, "CRTC_ID", crtc));
	show("OBJ_SETPROPERTY DPMS Off on the connector", setprop(fd, conn, "DPMS", 3));
	show("OBJ_SETPROPERTY DPMS On on the connector", setprop(fd, conn, "DPMS", 0));
	crtc_state("after OBJ_SETPROPERTY");
}

/* One MODE_ATOMIC request of up to 4 objects with up to 16 properties in all. */
struct req {
	uint32_t objs[4], counts[4], props[16];
	uint64_t values[16];
	unsigned nobj, nprop;
};

static void add(struct req *r, uint32_t obj, const char *name, uint64_t v)
{
	if (!r->nobj || r->objs[r->nobj - 1] != obj) {
		r->objs[r->nobj] = obj;
		r->counts[r->nobj++] = 0;
	}
	r->counts[r->nobj - 1]++;
	r->props[r->nprop] = drm_prop_id(fda, obj, name);
	r->values[r->nprop++] = v;
}

static int commit(int f, struct req *r, uint32_t flags)
{
	struct drm_mode_atomic a = {
		.flags = flags, .user_data = 0x1234, .count_objs = r->nobj, .objs_ptr = (uintptr_t)r->objs,
		.count_props_ptr = (uintptr_t)r->counts, .props_ptr = (uintptr_t)r->props,
		.prop_values_ptr = (uintptr_t)r->values,
	};

	return drm(f, DRM_IOCTL_MODE_ATOMIC, &a);
}

static void enable(struct req *r, uint32_t fb, uint32_t mode_blob)
{
	add(r, conn, "CRTC_ID", crtc);
	add(r, crtc, "ACTIVE", 1);
	add(r, crtc, "MODE_ID", mode_blob);
	add(r, plane, "FB_ID", fb);
	add(r, plane, "CRTC_ID", crtc);
	add(r, plane, "SRC_X", 0);
	add(r, plane, "SRC_Y", 0);
	add(r, plane, "SRC_W", (uint64_t)mode.hdisplay << 16);
	add(r, plane, "SRC_H", (uint64_t)mode.vdisplay << 16);
	add(r, plane, "CRTC_X", 0);
	add(r, plane, "CRTC_Y", 0);
	add(r, plane, "CRTC_W", mode.hdisplay);
	add(r, plane, "CRTC_H", mode.vdisplay);
}

/* Reads one event and prints what it says. */
static void read_event(const char *what)
{
	struct drm_event_vblank ev[2];
	ssize_t n = read(fd, ev, sizeof(ev));

	if (n < 0) {
		show(what, -1);
		return;
	}
	printf("%s: %zd bytes: type %s length %u user_data %#llx crtc %s sequence %u\n", what,
	       n, ev[0].base.type == DRM_EVENT_FLIP_COMPLETE ? "FLIP_COMPLETE" : "other",
	       ev[0].base.length, (unsigned long long)ev[0].user_data, id_name(ev[0].crtc_id),
	       ev[0].sequence);
}

static void events(uint32_t fb1, uint32_t fb2)
{
	struct req r = { 0 };

	add(&r, plane, "FB_ID", fb2);
	show("ATOMIC flip with an event", commit(fd, &r, DRM_MODE_PAGE_FLIP_EVENT));
	read_event("  read");
	r.values[0] = fb1;
	show("ATOMIC NONBLOCK flip with an event", commit(fd, &r, DRM_MODE_PAGE_FLIP_EVENT |
							  DRM_MODE_ATOMIC_NONBLOCK));
	read_event("  blocking read");
	r = (struct req){ 0 };
	add(&r, crtc, "ACTIVE", 0);
	show("ATOMIC ACTIVE 0 with an event", commit(fd, &r, DRM_MODE_PAGE_FLIP_EVENT |
						     DRM_MODE_ATOMIC_ALLOW_MODESET));
	read_event("  read");
	r = (struct req){ 0 };
	add(&r, crtc, "VRR_ENABLED", 0);
	show("ATOMIC event on an inactive CRTC", commit(fd, &r, DRM_MODE_PAGE_FLIP_EVENT));
	r = (struct req){ 0 };
	add(&r, crtc, "ACTIVE", 1);
	show("ATOMIC ACTIVE 1", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	crtc_state("at the end");
}

static void atomic(uint32_t fb1, uint32_t fb2)
{
	struct req r = { 0 };
	struct drm_mode_atomic a = { 0 };
	struct drm_mode_create_blob mb = { .data = (uintptr_t)&mode, .length = sizeof(mode) };
	struct drm_mode_create_blob bad = { .data = (uintptr_t)&mode, .length = 20 };
	struct drm_mode_destroy_blob d;

	add(&r, plane, "FB_ID", fb2);
	show("ATOMIC without the atomic cap", commit(fd, &r, 0));
	show("SET_CLIENT_CAP ATOMIC", drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
					  &(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 }));
	drm(fd2, DRM_IOCTL_SET_CLIENT_CAP, &(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 });
	list_props("OBJ_GETPROPERTIES connector (atomic)", conn, 0);
	list_props("OBJ_GETPROPERTIES CRTC (atomic)", crtc, 0);
	list_props("OBJ_GETPROPERTIES plane (atomic)", plane, 0);
	show("ATOMIC from a non-master", commit(fd2, &r, 0));
	show("ATOMIC unknown flag", commit(fd, &r, 0x1000));
	show("ATOMIC ASYNC", commit(fd, &r, DRM_MODE_PAGE_FLIP_ASYNC));
	show("ATOMIC TEST_ONLY with an event", commit(fd, &r,
		DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_PAGE_FLIP_EVENT));
	a.reserved = 1;
	show("ATOMIC reserved", drm(fd, DRM_IOCTL_MODE_ATOMIC, &a));
	a.reserved = 0;
	show("ATOMIC nothing", drm(fd, DRM_IOCTL_MODE_ATOMIC, &a));
	a.count_objs = 1;
	a.objs_ptr = 8;
	show("ATOMIC bad objects pointer", drm(fd, DRM_IOCTL_MODE_ATOMIC, &a));
	show("ATOMIC bad argument", drm(fd, DRM_IOCTL_MODE_ATOMIC, (void *)8));
	show("ATOMIC TEST_ONLY flip", commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY));
	crtc_state("after the test");
	show("ATOMIC flip to fb2", commit(fd, &r, 0));
	crtc_state("after the flip");
	r.values[0] = fb1;
	show("ATOMIC NONBLOCK flip to fb1", commit(fd, &r, DRM_MODE_ATOMIC_NONBLOCK));
	crtc_state("after the flip");
	r.objs[0] = 0x7fffffff;
	show("ATOMIC unknown object", commit(fd, &r, 0));
	r.objs[0] = enc;
	show("ATOMIC encoder", commit(fd, &r, 0));
	r.objs[0] = plane;
	r.props[0] = drm_prop_id(fda, crtc, "ACTIVE");
	show("ATOMIC CRTC property on the plane", commit(fd, &r, 0));
	r.props[0] = 0x7fffffff;
	show("ATOMIC unknown property", commit(fd, &r, 0));
	r.props[0] = drm_prop_id(fda, plane, "FB_ID");
	r.values[0] = 0x7fffffff;
	show("ATOMIC FB_ID unknown", commit(fd, &r, 0));
	r = (struct req){ 0 };
	add(&r, plane, "FB_ID", fb2);
	add(&r, plane, "CRTC_X", 16);
	show("ATOMIC plane not covering the CRTC", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	r = (struct req){ 0 };
	add(&r, plane, "SRC_W", (uint64_t)(mode.hdisplay + 1) << 16);
	add(&r, plane, "CRTC_W", mode.hdisplay + 1);
	show("ATOMIC source wider than the fb", commit(fd, &r, 0));
	r = (struct req){ 0 };
	add(&r, conn, "DPMS", 3);
	show("ATOMIC DPMS", commit(fd, &r, 0));
	r = (struct req){ 0 };
	add(&r, crtc, "ACTIVE", 0);
	show("ATOMIC ACTIVE 0 without ALLOW_MODESET", commit(fd, &r, 0));
	show("ATOMIC ACTIVE 0 TEST_ONLY", commit(fd, &r, DRM_MODE_ATOMIC_TEST_ONLY |
						   DRM_MODE_ATOMIC_ALLOW_MODESET));
	crtc_state("after the test");
	show("ATOMIC ACTIVE 0", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	crtc_state("after ACTIVE 0");
	r.values[0] = 1;
	show("ATOMIC ACTIVE 1", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	crtc_state("after ACTIVE 1");
	r = (struct req){ 0 };
	add(&r, crtc, "MODE_ID", 0);
	show("ATOMIC MODE_ID 0 while active", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	r = (struct req){ 0 };
	add(&r, conn, "CRTC_ID", 0);
	add(&r, crtc, "ACTIVE", 0);
	add(&r, crtc, "MODE_ID", 0);
	add(&r, plane, "FB_ID", 0);
	add(&r, plane, "CRTC_ID", 0);
	show("ATOMIC all off", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	crtc_state("after all off");
	list_props("OBJ_GETPROPERTIES plane (off)", plane, 0);
	show("CREATEPROPBLOB a mode", drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &mb));
	name_id(mb.blob_id, "modeblob");
	show("CREATEPROPBLOB 20 bytes", drm(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &bad));
	name_id(bad.blob_id, "shortblob");
	r = (struct req){ 0 };
	enable(&r, fb1, bad.blob_id);
	show("ATOMIC enable with a 20-byte MODE_ID", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	r.values[2] = mb.blob_id;
	show("ATOMIC enable without ALLOW_MODESET", commit(fd, &r, 0));
	r.values[0] = 0;
	show("ATOMIC enable without the connector", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	r.values[0] = crtc;
	r.values[1] = 0;
	show("ATOMIC enable, ACTIVE 0", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET |
					       DRM_MODE_ATOMIC_TEST_ONLY));
	r.values[1] = 1;
	show("ATOMIC enable TEST_ONLY", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET |
					       DRM_MODE_ATOMIC_TEST_ONLY));
	crtc_state("after the test");
	show("ATOMIC enable", commit(fd, &r, DRM_MODE_ATOMIC_ALLOW_MODESET));
	crtc_state("after enable");
	list_props("OBJ_GETPROPERTIES CRTC", crtc, 0);
	list_props("OBJ_GETPROPERTIES plane", plane, 0);
	d.blob_id = mb.blob_id;
	show("DESTROYPROPBLOB the MODE_ID blob in use", drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &d));
	printf("  MODE_ID %s\n", id_name(drm_prop_value(fda, crtc, "MODE_ID")));
	show("ATOMIC flip after destroying", commit(fd, &r, 0));
	events(fb1, fb2);
}

int main(void)
{
	uint32_t fb1, fb2;

	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	fd2 = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	fda = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0 || fd2 < 0 || fda < 0)
		return perror("open /dev/dri/card0"), 1;
	drm(fda, DRM_IOCTL_SET_CLIENT_CAP, &(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 });
	find_objects();
	fb1 = make_fb(mode.hdisplay, mode.vdisplay, "fb1");
	fb2 = make_fb(mode.hdisplay, mode.vdisplay, "fb2");
	show("SETCRTC fb1", setcrtc(fb1));
	list_props("OBJ_GETPROPERTIES connector", conn, 0);
	list_props("OBJ_GETPROPERTIES CRTC", crtc, 0);
	list_props("OBJ_GETPROPERTIES plane", plane, DRM_MODE_OBJECT_PLANE);
	printf("connector properties:\n");
	describe_all(conn);
	printf("CRTC properties:\n");
	describe_all(crtc);
	getproperty_errors();
	obj_getproperties_errors(fb1);
	blobs();
	legacy_setproperty();
	obj_setproperty(fb1, fb2);
	atomic(fb1, fb2);
	printf("all properties (atomic):\n");
	describe_all(conn);
	describe_all(crtc);
	describe_all(plane);
	close(fd2);
	fd2 = -1;
	{
		struct drm_mode_get_blob g = { .blob_id = 0 };

		for (unsigned i = 0; i < nr_names; i++)
			if (!strcmp(names[i].name, "blob-of-fd2"))
				g.blob_id = names[i].id;
		show("GETPROPBLOB a closed file's blob", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	}
	return 0;
}
