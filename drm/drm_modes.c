/*
 * drm_modes.c — display modes: names and refresh rates as Linux reports them, and
 * CVT timings (VESA Coordinated Video Timings, normal blanking) for a size, which is
 * what Linux's virtio_gpu offers as the preferred mode of a scanout.
 */
#include "drm/drm.h"

/* Linux's drm_mode_vrefresh, rounded to the closest Hz. */
static uint32_t drm_mode_vrefresh(const struct drm_mode_modeinfo *m)
{
	uint64_t num = m->clock, den = (uint64_t)m->htotal * m->vtotal;

	if (!den)
		return 0;
	if (m->flags & DRM_MODE_FLAG_INTERLACE)
		num *= 2;
	if (m->flags & DRM_MODE_FLAG_DBLSCAN)
		den *= 2;
	if (m->vscan > 1)
		den *= m->vscan;
	return (num * 1000 + den / 2) / den;
}

/* Whether a and b are the same timings (every field but type, name and vrefresh). */
bool drm_mode_equal(const struct drm_mode_modeinfo *a, const struct drm_mode_modeinfo *b)
{
	return a->clock == b->clock && a->hdisplay == b->hdisplay &&
	       a->hsync_start == b->hsync_start && a->hsync_end == b->hsync_end &&
	       a->htotal == b->htotal && a->hskew == b->hskew && a->vdisplay == b->vdisplay &&
	       a->vsync_start == b->vsync_start && a->vsync_end == b->vsync_end &&
	       a->vtotal == b->vtotal && a->vscan == b->vscan && a->flags == b->flags;
}

/* Fills the name ("1280x800", "i" appended when interlaced) and vrefresh. */
void drm_mode_set_name(struct drm_mode_modeinfo *mode)
{
	ksnprintf(mode->name, sizeof(mode->name), "%dx%d%s", mode->hdisplay, mode->vdisplay,
		  (mode->flags & DRM_MODE_FLAG_INTERLACE) ? "i" : "");
	mode->vrefresh = drm_mode_vrefresh(mode);
}

/* The vertical sync width CVT gives an aspect ratio. */
static int cvt_vsync(int h, int v)
{
	if (!(v % 3) && v * 4 / 3 == h)
		return 4;
	if (!(v % 9) && v * 16 / 9 == h)
		return 5;
	if (!(v % 10) && v * 16 / 10 == h)
		return 6;
	if ((!(v % 4) && v * 5 / 4 == h) || (!(v % 9) && v * 15 / 9 == h))
		return 7;
	return 10;
}

/* A 60 Hz CVT mode of width x height with the integer arithmetic of Linux's
 * drm_cvt_mode (no margins, not interlaced, normal blanking). */
void drm_mode_cvt(struct drm_mode_modeinfo *m, int width, int height, bool preferred)
{
	enum { HV = 1000, MIN_VSYNC_BP = 550, MIN_V_PORCH = 3, H_GRAN = 8, HSYNC_PCT = 8,
	       C_PRIME = 30, M_PRIME = 300, RATE = 60 };
	int vsync = cvt_vsync(width, height), hperiod, vsync_bp, hblank;
	unsigned hblank_pct;

	memset(m, 0, sizeof(*m));
	m->hdisplay = width - width % H_GRAN;
	m->vdisplay = height;
	hperiod = (HV * 1000000 - MIN_VSYNC_BP * HV * RATE) * 2 /
		  ((m->vdisplay + MIN_V_PORCH) * 2 * RATE);
	vsync_bp = MIN_VSYNC_BP * HV / hperiod;
	if (vsync_bp < vsync + MIN_V_PORCH)
		vsync_bp = vsync + MIN_V_PORCH;
	m->vtotal = m->vdisplay + vsync_bp + MIN_V_PORCH;
	hblank_pct = C_PRIME * HV - M_PRIME * hperiod / 1000;
	if (hblank_pct < 20 * HV)
		hblank_pct = 20 * HV;
	hblank = m->hdisplay * hblank_pct / (100 * HV - hblank_pct);
	hblank -= hblank % (2 * H_GRAN);
	m->htotal = m->hdisplay + hblank;
	m->hsync_end = m->hdisplay + hblank / 2;
	m->hsync_start = m->hsync_end - m->htotal * HSYNC_PCT / 100;
	m->hsync_start += H_GRAN - m->hsync_start % H_GRAN;
	m->vsync_start = m->vdisplay + MIN_V_PORCH;
	m->vsync_end = m->vsync_start + vsync;
	m->clock = (uint64_t)m->htotal * HV * 1000 / hperiod;
	m->flags = DRM_MODE_FLAG_PVSYNC | DRM_MODE_FLAG_NHSYNC;
	m->type = preferred ? DRM_MODE_TYPE_PREFERRED : 0;
	drm_mode_set_name(m);
}
