/*
 * vkms.c — a virtual KMS device ("vkms", as Linux's drivers/gpu/drm/vkms): no display
 * behind it, one CRTC whose vblanks come at its mode's refresh rate (the DRM core's
 * vblank clock: drm_driver.vblank), a primary plane, a cursor plane (Linux 6.1's
 * enable_cursor defaults to true) and a Virtual connector, always connected, whose
 * modes are those Linux's vkms gets from drm_add_modes_noedid(8192, 8192) with
 * 1024x768 preferred. Showing a framebuffer shows it nowhere, as on Linux (whose
 * vkms only composes for CRC and writeback; neither is here).
 *
 * It exists for tests of vblank handling, so it comes up only when the kernel's
 * command line has the word lumen.vkms=1 (tests/qemu/NAME.cmdline; on Linux, init
 * loads the vkms module for the same word), on platform device "vkms", after the
 * other display drivers as a module loaded later is on Linux.
 */
#include "arch/x86_64/arch.h"
#include "drm/drm.h"
#include "lib/log.h"

#define VKMS_CMDLINE_WORD "lumen.vkms=1"

/* The driver functions: nothing to show anything on. */
static int vkms_output_set(struct drm_device *drm, unsigned i, struct drm_framebuffer *fb,
			   const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	return 0;
}

static int vkms_fb_dirty(struct drm_device *drm, unsigned i, struct drm_framebuffer *fb,
			 const struct drm_clip_rect *clips, unsigned n)
{
	return 0;
}

static int vkms_cursor_set(struct drm_device *drm, unsigned i, const struct drm_cursor *cursor,
			   bool new_image)
{
	return 0;
}

static const struct drm_driver_funcs vkms_funcs = {
	.output_set = vkms_output_set,
	.fb_dirty = vkms_fb_dirty,
	.cursor_set = vkms_cursor_set,
};

/* Linux 6.1's vkms_formats, its primary plane's. */
static const uint32_t vkms_formats[] = {
	DRM_FORMAT_XRGB8888, DRM_FORMAT_XRGB16161616, DRM_FORMAT_RGB565,
};

/* Linux 6.1's vkms_plane_formats, its cursor plane's. */
static const uint32_t vkms_cursor_formats[] = {
	DRM_FORMAT_ARGB8888, DRM_FORMAT_XRGB8888, DRM_FORMAT_XRGB16161616,
	DRM_FORMAT_ARGB16161616, DRM_FORMAT_RGB565,
};

/* Linux 6.1's vkms: DRIVER_NAME, DRIVER_DESC, DRIVER_DATE, version 1.0.0, sizes from
 * XRES_MIN/YRES_MIN to XRES_MAX/YRES_MAX, cursors up to 512x512, preferred_depth 0,
 * modifiers (ADDFB2 with any format and modifier: drm_gem_fb_create checks no plane;
 * the planes' IN_FORMATS blobs list LINEAR, Linux's default), a Virtual connector and
 * encoder, vblank support, no render node (no DRIVER_RENDER). */
static const struct drm_driver vkms_driver = {
	.name = "vkms", .desc = "Virtual Kernel Mode Setting", .date = "20180514",
	.major = 1, .minor = 0, .patchlevel = 0,
	.min_width = 20, .min_height = 20, .max_width = 8192, .max_height = 8192,
	.cursor_width = 512, .cursor_height = 512,
	.formats = vkms_formats, .nr_formats = ARRAY_SIZE(vkms_formats),
	.cursor_formats = vkms_cursor_formats,
	.nr_cursor_formats = ARRAY_SIZE(vkms_cursor_formats),
	.connector_type = DRM_MODE_CONNECTOR_VIRTUAL, .encoder_type = DRM_MODE_ENCODER_VIRTUAL,
	.modifiers = true, .fb_any_format = true,
	.vblank = true,
	.no_render = true,
	.funcs = &vkms_funcs,
};

/* A mode's timings: clock (kHz), horizontal and vertical display, sync start, sync
 * end, total, and flags. */
struct vkms_timing {
	uint32_t clock;
	uint16_t h[4], v[4];
	uint32_t flags;
};

#define NH DRM_MODE_FLAG_NHSYNC
#define PH DRM_MODE_FLAG_PHSYNC
#define NV DRM_MODE_FLAG_NVSYNC
#define PV DRM_MODE_FLAG_PVSYNC

/* The VESA DMT modes up to 8192x8192 and 61 Hz (what drm_add_modes_noedid takes from
 * Linux's DMT table), in the order Linux's drm_mode_sort leaves them with 1024x768
 * preferred: first. */
static const struct vkms_timing vkms_modes[] = {
	{ 65000, { 1024, 1048, 1184, 1344 }, { 768, 771, 777, 806 }, NH | NV },
	{ 556744, { 4096, 4104, 4136, 4176 }, { 2160, 2208, 2216, 2222 }, PH | NV },
	{ 556188, { 4096, 4104, 4136, 4176 }, { 2160, 2208, 2216, 2222 }, PH | NV },
	{ 348500, { 2560, 2752, 3032, 3504 }, { 1600, 1603, 1609, 1658 }, NH | PV },
	{ 268500, { 2560, 2608, 2640, 2720 }, { 1600, 1603, 1609, 1646 }, PH | NV },
	{ 234000, { 1920, 2048, 2256, 2600 }, { 1440, 1441, 1444, 1500 }, NH | PV },
	{ 218250, { 1856, 1952, 2176, 2528 }, { 1392, 1393, 1396, 1439 }, NH | PV },
	{ 204750, { 1792, 1920, 2120, 2448 }, { 1344, 1345, 1348, 1394 }, NH | PV },
	{ 162000, { 2048, 2074, 2154, 2250 }, { 1152, 1153, 1156, 1200 }, PH | PV },
	{ 193250, { 1920, 2056, 2256, 2592 }, { 1200, 1203, 1209, 1245 }, NH | PV },
	{ 154000, { 1920, 1968, 2000, 2080 }, { 1200, 1203, 1209, 1235 }, PH | NV },
	{ 148500, { 1920, 2008, 2052, 2200 }, { 1080, 1084, 1089, 1125 }, NH | NV },
	{ 162000, { 1600, 1664, 1856, 2160 }, { 1200, 1201, 1204, 1250 }, PH | PV },
	{ 146250, { 1680, 1784, 1960, 2240 }, { 1050, 1053, 1059, 1089 }, NH | PV },
	{ 119000, { 1680, 1728, 1760, 1840 }, { 1050, 1053, 1059, 1080 }, PH | NV },
	{ 121750, { 1400, 1488, 1632, 1864 }, { 1050, 1053, 1057, 1089 }, NH | PV },
	{ 101000, { 1400, 1448, 1480, 1560 }, { 1050, 1053, 1057, 1080 }, PH | NV },
	{ 108000, { 1600, 1624, 1704, 1800 }, { 900, 901, 904, 1000 }, PH | PV },
	{ 108000, { 1280, 1328, 1440, 1688 }, { 1024, 1025, 1028, 1066 }, PH | PV },
	{ 106500, { 1440, 1520, 1672, 1904 }, { 900, 903, 909, 934 }, NH | PV },
	{ 88750, { 1440, 1488, 1520, 1600 }, { 900, 903, 909, 926 }, PH | NV },
	{ 108000, { 1280, 1376, 1488, 1800 }, { 960, 961, 964, 1000 }, PH | PV },
	{ 85500, { 1366, 1436, 1579, 1792 }, { 768, 771, 774, 798 }, PH | PV },
	{ 72000, { 1366, 1380, 1436, 1500 }, { 768, 769, 772, 800 }, PH | PV },
	{ 85500, { 1360, 1424, 1536, 1792 }, { 768, 771, 777, 795 }, PH | PV },
	{ 83500, { 1280, 1352, 1480, 1680 }, { 800, 803, 809, 831 }, NH | PV },
	{ 71000, { 1280, 1328, 1360, 1440 }, { 800, 803, 809, 823 }, PH | NV },
	{ 79500, { 1280, 1344, 1472, 1664 }, { 768, 771, 778, 798 }, NH | PV },
	{ 68250, { 1280, 1328, 1360, 1440 }, { 768, 771, 778, 790 }, PH | NV },
	{ 74250, { 1280, 1390, 1430, 1650 }, { 720, 725, 730, 750 }, PH | PV },
	{ 40000, { 800, 840, 968, 1056 }, { 600, 601, 605, 628 }, PH | PV },
	{ 36000, { 800, 824, 896, 1024 }, { 600, 601, 603, 625 }, PH | PV },
	{ 33750, { 848, 864, 976, 1088 }, { 480, 486, 494, 517 }, PH | PV },
	{ 25175, { 640, 656, 752, 800 }, { 480, 490, 492, 525 }, NH | NV },
};

/* The connector: always connected, no physical size (0x0 mm), the modes above. */
static void vkms_describe(struct drm_output *out)
{
	unsigned n = MIN(ARRAY_SIZE(vkms_modes), (size_t)DRM_MAX_MODES);

	for (unsigned k = 0; k < n; k++) {
		const struct vkms_timing *t = &vkms_modes[k];
		struct drm_mode_modeinfo *m = &out->modes[k];

		memset(m, 0, sizeof(*m));
		m->clock = t->clock;
		m->hdisplay = t->h[0];
		m->hsync_start = t->h[1];
		m->hsync_end = t->h[2];
		m->htotal = t->h[3];
		m->vdisplay = t->v[0];
		m->vsync_start = t->v[1];
		m->vsync_end = t->v[2];
		m->vtotal = t->v[3];
		m->flags = t->flags;
		m->type = DRM_MODE_TYPE_DRIVER | (k ? 0 : DRM_MODE_TYPE_PREFERRED);
		drm_mode_set_name(m);
	}
	out->nr_modes = n;
	out->connected = true;
}

/* Whether the kernel's command line has word (a whole space-separated word). */
static bool vkms_cmdline_has(const char *word)
{
	size_t len = strlen(word);

	for (const char *p = boot_info.cmdline; *p; p++)
		if ((p == boot_info.cmdline || p[-1] == ' ') && !strncmp(p, word, len) &&
		    (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

/* Registers the vkms device (platform device "vkms") when the command line asks for
 * it, with its kernel console (Linux's vkms calls drm_fbdev_generic_setup). */
void vkms_init(void)
{
	struct drm_device *drm;
	int err;

	if (!vkms_cmdline_has(VKMS_CMDLINE_WORD))
		return;
	drm = drm_device_alloc(&vkms_driver, 1, NULL, "vkms");
	if (!drm) {
		pr_warn("vkms: out of memory");
		return;
	}
	vkms_describe(drm_output(drm, 0));
	/* Once registered (even partly: sysfs failed) the device stays. */
	err = drm_device_register(drm);
	if (err) {
		pr_warn("vkms: registering failed (%d)", err);
		return;
	}
	err = drm_fbdev_setup(drm);
	if (err)
		pr_warn("vkms: no console (%d)", err);
}
