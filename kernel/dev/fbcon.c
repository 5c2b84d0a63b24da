/*
 * fbcon.c — the kernel log as text on GRUB's linear framebuffer, drawn with the PSF
 * font linked into the kernel (build/kernel/font.psf), so a person sees the boot in
 * the QEMU window. Output only; it scrolls by moving the pixels up one text row.
 *
 * fbcon_write runs under the log lock (log.c), which serializes all drawing. While a
 * DRM client shows its own picture on the same framebuffer (simplefb), the console
 * is unregistered and draws nothing; it redraws the log when the client lets go.
 * A DRM device's console client (drm_fbdev.c) can move the console onto a surface
 * it scans out (fbcon_attach); the rows drawn are then reported to it as damage.
 */
#include "arch/x86_64/arch.h"
#include "dev/dev.h"
#include "dev/psf.h"
#include "lib/log.h"
#include "mm/mm.h"

extern const uint8_t _binary_font_psf_start[], _binary_font_psf_end[];

#define FG_GRAY 0xaa
#define TAB_WIDTH 8

static struct fbcon {
	uint8_t *fb;
	uint32_t pitch, width, height, bytes_pp;
	uint32_t cols, rows, col, row;
	uint32_t fg;			/* foreground pixel in the framebuffer's format */
	uint32_t utf8_cp;		/* code point being decoded */
	int utf8_left;			/* continuation bytes still expected */
	struct psf_font font;
	bool yielded;			/* a DRM client has the screen */
	bool registered;		/* fb_console is on the console list */
	const struct fbcon_surface *surface;	/* NULL: GRUB's framebuffer */
	uint32_t dirty_y1, dirty_y2;	/* pixel rows drawn by this write, [y1, y2) */
} fbcon;

static uint32_t pixel_of(const struct boot_framebuffer *f, uint8_t r, uint8_t g, uint8_t b)
{
	return (uint32_t)(r >> (8 - f->red_size)) << f->red_pos |
	       (uint32_t)(g >> (8 - f->green_size)) << f->green_pos |
	       (uint32_t)(b >> (8 - f->blue_size)) << f->blue_pos;
}

static void put_pixel(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, fbcon.bytes_pp);	/* little endian: the low bytes are the pixel */
}

/* Adds pixel rows [y1, y2) to the damage of the current write. */
static void mark_dirty(uint32_t y1, uint32_t y2)
{
	fbcon.dirty_y1 = MIN(fbcon.dirty_y1, y1);
	fbcon.dirty_y2 = MAX(fbcon.dirty_y2, y2);
}

static void draw_char(uint32_t col, uint32_t row, uint8_t c)
{
	const struct psf_font *f = &fbcon.font;
	const uint8_t *glyph = psf_glyph(f, c);
	uint8_t *line = fbcon.fb + (size_t)row * f->height * fbcon.pitch +
			(size_t)col * f->width * fbcon.bytes_pp;

	mark_dirty(row * f->height, (row + 1) * f->height);

	for (uint32_t y = 0; y < f->height; y++, line += fbcon.pitch, glyph += f->bytes_per_row)
		for (uint32_t x = 0; x < f->width; x++)
			put_pixel(line + x * fbcon.bytes_pp,
				  glyph[x / 8] & (0x80 >> (x % 8)) ? fbcon.fg : 0);
}

/*
 * Moves the text up by half a screen and clears the rest: copying the pixels is the
 * slow part, so doing it once per half screen instead of once per line keeps a
 * chatty boot fast.
 */
static void scroll(void)
{
	size_t row_bytes = (size_t)fbcon.font.height * fbcon.pitch;
	uint32_t by = MAX(fbcon.rows / 2, 1), keep = fbcon.rows - by;

	memmove(fbcon.fb, fbcon.fb + row_bytes * by, row_bytes * keep);
	memset(fbcon.fb + row_bytes * keep, 0, row_bytes * by);
	fbcon.row = keep;
	mark_dirty(0, fbcon.rows * fbcon.font.height);
}

static void newline(void)
{
	fbcon.col = 0;
	if (++fbcon.row >= fbcon.rows)
		scroll();
}

static void put_char(uint8_t c)
{
	switch (c) {
	case '\n':
		newline();
		return;
	case '\r':
		fbcon.col = 0;
		return;
	case '\t':
		fbcon.col = MIN(ALIGN_UP(fbcon.col + 1, TAB_WIDTH), fbcon.cols) - 1;
		c = ' ';
		break;
	}
	if (fbcon.col >= fbcon.cols)
		newline();
	draw_char(fbcon.col++, fbcon.row, c);
}

/* Decodes UTF-8: Latin-1 characters are drawn, others become '?'. */
static void put_byte(uint8_t b)
{
	if (fbcon.utf8_left && (b & 0xc0) == 0x80) {
		fbcon.utf8_cp = fbcon.utf8_cp << 6 | (b & 0x3f);
		if (--fbcon.utf8_left == 0)
			put_char(fbcon.utf8_cp < 256 ? fbcon.utf8_cp : '?');
		return;
	}
	fbcon.utf8_left = 0;
	if (b < 0x80) {
		put_char(b);
	} else if (b >= 0xc0 && b < 0xf8) {
		fbcon.utf8_left = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
		fbcon.utf8_cp = b & (0x3f >> fbcon.utf8_left);
	} else {
		put_char('?');
	}
}

/* Draws text; a surface hears of the rows that changed. */
static void fbcon_write(struct console *con, const char *text, size_t len)
{
	fbcon.dirty_y1 = UINT32_MAX;
	fbcon.dirty_y2 = 0;
	for (size_t i = 0; i < len; i++)
		put_byte(text[i]);
	if (fbcon.surface && fbcon.dirty_y1 < fbcon.dirty_y2)
		fbcon.surface->damaged(fbcon.surface->ctx, fbcon.dirty_y1, fbcon.dirty_y2);
}

/* Shows the records logged before the console existed, as they looked on serial. */
static void replay_log(void)
{
	char line[320];
	uint64_t seq = log_first_seq();
	int n;

	while ((n = log_read_syslog(&seq, line, sizeof(line))) > 0) {
		const char *text = strchr(line, '>');	/* drop the "<level>" prefix */

		text = text ? text + 1 : line;
		fbcon_write(NULL, text, line + n - text);
	}
}

static struct console fb_console = {
	.name = "fbcon",
	.write = fbcon_write,
};

/* Clears the screen and draws the log from the top. */
static void redraw(void)
{
	memset(fbcon.fb, 0, (size_t)fbcon.pitch * fbcon.height);
	fbcon.row = fbcon.col = 0;
	fbcon.utf8_left = 0;
	replay_log();
	if (fbcon.surface)
		fbcon.surface->damaged(fbcon.surface->ctx, 0, fbcon.height);
}

static void fbcon_register(bool on)
{
	if (fbcon.registered == on)
		return;
	fbcon.registered = on;
	if (on)
		console_register(&fb_console);
	else
		console_unregister(&fb_console);
}

/* Hands the framebuffer to a DRM client (drm true: the console stops drawing) or
 * takes it back (the log is redrawn and the console drawing again). Not with the
 * log lock held; callers serialize calls (the DRM device mutex). */
void fbcon_yield(bool drm)
{
	if (!fbcon.fb || fbcon.surface || fbcon.yielded == drm)
		return;
	fbcon.yielded = drm;
	if (drm) {
		fbcon_register(false);
		return;
	}
	redraw();
	fbcon_register(true);
}

/* Moves the console onto s (see dev.h); the font must have loaded. */
void fbcon_attach(const struct fbcon_surface *s)
{
	if (!fbcon.font.height && psf_parse(_binary_font_psf_start,
					    _binary_font_psf_end - _binary_font_psf_start,
					    &fbcon.font))
		return;
	fbcon_register(false);
	fbcon.surface = s;
	fbcon.yielded = false;
	fbcon.fb = s->pixels;
	fbcon.pitch = s->pitch;
	fbcon.width = s->width;
	fbcon.height = s->height;
	fbcon.bytes_pp = 4;
	fbcon.cols = s->width / fbcon.font.width;
	fbcon.rows = s->height / fbcon.font.height;
	fbcon.fg = (uint32_t)FG_GRAY << 16 | FG_GRAY << 8 | FG_GRAY;
	redraw();
	fbcon_register(true);
	pr_info("fbcon: the console is on a %ux%u DRM framebuffer", s->width, s->height);
}

/* Maps GRUB's framebuffer, clears it and adds it as a log console; after mm_init. */
void fbcon_init(void)
{
	const struct boot_framebuffer *f = &boot_info.fb;
	size_t font_size = _binary_font_psf_end - _binary_font_psf_start;

	if (!f->phys || (f->bpp != 16 && f->bpp != 24 && f->bpp != 32))
		return;
	if (psf_parse(_binary_font_psf_start, font_size, &fbcon.font)) {
		pr_warn("fbcon: the built-in font is not a PSF font");
		return;
	}
	fbcon.fb = ioremap(f->phys, (size_t)f->pitch * f->height);
	if (!fbcon.fb) {
		pr_warn("fbcon: cannot map the framebuffer at %#lx", (unsigned long)f->phys);
		return;
	}
	fbcon.pitch = f->pitch;
	fbcon.width = f->width;
	fbcon.height = f->height;
	fbcon.bytes_pp = f->bpp / 8;
	fbcon.cols = f->width / fbcon.font.width;
	fbcon.rows = f->height / fbcon.font.height;
	fbcon.fg = pixel_of(f, FG_GRAY, FG_GRAY, FG_GRAY);
	redraw();
	fbcon_register(true);
	pr_info("fbcon: %ux%u framebuffer, %ux%u text with a %ux%u font", f->width, f->height,
		fbcon.cols, fbcon.rows, fbcon.font.width, fbcon.font.height);
}
