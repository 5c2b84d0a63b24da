/*
 * drm_gem.c — buffer objects: per-file handle tables (lowest free handle from 1, as
 * Linux's idr), dumb buffers with Linux's size rules, and mmap through the fake
 * offset on the DRM fd. Everything here runs under dev->mutex.
 */
#include "drm/drm_internal.h"
#include "lib/log.h"

/* Takes a reference on obj. */
void drm_gem_get_locked(struct drm_gem_object *obj)
{
	BUG_ON(!drm_mutex_is_held(&obj->dev->mutex));
	obj->refcount++;
}

static void drm_gem_free_pages(uint64_t *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		page_put(pages[i]);
	kfree(pages);
}

/* Drops a reference; the last one frees the device resource and the pages (pages
 * still mapped by a process stay alive through their own page references). */
void drm_gem_put_locked(struct drm_gem_object *obj)
{
	struct drm_device *dev = obj->dev;

	BUG_ON(!drm_mutex_is_held(&dev->mutex));
	if (--obj->refcount)
		return;
	list_del(&obj->link);
	if (dev->driver->funcs->gem_free)
		dev->driver->funcs->gem_free(dev, obj);
	drm_gem_free_pages(obj->pages, obj->size / PAGE_SIZE);
	kfree(obj);
}

/* The object of handle h in fpriv (not counted), or NULL. */
struct drm_gem_object *drm_gem_lookup_locked(struct drm_file *fpriv, uint32_t handle)
{
	if (!handle || handle > fpriv->nr_handles)
		return NULL;
	return fpriv->handles[handle - 1];
}

/* Gives obj the lowest free handle of fpriv, taking a new reference; the handle or
 * -ENOMEM/-ENOSPC. */
long drm_gem_handle_create_locked(struct drm_file *fpriv, struct drm_gem_object *obj)
{
	struct drm_gem_object **grown;
	unsigned n = fpriv->nr_handles, i;

	for (i = 0; i < n && fpriv->handles[i]; i++)
		;
	if (i == n) {
		if (n >= DRM_MAX_HANDLES)
			return -ENOSPC;
		n = n ? n * 2 : 16;
		grown = kzalloc(n * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		if (fpriv->nr_handles)
			memcpy(grown, fpriv->handles, fpriv->nr_handles * sizeof(*grown));
		kfree(fpriv->handles);
		fpriv->handles = grown;
		fpriv->nr_handles = n;
	}
	fpriv->handles[i] = obj;
	obj->handle_count++;
	drm_gem_get_locked(obj);
	return i + 1;
}

static int drm_gem_handle_delete_locked(struct drm_file *fpriv, uint32_t handle)
{
	struct drm_gem_object *obj = drm_gem_lookup_locked(fpriv, handle);

	if (!obj)
		return -EINVAL;
	fpriv->handles[handle - 1] = NULL;
	drm_prime_remove_handle_locked(fpriv, handle);
	if (!--obj->handle_count)
		drm_prime_last_handle_locked(obj);
	drm_gem_put_locked(obj);
	return 0;
}

/* Drops every handle of a closing file. */
void drm_gem_release_locked(struct drm_file *fpriv)
{
	for (unsigned i = 0; i < fpriv->nr_handles; i++)
		if (fpriv->handles[i])
			drm_gem_handle_delete_locked(fpriv, i + 1);
}

/* GEM_CLOSE: -EINVAL for a handle this file does not have (Linux's drm_gem_close). */
int drm_ioctl_gem_close(struct drm_file *f, void *data)
{
	struct drm_gem_close *args = data;
	int err;

	drm_mutex_lock(&f->dev->mutex);
	err = drm_gem_handle_delete_locked(f, args->handle);
	drm_mutex_unlock(&f->dev->mutex);
	drm_prime_flush(f->dev);
	return err;
}

/* See drm.h. */
struct drm_gem_object *drm_gem_alloc(struct drm_device *dev, uint64_t size)
{
	size_t n;
	struct drm_gem_object *obj;

	size = ALIGN_UP(size, PAGE_SIZE);
	n = size / PAGE_SIZE;
	if (!n || n > pages_total())
		return NULL;
	obj = kzalloc(sizeof(*obj));
	if (!obj)
		return NULL;
	obj->pages = kzalloc(n * sizeof(uint64_t));
	if (!obj->pages)
		goto free_obj;
	for (size_t i = 0; i < n; i++) {
		obj->pages[i] = page_alloc();
		if (!obj->pages[i]) {
			drm_gem_free_pages(obj->pages, i);
			goto free_obj;
		}
	}
	obj->dev = dev;
	obj->size = size;
	obj->refcount = 1;
	list_init(&obj->link);
	return obj;
free_obj:
	kfree(obj);
	return NULL;
}

/* See drm.h. */
void drm_gem_discard(struct drm_gem_object *obj)
{
	drm_gem_free_pages(obj->pages, obj->size / PAGE_SIZE);
	kfree(obj);
}

/* Gives obj its fake mmap offset range and puts it on dev->objects. */
static void drm_gem_add_locked(struct drm_device *dev, struct drm_gem_object *obj)
{
	obj->mmap_offset = dev->next_offset;
	dev->next_offset += obj->size;
	list_add_tail(&obj->link, &dev->objects);
}

/* See drm.h. */
long drm_gem_publish_locked(struct drm_file *f, struct drm_gem_object *obj)
{
	struct drm_device *dev = f->dev;
	long handle;

	BUG_ON(!drm_mutex_is_held(&dev->mutex));
	drm_gem_add_locked(dev, obj);
	handle = drm_gem_handle_create_locked(f, obj);
	drm_gem_put_locked(obj);	/* the handle holds it now, or nothing does */
	return handle;
}

/* See drm_internal.h. */
struct drm_gem_object *drm_gem_create_kernel_locked(struct drm_device *dev, uint32_t width,
						    uint32_t height)
{
	uint64_t size = ALIGN_UP((uint64_t)width * 4 * height, PAGE_SIZE);
	size_t n = size / PAGE_SIZE;
	struct drm_gem_object *obj = kzalloc(sizeof(*obj));
	uint64_t phys = 0;

	if (!obj)
		return NULL;
	obj->pages = kzalloc(n * sizeof(uint64_t));
	if (!obj->pages || !(phys = pages_alloc_contiguous(n)))
		goto free_obj;
	for (size_t i = 0; i < n; i++)
		obj->pages[i] = phys + i * PAGE_SIZE;
	obj->dev = dev;
	obj->size = size;
	obj->width = width;
	obj->height = height;
	obj->pitch = width * 4;
	obj->bpp = 32;
	obj->dumb = true;	/* as Linux's fbdev, whose buffer is a dumb buffer */
	if (dev->driver->funcs->gem_create && dev->driver->funcs->gem_create(dev, obj))
		goto free_pages;
	obj->refcount = 1;
	/* mapped like a dumb buffer: GETFB gives root a handle of the console's
	 * framebuffer, which MAP_DUMB and mmap then read (Linux's fbdev buffer is one) */
	drm_gem_add_locked(dev, obj);
	return obj;
free_pages:
	pages_free_contiguous(phys, n);
free_obj:
	kfree(obj->pages);
	kfree(obj);
	return NULL;
}

/*
 * CREATE_DUMB: Linux's drm_mode_create_dumb checks (non-zero sizes, no 32-bit
 * overflow of pitch and size), pitch = width * bytes per pixel, size rounded up to
 * pages; the driver may refuse a depth (virtio-gpu takes only 32 bpp).
 */
int drm_ioctl_create_dumb(struct drm_file *f, void *data)
{
	struct drm_mode_create_dumb *args = data;
	struct drm_device *dev = f->dev;
	struct drm_gem_object *obj;
	uint32_t cpp, stride;
	uint64_t size;
	long handle;
	int err;

	if (!args->width || !args->height || !args->bpp)
		return -EINVAL;
	if (args->bpp > UINT32_MAX - 8)
		return -EINVAL;
	cpp = DIV_ROUND_UP(args->bpp, 8);
	if (cpp > UINT32_MAX / args->width)
		return -EINVAL;
	stride = cpp * args->width;
	if (args->height > UINT32_MAX / stride)
		return -EINVAL;
	size = ALIGN_UP((uint64_t)args->height * stride, PAGE_SIZE);
	if (size > UINT32_MAX)	/* PAGE_ALIGN of a 32-bit size wrapped to 0 */
		return -EINVAL;
	args->handle = args->pitch = 0;
	args->size = 0;
	obj = drm_gem_alloc(dev, size);
	if (!obj)
		return -ENOMEM;
	obj->width = args->width;
	obj->height = args->height;
	obj->pitch = stride;
	obj->bpp = args->bpp;
	obj->dumb = true;
	drm_mutex_lock(&dev->mutex);
	err = dev->driver->funcs->gem_create ? dev->driver->funcs->gem_create(dev, obj) : 0;
	if (err) {
		drm_mutex_unlock(&dev->mutex);
		drm_gem_discard(obj);
		return err;
	}
	handle = drm_gem_publish_locked(f, obj);
	drm_mutex_unlock(&dev->mutex);
	if (handle < 0)
		return handle;
	args->handle = handle;
	args->pitch = stride;
	args->size = size;
	return 0;
}

/* MAP_DUMB: the fake offset of a handle's object; -ENOENT for a bad handle. */
int drm_ioctl_map_dumb(struct drm_file *f, void *data)
{
	struct drm_mode_map_dumb *args = data;
	struct drm_gem_object *obj;

	drm_mutex_lock(&f->dev->mutex);
	obj = drm_gem_lookup_locked(f, args->handle);
	if (obj)
		args->offset = obj->mmap_offset;
	drm_mutex_unlock(&f->dev->mutex);
	return obj ? 0 : -ENOENT;
}

/* DESTROY_DUMB is GEM_CLOSE. */
int drm_ioctl_destroy_dumb(struct drm_file *f, void *data)
{
	struct drm_mode_destroy_dumb *args = data;
	struct drm_gem_close close = { .handle = args->handle };

	return drm_ioctl_gem_close(f, &close);
}

/* The object whose fake range holds offset, or NULL. */
static struct drm_gem_object *drm_gem_find_offset_locked(struct drm_device *dev,
							 uint64_t offset)
{
	struct drm_gem_object *obj;

	list_for_each_entry(obj, &dev->objects, link)
		if (offset >= obj->mmap_offset && offset - obj->mmap_offset < obj->size)
			return obj;
	return NULL;
}

static bool drm_file_has_object_locked(struct drm_file *f, struct drm_gem_object *obj)
{
	for (unsigned i = 0; i < f->nr_handles; i++)
		if (f->handles[i] == obj)
			return true;
	return false;
}

/* file_operations.mmap: the range must start an object's fake range and fit in it
 * (-EINVAL, as drm_gem_mmap), the file must hold a handle to it (-EACCES), and the
 * mapping must be shared (a private copy of device memory makes no sense here). */
int drm_gem_mmap(struct file *file, uint64_t offset, uint64_t len, uint32_t *vm_flags)
{
	struct drm_file *f = drm_file_of(file);
	struct drm_gem_object *obj;
	int err = 0;

	drm_mutex_lock(&f->dev->mutex);
	obj = drm_gem_find_offset_locked(f->dev, offset);
	if (!obj || obj->mmap_offset != offset || len > obj->size)
		err = -EINVAL;
	else if (!drm_file_has_object_locked(f, obj))
		err = -EACCES;
	else if (!(*vm_flags & VM_SHARED))
		err = -EINVAL;
	drm_mutex_unlock(&f->dev->mutex);
	return err;
}

/* file_operations.fault_page: a counted reference to the object's page. */
int drm_gem_fault_page(struct file *file, uint64_t offset, uint64_t *page)
{
	struct drm_file *f = drm_file_of(file);
	struct drm_gem_object *obj;

	drm_mutex_lock(&f->dev->mutex);
	obj = drm_gem_find_offset_locked(f->dev, offset);
	if (obj) {
		*page = obj->pages[(offset - obj->mmap_offset) / PAGE_SIZE];
		page_get(*page);
	}
	drm_mutex_unlock(&f->dev->mutex);
	return obj ? 0 : -EFAULT;
}
