/*
 * drm_vblank.c — flips and their completion: each output has a refresh clock (a
 * vblank every htotal * vtotal / clock of its mode, on the monotonic clock) whose
 * kernel timer runs only while a flip waits for the next vblank; then the flip
 * completes and its flip-complete event is queued. PAGE_FLIP commits through the
 * driver at once (the device has answered when output_set returns) and completes on
 * that next vblank, so flips are paced at the refresh rate.
 *
 * The drivers here, like Linux's virtio_gpu and bochs-drm, have no vblank counter
 * (Linux's drm_vblank_init is never called for them): events carry sequence 0 and
 * the vblank ioctls answer -EOPNOTSUPP, as Linux's do for such a driver.
 *
 * The vblank states are under dev->event_lock; the timers take it with interrupts
 * off and never take dev->mutex.
 */
#include "drm/drm_internal.h"

#define NSEC_PER_SEC 1000000000ULL

/* The timer: the vblank came, so the pending flip completes and sends its event. */
static void drm_vblank_fire(struct ktimer *t)
{
	struct drm_vblank *vbl = container_of(t, struct drm_vblank, timer);
	struct drm_device *dev = vbl->dev;
	struct drm_pending_event *e;
	struct drm_fence *fence;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	uint64_t now = clock_monotonic_ns(), when = now - now % vbl->period_ns;

	e = vbl->flip_event;
	fence = vbl->flip_fence;
	vbl->flip_pending = false;
	vbl->flip_event = NULL;
	vbl->flip_fence = NULL;
	if (fence) {
		drm_fence_signal(fence);
		drm_fence_put(fence);
	}
	if (e) {
		e->ev.vbl.tv_sec = when / NSEC_PER_SEC;
		e->ev.vbl.tv_usec = when % NSEC_PER_SEC / 1000;
		e->ev.vbl.sequence = 0;
		e->ev.vbl.crtc_id = dev->outputs[vbl->index].crtc_id;
		drm_event_send_locked(dev, e);
	}
	spin_unlock_irqrestore(&dev->event_lock, flags);
}

/* Sets up an idle refresh clock per output. */
void drm_vblank_init(struct drm_device *dev)
{
	spin_init(&dev->event_lock, "drm_event");
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		dev->vblank[i].dev = dev;
		dev->vblank[i].index = i;
		list_init(&dev->vblank[i].timer.link);
		dev->vblank[i].timer.fn = drm_vblank_fire;
		dev->vblank[i].period_ns = NSEC_PER_SEC / 60;
		dev->vblank[i].fence_context = drm_fence_context_alloc();
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

/* The refresh period of a mode in ns; 60 Hz for an output that is off. */
static uint64_t drm_mode_period_ns(const struct drm_mode_modeinfo *m)
{
	if (!m->clock || !m->htotal || !m->vtotal)
		return NSEC_PER_SEC / 60;
	return (uint64_t)m->htotal * m->vtotal * 1000000 / m->clock;
}

/* Makes output i's flip pending until its next vblank, which sends e (may be NULL).
 * The caller checked drm_flip_busy under the same dev->mutex. */
void drm_flip_arm(struct drm_device *dev, unsigned i, struct drm_pending_event *e)
{
	struct drm_vblank *vbl = &dev->vblank[i];
	uint64_t period = drm_mode_period_ns(&dev->outputs[i].mode);
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	uint64_t now = clock_monotonic_ns();

	vbl->period_ns = period;
	vbl->flip_pending = true;
	vbl->flip_event = e;
	ktimer_arm(&vbl->timer, now - now % period + period);
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

/* The output whose CRTC has id, or -1. */
static int drm_crtc_index(struct drm_device *dev, uint32_t id)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++)
		if (dev->outputs[i].crtc_id == id)
			return i;
	return -1;
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
	if (fb->format != out->fb->format)
		return -EINVAL;
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
	i = drm_crtc_index(dev, pf->crtc_id);
	if (i < 0 || !drm_lease_held(f, pf->crtc_id))
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

/* WAIT_VBLANK, CRTC_GET_SEQUENCE, CRTC_QUEUE_SEQUENCE: Linux answers -EOPNOTSUPP for
 * a driver without vblank support before looking at the arguments. */
int drm_ioctl_wait_vblank(struct drm_file *f, void *data)
{
	return -EOPNOTSUPP;
}

/* As WAIT_VBLANK: -EOPNOTSUPP without vblank support. */
int drm_ioctl_crtc_get_sequence(struct drm_file *f, void *data)
{
	return -EOPNOTSUPP;
}

/* As WAIT_VBLANK: -EOPNOTSUPP without vblank support. */
int drm_ioctl_crtc_queue_sequence(struct drm_file *f, void *data)
{
	return -EOPNOTSUPP;
}
