/*
 * simplefb.c — GRUB's linear framebuffer as a DRM device ("simpledrm", as Linux's
 * driver for the simple-framebuffer platform device): one output whose only mode is
 * the framebuffer's size, dumb buffers in ordinary pages, and showing a framebuffer
 * is copying it (converted to the firmware's pixel format) into the firmware
 * framebuffer, whole on SETCRTC and by damaged rectangles on DIRTYFB. The log
 * console moves onto the device as on virtio-gpu (drm_fbdev: Linux's simpledrm sets
 * up generic fbdev too), so the CRTC is lit at boot with the console's framebuffer,
 * which comes back when the last client leaves.
 *
 * When another driver already drives the PCI device whose memory the framebuffer is
 * (virtio-vga), that driver has the display and simplefb does not come up, as
 * Linux's virtio_gpu removes simpledrm through drm_aperture.
 */
#include "arch/x86_64/arch.h"
#include "dev/dev.h"
#include "drm/drm.h"
#include "lib/log.h"
#include "mm/mm.h"

/* Linux's DRM_SHADOW_PLANE_MAX_WIDTH/HEIGHT: framebuffers up to this size. */
#define SIMPLEFB_SHADOW_MAX 4096
#define SIMPLEFB_MAX_CPP 4

/* The device; set up at probe, then used under the DRM device mutex (the core calls
 * the driver functions with it held), which also serializes the row buffer. */
struct simplefb {
	struct drm_device *drm;
	struct boot_framebuffer fw;	/* GRUB's description of the screen */
	uint8_t *screen;		/* the screen, mapped */
	uint8_t *row;			/* one framebuffer row, SIMPLEFB_SHADOW_MAX pixels */
};

/* Copies len bytes at offset off of obj's pages to dst (off + len within obj). */
static void simplefb_read_obj(struct drm_gem_object *obj, uint64_t off, uint8_t *dst,
			      size_t len)
{
	while (len) {
		size_t in_page = PAGE_SIZE - off % PAGE_SIZE, n = MIN(len, in_page);

		memcpy(dst, (uint8_t *)phys_to_virt(obj->pages[off / PAGE_SIZE]) + off % PAGE_SIZE,
		       n);
		dst += n;
		off += n;
		len -= n;
	}
}

/* The 8-bit red, green and blue of the pixel at p in format (one of
 * simplefb_formats), as 0xRRGGBB; 5- and 6-bit channels are widened as Linux's
 * drm_fb_rgb565_to_xrgb8888 does (the top bits repeated below). */
static uint32_t simplefb_pixel_rgb(uint32_t format, const uint8_t *p)
{
	uint32_t v, r, g, b;

	switch (format) {
	case DRM_FORMAT_RGB565:
		v = p[0] | p[1] << 8;
		r = (v >> 11) & 0x1f;
		g = (v >> 5) & 0x3f;
		b = v & 0x1f;
		return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
	case DRM_FORMAT_RGB888:
		return p[2] << 16 | p[1] << 8 | p[0];
	default:	/* XRGB8888, ARGB8888 */
		return (p[2] << 16 | p[1] << 8 | p[0]);
	}
}

/* The firmware's pixel value of 0xRRGGBB: each channel's top bits at its place. */
static uint32_t simplefb_fw_pixel(const struct boot_framebuffer *fw, uint32_t rgb)
{
	uint8_t r = rgb >> 16, g = rgb >> 8, b = rgb;

	return (uint32_t)(r >> (8 - fw->red_size)) << fw->red_pos |
	       (uint32_t)(g >> (8 - fw->green_size)) << fw->green_pos |
	       (uint32_t)(b >> (8 - fw->blue_size)) << fw->blue_pos;
}

/* Whether the firmware's pixels are XRGB8888, so that such rows are copied as they
 * are. */
static bool simplefb_fw_is_xrgb8888(const struct boot_framebuffer *fw)
{
	return fw->bpp == 32 && fw->red_pos == 16 && fw->green_pos == 8 && fw->blue_pos == 0 &&
	       fw->red_size == 8 && fw->green_size == 8 && fw->blue_size == 8;
}

static unsigned simplefb_cpp(uint32_t format)
{
	return format == DRM_FORMAT_RGB565 ? 2 : format == DRM_FORMAT_RGB888 ? 3 : 4;
}

/*
 * Copies the rectangle [x1, x2) x [y1, y2) of fb to the screen at (sx, sy): the
 * caller has bounded it by fb's size and the screen's.
 */
static void simplefb_blit(struct simplefb *sf, struct drm_framebuffer *fb, uint32_t x1,
			  uint32_t y1, uint32_t x2, uint32_t y2, uint32_t sx, uint32_t sy)
{
	unsigned cpp = simplefb_cpp(fb->format), fw_cpp = sf->fw.bpp / 8;
	bool copy = fb->format != DRM_FORMAT_RGB565 && fb->format != DRM_FORMAT_RGB888 &&
		    simplefb_fw_is_xrgb8888(&sf->fw);
	size_t len = (size_t)(x2 - x1) * cpp;

	for (uint32_t y = y1; y < y2; y++) {
		uint8_t *dst = sf->screen + (size_t)(sy + y - y1) * sf->fw.pitch +
			       (size_t)sx * fw_cpp;
		uint64_t off = fb->offset + (uint64_t)y * fb->pitch + (uint64_t)x1 * cpp;

		if (copy) {
			simplefb_read_obj(fb->obj, off, dst, len);
			continue;
		}
		simplefb_read_obj(fb->obj, off, sf->row, len);
		for (uint32_t x = 0; x < x2 - x1; x++) {
			uint32_t v = simplefb_fw_pixel(&sf->fw,
						       simplefb_pixel_rgb(fb->format, sf->row + x * cpp));

			memcpy(dst + x * fw_cpp, &v, fw_cpp);	/* little endian */
		}
	}
}

/* Copies the part of fb's rectangle [x1, x2) x [y1, y2) that the screen shows (the
 * window at (x, y) of the screen's size). */
static void simplefb_update(struct simplefb *sf, struct drm_framebuffer *fb, uint32_t x,
			    uint32_t y, uint32_t x1, uint32_t y1, uint32_t x2, uint32_t y2)
{
	x1 = MAX(x1, x);
	y1 = MAX(y1, y);
	x2 = MIN(MIN(x2, fb->width), x + sf->fw.width);
	y2 = MIN(MIN(y2, fb->height), y + sf->fw.height);
	if (x1 < x2 && y1 < y2)
		simplefb_blit(sf, fb, x1, y1, x2, y2, x1 - x, y1 - y);
}

/* drm output_set: only the framebuffer's own size is a mode (-EINVAL otherwise, as
 * Linux's drm_crtc_helper_mode_valid_fixed); showing fb copies the window at (x, y)
 * to the screen, turning off clears it to black and gives it back to the console. */
static int simplefb_output_set(struct drm_device *drm, unsigned i, struct drm_framebuffer *fb,
			       const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	struct simplefb *sf = drm_driver_data(drm);

	if (!fb) {
		memset(sf->screen, 0, (size_t)sf->fw.pitch * sf->fw.height);
		fbcon_yield(false);
		return 0;
	}
	if (mode->hdisplay != sf->fw.width || mode->vdisplay != sf->fw.height)
		return -EINVAL;
	fbcon_yield(true);
	simplefb_update(sf, fb, x, y, 0, 0, fb->width, fb->height);
	return 0;
}

/* drm fb_dirty: copies each damaged rectangle (Linux's simpledrm walks the damage
 * clips one by one). */
static int simplefb_fb_dirty(struct drm_device *drm, unsigned i, struct drm_framebuffer *fb,
			     const struct drm_clip_rect *clips, unsigned n)
{
	struct simplefb *sf = drm_driver_data(drm);
	const struct drm_output *out = drm_output(drm, i);

	for (unsigned k = 0; k < n; k++)
		simplefb_update(sf, fb, out->x, out->y, clips[k].x1, clips[k].y1, clips[k].x2,
				clips[k].y2);
	return 0;
}

static const struct drm_driver_funcs simplefb_funcs = {
	.output_set = simplefb_output_set,
	.fb_dirty = simplefb_fb_dirty,
};

/* The formats of Linux 6.1's simpledrm on an XRGB8888 screen (its primary plane
 * formats that have a conversion to it), all converted by simplefb_blit. */
static const uint32_t simplefb_formats[] = {
	DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_RGB565, DRM_FORMAT_RGB888,
};

/* Linux 6.1's simpledrm: DRIVER_NAME, DRIVER_DESC, DRIVER_DATE, version 1.0.0, an
 * Unknown connector and a None encoder. Sizes are filled in at probe. */
static struct drm_driver simplefb_driver = {
	.name = "simpledrm", .desc = "DRM driver for simple-framebuffer platform devices",
	.date = "20200625", .major = 1, .minor = 0, .patchlevel = 0,
	.formats = simplefb_formats, .nr_formats = ARRAY_SIZE(simplefb_formats),
	.connector_type = DRM_MODE_CONNECTOR_Unknown, .encoder_type = DRM_MODE_ENCODER_NONE,
	.funcs = &simplefb_funcs,
};

/* Linux's DRM_MODE_RES_MM: the millimetres of pixels at 96 dpi. */
static uint32_t simplefb_mm(uint32_t pixels)
{
	return pixels * 254 / (96 * 10);
}

/* The one mode, as Linux's DRM_MODE_INIT(60, w, h, ...): no blanking, the clock of
 * 60 Hz, preferred. */
static void simplefb_describe(struct drm_output *out, uint32_t w, uint32_t h)
{
	struct drm_mode_modeinfo *m = &out->modes[0];

	memset(m, 0, sizeof(*m));
	m->clock = (uint64_t)w * h * 60 / 1000;
	m->hdisplay = m->hsync_start = m->hsync_end = m->htotal = w;
	m->vdisplay = m->vsync_start = m->vsync_end = m->vtotal = h;
	m->type = DRM_MODE_TYPE_DRIVER | DRM_MODE_TYPE_PREFERRED;
	drm_mode_set_name(m);
	out->nr_modes = 1;
	out->connected = true;
	out->mm_width = simplefb_mm(w);
	out->mm_height = simplefb_mm(h);
}

/* Whether simplefb can draw on the firmware framebuffer fw. */
static bool simplefb_usable(const struct boot_framebuffer *fw)
{
	return fw->phys && (fw->bpp == 16 || fw->bpp == 24 || fw->bpp == 32) && fw->width &&
	       fw->height && fw->width <= SIMPLEFB_SHADOW_MAX &&
	       fw->height <= SIMPLEFB_SHADOW_MAX && fw->pitch >= fw->width * (fw->bpp / 8) &&
	       fw->red_size && fw->red_size <= 8 && fw->green_size && fw->green_size <= 8 &&
	       fw->blue_size && fw->blue_size <= 8;
}

/* Registers GRUB's framebuffer as the DRM device of platform device
 * simple-framebuffer.0, unless there is none or a driver already drives it. */
void simplefb_init(void)
{
	const struct boot_framebuffer *fw = &boot_info.fb;
	size_t size = (size_t)fw->pitch * fw->height;
	struct simplefb *sf;
	int err = -ENOMEM;

	if (!simplefb_usable(fw) || drm_aperture_in_use(fw->phys, size))
		return;
	sf = kzalloc(sizeof(*sf));
	if (!sf)
		goto failed;
	sf->fw = *fw;
	sf->screen = ioremap(fw->phys, size);
	sf->row = kmalloc(SIMPLEFB_SHADOW_MAX * SIMPLEFB_MAX_CPP);
	if (!sf->screen || !sf->row)
		goto free_sf;
	simplefb_driver.min_width = fw->width;
	simplefb_driver.min_height = fw->height;
	simplefb_driver.max_width = SIMPLEFB_SHADOW_MAX;
	simplefb_driver.max_height = SIMPLEFB_SHADOW_MAX;
	simplefb_driver.preferred_depth = fw->bpp;
	sf->drm = drm_device_alloc(&simplefb_driver, 1, NULL, "simple-framebuffer.0");
	if (!sf->drm)
		goto free_sf;
	drm_set_driver_data(sf->drm, sf);
	simplefb_describe(drm_output(sf->drm, 0), fw->width, fw->height);
	/* Once registered (even partly: sysfs failed) the device stays. */
	err = drm_device_register(sf->drm);
	if (err) {
		pr_warn("simpledrm: registering failed (%d)", err);
		return;
	}
	/* as Linux's simpledrm_probe: drm_fbdev_generic_setup; without it the log
	 * stays on the firmware framebuffer, handed over by fbcon_yield */
	err = drm_fbdev_setup(sf->drm);
	if (err)
		pr_warn("simpledrm: no console (%d)", err);
	return;
free_sf:
	kfree(sf->row);
	kfree(sf);
failed:
	pr_warn("simpledrm: cannot set up the framebuffer (%d)", err);
}
