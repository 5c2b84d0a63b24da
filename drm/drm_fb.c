/*
 * drm_fb.c — framebuffers: ADDFB (legacy depth/bpp), ADDFB2 with Linux's
 * framebuffer_check rules, RMFB, DIRTYFB, GETFB/GETFB2, and their removal when the
 * owning file closes. A framebuffer holds a reference on its buffer object, so the buffer
 * outlives its handle. Everything runs under dev->mutex.
 */
#include "drm/drm_internal.h"

/* Single-plane formats the core knows, with bytes per pixel and the depth Linux's
 * drm_format_info gives them (GETFB reports it). */
static const struct { uint32_t format; uint8_t cpp, depth; } drm_formats[] = {
	{ DRM_FORMAT_C8, 1, 8 }, { DRM_FORMAT_RGB332, 1, 8 }, { DRM_FORMAT_BGR233, 1, 8 },
	{ DRM_FORMAT_XRGB1555, 2, 15 }, { DRM_FORMAT_ARGB1555, 2, 15 },
	{ DRM_FORMAT_RGB565, 2, 16 }, { DRM_FORMAT_BGR565, 2, 16 },
	{ DRM_FORMAT_RGB888, 3, 24 }, { DRM_FORMAT_BGR888, 3, 24 },
	{ DRM_FORMAT_XRGB8888, 4, 24 }, { DRM_FORMAT_XBGR8888, 4, 24 },
	{ DRM_FORMAT_RGBX8888, 4, 24 }, { DRM_FORMAT_BGRX8888, 4, 24 },
	{ DRM_FORMAT_ARGB8888, 4, 32 }, { DRM_FORMAT_ABGR8888, 4, 32 },
	{ DRM_FORMAT_RGBA8888, 4, 32 }, { DRM_FORMAT_BGRA8888, 4, 32 },
	{ DRM_FORMAT_XRGB2101010, 4, 30 }, { DRM_FORMAT_ARGB2101010, 4, 30 },
	{ DRM_FORMAT_XBGR2101010, 4, 30 }, { DRM_FORMAT_ABGR2101010, 4, 30 },
	{ DRM_FORMAT_XRGB16161616, 8, 0 }, { DRM_FORMAT_ARGB16161616, 8, 0 },
	{ DRM_FORMAT_XBGR16161616, 8, 0 }, { DRM_FORMAT_ABGR16161616, 8, 0 },
};

static int drm_format_index(uint32_t format)
{
	for (size_t i = 0; i < ARRAY_SIZE(drm_formats); i++)
		if (drm_formats[i].format == format)
			return i;
	return -1;
}

static unsigned drm_format_cpp(uint32_t format)
{
	int i = drm_format_index(format);

	return i < 0 ? 0 : drm_formats[i].cpp;
}

/* The format ADDFB's bpp/depth pair names, as Linux's drm_mode_legacy_fb_format;
 * 0 when none. */
static uint32_t drm_legacy_fb_format(uint32_t bpp, uint32_t depth)
{
	switch (bpp << 8 | depth) {
	case 8 << 8 | 8: return DRM_FORMAT_C8;
	case 16 << 8 | 15: return DRM_FORMAT_XRGB1555;
	case 16 << 8 | 16: return DRM_FORMAT_RGB565;
	case 24 << 8 | 24: return DRM_FORMAT_RGB888;
	case 32 << 8 | 24: return DRM_FORMAT_XRGB8888;
	case 32 << 8 | 30: return DRM_FORMAT_XRGB2101010;
	case 32 << 8 | 32: return DRM_FORMAT_ARGB8888;
	}
	return 0;
}

/* The framebuffer with id, not counted; NULL when there is none. */
struct drm_framebuffer *drm_fb_lookup_locked(struct drm_device *dev, uint32_t id)
{
	struct drm_framebuffer *fb;

	list_for_each_entry(fb, &dev->fbs, link)
		if (fb->id == id)
			return fb;
	return NULL;
}

/* Takes a reference on fb. */
void drm_fb_get_locked(struct drm_framebuffer *fb)
{
	fb->refcount++;
}

/* Drops a reference; the last one releases the buffer object. */
void drm_fb_put_locked(struct drm_framebuffer *fb)
{
	if (--fb->refcount)
		return;
	drm_gem_put_locked(fb->obj);
	kfree(fb);
}

/* Linux's framebuffer_check for one-plane formats, then the size checks of the
 * generic GEM framebuffer helper against the object. */
static int drm_fb_check(struct drm_device *dev, const struct drm_mode_fb_cmd2 *r)
{
	const struct drm_driver *drv = dev->driver;
	unsigned cpp = drm_format_cpp(r->pixel_format);

	if (r->flags & ~(DRM_MODE_FB_INTERLACED | DRM_MODE_FB_MODIFIERS))
		return -EINVAL;
	if (r->width < drv->min_width || r->width > drv->max_width ||
	    r->height < drv->min_height || r->height > drv->max_height)
		return -EINVAL;
	if ((r->flags & DRM_MODE_FB_MODIFIERS) && !drv->modifiers)
		return -EINVAL;
	if (!cpp || !r->width || !r->height || !r->handles[0])
		return -EINVAL;
	if ((uint64_t)r->height * r->pitches[0] + r->offsets[0] > UINT32_MAX)
		return -ERANGE;
	if (r->pitches[0] < (uint64_t)r->width * cpp)
		return -EINVAL;
	if (r->modifier[0] && !(r->flags & DRM_MODE_FB_MODIFIERS))
		return -EINVAL;
	for (int i = 1; i < 4; i++) {
		if (r->modifier[i])
			return -EINVAL;
		if ((r->flags & DRM_MODE_FB_MODIFIERS) &&
		    (r->handles[i] || r->pitches[i] || r->offsets[i]))
			return -EINVAL;
	}
	return 0;
}

/* Makes a framebuffer of f from r (checked), giving r->fb_id. */
static int drm_fb_create_locked(struct drm_file *f, struct drm_mode_fb_cmd2 *r)
{
	struct drm_device *dev = f->dev;
	struct drm_gem_object *obj;
	struct drm_framebuffer *fb;
	const uint32_t *formats = dev->driver->fb_formats;
	unsigned nf = dev->driver->nr_fb_formats, i;

	if (!formats) {
		formats = dev->driver->formats;
		nf = dev->driver->nr_formats;
	}
	for (i = 0; i < nf; i++)
		if (formats[i] == r->pixel_format)
			break;
	if (i == nf && !dev->driver->fb_any_format)
		return -ENOENT;		/* as virtio-gpu's fb_create */
	if (r->modifier[0] != DRM_FORMAT_MOD_LINEAR && !dev->driver->fb_any_format)
		return -EINVAL;
	obj = drm_gem_lookup_locked(f, r->handles[0]);
	if (!obj)
		return -EINVAL;
	if ((uint64_t)(r->height - 1) * r->pitches[0] +
	    (uint64_t)r->width * drm_format_cpp(r->pixel_format) + r->offsets[0] > obj->size)
		return -EINVAL;
	fb = kzalloc(sizeof(*fb));
	if (!fb)
		return -ENOMEM;
	fb->id = drm_object_id_alloc_locked(dev);
	fb->width = r->width;
	fb->height = r->height;
	fb->format = r->pixel_format;
	fb->pitch = r->pitches[0];
	fb->offset = r->offsets[0];
	fb->modifier = r->modifier[0];
	fb->obj = obj;
	drm_gem_get_locked(obj);
	fb->owner = f;
	fb->refcount = 1;
	list_add_tail(&fb->link, &dev->fbs);
	r->fb_id = fb->id;
	return 0;
}

/* See drm_internal.h. */
struct drm_framebuffer *drm_fb_create_kernel_locked(struct drm_device *dev,
						    struct drm_gem_object *obj)
{
	struct drm_framebuffer *fb = kzalloc(sizeof(*fb));

	if (!fb)
		return NULL;
	fb->id = drm_object_id_alloc_locked(dev);
	fb->width = obj->width;
	fb->height = obj->height;
	fb->format = DRM_FORMAT_XRGB8888;
	fb->pitch = obj->pitch;
	fb->obj = obj;
	drm_gem_get_locked(obj);
	fb->refcount = 1;
	list_add_tail(&fb->link, &dev->fbs);
	return fb;
}

static int drm_fb_add(struct drm_file *f, struct drm_mode_fb_cmd2 *r)
{
	int err = drm_fb_check(f->dev, r);

	if (err)
		return err;
	drm_mutex_lock(&f->dev->mutex);
	err = drm_fb_create_locked(f, r);
	drm_mutex_unlock(&f->dev->mutex);
	return err;
}

/* ADDFB2. */
int drm_ioctl_addfb2(struct drm_file *f, void *data)
{
	return drm_fb_add(f, data);
}

/* ADDFB: the legacy form, turned into ADDFB2 as Linux's drm_mode_addfb does. */
int drm_ioctl_addfb(struct drm_file *f, void *data)
{
	struct drm_mode_fb_cmd *or = data;
	struct drm_mode_fb_cmd2 r = {
		.width = or->width, .height = or->height,
		.pixel_format = drm_legacy_fb_format(or->bpp, or->depth),
		.handles = { or->handle }, .pitches = { or->pitch },
	};
	int err;

	if (!r.pixel_format)
		return -EINVAL;
	err = drm_fb_add(f, &r);
	or->fb_id = r.fb_id;
	return err;
}

/* Takes fb's id away and turns off the planes showing it, then drops the owner's
 * reference. A CRTC whose primary plane showed it stays on with nothing shown:
 * Linux's atomic_remove_fb disables only the planes when the check allows it. */
static void drm_fb_remove_locked(struct drm_device *dev, struct drm_framebuffer *fb)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (dev->outputs[i].fb == fb)
			drm_output_set_locked(dev, i, NULL, &dev->outputs[i].mode, 0, 0);
		if (dev->outputs[i].cursor.fb == fb)
			drm_cursor_hide_locked(dev, i);
	}
	list_del(&fb->link);
	fb->owner = NULL;
	drm_fb_put_locked(fb);
}

/* RMFB: -ENOENT unless the caller's file made the framebuffer. */
int drm_ioctl_rmfb(struct drm_file *f, void *data)
{
	uint32_t *id = data;
	struct drm_framebuffer *fb;
	int err = -ENOENT;

	drm_mutex_lock(&f->dev->mutex);
	fb = drm_fb_lookup_locked(f->dev, *id);
	if (fb && fb->owner == f) {
		drm_fb_remove_locked(f->dev, fb);
		err = 0;
	}
	drm_mutex_unlock(&f->dev->mutex);
	return err;
}

/* Removes the framebuffers of a closing file. */
void drm_fb_release_locked(struct drm_file *fpriv)
{
	struct drm_framebuffer *fb, *next;

	list_for_each_entry_safe(fb, next, &fpriv->dev->fbs, link)
		if (fb->owner == fpriv)
			drm_fb_remove_locked(fpriv->dev, fb);
}

/* Clamps the clips to the framebuffer and hands them to the driver for each output
 * showing fb (the whole framebuffer when there are none). */
static int drm_fb_dirty_locked(struct drm_device *dev, struct drm_framebuffer *fb,
			       struct drm_clip_rect *clips, unsigned n)
{
	struct drm_clip_rect full = { 0, 0, fb->width, fb->height };
	int err = 0;

	for (unsigned i = 0; i < n; i++) {
		clips[i].x2 = MIN(clips[i].x2, fb->width);
		clips[i].y2 = MIN(clips[i].y2, fb->height);
		clips[i].x1 = MIN(clips[i].x1, clips[i].x2);
		clips[i].y1 = MIN(clips[i].y1, clips[i].y2);
	}
	if (!n) {
		clips = &full;
		n = 1;
	}
	for (unsigned i = 0; i < dev->nr_outputs && !err; i++)
		if (dev->outputs[i].fb == fb && dev->driver->funcs->fb_dirty)
			err = dev->driver->funcs->fb_dirty(dev, i, fb, clips, n);
	return err;
}

/* DIRTYFB with Linux's argument checks (drm_mode_dirtyfb_ioctl). */
int drm_ioctl_dirtyfb(struct drm_file *f, void *data)
{
	struct drm_mode_fb_dirty_cmd *r = data;
	struct drm_clip_rect *clips = NULL;
	struct drm_framebuffer *fb;
	int err;

	drm_mutex_lock(&f->dev->mutex);
	fb = drm_fb_lookup_locked(f->dev, r->fb_id);
	drm_mutex_unlock(&f->dev->mutex);
	if (!fb)
		return -ENOENT;
	if (!r->num_clips != !r->clips_ptr)
		return -EINVAL;
	if ((r->flags & DRM_MODE_FB_DIRTY_ANNOTATE_COPY) && (r->num_clips % 2))
		return -EINVAL;
	if (r->num_clips > DRM_MODE_FB_DIRTY_MAX_CLIPS)
		return -EINVAL;
	if (r->num_clips) {
		clips = kmalloc(r->num_clips * sizeof(*clips));
		if (!clips)
			return -ENOMEM;
		if (copy_from_user(clips, (const void __user *)(uintptr_t)r->clips_ptr,
				   r->num_clips * sizeof(*clips))) {
			kfree(clips);
			return -EFAULT;
		}
	}
	drm_mutex_lock(&f->dev->mutex);
	fb = drm_fb_lookup_locked(f->dev, r->fb_id);
	err = fb ? drm_fb_dirty_locked(f->dev, fb, clips, r->num_clips) : -ENOENT;
	drm_mutex_unlock(&f->dev->mutex);
	kfree(clips);
	return err;
}

/* Whether f may be given handles to any framebuffer's buffer: the current master (a
 * lessee of it too), or a caller with CAP_SYS_ADMIN (root here), as Linux's
 * GETFB/GETFB2 decide. dev->mutex held. */
static bool drm_fb_may_get_handle(struct drm_file *f)
{
	return drm_is_master_locked(f) || task_cred(current)->euid == 0;
}

/* GETFB: any framebuffer's size, depth, bpp and pitch; a new handle of its buffer in
 * the caller's file, or handle 0 when the caller may not have one (Linux's
 * drm_mode_getfb). -ENOENT for an unknown id. */
int drm_ioctl_getfb(struct drm_file *f, void *data)
{
	struct drm_mode_fb_cmd *r = data;
	struct drm_framebuffer *fb;
	long handle = 0;
	int fi;

	drm_mutex_lock(&f->dev->mutex);
	fb = drm_fb_lookup_locked(f->dev, r->fb_id);
	if (!fb) {
		drm_mutex_unlock(&f->dev->mutex);
		return -ENOENT;
	}
	fi = drm_format_index(fb->format);
	r->width = fb->width;
	r->height = fb->height;
	r->depth = drm_formats[fi].depth;
	r->bpp = drm_formats[fi].cpp * 8;
	r->pitch = fb->pitch;
	if (drm_fb_may_get_handle(f))
		handle = drm_gem_handle_create_locked(f, fb->obj);
	drm_mutex_unlock(&f->dev->mutex);
	if (handle < 0)
		return handle;
	r->handle = handle;
	return 0;
}

/* GETFB2: GETFB's answer with the format, pitches, offsets and modifiers of every
 * plane (one here; the modifier only where the driver takes them), as Linux's
 * drm_mode_getfb2_ioctl. */
int drm_ioctl_getfb2(struct drm_file *f, void *data)
{
	struct drm_mode_fb_cmd2 *r = data;
	bool modifiers = f->dev->driver->modifiers;
	struct drm_framebuffer *fb;
	long handle = 0;

	drm_mutex_lock(&f->dev->mutex);
	fb = drm_fb_lookup_locked(f->dev, r->fb_id);
	if (!fb) {
		drm_mutex_unlock(&f->dev->mutex);
		return -ENOENT;
	}
	r->width = fb->width;
	r->height = fb->height;
	r->pixel_format = fb->format;
	r->flags = modifiers ? DRM_MODE_FB_MODIFIERS : 0;
	memset(r->handles, 0, sizeof(r->handles));
	memset(r->pitches, 0, sizeof(r->pitches));
	memset(r->offsets, 0, sizeof(r->offsets));
	memset(r->modifier, 0, sizeof(r->modifier));
	r->pitches[0] = fb->pitch;
	r->offsets[0] = fb->offset;
	if (modifiers)
		r->modifier[0] = fb->modifier;
	if (drm_fb_may_get_handle(f))
		handle = drm_gem_handle_create_locked(f, fb->obj);
	drm_mutex_unlock(&f->dev->mutex);
	if (handle < 0)
		return handle;
	r->handles[0] = handle;
	return 0;
}
