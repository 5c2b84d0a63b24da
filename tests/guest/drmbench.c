/* drmbench [DRIVER]: the DRM figures of `make bench` on the first card whose driver
 * (DRM_IOCTL_VERSION's name) is DRIVER, virtio_gpu by default, as master at the
 * connector's preferred mode. Prints "drmbench: NAME VALUE UNIT" per figure, or
 * "drmbench: NAME n/a (why)". On virtio_gpu: page flips a second with flip-complete
 * events, frames a second of a full-screen dumb-buffer fill + flip, CREATE_DUMB +
 * MAP_DUMB + mmap + touch + munmap + DESTROY_DUMB round trips a second. On another
 * driver (one with vblank counting, vkms): DRIVER-page-flip, flips a second with
 * events; DRIVER-refresh, the vblank rate the events' sequence numbers and times
 * show; DRIVER-lost-events, how many consecutive flip-complete events did not step
 * their sequence by exactly 1 (a vblank with no flip completed, or a count gone
 * wrong). virtio_gpu counts no vblanks (its events carry sequence 0), so it has no
 * such figures. */
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
#define PACED_FLIPS 300
#define MAX_CARDS 16
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

/* What the flip-complete events of one bench_flips showed. */
struct flip_stats {
	uint32_t first_seq, last_seq;	/* sequence of the first and last event */
	long long first_us, last_us;	/* their times (tv_sec, tv_usec), in us */
	int lost;			/* consecutive events not one vblank apart */
};

/* Flips to fb on crtc and waits for its event, which goes into *ev; 0 or -1. */
static int flip_wait(int fd, uint32_t crtc, uint32_t fb, struct drm_event_vblank *ev)
{
	struct drm_mode_crtc_page_flip pf = {
		.crtc_id = crtc, .fb_id = fb, .flags = DRM_MODE_PAGE_FLIP_EVENT,
	};

	if (drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf))
		return -1;
	if (read(fd, ev, sizeof(*ev)) != sizeof(*ev))
		return -1;
	if (ev->base.type != DRM_EVENT_FLIP_COMPLETE) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* Adds flip i's event to *st. */
static void flip_stats_add(struct flip_stats *st, int i, const struct drm_event_vblank *ev)
{
	long long us = ev->tv_sec * 1000000LL + ev->tv_usec;

	if (i == 0) {
		st->first_seq = ev->sequence;
		st->first_us = us;
	} else if (ev->sequence - st->last_seq != 1) {
		st->lost++;
	}
	st->last_seq = ev->sequence;
	st->last_us = us;
}

/* Flips between the two buffers rounds times; with fill, each frame's buffer is
 * painted whole first. Prints the rate; fills *st when it is not NULL. Returns 0, or
 * -1 when a flip failed. */
static int bench_flips(int fd, uint32_t crtc, struct buf *b, const char *name, int rounds,
		       int fill, struct flip_stats *st)
{
	long long start = now_ns();
	struct drm_event_vblank ev;

	for (int i = 0; i < rounds; i++) {
		struct buf *next = &b[(i + 1) % 2];

		if (fill)
			for (uint64_t k = 0; k < next->size / 4; k++)
				next->pixels[k] = (uint32_t)(k + i) * 0x010101u;
		if (flip_wait(fd, crtc, next->fb, &ev)) {
			printf("drmbench: %s n/a (page flip: %s)\n", name, strerror(errno));
			return -1;
		}
		if (st)
			flip_stats_add(st, i, &ev);
	}
	printf("drmbench: %s %lld per-s\n", name,
	       rounds * 1000000000LL / (now_ns() - start));
	return 0;
}

/* The paced figures of a driver with vblank counting: flips a second, the vblank
 * rate its events show, and the events that did not step the sequence by 1. */
static void bench_paced(int fd, uint32_t crtc, struct buf *b, const char *driver)
{
	struct flip_stats st = { 0 };
	char name[64];

	snprintf(name, sizeof(name), "%s-page-flip", driver);
	if (bench_flips(fd, crtc, b, name, PACED_FLIPS, 0, &st))
		return;
	if (st.last_us > st.first_us && st.last_seq != st.first_seq)
		printf("drmbench: %s-refresh %lld Hz\n", driver,
		       ((long long)(st.last_seq - st.first_seq) * 1000000LL +
			(st.last_us - st.first_us) / 2) / (st.last_us - st.first_us));
	else
		printf("drmbench: %s-refresh n/a (events carry no vblank count)\n", driver);
	printf("drmbench: %s-lost-events %d count\n", driver, st.lost);
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

/* Opens the first /dev/dri/cardN whose driver is driver; the fd, or -1. */
static int card_open(const char *driver)
{
	for (int n = 0; n < MAX_CARDS; n++) {
		char path[32], name[64] = "";
		struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", n);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (drm(fd, DRM_IOCTL_VERSION, &v) == 0 && !strcmp(name, driver))
			return fd;
		close(fd);
	}
	errno = ENODEV;
	return -1;
}

/* The connector's preferred mode (the first when none says so). */
static struct drm_mode_modeinfo preferred(const struct drm_mode_modeinfo *modes, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		if (modes[k].type & DRM_MODE_TYPE_PREFERRED)
			return modes[k];
	return modes[0];
}

int main(int argc, char **argv)
{
	const char *driver = argc > 1 ? argv[1] : "virtio_gpu";
	static struct drm_mode_modeinfo modes[64];
	struct drm_mode_modeinfo mode;
	struct drm_mode_get_connector conn = { 0 };
	struct drm_mode_card_res res = { 0 };
	uint32_t crtc_id, conn_id;
	struct drm_mode_crtc set = { 0 };
	struct buf b[2];
	int fd = card_open(driver);

	res.count_crtcs = res.count_connectors = 1;
	res.crtc_id_ptr = (uintptr_t)&crtc_id;
	res.connector_id_ptr = (uintptr_t)&conn_id;
	if (fd < 0 || drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res)) {
		printf("drmbench: drm n/a (%s card: %s)\n", driver, strerror(errno));
		return 0;
	}
	conn.connector_id = conn_id;
	/* all modes or none are copied (Linux) */
	conn.count_modes = 64;
	conn.modes_ptr = (uintptr_t)modes;
	if (drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn) || !conn.count_modes ||
	    conn.count_modes > 64) {
		printf("drmbench: drm n/a (GETCONNECTOR: %s)\n", strerror(errno));
		return 0;
	}
	mode = preferred(modes, conn.count_modes);
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
	if (strcmp(driver, "virtio_gpu")) {
		bench_paced(fd, crtc_id, b, driver);
		return 0;
	}
	bench_flips(fd, crtc_id, b, "page-flip", FLIPS, 0, NULL);
	bench_flips(fd, crtc_id, b, "fill-flip", FILLS, 1, NULL);
	bench_dumb(fd);
	return 0;
}
