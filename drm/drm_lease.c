/*
 * drm_lease.c — mode leases as Linux's drm_lease.c gives them to every modeset
 * driver: a master (the lessor, Linux's owner) hands some of its CRTCs, connectors
 * and planes to a new file (the lessee), which is master of those objects only, as
 * long as its lessor is the current master. The lessee sees nothing else of those
 * three kinds (lookups fail with -ENOENT, lists leave them out, CRTC masks are
 * renumbered over its CRTCs); encoders, framebuffers, properties and blobs are
 * everyone's. The lessor keeps using every object. A lease ends when the lessor
 * revokes it (the lessee file stays, with nothing), when the lessee file closes, or
 * when the lessor file closes. Lessees may not lease further (Linux's tree depth 1).
 *
 * Locking: a lessor's lessees list, each lease's lessor and revoked flag and the
 * lessee ids are under dev->mutex; a lease's objects never change once it exists,
 * so drm_lease_held reads them without the mutex (revoked with READ_ONCE).
 */
#include "drm/drm_internal.h"
#include <asm-generic/fcntl.h>

/* Linux copies the id list with one kmalloc, which fails with -ENOMEM past 4 MiB. */
#define DRM_LEASE_MAX_IDS ((4u << 20) / sizeof(uint32_t))

/* Whether objects of type need a lease to be used by a lessee (Linux's
 * drm_mode_object_lease_required). */
static bool drm_lease_required(uint32_t type)
{
	return type == DRM_MODE_OBJECT_CRTC || type == DRM_MODE_OBJECT_CONNECTOR ||
	       type == DRM_MODE_OBJECT_PLANE;
}

/* See drm_internal.h. No lock needed: f->lease and its objects are fixed. */
bool drm_lease_held(struct drm_file *f, uint32_t id)
{
	const struct drm_lease *l = f->lease;

	if (!l)
		return true;
	if (READ_ONCE(l->revoked))
		return false;
	for (unsigned k = 0; k < l->nr_objects; k++)
		if (l->objects[k] == id)
			return true;
	return false;
}

/* See drm_internal.h: Linux's drm_lease_filter_crtcs. */
uint32_t drm_lease_filter_crtcs(struct drm_file *f, uint32_t crtcs)
{
	struct drm_device *dev = f->dev;
	uint32_t out = 0;
	unsigned n = 0;

	if (!f->lease)
		return crtcs;
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		if (!drm_lease_held(f, dev->outputs[i].crtc_id))
			continue;
		if (crtcs & (1u << i))
			out |= 1u << n;
		n++;
	}
	return out;
}

/* See drm_internal.h. */
uint32_t drm_lease_object_find_locked(struct drm_file *f, uint32_t id, unsigned *index)
{
	uint32_t type = drm_object_find_locked(f->dev, id, index);

	return drm_lease_required(type) && !drm_lease_held(f, id) ? 0 : type;
}

/* See drm_internal.h (Linux's drm_is_current_master). */
bool drm_is_master_locked(struct drm_file *f)
{
	struct drm_device *dev = f->dev;

	if (f->lease)
		return f->lease->lessor && f->lease->lessor == dev->master;
	return dev->master == f;
}

/* The objects of a lease request: ids as given, set as the lease will hold them. */
struct drm_lease_set {
	uint32_t ids[DRM_LEASE_MAX];
	unsigned n;
};

/* Adds id to the set: -ENOSPC when it is there already (Linux's idr_alloc). */
static int drm_lease_set_add(struct drm_lease_set *set, uint32_t id)
{
	for (unsigned k = 0; k < set->n; k++)
		if (set->ids[k] == id)
			return -ENOSPC;
	set->ids[set->n++] = id;
	return 0;
}

/* Linux's fill_object_idr in its order: each id must name an object (-ENOENT) that
 * can be leased (-EINVAL); the lease needs a CRTC and a connector, and a plane when
 * the lessor uses universal planes (-EINVAL); then the objects go into the set, a
 * CRTC with its primary and cursor planes for a lessor without universal planes;
 * an object twice is -ENOSPC. dev->mutex held. */
static int drm_lease_fill_locked(struct drm_file *f, const uint32_t *ids, uint32_t count,
				 struct drm_lease_set *set)
{
	struct drm_device *dev = f->dev;
	bool crtc = false, conn = false, plane = false;
	unsigned i;
	int err = 0;

	for (uint32_t k = 0; k < count; k++) {
		uint32_t type = drm_object_find_locked(dev, ids[k], &i);

		if (!type)
			return -ENOENT;
		if (!drm_lease_required(type))
			return -EINVAL;
		crtc |= type == DRM_MODE_OBJECT_CRTC;
		conn |= type == DRM_MODE_OBJECT_CONNECTOR;
		plane |= type == DRM_MODE_OBJECT_PLANE;
	}
	if (!crtc || !conn || (f->universal_planes && !plane))
		return -EINVAL;
	set->n = 0;
	for (uint32_t k = 0; k < count && !err; k++) {
		uint32_t type = drm_object_find_locked(dev, ids[k], &i);

		err = drm_lease_set_add(set, ids[k]);
		if (err || type != DRM_MODE_OBJECT_CRTC || f->universal_planes)
			continue;
		err = drm_lease_set_add(set, dev->outputs[i].plane_id);
		if (!err && dev->outputs[i].cursor_plane_id)
			err = drm_lease_set_add(set, dev->outputs[i].cursor_plane_id);
	}
	return err;
}

/* Copies in and checks the ids of a CREATE_LEASE into set. */
static int drm_lease_read(struct drm_file *f, const struct drm_mode_create_lease *cl,
			  struct drm_lease_set *set)
{
	uint32_t *ids;
	int err;

	set->n = 0;
	if (!cl->object_count)
		return 0;
	if (cl->object_count > DRM_LEASE_MAX_IDS)
		return -ENOMEM;
	ids = kmalloc(cl->object_count * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	err = copy_from_user(ids, (const void __user *)(uintptr_t)cl->object_ids,
			     cl->object_count * sizeof(*ids)) ? -EFAULT : 0;
	if (!err) {
		drm_mutex_lock(&f->dev->mutex);
		err = drm_lease_fill_locked(f, ids, cl->object_count, set);
		drm_mutex_unlock(&f->dev->mutex);
	}
	kfree(ids);
	return err;
}

/* Whether a live lease of lessor holds id (Linux's _drm_has_leased). */
static bool drm_lease_taken_locked(struct drm_file *lessor, uint32_t id)
{
	struct drm_lease *l;

	list_for_each_entry(l, &lessor->lessees, link)
		if (!l->revoked)
			for (unsigned k = 0; k < l->nr_objects; k++)
				if (l->objects[k] == id)
					return true;
	return false;
}

/* The lease of lessor with lessee id, or NULL. */
static struct drm_lease *drm_lease_find_locked(struct drm_file *lessor, uint32_t id)
{
	struct drm_lease *l;

	list_for_each_entry(l, &lessor->lessees, link)
		if (l->id == id)
			return l;
	return NULL;
}

/* Sorts n ids ascending (short lists: insertion sort). */
static void drm_ids_sort(uint32_t *ids, uint32_t n)
{
	for (uint32_t k = 1; k < n; k++) {
		uint32_t id = ids[k], j = k;

		for (; j && ids[j - 1] > id; j--)
			ids[j] = ids[j - 1];
		ids[j] = id;
	}
}

/* Makes lessee (a fresh file of the lessor's device) the lessee of set: -EBUSY when
 * another lease of the lessor holds one of the objects, else its lease (with the
 * lowest free lessee id, as Linux's idr) joins the lessor's list and the lessee
 * gets a master group of its own (Linux's lessee drm_master: its own magics). */
static int drm_lease_attach(struct drm_file *lessor, struct drm_file *lessee,
			    struct drm_lease_set *set, uint32_t *id)
{
	struct drm_device *dev = lessor->dev;
	struct drm_lease *l = kzalloc(sizeof(*l));
	struct drm_master *group = drm_master_create();
	int err = l && group ? 0 : -ENOMEM;

	drm_mutex_lock(&dev->mutex);
	for (unsigned k = 0; k < set->n && !err; k++)
		if (drm_lease_taken_locked(lessor, set->ids[k]))
			err = -EBUSY;
	if (err) {
		drm_master_put_locked(group);
		drm_mutex_unlock(&dev->mutex);
		kfree(l);
		return err;
	}
	for (l->id = 1; drm_lease_find_locked(lessor, l->id); l->id++)
		;
	memcpy(l->objects, set->ids, set->n * sizeof(set->ids[0]));
	l->nr_objects = set->n;
	drm_ids_sort(l->objects, l->nr_objects);
	l->lessor = lessor;
	list_add_tail(&l->link, &lessor->lessees);
	/* the lessor's other thread may have dropped master before the new file's
	 * open, which then made it master: a lessee is never the device's master */
	if (dev->master == lessee)
		dev->master = NULL;
	lessee->lease = l;
	drm_master_put_locked(lessee->master);
	lessee->master = group;
	lessee->is_master = lessee->authenticated = true;
	*id = l->id;
	drm_mutex_unlock(&dev->mutex);
	return 0;
}

/* CREATE_LEASE (Linux's drm_mode_create_lease_ioctl): flags are O_CLOEXEC and
 * O_NONBLOCK (the latter without effect: the new file has the lessor's flags); a
 * lessee may not lease. The new fd (reserved before the lease is made, as Linux's)
 * is a new open of the same node. */
int drm_ioctl_create_lease(struct drm_file *f, void *data)
{
	struct drm_mode_create_lease *cl = data;
	struct fd_table *files = task_files(current);
	struct drm_lease_set *set;
	struct file *file;
	int err, fd;

	if (cl->flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (f->lease)
		return -EINVAL;
	set = kmalloc(sizeof(*set));
	if (!set)
		return -ENOMEM;
	err = drm_lease_read(f, cl, set);
	if (err)
		goto free_set;
	err = fd = fd_reserve(files);
	if (fd < 0)
		goto free_set;
	file = file_clone_open(f->filp);
	err = IS_ERR(file) ? PTR_ERR(file) : 0;
	if (err)
		goto unreserve;
	err = drm_lease_attach(f, drm_file_of(file), set, &cl->lessee_id);
	if (err)
		goto put_file;
	fd_install_reserved(files, fd, file, cl->flags & O_CLOEXEC);
	cl->fd = fd;
	kfree(set);
	return 0;
put_file:
	file_put(file);
unreserve:
	fd_unreserve(files, fd);
free_set:
	kfree(set);
	return err;
}

/* LIST_LESSEES: the ids of the caller's unrevoked lessees (a lease without objects
 * counts as revoked, as Linux's empty idr), as many as fit. */
int drm_ioctl_list_lessees(struct drm_file *f, void *data)
{
	struct drm_mode_list_lessees *r = data;
	struct drm_device *dev = f->dev;
	uint32_t *ids = NULL, n = 0;
	struct drm_lease *l;
	int err = 0;

	if (r->pad)
		return -EINVAL;
	drm_mutex_lock(&dev->mutex);
	list_for_each_entry(l, &f->lessees, link)
		n += !l->revoked && l->nr_objects;
	if (n && !(ids = kmalloc(n * sizeof(*ids))))
		err = -ENOMEM;
	n = 0;
	list_for_each_entry(l, &f->lessees, link)
		if (ids && !l->revoked && l->nr_objects)
			ids[n++] = l->id;
	drm_mutex_unlock(&dev->mutex);
	if (!err)
		err = drm_put_ids(r->lessees_ptr, r->count_lessees, ids, n);
	if (!err)
		r->count_lessees = n;
	kfree(ids);
	return err;
}

/* The ids of every mode object of dev, ascending, in a kmalloc'd array (*n of them);
 * NULL when out of memory. dev->mutex held. */
static uint32_t *drm_lease_all_objects_locked(struct drm_device *dev, uint32_t *n)
{
	struct drm_framebuffer *fb;
	struct drm_blob *b;
	uint32_t *ids, max = DRM_PROP_COUNT + 5 * dev->nr_outputs;

	list_for_each_entry(fb, &dev->fbs, link)
		max++;
	list_for_each_entry(b, &dev->blobs, link)
		max++;
	if (!(ids = kmalloc(max * sizeof(*ids))))
		return NULL;
	*n = 0;
	for (uint32_t p = 0; p < DRM_PROP_COUNT; p++)
		ids[(*n)++] = dev->prop_base + p;
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		const struct drm_output *out = &dev->outputs[i];

		ids[(*n)++] = out->plane_id;
		if (out->cursor_plane_id)
			ids[(*n)++] = out->cursor_plane_id;
		ids[(*n)++] = out->crtc_id;
		ids[(*n)++] = out->connector_id;
		ids[(*n)++] = out->encoder_id;
	}
	list_for_each_entry(fb, &dev->fbs, link)
		ids[(*n)++] = fb->id;
	list_for_each_entry(b, &dev->blobs, link)
		ids[(*n)++] = b->id;
	drm_ids_sort(ids, *n);
	return ids;
}

/* GET_LEASE: the objects the caller's lease holds, ascending; for a master that is
 * no lessee every mode object of the device (Linux lists its whole object idr). */
int drm_ioctl_get_lease(struct drm_file *f, void *data)
{
	struct drm_mode_get_lease *r = data;
	struct drm_device *dev = f->dev;
	uint32_t *ids, n = 0;
	int err = 0;

	if (r->pad)
		return -EINVAL;
	drm_mutex_lock(&dev->mutex);
	if (!f->lease) {
		ids = drm_lease_all_objects_locked(dev, &n);
	} else {
		n = f->lease->revoked ? 0 : f->lease->nr_objects;
		if ((ids = kmalloc(DRM_LEASE_MAX * sizeof(*ids))))
			memcpy(ids, f->lease->objects, n * sizeof(*ids));
	}
	drm_mutex_unlock(&dev->mutex);
	if (!ids)
		return -ENOMEM;
	err = drm_put_ids(r->objects_ptr, r->count_objects, ids, n);
	if (!err)
		r->count_objects = n;
	kfree(ids);
	return err;
}

/* REVOKE_LEASE: the lessee keeps its file and lease id but holds nothing any more.
 * -ENOENT for an id no lease of the caller's lessor has, -EACCES when the caller is
 * not that lease's lessor (a lessee naming itself). */
int drm_ioctl_revoke_lease(struct drm_file *f, void *data)
{
	struct drm_mode_revoke_lease *r = data;
	struct drm_device *dev = f->dev;
	struct drm_file *owner;
	struct drm_lease *l;
	int err = 0;

	drm_mutex_lock(&dev->mutex);
	owner = f->lease ? f->lease->lessor : f;
	l = owner ? drm_lease_find_locked(owner, r->lessee_id) : NULL;
	if (!l)
		err = -ENOENT;
	else if (owner != f)
		err = -EACCES;
	else
		WRITE_ONCE(l->revoked, true);
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* See drm_internal.h. */
bool drm_lease_release_locked(struct drm_file *f)
{
	struct drm_lease *l, *tmp;

	list_for_each_entry_safe(l, tmp, &f->lessees, link) {
		WRITE_ONCE(l->revoked, true);
		l->lessor = NULL;
		list_del(&l->link);
	}
	if (!f->lease)
		return false;
	if (f->lease->lessor)
		list_del(&f->lease->link);
	kfree(f->lease);
	f->lease = NULL;
	return true;
}
