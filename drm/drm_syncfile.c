/*
 * drm_syncfile.c — flip fences and the sync_file fds that carry them, as Linux's
 * dma-fence and sync_file (linux/sync_file.h): MODE_ATOMIC's OUT_FENCE_PTR gets a
 * sync_file of a fence signalled when the CRTC's flip completes, IN_FENCE_FD takes
 * one into the plane's state and the commit waits for it. Each CRTC is a fence timeline (a context, seqnos
 * from 1). A sync_file holds one fence per context; SYNC_IOC_MERGE keeps the
 * unsignalled fences of both, the later of two on the same timeline, and when none
 * is left the signalled "stub" fence (Linux's dma_fence_unwrap_merge); poll gives
 * POLLIN once all are signalled.
 *
 * A fence is reference counted (atomically): the vblank state holding it until the
 * flip completes and every sync_file holding it. Its lock guards signaled and
 * timestamp_ns and is taken with interrupts off (the vblank timer signals). A
 * sync_file's fences never change after it is made.
 */
#include "drm/drm_internal.h"
#include <asm-generic/fcntl.h>
#include <asm-generic/poll.h>
#include <linux/sync_file.h>

#define DRM_SYNCFILE_MAX 16		/* fences (timelines) one sync_file holds */

struct drm_fence {
	int refcount;				/* atomic */
	spinlock_t lock;			/* signaled, timestamp_ns; irqsave */
	bool signaled;
	uint64_t timestamp_ns;			/* monotonic, when signalled */
	uint64_t context, seqno;		/* fixed at creation */
	char driver_name[32], obj_name[32];	/* fixed at creation */
	struct wait_queue wq;			/* woken when signalled */
};

/* What a sync_file fd's private_data is; immutable once made. */
struct drm_syncfile {
	char user_name[32];			/* SYNC_IOC_MERGE's name, "" otherwise */
	unsigned nr;
	struct drm_fence *fences[DRM_SYNCFILE_MAX];	/* counted */
};

static const struct file_operations drm_syncfile_fops;
static uint64_t drm_fence_next_context = 1;	/* atomic */
/* Linux's dma_fence_get_stub: signalled, timestamped when first used; its one
 * reference of its own keeps it. */
static struct drm_fence drm_fence_stub = {
	.refcount = 1, .signaled = true, .driver_name = "stub", .obj_name = "stub",
};
static spinlock_t drm_fence_stub_lock = SPINLOCK_INIT("drm_fence_stub");

/* A new fence timeline number (one per CRTC), never 0. */
uint64_t drm_fence_context_alloc(void)
{
	return __atomic_fetch_add(&drm_fence_next_context, 1, __ATOMIC_RELAXED);
}

/* A new unsignalled fence of dev's output i (seqno after its last one), with one
 * reference; NULL without memory. dev->mutex held (the output's seqno). */
struct drm_fence *drm_fence_create(struct drm_device *dev, unsigned i)
{
	struct drm_fence *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refcount = 1;
	spin_init(&f->lock, "drm_fence");
	wait_queue_init(&f->wq);
	f->context = dev->vblank[i].fence_context;
	f->seqno = ++dev->vblank[i].fence_seqno;
	ksnprintf(f->driver_name, sizeof(f->driver_name), "%s", dev->driver->name);
	ksnprintf(f->obj_name, sizeof(f->obj_name), "CRTC:%u-crtc-%u",
		  dev->outputs[i].crtc_id, i);
	return f;
}

static void drm_fence_get(struct drm_fence *f)
{
	__atomic_fetch_add(&f->refcount, 1, __ATOMIC_RELAXED);
}

/* Drops a reference to f, freeing it at the last. Safe with interrupts off. */
void drm_fence_put(struct drm_fence *f)
{
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(f);
}

/* Signals f (once; later calls do nothing) and wakes its waiters. Safe from the
 * vblank timer. */
void drm_fence_signal(struct drm_fence *f)
{
	uint64_t flags = spin_lock_irqsave(&f->lock);

	if (!f->signaled) {
		f->signaled = true;
		f->timestamp_ns = clock_monotonic_ns();
	}
	spin_unlock_irqrestore(&f->lock, flags);
	wake_up(&f->wq);
}

static bool drm_fence_is_signaled(struct drm_fence *f, uint64_t *timestamp_ns)
{
	uint64_t flags = spin_lock_irqsave(&f->lock);
	bool done = f->signaled;

	if (timestamp_ns)
		*timestamp_ns = done ? f->timestamp_ns : 0;
	spin_unlock_irqrestore(&f->lock, flags);
	return done;
}

static bool drm_syncfile_signaled(const struct drm_syncfile *sf)
{
	for (unsigned k = 0; k < sf->nr; k++)
		if (!drm_fence_is_signaled(sf->fences[k], NULL))
			return false;
	return true;
}

/* Adds f to sf (a reference), keeping the later fence of a timeline already there. */
static void drm_syncfile_add(struct drm_syncfile *sf, struct drm_fence *f)
{
	for (unsigned k = 0; k < sf->nr; k++) {
		if (sf->fences[k]->context != f->context)
			continue;
		if (sf->fences[k]->seqno < f->seqno) {
			drm_fence_put(sf->fences[k]);
			drm_fence_get(f);
			sf->fences[k] = f;
		}
		return;
	}
	drm_fence_get(f);
	sf->fences[sf->nr++] = f;
}

/* Adds the unsignalled fences of from to sf (as many as it holds). */
static void drm_syncfile_add_pending(struct drm_syncfile *sf, const struct drm_syncfile *from)
{
	for (unsigned k = 0; k < from->nr && sf->nr < DRM_SYNCFILE_MAX; k++)
		if (!drm_fence_is_signaled(from->fences[k], NULL))
			drm_syncfile_add(sf, from->fences[k]);
}

/* The stub fence, timestamped at its first use (not counted: it is never freed). */
static struct drm_fence *drm_fence_get_stub(void)
{
	uint64_t flags = spin_lock_irqsave(&drm_fence_stub_lock);

	if (!drm_fence_stub.timestamp_ns) {
		spin_init(&drm_fence_stub.lock, "drm_fence");
		wait_queue_init(&drm_fence_stub.wq);
		drm_fence_stub.timestamp_ns = clock_monotonic_ns();
	}
	spin_unlock_irqrestore(&drm_fence_stub_lock, flags);
	return &drm_fence_stub;
}

/* A sync_file of sf (taking it over; freed on failure), or an ERR_PTR. */
static struct file *drm_syncfile_file(struct drm_syncfile *sf)
{
	struct file *file = file_alloc(&drm_syncfile_fops, sf, O_RDONLY);

	if (IS_ERR(file)) {
		for (unsigned k = 0; k < sf->nr; k++)
			drm_fence_put(sf->fences[k]);
		kfree(sf);
	}
	return file;
}

/* A new sync_file holding a reference to f (not yet in any fd table), or an
 * ERR_PTR. */
struct file *drm_syncfile_create(struct drm_fence *f)
{
	struct drm_syncfile *sf = kzalloc(sizeof(*sf));

	if (!sf)
		return ERR_PTR(-ENOMEM);
	drm_syncfile_add(sf, f);
	return drm_syncfile_file(sf);
}

/* The sync_file at fd with a file reference (file_put it), or NULL when fd is none
 * (IN_FENCE_FD's sync_file_get_fence). */
struct file *drm_syncfile_get(int fd)
{
	struct file *file = fd_get_file(fd);

	if (IS_ERR(file))
		return NULL;
	if (file->ops != &drm_syncfile_fops) {
		file_put(file);
		return NULL;
	}
	return file;
}

/* Waits until every fence of a sync_file (from drm_syncfile_get) is signalled. */
void drm_syncfile_wait(struct file *file)
{
	struct drm_syncfile *sf = file->private_data;

	for (unsigned k = 0; k < sf->nr; k++)
		wait_event(&sf->fences[k]->wq, drm_fence_is_signaled(sf->fences[k], NULL));
}

/* SYNC_IOC_MERGE: a new sync_file with the fences of both, named by the caller. */
static long drm_syncfile_merge(struct drm_syncfile *sf, void __user *arg)
{
	struct sync_merge_data data;
	struct drm_syncfile *sf2, *merged;
	struct file *file2, *file;
	int fd;

	if (copy_from_user(&data, arg, sizeof(data)))
		return -EFAULT;
	if (data.flags || data.pad)
		return -EINVAL;
	if (!(file2 = drm_syncfile_get(data.fd2)))
		return -ENOENT;
	sf2 = file2->private_data;
	if (!(merged = kzalloc(sizeof(*merged)))) {
		file_put(file2);
		return -ENOMEM;
	}
	memcpy(merged->user_name, data.name, sizeof(merged->user_name) - 1);
	drm_syncfile_add_pending(merged, sf);
	drm_syncfile_add_pending(merged, sf2);
	file_put(file2);
	if (!merged->nr)
		drm_syncfile_add(merged, drm_fence_get_stub());
	file = drm_syncfile_file(merged);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = fd_reserve(task_files(current));
	if (fd < 0) {
		file_put(file);
		return fd;
	}
	data.fence = fd;
	if (copy_to_user(arg, &data, sizeof(data))) {
		fd_unreserve(task_files(current), fd);
		file_put(file);
		return -EFAULT;
	}
	fd_install_reserved(task_files(current), fd, file, true);
	return 0;
}

/* The sync_file's name as Linux's sync_file_get_name. */
static void drm_syncfile_name(const struct drm_syncfile *sf, char *buf, size_t size)
{
	const struct drm_fence *f = sf->fences[0];

	if (sf->user_name[0] || sf->nr != 1)
		ksnprintf(buf, size, "%s", sf->user_name);
	else
		ksnprintf(buf, size, "%s-%s%llu-%llu", f->driver_name, f->obj_name,
			  (unsigned long long)f->context, (unsigned long long)f->seqno);
}

/* SYNC_IOC_FILE_INFO: the name and status, and each fence's when asked for. */
static long drm_syncfile_info(struct drm_syncfile *sf, void __user *arg)
{
	struct sync_file_info info;
	struct sync_fence_info fi;
	struct sync_fence_info __user *ufi;
	uint64_t ts;

	if (copy_from_user(&info, arg, sizeof(info)))
		return -EFAULT;
	if (info.flags || info.pad)
		return -EINVAL;
	if (info.num_fences) {
		if (info.num_fences < sf->nr)
			return -EINVAL;
		ufi = (struct sync_fence_info __user *)(uintptr_t)info.sync_fence_info;
		for (unsigned k = 0; k < sf->nr; k++) {
			memset(&fi, 0, sizeof(fi));
			memcpy(fi.obj_name, sf->fences[k]->obj_name, sizeof(fi.obj_name));
			memcpy(fi.driver_name, sf->fences[k]->driver_name, sizeof(fi.driver_name));
			fi.status = drm_fence_is_signaled(sf->fences[k], &ts);
			fi.timestamp_ns = ts;
			if (copy_to_user(ufi + k, &fi, sizeof(fi)))
				return -EFAULT;
		}
	}
	info.num_fences = sf->nr;
	memset(info.name, 0, sizeof(info.name));
	drm_syncfile_name(sf, info.name, sizeof(info.name));
	info.status = drm_syncfile_signaled(sf);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long drm_syncfile_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	switch (cmd) {
	case SYNC_IOC_MERGE:
		return drm_syncfile_merge(file->private_data, (void __user *)arg);
	case SYNC_IOC_FILE_INFO:
		return drm_syncfile_info(file->private_data, (void __user *)arg);
	}
	return -ENOTTY;
}

static unsigned drm_syncfile_poll(struct file *file, struct poll_table *pt)
{
	struct drm_syncfile *sf = file->private_data;

	for (unsigned k = 0; pt && k < sf->nr; k++)
		poll_wait(file, &sf->fences[k]->wq, pt);
	return drm_syncfile_signaled(sf) ? POLLIN : 0;
}

static void drm_syncfile_release(struct file *file)
{
	struct drm_syncfile *sf = file->private_data;

	for (unsigned k = 0; k < sf->nr; k++)
		drm_fence_put(sf->fences[k]);
	kfree(sf);
}

static const struct file_operations drm_syncfile_fops = {
	.anon_name = "sync_file",
	.release = drm_syncfile_release,
	.ioctl = drm_syncfile_ioctl,
	.poll = drm_syncfile_poll,
};
