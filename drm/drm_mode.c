/*
 * drm_mode.c — the mode objects of a device's outputs (connector, encoder, CRTC and
 * primary plane per output) and the legacy KMS ioctls that read them or set a CRTC,
 * with the checks and errnos of Linux's drm_mode_* ioctls. Object lookups take the
 * object's type into account (an encoder id is no CRTC: -ENOENT), and a lessee's
 * lease: it sees only the CRTCs, connectors and planes it holds.
 *
 * User memory is never touched with dev->mutex held: a user buffer may be a mapped
 * DRM buffer whose page fault (drm_gem_fault_page) takes that mutex.
 */
#include "drm/drm_internal.h"

/* drm_mode_get_connector.connection: Linux's enum drm_connector_status, which the
 * uapi headers do not name. */
enum { DRM_CONNECTION_CONNECTED = 1, DRM_CONNECTION_DISCONNECTED = 2 };

/* Which output's object of some kind has id; -1 when none. */
static int drm_find_output(struct drm_device *dev, uint32_t id, size_t field)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++)
		if (*(uint32_t *)((char *)&dev->outputs[i] + field) == id)
			return i;
	return -1;
}
#define drm_find(dev, id, field) drm_find_output(dev, id, offsetof(struct drm_output, field))

/* drm_find_output as f sees the objects: -1 also for a CRTC, connector or plane its
 * lease does not hold (Linux's lookups with a file: -ENOENT for those). */
static int drm_find_held(struct drm_file *f, uint32_t id, size_t field)
{
	int i = drm_find_output(f->dev, id, field);

	return i >= 0 && !drm_lease_held(f, id) ? -1 : i;
}
#define drm_find_for(f, id, field) drm_find_held(f, id, offsetof(struct drm_output, field))

/* The output whose CRTC has id, when f's lease (if any) holds it; else -1. */
int drm_crtc_index(struct drm_file *f, uint32_t id)
{
	return drm_find_for(f, id, crtc_id);
}

/* Copies ids[0..n) into a user array of room entries (only those that fit, as
 * Linux's put_user loops do): 0 or -EFAULT. */
int drm_put_ids(uint64_t uptr, uint32_t room, const uint32_t *ids, unsigned n)
{
	uint32_t __user *p = (uint32_t __user *)(uintptr_t)uptr;

	for (unsigned i = 0; i < n && i < room; i++)
		if (put_user(ids[i], p + i))
			return -EFAULT;
	return 0;
}

/* GETRESOURCES: the caller's framebuffers, every encoder, the CRTCs and connectors
 * it may use (a lessee's leased ones). */
int drm_ioctl_getresources(struct drm_file *f, void *data)
{
	struct drm_mode_card_res *res = data;
	struct drm_device *dev = f->dev;
	uint32_t ids[3][DRM_MAX_OUTPUTS], *fb_ids = NULL;
	struct drm_framebuffer *fb;
	unsigned nfb = 0, n = dev->nr_outputs, ncrtc = 0, nconn = 0;
	int err = -ENOMEM;

	drm_mutex_lock(&dev->mutex);
	list_for_each_entry(fb, &dev->fbs, link)
		nfb += fb->owner == f;
	if (nfb && !(fb_ids = kmalloc(nfb * sizeof(*fb_ids))))
		goto unlock;
	nfb = 0;
	list_for_each_entry(fb, &dev->fbs, link)
		if (fb->owner == f)
			fb_ids[nfb++] = fb->id;
	for (unsigned i = 0; i < n; i++) {
		const struct drm_output *out = &dev->outputs[i];

		if (drm_lease_held(f, out->crtc_id))
			ids[0][ncrtc++] = out->crtc_id;
		ids[1][i] = out->encoder_id;
		if (drm_lease_held(f, out->connector_id))
			ids[2][nconn++] = out->connector_id;
	}
	drm_mutex_unlock(&dev->mutex);
	err = drm_put_ids(res->fb_id_ptr, res->count_fbs, fb_ids, nfb);
	if (!err)
		err = drm_put_ids(res->crtc_id_ptr, res->count_crtcs, ids[0], ncrtc);
	if (!err)
		err = drm_put_ids(res->encoder_id_ptr, res->count_encoders, ids[1], n);
	if (!err)
		err = drm_put_ids(res->connector_id_ptr, res->count_connectors, ids[2], nconn);
	res->count_fbs = nfb;
	res->count_crtcs = ncrtc;
	res->count_encoders = n;
	res->count_connectors = nconn;
	res->min_width = dev->driver->min_width;
	res->min_height = dev->driver->min_height;
	res->max_width = dev->driver->max_width;
	res->max_height = dev->driver->max_height;
	kfree(fb_ids);
	return err;
unlock:
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* GETCONNECTOR: the modes and encoders are copied only when all fit (the two-call
 * protocol), the properties as far as they fit. The connector's description is read
 * under dev->mutex (hotplug and the sysfs status file change it), its modes copied
 * out of a snapshot so that no fault happens with the mutex held. */
int drm_ioctl_getconnector(struct drm_file *f, void *data)
{
	struct drm_mode_get_connector *c = data;
	struct drm_device *dev = f->dev;
	int i = drm_find_for(f, c->connector_id, connector_id), err = 0;
	struct drm_mode_modeinfo *modes = NULL;
	struct drm_output *out;
	unsigned nr_modes;
	bool connected;

	if (i < 0)
		return -ENOENT;
	out = &dev->outputs[i];
	if (c->count_encoders >= 1)
		err = drm_put_ids(c->encoders_ptr, 1, &out->encoder_id, 1);
	c->count_encoders = 1;
	c->connector_type = dev->driver->connector_type;
	c->connector_type_id = i + 1;
	c->subpixel = 0;	/* the kernel's SubPixelUnknown */
	drm_mutex_lock(&dev->mutex);
	if (!c->count_modes && dev->master == f)
		drm_output_probe_locked(dev, i);	/* Linux probes for the master only */
	connected = drm_output_connected_locked(dev, i);
	nr_modes = connected ? out->nr_modes : 0;
	c->mm_width = dev->oprops[i].mm_width;
	c->mm_height = dev->oprops[i].mm_height;
	c->encoder_id = out->enabled ? out->encoder_id : 0;
	if (!err && nr_modes && c->count_modes >= nr_modes) {
		modes = kmalloc(nr_modes * sizeof(*modes));
		if (modes)
			memcpy(modes, out->modes, nr_modes * sizeof(*modes));
		else
			err = -ENOMEM;
	}
	drm_mutex_unlock(&dev->mutex);
	c->connection = connected ? DRM_CONNECTION_CONNECTED : DRM_CONNECTION_DISCONNECTED;
	if (modes && copy_to_user((void __user *)(uintptr_t)c->modes_ptr, modes,
				  nr_modes * sizeof(*modes)))
		err = -EFAULT;
	kfree(modes);
	c->count_modes = nr_modes;
	if (!err)
		err = drm_object_get_props(f, DRM_MODE_OBJECT_CONNECTOR, i, c->props_ptr,
					   c->prop_values_ptr, &c->count_props);
	return err;
}

/* GETENCODER: a lessee sees every encoder, but only its CRTCs in it. */
int drm_ioctl_getencoder(struct drm_file *f, void *data)
{
	struct drm_mode_get_encoder *e = data;
	struct drm_device *dev = f->dev;
	int i = drm_find(dev, e->encoder_id, encoder_id);
	const struct drm_output *out;

	if (i < 0)
		return -ENOENT;
	out = &dev->outputs[i];
	drm_mutex_lock(&dev->mutex);
	e->crtc_id = out->enabled && drm_lease_held(f, out->crtc_id) ? out->crtc_id : 0;
	drm_mutex_unlock(&dev->mutex);
	e->encoder_type = dev->driver->encoder_type;
	e->possible_crtcs = drm_lease_filter_crtcs(f, 1u << i);
	e->possible_clones = 1u << i;
	return 0;
}

/* GETGAMMA: CRTCs here have no gamma table (GETCRTC's gamma_size is 0, as on Linux's
 * virtio_gpu and simpledrm), so only a size of 0 reads it: 0, -EINVAL for another
 * size, -ENOENT for an unknown CRTC (Linux's drm_mode_gamma_get_ioctl). */
int drm_ioctl_getgamma(struct drm_file *f, void *data)
{
	struct drm_mode_crtc_lut *lut = data;

	if (drm_crtc_index(f, lut->crtc_id) < 0)
		return -ENOENT;
	return lut->gamma_size ? -EINVAL : 0;
}

/* SETGAMMA: the CRTCs have no gamma_set function, so Linux's drm_mode_gamma_set_ioctl
 * answers -ENOSYS for any size; -ENOENT for an unknown CRTC. */
int drm_ioctl_setgamma(struct drm_file *f, void *data)
{
	struct drm_mode_crtc_lut *lut = data;

	if (drm_crtc_index(f, lut->crtc_id) < 0)
		return -ENOENT;
	return -ENOSYS;
}

/* GETCRTC: the mode is only written while the CRTC is on, as Linux's. */
int drm_ioctl_getcrtc(struct drm_file *f, void *data)
{
	struct drm_mode_crtc *c = data;
	struct drm_device *dev = f->dev;
	int i = drm_crtc_index(f, c->crtc_id);
	struct drm_output *out;

	if (i < 0)
		return -ENOENT;
	out = &dev->outputs[i];
	drm_mutex_lock(&dev->mutex);
	c->gamma_size = 0;
	c->fb_id = out->fb ? out->fb->id : 0;
	c->x = out->fb ? out->x : 0;
	c->y = out->fb ? out->y : 0;
	c->mode_valid = out->enabled;
	if (out->enabled) {
		c->mode = out->mode;
		if (!f->aspect_ratio)
			c->mode.flags &= ~DRM_MODE_FLAG_PIC_AR_MASK;
	}
	drm_mutex_unlock(&dev->mutex);
	return 0;
}

/* GETPLANERESOURCES: the primary and cursor planes the caller may use, listed only
 * to universal-planes clients (there are no overlay planes). */
int drm_ioctl_getplaneresources(struct drm_file *f, void *data)
{
	struct drm_mode_get_plane_res *r = data;
	struct drm_device *dev = f->dev;
	uint32_t ids[2 * DRM_MAX_OUTPUTS];
	unsigned n = 0;
	int err;

	for (unsigned i = 0; f->universal_planes && i < dev->nr_outputs; i++) {
		const struct drm_output *out = &dev->outputs[i];

		if (drm_lease_held(f, out->plane_id))
			ids[n++] = out->plane_id;
		if (out->cursor_plane_id && drm_lease_held(f, out->cursor_plane_id))
			ids[n++] = out->cursor_plane_id;
	}
	err = drm_put_ids(r->plane_id_ptr, r->count_planes, ids, n);
	r->count_planes = n;
	return err;
}

/* GETPLANE: formats are copied only when all fit; a lessee sees only its CRTCs. */
int drm_ioctl_getplane(struct drm_file *f, void *data)
{
	struct drm_mode_get_plane *p = data;
	struct drm_device *dev = f->dev;
	int i = p->plane_id ? drm_find_for(f, p->plane_id, plane_id) : -1, err = 0;
	int c = p->plane_id ? drm_find_for(f, p->plane_id, cursor_plane_id) : -1;
	const uint32_t *formats = dev->driver->formats;
	unsigned nf = dev->driver->nr_formats;

	if (i < 0 && c < 0)
		return -ENOENT;
	drm_mutex_lock(&dev->mutex);
	if (i >= 0) {
		p->crtc_id = dev->outputs[i].fb ? dev->outputs[i].crtc_id : 0;
		p->fb_id = dev->outputs[i].fb ? dev->outputs[i].fb->id : 0;
	} else {
		/* Linux's legacy cursor shows an internal framebuffer without a file; ours
		 * has none. An atomic commit's is the plane's FB_ID. */
		const struct drm_cursor *cur = &dev->outputs[c].cursor;

		i = c;
		p->crtc_id = cur->obj ? dev->outputs[i].crtc_id : 0;
		p->fb_id = cur->fb ? cur->fb->id : 0;
		formats = drm_cursor_formats(dev, &nf);
	}
	if (!drm_lease_held(f, dev->outputs[i].crtc_id))
		p->crtc_id = 0;
	drm_mutex_unlock(&dev->mutex);
	p->possible_crtcs = drm_lease_filter_crtcs(f, 1u << i);
	p->gamma_size = 0;
	if (nf && p->count_format_types >= nf &&
	    copy_to_user((void __user *)(uintptr_t)p->format_type_ptr, formats,
			 nf * sizeof(uint32_t)))
		err = -EFAULT;
	p->count_format_types = nf;
	return err;
}

/* Shows fb on output i (see drm_internal.h). */
int drm_output_set_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
			  const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	int err = dev->driver->funcs->output_set(dev, i, fb, fb ? mode : NULL, x, y);

	if (!err)
		drm_output_state_set_locked(dev, i, fb, mode, x, y);
	return err;
}

/* Records output i's new state as drm_output_set_locked does, without the driver
 * (what the device shows stays as it is). */
void drm_output_state_set_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
				 const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	struct drm_output *out = &dev->outputs[i];

	if (fb)
		drm_fb_get_locked(fb);
	if (out->fb)
		drm_fb_put_locked(out->fb);
	out->fb = fb;
	out->enabled = mode != NULL;
	if (mode)
		out->mode = *mode;
	out->x = x;
	out->y = y;
	drm_props_output_set_locked(dev, i);
	drm_vblank_sync_locked(dev, i);
}

#define DRM_MODE_FLAG_KNOWN (DRM_MODE_FLAG_PHSYNC | DRM_MODE_FLAG_NHSYNC | \
	DRM_MODE_FLAG_PVSYNC | DRM_MODE_FLAG_NVSYNC | DRM_MODE_FLAG_INTERLACE | \
	DRM_MODE_FLAG_DBLSCAN | DRM_MODE_FLAG_CSYNC | DRM_MODE_FLAG_PCSYNC | \
	DRM_MODE_FLAG_NCSYNC | DRM_MODE_FLAG_HSKEW | DRM_MODE_FLAG_DBLCLK | \
	DRM_MODE_FLAG_CLKDIV2 | DRM_MODE_FLAG_3D_MASK)

/* Linux's drm_mode_convert_umode + drm_mode_validate_basic: -ERANGE or -EINVAL. */
int drm_mode_check(const struct drm_mode_modeinfo *m)
{
	uint32_t flags = m->flags & ~DRM_MODE_FLAG_PIC_AR_MASK;

	if (m->clock > INT32_MAX || m->vrefresh > INT32_MAX)
		return -ERANGE;
	switch (m->flags & DRM_MODE_FLAG_PIC_AR_MASK) {
	case DRM_MODE_FLAG_PIC_AR_NONE: case DRM_MODE_FLAG_PIC_AR_4_3:
	case DRM_MODE_FLAG_PIC_AR_16_9: case DRM_MODE_FLAG_PIC_AR_64_27:
	case DRM_MODE_FLAG_PIC_AR_256_135:
		break;
	default:
		return -EINVAL;
	}
	if ((flags & ~DRM_MODE_FLAG_KNOWN) ||
	    (flags & DRM_MODE_FLAG_3D_MASK) > DRM_MODE_FLAG_3D_SIDE_BY_SIDE_HALF || !m->clock)
		return -EINVAL;
	if (!m->hdisplay || m->hsync_start < m->hdisplay || m->hsync_end < m->hsync_start ||
	    m->htotal < m->hsync_end)
		return -EINVAL;
	if (!m->vdisplay || m->vsync_start < m->vdisplay || m->vsync_end < m->vsync_start ||
	    m->vtotal < m->vsync_end)
		return -EINVAL;
	return 0;
}

/* Whether the primary plane takes fb (its format, LINEAR). */
static bool drm_plane_takes_fb(struct drm_device *dev, const struct drm_framebuffer *fb)
{
	for (unsigned k = 0; k < dev->driver->nr_formats; k++)
		if (dev->driver->formats[k] == fb->format)
			return fb->modifier == DRM_FORMAT_MOD_LINEAR;
	return false;
}

/* A SETCRTC's connector ids, read before the mutex is taken: ids[k], or ids_err
 * -EFAULT from the first unreadable one on (reported in Linux's order later). */
struct drm_setcrtc_conns {
	uint32_t ids[DRM_MAX_OUTPUTS];
	uint32_t nr_read;
	int err;
};

static void drm_setcrtc_read_connectors(struct drm_device *dev, const struct drm_mode_crtc *c,
					struct drm_setcrtc_conns *conns)
{
	uint32_t __user *p = (uint32_t __user *)(uintptr_t)c->set_connectors_ptr;

	conns->nr_read = 0;
	conns->err = 0;
	if (c->count_connectors > dev->nr_outputs)
		return;
	for (; conns->nr_read < c->count_connectors; conns->nr_read++)
		if (get_user(conns->ids[conns->nr_read], p + conns->nr_read)) {
			conns->err = -EFAULT;
			return;
		}
}

/* The connector list of a SETCRTC of f for output i: each must exist for f
 * (-ENOENT) and be the output's own (-EINVAL, the atomic check's answer). */
static int drm_setcrtc_connectors(struct drm_file *f, const struct drm_mode_crtc *c,
				  const struct drm_setcrtc_conns *conns, unsigned i)
{
	struct drm_device *dev = f->dev;
	bool bad = false;

	if (c->count_connectors > dev->nr_outputs)
		return -EINVAL;
	for (uint32_t k = 0; k < c->count_connectors; k++) {
		if (k == conns->nr_read)
			return conns->err;
		if (drm_find_for(f, conns->ids[k], connector_id) < 0)
			return -ENOENT;
		bad |= conns->ids[k] != dev->outputs[i].connector_id;
	}
	return bad ? -EINVAL : 0;
}

/* SETCRTC under the mutex once the CRTC is known: Linux's drm_mode_setcrtc checks,
 * then the atomic check and commit (drm_atomic_set_config_locked). */
static int drm_setcrtc_locked(struct drm_file *f, struct drm_mode_crtc *c,
			      const struct drm_setcrtc_conns *conns, unsigned i)
{
	struct drm_device *dev = f->dev;
	struct drm_framebuffer *fb = NULL;
	int err;

	if (c->mode_valid) {
		fb = c->fb_id == (uint32_t)-1 ? dev->outputs[i].fb :
		     drm_fb_lookup_locked(dev, c->fb_id);
		if (!fb)
			return c->fb_id == (uint32_t)-1 ? -EINVAL : -ENOENT;
		if ((err = drm_mode_check(&c->mode)))
			return err;
		if (!drm_plane_takes_fb(dev, fb))
			return -EINVAL;
		if (c->mode.hdisplay > fb->width || c->mode.vdisplay > fb->height ||
		    c->x > fb->width - c->mode.hdisplay || c->y > fb->height - c->mode.vdisplay)
			return -ENOSPC;
	}
	if (!c->count_connectors && c->mode_valid)
		return -EINVAL;
	if (c->count_connectors && !c->mode_valid)
		return -EINVAL;
	if ((err = drm_setcrtc_connectors(f, c, conns, i)))
		return err;
	return drm_atomic_set_config_locked(dev, i, fb, c->mode_valid ? &c->mode : NULL, c->x,
					    c->y);
}

/* SETCRTC: shows a framebuffer with a mode on a CRTC and its connector, or turns
 * the CRTC off (no mode, no connectors); a lessee may turn off a CRTC it holds
 * without its primary plane, not show anything there (-EACCES). */
int drm_ioctl_setcrtc(struct drm_file *f, void *data)
{
	struct drm_mode_crtc *c = data;
	struct drm_device *dev = f->dev;
	struct drm_setcrtc_conns conns;
	int i, err;

	if ((c->x & 0xffff0000) || (c->y & 0xffff0000))
		return -ERANGE;
	i = drm_crtc_index(f, c->crtc_id);
	if (i < 0)
		return -ENOENT;
	if (c->mode_valid && !drm_lease_held(f, dev->outputs[i].plane_id))
		return -EACCES;
	drm_setcrtc_read_connectors(dev, c, &conns);
	drm_mutex_lock(&dev->mutex);
	err = drm_setcrtc_locked(f, c, &conns, i);
	drm_mutex_unlock(&dev->mutex);
	return err;
}
