/*
 * drm_event.c — the events of a DRM file (flip completions, vblank events): reserved against the
 * file's event space when an ioctl asks for one, queued when they happen, and read()
 * from the DRM fd whole, in Linux's format (struct drm_event_vblank...), oldest
 * first, as Linux's drm_read: an event that does not fit in what is left of the
 * buffer stays queued (a read too short for the first one returns 0), an empty queue
 * blocks or gives -EAGAIN. The fd polls readable exactly while an event is queued.
 *
 * dev->event_lock protects every file's list and space and the pending events;
 * the vblank timers queue events with interrupts off, so nothing here frees memory or
 * touches user memory with it held.
 */
#include "drm/drm_internal.h"
#include <asm-generic/fcntl.h>
#include <asm-generic/poll.h>

/* Sets up the event queue of a new file. */
void drm_events_init(struct drm_file *fpriv)
{
	list_init(&fpriv->events);
	fpriv->event_space = DRM_EVENT_SPACE;
	wait_queue_init(&fpriv->event_wait);
	drm_mutex_init(&fpriv->read_lock);
}

/* Reserves length bytes of f's event space for e, a new event of type (Linux's
 * drm_event_reserve_init_locked): -ENOMEM when they are not left. */
int drm_event_reserve_locked(struct drm_file *f, struct drm_pending_event *e, uint32_t type,
			     uint32_t length)
{
	if (f->event_space < length)
		return -ENOMEM;
	f->event_space -= length;
	e->file = f;
	e->ev.base.type = type;
	e->ev.base.length = length;
	return 0;
}

/* Reserves space for a flip-complete event of f (Linux's drm_event_reserve_init);
 * NULL when the space is used up or memory is short. */
struct drm_pending_event *drm_event_reserve_flip(struct drm_file *f, uint64_t user_data)
{
	struct drm_device *dev = f->dev;
	struct drm_pending_event *e = kzalloc(sizeof(*e));
	uint64_t flags;
	int err;

	if (!e)
		return NULL;
	e->ev.vbl.user_data = user_data;
	flags = spin_lock_irqsave(&dev->event_lock);
	err = drm_event_reserve_locked(f, e, DRM_EVENT_FLIP_COMPLETE, sizeof(e->ev.vbl));
	spin_unlock_irqrestore(&dev->event_lock, flags);
	if (err) {
		kfree(e);
		return NULL;
	}
	return e;
}

/* Returns an unarmed event's space to its file and frees it. */
void drm_event_cancel(struct drm_pending_event *e)
{
	struct drm_device *dev = e->file->dev;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);

	e->file->event_space += e->ev.base.length;
	spin_unlock_irqrestore(&dev->event_lock, flags);
	kfree(e);
}

/* Queues e on its file and wakes the file's readers and pollers. */
void drm_event_send_locked(struct drm_device *dev, struct drm_pending_event *e)
{
	list_add_tail(&e->link, &e->file->events);
	wake_up(&e->file->event_wait);
}

/* Drops every event of a closing file: those queued, those waiting for a vblank, and
 * those a pending flip would still send (the flip itself completes without one). */
void drm_events_release(struct drm_file *fpriv)
{
	struct drm_device *dev = fpriv->dev;
	struct drm_pending_event *dropped[DRM_MAX_OUTPUTS], *e, *next;
	unsigned n = 0;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);
	LIST_HEAD(queued);

	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		e = dev->vblank[i].flip_event;
		if (e && e->file == fpriv) {
			dropped[n++] = e;
			dev->vblank[i].flip_event = NULL;
		}
	}
	while (!list_empty(&fpriv->events)) {
		e = list_first_entry(&fpriv->events, struct drm_pending_event, link);
		list_del(&e->link);
		list_add_tail(&e->link, &queued);
	}
	drm_vblank_release_locked(fpriv, &queued);
	spin_unlock_irqrestore(&dev->event_lock, flags);
	while (n)
		kfree(dropped[--n]);
	list_for_each_entry_safe(e, next, &queued, link)
		kfree(e);
}

/* Takes the oldest queued event off f's list (its space is free again), or NULL. */
static struct drm_pending_event *drm_event_take(struct drm_file *f)
{
	struct drm_device *dev = f->dev;
	struct drm_pending_event *e = NULL;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);

	if (!list_empty(&f->events)) {
		e = list_first_entry(&f->events, struct drm_pending_event, link);
		list_del(&e->link);
		f->event_space += e->ev.base.length;
	}
	spin_unlock_irqrestore(&dev->event_lock, flags);
	return e;
}

/* Puts a taken event back at the head of f's list. */
static void drm_event_put_back(struct drm_file *f, struct drm_pending_event *e)
{
	struct drm_device *dev = f->dev;
	uint64_t flags = spin_lock_irqsave(&dev->event_lock);

	f->event_space -= e->ev.base.length;
	list_add(&e->link, &f->events);
	spin_unlock_irqrestore(&dev->event_lock, flags);
	wake_up(&f->event_wait);
}

static bool drm_event_queued(struct drm_file *f)
{
	uint64_t flags = spin_lock_irqsave(&f->dev->event_lock);
	bool queued = !list_empty(&f->events);

	spin_unlock_irqrestore(&f->dev->event_lock, flags);
	return queued;
}

/* read(2) of a DRM fd: as many whole events as fit in the buffer; bytes read, 0 when
 * the first event does not fit, -EAGAIN (O_NONBLOCK) or -ERESTARTSYS when none came. */
ssize_t drm_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct drm_file *f = drm_file_of(file);
	struct drm_pending_event *e;
	size_t done = 0;
	int err = 0;

	drm_mutex_lock(&f->read_lock);
	for (;;) {
		e = drm_event_take(f);
		if (!e) {
			if (done)
				break;
			if (READ_ONCE(file->flags) & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			drm_mutex_unlock(&f->read_lock);
			err = wait_event_interruptible(&f->event_wait, drm_event_queued(f));
			if (err)
				return err;
			drm_mutex_lock(&f->read_lock);
			continue;
		}
		if (e->ev.base.length > buf->len - done) {
			drm_event_put_back(f, e);
			break;
		}
		if (iobuf_copy_out(buf, done, &e->ev, e->ev.base.length)) {
			err = -EFAULT;
			drm_event_put_back(f, e);
			break;
		}
		done += e->ev.base.length;
		kfree(e);
	}
	drm_mutex_unlock(&f->read_lock);
	return done ? (ssize_t)done : err;
}

/* poll: readable while an event is queued, nothing else (Linux's drm_poll). */
unsigned drm_poll(struct file *file, struct poll_table *pt)
{
	struct drm_file *f = drm_file_of(file);

	poll_wait(file, &f->event_wait, pt);
	return drm_event_queued(f) ? POLLIN | POLLRDNORM : 0;
}
