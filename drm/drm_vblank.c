/*
 * drm_vblank.c — each output's vblank clock and the vblank ioctls. While a CRTC is on
 * its vblanks come at its mode's refresh rate, at exact multiples of the frame
 * duration (htotal * vtotal / clock, Linux's framedur_ns) after the time it came on,
 * and are numbered on from the count it had when it went off. The clock is
 * arithmetic on the monotonic clock: the timer (the kernel tick, a few ms coarse)
 * only wakes whoever waits, and every count and timestamp given out is the
 * theoretical one, so the rate is exact on average.
 *
 * A driver with vblank support (drm_driver.vblank, as Linux's drivers that call
 * drm_vblank_init: vkms) has WAIT_VBLANK, CRTC_GET_SEQUENCE and CRTC_QUEUE_SEQUENCE
 * as Linux's drm_vblank.c answers them, in its order of checks; on a CRTC that is off
 * they fail with -EINVAL as drm_vblank_get does. The others (virtio_gpu, simpledrm:
 * Linux never calls drm_vblank_init for them) answer -EOPNOTSUPP before looking at
 * the arguments, and their clocks only pace flips (drm_flip.c).
 *
 * Under dev->event_lock: the clocks, the waiting events, the waiter counts; the
 * timers take it with interrupts off and never take dev->mutex.
 */
#include "drm/drm_internal.h"

#define NSEC_PER_SEC 1000000000ULL
/* Linux's WAIT_VBLANK gives up (-EBUSY) when no vblank came for 3 s. */
#define DRM_VBLANK_WAIT_NS (3 * NSEC_PER_SEC)
#define DRM_VBLANK_TYPES (_DRM_VBLANK_TYPES_MASK | _DRM_VBLANK_FLAGS_MASK | \
			  _DRM_VBLANK_HIGH_CRTC_MASK)
#define DRM_CRTC_SEQUENCE_FLAGS (DRM_CRTC_SEQUENCE_RELATIVE | DRM_CRTC_SEQUENCE_NEXT_ON_MISS)

/* The frame duration of a mode in ns (Linux's framedur_ns); 60 Hz without timings,
 * at least 1 ns for a user's mode with an absurd clock. */
static uint64_t drm_mode_period_ns(const struct drm_mode_modeinfo *m)
{
	if (!m->clock || !m->htotal || !m->vtotal)
		return NSEC_PER_SEC / 60;
	return MAX((uint64_t)m->htotal * m->vtotal * 1000000 / m->clock, 1);
}

/* Whether vblank seq is at or past ref (Linux's vblank_passed). */
static bool drm_vblank_passed(uint64_t seq, uint64_t ref)
{
	return seq - ref <= (1 << 23);
}

/* A 32-bit sequence from user space as the 64-bit one nearest to seq (Linux's
 * widen_32_to_64). */
static uint64_t drm_vblank_widen(uint32_t narrow, uint64_t seq)
{
	return seq + (int32_t)(narrow - (uint32_t)seq);
}

/* The count of vbl's clock at now and the time of that vblank. */
uint64_t drm_vblank_count_locked(struct drm_vblank *vbl, uint64_t now, uint64_t *when)
{
	uint64_t k;

	if (!vbl->on) {
		*when = vbl->off_ns;
		return vbl->off_seq;
	}
	k = now > vbl->base_ns ? (now - vbl->base_ns) / vbl->period_ns : 0;
	*when = vbl->base_ns + k * vbl->period_ns;
	return vbl->base_seq + k;
}

/* The first vblank after now: the clock's, or the next multiple of the period. */
uint64_t drm_vblank_next_locked(struct drm_vblank *vbl, uint64_t now)
{
	uint64_t when;

	if (!vbl->on)
		return now - now % vbl->period_ns + vbl->period_ns;
	drm_vblank_count_locked(vbl, now, &when);
	return when + vbl->period_ns;
}

/* Arms vbl's timer for its next vblank. */
void drm_vblank_arm_locked(struct drm_vblank *vbl, uint64_t now)
{
	ktimer_arm(&vbl->timer, drm_vblank_next_locked(vbl, now));
}

/* Fills in a vblank event (vblank seq at when) and queues it on its file. */
static void drm_vblank_send_locked(struct drm_vblank *vbl, struct drm_pending_event *e,
				   uint64_t seq, uint64_t when)
{
	if (e->ev.base.type == DRM_EVENT_CRTC_SEQUENCE) {
		e->ev.seq.sequence = seq;
		e->ev.seq.time_ns = when;
	} else {
		e->ev.vbl.sequence = seq;
		e->ev.vbl.tv_sec = when / NSEC_PER_SEC;
		e->ev.vbl.tv_usec = when % NSEC_PER_SEC / 1000;
	}
	drm_event_send_locked(vbl->dev, e);
}

/* Sends the waiting events whose vblank has come (all of them with all). */
static void drm_vblank_send_due_locked(struct drm_vblank *vbl, uint64_t seq, uint64_t when,
				       bool all)
{
	struct drm_pending_event *e, *next;

	list_for_each_entry_safe(e, next, &vbl->events, link) {
		if (!all && !drm_vblank_passed(seq, e->sequence))
			continue;
		list_del(&e->link);
		drm_vblank_send_locked(vbl, e, seq, when);
	}
}

/* Whether anything waits for vbl's next vblank. */
static bool drm_vblank_wanted_locked(struct drm_vblank *vbl)
{
	return vbl->flip_pending || (vbl->on && (!list_empty(&vbl->events) || vbl->waiters));
}

/* The timer: a vblank came. Completes a due flip, sends the due events, wakes the
 * waiters and re-arms while something still waits. */
static void drm_vblank_fire(struct ktimer *t)
{
	struct drm_vblank *vbl = container_of(t, struct drm_vblank, timer);
	struct drm_device *dev = vbl->dev;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	uint64_t now = clock_monotonic_ns(), when, seq;

	seq = drm_vblank_count_locked(vbl, now, &when);
	if (!vbl->on)
		when = now - now % vbl->period_ns;
	drm_flip_vblank_locked(vbl, now, seq, when);
	if (vbl->on)
		drm_vblank_send_due_locked(vbl, seq, when, false);
	if (vbl->waiters)
		wake_up(&vbl->wq);
	if (drm_vblank_wanted_locked(vbl))
		drm_vblank_arm_locked(vbl, now);
	spin_unlock_irqrestore(&dev->event_lock, flags);
}

/* Sets up an idle clock per output, off, at 60 Hz. */
void drm_vblank_init(struct drm_device *dev)
{
	spin_init(&dev->event_lock, "drm_event");
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		struct drm_vblank *vbl = &dev->vblank[i];

		vbl->dev = dev;
		vbl->index = i;
		list_init(&vbl->timer.link);
		vbl->timer.fn = drm_vblank_fire;
		vbl->period_ns = NSEC_PER_SEC / 60;
		list_init(&vbl->events);
		wait_queue_init(&vbl->wq);
		vbl->fence_context = drm_fence_context_alloc();
	}
}

/* Stops vbl's clock at now: the count stays at its last vblank's; the waiting events
 * are sent with it and the waiters woken (Linux's drm_crtc_vblank_off). */
static void drm_vblank_off_locked(struct drm_vblank *vbl, uint64_t now)
{
	vbl->off_seq = drm_vblank_count_locked(vbl, now, &vbl->off_ns);
	vbl->on = false;
	drm_vblank_send_due_locked(vbl, vbl->off_seq, vbl->off_ns, true);
	wake_up(&vbl->wq);
}

/* Output i's CRTC changed (see drm_internal.h). A new refresh rate is a modeset, which
 * Linux makes by turning the CRTC off and on again. Coming on, the count goes on as
 * if vblanks had come while it was off, as Linux's count follows vkms's timestamps. */
void drm_vblank_sync_locked(struct drm_device *dev, unsigned i)
{
	struct drm_vblank *vbl = &dev->vblank[i];
	const struct drm_output *out = &dev->outputs[i];
	bool on = drm_crtc_active_locked(dev, i);
	uint64_t period = on ? drm_mode_period_ns(&out->mode) : 0;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	uint64_t now = clock_monotonic_ns();

	if (vbl->on && (!on || period != vbl->period_ns))
		drm_vblank_off_locked(vbl, now);
	if (on && !vbl->on) {
		vbl->base_seq = vbl->off_seq;
		if (vbl->off_ns && now > vbl->off_ns)
			vbl->base_seq += (now - vbl->off_ns) / period;
		vbl->base_ns = now;
		vbl->period_ns = period;
		vbl->on = true;
	}
	spin_unlock_irqrestore(&dev->event_lock, flags);
}

/* Moves f's waiting vblank events to dropped (f is closing). */
void drm_vblank_release_locked(struct drm_file *f, struct list_head *dropped)
{
	struct drm_device *dev = f->dev;
	struct drm_pending_event *e, *next;

	for (unsigned i = 0; i < dev->nr_outputs; i++)
		list_for_each_entry_safe(e, next, &dev->vblank[i].events, link) {
			if (e->file != f)
				continue;
			list_del(&e->link);
			list_add_tail(&e->link, dropped);
		}
}

/*
 * Queues e (allocated, not reserved) to be sent at vblank req of vbl, or sends it now
 * when that has passed: Linux's drm_queue_vblank_event and the queueing half of
 * CRTC_QUEUE_SEQUENCE. -EINVAL when the CRTC is off, -ENOMEM when f's event space
 * is used up (e is freed then); else 0 and *reply is the sequence the event carries
 * or waits for.
 */
static int drm_vblank_queue(struct drm_file *f, struct drm_vblank *vbl,
			    struct drm_pending_event *e, uint32_t type, uint32_t length,
			    uint64_t req, bool relative, bool next_on_miss, uint64_t *reply)
{
	struct drm_device *dev = f->dev;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	uint64_t now = clock_monotonic_ns(), when, seq;
	int err = -EINVAL;

	if (!vbl->on)
		goto fail;
	seq = drm_vblank_count_locked(vbl, now, &when);
	if (relative)
		req += seq;
	if (next_on_miss && drm_vblank_passed(seq, req))
		req = seq + 1;
	err = drm_event_reserve_locked(f, e, type, length);
	if (err)
		goto fail;
	e->sequence = req;
	if (drm_vblank_passed(seq, req)) {
		drm_vblank_send_locked(vbl, e, seq, when);
		*reply = seq;
	} else {
		list_add_tail(&e->link, &vbl->events);
		drm_vblank_arm_locked(vbl, now);
		*reply = req;
	}
	spin_unlock_irqrestore(&dev->event_lock, flags);
	return 0;
fail:
	spin_unlock_irqrestore(&dev->event_lock, flags);
	kfree(e);
	return err;
}

/* Whether a WAIT_VBLANK for req is over: it has come, or the CRTC went off. */
static bool drm_vblank_wait_over(struct drm_vblank *vbl, uint64_t req)
{
	uint64_t flags = spin_lock_irqsave(&vbl->dev->event_lock);
	uint64_t when;
	bool over = !vbl->on ||
		    drm_vblank_passed(drm_vblank_count_locked(vbl, clock_monotonic_ns(), &when), req);

	spin_unlock_irqrestore(&vbl->dev->event_lock, flags);
	return over;
}

/* Sleeps until vbl's vblank req (Linux's 3 s limit: -EBUSY; a signal: -EINTR). */
static int drm_vblank_wait(struct drm_vblank *vbl, uint64_t req)
{
	struct drm_device *dev = vbl->dev;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	int err;

	vbl->waiters++;
	drm_vblank_arm_locked(vbl, clock_monotonic_ns());
	spin_unlock_irqrestore(&dev->event_lock, flags);
	err = wait_event_interruptible_timeout(&vbl->wq, drm_vblank_wait_over(vbl, req),
					       clock_monotonic_ns() + DRM_VBLANK_WAIT_NS);
	flags = spin_lock_irqsave(&dev->event_lock);
	vbl->waiters--;
	spin_unlock_irqrestore(&dev->event_lock, flags);
	if (err == -ERESTARTSYS)
		return -EINTR;
	return err == -ETIMEDOUT ? -EBUSY : err;
}

/* The CRTC's count and the time of that vblank, as WAIT_VBLANK replies them. */
static void drm_vblank_reply(struct drm_vblank *vbl, struct drm_wait_vblank_reply *reply)
{
	uint64_t flags = spin_lock_irqsave(&vbl->dev->event_lock);
	uint64_t when;

	reply->sequence = drm_vblank_count_locked(vbl, clock_monotonic_ns(), &when);
	spin_unlock_irqrestore(&vbl->dev->event_lock, flags);
	reply->tval_sec = (uint32_t)(when / NSEC_PER_SEC);
	reply->tval_usec = when % NSEC_PER_SEC / 1000;
}

/* The current count of an output's clock; -EINVAL when its CRTC is off. */
static int drm_vblank_get_count(struct drm_vblank *vbl, uint64_t *seq, uint64_t *when)
{
	uint64_t flags = spin_lock_irqsave(&vbl->dev->event_lock);
	bool on = vbl->on;

	*seq = drm_vblank_count_locked(vbl, clock_monotonic_ns(), when);
	spin_unlock_irqrestore(&vbl->dev->event_lock, flags);
	return on ? 0 : -EINVAL;
}

/* The output of the index-th CRTC f may use (a lessee counts only its own, as
 * Linux); nr_outputs when there is none. */
static unsigned drm_vblank_pipe(struct drm_file *f, unsigned index)
{
	struct drm_device *dev = f->dev;
	unsigned i;

	for (i = 0; i < dev->nr_outputs; i++)
		if (drm_lease_held(f, dev->outputs[i].crtc_id) && !index--)
			break;
	return i;
}

/*
 * WAIT_VBLANK (Linux's drm_wait_vblank_ioctl): the CRTC is the request's high-CRTC
 * index (else 1 with SECONDARY, else 0) among those the file may use; the sequence is relative to the current
 * count or absolute (32 bits, widened near it), moved to the next vblank with
 * NEXTONMISS when already passed. With EVENT a DRM_EVENT_VBLANK carrying
 * request.signal is queued and the call returns at once, else it sleeps until then;
 * the reply is the count and the vblank's time (the event path only sets the
 * sequence, as Linux).
 */
int drm_ioctl_wait_vblank(struct drm_file *f, void *data)
{
	union drm_wait_vblank *vw = data;
	struct drm_device *dev = f->dev;
	unsigned type = vw->request.type, flags = type & _DRM_VBLANK_FLAGS_MASK, pipe;
	struct drm_pending_event *e;
	struct drm_vblank *vbl;
	uint64_t seq, req, when;
	int err;

	if (!dev->driver->vblank)
		return -EOPNOTSUPP;
	if ((type & _DRM_VBLANK_SIGNAL) || (type & ~DRM_VBLANK_TYPES))
		return -EINVAL;
	if (type & _DRM_VBLANK_HIGH_CRTC_MASK)
		pipe = (type & _DRM_VBLANK_HIGH_CRTC_MASK) >> _DRM_VBLANK_HIGH_CRTC_SHIFT;
	else
		pipe = flags & _DRM_VBLANK_SECONDARY ? 1 : 0;
	pipe = drm_vblank_pipe(f, pipe);
	if (pipe >= dev->nr_outputs)
		return -EINVAL;
	vbl = &dev->vblank[pipe];
	err = drm_vblank_get_count(vbl, &seq, &when);
	if (err)
		return err;
	if (type & _DRM_VBLANK_RELATIVE) {
		req = seq + vw->request.sequence;
		vw->request.sequence = req;
		vw->request.type &= ~_DRM_VBLANK_RELATIVE;
	} else {
		req = drm_vblank_widen(vw->request.sequence, seq);
	}
	if ((flags & _DRM_VBLANK_NEXTONMISS) && drm_vblank_passed(seq, req)) {
		req = seq + 1;
		vw->request.type &= ~_DRM_VBLANK_NEXTONMISS;
		vw->request.sequence = req;
	}
	if (flags & _DRM_VBLANK_EVENT) {
		if (!(e = kzalloc(sizeof(*e))))
			return -ENOMEM;
		e->ev.vbl.user_data = vw->request.signal;
		e->ev.vbl.crtc_id = dev->outputs[pipe].crtc_id;
		err = drm_vblank_queue(f, vbl, e, DRM_EVENT_VBLANK, sizeof(e->ev.vbl), req, false,
				       false, &seq);
		if (!err)
			vw->reply.sequence = seq;
		return err;
	}
	if (req != seq)
		err = drm_vblank_wait(vbl, req);
	if (err != -EINTR)
		drm_vblank_reply(vbl, &vw->reply);
	return err;
}

/* CRTC_GET_SEQUENCE (Linux's drm_crtc_get_sequence_ioctl): whether the CRTC is
 * enabled, its count and the time of that vblank in ns; -ENOENT for no such CRTC (or
 * one a lessee does not hold), -EINVAL while it is off. */
int drm_ioctl_crtc_get_sequence(struct drm_file *f, void *data)
{
	struct drm_crtc_get_sequence *gs = data;
	struct drm_device *dev = f->dev;
	uint64_t seq, when;
	int i, err;

	if (!dev->driver->vblank)
		return -EOPNOTSUPP;
	i = drm_crtc_index(f, gs->crtc_id);
	if (i < 0)
		return -ENOENT;
	err = drm_vblank_get_count(&dev->vblank[i], &seq, &when);
	if (err)
		return err;
	drm_mutex_lock(&dev->mutex);
	gs->active = dev->outputs[i].enabled;
	drm_mutex_unlock(&dev->mutex);
	gs->sequence = seq;
	gs->sequence_ns = when;
	return 0;
}

/* CRTC_QUEUE_SEQUENCE (Linux's drm_crtc_queue_sequence_ioctl): a
 * DRM_EVENT_CRTC_SEQUENCE carrying user_data at the vblank sequence (RELATIVE to the
 * current count; NEXT_ON_MISS: the next one when passed), sent at once when it has
 * passed; sequence becomes the one the event carries or waits for. -ENOENT for no
 * such CRTC, -EINVAL for other flags or a CRTC that is off, -ENOMEM when the event
 * space is used up. */
int drm_ioctl_crtc_queue_sequence(struct drm_file *f, void *data)
{
	struct drm_crtc_queue_sequence *qs = data;
	struct drm_device *dev = f->dev;
	struct drm_pending_event *e;
	uint64_t reply;
	int i, err;

	if (!dev->driver->vblank)
		return -EOPNOTSUPP;
	i = drm_crtc_index(f, qs->crtc_id);
	if (i < 0)
		return -ENOENT;
	if (qs->flags & ~DRM_CRTC_SEQUENCE_FLAGS)
		return -EINVAL;
	if (!(e = kzalloc(sizeof(*e))))
		return -ENOMEM;
	e->ev.seq.user_data = qs->user_data;
	err = drm_vblank_queue(f, &dev->vblank[i], e, DRM_EVENT_CRTC_SEQUENCE, sizeof(e->ev.seq),
			       qs->sequence, qs->flags & DRM_CRTC_SEQUENCE_RELATIVE,
			       qs->flags & DRM_CRTC_SEQUENCE_NEXT_ON_MISS, &reply);
	if (!err)
		qs->sequence = reply;
	return err;
}
