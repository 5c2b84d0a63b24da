/*
 * drm_auth.c — master groups and magic numbers as Linux's drm_auth.c keeps them.
 *
 * A file of a primary node that becomes master for the first time (at open while
 * the device has no master, or by SET_MASTER) gets a new group (Linux's struct
 * drm_master) and keeps it as its own from then on (is_master, also after
 * DROP_MASTER: its later SET_MASTER makes the same group current again). Files
 * opened while a master exists join its group; a lessee gets a group of its own.
 * GET_MAGIC hands out the lowest free number of the caller's group (from 1); the
 * current master's AUTH_MAGIC finds the number in its own group only, marks that
 * file authenticated and spends the number, which stays taken until the file closes.
 * SET_MASTER and DROP_MASTER need root, or a file that has been master used by the
 * process that opened it.
 *
 * Locking: everything here is under dev->mutex.
 */
#include "drm/drm_internal.h"

/* See drm_internal.h. */
struct drm_master *drm_master_create(void)
{
	struct drm_master *m = kzalloc(sizeof(*m));

	if (m)
		m->refcount = 1;
	return m;
}

/* See drm_internal.h. */
void drm_master_put_locked(struct drm_master *m)
{
	if (!m || --m->refcount)
		return;
	kfree(m->magics);
	kfree(m);
}

/* See drm_internal.h. */
void drm_master_open_locked(struct drm_file *f, struct drm_master *fresh)
{
	struct drm_device *dev = f->dev;

	if (!dev->master) {
		f->master = fresh;
		f->is_master = f->was_master = true;
		dev->master = f;
		return;
	}
	drm_master_put_locked(fresh);
	f->master = dev->master->master;
	f->master->refcount++;
}

/* See drm_internal.h. */
void drm_master_release_locked(struct drm_file *f)
{
	struct drm_master *m = f->magic_master;

	if (m) {
		m->magics[f->magic - 1] = (struct drm_magic){ 0 };
		drm_master_put_locked(m);
		f->magic_master = NULL;
	}
	if (f->dev->master == f)
		f->dev->master = NULL;
	drm_master_put_locked(f->master);
	f->master = NULL;
}

/* The lowest free magic number of m, the table grown for it: the number or -ENOMEM. */
static long drm_magic_alloc_locked(struct drm_master *m)
{
	unsigned i, n = m->nr_magics;
	struct drm_magic *grown;

	for (i = 0; i < n && m->magics[i].file; i++)
		;
	if (i == n) {
		n = n ? 2 * n : 8;
		grown = kzalloc(n * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		if (m->nr_magics)
			memcpy(grown, m->magics, m->nr_magics * sizeof(*grown));
		kfree(m->magics);
		m->magics = grown;
		m->nr_magics = n;
	}
	return i + 1;
}

/* GET_MAGIC (Linux's drm_getmagic): the caller's number, given on its first call
 * from its group's table; it keeps it when its group changes later. */
int drm_ioctl_get_magic(struct drm_file *f, void *data)
{
	struct drm_auth *auth = data;
	struct drm_device *dev = f->dev;
	long magic;
	int err = 0;

	drm_mutex_lock(&dev->mutex);
	if (!f->magic) {
		magic = drm_magic_alloc_locked(f->master);
		if (magic < 0) {
			err = magic;
		} else {
			f->master->magics[magic - 1].file = f;
			f->master->refcount++;
			f->magic_master = f->master;
			f->magic = magic;
		}
	}
	auth->magic = f->magic;
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* AUTH_MAGIC (Linux's drm_authmagic), for the current master: -EINVAL unless the
 * number is one its own group handed out and nobody spent yet (0, a closed file's,
 * another group's, a lessee's for its lessor and the reverse). */
int drm_ioctl_auth_magic(struct drm_file *f, void *data)
{
	struct drm_auth *auth = data;
	struct drm_device *dev = f->dev;
	struct drm_master *m = f->master;
	struct drm_magic *entry;
	int err = -EINVAL;

	drm_mutex_lock(&dev->mutex);
	entry = auth->magic && auth->magic <= m->nr_magics ? &m->magics[auth->magic - 1] : NULL;
	if (entry && entry->file && !entry->spent) {
		entry->file->authenticated = true;
		entry->spent = true;
		err = 0;
	}
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* Linux's drm_master_check_perm: a file that has been master may change its master
 * state from the process that opened it; anyone else needs CAP_SYS_ADMIN (root
 * here) or gets -EACCES. */
static int drm_master_check_perm(struct drm_file *f)
{
	if (f->was_master && f->opener == task_tgid(current))
		return 0;
	return task_cred(current)->euid == 0 ? 0 : -EACCES;
}

/* SET_MASTER (Linux's drm_setmaster_ioctl), once drm_master_check_perm allows it: a
 * no-op for the current master (a lessee of it too), -EBUSY while another file is
 * master, -EINVAL for a lessee; a file that never was master gets a new group, one
 * that was makes its own group current again. */
int drm_ioctl_set_master(struct drm_file *f, void *data)
{
	struct drm_device *dev = f->dev;
	struct drm_master *fresh;
	int err;

	drm_mutex_lock(&dev->mutex);
	err = drm_master_check_perm(f);
	if (err || drm_is_master_locked(f))
		goto unlock;
	err = -EBUSY;
	if (dev->master)
		goto unlock;
	err = -EINVAL;
	if (f->lease)
		goto unlock;
	err = -ENOMEM;
	if (!f->is_master) {
		fresh = drm_master_create();
		if (!fresh)
			goto unlock;
		drm_master_put_locked(f->master);
		f->master = fresh;
		f->is_master = true;
	}
	dev->master = f;
	f->was_master = true;
	err = 0;
unlock:
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* DROP_MASTER (Linux's drm_dropmaster_ioctl), once drm_master_check_perm allows it:
 * -EINVAL unless the caller is the current master and no lessee. It keeps its group
 * (and its leases, masters again when it is). */
int drm_ioctl_drop_master(struct drm_file *f, void *data)
{
	struct drm_device *dev = f->dev;
	int err;

	drm_mutex_lock(&dev->mutex);
	err = drm_master_check_perm(f);
	if (!err && (!drm_is_master_locked(f) || f->lease))
		err = -EINVAL;
	if (!err)
		dev->master = NULL;
	drm_mutex_unlock(&dev->mutex);
	return err;
}
