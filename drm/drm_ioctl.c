/*
 * drm_ioctl.c — the DRM ioctl table and dispatch (argument copy-in/out sized as
 * Linux's drm_ioctl does, permission flags as drm_ioctl_permit checks them), and the
 * small core ioctls: VERSION, GET_CAP, SET_CLIENT_CAP and GET_UNIQUE (the master
 * and magic ones are drm_auth.c's, the lease ioctls drm_lease.c's).
 */
#include "drm/drm_internal.h"
#include "lib/log.h"
#include <asm-generic/ioctl.h>

/* Permission flags of an ioctl, as Linux's drm_ioctl_flags. */
enum {
	DRM_AUTH = 1,
	DRM_MASTER = 2,
	DRM_RENDER_ALLOW = 4,
};

struct drm_ioctl_desc {
	unsigned cmd;
	unsigned flags;
	int (*func)(struct drm_file *f, void *data);
};

/* Copies a string to a user buffer of *len bytes and sets *len to its full length,
 * as Linux's drm_copy_field. */
static int drm_copy_field(char __user *buf, __kernel_size_t *len, const char *value)
{
	size_t n = strlen(value), copy = MIN((size_t)*len, n);

	*len = n;
	return copy && buf && copy_to_user(buf, value, copy) ? -EFAULT : 0;
}

static int drm_ioctl_version(struct drm_file *f, void *data)
{
	struct drm_version *v = data;
	const struct drm_driver *drv = f->dev->driver;
	int err;

	v->version_major = drv->major;
	v->version_minor = drv->minor;
	v->version_patchlevel = drv->patchlevel;
	err = drm_copy_field(v->name, &v->name_len, drv->name);
	if (!err)
		err = drm_copy_field(v->date, &v->date_len, drv->date);
	if (!err)
		err = drm_copy_field(v->desc, &v->desc_len, drv->desc);
	return err;
}

/* GET_CAP as Linux's drm_getcap answers for an atomic KMS driver with dumb buffers,
 * PRIME import and export, the driver's cursor size (else 64) and no syncobj
 * support yet. */
static int drm_ioctl_get_cap(struct drm_file *f, void *data)
{
	struct drm_get_cap *req = data;

	req->value = 0;
	switch (req->capability) {
	case DRM_CAP_TIMESTAMP_MONOTONIC:
	case DRM_CAP_DUMB_BUFFER:
	case DRM_CAP_VBLANK_HIGH_CRTC:
	case DRM_CAP_CRTC_IN_VBLANK_EVENT:
		req->value = 1;
		return 0;
	case DRM_CAP_DUMB_PREFERRED_DEPTH:
		req->value = f->dev->driver->preferred_depth;
		return 0;
	case DRM_CAP_ADDFB2_MODIFIERS:
		req->value = f->dev->driver->modifiers;
		return 0;
	case DRM_CAP_PRIME:
		req->value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
		return 0;
	case DRM_CAP_SYNCOBJ:
	case DRM_CAP_SYNCOBJ_TIMELINE:
	case DRM_CAP_DUMB_PREFER_SHADOW:
	case DRM_CAP_ASYNC_PAGE_FLIP:
	case DRM_CAP_PAGE_FLIP_TARGET:
		return 0;
	case DRM_CAP_CURSOR_WIDTH:
		req->value = f->dev->driver->cursor_width ? f->dev->driver->cursor_width : 64;
		return 0;
	case DRM_CAP_CURSOR_HEIGHT:
		req->value = f->dev->driver->cursor_height ? f->dev->driver->cursor_height : 64;
		return 0;
	}
	return -EINVAL;
}

/* SET_CLIENT_CAP with Linux's checks (drm_setclientcap). */
static int drm_ioctl_set_client_cap(struct drm_file *f, void *data)
{
	struct drm_set_client_cap *req = data;

	if (req->value > 1 && req->capability != DRM_CLIENT_CAP_ATOMIC)
		return -EINVAL;
	switch (req->capability) {
	case DRM_CLIENT_CAP_STEREO_3D:
		f->stereo = req->value;
		return 0;
	case DRM_CLIENT_CAP_UNIVERSAL_PLANES:
		f->universal_planes = req->value;
		return 0;
	case DRM_CLIENT_CAP_ATOMIC:
		if (req->value > 2)
			return -EINVAL;
		/* Linux sets all three to the value: ATOMIC 0 turns universal planes off */
		f->atomic = req->value;
		f->universal_planes = req->value;
		f->aspect_ratio = req->value;
		return 0;
	case DRM_CLIENT_CAP_ASPECT_RATIO:
		f->aspect_ratio = req->value;
		return 0;
	case DRM_CLIENT_CAP_WRITEBACK_CONNECTORS:
		if (!f->atomic)
			return -EINVAL;
		f->writeback = req->value;
		return 0;
	}
	return -EINVAL;
}

/* The bus id is set by SET_VERSION (not supported yet); until then Linux's master
 * has none and GET_UNIQUE reports an empty string. */
static int drm_ioctl_get_unique(struct drm_file *f, void *data)
{
	struct drm_unique *u = data;

	u->unique_len = 0;
	return 0;
}

#define DRM_IOCTL_DEF(ioctl, fn, fl) [_IOC_NR(DRM_IOCTL_##ioctl)] = \
	{ .cmd = DRM_IOCTL_##ioctl, .flags = (fl), .func = (fn) }

static const struct drm_ioctl_desc drm_ioctls[] = {
	DRM_IOCTL_DEF(VERSION, drm_ioctl_version, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF(GET_UNIQUE, drm_ioctl_get_unique, 0),
	DRM_IOCTL_DEF(GET_MAGIC, drm_ioctl_get_magic, 0),
	DRM_IOCTL_DEF(GET_CAP, drm_ioctl_get_cap, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF(SET_CLIENT_CAP, drm_ioctl_set_client_cap, 0),
	DRM_IOCTL_DEF(AUTH_MAGIC, drm_ioctl_auth_magic, DRM_MASTER),
	DRM_IOCTL_DEF(SET_MASTER, drm_ioctl_set_master, 0),
	DRM_IOCTL_DEF(DROP_MASTER, drm_ioctl_drop_master, 0),
	DRM_IOCTL_DEF(GEM_CLOSE, drm_ioctl_gem_close, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF(GEM_FLINK, drm_ioctl_gem_flink, DRM_AUTH),
	DRM_IOCTL_DEF(GEM_OPEN, drm_ioctl_gem_open, DRM_AUTH),
	DRM_IOCTL_DEF(PRIME_HANDLE_TO_FD, drm_ioctl_prime_handle_to_fd, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF(PRIME_FD_TO_HANDLE, drm_ioctl_prime_fd_to_handle, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF(MODE_GETRESOURCES, drm_ioctl_getresources, 0),
	DRM_IOCTL_DEF(MODE_GETCRTC, drm_ioctl_getcrtc, 0),
	DRM_IOCTL_DEF(MODE_SETCRTC, drm_ioctl_setcrtc, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_GETENCODER, drm_ioctl_getencoder, 0),
	DRM_IOCTL_DEF(MODE_GETCONNECTOR, drm_ioctl_getconnector, 0),
	DRM_IOCTL_DEF(MODE_ADDFB, drm_ioctl_addfb, 0),
	DRM_IOCTL_DEF(MODE_ADDFB2, drm_ioctl_addfb2, 0),
	DRM_IOCTL_DEF(MODE_RMFB, drm_ioctl_rmfb, 0),
	DRM_IOCTL_DEF(MODE_DIRTYFB, drm_ioctl_dirtyfb, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_GETFB, drm_ioctl_getfb, 0),
	DRM_IOCTL_DEF(MODE_GETFB2, drm_ioctl_getfb2, 0),
	DRM_IOCTL_DEF(MODE_GETGAMMA, drm_ioctl_getgamma, 0),
	DRM_IOCTL_DEF(MODE_SETGAMMA, drm_ioctl_setgamma, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_CREATE_DUMB, drm_ioctl_create_dumb, 0),
	DRM_IOCTL_DEF(MODE_MAP_DUMB, drm_ioctl_map_dumb, 0),
	DRM_IOCTL_DEF(MODE_DESTROY_DUMB, drm_ioctl_destroy_dumb, 0),
	DRM_IOCTL_DEF(MODE_GETPLANERESOURCES, drm_ioctl_getplaneresources, 0),
	DRM_IOCTL_DEF(MODE_GETPLANE, drm_ioctl_getplane, 0),
	DRM_IOCTL_DEF(WAIT_VBLANK, drm_ioctl_wait_vblank, 0),
	DRM_IOCTL_DEF(MODE_PAGE_FLIP, drm_ioctl_page_flip, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_CURSOR, drm_ioctl_cursor, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_CURSOR2, drm_ioctl_cursor2, DRM_MASTER),
	DRM_IOCTL_DEF(CRTC_GET_SEQUENCE, drm_ioctl_crtc_get_sequence, 0),
	DRM_IOCTL_DEF(CRTC_QUEUE_SEQUENCE, drm_ioctl_crtc_queue_sequence, 0),
	DRM_IOCTL_DEF(MODE_GETPROPERTY, drm_ioctl_getproperty, 0),
	DRM_IOCTL_DEF(MODE_GETPROPBLOB, drm_ioctl_getpropblob, 0),
	DRM_IOCTL_DEF(MODE_OBJ_GETPROPERTIES, drm_ioctl_obj_getproperties, 0),
	DRM_IOCTL_DEF(MODE_CREATEPROPBLOB, drm_ioctl_createpropblob, 0),
	DRM_IOCTL_DEF(MODE_DESTROYPROPBLOB, drm_ioctl_destroypropblob, 0),
	DRM_IOCTL_DEF(MODE_SETPROPERTY, drm_ioctl_setproperty, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_OBJ_SETPROPERTY, drm_ioctl_obj_setproperty, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_ATOMIC, drm_ioctl_atomic, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_CREATE_LEASE, drm_ioctl_create_lease, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_LIST_LESSEES, drm_ioctl_list_lessees, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_GET_LEASE, drm_ioctl_get_lease, DRM_MASTER),
	DRM_IOCTL_DEF(MODE_REVOKE_LEASE, drm_ioctl_revoke_lease, DRM_MASTER),
};

/* Whether f is the current master (see drm_is_master_locked). */
static bool drm_is_master(struct drm_file *f)
{
	bool master;

	drm_mutex_lock(&f->dev->mutex);
	master = drm_is_master_locked(f);
	drm_mutex_unlock(&f->dev->mutex);
	return master;
}

/* Linux's drm_ioctl_permit. */
static int drm_ioctl_permit(unsigned flags, struct drm_file *f)
{
	if ((flags & DRM_AUTH) && !f->render && !f->authenticated)
		return -EACCES;
	if ((flags & DRM_MASTER) && !drm_is_master(f))
		return -EACCES;
	if (!(flags & DRM_RENDER_ALLOW) && f->render)
		return -EACCES;
	return 0;
}

/* The driver's ioctl numbered nr (DRM_COMMAND_BASE and up), or NULL. */
static const struct drm_driver_ioctl *drm_driver_ioctl(struct drm_device *dev, unsigned nr)
{
	const struct drm_driver_funcs *funcs = dev->driver->funcs;

	if (nr < DRM_COMMAND_BASE || nr >= DRM_COMMAND_END)
		return NULL;
	nr -= DRM_COMMAND_BASE;
	if (nr >= funcs->nr_ioctls || !funcs->ioctls[nr].func)
		return NULL;
	return &funcs->ioctls[nr];
}

/* Calls the core's handler d or the driver's dd on the copied-in argument. */
static int drm_ioctl_call(struct drm_file *f, const struct drm_ioctl_desc *d,
			  const struct drm_driver_ioctl *dd, void *kdata)
{
	int ret;

	if (d) {
		ret = drm_ioctl_permit(d->flags, f);
		return ret ? ret : d->func(f, kdata);
	}
	drm_mutex_lock(&f->dev->mutex);
	ret = dd->func(f->dev, f, kdata);
	drm_mutex_unlock(&f->dev->mutex);
	return ret;
}

/*
 * The DRM fd's ioctl: only the number selects the ioctl (as in Linux), the core's
 * below DRM_COMMAND_BASE, the driver's from there; the argument is copied in for the
 * caller's size, zero-extended to the kernel's, and copied back out even when the
 * handler fails. Numbers without a handler give -EINVAL.
 */
long drm_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct drm_file *f = drm_file_of(file);
	unsigned nr = _IOC_NR(cmd), in_size, out_size, ksize, dcmd;
	const struct drm_ioctl_desc *d = NULL;
	const struct drm_driver_ioctl *dd = NULL;
	uint8_t stack_data[128], *kdata = stack_data;
	int ret;

	if (nr < ARRAY_SIZE(drm_ioctls) && drm_ioctls[nr].func)
		d = &drm_ioctls[nr];
	else if (!(dd = drm_driver_ioctl(f->dev, nr)))
		return -EINVAL;
	dcmd = d ? d->cmd : dd->cmd;
	in_size = out_size = _IOC_SIZE(cmd);
	if (!(cmd & dcmd & (_IOC_WRITE << _IOC_DIRSHIFT)))
		in_size = 0;
	if (!(cmd & dcmd & (_IOC_READ << _IOC_DIRSHIFT)))
		out_size = 0;
	ksize = MAX(MAX(in_size, out_size), _IOC_SIZE(dcmd));
	if (ksize > sizeof(stack_data) && !(kdata = kmalloc(ksize)))
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(kdata, (const void __user *)arg, in_size))
		goto out;
	memset(kdata + in_size, 0, ksize - in_size);
	ret = drm_ioctl_call(f, d, dd, kdata);
	if (copy_to_user((void __user *)arg, kdata, out_size))
		ret = -EFAULT;
out:
	if (kdata != stack_data)
		kfree(kdata);
	return ret;
}
