// sources: kernel/dev/psf.c
/* Tests of the PSF1/PSF2 font parser on small synthetic fonts. */
#include "unit.h"
#include "dev/psf.h"

/* A PSF1 font: 256 glyphs of height 4, glyph g filled with byte g, optional table. */
static size_t make_psf1(uint8_t *buf, bool table)
{
	size_t n = 0;

	buf[n++] = 0x36;
	buf[n++] = 0x04;
	buf[n++] = table ? 0x02 : 0x00;
	buf[n++] = 4;
	for (int g = 0; g < 256; g++)
		for (int r = 0; r < 4; r++)
			buf[n++] = g;
	if (table) {
		for (int g = 0; g < 256; g++) {
			/* glyph g shows character 255 - g; glyph 7 also 'A' via a sequence */
			uint16_t cp = 255 - g;

			buf[n++] = cp & 0xff;
			buf[n++] = cp >> 8;
			if (g == 7) {
				buf[n++] = 0xfe;	/* sequence start: ignored */
				buf[n++] = 0xff;
				buf[n++] = 'Z';
				buf[n++] = 0;
			}
			buf[n++] = 0xff;
			buf[n++] = 0xff;
		}
	}
	return n;
}

TEST(psf1_without_table_is_identity)
{
	static uint8_t buf[8192];
	struct psf_font f;
	size_t n = make_psf1(buf, false);

	CHECK_EQ(psf_parse(buf, n, &f), 0);
	CHECK_EQ(f.width, 8);
	CHECK_EQ(f.height, 4);
	CHECK_EQ(f.count, 256);
	CHECK_EQ(psf_glyph(&f, 'A')[0], 'A');
	CHECK_EQ(psf_glyph(&f, 0xe9)[3], 0xe9);
}

TEST(psf1_unicode_table)
{
	static uint8_t buf[8192];
	struct psf_font f;
	size_t n = make_psf1(buf, true);

	CHECK_EQ(psf_parse(buf, n, &f), 0);
	CHECK_EQ(psf_glyph(&f, 'A')[0], 255 - 'A');
	CHECK_EQ(psf_glyph(&f, 0)[0], 255);
	CHECK_EQ(psf_glyph(&f, 'Z')[0], 255 - 'Z');	/* sequence did not override */
}

TEST(psf1_truncated)
{
	static uint8_t buf[8192];
	struct psf_font f;
	size_t n = make_psf1(buf, false);

	CHECK_EQ(psf_parse(buf, n - 1, &f), -EINVAL);
	CHECK_EQ(psf_parse(buf, 3, &f), -EINVAL);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* A PSF2 font, 10x3 pixels (2 bytes per row), 3 glyphs, with a UTF-8 table. */
static size_t make_psf2(uint8_t *buf, uint32_t count_field)
{
	static const uint8_t table[] = {
		'a', 0xff,			/* glyph 0: 'a' */
		0xc3, 0xa9, 'e', 0xff,		/* glyph 1: U+00E9 and 'e' */
		0xe2, 0x82, 0xac, '?', 0xff,	/* glyph 2: U+20AC (not Latin-1) and '?' */
	};
	size_t n = 32;

	put32(buf, 0x864ab572);
	put32(buf + 4, 0);
	put32(buf + 8, 32);
	put32(buf + 12, 1);
	put32(buf + 16, count_field);
	put32(buf + 20, 6);
	put32(buf + 24, 3);
	put32(buf + 28, 10);
	for (int g = 0; g < 3; g++)
		for (int i = 0; i < 6; i++)
			buf[n++] = 0x10 * (g + 1) + i;
	memcpy(buf + n, table, sizeof(table));
	return n + sizeof(table);
}

TEST(psf2_header_and_table)
{
	uint8_t buf[128];
	struct psf_font f;
	size_t n = make_psf2(buf, 3);

	CHECK_EQ(psf_parse(buf, n, &f), 0);
	CHECK_EQ(f.width, 10);
	CHECK_EQ(f.height, 3);
	CHECK_EQ(f.bytes_per_row, 2);
	CHECK_EQ(f.count, 3);
	CHECK_EQ(psf_glyph(&f, 'a')[0], 0x10);
	CHECK_EQ(psf_glyph(&f, 0xe9)[1], 0x21);
	CHECK_EQ(psf_glyph(&f, 'e')[0], 0x20);
	CHECK_EQ(psf_glyph(&f, 'x')[0], 0x30);	/* unmapped: the '?' glyph */
}

TEST(psf2_rejects_bad_sizes)
{
	uint8_t buf[128];
	struct psf_font f;
	size_t n = make_psf2(buf, 1000);

	CHECK_EQ(psf_parse(buf, n, &f), -EINVAL);	/* more glyphs than bytes */
	n = make_psf2(buf, 3);
	put32(buf + 20, 7);				/* charsize != height * row bytes */
	CHECK_EQ(psf_parse(buf, n, &f), -EINVAL);
	buf[0] = 0;
	CHECK_EQ(psf_parse(buf, n, &f), -EINVAL);
}
