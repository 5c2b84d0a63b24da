/*
 * drm_cursor.c — the legacy cursor ioctls CURSOR and CURSOR2 on the cursor plane of
 * each output, as Linux's drm_mode_cursor_universal drives a cursor plane: a new
 * image (DRM_MODE_CURSOR_BO) is an ARGB8888 buffer of width x height with a pitch of
 * width * 4 (handle 0 hides the cursor), DRM_MODE_CURSOR_MOVE places its top-left
 * corner on the CRTC. The state lives in drm_output.cursor under dev->mutex; the
 * cursor keeps its buffer alive (a reference) until replaced, as Linux's internal
 * cursor framebuffer does. Atomic commits (drm_atomic.c) set the same state with a
 * framebuffer through drm_cursor_set_locked.
 */
#include "drm/drm_internal.h"

/* See drm_internal.h. */
const uint32_t *drm_cursor_formats(struct drm_device *dev, unsigned *n)
{
	static const uint32_t argb8888[] = { DRM_FORMAT_ARGB8888 };

	if (dev->driver->cursor_formats) {
		*n = dev->driver->nr_cursor_formats;
		return dev->driver->cursor_formats;
	}
	*n = ARRAY_SIZE(argb8888);
	return argb8888;
}

/* The cursor plane's properties as Linux's plane state shows them: FB_ID and CRTC_ID
 * 0 while hidden; FB_ID 0 for a legacy image (Linux's internal framebuffer has no
 * id a file could use, see GETPLANE). */
uint64_t drm_cursor_prop_locked(struct drm_device *dev, unsigned i, int prop)
{
	const struct drm_output *out = &dev->outputs[i];
	const struct drm_cursor *c = &out->cursor;

	switch (prop) {
	case DRM_PROP_IN_FENCE_FD:
		return (uint64_t)-1;
	case DRM_PROP_FB_ID:
		return c->fb ? c->fb->id : 0;
	case DRM_PROP_CRTC_ID:
		return c->obj ? out->crtc_id : 0;
	case DRM_PROP_CRTC_X:
		return (uint64_t)(int64_t)c->x;
	case DRM_PROP_CRTC_Y:
		return (uint64_t)(int64_t)c->y;
	case DRM_PROP_CRTC_W:
		return c->width;
	case DRM_PROP_CRTC_H:
		return c->height;
	case DRM_PROP_SRC_X: case DRM_PROP_SRC_Y: case DRM_PROP_SRC_W: case DRM_PROP_SRC_H:
		return c->src[prop - DRM_PROP_SRC_X];
	}
	return 0;
}

/* Shows next as output i's cursor (see drm_internal.h). */
int drm_cursor_set_locked(struct drm_device *dev, unsigned i, const struct drm_cursor *next,
			  bool new_image)
{
	struct drm_cursor *c = &dev->outputs[i].cursor;
	int err;

	if (!next->obj && !c->obj) {		/* hidden before and after */
		*c = *next;
		return 0;
	}
	err = dev->driver->funcs->cursor_set(dev, i, next, new_image);
	if (err)
		return err;
	if (next->obj)
		drm_gem_get_locked(next->obj);
	if (next->fb)
		drm_fb_get_locked(next->fb);
	if (c->obj)
		drm_gem_put_locked(c->obj);
	if (c->fb)
		drm_fb_put_locked(c->fb);
	*c = *next;
	return 0;
}

/* Hides output i's cursor (see drm_internal.h). */
void drm_cursor_hide_locked(struct drm_device *dev, unsigned i)
{
	struct drm_cursor hidden = dev->outputs[i].cursor;

	hidden.obj = NULL;
	hidden.fb = NULL;
	drm_cursor_set_locked(dev, i, &hidden, true);
}

/* Applies a cursor request to output i under the mutex, as Linux's
 * drm_mode_cursor_universal: a new image (an unknown buffer is -EINVAL, as
 * virtio-gpu's fb_create answers) replaces an atomic commit's framebuffer; a move
 * keeps the image, shown whole; the position is the last legacy move's unless this
 * request moves it. Hiding zeroes the plane's rectangle. */
static int drm_cursor_locked(struct drm_file *f, const struct drm_mode_cursor2 *req,
			     unsigned i)
{
	struct drm_device *dev = f->dev;
	const struct drm_cursor *cur = &dev->outputs[i].cursor;
	struct drm_cursor next = { 0 };
	bool new_image = req->flags & DRM_MODE_CURSOR_BO, move = req->flags & DRM_MODE_CURSOR_MOVE;

	if (new_image && req->handle) {
		next.obj = drm_gem_lookup_locked(f, req->handle);
		if (!next.obj || (uint64_t)req->width * 4 * req->height > next.obj->size)
			return -EINVAL;
		next.width = req->width;
		next.height = req->height;
		next.hot_x = req->hot_x;
		next.hot_y = req->hot_y;
	} else if (!new_image && cur->obj) {
		next.obj = cur->obj;
		next.fb = cur->fb;
		next.width = cur->fb ? cur->fb->width : cur->width;
		next.height = cur->fb ? cur->fb->height : cur->height;
		next.hot_x = cur->hot_x;
		next.hot_y = cur->hot_y;
	}
	next.legacy_x = move ? req->x : cur->legacy_x;
	next.legacy_y = move ? req->y : cur->legacy_y;
	if (next.obj) {
		next.x = next.legacy_x;
		next.y = next.legacy_y;
		next.src[2] = next.width << 16;
		next.src[3] = next.height << 16;
	}
	return drm_cursor_set_locked(dev, i, &next, new_image);
}

/* The checks Linux makes before taking its locks: flags, the CRTC (a lessee's:
 * with the cursor plane, else -EACCES), and a new image's size against the
 * framebuffer limits. */
static int drm_cursor(struct drm_file *f, const struct drm_mode_cursor2 *req)
{
	struct drm_device *dev = f->dev;
	const struct drm_driver *drv = dev->driver;
	int i, err;

	if (!req->flags || (req->flags & ~DRM_MODE_CURSOR_FLAGS))
		return -EINVAL;
	i = drm_crtc_index(f, req->crtc_id);
	if (i < 0)
		return -ENOENT;
	if (!drv->funcs->cursor_set)
		return -ENXIO;
	if (!drm_lease_held(f, dev->outputs[i].cursor_plane_id))
		return -EACCES;
	if ((req->flags & DRM_MODE_CURSOR_BO) && req->handle &&
	    (req->width < drv->min_width || req->width > drv->max_width ||
	     req->height < drv->min_height || req->height > drv->max_height))
		return -EINVAL;
	drm_mutex_lock(&dev->mutex);
	err = drm_cursor_locked(f, req, i);
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* CURSOR: CURSOR2 with the hotspot at the image's top-left corner. */
int drm_ioctl_cursor(struct drm_file *f, void *data)
{
	struct drm_mode_cursor2 req = { 0 };

	memcpy(&req, data, sizeof(struct drm_mode_cursor));
	return drm_cursor(f, &req);
}

/* CURSOR2: sets, hides or moves the cursor of a CRTC, with a hotspot. */
int drm_ioctl_cursor2(struct drm_file *f, void *data)
{
	return drm_cursor(f, data);
}
