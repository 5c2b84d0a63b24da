/*
 * drm_edid.c — a connector's mode list from its EDID, as Linux's drm_edid builds it
 * for the EDIDs QEMU generates: the base block's checks (header, checksum, version),
 * detailed timings (the first one preferred), established timings I/II and III,
 * standard timings looked up among the VESA DMT modes, CTA-861 extension blocks
 * (short video descriptors and the 59.94/60 Hz alternates of CTA modes), then
 * Linux's merge of equal modes and drm_mode_sort's order.
 *
 * Pure code over a byte buffer: every read is bounds-checked against the length
 * given, so a damaged EDID yields fewer modes, never an out-of-bounds read.
 *
 * Not yet (none occurs in QEMU's EDIDs): GTF/CVT timings for standard timings
 * missing from the DMT subset below, CVT 3-byte codes, inferred modes of
 * continuous-frequency displays, DisplayID, HDMI VICs, and the DMT/CTA entries
 * below that QEMU never names (such a timing is skipped).
 */
#include "drm/drm.h"

#define EDID_BLOCK 128

/* Timings of a table mode: clock in kHz, then h display/sync start/sync end/total,
 * v the same, DRM_MODE_FLAG_* sync polarities. */
struct edid_timing {
	uint16_t w, h;
	uint32_t clock;
	uint16_t hss, hse, ht, vss, vse, vt;
	uint32_t flags;
};

#define PP (DRM_MODE_FLAG_PHSYNC | DRM_MODE_FLAG_PVSYNC)
#define NN (DRM_MODE_FLAG_NHSYNC | DRM_MODE_FLAG_NVSYNC)
#define NP (DRM_MODE_FLAG_NHSYNC | DRM_MODE_FLAG_PVSYNC)

/* VESA DMT modes (the subset the timing bitmaps and QEMU's standard timings use). */
static const struct edid_timing dmt_modes[] = {
	{ 640, 480, 25175, 656, 752, 800, 490, 492, 525, NN },		/* 0x04 @60 */
	{ 640, 480, 31500, 664, 704, 832, 489, 492, 520, NN },		/* 0x05 @72 */
	{ 640, 480, 31500, 656, 720, 840, 481, 484, 500, NN },		/* 0x06 @75 */
	{ 800, 600, 36000, 824, 896, 1024, 601, 603, 625, PP },		/* 0x08 @56 */
	{ 800, 600, 40000, 840, 968, 1056, 601, 605, 628, PP },		/* 0x09 @60 */
	{ 800, 600, 50000, 856, 976, 1040, 637, 643, 666, PP },		/* 0x0a @72 */
	{ 800, 600, 49500, 816, 896, 1056, 601, 604, 625, PP },		/* 0x0b @75 */
	{ 1024, 768, 65000, 1048, 1184, 1344, 771, 777, 806, NN },	/* 0x10 @60 */
	{ 1024, 768, 75000, 1048, 1184, 1328, 771, 777, 806, NN },	/* 0x11 @70 */
	{ 1024, 768, 78750, 1040, 1136, 1312, 769, 772, 800, PP },	/* 0x12 @75 */
	{ 1152, 864, 108000, 1216, 1344, 1600, 865, 868, 900, PP },	/* 0x15 @75 */
	{ 1280, 768, 79500, 1344, 1472, 1664, 771, 778, 798, NP },	/* 0x17 @60 */
	{ 1280, 960, 108000, 1376, 1488, 1800, 961, 964, 1000, PP },	/* 0x20 @60 */
	{ 1280, 1024, 108000, 1328, 1440, 1688, 1025, 1028, 1066, PP },	/* 0x23 @60 */
	{ 1280, 1024, 135000, 1296, 1440, 1688, 1025, 1028, 1066, PP },	/* 0x24 @75 */
	{ 1360, 768, 85500, 1424, 1536, 1792, 771, 777, 795, PP },	/* 0x27 @60 */
	{ 1400, 1050, 121750, 1488, 1632, 1864, 1053, 1057, 1089, NP },	/* 0x2a @60 */
	{ 1440, 900, 106500, 1520, 1672, 1904, 903, 909, 934, NP },	/* 0x2f @60 */
	{ 1600, 1200, 162000, 1664, 1856, 2160, 1201, 1204, 1250, PP },	/* 0x33 @60 */
	{ 1680, 1050, 146250, 1784, 1960, 2240, 1053, 1059, 1089, NP },	/* 0x3a @60 */
	{ 1792, 1344, 204750, 1920, 2120, 2448, 1345, 1348, 1394, NP },	/* 0x3e @60 */
	{ 1856, 1392, 218250, 1952, 2176, 2528, 1393, 1396, 1439, NP },	/* 0x41 @60 */
	{ 1920, 1080, 148500, 2008, 2052, 2200, 1084, 1089, 1125, NN },	/* 0x52 @60 */
	{ 1920, 1200, 193250, 2056, 2256, 2592, 1203, 1209, 1245, NP },	/* 0x45 @60 */
	{ 1920, 1440, 234000, 2048, 2256, 2600, 1441, 1444, 1500, NP },	/* 0x49 @60 */
	{ 2048, 1152, 162000, 2074, 2154, 2250, 1153, 1156, 1200, PP },	/* 0x54 @60 */
};

/* Established timings I/II, bit i of bytes 35, 36 and bit 7 of 37 (Linux's order);
 * NULL for the legacy modes (720x400, 640x480@67, 832x624, 1024x768i) not covered. */
static const struct edid_timing *const est_modes[17] = {
	&dmt_modes[4], &dmt_modes[3], &dmt_modes[2], &dmt_modes[1], NULL, &dmt_modes[0],
	NULL, NULL, &dmt_modes[14], &dmt_modes[9], &dmt_modes[8], &dmt_modes[7], NULL,
	NULL, &dmt_modes[6], &dmt_modes[5], &dmt_modes[10],
};

/* Established timings III (VESA E-EDID), byte 6 bit 7 first: size, refresh, reduced
 * blanking. */
static const struct { uint16_t w, h; uint8_t r; bool rb; } est3_modes[] = {
	{ 640, 350, 85, 0 }, { 640, 400, 85, 0 }, { 720, 400, 85, 0 }, { 640, 480, 85, 0 },
	{ 848, 480, 60, 0 }, { 800, 600, 85, 0 }, { 1024, 768, 85, 0 }, { 1152, 864, 75, 0 },
	{ 1280, 768, 60, 1 }, { 1280, 768, 60, 0 }, { 1280, 768, 75, 0 }, { 1280, 768, 85, 0 },
	{ 1280, 960, 60, 0 }, { 1280, 960, 85, 0 }, { 1280, 1024, 60, 0 }, { 1280, 1024, 85, 0 },
	{ 1360, 768, 60, 0 }, { 1440, 900, 60, 1 }, { 1440, 900, 60, 0 }, { 1440, 900, 75, 0 },
	{ 1440, 900, 85, 0 }, { 1400, 1050, 60, 1 }, { 1400, 1050, 60, 0 }, { 1400, 1050, 75, 0 },
	{ 1400, 1050, 85, 0 }, { 1680, 1050, 60, 1 }, { 1680, 1050, 60, 0 }, { 1680, 1050, 75, 0 },
	{ 1680, 1050, 85, 0 }, { 1600, 1200, 60, 0 }, { 1600, 1200, 65, 0 }, { 1600, 1200, 70, 0 },
	{ 1600, 1200, 75, 0 }, { 1600, 1200, 85, 0 }, { 1792, 1344, 60, 0 }, { 1792, 1344, 75, 0 },
	{ 1856, 1392, 60, 0 }, { 1856, 1392, 75, 0 }, { 1920, 1200, 60, 1 }, { 1920, 1200, 60, 0 },
	{ 1920, 1200, 75, 0 }, { 1920, 1200, 85, 0 }, { 1920, 1440, 60, 0 }, { 1920, 1440, 75, 0 },
};

/* CTA-861 modes by VIC (the common ones and those QEMU lists), ascending. */
static const struct { uint8_t vic; struct edid_timing t; } cta_modes[] = {
	{ 1, { 640, 480, 25175, 656, 752, 800, 490, 492, 525, NN } },
	{ 2, { 720, 480, 27000, 736, 798, 858, 489, 495, 525, NN } },
	{ 3, { 720, 480, 27000, 736, 798, 858, 489, 495, 525, NN } },
	{ 4, { 1280, 720, 74250, 1390, 1430, 1650, 725, 730, 750, PP } },
	{ 16, { 1920, 1080, 148500, 2008, 2052, 2200, 1084, 1089, 1125, PP } },
	{ 19, { 1280, 720, 74250, 1720, 1760, 1980, 725, 730, 750, PP } },
	{ 31, { 1920, 1080, 148500, 2448, 2492, 2640, 1084, 1089, 1125, PP } },
	{ 89, { 2560, 1080, 185625, 3108, 3152, 3300, 1084, 1089, 1125, PP } },
	{ 96, { 3840, 2160, 594000, 4896, 4984, 5280, 2168, 2178, 2250, PP } },
	{ 97, { 3840, 2160, 594000, 4016, 4104, 4400, 2168, 2178, 2250, PP } },
	{ 101, { 4096, 2160, 594000, 5064, 5152, 5280, 2168, 2178, 2250, PP } },
	{ 125, { 5120, 2160, 742500, 6216, 6304, 6600, 2168, 2178, 2250, PP } },
};

/* The mode list being built: sorted as drm_mode_sort leaves it (equal keys in the
 * order added), equal modes merged as Linux's drm_connector_list_update merges
 * them. */
struct edid_list {
	struct drm_mode_modeinfo *modes;
	unsigned n, max;
};

static void mode_from_timing(struct drm_mode_modeinfo *m, const struct edid_timing *t)
{
	memset(m, 0, sizeof(*m));
	m->clock = t->clock;
	m->hdisplay = t->w;
	m->hsync_start = t->hss;
	m->hsync_end = t->hse;
	m->htotal = t->ht;
	m->vdisplay = t->h;
	m->vsync_start = t->vss;
	m->vsync_end = t->vse;
	m->vtotal = t->vt;
	m->flags = t->flags;
	m->type = DRM_MODE_TYPE_DRIVER;
	drm_mode_set_name(m);
}

static bool same_timings(const struct drm_mode_modeinfo *m, const struct edid_timing *t)
{
	return m->hdisplay == t->w && m->hsync_start == t->hss && m->hsync_end == t->hse &&
	       m->htotal == t->ht && m->vdisplay == t->h && m->vsync_start == t->vss &&
	       m->vsync_end == t->vse && m->vtotal == t->vt && !m->hskew && m->vscan <= 1 &&
	       m->flags == t->flags;
}

static int mode_compare(const struct drm_mode_modeinfo *a, const struct drm_mode_modeinfo *b);

/* Adds m at its sorted place, or merges its type into an equal mode; false when
 * m was new. */
static bool edid_add(struct edid_list *l, const struct drm_mode_modeinfo *m)
{
	unsigned j;

	for (j = 0; j < l->n; j++)
		if (drm_mode_equal(&l->modes[j], m)) {
			l->modes[j].type |= m->type;
			return true;
		}
	if (l->n == l->max)
		return false;
	for (j = l->n; j > 0 && mode_compare(&l->modes[j - 1], m) > 0; j--)
		l->modes[j] = l->modes[j - 1];
	l->modes[j] = *m;
	l->n++;
	return false;
}

/* The 59.94 Hz clock of a 60 Hz CTA mode or the reverse (Linux's
 * cea_mode_alternate_clock): the table has 59.94 Hz for 240 and 480 lines. */
static uint32_t cta_alternate_clock(const struct edid_timing *t)
{
	struct drm_mode_modeinfo m;

	mode_from_timing(&m, t);
	if (m.vrefresh % 6)
		return t->clock;
	if (t->h == 240 || t->h == 480)
		return (t->clock * 1001 + 500) / 1000;
	return (t->clock * 1000 + 500) / 1001;
}

/* The first CTA mode with m's timings whose clock (or alternate clock) is within
 * tolerance kHz of m's; NULL when none. */
static const struct edid_timing *cta_match(const struct drm_mode_modeinfo *m, uint32_t tolerance)
{
	for (size_t i = 0; i < ARRAY_SIZE(cta_modes); i++) {
		const struct edid_timing *t = &cta_modes[i].t;
		uint32_t c1 = t->clock, c2 = cta_alternate_clock(t);

		if (!same_timings(m, t))
			continue;
		if ((m->clock >= c1 ? m->clock - c1 : c1 - m->clock) <= tolerance ||
		    (m->clock >= c2 ? m->clock - c2 : c2 - m->clock) <= tolerance)
			return t;
	}
	return NULL;
}

static const struct edid_timing *dmt_find(unsigned w, unsigned h, unsigned r, bool rb)
{
	for (size_t i = 0; i < ARRAY_SIZE(dmt_modes); i++) {
		const struct edid_timing *t = &dmt_modes[i];
		struct drm_mode_modeinfo m;
		bool is_rb = t->hse - t->hss == 32 && t->vss - t->h == 3;

		mode_from_timing(&m, t);
		if (t->w == w && t->h == h && m.vrefresh == r && is_rb == rb)
			return t;
	}
	return NULL;
}

/* ---- the blocks ---- */

/* The 18-byte descriptors: four in the base block, then each valid CTA block's
 * detailed timings from its DTD offset to the checksum. */
struct edid_desc_iter {
	const uint8_t *edid;
	unsigned nblocks, block, index;
};

static const uint8_t *desc_next(struct edid_desc_iter *it)
{
	while (it->block < it->nblocks) {
		const uint8_t *b = it->edid + it->block * EDID_BLOCK;
		unsigned start = 54, count = 4;

		if (it->block) {
			start = b[2];
			count = b[0] == 0x02 && start >= 4 && start < 127 ? (127 - start) / 18 : 0;
		}
		if (it->index < count)
			return b + start + 18 * it->index++;
		it->block++;
		it->index = 0;
	}
	return NULL;
}

/* Linux's drm_mode_detailed: NULL-equivalent (false) for tiny, stereo, interlaced
 * or zero-sync-width timings. */
static bool detailed_mode(const uint8_t *d, struct drm_mode_modeinfo *m)
{
	unsigned ha = (d[4] & 0xf0) << 4 | d[2], hb = (d[4] & 0xf) << 8 | d[3];
	unsigned va = (d[7] & 0xf0) << 4 | d[5], vb = (d[7] & 0xf) << 8 | d[6];
	unsigned hso = (d[11] & 0xc0) << 2 | d[8], hsw = (d[11] & 0x30) << 4 | d[9];
	unsigned vso = (d[11] & 0xc) << 2 | d[10] >> 4, vsw = (d[11] & 0x3) << 4 | (d[10] & 0xf);

	if (ha < 64 || va < 64 || (d[17] & 0x20) || (d[17] & 0x80) || !hsw || !vsw)
		return false;
	memset(m, 0, sizeof(*m));
	m->clock = (d[0] | d[1] << 8) * 10;
	m->hdisplay = ha;
	m->hsync_start = ha + hso;
	m->hsync_end = m->hsync_start + hsw;
	m->htotal = ha + hb;
	m->vdisplay = va;
	m->vsync_start = va + vso;
	m->vsync_end = m->vsync_start + vsw;
	m->vtotal = va + vb;
	if (m->hsync_end > m->htotal)
		m->htotal = m->hsync_end + 1;
	if (m->vsync_end > m->vtotal)
		m->vtotal = m->vsync_end + 1;
	m->flags = (d[17] & 0x2 ? DRM_MODE_FLAG_PHSYNC : DRM_MODE_FLAG_NHSYNC) |
		   (d[17] & 0x4 ? DRM_MODE_FLAG_PVSYNC : DRM_MODE_FLAG_NVSYNC);
	m->type = DRM_MODE_TYPE_DRIVER;
	drm_mode_set_name(m);
	return true;
}

static void add_detailed_modes(struct edid_list *l, const uint8_t *edid, unsigned nblocks)
{
	struct edid_desc_iter it = { edid, nblocks, 0, 0 };
	bool preferred = edid[19] >= 4 || (edid[24] & 0x2);
	struct drm_mode_modeinfo m;
	const struct edid_timing *t;
	const uint8_t *d;

	while ((d = desc_next(&it))) {
		if (!(d[0] | d[1]) || !detailed_mode(d, &m))
			continue;
		if (preferred)
			m.type |= DRM_MODE_TYPE_PREFERRED;
		/* detailed clocks are in 10 kHz units: snap to a CTA mode's clock */
		if ((t = cta_match(&m, 5))) {
			uint32_t c2 = cta_alternate_clock(t);

			m.clock = (m.clock >= t->clock ? m.clock - t->clock : t->clock - m.clock) <= 5 ?
				  t->clock : c2;
		}
		edid_add(l, &m);
		preferred = false;
	}
}

/* Reduced blanking support: an EDID 1.4 range descriptor with CVT support and its
 * reduced-blanking bit (Linux's drm_monitor_supports_rb). */
static bool supports_rb(const uint8_t *edid, unsigned nblocks)
{
	struct edid_desc_iter it = { edid, nblocks, 0, 0 };
	const uint8_t *d;

	if (edid[19] < 4)
		return false;
	while ((d = desc_next(&it)))
		if (!(d[0] | d[1] | d[2]) && d[3] == 0xfd && d[10] == 0x04 && (d[15] & 0x10))
			return true;
	return false;
}

/* One standard timing (2 bytes), as Linux's drm_mode_std at the DMT level. */
static void add_std_mode(struct edid_list *l, const uint8_t *edid, unsigned nblocks,
			 const uint8_t *s)
{
	unsigned w = (s[0] + 31) * 8, h, r = (s[1] & 0x3f) + 60, aspect = s[1] >> 6;
	const struct edid_timing *t = NULL;
	struct drm_mode_modeinfo m;

	if ((s[0] == 0 && s[1] == 0) || (s[0] == 1 && s[1] == 1) || (s[0] == 0x20 && s[1] == 0x20))
		return;
	if (aspect == 0)
		h = edid[19] < 3 ? w : w * 10 / 16;
	else if (aspect == 1)
		h = w * 3 / 4;
	else if (aspect == 2)
		h = w * 4 / 5;
	else
		h = w * 9 / 16;
	for (unsigned i = 0; i < l->n; i++)
		if (l->modes[i].hdisplay == w && l->modes[i].vdisplay == h && l->modes[i].vrefresh == r)
			return;
	if (supports_rb(edid, nblocks))
		t = dmt_find(w, h, r, true);
	if (!t)
		t = dmt_find(w, h, r, false);
	if (!t)
		return;
	mode_from_timing(&m, t);
	edid_add(l, &m);
}

static void add_standard_modes(struct edid_list *l, const uint8_t *edid, unsigned nblocks)
{
	struct edid_desc_iter it = { edid, nblocks, 0, 0 };
	const uint8_t *d;

	for (unsigned i = 0; i < 8; i++)
		add_std_mode(l, edid, nblocks, edid + 38 + 2 * i);
	while ((d = desc_next(&it)))
		if (!(d[0] | d[1] | d[2]) && d[3] == 0xfa)
			for (unsigned i = 0; i < 6; i++)
				add_std_mode(l, edid, nblocks, d + 5 + 2 * i);
}

static void add_established_modes(struct edid_list *l, const uint8_t *edid, unsigned nblocks)
{
	uint32_t bits = edid[35] | edid[36] << 8 | (edid[37] & 0x80) << 9;
	struct edid_desc_iter it = { edid, nblocks, 0, 0 };
	struct drm_mode_modeinfo m;
	const uint8_t *d;

	for (unsigned i = 0; i < ARRAY_SIZE(est_modes); i++)
		if ((bits & (1u << i)) && est_modes[i]) {
			mode_from_timing(&m, est_modes[i]);
			edid_add(l, &m);
		}
	while ((d = desc_next(&it))) {
		if ((d[0] | d[1] | d[2]) || d[3] != 0xf7)
			continue;
		for (unsigned i = 0; i < 6; i++)
			for (int j = 7; j >= 0; j--) {
				unsigned k = i * 8 + 7 - j;
				const struct edid_timing *t;

				if (k >= ARRAY_SIZE(est3_modes) || !(d[6 + i] & (1 << j)))
					continue;
				t = dmt_find(est3_modes[k].w, est3_modes[k].h, est3_modes[k].r,
					     est3_modes[k].rb);
				if (t) {
					mode_from_timing(&m, t);
					edid_add(l, &m);
				}
			}
	}
}

/* The short video descriptors of every CTA block's video data blocks. */
static void add_cta_modes(struct edid_list *l, const uint8_t *edid, unsigned nblocks)
{
	for (unsigned b = 1; b < nblocks; b++) {
		const uint8_t *e = edid + b * EDID_BLOCK;
		unsigned end = e[2], pos = 4;

		if (e[0] != 0x02 || e[1] < 3 || end < 4 || end > 127)
			continue;
		while (pos < end) {
			unsigned tag = e[pos] >> 5, len = e[pos] & 0x1f;

			if (pos + 1 + len > end)
				break;
			for (unsigned i = 0; tag == 2 && i < len; i++) {
				unsigned svd = e[pos + 1 + i];
				unsigned vic = (svd >= 1 && svd <= 64) || (svd >= 129 && svd <= 192) ?
					       svd & 127 : svd;

				for (size_t k = 0; k < ARRAY_SIZE(cta_modes); k++)
					if (cta_modes[k].vic == vic) {
						struct drm_mode_modeinfo m;

						mode_from_timing(&m, &cta_modes[k].t);
						edid_add(l, &m);
					}
			}
			pos += 1 + len;
		}
	}
}

/* For each mode that is a 60 Hz-family CTA mode, the other of its two clocks
 * (Linux's add_alternate_cea_modes: only with a CTA extension present). The other
 * clock's alternate is the mode itself, so adding until nothing is new adds
 * exactly the alternates of the modes there before. */
static void add_alternate_modes(struct edid_list *l, bool has_cta)
{
	for (unsigned i = 0; has_cta && i < l->n; i++) {
		const struct edid_timing *t = cta_match(&l->modes[i], 0);
		struct drm_mode_modeinfo m;
		uint32_t c2;

		if (!t || (c2 = cta_alternate_clock(t)) == t->clock)
			continue;
		mode_from_timing(&m, t);
		m.clock = l->modes[i].clock != t->clock ? t->clock : c2;
		drm_mode_set_name(&m);
		if (!edid_add(l, &m))
			i = -1u;	/* the array moved: start over */
	}
}

/* ---- checks, merge and order ---- */

static bool block_checksum_ok(const uint8_t *b)
{
	uint8_t sum = 0;

	for (unsigned i = 0; i < EDID_BLOCK; i++)
		sum += b[i];
	return !sum;
}

/* Linux's base block checks: a header with at least 6 of its 8 bytes right,
 * version 1, a good checksum, not all zeros. */
static bool base_block_ok(const uint8_t *b)
{
	static const uint8_t header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	unsigned score = 0;
	bool zero = true;

	for (unsigned i = 0; i < 8; i++)
		score += b[i] == header[i];
	for (unsigned i = 0; i < EDID_BLOCK; i++)
		zero = zero && !b[i];
	return score >= 6 && b[18] == 1 && block_checksum_ok(b) && !zero;
}

/* drm_mode_compare: preferred first, then larger, faster refresh, faster clock. */
static int mode_compare(const struct drm_mode_modeinfo *a, const struct drm_mode_modeinfo *b)
{
	int pa = !!(a->type & DRM_MODE_TYPE_PREFERRED), pb = !!(b->type & DRM_MODE_TYPE_PREFERRED);
	long d = pb - pa;

	if (!d)
		d = (long)b->hdisplay * b->vdisplay - (long)a->hdisplay * a->vdisplay;
	if (!d)
		d = (long)b->vrefresh - a->vrefresh;
	if (!d)
		d = (long)b->clock - a->clock;
	return d < 0 ? -1 : d > 0;
}

/* Parses len bytes of EDID into at most max modes in Linux's order, equal modes
 * merged (their type bits combined). Returns the number of modes, 0 for an EDID
 * Linux rejects. Extension blocks past len, or after one with a bad checksum (other
 * than a CTA block, which Linux accepts anyway), are ignored. */
unsigned drm_edid_modes(const uint8_t *edid, size_t len, struct drm_mode_modeinfo *modes,
			unsigned max)
{
	struct edid_list l = { modes, 0, max };
	bool has_cta = false;
	unsigned nblocks;

	if (len < EDID_BLOCK || !base_block_ok(edid))
		return 0;
	nblocks = 1 + MIN(edid[126], len / EDID_BLOCK - 1);
	for (unsigned b = 1; b < nblocks; b++) {
		const uint8_t *e = edid + b * EDID_BLOCK;

		if (!block_checksum_ok(e) && e[0] != 0x02) {
			nblocks = b;
			break;
		}
		has_cta = has_cta || e[0] == 0x02;
	}
	add_detailed_modes(&l, edid, nblocks);
	add_standard_modes(&l, edid, nblocks);
	add_established_modes(&l, edid, nblocks);
	add_cta_modes(&l, edid, nblocks);
	add_alternate_modes(&l, has_cta);
	return l.n;
}
