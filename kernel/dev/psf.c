/*
 * psf.c — reads PSF1/PSF2 console fonts (Debian's console-setup fonts are PSF1 with
 * a Unicode table), mapping Latin-1 characters to glyphs through that table.
 */
#include "dev/psf.h"

#define PSF1_MAGIC0 0x36
#define PSF1_MAGIC1 0x04
#define PSF1_MODE512 0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ 0x04
#define PSF2_MAGIC 0x864ab572
#define PSF2_HAS_UNICODE_TABLE 0x01

static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static void map_codepoint(struct psf_font *font, uint32_t cp, uint32_t glyph)
{
	if (cp < 256 && font->latin1[cp] == 0xffff)
		font->latin1[cp] = glyph;
}

/* PSF1 table: per glyph, u16 code points, 0xfffe starts sequences, 0xffff ends. */
static void psf1_table(struct psf_font *font, const uint8_t *p, const uint8_t *end)
{
	bool seq = false;

	for (uint32_t g = 0; g < font->count && p + 2 <= end; p += 2) {
		uint16_t v = p[0] | p[1] << 8;

		if (v == 0xffff) {
			g++;
			seq = false;
		} else if (v == 0xfffe) {
			seq = true;
		} else if (!seq) {
			map_codepoint(font, v, g);
		}
	}
}

/* Decodes one UTF-8 sequence at *p; returns the code point or -1 and advances *p. */
static int32_t utf8_next(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *s = *p;
	int n = s[0] < 0x80 ? 0 : s[0] >= 0xf0 ? 3 : s[0] >= 0xe0 ? 2 : s[0] >= 0xc0 ? 1 : -1;
	int32_t cp;

	if (n < 0 || s + n >= end) {
		*p = s + 1;
		return -1;
	}
	cp = n ? s[0] & (0x3f >> n) : s[0];
	for (int i = 1; i <= n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	*p = s + n + 1;
	return cp;
}

/* PSF2 table: per glyph, UTF-8 strings, 0xfe starts sequences, 0xff ends. */
static void psf2_table(struct psf_font *font, const uint8_t *p, const uint8_t *end)
{
	bool seq = false;

	for (uint32_t g = 0; g < font->count && p < end;) {
		int32_t cp;

		if (*p == 0xff) {
			g++;
			seq = false;
			p++;
		} else if (*p == 0xfe) {
			seq = true;
			p++;
		} else {
			cp = utf8_next(&p, end);
			if (cp >= 0 && !seq)
				map_codepoint(font, cp, g);
		}
	}
}

/* Characters the table left out: the identity without a table, else '?'. */
static void latin1_fill(struct psf_font *font)
{
	bool has_table = false;
	uint16_t fallback;

	for (int c = 0; c < 256; c++)
		has_table |= font->latin1[c] != 0xffff;
	fallback = has_table && font->latin1['?'] != 0xffff ? font->latin1['?'] : 0;
	for (uint32_t c = 0; c < 256; c++)
		if (font->latin1[c] == 0xffff)
			font->latin1[c] = !has_table && c < font->count ? c : fallback;
}

static int psf1_parse(const uint8_t *p, size_t size, struct psf_font *font)
{
	uint8_t mode = p[2];

	font->count = mode & PSF1_MODE512 ? 512 : 256;
	font->width = 8;
	font->height = p[3];
	font->bytes_per_row = 1;
	font->bytes_per_glyph = p[3];
	font->glyphs = p + 4;
	if (!font->height || 4 + (size_t)font->count * font->bytes_per_glyph > size)
		return -EINVAL;
	if (mode & (PSF1_MODEHASTAB | PSF1_MODESEQ))
		psf1_table(font, font->glyphs + font->count * font->bytes_per_glyph, p + size);
	return 0;
}

static int psf2_parse(const uint8_t *p, size_t size, struct psf_font *font)
{
	uint32_t header = get32(p + 8), flags = get32(p + 12);

	if (size < 32)
		return -EINVAL;
	font->count = get32(p + 16);
	font->bytes_per_glyph = get32(p + 20);
	font->height = get32(p + 24);
	font->width = get32(p + 28);
	font->bytes_per_row = (font->width + 7) / 8;
	font->glyphs = p + header;
	if (!font->width || !font->height || !font->count || font->width > 64 ||
	    header < 32 || header > size ||
	    font->bytes_per_glyph != font->bytes_per_row * font->height ||
	    (size - header) / font->bytes_per_glyph < font->count)
		return -EINVAL;
	if (flags & PSF2_HAS_UNICODE_TABLE)
		psf2_table(font, font->glyphs + (size_t)font->count * font->bytes_per_glyph, p + size);
	return 0;
}

/* Parses a PSF1 or PSF2 font and its Latin-1 glyph map; 0 or -EINVAL. */
int psf_parse(const void *data, size_t size, struct psf_font *font)
{
	const uint8_t *p = data;
	int err;

	memset(font, 0, sizeof(*font));
	memset(font->latin1, 0xff, sizeof(font->latin1));
	if (size >= 4 && p[0] == PSF1_MAGIC0 && p[1] == PSF1_MAGIC1)
		err = psf1_parse(p, size, font);
	else if (size >= 32 && get32(p) == PSF2_MAGIC)
		err = psf2_parse(p, size, font);
	else
		err = -EINVAL;
	if (err)
		return err;
	latin1_fill(font);
	return 0;
}

/* The bitmap of Latin-1 character c (the '?' glyph when the font lacks it). */
const uint8_t *psf_glyph(const struct psf_font *font, uint8_t c)
{
	return font->glyphs + (size_t)font->latin1[c] * font->bytes_per_glyph;
}
