/* drmvblank: vblank handling on the vkms card (/dev/dri/card0 of a job booted with
 * lumen.vkms=1, no GPU), after vkms's objects (their ids, the planes' formats and
 * IN_FORMATS blobs, ADDFB2 with the formats and modifiers they take): WAIT_VBLANK (relative, absolute, NEXTONMISS, events, the
 * high-CRTC bits, bad flags and pointers), CRTC_GET_SEQUENCE, CRTC_QUEUE_SEQUENCE
 * (RELATIVE, NEXT_ON_MISS, DRM_EVENT_CRTC_SEQUENCE), the events read() back (order,
 * short and non-blocking reads, poll), the event space, a flip-complete event's
 * sequence, the CRTC off (pending events sent, the ioctls -EINVAL) and on again, a
 * wait interrupted by a signal, and a file closed with events pending. The console lights the CRTC at boot on both
 * kernels. Only facts that do not depend on timing are printed: sequence deltas and
 * comparisons, timestamps as "a vblank time at or before now, on the frame grid". */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "drmtest.h"

#define NSEC 1000000000ULL

/* An unmapped address the compiler cannot see through. */
static volatile uintptr_t bad_address = 8;
static uint32_t crtc_id, connector_id;
static struct drm_mode_modeinfo mode;
static uint64_t period_ns;	/* the mode's frame duration */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static const char *yes(int b)
{
	return b ? "yes" : "no";
}

/* Whether t (ns) is a vblank time: at or before now and less than a second ago. */
static int recent(uint64_t t)
{
	uint64_t n = now_ns();

	return t <= n && n - t < NSEC;
}

/* Whether the vblank times t1 and t2 (ns, from microsecond fields: 2 us of rounding)
 * are n frames apart. */
static int frames_apart(uint64_t t1, uint64_t t2, uint64_t n)
{
	int64_t d = (int64_t)(t2 - t1) - (int64_t)(n * period_ns);

	return d > -2000 && d < 2000;
}

/* WAIT_VBLANK of type and sequence (signal as the event's user data), unretried. */
static int wait_vbl(int fd, unsigned type, unsigned seq, unsigned long signal,
		    union drm_wait_vblank *v)
{
	memset(v, 0, sizeof(*v));
	v->request.type = type;
	v->request.sequence = seq;
	v->request.signal = signal;
	return ioctl(fd, DRM_IOCTL_WAIT_VBLANK, v);
}

/* The current count (WAIT_VBLANK RELATIVE 0) and the time of that vblank. */
static uint32_t count(int fd, uint64_t *when)
{
	union drm_wait_vblank v;

	if (wait_vbl(fd, _DRM_VBLANK_RELATIVE, 0, 0, &v) < 0) {
		printf("query: -1 %s\n", errname(errno));
		return 0;
	}
	if (when)
		*when = v.reply.tval_sec * NSEC + v.reply.tval_usec * 1000ULL;
	return v.reply.sequence;
}

/* Reads one event (waiting up to 2 s for it) into buf; its length or -1. */
static int read_event(int fd, void *buf, size_t size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 2000) != 1)
		return -1;
	return read(fd, buf, size);
}

/* Whether an event is queued right now. */
static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static int setup(int fd)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_connector conn = { 0 };
	struct drm_mode_crtc crtc = { 0 };
	uint32_t crtcs[4], encs[4], conns[4];
	struct drm_mode_modeinfo modes[64];

	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.connector_id_ptr = (uintptr_t)conns;
	res.count_crtcs = res.count_encoders = res.count_connectors = 4;
	if (drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res) < 0)
		return -1;
	printf("crtcs %u connectors %u\n", res.count_crtcs, res.count_connectors);
	crtc_id = crtcs[0];
	connector_id = conns[0];
	conn.connector_id = connector_id;
	conn.modes_ptr = (uintptr_t)modes;
	conn.count_modes = 64;
	if (drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn) < 0)
		return -1;
	printf("connector type %u connection %u modes %u preferred %s %u Hz\n",
	       conn.connector_type, conn.connection, conn.count_modes, modes[0].name,
	       modes[0].vrefresh);
	mode = modes[0];
	period_ns = (uint64_t)mode.htotal * mode.vtotal * 1000000 / mode.clock;
	crtc.crtc_id = crtc_id;
	show("GETCRTC", drm(fd, DRM_IOCTL_MODE_GETCRTC, &crtc));
	printf("lit by the console: mode_valid %u %s\n", crtc.mode_valid, crtc.mode.name);
	return 0;
}

/* A fourcc as its four characters. */
static const char *fourcc(uint32_t f)
{
	static char s[5];

	for (int k = 0; k < 4; k++)
		s[k] = (char)(f >> (8 * k));
	return s;
}

/* Plane p's IN_FORMATS blob (id blob): its header, formats and modifiers. */
static void in_formats(int fd, uint32_t blob)
{
	uint64_t data[64] = { 0 };
	struct drm_mode_get_blob g = { .blob_id = blob };
	const struct drm_format_modifier_blob *h = (const void *)data;

	show("  GETPROPBLOB size", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	printf("  blob length %u\n", g.length);
	if (g.length > sizeof(data))
		return;
	g.data = (uintptr_t)data;
	show("  GETPROPBLOB", drm(fd, DRM_IOCTL_MODE_GETPROPBLOB, &g));
	printf("  version %u flags %u formats %u at %u modifiers %u at %u\n", h->version,
	       h->flags, h->count_formats, h->formats_offset, h->count_modifiers,
	       h->modifiers_offset);
	if (h->formats_offset + 4ull * h->count_formats > g.length ||
	    h->modifiers_offset + 24ull * h->count_modifiers > g.length)
		return;
	printf("  formats:");
	for (uint32_t k = 0; k < h->count_formats; k++)
		printf(" %s", fourcc(((const uint32_t *)((const char *)data +
							 h->formats_offset))[k]));
	printf("\n");
	for (uint32_t k = 0; k < h->count_modifiers; k++) {
		const struct drm_format_modifier *m = (const struct drm_format_modifier *)
			((const char *)data + h->modifiers_offset) + k;

		printf("  modifier 0x%llx formats 0x%llx offset %u pad %u\n",
		       (unsigned long long)m->modifier, (unsigned long long)m->formats,
		       m->offset, m->pad);
	}
	show("  DESTROYPROPBLOB IN_FORMATS",
	     drm(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &(struct drm_mode_destroy_blob){ blob }));
}

/* The mode objects' ids, each plane's formats and its IN_FORMATS blob, as user space
 * sees them (modetest -p). */
static void planes(int fd)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_plane_res pr = { 0 };
	uint32_t crtcs[4], encs[4], conns[4], ids[8], formats[16];

	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.connector_id_ptr = (uintptr_t)conns;
	res.count_crtcs = res.count_encoders = res.count_connectors = 4;
	show("GETRESOURCES", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	printf("crtc %u encoder %u connector %u\n", crtcs[0], encs[0], conns[0]);
	drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
	    &(struct drm_set_client_cap){ DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1 });
	pr.plane_id_ptr = (uintptr_t)ids;
	pr.count_planes = 8;
	show("GETPLANERESOURCES", drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr));
	for (uint32_t k = 0; k < pr.count_planes && k < 8; k++) {
		struct drm_mode_get_plane p = { .plane_id = ids[k], .count_format_types = 16,
						.format_type_ptr = (uintptr_t)formats };
		uint64_t blob = drm_prop_value(fd, ids[k], "IN_FORMATS");

		show("GETPLANE", drm(fd, DRM_IOCTL_MODE_GETPLANE, &p));
		printf("plane %u type %llu possible_crtcs 0x%x formats %u:", ids[k],
		       (unsigned long long)drm_prop_value(fd, ids[k], "type"),
		       p.possible_crtcs, p.count_format_types);
		for (uint32_t j = 0; j < p.count_format_types && j < 16; j++)
			printf(" %s", fourcc(formats[j]));
		printf("\nIN_FORMATS %llu\n", (unsigned long long)blob);
		if (blob != ~0ull)
			in_formats(fd, (uint32_t)blob);
	}
}

/* ADDFB2 with each format a plane takes and some it does not, LINEAR and other
 * modifiers, pitches at and under width * bytes per pixel. */
static void addfb2(int fd)
{
	static const struct { uint32_t format, cpp; } list[] = {
		{ DRM_FORMAT_ARGB8888, 4 }, { DRM_FORMAT_XRGB8888, 4 },
		{ DRM_FORMAT_XRGB16161616, 8 }, { DRM_FORMAT_ARGB16161616, 8 },
		{ DRM_FORMAT_RGB565, 2 }, { DRM_FORMAT_XBGR8888, 4 },
		{ DRM_FORMAT_ABGR16161616, 8 }, { DRM_FORMAT_RGB888, 3 },
	};
	struct drm_mode_create_dumb c = { .width = 64, .height = 64, .bpp = 64 };
	char what[64];

	show("CREATE_DUMB 64x64x64", drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	for (size_t k = 0; k < sizeof(list) / sizeof(list[0]); k++) {
		struct drm_mode_fb_cmd2 f = { .width = 64, .height = 64,
					      .pixel_format = list[k].format,
					      .handles = { c.handle },
					      .pitches = { 64 * list[k].cpp } };
		struct drm_mode_fb_cmd2 mod = f, small = f;

		snprintf(what, sizeof(what), "ADDFB2 %s", fourcc(list[k].format));
		ok(what, drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
		if (f.fb_id)
			drm(fd, DRM_IOCTL_MODE_RMFB, &f.fb_id);
		mod.flags = DRM_MODE_FB_MODIFIERS;
		ok("  LINEAR", drm(fd, DRM_IOCTL_MODE_ADDFB2, &mod));
		if (mod.fb_id)
			drm(fd, DRM_IOCTL_MODE_RMFB, &mod.fb_id);
		mod.fb_id = 0;
		mod.modifier[0] = I915_FORMAT_MOD_X_TILED;
		ok("  X_TILED", drm(fd, DRM_IOCTL_MODE_ADDFB2, &mod));
		small.pitches[0]--;
		ok("  pitch one under", drm(fd, DRM_IOCTL_MODE_ADDFB2, &small));
	}
	drm(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &(struct drm_mode_destroy_dumb){ c.handle });
}

/* A mode-sized framebuffer of format (cpp bytes a pixel) in dumb buffer handle
 * with modifier (none, without the flag: -1); 0 when ADDFB2 failed. */
static uint32_t mode_fb(int fd, uint32_t handle, uint32_t format, uint32_t cpp,
			uint64_t modifier)
{
	struct drm_mode_fb_cmd2 f = { .width = mode.hdisplay, .height = mode.vdisplay,
				      .pixel_format = format, .handles = { handle },
				      .pitches = { mode.hdisplay * cpp } };

	if (modifier != (uint64_t)-1) {
		f.flags = DRM_MODE_FB_MODIFIERS;
		f.modifier[0] = modifier;
	}
	return drm(fd, DRM_IOCTL_MODE_ADDFB2, &f) < 0 ? 0 : f.fb_id;
}

/* An atomic TEST_ONLY commit showing fb's top-left w x h on the plane, at the
 * CRTC's top-left corner. */
static int plane_test(int fd, uint32_t plane, uint32_t fb, uint32_t w, uint32_t h)
{
	static const char *names[] = { "FB_ID", "CRTC_ID", "CRTC_X", "CRTC_Y", "CRTC_W",
				       "CRTC_H", "SRC_X", "SRC_Y", "SRC_W", "SRC_H" };
	uint64_t values[10] = { fb, crtc_id, 0, 0, w, h, 0, 0, (uint64_t)w << 16,
				(uint64_t)h << 16 };
	uint32_t props[10], count = 10;
	struct drm_mode_atomic a = { .flags = DRM_MODE_ATOMIC_TEST_ONLY, .count_objs = 1,
				     .objs_ptr = (uintptr_t)&plane,
				     .count_props_ptr = (uintptr_t)&count,
				     .props_ptr = (uintptr_t)props,
				     .prop_values_ptr = (uintptr_t)values };

	for (int k = 0; k < 10; k++)
		props[k] = drm_prop_id(fd, plane, names[k]);
	return drm(fd, DRM_IOCTL_MODE_ATOMIC, &a);
}

/* What the planes take of framebuffers ADDFB2 took: their formats, LINEAR only
 * (SETCRTC, PAGE_FLIP, atomic TEST_ONLY commits on the primary and cursor planes),
 * and GETFB2's modifier. */
static void plane_formats(int fd)
{
	struct drm_mode_create_dumb c = { .width = mode.hdisplay, .height = mode.vdisplay,
					  .bpp = 64 };
	struct drm_mode_get_plane_res pr = { 0 };
	uint32_t w = mode.hdisplay, h = mode.vdisplay;
	uint32_t ids[8], linear, tiled, xb24, ar24, xr48, ab48;
	struct drm_mode_fb_cmd2 g = { 0 };

	show("CREATE_DUMB mode-sized", drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	linear = mode_fb(fd, c.handle, DRM_FORMAT_XRGB8888, 4, DRM_FORMAT_MOD_LINEAR);
	tiled = mode_fb(fd, c.handle, DRM_FORMAT_XRGB8888, 4, I915_FORMAT_MOD_X_TILED);
	xb24 = mode_fb(fd, c.handle, DRM_FORMAT_XBGR8888, 4, -1);
	ar24 = mode_fb(fd, c.handle, DRM_FORMAT_ARGB8888, 4, -1);
	xr48 = mode_fb(fd, c.handle, DRM_FORMAT_XRGB16161616, 8, -1);
	ab48 = mode_fb(fd, c.handle, DRM_FORMAT_ABGR16161616, 8, -1);
	printf("framebuffers made: %d %d %d %d %d %d\n", !!linear, !!tiled, !!xb24, !!ar24,
	       !!xr48, !!ab48);
	g.fb_id = tiled;
	show("GETFB2 X_TILED", drm(fd, DRM_IOCTL_MODE_GETFB2, &g));
	printf("  flags %u modifier 0x%llx\n", g.flags, (unsigned long long)g.modifier[0]);
	g.fb_id = xb24;
	show("GETFB2 XB24", drm(fd, DRM_IOCTL_MODE_GETFB2, &g));
	printf("  flags %u modifier 0x%llx format %s\n", g.flags,
	       (unsigned long long)g.modifier[0], fourcc(g.pixel_format));
	show("SETCRTC X_TILED", drm_setcrtc(fd, crtc_id, connector_id, &mode, tiled));
	show("SETCRTC XB24", drm_setcrtc(fd, crtc_id, connector_id, &mode, xb24));
	show("SETCRTC AR24 (cursor only)", drm_setcrtc(fd, crtc_id, connector_id, &mode, ar24));
	show("SETCRTC LINEAR", drm_setcrtc(fd, crtc_id, connector_id, &mode, linear));
	show("PAGE_FLIP X_TILED", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP,
				      &(struct drm_mode_crtc_page_flip){ .crtc_id = crtc_id,
									  .fb_id = tiled }));
	show("SET_CLIENT_CAP ATOMIC", drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
					  &(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 }));
	pr.plane_id_ptr = (uintptr_t)ids;
	pr.count_planes = 8;
	if (drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr) < 0 || pr.count_planes != 2)
		return;
	show("primary XR48", plane_test(fd, ids[0], xr48, w, h));
	show("primary AR24", plane_test(fd, ids[0], ar24, w, h));
	show("primary X_TILED", plane_test(fd, ids[0], tiled, w, h));
	show("cursor AR24", plane_test(fd, ids[1], ar24, 64, 64));
	show("cursor XR48", plane_test(fd, ids[1], xr48, 64, 64));
	show("cursor XR24", plane_test(fd, ids[1], linear, 64, 64));
	show("cursor AB48", plane_test(fd, ids[1], ab48, 64, 64));
	show("cursor XB24", plane_test(fd, ids[1], xb24, 64, 64));
	show("cursor X_TILED", plane_test(fd, ids[1], tiled, 64, 64));
}

static void caps(int fd)
{
	static const struct { const char *name; uint64_t cap; } list[] = {
		{ "TIMESTAMP_MONOTONIC", DRM_CAP_TIMESTAMP_MONOTONIC },
		{ "CRTC_IN_VBLANK_EVENT", DRM_CAP_CRTC_IN_VBLANK_EVENT },
		{ "VBLANK_HIGH_CRTC", DRM_CAP_VBLANK_HIGH_CRTC },
		{ "DUMB_PREFERRED_DEPTH", DRM_CAP_DUMB_PREFERRED_DEPTH },
		{ "DUMB_PREFER_SHADOW", DRM_CAP_DUMB_PREFER_SHADOW },
		{ "ADDFB2_MODIFIERS", DRM_CAP_ADDFB2_MODIFIERS },
		{ "ASYNC_PAGE_FLIP", DRM_CAP_ASYNC_PAGE_FLIP },
		{ "PAGE_FLIP_TARGET", DRM_CAP_PAGE_FLIP_TARGET },
		{ "CURSOR_WIDTH", DRM_CAP_CURSOR_WIDTH },
		{ "CURSOR_HEIGHT", DRM_CAP_CURSOR_HEIGHT },
	};
	struct drm_version v = { 0 };
	char name[32] = "";

	v.name = name;
	v.name_len = sizeof(name) - 1;
	show("VERSION", drm(fd, DRM_IOCTL_VERSION, &v));
	printf("driver %s %d.%d.%d\n", name, v.version_major, v.version_minor,
	       v.version_patchlevel);
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		struct drm_get_cap c = { .capability = list[i].cap };
		int r = drm(fd, DRM_IOCTL_GET_CAP, &c);

		if (r < 0)
			show(list[i].name, r);
		else
			printf("GET_CAP %s: %llu\n", list[i].name, (unsigned long long)c.value);
	}
}

/* WAIT_VBLANK without events: queries, relative and absolute waits, NEXTONMISS. */
static void waits(int fd)
{
	union drm_wait_vblank v;
	uint64_t t0, t1;
	uint32_t c0, c1;
	int r;

	r = wait_vbl(fd, _DRM_VBLANK_RELATIVE, 0, 0, &v);
	show("query (RELATIVE 0)", r);
	t0 = v.reply.tval_sec * NSEC + v.reply.tval_usec * 1000ULL;
	printf("query: reply type 0x%x, a recent vblank time: %s\n", v.reply.type, yes(recent(t0)));
	c0 = v.reply.sequence;
	r = wait_vbl(fd, _DRM_VBLANK_RELATIVE, 1, 0, &v);
	c1 = v.reply.sequence;
	t1 = v.reply.tval_sec * NSEC + v.reply.tval_usec * 1000ULL;
	show("RELATIVE 1", r);
	printf("RELATIVE 1: reply type 0x%x, count went on: %s, times %s frames apart: %s\n",
	       v.reply.type, yes(c1 - c0 >= 1 && c1 - c0 < 30), "the counted",
	       yes(frames_apart(t0, t1, c1 - c0)));
	c0 = count(fd, &t0);
	r = wait_vbl(fd, _DRM_VBLANK_ABSOLUTE, c0 + 3, 0, &v);
	show("ABSOLUTE now+3", r);
	printf("ABSOLUTE now+3: reply type 0x%x, reached: %s, on the frame grid: %s\n",
	       v.reply.type, yes(v.reply.sequence - c0 >= 3 && v.reply.sequence - c0 < 30),
	       yes(frames_apart(t0, v.reply.tval_sec * NSEC + v.reply.tval_usec * 1000ULL,
				v.reply.sequence - c0)));
	c0 = count(fd, NULL);
	show("ABSOLUTE now-5", wait_vbl(fd, _DRM_VBLANK_ABSOLUTE, c0 - 5, 0, &v));
	printf("ABSOLUTE now-5: at once with the current count: %s\n",
	       yes(v.reply.sequence - c0 < 3));
	c0 = count(fd, NULL);
	show("ABSOLUTE|NEXTONMISS now-5",
	     wait_vbl(fd, _DRM_VBLANK_ABSOLUTE | _DRM_VBLANK_NEXTONMISS, c0 - 5, 0, &v));
	printf("ABSOLUTE|NEXTONMISS now-5: reply type 0x%x, the next one: %s\n", v.reply.type,
	       yes(v.reply.sequence - c0 >= 1 && v.reply.sequence - c0 < 30));
	c0 = count(fd, NULL);
	show("ABSOLUTE|NEXTONMISS now+2",
	     wait_vbl(fd, _DRM_VBLANK_ABSOLUTE | _DRM_VBLANK_NEXTONMISS, c0 + 2, 0, &v));
	printf("ABSOLUTE|NEXTONMISS now+2: reply type 0x%x, reached: %s\n", v.reply.type,
	       yes(v.reply.sequence - c0 >= 2 && v.reply.sequence - c0 < 30));
	c0 = count(fd, NULL);
	show("RELATIVE|NEXTONMISS 0",
	     wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_NEXTONMISS, 0, 0, &v));
	printf("RELATIVE|NEXTONMISS 0: reply type 0x%x, the next one: %s\n", v.reply.type,
	       yes(v.reply.sequence - c0 >= 1 && v.reply.sequence - c0 < 30));
	/* pipe 0 named by the high-CRTC bits */
	show("RELATIVE high crtc 0", wait_vbl(fd, _DRM_VBLANK_RELATIVE, 0, 0, &v));
}

/* Bad requests: flags, pipes, pointers. */
static void bad_waits(int fd)
{
	union drm_wait_vblank v;

	show("SIGNAL", wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_SIGNAL, 0, 0, &v));
	show("FLIP bit", wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_FLIP, 0, 0, &v));
	show("unknown bit 0x100", wait_vbl(fd, _DRM_VBLANK_RELATIVE | 0x100, 0, 0, &v));
	show("SECONDARY (pipe 1)", wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_SECONDARY,
					    0, 0, &v));
	show("high crtc 1", wait_vbl(fd, _DRM_VBLANK_RELATIVE | 1 << _DRM_VBLANK_HIGH_CRTC_SHIFT,
				     0, 0, &v));
	show("high crtc 31", wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_HIGH_CRTC_MASK,
				      0, 0, &v));
	show("SIGNAL with a bad pipe",
	     wait_vbl(fd, _DRM_VBLANK_SIGNAL | _DRM_VBLANK_HIGH_CRTC_MASK, 0, 0, &v));
	show("bad pointer", ioctl(fd, DRM_IOCTL_WAIT_VBLANK, (void *)bad_address));
}

/* WAIT_VBLANK with DRM_VBLANK_EVENT and the events read back. */
static void events(int fd)
{
	union drm_wait_vblank v;
	struct drm_event_vblank ev[4];
	uint8_t small[16];
	uint32_t c0, want;
	int r, n;

	printf("nothing queued: readable %s\n", yes(readable(fd)));
	c0 = count(fd, NULL);
	r = wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 1, 0x1234, &v);
	show("RELATIVE|EVENT 1", r);
	want = v.reply.sequence;
	printf("reply type 0x%x, waits for the next: %s, tval_sec is the request's signal: %s, "
	       "tval_usec %ld\n", v.reply.type, yes(want - c0 >= 1 && want - c0 < 30),
	       yes(v.reply.tval_sec == 0x1234), v.reply.tval_usec);
	n = read_event(fd, ev, sizeof(ev));
	printf("read: %d type %u length %u user_data 0x%llx crtc is ours %s sequence the one "
	       "waited for %s, a recent vblank time %s\n", n, ev[0].base.type, ev[0].base.length,
	       (unsigned long long)ev[0].user_data, yes(ev[0].crtc_id == crtc_id),
	       yes(ev[0].sequence - want < 3),
	       yes(recent(ev[0].tv_sec * NSEC + ev[0].tv_usec * 1000ULL)));
	/* an event for a vblank that has passed is sent at once */
	c0 = count(fd, NULL);
	r = wait_vbl(fd, _DRM_VBLANK_ABSOLUTE | _DRM_VBLANK_EVENT, c0 - 3, 0x77, &v);
	show("ABSOLUTE|EVENT now-3", r);
	printf("queued at once: %s, sequence the current count: %s\n", yes(readable(fd)),
	       yes(v.reply.sequence - c0 < 3));
	show("read 16 bytes (too short for it)", read(fd, small, sizeof(small)));
	n = read(fd, ev, sizeof(ev));
	printf("read: %d user_data 0x%llx sequence as replied %s\n", n,
	       (unsigned long long)ev[0].user_data, yes(ev[0].sequence == v.reply.sequence));
	/* order: the earlier vblank's event first, several in one read */
	wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 4, 4, &v);
	wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 1, 1, &v);
	wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 2, 2, &v);
	usleep(500000);
	n = read(fd, ev, sizeof(ev));
	printf("three events in one read: %d, user_data %llu %llu %llu, in sequence order %s\n", n,
	       (unsigned long long)ev[0].user_data, (unsigned long long)ev[1].user_data,
	       (unsigned long long)ev[2].user_data,
	       yes(ev[0].sequence <= ev[1].sequence && ev[1].sequence <= ev[2].sequence));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	show("non-blocking read of nothing", read(fd, ev, sizeof(ev)));
	fcntl(fd, F_SETFL, 0);
}

/* CRTC_GET_SEQUENCE and CRTC_QUEUE_SEQUENCE. */
static void sequences(int fd)
{
	struct drm_crtc_get_sequence gs = { .crtc_id = crtc_id };
	struct drm_crtc_queue_sequence qs = { 0 };
	struct drm_event_crtc_sequence ev;
	uint32_t c0;
	int n;

	c0 = count(fd, NULL);
	show("GET_SEQUENCE", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	printf("active %u, the current count %s, a recent vblank time %s\n", gs.active,
	       yes(gs.sequence - c0 < 3), yes(recent(gs.sequence_ns)));
	gs.crtc_id = 0;
	show("GET_SEQUENCE crtc 0", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	gs.crtc_id = connector_id;
	show("GET_SEQUENCE a connector's id", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	gs.crtc_id = 12345;
	show("GET_SEQUENCE crtc 12345", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	show("GET_SEQUENCE bad pointer",
	     ioctl(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, (void *)bad_address));

	qs.crtc_id = crtc_id;
	qs.flags = 4;
	show("QUEUE_SEQUENCE flags 4", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	qs.crtc_id = 12345;
	show("QUEUE_SEQUENCE crtc 12345 flags 4", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	show("QUEUE_SEQUENCE bad pointer",
	     ioctl(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, (void *)bad_address));
	c0 = count(fd, NULL);
	qs = (struct drm_crtc_queue_sequence){ .crtc_id = crtc_id, .sequence = 2,
					       .flags = DRM_CRTC_SEQUENCE_RELATIVE,
					       .user_data = 0x55 };
	show("QUEUE_SEQUENCE RELATIVE 2", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	printf("waits for now+2: %s\n", yes(qs.sequence - c0 >= 2 && qs.sequence - c0 < 30));
	n = read_event(fd, &ev, sizeof(ev));
	printf("read: %d type %u length %u user_data 0x%llx sequence the one waited for %s, a "
	       "recent vblank time %s\n", n, ev.base.type, ev.base.length,
	       (unsigned long long)ev.user_data, yes(ev.sequence - qs.sequence < 3),
	       yes(recent(ev.time_ns)));
	c0 = count(fd, NULL);
	qs = (struct drm_crtc_queue_sequence){ .crtc_id = crtc_id, .sequence = c0 - 4,
					       .flags = DRM_CRTC_SEQUENCE_NEXT_ON_MISS,
					       .user_data = 0x66 };
	show("QUEUE_SEQUENCE NEXT_ON_MISS now-4", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	printf("waits for the next: %s\n", yes(qs.sequence - c0 >= 1 && qs.sequence - c0 < 30));
	n = read_event(fd, &ev, sizeof(ev));
	printf("read: %d user_data 0x%llx sequence the one waited for %s\n", n,
	       (unsigned long long)ev.user_data, yes(ev.sequence - qs.sequence < 3));
	c0 = count(fd, NULL);
	qs = (struct drm_crtc_queue_sequence){ .crtc_id = crtc_id, .sequence = c0 - 4,
					       .user_data = 0x67 };
	show("QUEUE_SEQUENCE now-4", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	printf("sent at once: %s, with the current count: %s\n", yes(readable(fd)),
	       yes(qs.sequence - c0 < 3));
	n = read(fd, &ev, sizeof(ev));
	printf("read: %d user_data 0x%llx sequence as returned %s\n", n,
	       (unsigned long long)ev.user_data, yes(ev.sequence == qs.sequence));
}

/* The event space (4096 bytes: 128 events of 32) of a second file, then that file
 * closed with its events pending. */
static void event_space(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC), n = 0, r;
	struct drm_crtc_queue_sequence qs;
	union drm_wait_vblank v;

	for (;;) {
		qs = (struct drm_crtc_queue_sequence){ .crtc_id = crtc_id, .sequence = 100000,
						       .flags = DRM_CRTC_SEQUENCE_RELATIVE };
		r = drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs);
		if (r < 0 || n > 1000)
			break;
		n++;
	}
	printf("second file: %d events queued, then", n);
	show("", r);
	show("WAIT_VBLANK EVENT with no space left",
	     wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 1, 0, &v));
	show("WAIT_VBLANK without event", wait_vbl(fd, _DRM_VBLANK_RELATIVE, 1, 0, &v));
	show("close with 128 events pending", close(fd));
}

/* A framebuffer of the mode's size. */
static uint32_t make_fb(int fd)
{
	struct drm_mode_create_dumb c = { .width = mode.hdisplay, .height = mode.vdisplay,
					  .bpp = 32 };
	struct drm_mode_fb_cmd f = { .width = mode.hdisplay, .height = mode.vdisplay,
				     .bpp = 32, .depth = 24 };

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0)
		return 0;
	f.pitch = c.pitch;
	f.handle = c.handle;
	if (drm(fd, DRM_IOCTL_MODE_ADDFB, &f) < 0)
		return 0;
	return f.fb_id;
}

/* SETCRTC: fb with the mode, or off (fb 0). */
static int set_crtc(int fd, uint32_t fb)
{
	struct drm_mode_crtc off = { .crtc_id = crtc_id };

	if (fb)
		return drm_setcrtc(fd, crtc_id, connector_id, &mode, fb);
	return drm(fd, DRM_IOCTL_MODE_SETCRTC, &off);
}

/* A flip's event carries the vblank's number; the CRTC off and on again. */
static void flips_and_off(int fd)
{
	struct drm_mode_crtc_page_flip pf = { 0 };
	struct drm_crtc_get_sequence gs = { .crtc_id = crtc_id };
	struct drm_crtc_queue_sequence qs;
	struct drm_event_vblank ev;
	union drm_wait_vblank v;
	uint32_t fb1 = make_fb(fd), fb2 = make_fb(fd), c0;
	int n;

	printf("framebuffers: %s\n", yes(fb1 && fb2));
	show("SETCRTC", set_crtc(fd, fb1));
	c0 = count(fd, NULL);
	pf.crtc_id = crtc_id;
	pf.fb_id = fb2;
	pf.flags = DRM_MODE_PAGE_FLIP_EVENT;
	pf.user_data = 0x99;
	show("PAGE_FLIP with event", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf));
	n = read_event(fd, &ev, sizeof(ev));
	printf("flip event: %d type %u user_data 0x%llx crtc is ours %s, sequence of the next "
	       "vblank: %s, a recent vblank time %s\n", n, ev.base.type,
	       (unsigned long long)ev.user_data, yes(ev.crtc_id == crtc_id),
	       yes(ev.sequence - c0 >= 1 && ev.sequence - c0 < 30),
	       yes(recent(ev.tv_sec * NSEC + ev.tv_usec * 1000ULL)));
	/* events still waiting when the CRTC goes off are sent then */
	qs = (struct drm_crtc_queue_sequence){ .crtc_id = crtc_id, .sequence = 1000,
					       .flags = DRM_CRTC_SEQUENCE_RELATIVE,
					       .user_data = 0xaa };
	show("QUEUE_SEQUENCE RELATIVE 1000", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	show("WAIT_VBLANK RELATIVE|EVENT 1000",
	     wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 1000, 0xbb, &v));
	c0 = count(fd, NULL);
	show("SETCRTC off", set_crtc(fd, 0));
	printf("events sent at once: %s\n", yes(readable(fd)));
	{
		uint8_t buf[64];
		struct drm_event_crtc_sequence *e1 = (void *)buf;
		struct drm_event_vblank *e2 = (void *)(buf + 32);

		n = read(fd, buf, sizeof(buf));
		printf("read: %d: type %u user_data 0x%llx with the last count %s; type %u "
		       "user_data 0x%llx with the last count %s\n", n, e1->base.type,
		       (unsigned long long)e1->user_data, yes(e1->sequence - c0 < 3),
		       e2->base.type, (unsigned long long)e2->user_data,
		       yes(e2->sequence - c0 < 3));
	}
	show("WAIT_VBLANK query while off", wait_vbl(fd, _DRM_VBLANK_RELATIVE, 0, 0, &v));
	show("WAIT_VBLANK RELATIVE 1 while off", wait_vbl(fd, _DRM_VBLANK_RELATIVE, 1, 0, &v));
	show("WAIT_VBLANK EVENT while off",
	     wait_vbl(fd, _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT, 1, 0, &v));
	show("GET_SEQUENCE while off", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	qs = (struct drm_crtc_queue_sequence){ .crtc_id = crtc_id, .sequence = 1,
					       .flags = DRM_CRTC_SEQUENCE_RELATIVE };
	show("QUEUE_SEQUENCE while off", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	qs.flags = 4;
	show("QUEUE_SEQUENCE flags 4 while off", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	show("SETCRTC on again", set_crtc(fd, fb1));
	c0 = count(fd, NULL);
	show("RELATIVE 1 after", wait_vbl(fd, _DRM_VBLANK_RELATIVE, 1, 0, &v));
	printf("counting again: %s\n", yes(v.reply.sequence - c0 >= 1 && v.reply.sequence - c0 < 30));
	show("GET_SEQUENCE after", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	printf("active %u\n", gs.active);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal ends a WAIT_VBLANK with EINTR, even with SA_RESTART (Linux turns its
 * -ERESTARTSYS into -EINTR), and leaves the request as it was turned into. */
static void interrupted(int fd)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { .tv_usec = 100000 } };
	union drm_wait_vblank v;
	uint32_t c0;
	int r;

	sigaction(SIGALRM, &sa, NULL);
	c0 = count(fd, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	r = wait_vbl(fd, _DRM_VBLANK_RELATIVE, 600, 0, &v);
	show("RELATIVE 600 interrupted by a signal (SA_RESTART)", r);
	printf("request after: type 0x%x, sequence now+600: %s\n", v.request.type,
	       yes(v.request.sequence - c0 >= 600 && v.request.sequence - c0 < 630));
	signal(SIGALRM, SIG_DFL);
}

/* A second, non-master file may wait too. */
static void other_file(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	union drm_wait_vblank v;

	show("second file: RELATIVE 1", wait_vbl(fd, _DRM_VBLANK_RELATIVE, 1, 0, &v));
	close(fd);
}

int main(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("open /dev/dri/card0: %s\n", errname(errno));
		return 1;
	}
	caps(fd);
	if (setup(fd) < 0) {
		printf("setup failed: %s\n", errname(errno));
		return 1;
	}
	planes(fd);
	addfb2(fd);
	plane_formats(fd);
	waits(fd);
	bad_waits(fd);
	events(fd);
	sequences(fd);
	event_space();
	interrupted(fd);
	other_file();
	flips_and_off(fd);
	close(fd);
	return 0;
}
