/*
 * drm_atomic_ioctl.c — MODE_ATOMIC (Linux's drm_mode_atomic_ioctl): the request is
 * copied in outside dev->mutex (it may point into a mapped DRM buffer), built into a
 * drm_atomic_state property by property, checked and committed through drm_atomic.c;
 * PAGE_FLIP_EVENT events and OUT_FENCE_PTR fences are prepared before the check, as
 * Linux's prepare_signaling, so that nothing fails once committed.
 */
#include "drm/drm_internal.h"

#define DRM_ATOMIC_MAX_PROPS 4096

/* A MODE_ATOMIC request copied in: objs[k] with counts[k] properties, then the
 * props and values in order. nr_objs, nr_counts and nr_props count what could be
 * read; err is why the copy stopped early (-EFAULT at a fault, -ENOSPC past
 * DRM_ATOMIC_MAX_PROPS), reported where Linux would meet it. nr_set: how many
 * properties drm_atomic_build set before it stopped. */
struct drm_atomic_req {
	uint32_t *objs, *counts, *props;
	uint64_t *values;
	uint32_t nr_objs, nr_counts, nr_props, nr_set;
	int err;
	uint32_t fault_prop;	/* the first OUT_FENCE_PTR that cannot be written; or ~0 */
};

/* The OUT_FENCE_PTR of property p of the request, or NULL (not one, or 0). */
static int32_t __user *drm_atomic_req_fence_ptr(struct drm_device *dev,
						const struct drm_atomic_req *q, uint32_t p)
{
	if (drm_prop_of_id(dev, q->props[p]) != DRM_PROP_OUT_FENCE_PTR)
		return NULL;
	return (int32_t __user *)(uintptr_t)q->values[p];
}

static int drm_atomic_read(struct drm_device *dev, const struct drm_mode_atomic *a,
			   struct drm_atomic_req *q)
{
	uint32_t __user *uobjs = (uint32_t __user *)(uintptr_t)a->objs_ptr;
	uint32_t __user *ucounts = (uint32_t __user *)(uintptr_t)a->count_props_ptr;
	uint32_t __user *uprops = (uint32_t __user *)(uintptr_t)a->props_ptr;
	uint64_t __user *uvalues = (uint64_t __user *)(uintptr_t)a->prop_values_ptr;
	uint32_t n = MIN(a->count_objs, DRM_ATOMIC_MAX_PROPS);

	memset(q, 0, sizeof(*q));
	q->fault_prop = ~0u;
	q->objs = kmalloc((n + 1) * sizeof(uint32_t));
	q->counts = kmalloc((n + 1) * sizeof(uint32_t));
	q->props = kmalloc(DRM_ATOMIC_MAX_PROPS * sizeof(uint32_t));
	q->values = kmalloc(DRM_ATOMIC_MAX_PROPS * sizeof(uint64_t));
	if (!q->objs || !q->counts || !q->props || !q->values)
		return -ENOMEM;
	q->err = -EFAULT;
	for (uint32_t k = 0; k < n; k++) {
		if (get_user(q->objs[k], uobjs + k))
			return 0;
		q->nr_objs++;
		if (get_user(q->counts[k], ucounts + k))
			return 0;
		q->nr_counts++;
		for (uint32_t j = 0; j < q->counts[k]; j++, q->nr_props++) {
			int32_t __user *ptr;

			if (q->nr_props == DRM_ATOMIC_MAX_PROPS) {
				q->err = -ENOSPC;
				return 0;
			}
			if (get_user(q->props[q->nr_props], uprops + q->nr_props) ||
			    copy_from_user(&q->values[q->nr_props], uvalues + q->nr_props, 8))
				return 0;
			ptr = drm_atomic_req_fence_ptr(dev, q, q->nr_props);
			if (ptr && q->fault_prop == ~0u && !drm_atomic_fence_ptr_ok(ptr))
				q->fault_prop = q->nr_props;
		}
	}
	q->err = a->count_objs > n ? -ENOSPC : 0;
	return 0;
}

static void drm_atomic_req_free(struct drm_atomic_req *q)
{
	kfree(q->objs);
	kfree(q->counts);
	kfree(q->props);
	kfree(q->values);
}

/* Applies the copied-in request to s in Linux's order: an unknown object (or one
 * the requester's lease does not hold) or one without properties, or a property
 * the object lacks, is -ENOENT. Counts the
 * properties set in q->nr_set. */
static int drm_atomic_build(struct drm_device *dev, struct drm_atomic_req *q,
			    struct drm_atomic_state *s)
{
	uint32_t p = 0;
	unsigned i;
	int err;

	for (uint32_t k = 0; k < q->nr_objs; k++) {
		uint32_t type = drm_lease_object_find_locked(s->file, q->objs[k], &i);

		if (!type || !drm_object_props(type, &(unsigned){ 0 }))
			return -ENOENT;
		if (k == q->nr_counts)
			return q->err;
		for (uint32_t j = 0; j < q->counts[k]; j++, p++) {
			int prop;

			if (p == q->nr_props)
				return q->err;
			prop = drm_prop_of_id(dev, q->props[p]);
			if (prop < 0 || !drm_object_has_prop(dev, type, i, prop))
				return -ENOENT;
			if (p == q->fault_prop)
				return -EFAULT;
			if ((err = drm_atomic_set_prop(dev, s, type, i, prop, q->values[p])))
				return err;
			q->nr_set = p + 1;
		}
	}
	return q->err;
}

#define DRM_ATOMIC_FLAGS (DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_PAGE_FLIP_ASYNC | \
	DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_ATOMIC_ALLOW_MODESET)

/* The first output with a flip pending, or -1. */
static int drm_first_flip_busy(struct drm_device *dev)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++)
		if (drm_flip_busy(dev, i))
			return i;
	return -1;
}

/* Waits, dev->mutex dropped meanwhile, until no output has a flip pending: a
 * blocking commit stalls for the previous one (Linux waits for its flip_done).
 * The flip's completion wakes its output's vblank queue. Called and returns with
 * the mutex held. */
static void drm_atomic_stall(struct drm_device *dev)
{
	int i;

	while ((i = drm_first_flip_busy(dev)) >= 0) {
		drm_mutex_unlock(&dev->mutex);
		wait_event(&dev->vblank[i].wq, !drm_flip_busy(dev, i));
		drm_mutex_lock(&dev->mutex);
	}
}

/* What a commit signals on one output: its flip event, and its out-fence with the
 * sync_file and the reserved fd that will carry it (fd -1: none). */
struct drm_atomic_signal {
	struct drm_pending_event *ev;
	struct drm_fence *fence;
	struct file *file;
	int fd;
};

/* Makes output i's out-fence, its sync_file and reserves its fd (Linux's
 * setup_out_fence): -ENOMEM or -EMFILE. */
static int drm_atomic_prepare_fence(struct drm_device *dev, unsigned i,
				    struct drm_atomic_signal *sig)
{
	if (!(sig->fence = drm_fence_create(dev, i)))
		return -ENOMEM;
	if ((sig->fd = fd_reserve(task_files(current))) < 0)
		return sig->fd;
	sig->file = drm_syncfile_create(sig->fence);
	if (IS_ERR(sig->file)) {
		int err = PTR_ERR(sig->file);

		sig->file = NULL;
		return err;
	}
	return 0;
}

/* Linux's prepare_signaling: per output in the state, the PAGE_FLIP_EVENT event
 * (-ENOMEM when f's event space is used up) and, unless TEST_ONLY, the out-fence
 * (-ENOMEM, -EMFILE); then an event for a CRTC that is off before and after is
 * -EINVAL, as Linux's drm_atomic_crtc_check. */
static int drm_atomic_prepare_signaling(struct drm_file *f, const struct drm_mode_atomic *a,
					const struct drm_atomic_state *s,
					struct drm_atomic_signal *sig)
{
	struct drm_device *dev = f->dev;
	int err;

	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (!s->o[i].touched && !s->o[i].cursor_touched)
			continue;
		if ((a->flags & DRM_MODE_PAGE_FLIP_EVENT) &&
		    !(sig[i].ev = drm_event_reserve_flip(f, a->user_data)))
			return -ENOMEM;
		if (s->o[i].out_fence_ptr && !(a->flags & DRM_MODE_ATOMIC_TEST_ONLY) &&
		    (err = drm_atomic_prepare_fence(dev, i, &sig[i])))
			return err;
	}
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		bool was_on = drm_crtc_active_locked(dev, i);

		if (sig[i].ev && !was_on && !(s->o[i].active && s->o[i].mode_blob))
			return -EINVAL;
	}
	return 0;
}

/* Gives back what drm_atomic_prepare_signaling took, for a commit that did not
 * happen. */
static void drm_atomic_cancel_signaling(struct drm_device *dev, struct drm_atomic_signal *sig)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (sig[i].ev)
			drm_event_cancel(sig[i].ev);
		if (sig[i].file)
			file_put(sig[i].file);
		if (sig[i].fence)
			drm_fence_put(sig[i].fence);
		if (sig[i].fd >= 0)
			fd_unreserve(task_files(current), sig[i].fd);
		sig[i] = (struct drm_atomic_signal){ .fd = -1 };
	}
}

/* Checks the built state s and, unless TEST_ONLY, commits it; every touched output
 * that shows something (or has an event) then has a flip pending until its next
 * vblank, which sends its event and signals its out-fence, whose fd is installed.
 * A blocking commit returns after that vblank; a non-blocking one is -EBUSY while a
 * touched output's last flip is pending. */
static int drm_atomic_check_commit(struct drm_file *f, const struct drm_mode_atomic *a,
				   struct drm_atomic_state *s, struct drm_atomic_signal *sig)
{
	struct drm_device *dev = f->dev;
	int err;

	err = drm_atomic_prepare_signaling(f, a, s, sig);
	if (!err)
		err = drm_atomic_check(dev, s);
	for (unsigned i = 0; i < dev->nr_outputs && !err; i++)
		if ((s->o[i].touched || s->o[i].cursor_touched) &&
		    (a->flags & DRM_MODE_ATOMIC_NONBLOCK))
			err = drm_flip_busy(dev, i);
	if (err || (a->flags & DRM_MODE_ATOMIC_TEST_ONLY)) {
		drm_atomic_cancel_signaling(dev, sig);
		return err;
	}
	drm_atomic_wait_fences(dev, s);
	drm_atomic_commit(dev, s);
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (sig[i].ev || ((s->o[i].touched || s->o[i].cursor_touched) &&
				  drm_crtc_active_locked(dev, i)))
			drm_flip_arm(dev, i, sig[i].ev);
		if (!sig[i].fence)
			continue;
		fd_install_reserved(task_files(current), sig[i].fd, sig[i].file, true);
		drm_flip_add_fence(dev, i, sig[i].fence);	/* takes its reference */
	}
	if (!(a->flags & DRM_MODE_ATOMIC_NONBLOCK))
		drm_atomic_stall(dev);
	return 0;
}

/* After the request: -1 to every OUT_FENCE_PTR it set (Linux writes it when the
 * property is set), then the committed outputs' fence fds; 0 or -EFAULT. */
static int drm_atomic_put_fence_fds(struct drm_device *dev, const struct drm_atomic_req *q,
				    const struct drm_atomic_state *s,
				    const struct drm_atomic_signal *sig)
{
	int err = 0;

	for (uint32_t p = 0; p < q->nr_set; p++) {
		int32_t __user *ptr = drm_atomic_req_fence_ptr(dev, q, p);

		if (ptr && put_user((int32_t)-1, ptr))
			err = -EFAULT;
	}
	for (unsigned i = 0; i < dev->nr_outputs; i++)
		if (sig[i].fd >= 0 && put_user((int32_t)sig[i].fd, s->o[i].out_fence_ptr))
			err = -EFAULT;
	return err;
}

/* MODE_ATOMIC (Linux's drm_mode_atomic_ioctl): atomic clients only; TEST_ONLY only
 * checks; NONBLOCK commits at once without waiting for the vblank. */
int drm_ioctl_atomic(struct drm_file *f, void *data)
{
	struct drm_mode_atomic *a = data;
	struct drm_device *dev = f->dev;
	struct drm_atomic_signal sig[DRM_MAX_OUTPUTS];
	struct drm_atomic_state *s;
	struct drm_atomic_req q;
	int err, fence_err;

	if (!f->atomic || (a->flags & ~DRM_ATOMIC_FLAGS) || a->reserved ||
	    (a->flags & DRM_MODE_PAGE_FLIP_ASYNC))
		return -EINVAL;
	if ((a->flags & DRM_MODE_ATOMIC_TEST_ONLY) && (a->flags & DRM_MODE_PAGE_FLIP_EVENT))
		return -EINVAL;
	s = kzalloc(sizeof(*s));
	for (unsigned i = 0; i < DRM_MAX_OUTPUTS; i++)
		sig[i] = (struct drm_atomic_signal){ .fd = -1 };
	err = s ? drm_atomic_read(dev, a, &q) : -ENOMEM;
	if (err)
		goto out;
	drm_mutex_lock(&dev->mutex);
	if (!(a->flags & (DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_ATOMIC_TEST_ONLY)))
		drm_atomic_stall(dev);
	drm_atomic_state_init(dev, s);
	s->allow_modeset = a->flags & DRM_MODE_ATOMIC_ALLOW_MODESET;
	s->file = f;
	err = drm_atomic_build(dev, &q, s);
	if (!err)
		err = drm_atomic_check_commit(f, a, s, sig);
	drm_mutex_unlock(&dev->mutex);
	if ((fence_err = drm_atomic_put_fence_fds(dev, &q, s, sig)))
		err = fence_err;
out:
	if (s)
		drm_atomic_req_free(&q);
	drm_atomic_state_free(s);
	return err;
}
