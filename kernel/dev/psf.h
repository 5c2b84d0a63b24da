/*
 * psf.h — PC Screen Font (PSF1 and PSF2) parsing for the framebuffer console. Pure
 * code: tests/unit/test_psf.c runs it on the host.
 */
#ifndef LUMEN_PSF_H
#define LUMEN_PSF_H

#include "lib/lib.h"

/* A parsed font; glyphs point into the caller's data, which must stay alive. */
struct psf_font {
	const uint8_t *glyphs;
	uint32_t count;			/* glyphs in the font */
	uint32_t width, height;		/* pixels */
	uint32_t bytes_per_row, bytes_per_glyph;
	uint16_t latin1[256];		/* glyph index of each Latin-1 character */
};

/* Parses a PSF1 or PSF2 font of size bytes; returns 0 or -EINVAL. */
int psf_parse(const void *data, size_t size, struct psf_font *font);
/* The bitmap of character c (Latin-1), rows of bytes_per_row bytes, MSB leftmost. */
const uint8_t *psf_glyph(const struct psf_font *font, uint8_t c);

#endif
