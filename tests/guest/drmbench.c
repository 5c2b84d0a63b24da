/* drmbench: the DRM figures of `make bench` on card0 (virtio-gpu), as master at the
 * connector's preferred mode. Prints "drmbench: NAME VALUE UNIT" per figure, or
 * "drmbench: NAME n/a (why)": page flips a second with flip-complete events, frames
 * a second of a full-screen dumb-buffer fill + flip, CREATE_DUMB + MAP_DUMB + mmap +
 * touch + munmap + DESTROY_DUMB round trips a second. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <drm.h>
#include <drm_mode.h>
#include "drmtest.h"

#define FLIPS 120
#define FILLS 30
#define DUMB_ROUNDS 200

/* One scan-out buffer: its handle, framebuffer and mapping. */
struct buf {
	uint32_t handle, fb;
	uint32_t *pixels;
	uint64_t size;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Makes a w x h XRGB8888 buffer with a framebuffer, mapped; 0 or -1. */
static int buf_make(int fd, uint32_t w, uint32_t h, struct buf *b)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	struct drm_mode_fb_cmd f = { .width = w, .height = h, .bpp = 32, .depth = 24 };
	void *p;

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -1;
	m.handle = f.handle = c.handle;
	f.pitch = c.pitch;
	if (drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m) || drm(fd, DRM_IOCTL_MODE_ADDFB, &f))
		return -1;
	p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED)
		return -1;
	*b = (struct buf){ c.handle, f.fb_id, p, c.size };
	return 0;
}

/* Flips to fb on crtc and waits for its event; 0 or -1. */
static int flip_wait(int fd, uint32_t crtc, uint32_t fb)
{
	struct drm_mode_crtc_page_flip pf = {
		.crtc_id = crtc, .fb_id = fb, .flags = DRM_MODE_PAGE_FLIP_EVENT,
	};
	struct drm_event_vblank ev;

	if (drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf))
		return -1;
	return read(fd, &ev, sizeof(ev)) == sizeof(ev) ? 0 : -1;
}

/* Flips between the two buffers FLIPS times; with fill, each frame's buffer is
 * painted whole first. Prints the rate. */
static void bench_flips(int fd, uint32_t crtc, struct buf *b, const char *name, int rounds,
			int fill)
{
	long long start = now_ns();

	for (int i = 0; i < rounds; i++) {
		struct buf *next = &b[(i + 1) % 2];

		if (fill)
			for (uint64_t k = 0; k < next->size / 4; k++)
				next->pixels[k] = (uint32_t)(k + i) * 0x010101u;
		if (flip_wait(fd, crtc, next->fb)) {
			printf("drmbench: %s n/a (page flip: %s)\n", name, strerror(errno));
			return;
		}
	}
	printf("drmbench: %s %lld per-s\n", name,
	       rounds * 1000000000LL / (now_ns() - start));
}

/* CREATE_DUMB + MAP_DUMB + mmap + one store + munmap + DESTROY_DUMB of 256x256. */
static void bench_dumb(int fd)
{
	long long start = now_ns();

	for (int i = 0; i < DUMB_ROUNDS; i++) {
		struct drm_mode_create_dumb c = { .width = 256, .height = 256, .bpp = 32 };
		struct drm_mode_map_dumb m = { 0 };
		struct drm_mode_destroy_dumb d = { 0 };
		uint32_t *p;

		if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c)) {
			printf("drmbench: dumb-cycle n/a (CREATE_DUMB: %s)\n", strerror(errno));
			return;
		}
		m.handle = d.handle = c.handle;
		if (drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m) ||
		    (p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset)) ==
			    MAP_FAILED) {
			printf("drmbench: dumb-cycle n/a (map: %s)\n", strerror(errno));
			return;
		}
		p[0] = i;
		munmap(p, c.size);
		drm(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	}
	printf("drmbench: dumb-cycle %lld per-s\n",
	       DUMB_ROUNDS * 1000000000LL / (now_ns() - start));
}

int main(void)
{
	static struct drm_mode_modeinfo modes[64];
	struct drm_mode_modeinfo mode;
	struct drm_mode_get_connector conn = { 0 };
	struct drm_mode_card_res res = { 0 };
	uint32_t crtc_id, conn_id;
	struct drm_mode_crtc set = { 0 };
	struct buf b[2];
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	res.count_crtcs = res.count_connectors = 1;
	res.crtc_id_ptr = (uintptr_t)&crtc_id;
	res.connector_id_ptr = (uintptr_t)&conn_id;
	if (fd < 0 || drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res)) {
		printf("drmbench: drm n/a (card0: %s)\n", strerror(errno));
		return 0;
	}
	conn.connector_id = conn_id;
	/* all modes or none are copied (Linux): modes[0] is the preferred one */
	conn.count_modes = 64;
	conn.modes_ptr = (uintptr_t)modes;
	if (drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn) || !conn.count_modes ||
	    conn.count_modes > 64) {
		printf("drmbench: drm n/a (GETCONNECTOR: %s)\n", strerror(errno));
		return 0;
	}
	mode = modes[0];
	if (buf_make(fd, mode.hdisplay, mode.vdisplay, &b[0]) ||
	    buf_make(fd, mode.hdisplay, mode.vdisplay, &b[1])) {
		printf("drmbench: drm n/a (setup: %s)\n", strerror(errno));
		return 0;
	}
	set.crtc_id = crtc_id;
	set.fb_id = b[0].fb;
	set.set_connectors_ptr = (uintptr_t)&conn_id;
	set.count_connectors = 1;
	set.mode = mode;
	set.mode_valid = 1;
	if (drm(fd, DRM_IOCTL_MODE_SETCRTC, &set)) {
		printf("drmbench: drm n/a (SETCRTC: %s)\n", strerror(errno));
		return 0;
	}
	bench_flips(fd, crtc_id, b, "page-flip", FLIPS, 0);
	bench_flips(fd, crtc_id, b, "fill-flip", FILLS, 1);
	bench_dumb(fd);
	return 0;
}
