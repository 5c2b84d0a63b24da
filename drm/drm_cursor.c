/*
 * drm_cursor.c — the legacy cursor ioctls CURSOR and CURSOR2 on the cursor plane of
 * each output, as Linux's drm_mode_cursor_universal drives a cursor plane: a new
 * image (DRM_MODE_CURSOR_BO) is an ARGB8888 buffer of width x height with a pitch of
 * width * 4 (handle 0 hides the cursor), DRM_MODE_CURSOR_MOVE places its top-left
 * corner on the CRTC. The state lives in drm_output.cursor under dev->mutex; the
 * cursor keeps its buffer alive (a reference) until replaced, as Linux's internal
 * cursor framebuffer does.
 */
#include "drm/drm_internal.h"

/* The cursor plane's properties as Linux's plane state shows them: all 0 while
 * hidden; FB_ID 0 as there is no framebuffer object behind it (see GETPLANE). */
uint64_t drm_cursor_prop_locked(struct drm_device *dev, unsigned i, int prop)
{
	const struct drm_output *out = &dev->outputs[i];
	const struct drm_cursor *c = &out->cursor;

	if (!c->obj)
		return prop == DRM_PROP_IN_FENCE_FD ? (uint64_t)-1 : 0;
	switch (prop) {
	case DRM_PROP_CRTC_ID:
		return out->crtc_id;
	case DRM_PROP_CRTC_X:
		return (uint64_t)(int64_t)c->x;
	case DRM_PROP_CRTC_Y:
		return (uint64_t)(int64_t)c->y;
	case DRM_PROP_CRTC_W:
		return c->width;
	case DRM_PROP_CRTC_H:
		return c->height;
	case DRM_PROP_SRC_W:
		return (uint64_t)c->width << 16;
	case DRM_PROP_SRC_H:
		return (uint64_t)c->height << 16;
	case DRM_PROP_IN_FENCE_FD:
		return (uint64_t)-1;
	}
	return 0;
}

/* Applies a cursor request to output i under the mutex (Linux's order: an unknown
 * buffer is -EINVAL, as virtio-gpu's fb_create answers). */
static int drm_cursor_locked(struct drm_file *f, const struct drm_mode_cursor2 *req,
			     unsigned i)
{
	struct drm_device *dev = f->dev;
	struct drm_output *out = &dev->outputs[i];
	struct drm_cursor next = out->cursor;
	bool new_image = req->flags & DRM_MODE_CURSOR_BO;
	int err;

	if (new_image) {
		next = (struct drm_cursor){ .x = out->cursor.x, .y = out->cursor.y };
		if (req->handle) {
			next.obj = drm_gem_lookup_locked(f, req->handle);
			if (!next.obj || (uint64_t)req->width * 4 * req->height > next.obj->size)
				return -EINVAL;
			next.width = req->width;
			next.height = req->height;
			next.hot_x = req->hot_x;
			next.hot_y = req->hot_y;
		}
	}
	if (req->flags & DRM_MODE_CURSOR_MOVE) {
		next.x = req->x;
		next.y = req->y;
	}
	err = dev->driver->funcs->cursor_set(dev, i, &next, new_image);
	if (err)
		return err;
	if (new_image && next.obj)
		drm_gem_get_locked(next.obj);
	if (new_image && out->cursor.obj)
		drm_gem_put_locked(out->cursor.obj);
	out->cursor = next;
	return 0;
}

/* The checks Linux makes before taking its locks: flags, the CRTC, and a new
 * image's size against the framebuffer limits. */
static int drm_cursor(struct drm_file *f, const struct drm_mode_cursor2 *req)
{
	struct drm_device *dev = f->dev;
	const struct drm_driver *drv = dev->driver;
	int i = -1, err;

	if (!req->flags || (req->flags & ~DRM_MODE_CURSOR_FLAGS))
		return -EINVAL;
	for (unsigned k = 0; k < dev->nr_outputs; k++)
		if (dev->outputs[k].crtc_id == req->crtc_id)
			i = k;
	if (i < 0)
		return -ENOENT;
	if (!drv->funcs->cursor_set)
		return -ENXIO;
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
