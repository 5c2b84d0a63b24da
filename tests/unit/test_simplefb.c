// sources: drivers/gpu/simplefb/simplefb.c
/*
 * Tests of simplefb's copy to the screen: a fake DRM core and a screen in host
 * memory; every framebuffer format on an XRGB8888 and on an RGB565 screen, a
 * framebuffer whose rows straddle pages, damage clipped to the shown window, the
 * refused mode size, and the console handed over and back.
 */
#include "unit.h"
#include "arch/x86_64/arch.h"
#include "drm/drm.h"
#include "mm/mm.h"
#include <stdlib.h>

struct boot_info boot_info;
static const struct drm_driver *registered;
static struct drm_output output;
static void *driver_data;
static uint8_t *screen;
static int yields, last_yield = -1, fbdev_setups;
static char fake_dev;

void klog(int level, const char *fmt, ...) { }
/* What the driver allocated (devices stay for good in the kernel); freed per probe. */
static void *allocated[16];

static void *track(void *p)
{
	for (int i = 0; p && i < 16; i++)
		if (!allocated[i]) {
			allocated[i] = p;
			break;
		}
	return p;
}

static void release_all(void)
{
	for (int i = 0; i < 16; i++) {
		free(allocated[i]);
		allocated[i] = NULL;
	}
}

void *kmalloc(size_t size) { return track(malloc(size)); }
void *kzalloc(size_t size) { return track(calloc(1, size)); }
void kfree(void *p)
{
	for (int i = 0; p && i < 16; i++)
		if (allocated[i] == p)
			allocated[i] = NULL;
	free(p);
}
void *ioremap(uint64_t phys, size_t size) { return screen = track(calloc(1, size)); }
bool drm_aperture_in_use(uint64_t base, uint64_t size) { return false; }
struct drm_device *drm_device_alloc(const struct drm_driver *driver, unsigned nr_outputs,
				    struct pci_device *pci, const char *bus_name)
{
	registered = driver;
	return (struct drm_device *)&fake_dev;
}
struct drm_output *drm_output(struct drm_device *dev, unsigned i) { return &output; }
void drm_set_driver_data(struct drm_device *dev, void *data) { driver_data = data; }
void *drm_driver_data(struct drm_device *dev) { return driver_data; }
int drm_device_register(struct drm_device *dev) { return 0; }
void drm_mode_set_name(struct drm_mode_modeinfo *mode) { }
/* The kernel console set up on the registered device (drm_fbdev.c, faked). */
int drm_fbdev_setup(struct drm_device *dev)
{
	fbdev_setups++;
	return 0;
}
void fbcon_yield(bool drm)
{
	yields++;
	last_yield = drm;
}

/* Brings simplefb up on a w x h screen of bpp bits (XRGB8888 or RGB565). */
static void probe(uint32_t w, uint32_t h, uint8_t bpp)
{
	if (bpp == 32)
		boot_info.fb = (struct boot_framebuffer){ .phys = 0x1000000, .pitch = w * 4 + 8,
			.width = w, .height = h, .bpp = 32, .red_pos = 16, .red_size = 8,
			.green_pos = 8, .green_size = 8, .blue_pos = 0, .blue_size = 8 };
	else
		boot_info.fb = (struct boot_framebuffer){ .phys = 0x1000000, .pitch = w * 2 + 8,
			.width = w, .height = h, .bpp = 16, .red_pos = 11, .red_size = 5,
			.green_pos = 5, .green_size = 6, .blue_pos = 0, .blue_size = 5 };
	registered = NULL;
	fbdev_setups = 0;
	release_all();
	simplefb_init();
}

/* A framebuffer of w x h pixels of cpp bytes, pitch bytes a row, in separately
 * allocated pages (so rows straddle page boundaries as in the kernel). */
static struct drm_framebuffer *make_fb(uint32_t format, uint32_t w, uint32_t h,
				       uint32_t pitch)
{
	struct drm_gem_object *obj = calloc(1, sizeof(*obj));
	struct drm_framebuffer *fb = calloc(1, sizeof(*fb));
	size_t npages = ((size_t)pitch * h + PAGE_SIZE - 1) / PAGE_SIZE;

	obj->size = npages * PAGE_SIZE;
	obj->pages = calloc(npages, sizeof(uint64_t));
	for (size_t i = 0; i < npages; i++)
		obj->pages[i] = (uint64_t)(uintptr_t)calloc(1, PAGE_SIZE) - DIRECT_MAP_BASE;
	*fb = (struct drm_framebuffer){ .width = w, .height = h, .format = format,
					.pitch = pitch, .obj = obj };
	return fb;
}

static uint8_t *fb_byte(struct drm_framebuffer *fb, size_t off)
{
	return (uint8_t *)phys_to_virt(fb->obj->pages[off / PAGE_SIZE]) + off % PAGE_SIZE;
}

static void free_fb(struct drm_framebuffer *fb)
{
	for (size_t i = 0; i < fb->obj->size / PAGE_SIZE; i++)
		free(phys_to_virt(fb->obj->pages[i]));
	free(fb->obj->pages);
	free(fb->obj);
	free(fb);
}

static uint32_t screen32(uint32_t x, uint32_t y)
{
	uint32_t v;

	memcpy(&v, screen + (size_t)y * boot_info.fb.pitch + x * 4, 4);
	return v;
}

static uint16_t screen16(uint32_t x, uint32_t y)
{
	uint16_t v;

	memcpy(&v, screen + (size_t)y * boot_info.fb.pitch + x * 2, 2);
	return v;
}

static int show(struct drm_framebuffer *fb, uint32_t w, uint32_t h, uint32_t x, uint32_t y)
{
	struct drm_mode_modeinfo mode = { .hdisplay = w, .vdisplay = h };

	return registered->funcs->output_set((struct drm_device *)&fake_dev, 0, fb, &mode, x, y);
}

TEST(simplefb_describes_linux_simpledrm)
{
	probe(1024, 768, 32);
	CHECK(registered != NULL);
	CHECK_STR(registered->name, "simpledrm");
	CHECK_EQ(registered->min_width, 1024);
	CHECK_EQ(registered->max_width, 4096);
	CHECK_EQ(registered->preferred_depth, 32);
	CHECK_EQ(output.modes[0].clock, 47185);
	CHECK_EQ(output.modes[0].htotal, 1024);
	CHECK_EQ(output.mm_width, 270);
	CHECK_EQ(output.mm_height, 203);
	CHECK(output.modes[0].type & DRM_MODE_TYPE_PREFERRED);
	CHECK_EQ(fbdev_setups, 1);	/* the console moves onto it, as Linux's fbdev */
	release_all();
}

TEST(simplefb_converts_every_format_to_xrgb8888)
{
	struct drm_framebuffer *fb;

	probe(40, 30, 32);
	fb = make_fb(DRM_FORMAT_RGB565, 40, 30, 100);	/* 100-byte rows cross pages */
	for (uint32_t y = 0; y < 30; y++)
		for (uint32_t x = 0; x < 40; x++) {
			uint16_t v = (x & 31) << 11 | (y & 63) << 5 | ((x + y) & 31);

			memcpy(fb_byte(fb, (size_t)y * 100 + x * 2), &v, 2);
		}
	yields = 0;
	CHECK_EQ(show(fb, 40, 30, 0, 0), 0);
	CHECK_EQ(last_yield, 1);
	CHECK_EQ(screen32(0, 0), 0);
	/* r5 = 31 -> 0xff, g6 = 29 -> 0x75, b5 = 60 & 31 = 28 -> 0xe7 */
	CHECK_EQ(screen32(31, 29), 0xff75e7);
	CHECK_EQ(screen32(1, 2), 0x080818);	/* r5 1, g6 2, b5 3 */
	free_fb(fb);

	fb = make_fb(DRM_FORMAT_RGB888, 40, 30, 121);
	for (uint32_t y = 0; y < 30; y++)
		for (uint32_t x = 0; x < 40; x++) {
			uint8_t *p = fb_byte(fb, (size_t)y * 121 + x * 3);

			p[0] = x;	/* blue */
			p[1] = y;	/* green */
			p[2] = 200;	/* red */
		}
	CHECK_EQ(show(fb, 40, 30, 0, 0), 0);
	CHECK_EQ(screen32(39, 29), 200 << 16 | 29 << 8 | 39);
	free_fb(fb);

	fb = make_fb(DRM_FORMAT_ARGB8888, 48, 30, 48 * 4);
	for (uint32_t y = 0; y < 30; y++)
		for (uint32_t x = 0; x < 48; x++) {
			uint32_t v = 0x80000000 | x << 16 | y;

			memcpy(fb_byte(fb, ((size_t)y * 48 + x) * 4), &v, 4);
		}
	/* the window at (8, 0) is shown */
	CHECK_EQ(show(fb, 40, 30, 8, 0), 0);
	CHECK_EQ(screen32(0, 5) & 0xffffff, 8 << 16 | 5);
	CHECK_EQ(screen32(39, 29) & 0xffffff, 47 << 16 | 29);
	free_fb(fb);
	release_all();
}

TEST(simplefb_converts_to_an_rgb565_screen)
{
	struct drm_framebuffer *fb;

	probe(16, 8, 16);
	fb = make_fb(DRM_FORMAT_XRGB8888, 16, 8, 64);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 16; x++) {
			uint32_t v = 0xff << 16 | 0x84 << 8 | 0x10 * x;

			memcpy(fb_byte(fb, (size_t)y * 64 + x * 4), &v, 4);
		}
	CHECK_EQ(show(fb, 16, 8, 0, 0), 0);
	CHECK_EQ(screen16(15, 7), 0x1f << 11 | 0x21 << 5 | 0x1e);
	/* the padding after each row stays untouched */
	CHECK_EQ(screen[16 * 2], 0);
	free_fb(fb);
	release_all();
}

TEST(simplefb_damage_refused_modes_and_the_console)
{
	struct drm_framebuffer *fb;
	struct drm_clip_rect clips[2] = { { 0, 0, 2, 2 }, { 30, 20, 100, 100 } };

	probe(40, 30, 32);
	fb = make_fb(DRM_FORMAT_XRGB8888, 40, 30, 160);
	CHECK_EQ(show(fb, 32, 30, 0, 0), -EINVAL);
	CHECK_EQ(show(fb, 40, 30, 0, 0), 0);
	for (size_t off = 0; off < 160 * 30; off += 4)
		memset(fb_byte(fb, off), 0x11, 4);
	output.x = output.y = 0;
	CHECK_EQ(registered->funcs->fb_dirty((struct drm_device *)&fake_dev, 0, fb, clips, 2), 0);
	CHECK_EQ(screen32(1, 1), 0x11111111);
	CHECK_EQ(screen32(2, 2), 0);
	CHECK_EQ(screen32(39, 29), 0x11111111);
	CHECK_EQ(screen32(29, 29), 0);
	/* turning off clears the screen and gives it back to the console */
	CHECK_EQ(show(NULL, 0, 0, 0, 0), 0);
	CHECK_EQ(screen32(39, 29), 0);
	CHECK_EQ(last_yield, 0);
	free_fb(fb);
	release_all();
}
