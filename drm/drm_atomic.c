/*
 * drm_atomic.c — the atomic state and setting properties: OBJ_SETPROPERTY and the
 * legacy SETPROPERTY here, MODE_ATOMIC in drm_atomic_ioctl.c, as Linux's
 * drm_atomic_uapi.c and the atomic helpers do them. A
 * request builds a new state of every output from the current one, property by
 * property (with Linux's validity checks); the check phase refuses what the device
 * cannot do without changing anything; the commit then applies each changed output
 * through drm_output_set_locked and cannot fail (a device error is logged). Cursor
 * planes take FB_ID, CRTC_ID, SRC_* and CRTC_* too, with virtio_gpu's checks, and are
 * committed through drm_cursor_set_locked (UPDATE_CURSOR or MOVE_CURSOR).
 *
 * Flips complete at the output's next vblank (drm_vblank.c): PAGE_FLIP_EVENT
 * events are sent then.
 *
 * Legacy SETCRTC comes through here too (drm_atomic_set_config_locked), as Linux's
 * drm_atomic_helper_set_config.
 *
 * A CRTC may be on with its primary plane off (out->enabled without out->fb), as
 * Linux allows: the device shows nothing there, events and fences still come.
 *
 * User memory is read and written outside dev->mutex (it may be a mapped DRM
 * buffer): each OUT_FENCE_PTR is tried (read and written back) while the request is
 * read, so a bad one fails where Linux's put_user of -1 would; after the commit -1
 * is written to those the request set before it stopped, as Linux writes it when
 * the property is set, then the fence fds.
 *
 * Fences (drm_syncfile.c): IN_FENCE_FD's sync_file goes into the plane's state and
 * the commit waits for it (TEST_ONLY only checks it is one); OUT_FENCE_PTR gets a
 * sync_file fd of a fence signalled when the CRTC's flip completes (at once when
 * nothing is shown), through MODE_ATOMIC only, its fd reserved before the commit (as
 * Linux's prepare_signaling) so that nothing fails once committed. A nonblocking
 * commit whose in-fence is pending waits for it in the ioctl (only another output's
 * flip can hold one then: this output's is -EBUSY), where Linux's worker waits.
 */
#include "drm/drm_internal.h"
#include "lib/log.h"

/* Fills s with the current state of every output (see drm_internal.h). */
void drm_atomic_state_init(struct drm_device *dev, struct drm_atomic_state *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		const struct drm_output *out = &dev->outputs[i];
		const struct drm_output_props *op = &dev->oprops[i];
		struct drm_atomic_output *o = &s->o[i];

		o->vrr = op->vrr;
		o->cursor = (struct drm_atomic_plane){
			.fb = out->cursor.fb, .crtc = out->cursor.obj ? out->crtc_id : 0,
			.crtc_x = out->cursor.x, .crtc_y = out->cursor.y,
			.crtc_w = out->cursor.width, .crtc_h = out->cursor.height,
		};
		memcpy(o->cursor.src, out->cursor.src, sizeof(o->cursor.src));
		o->cursor_legacy = out->cursor.obj && !out->cursor.fb;
		/* the primary plane's rectangles stay while it is off, as Linux's */
		memcpy(o->primary.src, op->src, sizeof(o->primary.src));
		o->primary.crtc_x = op->crtc_x;
		o->primary.crtc_y = op->crtc_y;
		o->primary.crtc_w = op->crtc_w;
		o->primary.crtc_h = op->crtc_h;
		if (!out->enabled)
			continue;
		o->conn_crtc = out->crtc_id;
		o->primary.crtc = out->fb ? out->crtc_id : 0;
		o->active = !op->dpms_off;
		o->mode_blob = op->mode;
		o->primary.fb = out->fb;
	}
}

/* Drops what a state holds (the in-fences' sync_files) and frees it. */
void drm_atomic_state_free(struct drm_atomic_state *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < DRM_MAX_OUTPUTS; i++) {
		if (s->o[i].primary.in_fence)
			file_put(s->o[i].primary.in_fence);
		if (s->o[i].cursor.in_fence)
			file_put(s->o[i].cursor.in_fence);
	}
	kfree(s);
}

/* Waits for the in-fences of a state about to be committed (Linux's
 * drm_atomic_helper_wait_for_fences). Their fences are signalled by flips, never
 * under dev->mutex, which stays held. */
void drm_atomic_wait_fences(struct drm_device *dev, const struct drm_atomic_state *s)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (s->o[i].primary.in_fence)
			drm_syncfile_wait(s->o[i].primary.in_fence);
		if (s->o[i].cursor.in_fence)
			drm_syncfile_wait(s->o[i].cursor.in_fence);
	}
}

/* Linux's drm_property_change_valid_get: whether value may be given to prop. */
static bool drm_prop_value_valid(struct drm_device *dev, int prop, uint64_t value)
{
	const struct drm_prop_desc *d = &drm_props[prop];
	unsigned i;

	if (d->flags & DRM_MODE_PROP_IMMUTABLE)
		return false;
	if (d->flags & DRM_MODE_PROP_RANGE)
		return value >= d->values[0] && value <= d->values[1];
	if (d->flags & DRM_MODE_PROP_SIGNED_RANGE)
		return (int64_t)value >= (int64_t)d->values[0] &&
		       (int64_t)value <= (int64_t)d->values[1];
	if (d->flags & DRM_MODE_PROP_ENUM) {
		for (i = 0; i < d->nr_enums; i++)
			if (d->enums[i].value == value)
				return true;
		return false;
	}
	if (d->flags & DRM_MODE_PROP_BLOB)
		return !value || (value <= UINT32_MAX && drm_blob_lookup_locked(dev, value));
	if (d->flags & DRM_MODE_PROP_OBJECT) {
		if (!value)
			return true;
		return value <= UINT32_MAX &&
		       drm_object_find_locked(dev, value, &i) == d->values[0];
	}
	return false;
}

/* A MODE_ID blob must hold one valid mode (Linux's drm_atomic_set_mode_prop_for_crtc). */
static int drm_atomic_set_mode(struct drm_atomic_output *o, struct drm_blob *b)
{
	int err;

	if (b && b->length != sizeof(struct drm_mode_modeinfo))
		return -EINVAL;
	if (b && (err = drm_mode_check((const struct drm_mode_modeinfo *)b->data)))
		return err;
	o->mode_blob = b;
	return 0;
}

/* Sets one of a plane's properties in p (Linux's drm_atomic_plane_set_property). */
static int drm_atomic_set_plane_prop(struct drm_device *dev, struct drm_atomic_plane *p,
				     int prop, uint64_t value)
{
	switch (prop) {
	case DRM_PROP_CRTC_ID:
		p->crtc = value;
		return 0;
	case DRM_PROP_FB_ID:
		p->fb = value ? drm_fb_lookup_locked(dev, value) : NULL;
		return 0;
	case DRM_PROP_IN_FENCE_FD:	/* -1: none; else a sync_file, once a request */
		if (p->in_fence)
			return -EINVAL;
		if (value == (uint64_t)-1)
			return 0;
		p->in_fence = drm_syncfile_get((int)value);
		return p->in_fence ? 0 : -EINVAL;
	case DRM_PROP_SRC_X: case DRM_PROP_SRC_Y: case DRM_PROP_SRC_W: case DRM_PROP_SRC_H:
		p->src[prop - DRM_PROP_SRC_X] = value;
		return 0;
	case DRM_PROP_CRTC_X:
		p->crtc_x = value;
		return 0;
	case DRM_PROP_CRTC_Y:
		p->crtc_y = value;
		return 0;
	case DRM_PROP_CRTC_W:
		p->crtc_w = value;
		return 0;
	case DRM_PROP_CRTC_H:
		p->crtc_h = value;
		return 0;
	}
	return -EINVAL;
}

/* Sets one property of the object of type on output i (or output i's cursor plane,
 * DRM_CURSOR_INDEX) in s (Linux's drm_atomic_set_property and the per-object
 * set_property functions): 0 or -EINVAL. */
int drm_atomic_set_prop(struct drm_device *dev, struct drm_atomic_state *s,
			       uint32_t type, unsigned i, int prop, uint64_t value)
{
	struct drm_atomic_output *o;

	if (!drm_prop_value_valid(dev, prop, value))
		return -EINVAL;
	if (prop == DRM_PROP_CRTC_ID && value && s->file && !drm_lease_held(s->file, value))
		return -EACCES;
	if (i >= DRM_CURSOR_INDEX(0)) {
		o = &s->o[i - DRM_CURSOR_INDEX(0)];
		o->cursor_touched = true;
		if (prop == DRM_PROP_FB_ID)
			o->cursor_legacy = false;
		return drm_atomic_set_plane_prop(dev, &o->cursor, prop, value);
	}
	o = &s->o[i];
	o->touched = true;
	if (type == DRM_MODE_OBJECT_PLANE)
		return drm_atomic_set_plane_prop(dev, &o->primary, prop, value);
	switch (prop) {
	case DRM_PROP_CRTC_ID:
		o->conn_crtc = value;
		return 0;
	case DRM_PROP_LINK_STATUS:	/* user space cannot make a good link bad */
		return 0;
	case DRM_PROP_VRR_ENABLED:	/* stored; the device has no VRR to turn on */
		o->vrr = value;
		return 0;
	case DRM_PROP_ACTIVE:
		o->active = value;
		return 0;
	case DRM_PROP_MODE_ID:
		return drm_atomic_set_mode(o, value ? drm_blob_lookup_locked(dev, value) : NULL);
	case DRM_PROP_OUT_FENCE_PTR:	/* -1 written there after the request */
		o->out_fence_ptr = (int32_t __user *)(uintptr_t)value;
		return 0;
	}
	return -EINVAL;		/* DPMS only through the legacy ioctls */
}

/* Linux's drm_atomic_plane_check for a plane of output i taking the nf formats,
 * LINEAR only; has_fb: a framebuffer is shown (a legacy cursor image counts as one,
 * as Linux's internal framebuffer). */
static int drm_atomic_plane_check(struct drm_device *dev, const struct drm_atomic_plane *p,
				  unsigned i, const uint32_t *formats, unsigned nf, bool has_fb)
{
	const struct drm_framebuffer *fb = p->fb;
	unsigned k;

	if (!p->crtc != !has_fb)
		return -EINVAL;
	if (!p->crtc)
		return 0;
	if (p->crtc != dev->outputs[i].crtc_id)
		return -EINVAL;
	if (!fb)
		return 0;
	for (k = 0; k < nf; k++)
		if (formats[k] == fb->format)
			break;
	if (k == nf || fb->modifier != DRM_FORMAT_MOD_LINEAR)
		return -EINVAL;
	if (p->crtc_w > INT32_MAX || p->crtc_x > INT32_MAX - (int32_t)p->crtc_w ||
	    p->crtc_h > INT32_MAX || p->crtc_y > INT32_MAX - (int32_t)p->crtc_h)
		return -ERANGE;
	if (p->src[2] > (uint64_t)fb->width << 16 ||
	    p->src[0] > ((uint64_t)fb->width << 16) - p->src[2] ||
	    p->src[3] > (uint64_t)fb->height << 16 ||
	    p->src[1] > ((uint64_t)fb->height << 16) - p->src[3])
		return -ENOSPC;
	return 0;
}

/* The cursor plane's checks: Linux's drm_atomic_plane_check (its formats, the plane's
 * own CRTC), then virtio_gpu's plane atomic_check: drm_atomic_helper_check_plane_state
 * without scaling, free positioning, allowed on a disabled CRTC. */
static int drm_atomic_cursor_check(struct drm_device *dev, const struct drm_atomic_output *o,
				   unsigned i)
{
	const struct drm_atomic_plane *p = &o->cursor;
	unsigned nf;
	const uint32_t *formats = drm_cursor_formats(dev, &nf);
	int err;

	if (!dev->outputs[i].cursor_plane_id)
		return p->crtc || p->fb ? -EINVAL : 0;
	err = drm_atomic_plane_check(dev, p, i, formats, nf, p->fb || o->cursor_legacy);
	if (err || !p->fb)
		return err;
	/* no scaling (drm_rect_calc_hscale: an empty destination has no scale) */
	if ((p->crtc_w && (uint64_t)p->crtc_w << 16 != p->src[2]) ||
	    (p->crtc_h && (uint64_t)p->crtc_h << 16 != p->src[3]))
		return -ERANGE;
	return 0;
}

static const struct drm_mode_modeinfo *drm_atomic_mode(const struct drm_atomic_output *o)
{
	return o->mode_blob ? (const struct drm_mode_modeinfo *)o->mode_blob->data : NULL;
}

/* Whether output i needs a modeset to go from its current state to o. */
static bool drm_atomic_needs_modeset(struct drm_device *dev, const struct drm_atomic_output *o,
				     const struct drm_atomic_output *old)
{
	const struct drm_mode_modeinfo *a = drm_atomic_mode(o), *b = drm_atomic_mode(old);

	if (!a != !b || o->active != old->active || o->conn_crtc != old->conn_crtc)
		return true;
	return a && !drm_mode_equal(a, b);
}

/* Whether any of the plane's destination is on the CRTC's mode (Linux's
 * drm_rect_clip_scaled in drm_atomic_helper_check_plane_state): an invisible primary
 * plane is accepted and not shown. */
static bool drm_atomic_plane_visible(const struct drm_atomic_plane *p,
				     const struct drm_mode_modeinfo *mode)
{
	int64_t x2 = (int64_t)p->crtc_x + p->crtc_w, y2 = (int64_t)p->crtc_y + p->crtc_h;

	return MAX(p->crtc_x, 0) < MIN(x2, (int64_t)mode->hdisplay) &&
	       MAX(p->crtc_y, 0) < MIN(y2, (int64_t)mode->vdisplay);
}

/* The CRTC and plane checks of Linux's drm_atomic_check_only with the helpers
 * virtio_gpu uses: an enabled CRTC needs its connector and a mode, a visible
 * primary plane must cover the whole CRTC unscaled. Changes nothing. */
static int drm_atomic_check_output(struct drm_device *dev, const struct drm_atomic_output *o,
				   unsigned i)
{
	const struct drm_mode_modeinfo *mode = drm_atomic_mode(o);
	int64_t x2, y2;
	int err;

	const struct drm_atomic_plane *p = &o->primary;

	if ((err = drm_atomic_plane_check(dev, p, i, dev->driver->formats,
					  dev->driver->nr_formats, p->fb)))
		return err;
	if (o->active && !mode)
		return -EINVAL;
	if (o->conn_crtc && o->conn_crtc != dev->outputs[i].crtc_id)
		return -EINVAL;		/* no encoder of this connector drives that CRTC */
	if (!mode != !o->conn_crtc)
		return -EINVAL;
	if (!p->fb)
		return 0;		/* an enabled CRTC may have its primary plane off */
	if (!mode)
		return -EINVAL;
	/* no scaling (drm_rect_calc_hscale: an empty destination has no scale) */
	if ((p->crtc_w && (uint64_t)p->crtc_w << 16 != p->src[2]) ||
	    (p->crtc_h && (uint64_t)p->crtc_h << 16 != p->src[3]))
		return -ERANGE;
	if (!drm_atomic_plane_visible(p, mode))
		return 0;		/* nothing shown: nothing to cover */
	x2 = (int64_t)p->crtc_x + p->crtc_w;
	y2 = (int64_t)p->crtc_y + p->crtc_h;
	if (o->active && (p->crtc_x > 0 || p->crtc_y > 0 || x2 < mode->hdisplay ||
			  y2 < mode->vdisplay))
		return -EINVAL;		/* the primary plane must cover the CRTC */
	return 0;
}

/* Checks s against the current state; 0 when it can be committed. */
int drm_atomic_check(struct drm_device *dev, const struct drm_atomic_state *s)
{
	struct drm_atomic_state cur;
	int err;

	drm_atomic_state_init(dev, &cur);
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (s->o[i].cursor_touched && (err = drm_atomic_cursor_check(dev, &s->o[i], i)))
			return err;
		if (!s->o[i].touched)
			continue;
		if ((err = drm_atomic_check_output(dev, &s->o[i], i)))
			return err;
		if (!s->allow_modeset && drm_atomic_needs_modeset(dev, &s->o[i], &cur.o[i]))
			return -EINVAL;
	}
	return 0;
}

/* Shows a checked cursor plane state on output i: a new framebuffer is a new image
 * (UPDATE_CURSOR), the same one only moves (MOVE_CURSOR), as virtio_gpu's
 * cursor_plane_update decides. */
static void drm_atomic_commit_cursor(struct drm_device *dev, const struct drm_atomic_output *o,
				     unsigned i)
{
	const struct drm_atomic_plane *p = &o->cursor;
	const struct drm_cursor *cur = &dev->outputs[i].cursor;
	struct drm_cursor next = { .x = p->crtc_x, .y = p->crtc_y, .width = p->crtc_w,
				   .height = p->crtc_h, .legacy_x = cur->legacy_x,
				   .legacy_y = cur->legacy_y };
	int err;

	memcpy(next.src, p->src, sizeof(next.src));
	if (p->crtc) {
		next.obj = p->fb ? p->fb->obj : cur->obj;
		next.fb = p->fb;
		if (!p->fb) {		/* the legacy image stays */
			next.hot_x = cur->hot_x;
			next.hot_y = cur->hot_y;
		}
	}
	err = drm_cursor_set_locked(dev, i, &next, next.obj != cur->obj || next.fb != cur->fb);
	if (err)
		pr_warn("drm: cursor %u failed to change (%d)", i, err);
}

/* PAGE_FLIP's new framebuffer on output i (see drm_internal.h): as Linux's atomic
 * page flip, only the plane's framebuffer changes, its rectangles stay, so an
 * invisible plane stays invisible and the device is not asked to show fb. */
int drm_atomic_page_flip_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb)
{
	struct drm_output *out = &dev->outputs[i];
	struct drm_output_props *op = &dev->oprops[i];
	struct drm_atomic_plane p = { .crtc_x = op->crtc_x, .crtc_y = op->crtc_y,
				      .crtc_w = op->crtc_w, .crtc_h = op->crtc_h };
	int err = 0;

	memcpy(p.src, op->src, sizeof(p.src));
	if (drm_atomic_plane_visible(&p, &out->mode))
		err = drm_output_set_locked(dev, i, fb, &out->mode, out->x, out->y);
	else
		drm_output_state_set_locked(dev, i, fb, &out->mode, out->x, out->y);
	memcpy(op->src, p.src, sizeof(op->src));
	op->crtc_x = p.crtc_x;
	op->crtc_y = p.crtc_y;
	op->crtc_w = p.crtc_w;
	op->crtc_h = p.crtc_h;
	return err;
}

/* Commits an invisible primary plane showing fb on output i as Linux's virtio_gpu
 * does: its plane update sends nothing, so the scan-out stays as it was, or off
 * after a modeset (the CRTC's disable turned it off). */
static int drm_atomic_commit_invisible(struct drm_device *dev, unsigned i,
				       struct drm_framebuffer *fb,
				       const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	const struct drm_output *out = &dev->outputs[i];
	int err = 0;

	if (!out->enabled || memcmp(&out->mode, mode, sizeof(*mode)))
		err = dev->driver->funcs->output_set(dev, i, NULL, NULL, 0, 0);
	if (!err)
		drm_output_state_set_locked(dev, i, fb, mode, x, y);
	return err;
}

/* Applies a checked state: each touched output is shown (or turned off) through
 * the driver; MODE_ID then names the state's blob, and the plane's rectangles are
 * the state's. Then the touched cursors. */
void drm_atomic_commit(struct drm_device *dev, struct drm_atomic_state *s)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		struct drm_atomic_output *o = &s->o[i];
		struct drm_output_props *op = &dev->oprops[i];
		const struct drm_mode_modeinfo *mode = drm_atomic_mode(o);
		struct drm_atomic_plane *p = &o->primary;
		uint32_t x = p->src[0] >> 16, y = p->src[1] >> 16;
		int err;

		if (o->cursor_touched)
			drm_atomic_commit_cursor(dev, o, i);
		if (!o->touched)
			continue;
		op->vrr = o->vrr;
		if (mode) {
			x += p->crtc_x < 0 ? -p->crtc_x : 0;
			y += p->crtc_y < 0 ? -p->crtc_y : 0;
			/* MODE_ID is the state's blob (drm_output_set_locked keeps a blob
			 * of the same mode) */
			drm_blob_get_locked(o->mode_blob);
			drm_blob_put_locked(op->mode);
			op->mode = o->mode_blob;
		}
		if (mode && p->fb && !drm_atomic_plane_visible(p, mode))
			err = drm_atomic_commit_invisible(dev, i, p->fb, mode, x, y);
		else
			err = drm_output_set_locked(dev, i, mode ? p->fb : NULL, mode, x, y);
		if (!err && mode && !o->active) {
			op->dpms_off = true;
			drm_vblank_sync_locked(dev, i);
			err = dev->driver->funcs->output_set(dev, i, NULL, NULL, 0, 0);
		}
		if (err)
			pr_warn("drm: output %u failed to change (%d)", i, err);
		memcpy(op->src, p->src, sizeof(op->src));
		op->crtc_x = p->crtc_x;
		op->crtc_y = p->crtc_y;
		op->crtc_w = p->crtc_w;
		op->crtc_h = p->crtc_h;
	}
}

/* Legacy SETCRTC as an atomic commit (see drm_internal.h): Linux's
 * drm_atomic_helper_set_config puts the connector on the CRTC, MODE_ID (the current
 * blob when the mode is the same) and ACTIVE, and the primary plane showing the
 * mode-sized window of fb at (x, y); without a mode, all of them off. */
int drm_atomic_set_config_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
				 const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	struct drm_blob *cur = dev->oprops[i].mode, *blob = NULL;
	struct drm_atomic_state *s = kmalloc(sizeof(*s));
	struct drm_atomic_output *o;
	int err = -ENOMEM;

	if (!s)
		return -ENOMEM;
	drm_atomic_state_init(dev, s);
	s->allow_modeset = true;
	o = &s->o[i];
	o->touched = true;
	o->active = mode != NULL;
	o->conn_crtc = o->primary.crtc = mode ? dev->outputs[i].crtc_id : 0;
	o->primary.fb = mode ? fb : NULL;
	o->mode_blob = NULL;
	if (mode && cur && dev->outputs[i].enabled && !memcmp(cur->data, mode, sizeof(*mode))) {
		o->mode_blob = cur;
	} else if (mode) {
		if (!(blob = drm_blob_create_locked(dev, NULL, mode, sizeof(*mode))))
			goto out;
		o->mode_blob = blob;
	}
	if (mode) {
		o->primary.src[0] = x << 16;
		o->primary.src[1] = y << 16;
		o->primary.src[2] = mode->hdisplay << 16;
		o->primary.src[3] = mode->vdisplay << 16;
		o->primary.crtc_x = o->primary.crtc_y = 0;
		o->primary.crtc_w = mode->hdisplay;
		o->primary.crtc_h = mode->vdisplay;
	}
	err = drm_atomic_check(dev, s);
	if (!err)
		drm_atomic_commit(dev, s);
out:
	if (blob)
		drm_blob_put_locked(blob);	/* MODE_ID holds it now, or nothing does */
	kfree(s);
	return err;
}

/* DPMS through the legacy ioctls (Linux's drm_atomic_connector_commit_dpms): any
 * value but On is Off; the CRTC's scan-out follows, its mode and fb stay. */
static int drm_atomic_set_dpms_locked(struct drm_device *dev, unsigned i, uint64_t value)
{
	struct drm_output *out = &dev->outputs[i];
	struct drm_output_props *op = &dev->oprops[i];
	bool off = value != DRM_MODE_DPMS_ON;
	int err;

	if (!out->enabled || off == op->dpms_off)
		return 0;
	err = dev->driver->funcs->output_set(dev, i, off ? NULL : out->fb,
					     off ? NULL : &out->mode, out->x, out->y);
	if (!err) {
		op->dpms_off = off;
		drm_vblank_sync_locked(dev, i);
	}
	return err;
}

/* Whether the int at ptr can be written (read and written back unchanged): tried
 * outside dev->mutex for an OUT_FENCE_PTR, which Linux writes -1 to when it is set. */
bool drm_atomic_fence_ptr_ok(int32_t __user *ptr)
{
	int32_t v;

	return !get_user(v, ptr) && !put_user(v, ptr);
}

/* OBJ_SETPROPERTY: one property through a whole check and commit (modesets
 * allowed, as Linux's set_property_atomic); -ENOENT for no such object, -EINVAL for
 * a property it does not have. OUT_FENCE_PTR gets -1 and no fence, as on Linux
 * (only MODE_ATOMIC makes fences); a bad pointer there is -EFAULT. */
int drm_ioctl_obj_setproperty(struct drm_file *f, void *data)
{
	struct drm_mode_obj_set_property *r = data;
	struct drm_device *dev = f->dev;
	struct drm_atomic_state *s = NULL;
	int prop = drm_prop_of_id(dev, r->prop_id);
	int32_t __user *fence_ptr = prop == DRM_PROP_OUT_FENCE_PTR ?
				    (int32_t __user *)(uintptr_t)r->value : NULL;
	bool fence_ptr_ok = !fence_ptr || drm_atomic_fence_ptr_ok(fence_ptr);
	bool fence_ptr_set = false;
	unsigned i;
	uint32_t type;
	int err;

	drm_mutex_lock(&dev->mutex);
	type = drm_lease_object_find_locked(f, r->obj_id, &i);
	err = -ENOENT;
	if (!type || (r->obj_type && r->obj_type != type))
		goto unlock;
	err = -EINVAL;
	if (prop < 0 || !drm_object_props(type, &(unsigned){ 0 }) ||
	    !drm_object_has_prop(dev, type, i, prop))
		goto unlock;
	if (prop == DRM_PROP_DPMS) {
		err = drm_atomic_set_dpms_locked(dev, i, r->value);
		goto unlock;
	}
	err = -EFAULT;
	if (!fence_ptr_ok)
		goto unlock;
	fence_ptr_set = fence_ptr != NULL;
	err = -ENOMEM;
	if (!(s = kmalloc(sizeof(*s))))
		goto unlock;
	drm_atomic_state_init(dev, s);
	s->allow_modeset = true;
	s->file = f;
	err = drm_atomic_set_prop(dev, s, type, i, prop, r->value);
	if (!err)
		err = drm_atomic_check(dev, s);
	if (!err) {
		drm_atomic_wait_fences(dev, s);
		drm_atomic_commit(dev, s);
	}
unlock:
	drm_mutex_unlock(&dev->mutex);
	drm_atomic_state_free(s);
	if (fence_ptr_set)
		put_user((int32_t)-1, fence_ptr);
	return err;
}

/* SETPROPERTY: OBJ_SETPROPERTY on a connector. */
int drm_ioctl_setproperty(struct drm_file *f, void *data)
{
	struct drm_mode_connector_set_property *c = data;
	struct drm_mode_obj_set_property r = {
		.value = c->value, .prop_id = c->prop_id, .obj_id = c->connector_id,
		.obj_type = DRM_MODE_OBJECT_CONNECTOR,
	};

	return drm_ioctl_obj_setproperty(f, &r);
}
