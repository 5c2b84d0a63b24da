/*
 * drm_prime.c — sharing buffer objects: PRIME (a buffer exported as a dma-buf file,
 * which any process holding the fd can mmap or import into its own DRM file) and
 * GEM_FLINK/GEM_OPEN global names, with Linux's rules:
 *  - an object has at most one dma-buf at a time; the object caches it (holding a
 *    file reference, Linux's obj->dma_buf) while some file has a handle to it, so
 *    exporting again gives the same dma-buf (same open file description, same
 *    access mode);
 *  - each DRM file remembers which of its handles were exported or imported
 *    (drm_prime_entry), so importing a dma-buf into a file that exported or imported
 *    it gives that same handle;
 *  - the dma-buf holds a reference on the object: it outlives GEM_CLOSE,
 *    DESTROY_DUMB and the close of every DRM file.
 * Everything under dev->mutex except the dma-buf's name (its own lock) and its page
 * faults (the object's pages never change while the dma-buf holds it).
 */
#include "drm/drm_internal.h"
#include <asm-generic/fcntl.h>
#include <asm-generic/poll.h>
#include <linux/dma-buf.h>
#include <linux/fs.h>

/* A dma-buf: file->private_data of a file with drm_dmabuf_fops. */
struct drm_dmabuf {
	struct drm_gem_object *obj;	/* holds a reference, dropped at release */
	struct file *file;		/* not counted: the file is what owns this */
	struct list_head put_link;	/* in dev->prime_put while the object's cache
					 * reference awaits its file_put; else empty */
	spinlock_t name_lock;
	char name[DMA_BUF_NAME_LEN];	/* DMA_BUF_SET_NAME; under name_lock */
};

/* One handle of a file that PRIME exported or imported: in drm_file.prime. The
 * entry needs no reference of its own: while the handle lives, its object caches
 * this dma-buf. */
struct drm_prime_entry {
	uint32_t handle;
	struct drm_dmabuf *db;
	struct list_head link;
};

static const struct file_operations drm_dmabuf_fops;

/* Forgets fpriv's PRIME record of a handle being deleted. */
void drm_prime_remove_handle_locked(struct drm_file *fpriv, uint32_t handle)
{
	struct drm_prime_entry *e;

	list_for_each_entry(e, &fpriv->prime, link)
		if (e->handle == handle) {
			list_del(&e->link);
			kfree(e);
			return;
		}
}

/* The object's last handle is gone: no name, no cached dma-buf (its reference is
 * queued: the dma-buf's release would take dev->mutex). */
void drm_prime_last_handle_locked(struct drm_gem_object *obj)
{
	obj->name = 0;
	if (obj->dmabuf) {
		list_add_tail(&obj->dmabuf->put_link, &obj->dev->prime_put);
		obj->dmabuf = NULL;
	}
}

/* Drops the queued cache references, outside dev->mutex. */
void drm_prime_flush(struct drm_device *dev)
{
	struct drm_dmabuf *db;

	for (;;) {
		drm_mutex_lock(&dev->mutex);
		db = list_empty(&dev->prime_put) ? NULL :
		     list_first_entry(&dev->prime_put, struct drm_dmabuf, put_link);
		if (db) {
			list_del(&db->put_link);
			list_init(&db->put_link);
		}
		drm_mutex_unlock(&dev->mutex);
		if (!db)
			return;
		file_put(db->file);
	}
}

/* Makes db the object's cached dma-buf, with a file reference: the one still queued
 * for dropping when there is one, else a new one (the caller holds the file). */
static void drm_prime_cache_locked(struct drm_gem_object *obj, struct drm_dmabuf *db)
{
	if (!list_empty(&db->put_link)) {
		list_del(&db->put_link);
		list_init(&db->put_link);
	} else
		file_get(db->file);
	obj->dmabuf = db;
}

static struct drm_dmabuf *drm_prime_lookup_handle_locked(struct drm_file *f, uint32_t handle)
{
	struct drm_prime_entry *e;

	list_for_each_entry(e, &f->prime, link)
		if (e->handle == handle)
			return e->db;
	return NULL;
}

static long drm_prime_lookup_buf_locked(struct drm_file *f, struct drm_dmabuf *db)
{
	struct drm_prime_entry *e;

	list_for_each_entry(e, &f->prime, link)
		if (e->db == db)
			return e->handle;
	return 0;
}

/* A new dma-buf file of obj (taking an object reference) opened with the access
 * mode of flags; the file's one reference becomes the object's cache reference. */
static struct drm_dmabuf *drm_prime_export_locked(struct drm_gem_object *obj, unsigned flags)
{
	struct drm_dmabuf *db = kzalloc(sizeof(*db));
	struct file *file;

	if (!db)
		return ERR_PTR(-ENOMEM);
	file = file_alloc(&drm_dmabuf_fops, db, flags & O_ACCMODE);
	if (IS_ERR(file)) {
		kfree(db);
		return ERR_PTR(PTR_ERR(file));
	}
	db->obj = obj;
	db->file = file;
	list_init(&db->put_link);
	spin_init(&db->name_lock, "dmabuf_name");
	drm_gem_get_locked(obj);
	obj->dmabuf = db;
	return db;
}

/*
 * PRIME_HANDLE_TO_FD: a new fd (close-on-exec with DRM_CLOEXEC) for the handle's
 * dma-buf, exported on first use with the access mode DRM_RDWR asks for. Linux's
 * errors: -EINVAL for other flags, -ENOENT for a handle the file does not have.
 */
int drm_ioctl_prime_handle_to_fd(struct drm_file *f, void *data)
{
	struct drm_prime_handle *args = data;
	struct drm_prime_entry *e;
	struct drm_gem_object *obj;
	struct file *file = NULL;
	struct drm_dmabuf *db;
	int fd, err = 0;

	if (args->flags & ~(DRM_CLOEXEC | DRM_RDWR))
		return -EINVAL;
	if (!(e = kzalloc(sizeof(*e))))
		return -ENOMEM;
	drm_mutex_lock(&f->dev->mutex);
	obj = drm_gem_lookup_locked(f, args->handle);
	if (!obj) {
		err = -ENOENT;
		goto unlock;
	}
	db = drm_prime_lookup_handle_locked(f, args->handle);
	if (!db) {
		db = obj->dmabuf ? obj->dmabuf : drm_prime_export_locked(obj, args->flags);
		if (IS_ERR(db)) {
			err = PTR_ERR(db);
			goto unlock;
		}
		e->handle = args->handle;
		e->db = db;
		list_add_tail(&e->link, &f->prime);
		e = NULL;
	}
	file = db->file;
	file_get(file);
unlock:
	drm_mutex_unlock(&f->dev->mutex);
	kfree(e);
	if (err)
		return err;
	fd = fd_install(task_files(current), file, args->flags & DRM_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		file_put(file);
		return fd;
	}
	args->fd = fd;
	return 0;
}

/*
 * PRIME_FD_TO_HANDLE: the handle of a dma-buf's object in this file: the one the
 * file already exported or imported it as, else a new one. -EBADF for a closed fd,
 * -EINVAL for a file that is no dma-buf, -ENODEV for another device's buffer (the
 * virtio-gpu driver imports no foreign memory, as Linux's without blob resources).
 */
int drm_ioctl_prime_fd_to_handle(struct drm_file *f, void *data)
{
	struct drm_prime_handle *args = data;
	struct drm_prime_entry *e;
	struct drm_dmabuf *db;
	struct file *file = fd_get_file(args->fd);
	long handle;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file->ops != &drm_dmabuf_fops) {
		file_put(file);
		return -EINVAL;
	}
	db = file->private_data;
	if (db->obj->dev != f->dev) {
		file_put(file);
		return -ENODEV;
	}
	if (!(e = kzalloc(sizeof(*e)))) {
		file_put(file);
		return -ENOMEM;
	}
	drm_mutex_lock(&f->dev->mutex);
	handle = drm_prime_lookup_buf_locked(f, db);
	if (!handle) {
		handle = drm_gem_handle_create_locked(f, db->obj);
		if (handle > 0) {
			if (!db->obj->dmabuf)
				drm_prime_cache_locked(db->obj, db);
			e->handle = handle;
			e->db = db;
			list_add_tail(&e->link, &f->prime);
			e = NULL;
		}
	}
	drm_mutex_unlock(&f->dev->mutex);
	kfree(e);
	file_put(file);
	if (handle < 0)
		return handle;
	args->handle = handle;
	return 0;
}

static struct drm_gem_object *drm_gem_find_name_locked(struct drm_device *dev, uint32_t name)
{
	struct drm_gem_object *obj;

	list_for_each_entry(obj, &dev->objects, link)
		if (name && obj->name == name)
			return obj;
	return NULL;
}

/* GEM_FLINK: the object's global name, the lowest free one given on first use (as
 * Linux's idr); -ENOENT for a bad handle. */
int drm_ioctl_gem_flink(struct drm_file *f, void *data)
{
	struct drm_gem_flink *args = data;
	struct drm_gem_object *obj;
	uint32_t name = 1;

	drm_mutex_lock(&f->dev->mutex);
	obj = drm_gem_lookup_locked(f, args->handle);
	if (obj && !obj->name) {
		while (drm_gem_find_name_locked(f->dev, name))
			name++;
		obj->name = name;
	}
	if (obj)
		args->name = obj->name;
	drm_mutex_unlock(&f->dev->mutex);
	return obj ? 0 : -ENOENT;
}

/* GEM_OPEN: a new handle (even in a file that has one) to the named object, and its
 * size; -ENOENT for a name nobody holds. */
int drm_ioctl_gem_open(struct drm_file *f, void *data)
{
	struct drm_gem_open *args = data;
	struct drm_gem_object *obj;
	long handle = -ENOENT;

	drm_mutex_lock(&f->dev->mutex);
	obj = drm_gem_find_name_locked(f->dev, args->name);
	if (obj)
		handle = drm_gem_handle_create_locked(f, obj);
	if (handle > 0) {
		args->handle = handle;
		args->size = obj->size;
	}
	drm_mutex_unlock(&f->dev->mutex);
	return handle < 0 ? handle : 0;
}

/* ---- the dma-buf file ---- */

static struct drm_dmabuf *dmabuf_of(struct file *file)
{
	return file->private_data;
}

/* The last fd is gone: the object loses the dma-buf's reference. */
static void dmabuf_release(struct file *file)
{
	struct drm_dmabuf *db = dmabuf_of(file);
	struct drm_device *dev = db->obj->dev;

	drm_mutex_lock(&dev->mutex);
	drm_gem_put_locked(db->obj);
	drm_mutex_unlock(&dev->mutex);
	kfree(db);
}

/* Linux's dma_buf_llseek: only 0 from the end (the size) or from the start. */
static off_t dmabuf_llseek(struct file *file, off_t offset, int whence)
{
	if (offset || (whence != SEEK_SET && whence != SEEK_END))
		return -EINVAL;
	return whence == SEEK_END ? (off_t)dmabuf_of(file)->obj->size : 0;
}

/* No fences here: always ready for the CPU to read and write. */
static unsigned dmabuf_poll(struct file *file, struct poll_table *pt)
{
	return POLLIN | POLLOUT;
}

/* DMA_BUF_IOCTL_SYNC with Linux's flag checks (the CPU sees the buffer coherently,
 * so there is nothing to do) and DMA_BUF_SET_NAME (at most 31 bytes). */
static long dmabuf_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct drm_dmabuf *db = dmabuf_of(file);
	char name[DMA_BUF_NAME_LEN];
	struct dma_buf_sync sync;
	uint64_t flags;
	long len;

	switch (cmd) {
	case DMA_BUF_IOCTL_SYNC:
		if (copy_from_user(&sync, (const void __user *)arg, sizeof(sync)))
			return -EFAULT;
		if (sync.flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK || !(sync.flags & DMA_BUF_SYNC_RW))
			return -EINVAL;
		return 0;
	case DMA_BUF_SET_NAME_A:
	case DMA_BUF_SET_NAME_B:
		len = strncpy_from_user(name, (const char __user *)arg, sizeof(name));
		if (len == -ENAMETOOLONG)
			return -EINVAL;
		if (len < 0)
			return len;
		flags = spin_lock_irqsave(&db->name_lock);
		memcpy(db->name, name, len + 1);
		spin_unlock_irqrestore(&db->name_lock, flags);
		return 0;
	}
	return -ENOTTY;
}

/* Shared mappings of [offset, offset+len) within the buffer (Linux refuses what
 * passes the end with -EINVAL; a private copy of device memory is refused too). */
static int dmabuf_mmap(struct file *file, uint64_t offset, uint64_t len, uint32_t *vm_flags)
{
	uint64_t size = dmabuf_of(file)->obj->size;

	if (offset > size || len > size - offset || !(*vm_flags & VM_SHARED))
		return -EINVAL;
	return 0;
}

/* A counted reference to the buffer's page at offset. */
static int dmabuf_fault_page(struct file *file, uint64_t offset, uint64_t *page)
{
	struct drm_gem_object *obj = dmabuf_of(file)->obj;

	if (offset >= obj->size)
		return -EFAULT;
	*page = obj->pages[offset / PAGE_SIZE];
	page_get(*page);
	return 0;
}

/* /proc/PID/fd names it "/dmabuf:NAME" as Linux's dmabuffs_dname. */
static int dmabuf_dname(struct file *file, char *buf, size_t size)
{
	struct drm_dmabuf *db = dmabuf_of(file);
	uint64_t flags = spin_lock_irqsave(&db->name_lock);
	int len = ksnprintf(buf, size, "/dmabuf:%s", db->name);

	spin_unlock_irqrestore(&db->name_lock, flags);
	return len;
}

static const struct file_operations drm_dmabuf_fops = {
	.anon_name = "dmabuf",
	.dname = dmabuf_dname,
	.release = dmabuf_release,
	.llseek = dmabuf_llseek,
	.poll = dmabuf_poll,
	.ioctl = dmabuf_ioctl,
	.mmap = dmabuf_mmap,
	.fault_page = dmabuf_fault_page,
};
