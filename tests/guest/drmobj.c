/* drmobj: the rest of the mode objects on /dev/dri/card0 (virtio-gpu): the kernel
 * console's framebuffer read through GETFB, MAP_DUMB and mmap; GETFB and
 * GETFB2 (sizes, depth/bpp, pitches, offsets, modifiers, and the new handle each
 * gives in the caller's file: the master's, another root file's, a non-root
 * process's, the render node's), and the CRTC's gamma table (GETCRTC's gamma_size,
 * GETGAMMA, SETGAMMA), with bad ids, sizes and pointers; then the cursor plane
 * through MODE_ATOMIC (its checks: format, CRTC, scaling, source inside the
 * framebuffer, coordinates; commits, moves, events, the legacy ioctls on top, RMFB
 * of its framebuffer), and the atomic state a legacy SETCRTC leaves. Handles are
 * printed as facts about them (new, same buffer),
 * never as numbers; object ids by name. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "drmtest.h"

#define W 64
#define H 64

static int fd, fd2, rfd;	/* master, second root file, render node */
static uint32_t crtc, conn, primary, cursor;
static struct drm_mode_modeinfo mode;

/* An unmapped address the compiler cannot see through. */
static volatile uintptr_t bad_address = 8;

static void find_objects(void)
{
	uint32_t crtcs[4], conns[4];
	struct drm_mode_card_res r = { .crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 4,
				       .connector_id_ptr = (uintptr_t)conns,
				       .count_connectors = 4 };

	if (drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &r) < 0 || !r.count_crtcs) {
		printf("GETRESOURCES: -1 %s\n", errname(errno));
		exit(1);
	}
	crtc = crtcs[0];
	conn = conns[0];
}

/* The preferred mode of the connector. */
static void find_mode(void)
{
	struct drm_mode_modeinfo modes[64];
	struct drm_mode_get_connector c = { .connector_id = conn, .count_modes = 64,
					    .modes_ptr = (uintptr_t)modes };

	if (drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c) < 0 || !c.count_modes) {
		printf("GETCONNECTOR: -1 %s\n", errname(errno));
		exit(1);
	}
	mode = modes[0];
	for (unsigned i = 0; i < c.count_modes && i < 64; i++)
		if (modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			mode = modes[i];
			break;
		}
}

/* A W x H dumb buffer on fd whose pixel i is seed + i. */
static uint32_t make_buffer(uint32_t seed, uint32_t *pitch)
{
	struct drm_mode_create_dumb c = { .width = W, .height = H, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	uint32_t *px;

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0)
		goto fail;
	m.handle = c.handle;
	if (drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m) < 0)
		goto fail;
	px = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (px == MAP_FAILED)
		goto fail;
	for (uint32_t i = 0; i < c.size / 4; i++)
		px[i] = seed + i;
	munmap(px, c.size);
	*pitch = c.pitch;
	return c.handle;
fail:
	printf("buffer: -1 %s\n", errname(errno));
	exit(1);
}

/* Whether handle h of file f maps a buffer whose pixel i is seed + i. */
static const char *holds(int f, uint32_t h, uint32_t seed)
{
	struct drm_mode_map_dumb m = { .handle = h };
	uint32_t *px;
	int same = 1;

	if (drm(f, DRM_IOCTL_MODE_MAP_DUMB, &m) < 0)
		return errname(errno);
	px = mmap(NULL, W * H * 4, PROT_READ, MAP_SHARED, f, m.offset);
	if (px == MAP_FAILED)
		return "mmap failed";
	for (uint32_t i = 0; i < W * H; i++)
		same &= px[i] == seed + i;
	munmap(px, W * H * 4);
	return same ? "the same buffer" : "another buffer";
}

static uint32_t addfb2(uint32_t handle, uint32_t w, uint32_t h, uint32_t pitch,
		       uint32_t offset, const char *what)
{
	struct drm_mode_fb_cmd2 f = { .width = w, .height = h,
				      .pixel_format = DRM_FORMAT_XRGB8888,
				      .handles = { handle }, .pitches = { pitch },
				      .offsets = { offset } };

	show(what, drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	return f.fb_id;
}

/* GETFB of id on file f, printed; the handle it gave (0: none). */
static uint32_t getfb(int f, uint32_t id, const char *what)
{
	struct drm_mode_fb_cmd r = { .fb_id = id, .handle = 0x5555 };

	show(what, drm(f, DRM_IOCTL_MODE_GETFB, &r));
	printf("  %ux%u depth %u bpp %u pitch %u handle %s\n", r.width, r.height, r.depth,
	       r.bpp, r.pitch, r.handle == 0x5555 ? "untouched" : r.handle ? "given" : "0");
	return r.handle == 0x5555 ? 0 : r.handle;
}

/* GETFB2 of id on file f with every output field preset to junk, printed; the
 * handle it gave (0: none). */
static uint32_t getfb2(int f, uint32_t id, const char *what)
{
	struct drm_mode_fb_cmd2 r;

	memset(&r, 0x55, sizeof(r));
	r.fb_id = id;
	show(what, drm(f, DRM_IOCTL_MODE_GETFB2, &r));
	printf("  %ux%u format %.4s flags 0x%x handles", r.width, r.height,
	       (char *)&r.pixel_format, r.flags);
	for (int i = 0; i < 4; i++)
		printf(" %s", r.handles[i] == 0x55555555 ? "untouched" : r.handles[i] ? "given" : "0");
	printf(" pitches %u %u %u %u offsets %u %u %u %u modifiers %llx %llx %llx %llx\n",
	       r.pitches[0], r.pitches[1], r.pitches[2], r.pitches[3], r.offsets[0],
	       r.offsets[1], r.offsets[2], r.offsets[3], (unsigned long long)r.modifier[0],
	       (unsigned long long)r.modifier[1], (unsigned long long)r.modifier[2],
	       (unsigned long long)r.modifier[3]);
	return r.handles[0] == 0x55555555 ? 0 : r.handles[0];
}

static void gem_close(int f, uint32_t h, const char *what)
{
	show(what, drm(f, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h }));
}

/* A non-root process (its files are not the master's): GETFB/GETFB2 give no handle,
 * while the master's file still gets one. */
static void non_root(uint32_t fb)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setuid(65534) < 0)
			printf("setuid: -1 %s\n", errname(errno));
		getfb(fd2, fb, "non-root GETFB on a non-master file");
		getfb2(fd2, fb, "non-root GETFB2 on a non-master file");
		getfb(fd, fb, "non-root GETFB on the master's file");
		getfb2(fd, fb, "non-root GETFB2 on the master's file");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("non-root child: %d\n", WEXITSTATUS(status));
}

static void getfbs(void)
{
	uint32_t pitch, h1 = make_buffer(1000, &pitch), h2, fb, fb_off, h;
	struct drm_mode_fb_cmd legacy = { .width = W, .height = H, .bpp = 32, .depth = 24 };

	fb = addfb2(h1, W, H, pitch, 0, "ADDFB2");
	fb_off = addfb2(h1, 32, 32, pitch, 4 * pitch, "ADDFB2 32x32 at an offset");
	legacy.pitch = pitch;
	legacy.handle = h1;
	show("ADDFB 32/24", drm(fd, DRM_IOCTL_MODE_ADDFB, &legacy));

	h = getfb(fd, fb, "GETFB");
	printf("  handle is %s, %s\n", h == h1 ? "the creator's" : "new", holds(fd, h, 1000));
	h2 = getfb(fd, fb, "GETFB again");
	printf("  handle is %s\n", h2 == h ? "the same" : h2 == h1 ? "the creator's" : "new");
	gem_close(fd, h2, "GEM_CLOSE the second handle");
	gem_close(fd, h, "GEM_CLOSE the first handle");
	getfb(fd, legacy.fb_id, "GETFB of the ADDFB framebuffer");
	h = getfb(fd2, fb, "GETFB on a second file");
	printf("  second file: %s\n", holds(fd2, h, 1000));
	gem_close(fd2, h, "GEM_CLOSE it");
	getfb(rfd, fb, "GETFB on the render node");
	getfb(fd, 0, "GETFB id 0");
	getfb(fd, 9999, "GETFB unknown id");
	getfb(fd, crtc, "GETFB a CRTC id");
	getfb(fd, conn, "GETFB a connector id");
	show("GETFB bad pointer", drm(fd, DRM_IOCTL_MODE_GETFB, (void *)bad_address));

	h = getfb2(fd, fb, "GETFB2");
	printf("  handle is %s, %s\n", h == h1 ? "the creator's" : "new", holds(fd, h, 1000));
	gem_close(fd, h, "GEM_CLOSE it");
	h = getfb2(fd, fb_off, "GETFB2 of the framebuffer at an offset");
	gem_close(fd, h, "GEM_CLOSE it");
	h = getfb2(fd, legacy.fb_id, "GETFB2 of the ADDFB framebuffer");
	gem_close(fd, h, "GEM_CLOSE it");
	h = getfb2(fd2, fb, "GETFB2 on a second file");
	printf("  second file: %s\n", holds(fd2, h, 1000));
	gem_close(fd2, h, "GEM_CLOSE it");
	getfb2(rfd, fb, "GETFB2 on the render node");
	getfb2(fd, 0, "GETFB2 id 0");
	getfb2(fd, 9999, "GETFB2 unknown id");
	getfb2(fd, crtc, "GETFB2 a CRTC id");
	show("GETFB2 bad pointer", drm(fd, DRM_IOCTL_MODE_GETFB2, (void *)bad_address));
	non_root(fb);

	/* The framebuffer outlives its creator's handle; GETFB gives a way back to it. */
	gem_close(fd, h1, "GEM_CLOSE the creator's handle");
	h = getfb(fd, fb, "GETFB after the creator's handle closed");
	printf("  %s\n", holds(fd, h, 1000));
	gem_close(fd, h, "GEM_CLOSE it");
	show("RMFB", drm(fd, DRM_IOCTL_MODE_RMFB, &fb));
	getfb(fd, fb, "GETFB after RMFB");
	getfb2(fd, fb, "GETFB2 after RMFB");
	getfb(fd, fb_off, "GETFB of the other framebuffer");
	show("RMFB it", drm(fd, DRM_IOCTL_MODE_RMFB, &fb_off));
	show("RMFB the ADDFB one", drm(fd, DRM_IOCTL_MODE_RMFB, &legacy.fb_id));
}

/* The kernel console's framebuffer, which lights the CRTC at boot (Linux's fbdev, a
 * dumb buffer): GETFB and GETFB2 give root a handle of it that MAP_DUMB and mmap
 * take (as plymouth reads it for a flicker-free start), whole and no further; its
 * pixels are the console's (Linux's is blank under console=ttyS0, Lumen's shows the
 * log: only their colours, black and the console's gray, are compared). */
static void console_fb(void)
{
	struct drm_mode_crtc c = { .crtc_id = crtc };
	struct drm_mode_map_dumb m = { 0 };
	uint32_t h, h2, *px, other = 0;
	size_t size;

	show("GETCRTC", drm(fd, DRM_IOCTL_MODE_GETCRTC, &c));
	printf("  console: fb %s mode_valid %u %s\n", c.fb_id ? "set" : "0", c.mode_valid,
	       c.mode.name);
	h = getfb(fd, c.fb_id, "GETFB of the console's framebuffer");
	h2 = getfb2(fd, c.fb_id, "GETFB2 of it");
	m.handle = h;
	show("MAP_DUMB of its handle", drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	size = (size_t)c.mode.hdisplay * 4 * c.mode.vdisplay;
	px = mmap(NULL, size + 4096, PROT_READ, MAP_SHARED, fd, m.offset);
	printf("mmap a page past it: %s\n", px == MAP_FAILED ? errname(errno) : "mapped");
	px = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, m.offset);
	printf("mmap it: %s\n", px == MAP_FAILED ? errname(errno) : "ok");
	if (px != MAP_FAILED) {
		for (size_t i = 0; i < size / 4; i++)
			other += px[i] != 0 && px[i] != 0xaaaaaa;
		printf("  pixels other than black and the console's gray: %u\n", other);
		munmap(px, size);
	}
	m.handle = h2;
	show("MAP_DUMB of the GETFB2 handle", drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	gem_close(fd, h, "GEM_CLOSE the GETFB handle");
	gem_close(fd, h2, "GEM_CLOSE the GETFB2 handle");
}

static int gamma_call(int f, unsigned long req, uint32_t id, uint32_t size, int bad_ptrs)
{
	static uint16_t lut[3][1024];
	struct drm_mode_crtc_lut l = { .crtc_id = id, .gamma_size = size };

	if (bad_ptrs) {
		l.red = l.green = l.blue = bad_address;
	} else {
		l.red = (uintptr_t)lut[0];
		l.green = (uintptr_t)lut[1];
		l.blue = (uintptr_t)lut[2];
	}
	return drm(f, req, &l);
}

static void gamma_table(void)
{
	struct drm_mode_crtc c = { .crtc_id = crtc };

	show("GETCRTC", drm(fd, DRM_IOCTL_MODE_GETCRTC, &c));
	printf("  gamma_size %u\n", c.gamma_size);
	show("GETGAMMA size 0", gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, crtc, 0, 0));
	show("GETGAMMA size 0, bad pointers", gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, crtc, 0, 1));
	show("GETGAMMA size 256", gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, crtc, 256, 0));
	show("GETGAMMA size 256, bad pointers",
	     gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, crtc, 256, 1));
	show("GETGAMMA size 0xffffffff",
	     gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, crtc, 0xffffffff, 0));
	show("GETGAMMA unknown CRTC", gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, 9999, 0, 0));
	show("GETGAMMA a connector id", gamma_call(fd, DRM_IOCTL_MODE_GETGAMMA, conn, 0, 0));
	show("GETGAMMA non-master", gamma_call(fd2, DRM_IOCTL_MODE_GETGAMMA, crtc, 0, 0));
	show("GETGAMMA render node", gamma_call(rfd, DRM_IOCTL_MODE_GETGAMMA, crtc, 0, 0));
	show("GETGAMMA bad pointer", drm(fd, DRM_IOCTL_MODE_GETGAMMA, (void *)bad_address));
	show("SETGAMMA size 0", gamma_call(fd, DRM_IOCTL_MODE_SETGAMMA, crtc, 0, 0));
	show("SETGAMMA size 256", gamma_call(fd, DRM_IOCTL_MODE_SETGAMMA, crtc, 256, 0));
	show("SETGAMMA size 256, bad pointers",
	     gamma_call(fd, DRM_IOCTL_MODE_SETGAMMA, crtc, 256, 1));
	show("SETGAMMA unknown CRTC", gamma_call(fd, DRM_IOCTL_MODE_SETGAMMA, 9999, 256, 0));
	show("SETGAMMA non-master", gamma_call(fd2, DRM_IOCTL_MODE_SETGAMMA, crtc, 256, 0));
	show("SETGAMMA render node", gamma_call(rfd, DRM_IOCTL_MODE_SETGAMMA, crtc, 256, 0));
	show("SETGAMMA bad pointer", drm(fd, DRM_IOCTL_MODE_SETGAMMA, (void *)bad_address));
}

/* The cursor plane's property values, by name (ids as names). */
static void show_cursor_props(const char *when, uint32_t fb_argb)
{
	static const char *const names[] = { "FB_ID", "CRTC_ID", "CRTC_X", "CRTC_Y", "CRTC_W",
					     "CRTC_H", "SRC_X", "SRC_Y", "SRC_W", "SRC_H" };
	uint32_t ids[64];
	uint64_t values[64];
	struct drm_mode_obj_get_properties r = { .obj_id = cursor, .count_props = 64,
						 .props_ptr = (uintptr_t)ids,
						 .prop_values_ptr = (uintptr_t)values };
	struct drm_mode_get_plane gp = { .plane_id = cursor };

	drm(fd, DRM_IOCTL_MODE_GETPLANE, &gp);
	printf("  %s: GETPLANE crtc %s fb %s;", when, gp.crtc_id == crtc ? "crtc" : "0",
	       gp.fb_id == fb_argb ? "argb" : gp.fb_id ? "other" : "0");
	if (drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r) < 0) {
		printf(" OBJ_GETPROPERTIES -1 %s\n", errname(errno));
		return;
	}
	for (unsigned n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		for (uint32_t k = 0; k < r.count_props; k++)
			if (ids[k] == drm_prop_id(fd, cursor, names[n])) {
				uint64_t v = values[k];

				if (n == 0)
					printf(" %s %s", names[n], v == fb_argb ? "argb" : v ? "other" : "0");
				else if (n == 1)
					printf(" %s %s", names[n], v == crtc ? "crtc" : v ? "other" : "0");
				else
					printf(" %s %lld", names[n], (long long)v);
			}
	printf("\n");
}

/* The values of a plane's "type" enum (Linux's enum drm_plane_type, which the uapi
 * headers do not name). */
enum { PLANE_PRIMARY = 1, PLANE_CURSOR = 2 };

/* One MODE_ATOMIC request on the cursor plane: n properties by name. */
struct setting { const char *name; uint64_t value; };

static int atomic_cursor(int f, uint32_t flags, const struct setting *set, unsigned n,
			 uint64_t user_data)
{
	uint32_t objs[1] = { cursor }, counts[1] = { n }, props[16];
	uint64_t values[16];
	struct drm_mode_atomic a = { .flags = flags, .count_objs = 1,
				     .objs_ptr = (uintptr_t)objs,
				     .count_props_ptr = (uintptr_t)counts,
				     .props_ptr = (uintptr_t)props,
				     .prop_values_ptr = (uintptr_t)values,
				     .user_data = user_data };

	for (unsigned k = 0; k < n; k++) {
		props[k] = drm_prop_id(fd, cursor, set[k].name);
		values[k] = set[k].value;
	}
	return drm(f, DRM_IOCTL_MODE_ATOMIC, &a);
}

/* A whole cursor: fb at (x, y), w x h from the framebuffer's corner. */
static int put_cursor(int f, uint32_t flags, uint32_t fb, uint32_t crtc_id, int64_t x,
		      int64_t y, uint64_t w, uint64_t h, uint64_t src_w, uint64_t src_h)
{
	struct setting set[] = {
		{ "FB_ID", fb }, { "CRTC_ID", crtc_id }, { "CRTC_X", (uint64_t)x },
		{ "CRTC_Y", (uint64_t)y }, { "CRTC_W", w }, { "CRTC_H", h }, { "SRC_X", 0 },
		{ "SRC_Y", 0 }, { "SRC_W", src_w }, { "SRC_H", src_h },
	};

	return atomic_cursor(f, flags, set, 10, 0);
}

static uint32_t addfb2_format(uint32_t w, uint32_t h, uint32_t format, const char *what)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_fb_cmd2 f = { .width = w, .height = h, .pixel_format = format };

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0) {
		printf("%s CREATE_DUMB: -1 %s\n", what, errname(errno));
		return 0;
	}
	f.handles[0] = c.handle;
	f.pitches[0] = c.pitch;
	show(what, drm(fd, DRM_IOCTL_MODE_ADDFB2, &f));
	return f.fb_id;
}

static void cursor_errors(uint32_t argb, uint32_t xrgb, uint32_t big)
{
	const uint32_t T = DRM_MODE_ATOMIC_TEST_ONLY;
	const uint64_t S = 64 << 16;

	show("TEST_ONLY cursor 64x64 ARGB8888", put_cursor(fd, T, argb, crtc, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor XRGB8888", put_cursor(fd, T, xrgb, crtc, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor 128x128", put_cursor(fd, T, big, crtc, 10, 10, 128, 128,
						      128 << 16, 128 << 16));
	show("TEST_ONLY cursor 32x32 of a 128x128 framebuffer",
	     put_cursor(fd, T, big, crtc, 10, 10, 32, 32, 32 << 16, 32 << 16));
	show("TEST_ONLY cursor scaled down", put_cursor(fd, T, argb, crtc, 10, 10, 32, 32, S, S));
	show("TEST_ONLY cursor scaled up", put_cursor(fd, T, argb, crtc, 10, 10, 64, 64,
						      32 << 16, 32 << 16));
	show("TEST_ONLY cursor CRTC_W 0", put_cursor(fd, T, argb, crtc, 10, 10, 0, 64, S, S));
	show("TEST_ONLY cursor source past the framebuffer",
	     put_cursor(fd, T, argb, crtc, 10, 10, 128, 128, 128 << 16, 128 << 16));
	show("TEST_ONLY cursor fractional source",
	     put_cursor(fd, T, argb, crtc, 10, 10, 64, 64, S - 1, S));
	show("TEST_ONLY cursor off the top-left", put_cursor(fd, T, argb, crtc, -40, -40, 64, 64, S, S));
	show("TEST_ONLY cursor off the bottom-right",
	     put_cursor(fd, T, argb, crtc, 5000, 5000, 64, 64, S, S));
	show("TEST_ONLY cursor CRTC_X INT_MAX",
	     put_cursor(fd, T, argb, crtc, 0x7fffffff, 0, 64, 64, S, S));
	show("TEST_ONLY cursor CRTC_W 2^31", put_cursor(fd, T, argb, crtc, 0, 0, 0x80000000u, 64,
						     S, S));
	show("TEST_ONLY cursor CRTC_W 2^32", put_cursor(fd, T, argb, crtc, 0, 0, 1ull << 32, 64,
						     S, S));
	show("TEST_ONLY cursor CRTC_X -2^31 - 1", put_cursor(fd, T, argb, crtc, -0x80000001ll, 0,
							  64, 64, S, S));
	show("TEST_ONLY cursor framebuffer without CRTC",
	     put_cursor(fd, T, argb, 0, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor CRTC without framebuffer",
	     put_cursor(fd, T, 0, crtc, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor unknown framebuffer",
	     put_cursor(fd, T, 9999, crtc, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor FB_ID a CRTC id", put_cursor(fd, T, crtc, crtc, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor CRTC_ID a connector id",
	     put_cursor(fd, T, argb, conn, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor CRTC_ID 9999", put_cursor(fd, T, argb, 9999, 10, 10, 64, 64, S, S));
	show("TEST_ONLY cursor SRC_X past 16.16",
	     atomic_cursor(fd, T, (struct setting[]){ { "SRC_X", 1ull << 32 } }, 1, 0));
	show("TEST_ONLY cursor IN_FENCE_FD -1",
	     atomic_cursor(fd, T, (struct setting[]){ { "IN_FENCE_FD", (uint64_t)-1 } }, 1, 0));
	show("TEST_ONLY cursor hidden", put_cursor(fd, T, 0, 0, 0, 0, 0, 0, 0, 0));
	show("cursor from a non-master", put_cursor(fd2, 0, argb, crtc, 10, 10, 64, 64, S, S));
	show("cursor from the render node",
	     put_cursor(rfd, 0, argb, crtc, 10, 10, 64, 64, S, S));
}

/* What a legacy SETCRTC leaves in the atomic state: the CRTC's, connector's and
 * primary plane's properties. */
static void show_config(const char *when, uint32_t fb)
{
	printf("  %s: ACTIVE %llu MODE_ID %s connector CRTC_ID %s primary FB_ID %s CRTC_ID %s"
	       " SRC %llu %llu %llu %llu CRTC %lld %lld %llu %llu\n", when,
	       (unsigned long long)drm_prop_value(fd, crtc, "ACTIVE"),
	       drm_prop_value(fd, crtc, "MODE_ID") ? "set" : "0",
	       drm_prop_value(fd, conn, "CRTC_ID") == crtc ? "crtc" : "0",
	       drm_prop_value(fd, primary, "FB_ID") == fb ? "fb" :
	       drm_prop_value(fd, primary, "FB_ID") ? "other" : "0",
	       drm_prop_value(fd, primary, "CRTC_ID") == crtc ? "crtc" : "0",
	       (unsigned long long)drm_prop_value(fd, primary, "SRC_X") >> 16,
	       (unsigned long long)drm_prop_value(fd, primary, "SRC_Y") >> 16,
	       (unsigned long long)drm_prop_value(fd, primary, "SRC_W") >> 16,
	       (unsigned long long)drm_prop_value(fd, primary, "SRC_H") >> 16,
	       (long long)drm_prop_value(fd, primary, "CRTC_X"),
	       (long long)drm_prop_value(fd, primary, "CRTC_Y"),
	       (unsigned long long)drm_prop_value(fd, primary, "CRTC_W"),
	       (unsigned long long)drm_prop_value(fd, primary, "CRTC_H"));
}

/* Legacy SETCRTC as Linux runs it through an atomic commit: the state it leaves, the
 * MODE_ID blob kept for the same mode and replaced for another, panning, off. */
static void setcrtc_state(uint32_t fb)
{
	struct drm_mode_crtc set = { .crtc_id = crtc, .fb_id = fb, .mode_valid = 1,
				     .mode = mode, .count_connectors = 1,
				     .set_connectors_ptr = (uintptr_t)&conn };
	uint64_t blob;

	show("SETCRTC", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	show_config("after SETCRTC", fb);
	blob = drm_prop_value(fd, crtc, "MODE_ID");
	show("SETCRTC the same mode", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	printf("  MODE_ID %s\n", drm_prop_value(fd, crtc, "MODE_ID") == blob ? "kept" : "replaced");
	set.mode.hdisplay -= 8;
	set.x = 8;
	set.y = 0;
	show("SETCRTC a narrower mode at x 8", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	printf("  MODE_ID %s\n", drm_prop_value(fd, crtc, "MODE_ID") == blob ? "kept" : "replaced");
	show_config("narrower", fb);
	set.fb_id = 0;
	set.mode_valid = 0;
	set.count_connectors = 0;
	show("SETCRTC off", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	show_config("off", fb);
	set.fb_id = fb;
	set.mode_valid = 1;
	set.mode = mode;
	set.x = 0;
	set.count_connectors = 1;
	show("SETCRTC on again", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	show_config("on again", fb);
}

/* Reads the one event a commit with PAGE_FLIP_EVENT sends. */
static void read_event(const char *what)
{
	struct drm_event_vblank ev = { 0 };
	ssize_t n = read(fd, &ev, sizeof(ev));

	printf("%s: read %zd type %u user_data %llu crtc %s\n", what, n, ev.base.type,
	       (unsigned long long)ev.user_data, ev.crtc_id == crtc ? "crtc" : "other");
}

static void cursor_plane(void)
{
	uint32_t planes[8], xrgb_full, argb, xrgb, big;
	struct drm_mode_get_plane_res pr = { .plane_id_ptr = (uintptr_t)planes,
					     .count_planes = 8 };
	struct drm_mode_crtc set = { .crtc_id = crtc, .mode_valid = 1, .count_connectors = 1,
				     .set_connectors_ptr = (uintptr_t)&conn };
	struct drm_mode_cursor legacy = { .flags = DRM_MODE_CURSOR_MOVE, .crtc_id = crtc,
					  .x = 300, .y = 40 };
	const uint64_t S = 64 << 16;

	show("SET_CLIENT_CAP ATOMIC", drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
				      &(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 }));
	drm(fd2, DRM_IOCTL_SET_CLIENT_CAP, &(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 });
	show("GETPLANERESOURCES atomic", drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr));
	printf("  %u planes\n", pr.count_planes);
	for (uint32_t k = 0; k < pr.count_planes && k < 8; k++) {
		uint64_t type = drm_prop_value(fd, planes[k], "type");

		if (type == PLANE_CURSOR)
			cursor = planes[k];
		else if (type == PLANE_PRIMARY)
			primary = planes[k];
	}
	printf("  primary %s cursor %s\n", primary ? "found" : "none", cursor ? "found" : "none");
	if (!cursor)
		return;
	xrgb_full = addfb2_format(mode.hdisplay, mode.vdisplay, DRM_FORMAT_XRGB8888,
				  "ADDFB2 XRGB8888 of the mode");
	argb = addfb2_format(64, 64, DRM_FORMAT_ARGB8888, "ADDFB2 ARGB8888 64x64");
	xrgb = addfb2_format(64, 64, DRM_FORMAT_XRGB8888, "ADDFB2 XRGB8888 64x64");
	big = addfb2_format(128, 128, DRM_FORMAT_ARGB8888, "ADDFB2 ARGB8888 128x128");
	set.mode = mode;
	set.fb_id = argb;
	show("SETCRTC with an ARGB8888 framebuffer", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	setcrtc_state(xrgb_full);
	show_cursor_props("before", argb);
	cursor_errors(argb, xrgb, big);
	show_cursor_props("after the tests", argb);

	show("cursor shown", put_cursor(fd, 0, argb, crtc, 100, 50, 64, 64, S, S));
	show_cursor_props("shown", argb);
	show("cursor moved", atomic_cursor(fd, 0, (struct setting[]){ { "CRTC_X", 120 },
				{ "CRTC_Y", (uint64_t)-10 } }, 2, 0));
	show_cursor_props("moved", argb);
	show("cursor moved with an event",
	     atomic_cursor(fd, DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_ATOMIC_NONBLOCK,
			   (struct setting[]){ { "CRTC_X", 140 } }, 1, 77));
	read_event("  its event");
	show("cursor 32x32 of the 128x128 framebuffer",
	     put_cursor(fd, 0, big, crtc, 10, 10, 32, 32, 32 << 16, 32 << 16));
	show_cursor_props("32x32", argb);
	show("cursor back", put_cursor(fd, 0, argb, crtc, 100, 50, 64, 64, S, S));
	show("legacy CURSOR move", drm(fd, DRM_IOCTL_MODE_CURSOR, &legacy));
	show_cursor_props("after a legacy move", argb);
	show("RMFB of the cursor's framebuffer", drm(fd, DRM_IOCTL_MODE_RMFB, &argb));
	show_cursor_props("after RMFB", argb);
	argb = addfb2_format(64, 64, DRM_FORMAT_ARGB8888, "ADDFB2 ARGB8888 64x64 again");
	show("cursor shown again", put_cursor(fd, 0, argb, crtc, 100, 50, 64, 64, S, S));
	legacy.flags = DRM_MODE_CURSOR_BO;
	legacy.handle = 0;
	show("legacy CURSOR hide", drm(fd, DRM_IOCTL_MODE_CURSOR, &legacy));
	show_cursor_props("after a legacy hide", argb);
	show("cursor shown once more", put_cursor(fd, 0, argb, crtc, 100, 50, 64, 64, S, S));
	show("cursor hidden", put_cursor(fd, 0, 0, 0, 0, 0, 0, 0, 0, 0));
	show_cursor_props("hidden", argb);
	set.fb_id = 0;
	set.mode_valid = 0;
	set.count_connectors = 0;
	show("SETCRTC off", drm(fd, DRM_IOCTL_MODE_SETCRTC, &set));
	show("cursor on the CRTC while off", put_cursor(fd, 0, argb, crtc, 10, 10, 64, 64, S, S));
	show_cursor_props("on a CRTC that is off", argb);
	show("cursor event on the CRTC while off",
	     atomic_cursor(fd, DRM_MODE_PAGE_FLIP_EVENT, (struct setting[]){ { "CRTC_X", 1 } },
			   1, 5));
	show("cursor hidden", put_cursor(fd, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}

int main(void)
{
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	fd2 = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	rfd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	if (fd < 0 || fd2 < 0 || rfd < 0) {
		printf("open: -1 %s\n", errname(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_objects();
	find_mode();
	console_fb();
	getfbs();
	gamma_table();
	cursor_plane();
	return 0;
}
