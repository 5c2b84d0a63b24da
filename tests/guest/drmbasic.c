/* drmbasic: the DRM core ioctls on /dev/dri/card0 (virtio-gpu), straight through the
 * uapi headers: version, caps, master rules, resources, connector, dumb buffers and
 * their mmap, framebuffers, SETCRTC and DIRTYFB, with bad input from the master and
 * from a second, non-master file. One line per checked call; object ids, handles and
 * mmap offsets are printed relative to the first one seen (they differ by design).
 * With an argument NAME, the pattern it shows is screendumped as NAME by `shot`. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "drmtest.h"

/* The pattern: red grows left to right, green top to bottom, blue is x ^ y. */
static uint32_t pattern(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	return (x * 255 / (w - 1)) << 16 | (y * 255 / (h - 1)) << 8 | ((x ^ y) & 0xff);
}

static void version(int fd)
{
	char name[32] = "", date[32] = "", desc[64] = "";
	struct drm_version v = { .name_len = sizeof(name) - 1, .name = name,
				 .date_len = sizeof(date) - 1, .date = date,
				 .desc_len = sizeof(desc) - 1, .desc = desc };
	struct drm_version small = { .name_len = 3, .name = name };

	show("VERSION", drm(fd, DRM_IOCTL_VERSION, &v));
	printf("  %s %d.%d.%d date \"%s\" desc \"%s\" lens %zu %zu %zu\n", name, v.version_major,
	       v.version_minor, v.version_patchlevel, date, desc, v.name_len, v.date_len,
	       v.desc_len);
	memset(name, 0, sizeof(name));
	show("VERSION short name buffer", drm(fd, DRM_IOCTL_VERSION, &small));
	printf("  \"%s\" name_len %zu\n", name, small.name_len);
	small.name = (char *)8;
	show("VERSION bad name pointer", drm(fd, DRM_IOCTL_VERSION, &small));
	show("VERSION bad argument", drm(fd, DRM_IOCTL_VERSION, (void *)8));
}

static void caps(int fd)
{
	static const struct { uint64_t cap; const char *name; } list[] = {
		{ DRM_CAP_DUMB_BUFFER, "DUMB_BUFFER" }, { DRM_CAP_VBLANK_HIGH_CRTC, "VBLANK_HIGH_CRTC" },
		{ DRM_CAP_DUMB_PREFERRED_DEPTH, "DUMB_PREFERRED_DEPTH" },
		{ DRM_CAP_DUMB_PREFER_SHADOW, "DUMB_PREFER_SHADOW" },
		{ DRM_CAP_TIMESTAMP_MONOTONIC, "TIMESTAMP_MONOTONIC" },
		{ DRM_CAP_ASYNC_PAGE_FLIP, "ASYNC_PAGE_FLIP" }, { DRM_CAP_CURSOR_WIDTH, "CURSOR_WIDTH" },
		{ DRM_CAP_CURSOR_HEIGHT, "CURSOR_HEIGHT" }, { DRM_CAP_ADDFB2_MODIFIERS, "ADDFB2_MODIFIERS" },
		{ DRM_CAP_PAGE_FLIP_TARGET, "PAGE_FLIP_TARGET" },
		{ DRM_CAP_CRTC_IN_VBLANK_EVENT, "CRTC_IN_VBLANK_EVENT" },
		{ DRM_CAP_SYNCOBJ, "SYNCOBJ" }, { DRM_CAP_SYNCOBJ_TIMELINE, "SYNCOBJ_TIMELINE" },
		{ 0x99, "unknown 0x99" },
	};
	static const struct { uint64_t cap, value; const char *name; } client[] = {
		{ DRM_CLIENT_CAP_STEREO_3D, 1, "STEREO_3D=1" },
		{ DRM_CLIENT_CAP_UNIVERSAL_PLANES, 2, "UNIVERSAL_PLANES=2" },
		{ DRM_CLIENT_CAP_ASPECT_RATIO, 1, "ASPECT_RATIO=1" },
		{ DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1, "WRITEBACK_CONNECTORS=1 before ATOMIC" },
		{ 0x99, 1, "unknown 0x99" },
	};
	char what[64];

	for (unsigned i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		struct drm_get_cap c = { .capability = list[i].cap, .value = 77 };
		int r = drm(fd, DRM_IOCTL_GET_CAP, &c);

		snprintf(what, sizeof(what), "GET_CAP %s", list[i].name);
		if (r < 0)
			show(what, r);
		else
			printf("%s: %llu\n", what, (unsigned long long)c.value);
	}
	for (unsigned i = 0; i < sizeof(client) / sizeof(client[0]); i++) {
		struct drm_set_client_cap c = { client[i].cap, client[i].value };

		snprintf(what, sizeof(what), "SET_CLIENT_CAP %s", client[i].name);
		show(what, drm(fd, DRM_IOCTL_SET_CLIENT_CAP, &c));
	}
}

/* The master rules between the first opener (fd) and a later one (fd2). */
static void master(int fd, int fd2)
{
	struct drm_auth a = { 0 }, a2 = { 0 };
	struct drm_unique u = { 0 };

	show("GET_UNIQUE", drm(fd, DRM_IOCTL_GET_UNIQUE, &u));
	printf("  unique_len %zu\n", u.unique_len);
	show("GET_MAGIC", drm(fd2, DRM_IOCTL_GET_MAGIC, &a2));
	a.magic = a2.magic;
	show("GET_MAGIC again", drm(fd2, DRM_IOCTL_GET_MAGIC, &a));
	printf("  same magic %d, non-zero %d\n", a.magic == a2.magic, a.magic != 0);
	show("AUTH_MAGIC from the master", drm(fd, DRM_IOCTL_AUTH_MAGIC, &a2));
	a.magic = 0;
	show("AUTH_MAGIC 0 from the master", drm(fd, DRM_IOCTL_AUTH_MAGIC, &a));
	show("AUTH_MAGIC from a non-master", drm(fd2, DRM_IOCTL_AUTH_MAGIC, &a2));
	show("SET_MASTER while another is master", drm(fd2, DRM_IOCTL_SET_MASTER, NULL));
	show("DROP_MASTER by a non-master", drm(fd2, DRM_IOCTL_DROP_MASTER, NULL));
	show("SET_MASTER by the master", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
	show("DROP_MASTER by the master", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
	show("AUTH_MAGIC after dropping", drm(fd, DRM_IOCTL_AUTH_MAGIC, &a2));
	show("SET_MASTER again", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
}

struct res {
	uint32_t crtc, encoder, connector;
	struct drm_mode_modeinfo mode;
};

static void resources(int fd, struct res *r)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_connector conn = { 0 };
	struct drm_mode_get_encoder enc = { 0 };
	struct drm_mode_modeinfo modes[64];
	uint32_t crtcs[4], encs[4], conns[4], connencs[4];

	show("GETRESOURCES counts", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	printf("  fbs %u crtcs %u connectors %u encoders %u min %ux%u max %ux%u\n",
	       res.count_fbs, res.count_crtcs, res.count_connectors, res.count_encoders,
	       res.min_width, res.min_height, res.max_width, res.max_height);
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.connector_id_ptr = (uintptr_t)conns;
	show("GETRESOURCES ids", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	r->crtc = crtcs[0];
	r->encoder = encs[0];
	r->connector = conns[0];
	res.connector_id_ptr = 8;
	show("GETRESOURCES bad pointer", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));

	conn.connector_id = r->connector;
	show("GETCONNECTOR counts", drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn));
	printf("  type %u type_id %u connection %u encoders %u modes>0 %d mm %ux%u\n",
	       conn.connector_type, conn.connector_type_id, conn.connection,
	       conn.count_encoders, conn.count_modes > 0, conn.mm_width, conn.mm_height);
	conn.count_props = 0;
	conn.modes_ptr = (uintptr_t)modes;
	conn.encoders_ptr = (uintptr_t)connencs;
	if (conn.count_modes > 64)
		conn.count_modes = 64;
	show("GETCONNECTOR modes", drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn));
	printf("  encoder is the resource's %d\n", connencs[0] == r->encoder);
	r->mode = modes[0];
	for (unsigned i = 0; i < conn.count_modes; i++)
		if (modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			r->mode = modes[i];
			printf("  preferred %ux%u\n", modes[i].hdisplay, modes[i].vdisplay);
			break;
		}
	conn.connector_id = r->crtc;
	show("GETCONNECTOR with a CRTC's id", drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn));

	enc.encoder_id = r->encoder;
	show("GETENCODER", drm(fd, DRM_IOCTL_MODE_GETENCODER, &enc));
	printf("  type %u possible_crtcs %#x possible_clones %#x\n", enc.encoder_type,
	       enc.possible_crtcs, enc.possible_clones);
	enc.encoder_id = 9999;
	show("GETENCODER bad id", drm(fd, DRM_IOCTL_MODE_GETENCODER, &enc));
}

static void planes(int fd)
{
	struct drm_mode_get_plane_res pr = { 0 };
	struct drm_mode_get_plane p = { .plane_id = 9999 };

	show("GETPLANERESOURCES", drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr));
	printf("  planes without universal planes %u\n", pr.count_planes);
	show("GETPLANE bad id", drm(fd, DRM_IOCTL_MODE_GETPLANE, &p));
}

static void dumb_errors(int fd)
{
	static const struct { uint32_t w, h, bpp; const char *name; } bad[] = {
		{ 0, 64, 32, "width 0" }, { 64, 0, 32, "height 0" }, { 64, 64, 0, "bpp 0" },
		{ 64, 64, 16, "bpp 16" }, { 0x40000000, 1, 32, "pitch overflow" },
		{ 65536, 65536, 32, "size overflow" }, { 1, 1, 0xfffffff8u, "bpp overflow" },
	};
	struct drm_mode_map_dumb map = { .handle = 77 };
	struct drm_mode_destroy_dumb destroy = { .handle = 77 };
	struct drm_gem_close close = { .handle = 0 };
	char what[64];

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct drm_mode_create_dumb c = { .width = bad[i].w, .height = bad[i].h,
						  .bpp = bad[i].bpp };

		snprintf(what, sizeof(what), "CREATE_DUMB %s", bad[i].name);
		show(what, drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	}
	show("MAP_DUMB bad handle", drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &map));
	show("DESTROY_DUMB bad handle", drm(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy));
	show("GEM_CLOSE handle 0", drm(fd, DRM_IOCTL_GEM_CLOSE, &close));
}

/* A dumb buffer of w x h; prints what CREATE_DUMB answers. */
static uint32_t dumb(int fd, uint32_t w, uint32_t h, const char *what, uint64_t *size)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };

	show(what, drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	printf("  handle %u pitch %u size %llu\n", c.handle, c.pitch, (unsigned long long)c.size);
	if (size)
		*size = c.size;
	return c.handle;
}

static uint32_t addfb2(int fd, uint32_t w, uint32_t h, uint32_t handle, uint32_t format,
		       const char *what)
{
	struct drm_mode_fb_cmd2 f = { .width = w, .height = h, .pixel_format = format,
				      .handles = { handle }, .pitches = { w * 4 } };

	show(what, drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	return f.fb_id;
}

static void fb_errors(int fd, int fd2, uint32_t handle, uint32_t fb)
{
	struct drm_mode_fb_cmd old = { .width = 64, .height = 64, .pitch = 256, .bpp = 32,
				       .depth = 24, .handle = handle };
	struct drm_mode_fb_cmd2 f = { .width = 64, .height = 64,
				      .pixel_format = DRM_FORMAT_XRGB8888,
				      .handles = { handle }, .pitches = { 100 } };
	uint32_t id = fb;

	addfb2(fd, 64, 64, handle, DRM_FORMAT_RGB565, "ADDFB2 RGB565");
	addfb2(fd, 64, 64, handle, fourcc_code('N', 'O', 'P', 'E'), "ADDFB2 unknown format");
	addfb2(fd, 64, 64, 0, DRM_FORMAT_XRGB8888, "ADDFB2 handle 0");
	addfb2(fd, 64, 64, 77, DRM_FORMAT_XRGB8888, "ADDFB2 bad handle");
	addfb2(fd, 16, 64, handle, DRM_FORMAT_XRGB8888, "ADDFB2 width below minimum");
	addfb2(fd, 9000, 64, handle, DRM_FORMAT_XRGB8888, "ADDFB2 width above maximum");
	show("ADDFB2 pitch too small", drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.pitches[0] = 256;
	f.flags = 0x80;
	show("ADDFB2 unknown flag", drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.flags = 0;
	f.modifier[0] = 1;
	show("ADDFB2 modifier without the flag", drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.flags = DRM_MODE_FB_MODIFIERS;
	f.modifier[0] = DRM_FORMAT_MOD_LINEAR;
	show("ADDFB2 linear modifier", drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.flags = 0;
	show("ADDFB 32/24", drm(fd, DRM_IOCTL_MODE_ADDFB, &old));
	show("RMFB of it", drm(fd, DRM_IOCTL_MODE_RMFB, &old.fb_id));
	show("RMFB again", drm(fd, DRM_IOCTL_MODE_RMFB, &old.fb_id));
	old.depth = 17;
	show("ADDFB 32/17", drm(fd, DRM_IOCTL_MODE_ADDFB, &old));
	show("RMFB by another file", drm(fd2, DRM_IOCTL_MODE_RMFB, &id));
}

static int setcrtc(int fd, struct res *r, uint32_t fb, uint32_t x, uint32_t conn,
		   const struct drm_mode_modeinfo *mode)
{
	struct drm_mode_crtc c = { .crtc_id = r->crtc, .fb_id = fb, .x = x,
				   .set_connectors_ptr = (uintptr_t)&conn,
				   .count_connectors = 1, .mode_valid = 1, .mode = *mode };

	return drm(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

static void modeset(int fd, int fd2, struct res *r, uint32_t fb, uint32_t small_fb)
{
	struct drm_mode_modeinfo bad = r->mode;
	struct drm_mode_crtc c = { .crtc_id = r->crtc };
	struct drm_mode_get_encoder enc = { .encoder_id = r->encoder };
	struct drm_mode_crtc off = { .crtc_id = 9999 };

	show("SETCRTC by a non-master", setcrtc(fd2, r, fb, 0, r->connector, &r->mode));
	show("SETCRTC bad CRTC", drm(fd, DRM_IOCTL_MODE_SETCRTC, &off));
	show("SETCRTC bad fb", setcrtc(fd, r, 9999, 0, r->connector, &r->mode));
	show("SETCRTC fb smaller than the mode", setcrtc(fd, r, small_fb, 0, r->connector,
							 &r->mode));
	show("SETCRTC x beyond 16 bits", setcrtc(fd, r, fb, 0x10000, r->connector, &r->mode));
	show("SETCRTC bad connector", setcrtc(fd, r, fb, 0, 9999, &r->mode));
	bad.clock = 0;
	show("SETCRTC mode clock 0", setcrtc(fd, r, fb, 0, r->connector, &bad));
	bad = r->mode;
	bad.hsync_start = bad.hdisplay - 1;
	show("SETCRTC mode hsync before hdisplay", setcrtc(fd, r, fb, 0, r->connector, &bad));
	show("SETCRTC", setcrtc(fd, r, fb, 0, r->connector, &r->mode));
	show("GETCRTC", drm(fd, DRM_IOCTL_MODE_GETCRTC, &c));
	printf("  fb ours %d mode_valid %u mode %s %ux%u x %u y %u\n", c.fb_id == fb,
	       c.mode_valid, c.mode.name, c.mode.hdisplay, c.mode.vdisplay, c.x, c.y);
	show("GETENCODER", drm(fd, DRM_IOCTL_MODE_GETENCODER, &enc));
	printf("  crtc is ours %d\n", enc.crtc_id == r->crtc);
}

static void dirty(int fd, int fd2, uint32_t fb)
{
	struct drm_clip_rect clip = { 0, 0, 64, 64 };
	struct drm_mode_fb_dirty_cmd d = { .fb_id = fb, .num_clips = 1,
					   .clips_ptr = (uintptr_t)&clip };

	show("DIRTYFB one clip", drm(fd, DRM_IOCTL_MODE_DIRTYFB, &d));
	show("DIRTYFB by a non-master", drm(fd2, DRM_IOCTL_MODE_DIRTYFB, &d));
	d.clips_ptr = 0;
	show("DIRTYFB clips without pointer", drm(fd, DRM_IOCTL_MODE_DIRTYFB, &d));
	d.clips_ptr = 8;
	show("DIRTYFB bad clip pointer", drm(fd, DRM_IOCTL_MODE_DIRTYFB, &d));
	d.fb_id = 9999;
	show("DIRTYFB bad fb", drm(fd, DRM_IOCTL_MODE_DIRTYFB, &d));
	d = (struct drm_mode_fb_dirty_cmd){ .fb_id = fb };
	show("DIRTYFB whole fb", drm(fd, DRM_IOCTL_MODE_DIRTYFB, &d));
}

/* Maps the buffer through MAP_DUMB's offset and fills it with the pattern. */
static void fill(int fd, int fd2, uint32_t handle, uint64_t size, uint32_t w, uint32_t h,
		 uint64_t *first_offset)
{
	struct drm_mode_map_dumb map = { .handle = handle };
	uint32_t *p;

	show("MAP_DUMB", drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &map));
	if (!*first_offset)
		*first_offset = map.offset;
	printf("  offset from the first %llu, page aligned %d\n",
	       (unsigned long long)(map.offset - *first_offset), !(map.offset & 4095));
	show("mmap beyond the buffer", (long)mmap(NULL, size + 4096, PROT_READ | PROT_WRITE,
						  MAP_SHARED, fd, map.offset) == -1 ? -1 : 0);
	show("mmap at a bad offset", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
						fd, map.offset + (1 << 30)) == -1 ? -1 : 0);
	show("mmap by a file without the handle",
	     (long)mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, map.offset) == -1 ? -1 : 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	show("mmap", p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED)
		return;
	printf("  fresh buffer is zero %d\n", p[0] == 0 && p[size / 4 - 1] == 0);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			p[y * w + x] = pattern(x, y, w, h);
	munmap(p, size);
}

/* ioctl results written into a mapped, never touched dumb buffer: the kernel faults
 * the buffer's page in while it answers. */
static void into_mapping(int fd, uint32_t handle, const struct res *r)
{
	struct drm_mode_map_dumb map = { .handle = handle };
	struct drm_mode_card_res res = { .count_crtcs = 1, .count_connectors = 1 };
	struct drm_mode_get_connector conn = { .connector_id = r->connector, .count_modes = 1 };
	uint32_t *p;

	drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &map);
	p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	if (p == MAP_FAILED) {
		show("mmap of the 64x64 buffer", -1);
		return;
	}
	res.crtc_id_ptr = (uintptr_t)p;
	res.connector_id_ptr = (uintptr_t)(p + 1024);
	show("GETRESOURCES into a mapped buffer", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	printf("  ids as before %d\n", p[0] == r->crtc && p[1024] == r->connector);
	conn.modes_ptr = (uintptr_t)(p + 2048);
	show("GETCONNECTOR into a mapped buffer", drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn));
	munmap(p, 16384);
}

static void handles(int fd, int fd2)
{
	uint32_t h1, h2, h3;
	struct drm_gem_close close;

	h1 = dumb(fd2, 64, 64, "CREATE_DUMB in the second file", NULL);
	h2 = dumb(fd2, 64, 64, "CREATE_DUMB again", NULL);
	h3 = dumb(fd2, 64, 64, "CREATE_DUMB a third", NULL);
	printf("  handles count up %d\n", h2 == h1 + 1 && h3 == h2 + 1);
	close.handle = h3;	/* the first file has handles 1 and 2 only */
	show("GEM_CLOSE of another file's handle", drm(fd, DRM_IOCTL_GEM_CLOSE, &close));
	close.handle = h2;
	show("GEM_CLOSE", drm(fd2, DRM_IOCTL_GEM_CLOSE, &close));
	show("GEM_CLOSE again", drm(fd2, DRM_IOCTL_GEM_CLOSE, &close));
	printf("  lowest free handle reused %d\n",
	       dumb(fd2, 64, 64, "CREATE_DUMB after close", NULL) == h2);
}

/* Prints what GET_MAGIC gives fd (the numbers are Linux's: from 1 per master group). */
static unsigned get_magic(int fd, const char *what)
{
	struct drm_auth a = { 0 };

	if (drm(fd, DRM_IOCTL_GET_MAGIC, &a) < 0)
		show(what, -1);
	else
		printf("%s: magic %u\n", what, a.magic);
	return a.magic;
}

static int auth_magic(int fd, unsigned magic)
{
	return drm(fd, DRM_IOCTL_AUTH_MAGIC, &(struct drm_auth){ .magic = magic });
}

static int card(void)
{
	return open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
}

/* Magic numbers per master group: the master fd's group (fd2 got 1 in master()), a
 * lessee's own group, the groups of files that become master later, and a dropped
 * master getting its own group back with SET_MASTER. */
static void magic(int fd, int fd2, int rfd, const struct res *r)
{
	uint32_t ids[2] = { r->crtc, r->connector };
	struct drm_mode_create_lease cl = { .object_ids = (uintptr_t)ids, .object_count = 2 };
	int fd3 = card(), fd4 = card(), fd5, fd6, fd7, fd8, fd9, l;
	unsigned m1, m2, m5, m6, ml, m8;

	m1 = get_magic(fd2, "magic: GET_MAGIC of the authenticated file");
	show("magic: AUTH_MAGIC of it again", auth_magic(fd, m1));
	m2 = get_magic(fd3, "magic: GET_MAGIC of a new file");
	show("magic: AUTH_MAGIC of it", auth_magic(fd, m2));
	show("magic: AUTH_MAGIC of it twice", auth_magic(fd, m2));
	m5 = get_magic(fd4, "magic: GET_MAGIC of a file then closed");
	close(fd4);
	show("magic: AUTH_MAGIC of the closed file's", auth_magic(fd, m5));
	fd5 = card();
	m5 = get_magic(fd5, "magic: GET_MAGIC of the next file");
	show("magic: AUTH_MAGIC of the master's own",
	     auth_magic(fd, get_magic(fd, "magic: GET_MAGIC of the master")));
	show("magic: AUTH_MAGIC 0", auth_magic(fd, 0));
	show("magic: AUTH_MAGIC 0xffffffff", auth_magic(fd, 0xffffffff));
	show("magic: AUTH_MAGIC unused 99", auth_magic(fd, 99));
	get_magic(rfd, "magic: GET_MAGIC on the render node");
	show("magic: AUTH_MAGIC on the render node", auth_magic(rfd, m5));
	show("magic: AUTH_MAGIC from a non-master", auth_magic(fd5, m5));
	l = drm(fd, DRM_IOCTL_MODE_CREATE_LEASE, &cl) < 0 ? -1 : (int)cl.fd;
	ok("magic: CREATE_LEASE", l);
	fd6 = card();
	m6 = get_magic(fd6, "magic: GET_MAGIC of a file opened after the lease");
	ml = get_magic(l, "magic: GET_MAGIC of the lessee");
	get_magic(l, "magic: GET_MAGIC of the lessee again");
	show("magic: lessee AUTH_MAGIC of another file's", auth_magic(l, m6));
	show("magic: lessor AUTH_MAGIC of the lessee's", auth_magic(fd, ml));
	show("magic: lessee AUTH_MAGIC of its own", auth_magic(l, ml));
	show("magic: lessee AUTH_MAGIC of its own twice", auth_magic(l, ml));
	show("magic: lessor AUTH_MAGIC of the file the lessee tried", auth_magic(fd, m6));
	show("magic: DROP_MASTER", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
	show("magic: lessee AUTH_MAGIC, lessor dropped", auth_magic(l, ml));
	get_magic(l, "magic: GET_MAGIC of the lessee, lessor dropped");
	fd7 = card();
	get_magic(fd7, "magic: GET_MAGIC of the new master");
	fd8 = card();
	m8 = get_magic(fd8, "magic: GET_MAGIC of a file of the new master");
	show("magic: new master AUTH_MAGIC of its file's", auth_magic(fd7, m8));
	show("magic: new master AUTH_MAGIC of the old group's", auth_magic(fd7, m5));
	show("magic: old group's file AUTH_MAGIC", auth_magic(fd5, m5));
	show("magic: old master SET_MASTER", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
	close(fd7);
	show("magic: old master SET_MASTER, new one closed", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
	get_magic(fd, "magic: GET_MAGIC of the master back");
	fd9 = card();
	get_magic(fd9, "magic: GET_MAGIC of a file of its group");
	show("magic: AUTH_MAGIC in the group back", auth_magic(fd, m5));
	show("magic: lessee AUTH_MAGIC, lessor back", auth_magic(l, ml));
	show("magic: DROP_MASTER again", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
	show("magic: SET_MASTER of a file never master", drm(fd8, DRM_IOCTL_SET_MASTER, NULL));
	get_magic(fd8, "magic: its GET_MAGIC");
	show("magic: its AUTH_MAGIC of its own", auth_magic(fd8, m8));
	get_magic(fd9, "magic: GET_MAGIC of its old group's file");
	fd4 = card();
	show("magic: its AUTH_MAGIC of that file's",
	     auth_magic(fd8, get_magic(fd4, "magic: GET_MAGIC of a file of its new group")));
	close(fd8);
	show("magic: master SET_MASTER once more", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
	close(fd4);
	close(fd9);
	close(l);
	close(fd6);
	close(fd5);
	close(fd3);
}

/* Who may SET_MASTER/DROP_MASTER without root (Linux's drm_master_check_perm): only
 * a file that has been master (fd, not fd2), used by the process that opened it. */
static void master_perm(int fd, int fd2)
{
	pid_t pid;

	show("perm: seteuid 65534", seteuid(65534));
	show("perm: never-master SET_MASTER", drm(fd2, DRM_IOCTL_SET_MASTER, NULL));
	show("perm: never-master DROP_MASTER", drm(fd2, DRM_IOCTL_DROP_MASTER, NULL));
	show("perm: master DROP_MASTER", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
	show("perm: never-master SET_MASTER, no master", drm(fd2, DRM_IOCTL_SET_MASTER, NULL));
	show("perm: DROP_MASTER, no master", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
	show("perm: master SET_MASTER", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
	show("perm: seteuid 0", seteuid(0));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		show("perm: child setuid 65534", setuid(65534));
		show("perm: child SET_MASTER of the master", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
		show("perm: child DROP_MASTER of the master", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		show("perm: root child DROP_MASTER of the master", drm(fd, DRM_IOCTL_DROP_MASTER, NULL));
		show("perm: root child SET_MASTER of the master", drm(fd, DRM_IOCTL_SET_MASTER, NULL));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	struct res r;
	struct stat st;
	uint64_t size, first_offset = 0;
	uint32_t handle, small, fb, small_fb;
	int fd, fd2, rfd;
	char cmd[64];

	show("stat /dev/dri/card0", stat("/dev/dri/card0", &st));
	printf("  char %d rdev %u:%u mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev),
	       minor(st.st_rdev), st.st_mode & 07777);
	show("stat /dev/dri/renderD128", stat("/dev/dri/renderD128", &st));
	printf("  char %d rdev %u:%u\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	fd2 = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	rfd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	if (fd < 0 || fd2 < 0 || rfd < 0) {
		printf("open: %s\n", errname(errno));
		return 1;
	}
	version(fd);
	show("VERSION on the render node", drm(rfd, DRM_IOCTL_VERSION,
					       &(struct drm_version){ 0 }));
	show("GETRESOURCES on the render node", drm(rfd, DRM_IOCTL_MODE_GETRESOURCES,
						    &(struct drm_mode_card_res){ 0 }));
	show("unknown ioctl number 0xcf", drm(fd, _IOWR('d', 0xcf, struct drm_version),
					      &(struct drm_version){ 0 }));
	caps(fd2);
	master(fd, fd2);
	resources(fd, &r);
	magic(fd, fd2, rfd, &r);
	master_perm(fd, fd2);
	planes(fd);
	dumb_errors(fd);
	handle = dumb(fd, r.mode.hdisplay, r.mode.vdisplay, "CREATE_DUMB mode-sized", &size);
	small = dumb(fd, 64, 64, "CREATE_DUMB 64x64", NULL);
	into_mapping(fd, small, &r);
	handles(fd, fd2);
	fill(fd, fd2, handle, size, r.mode.hdisplay, r.mode.vdisplay, &first_offset);
	fb = addfb2(fd, r.mode.hdisplay, r.mode.vdisplay, handle, DRM_FORMAT_XRGB8888, "ADDFB2");
	small_fb = addfb2(fd, 64, 64, small, DRM_FORMAT_XRGB8888, "ADDFB2 64x64");
	fb_errors(fd, fd2, small, fb);
	modeset(fd, fd2, &r, fb, small_fb);
	dirty(fd, fd2, fb);
	show("DESTROY_DUMB of the shown buffer", drm(fd, DRM_IOCTL_MODE_DESTROY_DUMB,
						     &(struct drm_mode_destroy_dumb){ handle }));
	fflush(stdout);
	if (argc > 1) {
		snprintf(cmd, sizeof(cmd), "shot %s", argv[1]);
		show("shot", system(cmd));
	}
	return 0;
}
