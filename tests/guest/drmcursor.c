/* drmcursor: the hardware cursor as QEMU shows it (virtio-gpu). A checkerboard whose
 * squares each have their own colour fills the preferred mode; a 64x64 ARGB8888 cursor
 * with opaque, half-transparent and fully transparent parts and a marked hot spot
 * goes on top, through legacy CURSOR2 (hot spot 10,20), a CURSOR move partly off the
 * top-left corner, a hide, a move while hidden, shown again there, legacy CURSOR (hot
 * spot 0,0), then the cursor plane in MODE_ATOMIC (another image, hot
 * spot 0,0) partly off the bottom-right corner, an atomic move, and an atomic hide.
 * After each step `shot -c NAME` has the host compose QEMU's cursor onto QEMU's
 * screendump and prints QEMU's position, hot spot and size of it ("cursor: ...");
 * drmcursor.screens compares three of those screenshots with Linux's pixel for
 * pixel. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "drmtest.h"

/* The values of a plane's "type" enum (Linux's enum drm_plane_type, which the uapi
 * headers do not name). */
enum { PLANE_CURSOR = 2 };

static int fd;
static uint32_t crtc, conn, cursor_plane;
static struct drm_mode_modeinfo mode;

/* The connector, CRTC and preferred mode; exits when there are none. */
static void find_output(void)
{
	if (drm_find_output(fd, &crtc, &conn, &mode) < 0) {
		printf("find output: -1 %s\n", errname(errno));
		exit(1);
	}
	printf("mode %ux%u\n", mode.hdisplay, mode.vdisplay);
}

/* The cursor plane's id (by its type property); 0 when there is none. */
static uint32_t find_cursor_plane(void)
{
	uint32_t planes[8];
	struct drm_mode_get_plane_res pr = { .plane_id_ptr = (uintptr_t)planes,
					     .count_planes = 8 };

	if (drm(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr) < 0)
		return 0;
	for (uint32_t k = 0; k < pr.count_planes && k < 8; k++)
		if (drm_prop_value(fd, planes[k], "type") == PLANE_CURSOR)
			return planes[k];
	return 0;
}

typedef uint32_t (*pixel_fn)(uint32_t x, uint32_t y);

/* A w x h dumb buffer filled by pixel(x, y); returns its handle (0 on failure) and
 * its pitch in *pitch. */
static uint32_t make_buffer(uint32_t w, uint32_t h, pixel_fn pixel, uint32_t *pitch)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	uint32_t *px = drm_dumb_map(fd, &c);

	if (!px)
		return 0;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			px[y * c.pitch / 4 + x] = pixel(x, y);
	munmap(px, c.size);
	*pitch = c.pitch;
	return c.handle;
}

/* A framebuffer of format over a w x h buffer filled by pixel; 0 on failure. */
static uint32_t make_fb(uint32_t w, uint32_t h, uint32_t format, pixel_fn pixel)
{
	struct drm_mode_fb_cmd2 f = { .width = w, .height = h, .pixel_format = format };

	f.handles[0] = make_buffer(w, h, pixel, &f.pitches[0]);
	if (!f.handles[0] || drm(fd, DRM_IOCTL_MODE_ADDFB2, &f) < 0)
		return 0;
	return f.fb_id;
}

/* The background: 32x32 squares, red from the column, green from the row, blue
 * alternating, so that a cursor one pixel off lands on different colours. */
static uint32_t checkerboard(uint32_t x, uint32_t y)
{
	return (x / 32 * 6 & 255) << 16 | (y / 32 * 9 & 255) << 8 |
	       (((x / 32 + y / 32) & 1) ? 0xc0 : 0x30);
}

/* Cursor image of the legacy steps: a 2-pixel opaque black frame; inside, an opaque
 * gradient (top left), half-transparent green (top right), fully transparent
 * pixels that carry a colour (bottom left), quarter-opaque white (bottom right); a
 * white opaque cross on the hot spot (10, 20). */
static uint32_t legacy_image(uint32_t x, uint32_t y)
{
	if (x < 2 || y < 2 || x > 61 || y > 61)
		return 0xff000000;
	if ((x == 10 && y >= 16 && y <= 24) || (y == 20 && x >= 6 && x <= 14))
		return 0xffffffff;
	if (y < 32)
		return x < 32 ? 0xff000000 | x * 8 << 16 | y * 8 << 8 | 0x40 : 0x8000ff00;
	return x < 32 ? 0x00ff00ff : 0x40ffffff;
}

/* Cursor image of the atomic steps: an opaque ring of radius 20 to 30 around the
 * centre, a half-transparent blue disc inside it, transparent outside. */
static uint32_t atomic_image(uint32_t x, uint32_t y)
{
	int dx = (int)x - 32, dy = (int)y - 32, d = dx * dx + dy * dy;

	if (d >= 400 && d <= 900)
		return 0xff000000 | (x * 4) << 16 | 0xe000 | y * 4;
	return d < 400 ? 0x800000ff : 0x00000000;
}

/* Runs `shot -c name` (its "cursor: ..." line goes to our stdout) and prints its
 * status. */
static void shot(const char *name)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "shot -c %s", name);
	fflush(stdout);
	show("shot", system(cmd));
}

static int legacy_cursor(uint32_t flags, uint32_t handle, int32_t x, int32_t y)
{
	struct drm_mode_cursor2 c = { .flags = flags, .crtc_id = crtc, .handle = handle,
				      .width = 64, .height = 64, .x = x, .y = y,
				      .hot_x = 10, .hot_y = 20 };

	return drm(fd, DRM_IOCTL_MODE_CURSOR2, &c);
}

/* The cursor plane in one MODE_ATOMIC commit: fb on crtc_id at (x, y), 64x64. */
static int atomic_cursor(uint32_t fb, uint32_t crtc_id, int64_t x, int64_t y)
{
	const char *names[] = { "FB_ID", "CRTC_ID", "CRTC_X", "CRTC_Y", "CRTC_W", "CRTC_H",
				"SRC_X", "SRC_Y", "SRC_W", "SRC_H" };
	uint64_t values[] = { fb, crtc_id, (uint64_t)x, (uint64_t)y, 64, 64, 0, 0,
			      64 << 16, 64 << 16 };
	uint32_t objs[1] = { cursor_plane }, counts[1] = { 10 }, props[10];
	struct drm_mode_atomic a = { .count_objs = 1, .objs_ptr = (uintptr_t)objs,
				     .count_props_ptr = (uintptr_t)counts,
				     .props_ptr = (uintptr_t)props,
				     .prop_values_ptr = (uintptr_t)values };

	for (unsigned k = 0; k < 10; k++)
		props[k] = drm_prop_id(fd, cursor_plane, names[k]);
	return drm(fd, DRM_IOCTL_MODE_ATOMIC, &a);
}

int main(void)
{
	uint32_t pitch, handle, fb;

	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("open: -1 %s\n", errname(errno));
		return 1;
	}
	find_output();
	fb = make_fb(mode.hdisplay, mode.vdisplay, DRM_FORMAT_XRGB8888, checkerboard);
	show("SETCRTC checkerboard", drm_setcrtc(fd, crtc, conn, &mode, fb));

	handle = make_buffer(64, 64, legacy_image, &pitch);
	printf("cursor buffer: %s, pitch %u\n", handle ? "ok" : "failed", pitch);
	show("CURSOR2 set at 400,300 hot 10,20",
	     legacy_cursor(DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE, handle, 400, 300));
	shot("drmcursor-legacy");
	show("CURSOR2 move to -16,-24", legacy_cursor(DRM_MODE_CURSOR_MOVE, 0, -16, -24));
	shot("drmcursor-move");
	show("CURSOR2 hide", legacy_cursor(DRM_MODE_CURSOR_BO, 0, 0, 0));
	shot("drmcursor-hidden");
	show("CURSOR2 move to 50,60 while hidden", legacy_cursor(DRM_MODE_CURSOR_MOVE, 0, 50, 60));
	show("CURSOR2 shown again, not moved",
	     legacy_cursor(DRM_MODE_CURSOR_BO, handle, 0, 0));
	shot("drmcursor-shown-again");
	show("CURSOR (no hot spot) on the same buffer",
	     drm(fd, DRM_IOCTL_MODE_CURSOR, &(struct drm_mode_cursor){
		     .flags = DRM_MODE_CURSOR_BO, .crtc_id = crtc, .handle = handle,
		     .width = 64, .height = 64 }));
	shot("drmcursor-no-hotspot");
	show("CURSOR2 hide", legacy_cursor(DRM_MODE_CURSOR_BO, 0, 0, 0));

	show("SET_CLIENT_CAP UNIVERSAL_PLANES", drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
		&(struct drm_set_client_cap){ DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1 }));
	show("SET_CLIENT_CAP ATOMIC", drm(fd, DRM_IOCTL_SET_CLIENT_CAP,
		&(struct drm_set_client_cap){ DRM_CLIENT_CAP_ATOMIC, 1 }));
	cursor_plane = find_cursor_plane();
	printf("cursor plane: %s\n", cursor_plane ? "found" : "none");
	fb = make_fb(64, 64, DRM_FORMAT_ARGB8888, atomic_image);
	show("ATOMIC cursor partly off the bottom-right",
	     atomic_cursor(fb, crtc, mode.hdisplay - 40, mode.vdisplay - 24));
	shot("drmcursor-atomic");
	show("ATOMIC cursor moved to 200,100", atomic_cursor(fb, crtc, 200, 100));
	shot("drmcursor-atomic-move");
	show("ATOMIC cursor off", atomic_cursor(0, 0, 0, 0));
	shot("drmcursor-atomic-off");
	close(fd);
	return 0;
}
