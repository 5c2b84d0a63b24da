/* drmobj: the rest of the mode objects on /dev/dri/card0 (virtio-gpu): GETFB and
 * GETFB2 (sizes, depth/bpp, pitches, offsets, modifiers, and the new handle each
 * gives in the caller's file: the master's, another root file's, a non-root
 * process's, the render node's), and the CRTC's gamma table (GETCRTC's gamma_size,
 * GETGAMMA, SETGAMMA), with bad ids, sizes and pointers. Handles are printed as
 * facts about them (new, same buffer), never as numbers. */
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
static uint32_t crtc, conn;

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
	getfbs();
	gamma_table();
	return 0;
}
