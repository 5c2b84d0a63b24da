/* drmflip: page flips and their events on /dev/dri/card0 (virtio-gpu): PAGE_FLIP's
 * errors, flip-complete events read back from the DRM fd (whole events only, short
 * buffers, O_NONBLOCK, blocking reads, poll and epoll readiness, order, user_data,
 * crtc_id, sequence, CLOCK_MONOTONIC timestamps), a second flip while one is pending,
 * the vblank ioctls, and bad input from non-master and render-node files. Only
 * deterministic facts are printed (timestamps as comparisons). Then the cursor plane
 * through the legacy CURSOR/CURSOR2 ioctls; with an argument NAME, the screen with
 * the cursor shown is screendumped as NAME by `shot`. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "drmtest.h"

/* An unmapped address the compiler cannot see through. */
static volatile uintptr_t bad_address = 8;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

struct setup {
	uint32_t crtc, connector;
	struct drm_mode_modeinfo mode;
	uint32_t fb[3];		/* two of the mode's size, one 64x64 */
};

/* A dumb buffer of w x h filled with color, and a framebuffer of it. */
static uint32_t make_fb(int fd, uint32_t w, uint32_t h, uint32_t color)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_fb_cmd f = { .width = w, .height = h, .bpp = 32, .depth = 24 };
	uint32_t *px = drm_dumb_map(fd, &c);

	if (!px)
		return 0;
	for (uint64_t i = 0; i < c.size / 4; i++)
		px[i] = color;
	munmap(px, c.size);
	f.pitch = c.pitch;
	f.handle = c.handle;
	if (drm(fd, DRM_IOCTL_MODE_ADDFB, &f) < 0)
		return 0;
	return f.fb_id;
}

static int setup(int fd, struct setup *s)
{
	if (drm_find_output(fd, &s->crtc, &s->connector, &s->mode) < 0)
		return -1;
	printf("mode %ux%u\n", s->mode.hdisplay, s->mode.vdisplay);
	s->fb[0] = make_fb(fd, s->mode.hdisplay, s->mode.vdisplay, 0x00ff0000);
	s->fb[1] = make_fb(fd, s->mode.hdisplay, s->mode.vdisplay, 0x000000ff);
	s->fb[2] = make_fb(fd, 64, 64, 0x0000ff00);
	return s->fb[0] && s->fb[1] && s->fb[2] ? 0 : -1;
}

static int flip(int fd, uint32_t crtc, uint32_t fb, uint32_t flags, uint64_t user)
{
	struct drm_mode_crtc_page_flip f = { .crtc_id = crtc, .fb_id = fb, .flags = flags,
					     .user_data = user };

	return drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f);
}

static int setcrtc(int fd, struct setup *s, uint32_t fb)
{
	return drm_setcrtc(fd, s->crtc, s->connector, &s->mode, fb);
}

/* Bad PAGE_FLIP arguments from the master, in the order Linux checks them. */
static void flip_errors(int fd, struct setup *s)
{
	struct drm_mode_crtc_page_flip f = { .crtc_id = s->crtc, .fb_id = s->fb[1],
					     .reserved = 1 };

	show("PAGE_FLIP unknown flag", flip(fd, s->crtc, s->fb[1], 0x80, 0));
	show("PAGE_FLIP ASYNC", flip(fd, s->crtc, s->fb[1], DRM_MODE_PAGE_FLIP_ASYNC, 0));
	show("PAGE_FLIP reserved set", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f));
	show("PAGE_FLIP TARGET_ABSOLUTE",
	     flip(fd, s->crtc, s->fb[1], DRM_MODE_PAGE_FLIP_TARGET_ABSOLUTE, 0));
	show("PAGE_FLIP both TARGET flags",
	     flip(fd, s->crtc, s->fb[1], DRM_MODE_PAGE_FLIP_TARGET, 0));
	show("PAGE_FLIP bad crtc", flip(fd, 9999, s->fb[1], 0, 0));
	show("PAGE_FLIP connector id as crtc", flip(fd, s->connector, s->fb[1], 0, 0));
	show("PAGE_FLIP bad fb", flip(fd, s->crtc, 9999, 0, 0));
	show("PAGE_FLIP fb 0", flip(fd, s->crtc, 0, DRM_MODE_PAGE_FLIP_EVENT, 0));
	show("PAGE_FLIP fb smaller than the mode", flip(fd, s->crtc, s->fb[2], 0, 0));
	show("PAGE_FLIP bad argument pointer", drm(fd, DRM_IOCTL_MODE_PAGE_FLIP, (void *)8));
}

/* The vblank ioctls (virtio-gpu has no vblank interrupt). */
static void vblank_ioctls(int fd, int render, struct setup *s)
{
	union drm_wait_vblank vbl = { .request = { .type = _DRM_VBLANK_RELATIVE, .sequence = 1 } };
	struct drm_crtc_get_sequence gs = { .crtc_id = s->crtc };
	struct drm_crtc_queue_sequence qs = { .crtc_id = s->crtc, .sequence = 1,
					      .flags = DRM_CRTC_SEQUENCE_RELATIVE };

	show("WAIT_VBLANK relative 1", drm(fd, DRM_IOCTL_WAIT_VBLANK, &vbl));
	vbl.request.type = _DRM_VBLANK_RELATIVE;
	vbl.request.sequence = 0;
	show("WAIT_VBLANK query", drm(fd, DRM_IOCTL_WAIT_VBLANK, &vbl));
	vbl.request.type = _DRM_VBLANK_RELATIVE | _DRM_VBLANK_EVENT;
	vbl.request.sequence = 1;
	show("WAIT_VBLANK event", drm(fd, DRM_IOCTL_WAIT_VBLANK, &vbl));
	vbl.request.type = _DRM_VBLANK_ABSOLUTE | (5 << _DRM_VBLANK_HIGH_CRTC_SHIFT);
	show("WAIT_VBLANK high crtc 5", drm(fd, DRM_IOCTL_WAIT_VBLANK, &vbl));
	vbl.request.type = _DRM_VBLANK_SIGNAL;
	show("WAIT_VBLANK SIGNAL", drm(fd, DRM_IOCTL_WAIT_VBLANK, &vbl));
	show("WAIT_VBLANK render node", drm(render, DRM_IOCTL_WAIT_VBLANK, &vbl));
	show("CRTC_GET_SEQUENCE", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	gs.crtc_id = 9999;
	show("CRTC_GET_SEQUENCE bad crtc", drm(fd, DRM_IOCTL_CRTC_GET_SEQUENCE, &gs));
	show("CRTC_QUEUE_SEQUENCE", drm(fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
	show("CRTC_QUEUE_SEQUENCE render node", drm(render, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, &qs));
}

/* Checks one flip-complete event against what was asked; prints one line. */
static void check_event(const char *what, const struct drm_event_vblank *e, uint64_t user,
			uint32_t crtc, uint64_t t0)
{
	uint64_t tv = e->tv_sec * 1000000ULL + e->tv_usec, t1 = now_us();

	printf("  %s: type %s length %u user_data %s crtc_id %s sequence %u time %s\n", what,
	       e->base.type == DRM_EVENT_FLIP_COMPLETE ? "FLIP_COMPLETE" : "other",
	       e->base.length, e->user_data == user ? "ok" : "wrong",
	       e->crtc_id == crtc ? "ok" : "wrong", e->sequence,
	       tv >= t0 && tv <= t1 ? "within the call and now" : "out of range");
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDNORM | POLLOUT };
	int r = poll(&p, 1, ms);

	return r < 0 ? -1 : r ? p.revents : 0;
}

/* One flip with an event, read back through poll and several reads. */
static void flip_event(int fd, struct setup *s)
{
	union { struct drm_event_vblank e[4]; char b[1024]; } buf;
	uint64_t t0;
	int fl = fcntl(fd, F_GETFL), r;
	ssize_t n;

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	show("read with nothing queued, O_NONBLOCK", read(fd, buf.b, sizeof(buf)));
	fcntl(fd, F_SETFL, fl);
	printf("poll with nothing queued: revents %#x\n", wait_readable(fd, 0));

	t0 = now_us();
	show("PAGE_FLIP with event", flip(fd, s->crtc, s->fb[1], DRM_MODE_PAGE_FLIP_EVENT, 0x1234));
	/* Linux's virtio_gpu usually completes a flip before the caller gets to the next
	 * one; Lumen's waits for the next vblank: either answer is right. */
	r = flip(fd, s->crtc, s->fb[0], DRM_MODE_PAGE_FLIP_EVENT, 0x5678);
	printf("second PAGE_FLIP at once: %s\n", !r || errno == EBUSY ? "0 or EBUSY" : errname(errno));
	printf("poll for the event: revents %#x\n", wait_readable(fd, 3000));
	printf("poll again: revents %#x\n", wait_readable(fd, 0));
	show("read of 0 bytes", read(fd, buf.b, 0));
	show("read of 16 bytes (short)", read(fd, buf.b, 16));
	show("read of 31 bytes (short)", read(fd, buf.b, 31));
	show("read bad pointer", read(fd, (void *)bad_address, 1024));
	if (!r)
		usleep(300000);
	n = read(fd, buf.b, sizeof(buf));
	printf("read of 1024 bytes: %s\n", n == (r ? 32 : 64) ? "one event per accepted flip" : "wrong size");
	check_event("event", &buf.e[0], 0x1234, s->crtc, t0);
	printf("  second flip's event if accepted: %s\n",
	       r || (n == 64 && buf.e[1].user_data == 0x5678) ? "ok" : "wrong");
	printf("poll after reading: revents %#x\n", wait_readable(fd, 0));

	t0 = now_us();
	show("PAGE_FLIP with event, blocking read", flip(fd, s->crtc, s->fb[0],
							 DRM_MODE_PAGE_FLIP_EVENT, 2));
	show("blocking read", read(fd, buf.b, sizeof(buf)));
	check_event("event", &buf.e[0], 2, s->crtc, t0);
}

/* Two events queued before reading: one read of 1024 gets both, a read with room for
 * one and a half gets one. */
static void two_events(int fd, struct setup *s)
{
	union { struct drm_event_vblank e[4]; char b[1024]; } buf;
	uint64_t t0 = now_us();

	for (int round = 0; round < 2; round++) {
		show("PAGE_FLIP a", flip(fd, s->crtc, s->fb[1], DRM_MODE_PAGE_FLIP_EVENT, 10 + round * 2));
		printf("poll: revents %#x\n", wait_readable(fd, 3000));
		show("PAGE_FLIP b after a's event", flip(fd, s->crtc, s->fb[0],
							 DRM_MODE_PAGE_FLIP_EVENT, 11 + round * 2));
		usleep(300000);
		if (round == 0) {
			show("read of 1024 with two queued", read(fd, buf.b, sizeof(buf)));
			check_event("first", &buf.e[0], 10, s->crtc, t0);
			check_event("second", &buf.e[1], 11, s->crtc, t0);
			printf("  timestamps non-decreasing %d\n",
			       buf.e[1].tv_sec * 1000000ULL + buf.e[1].tv_usec >=
			       buf.e[0].tv_sec * 1000000ULL + buf.e[0].tv_usec);
		} else {
			show("read of 48 with two queued", read(fd, buf.b, 48));
			check_event("first", &buf.e[0], 12, s->crtc, t0);
			show("read of 1024", read(fd, buf.b, sizeof(buf)));
			check_event("second", &buf.e[0], 13, s->crtc, t0);
		}
	}
	show("PAGE_FLIP without event", flip(fd, s->crtc, s->fb[1], 0, 0));
	usleep(300000);
	printf("poll after a flip without event: revents %#x\n", wait_readable(fd, 0));
}

/* epoll readiness follows the queue. */
static void epoll_events(int fd, struct setup *s)
{
	struct drm_event_vblank e;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, out[2];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	uint64_t t0;

	show("epoll_ctl ADD", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	show("epoll_wait with nothing queued", epoll_wait(ep, out, 2, 0));
	t0 = now_us();
	show("PAGE_FLIP with event", flip(fd, s->crtc, s->fb[0], DRM_MODE_PAGE_FLIP_EVENT, 7));
	show("epoll_wait for the event", epoll_wait(ep, out, 2, 3000));
	printf("  events %#x data %u\n", out[0].events, out[0].data.u32);
	show("read", read(fd, &e, sizeof(e)));
	check_event("event", &e, 7, s->crtc, t0);
	show("epoll_wait after reading", epoll_wait(ep, out, 2, 0));
	close(ep);
}

/* A run of flips, each waited for: events in order, timestamps non-decreasing. */
static void many_flips(int fd, struct setup *s)
{
	struct drm_event_vblank e;
	uint64_t last = 0, t0;
	unsigned bad_user = 0, bad_crtc = 0, bad_len = 0, backwards = 0, early = 0, first_seq = 0;
	int seq_delta = -1, seq_same = 1;

	for (unsigned k = 0; k < 30; k++) {
		t0 = now_us();
		if (flip(fd, s->crtc, s->fb[k & 1], DRM_MODE_PAGE_FLIP_EVENT, 100 + k) < 0) {
			printf("flip %u: -1 %s\n", k, errname(errno));
			return;
		}
		if (read(fd, &e, sizeof(e)) != sizeof(e)) {
			printf("read %u failed\n", k);
			return;
		}
		uint64_t tv = e.tv_sec * 1000000ULL + e.tv_usec;

		bad_user += e.user_data != 100 + k;
		bad_crtc += e.crtc_id != s->crtc;
		bad_len += e.base.length != sizeof(e) || e.base.type != DRM_EVENT_FLIP_COMPLETE;
		backwards += tv < last;
		early += tv < t0;
		if (k == 1)
			seq_delta = e.sequence - first_seq;
		else if (k > 1)
			seq_same &= (int)(e.sequence - first_seq) == seq_delta * (int)k;
		if (!k)
			first_seq = e.sequence;
		last = tv;
	}
	printf("30 flips: wrong user_data %u, wrong crtc_id %u, bad header %u, "
	       "timestamps backwards %u, before the flip %u, sequence step %d regular %d\n",
	       bad_user, bad_crtc, bad_len, backwards, early, seq_delta, seq_same);
}

/* The cursor image: opaque, red = x * 4, green = y * 4, blue 0x80. */
static uint32_t make_cursor(int fd)
{
	struct drm_mode_create_dumb c = { .width = 64, .height = 64, .bpp = 32 };
	uint32_t *px = drm_dumb_map(fd, &c);

	if (!px)
		return 0;
	for (uint32_t y = 0; y < 64; y++)
		for (uint32_t x = 0; x < 64; x++)
			px[y * c.pitch / 4 + x] = 0xff000000 | x * 4 << 16 | y * 4 << 8 | 0x80;
	munmap(px, c.size);
	return c.handle;
}

static int cursor(int fd, uint32_t crtc, uint32_t flags, uint32_t handle, uint32_t w,
		  uint32_t h, int32_t x, int32_t y)
{
	struct drm_mode_cursor c = { .flags = flags, .crtc_id = crtc, .handle = handle,
				     .width = w, .height = h, .x = x, .y = y };

	return drm(fd, DRM_IOCTL_MODE_CURSOR, &c);
}

/* The planes a universal-planes client sees: the cursor plane's state. */
static void show_planes(int fd, const char *when)
{
	struct drm_mode_get_plane_res pr = { 0 };
	uint32_t ids[8], formats[8];

	pr.plane_id_ptr = (uintptr_t)ids;
	pr.count_planes = 8;
	show("GETPLANERESOURCES", drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr));
	printf("  %s: %u planes\n", when, pr.count_planes);
	for (unsigned k = 0; k < pr.count_planes && k < 8; k++) {
		struct drm_mode_get_plane p = { .plane_id = ids[k], .count_format_types = 8,
						.format_type_ptr = (uintptr_t)formats };

		if (drm(fd, DRM_IOCTL_MODE_GETPLANE, &p) < 0) {
			printf("  GETPLANE %u: -1 %s\n", k, errname(errno));
			continue;
		}
		printf("  plane %u: id +%u formats %u first %.4s possible_crtcs %#x on crtc %d",
		       k, ids[k] - ids[0], p.count_format_types, (char *)&formats[0],
		       p.possible_crtcs, p.crtc_id != 0);
		if (formats[0] == DRM_FORMAT_XRGB8888)
			printf(" fb %d", p.fb_id != 0);
		printf(" type %lld CRTC_X %lld CRTC_W %lld SRC_H %lld\n",
		       (long long)drm_prop_value(fd, ids[k], "type"),
		       (long long)drm_prop_value(fd, ids[k], "CRTC_X"),
		       (long long)drm_prop_value(fd, ids[k], "CRTC_W"),
		       (long long)drm_prop_value(fd, ids[k], "SRC_H"));
	}
}

/* Legacy cursor ioctls on the cursor plane, and a screendump with it shown. */
static void cursors(int fd, int fd2, struct setup *s, const char *shot)
{
	struct drm_set_client_cap cap = { DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1 };
	struct drm_mode_cursor2 c2 = { .flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE,
				       .crtc_id = s->crtc, .width = 64, .height = 64,
				       .x = 300, .y = 150, .hot_x = 5, .hot_y = 5 };
	uint32_t handle = make_cursor(fd);
	char cmd[64];

	c2.handle = handle;
	show("SET_CLIENT_CAP UNIVERSAL_PLANES", drm(fd, DRM_IOCTL_SET_CLIENT_CAP, &cap));
	show_planes(fd, "before a cursor");
	show("CURSOR no flags", cursor(fd, s->crtc, 0, handle, 64, 64, 0, 0));
	show("CURSOR unknown flag", cursor(fd, s->crtc, 0x10, handle, 64, 64, 0, 0));
	show("CURSOR bad crtc", cursor(fd, 9999, DRM_MODE_CURSOR_BO, handle, 64, 64, 0, 0));
	show("CURSOR connector id as crtc", cursor(fd, s->connector, DRM_MODE_CURSOR_MOVE, 0, 0, 0, 0, 0));
	show("CURSOR bad handle", cursor(fd, s->crtc, DRM_MODE_CURSOR_BO, 9999, 64, 64, 0, 0));
	show("CURSOR width 16", cursor(fd, s->crtc, DRM_MODE_CURSOR_BO, handle, 16, 64, 0, 0));
	show("CURSOR height 9000", cursor(fd, s->crtc, DRM_MODE_CURSOR_BO, handle, 64, 9000, 0, 0));
	show("CURSOR from a non-master", cursor(fd2, s->crtc, DRM_MODE_CURSOR_BO, 0, 0, 0, 0, 0));
	show("CURSOR bad argument pointer", drm(fd, DRM_IOCTL_MODE_CURSOR, (void *)8));
	show("CURSOR hide while hidden", cursor(fd, s->crtc, DRM_MODE_CURSOR_BO, 0, 0, 0, 0, 0));
	show("CURSOR move while hidden", cursor(fd, s->crtc, DRM_MODE_CURSOR_MOVE, 0, 0, 0, 10, 10));
	show("CURSOR set 64x64", cursor(fd, s->crtc, DRM_MODE_CURSOR_BO, handle, 64, 64, 0, 0));
	show("CURSOR move", cursor(fd, s->crtc, DRM_MODE_CURSOR_MOVE, 0, 0, 0, 100, 200));
	show("CURSOR move off the top-left", cursor(fd, s->crtc, DRM_MODE_CURSOR_MOVE, 0, 0, 0, -20, -30));
	show("CURSOR2 set with hotspot and move", drm(fd, DRM_IOCTL_MODE_CURSOR2, &c2));
	show_planes(fd, "with a cursor");
	if (shot) {
		snprintf(cmd, sizeof(cmd), "shot %s", shot);
		show("shot", system(cmd));
	}
	show("CURSOR hide", cursor(fd, s->crtc, DRM_MODE_CURSOR_BO, 0, 0, 0, 0, 0));
	show_planes(fd, "hidden");
}

int main(int argc, char **argv)
{
	struct setup s;
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC), fd2, render;
	struct drm_mode_crtc_page_flip f;

	if (fd < 0 || setup(fd, &s) < 0) {
		printf("setup failed: %s\n", errname(errno));
		return 1;
	}
	fd2 = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	render = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	show("SETCRTC", setcrtc(fd, &s, s.fb[0]));
	flip_errors(fd, &s);
	show("PAGE_FLIP from a non-master", flip(fd2, s.crtc, s.fb[1], 0, 0));
	show("PAGE_FLIP from the render node", flip(render, s.crtc, s.fb[1], 0, 0));
	vblank_ioctls(fd, render, &s);
	flip_event(fd, &s);
	two_events(fd, &s);
	epoll_events(fd, &s);
	many_flips(fd, &s);
	cursors(fd, fd2, &s, argc > 1 ? argv[1] : NULL);

	/* The master closes with a flip pending; the next opener becomes master. */
	show("PAGE_FLIP then close", flip(fd, s.crtc, s.fb[1], DRM_MODE_PAGE_FLIP_EVENT, 9));
	close(fd);
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	memset(&f, 0, sizeof(f));
	show("read on a new file", read(fd, &f, sizeof(f)));
	show("PAGE_FLIP from the new master, the CRTC off",
	     flip(fd, s.crtc, 9999, DRM_MODE_PAGE_FLIP_EVENT, 0));
	close(fd);
	close(fd2);
	close(render);
	return 0;
}
