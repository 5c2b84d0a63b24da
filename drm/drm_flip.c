/*
 * drm_flip.c — flips and their completion: PAGE_FLIP commits through the driver at
 * once (the device has answered when output_set returns), and like every commit
 * (MODE_ATOMIC too) the flip then stays pending until the output's next vblank
 * (drm_vblank.c's clock), when it completes: its flip-complete event is queued with
 * that vblank's time and, for a driver with vblank support, its number (0 for the
 * others, as Linux's virtio_gpu sends), and its out-fence is signalled. So flips are
 * paced at the refresh rate.
 *
 * The flip states are under dev->event_lock, with the vblank clocks.
 */
#include "drm/drm_internal.h"

#define NSEC_PER_SEC 1000000000ULL

/* Completes output vbl's pending flip if it is due by now: the vblank came at seq
 * and when. Called from the vblank timer with dev->event_lock held. */
void drm_flip_vblank_locked(struct drm_vblank *vbl, uint64_t now, uint64_t seq, uint64_t when)
{
	struct drm_device *dev = vbl->dev;
	struct drm_pending_event *e = vbl->flip_event;
	struct drm_fence *fence = vbl->flip_fence;

	if (!vbl->flip_pending || now < vbl->flip_due_ns)
		return;
	vbl->flip_pending = false;
	vbl->flip_event = NULL;
	vbl->flip_fence = NULL;
	wake_up(&vbl->wq);
	if (fence) {
		drm_fence_signal(fence);
		drm_fence_put(fence);
	}
	if (e) {
		e->ev.vbl.tv_sec = when / NSEC_PER_SEC;
		e->ev.vbl.tv_usec = when % NSEC_PER_SEC / 1000;
		e->ev.vbl.sequence = dev->driver->vblank ? seq : 0;
		e->ev.vbl.crtc_id = dev->outputs[vbl->index].crtc_id;
		drm_event_send_locked(dev, e);
	}
}

/* -EBUSY while output i's last flip waits for its vblank. */
int drm_flip_busy(struct drm_device *dev, unsigned i)
{
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	bool busy = dev->vblank[i].flip_pending;

	spin_unlock_irqrestore(&dev->event_lock, flags);
	return busy ? -EBUSY : 0;
}

/* Makes output i's flip pending until its next vblank, which sends e (may be NULL).
 * The caller checked drm_flip_busy under the same dev->mutex. */
void drm_flip_arm(struct drm_device *dev, unsigned i, struct drm_pending_event *e)
{
	struct drm_vblank *vbl = &dev->vblank[i];
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	uint64_t now = clock_monotonic_ns();

	vbl->flip_pending = true;
	vbl->flip_event = e;
	vbl->flip_due_ns = drm_vblank_next_locked(vbl, now);
	drm_vblank_arm_locked(vbl, now);
	spin_unlock_irqrestore(&dev->event_lock, flags);
}

/* Hands f to output i's pending flip (see drm_internal.h); one fence per flip,
 * an earlier one is signalled at once. Takes dev->event_lock. */
void drm_flip_add_fence(struct drm_device *dev, unsigned i, struct drm_fence *f)
{
	struct drm_vblank *vbl = &dev->vblank[i];
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	struct drm_fence *done = f;

	if (vbl->flip_pending) {
		done = vbl->flip_fence;
		vbl->flip_fence = f;
	}
	spin_unlock_irqrestore(&dev->event_lock, flags);
	if (done) {
		drm_fence_signal(done);
		drm_fence_put(done);
	}
}

/* PAGE_FLIP once the CRTC is known, with the mutex held: Linux's checks in its
 * order (no fb shown: -EBUSY, unknown fb: -ENOENT, too small: -ENOSPC, another
 * format: -EINVAL, no event space: -ENOMEM, a flip pending: -EBUSY). */
static int drm_page_flip_locked(struct drm_file *f, struct drm_mode_crtc_page_flip *pf,
				unsigned i)
{
	struct drm_device *dev = f->dev;
	struct drm_output *out = &dev->outputs[i];
	struct drm_pending_event *e = NULL;
	struct drm_framebuffer *fb;
	int err;

	if (!out->fb)
		return -EBUSY;
	fb = drm_fb_lookup_locked(dev, pf->fb_id);
	if (!fb)
		return -ENOENT;
	if (out->mode.hdisplay > fb->width || out->mode.vdisplay > fb->height ||
	    out->x > fb->width - out->mode.hdisplay || out->y > fb->height - out->mode.vdisplay)
		return -ENOSPC;
	if (fb->format != out->fb->format || fb->modifier != DRM_FORMAT_MOD_LINEAR)
		return -EINVAL;		/* the plane takes LINEAR only */
	if ((pf->flags & DRM_MODE_PAGE_FLIP_EVENT) && !(e = drm_event_reserve_flip(f, pf->user_data)))
		return -ENOMEM;
	err = drm_flip_busy(dev, i);
	if (!err)
		err = drm_atomic_page_flip_locked(dev, i, fb);
	if (err) {
		if (e)
			drm_event_cancel(e);
		return err;
	}
	drm_flip_arm(dev, i, e);
	return 0;
}

/* PAGE_FLIP: shows another framebuffer of the same format on a CRTC that is on;
 * completes (and sends DRM_EVENT_FLIP_COMPLETE when asked) at the next vblank. No
 * asynchronous or targeted flips, as Linux's virtio_gpu (-EINVAL). A lessee needs
 * the CRTC (-ENOENT) and its primary plane (-EACCES). */
int drm_ioctl_page_flip(struct drm_file *f, void *data)
{
	struct drm_mode_crtc_page_flip *pf = data;
	struct drm_device *dev = f->dev;
	int i, err;

	if ((pf->flags & ~DRM_MODE_PAGE_FLIP_FLAGS) || pf->reserved ||
	    (pf->flags & DRM_MODE_PAGE_FLIP_ASYNC))
		return -EINVAL;
	i = drm_crtc_index(f, pf->crtc_id);
	if (i < 0)
		return -ENOENT;
	if (!drm_lease_held(f, dev->outputs[i].plane_id))
		return -EACCES;
	if (pf->flags & DRM_MODE_PAGE_FLIP_TARGET)
		return -EINVAL;
	drm_mutex_lock(&dev->mutex);
	err = drm_page_flip_locked(f, pf, i);
	drm_mutex_unlock(&dev->mutex);
	return err;
}
