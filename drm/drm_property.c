/*
 * drm_property.c — KMS properties and property blobs as Linux exposes them on an
 * atomic driver: the standard properties (created first, so their ids are 1.. in
 * Linux's order, as on Linux), the lists each connector, CRTC and plane carries,
 * their values read from the outputs' state, and the ioctls OBJ_GETPROPERTIES,
 * GETPROPERTY, GETPROPBLOB, CREATEPROPBLOB and DESTROYPROPBLOB. Setting a property
 * (SETPROPERTY, OBJ_SETPROPERTY) is in drm_atomic.c.
 *
 * Blobs live under dev->mutex; user memory is never touched with it held (a user
 * buffer may be a mapped DRM buffer whose fault takes that mutex).
 */
#include "drm/drm_internal.h"

/* Linux's enum drm_plane_type (not in the uapi headers). */
enum { DRM_PLANE_TYPE_OVERLAY, DRM_PLANE_TYPE_PRIMARY, DRM_PLANE_TYPE_CURSOR };

#define RANGE(lo, hi) .nr_values = 2, .values = { (lo), (hi) }
#define ENUMS(list) .enums = list, .nr_enums = ARRAY_SIZE(list)

static const struct drm_mode_property_enum dpms_enums[] = {
	{ DRM_MODE_DPMS_ON, "On" }, { DRM_MODE_DPMS_STANDBY, "Standby" },
	{ DRM_MODE_DPMS_SUSPEND, "Suspend" }, { DRM_MODE_DPMS_OFF, "Off" },
};
static const struct drm_mode_property_enum link_status_enums[] = {
	{ DRM_MODE_LINK_STATUS_GOOD, "Good" }, { DRM_MODE_LINK_STATUS_BAD, "Bad" },
};
static const struct drm_mode_property_enum plane_type_enums[] = {
	{ DRM_PLANE_TYPE_OVERLAY, "Overlay" }, { DRM_PLANE_TYPE_PRIMARY, "Primary" },
	{ DRM_PLANE_TYPE_CURSOR, "Cursor" },
};

#define ATOMIC DRM_MODE_PROP_ATOMIC
#define IMMUTABLE DRM_MODE_PROP_IMMUTABLE

/* Linux 6.1's drm_connector_create_standard_properties and
 * drm_mode_create_standard_properties, in creation order. */
const struct drm_prop_desc drm_props[DRM_PROP_COUNT] = {
	[DRM_PROP_EDID] = { "EDID", DRM_MODE_PROP_BLOB | IMMUTABLE },
	[DRM_PROP_DPMS] = { "DPMS", DRM_MODE_PROP_ENUM, ENUMS(dpms_enums) },
	[DRM_PROP_PATH] = { "PATH", DRM_MODE_PROP_BLOB | IMMUTABLE },
	[DRM_PROP_TILE] = { "TILE", DRM_MODE_PROP_BLOB | IMMUTABLE },
	[DRM_PROP_LINK_STATUS] = { "link-status", DRM_MODE_PROP_ENUM, ENUMS(link_status_enums) },
	[DRM_PROP_NON_DESKTOP] = { "non-desktop", DRM_MODE_PROP_RANGE | IMMUTABLE, RANGE(0, 1) },
	[DRM_PROP_HDR_OUTPUT_METADATA] = { "HDR_OUTPUT_METADATA", DRM_MODE_PROP_BLOB },
	[DRM_PROP_TYPE] = { "type", DRM_MODE_PROP_ENUM | IMMUTABLE, ENUMS(plane_type_enums) },
	[DRM_PROP_SRC_X] = { "SRC_X", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, UINT32_MAX) },
	[DRM_PROP_SRC_Y] = { "SRC_Y", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, UINT32_MAX) },
	[DRM_PROP_SRC_W] = { "SRC_W", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, UINT32_MAX) },
	[DRM_PROP_SRC_H] = { "SRC_H", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, UINT32_MAX) },
	[DRM_PROP_CRTC_X] = { "CRTC_X", DRM_MODE_PROP_SIGNED_RANGE | ATOMIC,
			      RANGE((uint64_t)(int64_t)INT32_MIN, INT32_MAX) },
	[DRM_PROP_CRTC_Y] = { "CRTC_Y", DRM_MODE_PROP_SIGNED_RANGE | ATOMIC,
			      RANGE((uint64_t)(int64_t)INT32_MIN, INT32_MAX) },
	[DRM_PROP_CRTC_W] = { "CRTC_W", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, INT32_MAX) },
	[DRM_PROP_CRTC_H] = { "CRTC_H", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, INT32_MAX) },
	[DRM_PROP_FB_ID] = { "FB_ID", DRM_MODE_PROP_OBJECT | ATOMIC, .nr_values = 1,
			     .values = { DRM_MODE_OBJECT_FB } },
	[DRM_PROP_IN_FENCE_FD] = { "IN_FENCE_FD", DRM_MODE_PROP_SIGNED_RANGE | ATOMIC,
				   RANGE((uint64_t)-1, INT32_MAX) },
	[DRM_PROP_OUT_FENCE_PTR] = { "OUT_FENCE_PTR", DRM_MODE_PROP_RANGE | ATOMIC,
				     RANGE(0, UINT64_MAX) },
	[DRM_PROP_CRTC_ID] = { "CRTC_ID", DRM_MODE_PROP_OBJECT | ATOMIC, .nr_values = 1,
			       .values = { DRM_MODE_OBJECT_CRTC } },
	[DRM_PROP_FB_DAMAGE_CLIPS] = { "FB_DAMAGE_CLIPS", DRM_MODE_PROP_BLOB | ATOMIC },
	[DRM_PROP_ACTIVE] = { "ACTIVE", DRM_MODE_PROP_RANGE | ATOMIC, RANGE(0, 1) },
	[DRM_PROP_MODE_ID] = { "MODE_ID", DRM_MODE_PROP_BLOB | ATOMIC },
	[DRM_PROP_VRR_ENABLED] = { "VRR_ENABLED", DRM_MODE_PROP_RANGE, RANGE(0, 1) },
	[DRM_PROP_DEGAMMA_LUT] = { "DEGAMMA_LUT", DRM_MODE_PROP_BLOB },
	[DRM_PROP_DEGAMMA_LUT_SIZE] = { "DEGAMMA_LUT_SIZE", DRM_MODE_PROP_RANGE | IMMUTABLE,
					RANGE(0, UINT32_MAX) },
	[DRM_PROP_CTM] = { "CTM", DRM_MODE_PROP_BLOB },
	[DRM_PROP_GAMMA_LUT] = { "GAMMA_LUT", DRM_MODE_PROP_BLOB },
	[DRM_PROP_GAMMA_LUT_SIZE] = { "GAMMA_LUT_SIZE", DRM_MODE_PROP_RANGE | IMMUTABLE,
				      RANGE(0, UINT32_MAX) },
	[DRM_PROP_IN_FORMATS] = { "IN_FORMATS", DRM_MODE_PROP_BLOB | IMMUTABLE },
};

/* What each kind of object carries, in Linux's attach order (drm_connector_init and
 * virtio_gpu's EDID, drm_crtc_init_with_planes, drm_universal_plane_init). Linux
 * 6.1's virtio_gpu has no damage clips, gamma, IN_FORMATS (no modifiers) or
 * rotation. */
static const uint8_t connector_props[] = {
	DRM_PROP_DPMS, DRM_PROP_LINK_STATUS, DRM_PROP_NON_DESKTOP, DRM_PROP_TILE,
	DRM_PROP_CRTC_ID, DRM_PROP_EDID,
};
/* A connector that is neither Virtual nor Writeback gets EDID first, from
 * drm_connector_init itself (value 0 until an EDID comes: simpledrm's Unknown-1). */
static const uint8_t connector_props_edid_first[] = {
	DRM_PROP_EDID, DRM_PROP_DPMS, DRM_PROP_LINK_STATUS, DRM_PROP_NON_DESKTOP,
	DRM_PROP_TILE, DRM_PROP_CRTC_ID,
};
_Static_assert(sizeof(connector_props_edid_first) == sizeof(connector_props),
	       "the same properties in another order");

/* Whether dev's connectors carry EDID from their creation (Linux's
 * __drm_connector_init attaches it to all but Virtual and Writeback ones). */
static bool drm_connector_edid_at_init(struct drm_device *dev)
{
	uint32_t type = dev->driver->connector_type;

	return type != DRM_MODE_CONNECTOR_VIRTUAL && type != DRM_MODE_CONNECTOR_WRITEBACK;
}
static const uint8_t crtc_props[] = {
	DRM_PROP_ACTIVE, DRM_PROP_MODE_ID, DRM_PROP_OUT_FENCE_PTR, DRM_PROP_VRR_ENABLED,
};
static const uint8_t plane_props[] = {
	DRM_PROP_TYPE, DRM_PROP_FB_ID, DRM_PROP_IN_FENCE_FD, DRM_PROP_CRTC_ID,
	DRM_PROP_CRTC_X, DRM_PROP_CRTC_Y, DRM_PROP_CRTC_W, DRM_PROP_CRTC_H,
	DRM_PROP_SRC_X, DRM_PROP_SRC_Y, DRM_PROP_SRC_W, DRM_PROP_SRC_H, DRM_PROP_IN_FORMATS,
};

/* Reserves the standard properties' ids: the first ids of the device. */
void drm_props_init(struct drm_device *dev)
{
	dev->prop_base = dev->next_id;
	dev->next_id += DRM_PROP_COUNT;
	list_init(&dev->blobs);
}

/* See drm_internal.h: Linux's drm_format_modifier_blob, its formats (padded to 8
 * bytes) and one drm_format_modifier naming them all. */
struct drm_blob *drm_in_formats_blob(struct drm_device *dev, const uint32_t *formats,
				     unsigned n)
{
	struct drm_format_modifier_blob hdr = {
		.version = FORMAT_BLOB_CURRENT, .count_formats = n,
		.formats_offset = sizeof(hdr), .count_modifiers = 1,
		.modifiers_offset = sizeof(hdr) + ALIGN_UP(n * sizeof(uint32_t), 8),
	};
	struct drm_format_modifier mod = {
		.formats = n >= 64 ? UINT64_MAX : (1ull << n) - 1,
		.modifier = DRM_FORMAT_MOD_LINEAR,
	};
	struct drm_blob *b = kzalloc(sizeof(*b) + hdr.modifiers_offset + sizeof(mod));

	if (!b)
		return NULL;
	b->id = dev->next_id++;
	b->length = hdr.modifiers_offset + sizeof(mod);
	b->refcount = 1;
	memcpy(b->data, &hdr, sizeof(hdr));
	memcpy(b->data + hdr.formats_offset, formats, n * sizeof(uint32_t));
	memcpy(b->data + hdr.modifiers_offset, &mod, sizeof(mod));
	list_add_tail(&b->link, &dev->blobs);
	return b;
}

/* Which standard property id is; -1 when none. */
int drm_prop_of_id(struct drm_device *dev, uint32_t id)
{
	return id >= dev->prop_base && id - dev->prop_base < DRM_PROP_COUNT ?
	       (int)(id - dev->prop_base) : -1;
}

/* The blob with id, not counted; NULL when there is none. */
struct drm_blob *drm_blob_lookup_locked(struct drm_device *dev, uint32_t id)
{
	struct drm_blob *b;

	list_for_each_entry(b, &dev->blobs, link)
		if (b->id == id)
			return b;
	return NULL;
}

/* A new blob with a copy of data (NULL: zeroes) for owner (NULL: the kernel's),
 * holding one reference; NULL when out of memory. */
struct drm_blob *drm_blob_create_locked(struct drm_device *dev, struct drm_file *owner,
					const void *data, uint32_t length)
{
	struct drm_blob *b = kzalloc(sizeof(*b) + length);

	if (!b)
		return NULL;
	b->id = drm_object_id_alloc_locked(dev);
	b->length = length;
	b->owner = owner;
	b->refcount = 1;
	if (data)
		memcpy(b->data, data, length);
	list_add_tail(&b->link, &dev->blobs);
	return b;
}

void drm_blob_get_locked(struct drm_blob *b)
{
	b->refcount++;
}

/* Drops a reference; the last one frees the blob and its id. */
void drm_blob_put_locked(struct drm_blob *b)
{
	if (b && !--b->refcount) {
		list_del(&b->link);
		kfree(b);
	}
}

/* Gives output i of dev its EDID blob (before registration); 0 or -ENOMEM. */
int drm_output_set_edid(struct drm_device *dev, unsigned i, const void *edid, size_t len)
{
	struct drm_blob *b;

	drm_mutex_lock(&dev->mutex);
	b = drm_blob_create_locked(dev, NULL, edid, len);
	if (b) {
		drm_blob_put_locked(dev->oprops[i].edid);
		dev->oprops[i].edid = b;
		dev->oprops[i].has_edid = true;
	}
	drm_mutex_unlock(&dev->mutex);
	return b ? 0 : -ENOMEM;
}

/* See drm_internal.h. */
void drm_output_probe_locked(struct drm_device *dev, unsigned i)
{
	struct drm_output_props *op = &dev->oprops[i];

	if (drm_output_connected_locked(dev, i)) {
		op->mm_width = dev->outputs[i].mm_width;
		op->mm_height = dev->outputs[i].mm_height;
		return;
	}
	drm_blob_put_locked(op->edid);
	op->edid = NULL;
}

/* After output i changed (drm_output_set_locked): DPMS is on again, the plane shows
 * the mode-sized window at (x, y) (an atomic commit then sets its own rectangles;
 * they stay when the plane is turned off, as in Linux's plane state),
 * MODE_ID names a blob of the new mode while the CRTC is on (the old blob when the
 * mode is the same, as Linux keeps it). */
void drm_props_output_set_locked(struct drm_device *dev, unsigned i)
{
	struct drm_output *out = &dev->outputs[i];
	struct drm_output_props *op = &dev->oprops[i];

	op->dpms_off = false;
	op->was_lit |= out->enabled;
	if (out->fb) {
		op->src[0] = out->x << 16;
	op->src[1] = out->y << 16;
	op->src[2] = out->mode.hdisplay << 16;
	op->src[3] = out->mode.vdisplay << 16;
	op->crtc_x = op->crtc_y = 0;
	op->crtc_w = out->mode.hdisplay;
	op->crtc_h = out->mode.vdisplay;
	}
	if (op->mode && out->enabled && !memcmp(op->mode->data, &out->mode, sizeof(out->mode)))
		return;
	drm_blob_put_locked(op->mode);
	op->mode = out->enabled ? drm_blob_create_locked(dev, NULL, &out->mode, sizeof(out->mode))
			   : NULL;
}

/* A new mode object id: the lowest one unused, as Linux's idr hands them out (ids
 * of removed framebuffers and blobs come back). */
uint32_t drm_object_id_alloc_locked(struct drm_device *dev)
{
	unsigned i;
	uint32_t id;

	for (id = dev->first_dynamic_id; drm_object_find_locked(dev, id, &i); id++)
		;
	return id;
}

/* The object id names: its DRM_MODE_OBJECT_* type and output (or property) index
 * in *index (DRM_CURSOR_INDEX(output) for a cursor plane); 0 when there is none. */
uint32_t drm_object_find_locked(struct drm_device *dev, uint32_t id, unsigned *index)
{
	int p = drm_prop_of_id(dev, id);

	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		const struct drm_output *out = &dev->outputs[i];

		*index = i;
		if (id == out->crtc_id)
			return DRM_MODE_OBJECT_CRTC;
		if (id == out->connector_id)
			return DRM_MODE_OBJECT_CONNECTOR;
		if (id == out->encoder_id)
			return DRM_MODE_OBJECT_ENCODER;
		if (id == out->plane_id)
			return DRM_MODE_OBJECT_PLANE;
		*index = DRM_CURSOR_INDEX(i);
		if (id && id == out->cursor_plane_id)
			return DRM_MODE_OBJECT_PLANE;
	}
	*index = p;
	if (p >= 0)
		return DRM_MODE_OBJECT_PROPERTY;
	if (drm_fb_lookup_locked(dev, id))
		return DRM_MODE_OBJECT_FB;
	if (drm_blob_lookup_locked(dev, id))
		return DRM_MODE_OBJECT_BLOB;
	return 0;
}

/* The properties an object of type carries (*n of them); NULL for none. */
const uint8_t *drm_object_props(uint32_t type, unsigned *n)
{
	switch (type) {
	case DRM_MODE_OBJECT_CONNECTOR:
		*n = ARRAY_SIZE(connector_props);
		return connector_props;
	case DRM_MODE_OBJECT_CRTC:
		*n = ARRAY_SIZE(crtc_props);
		return crtc_props;
	case DRM_MODE_OBJECT_PLANE:
		*n = ARRAY_SIZE(plane_props);
		return plane_props;
	}
	*n = 0;
	return NULL;
}

/* Whether the object of type on output i carries prop (EDID from creation but on
 * Virtual connectors, which get it once the driver gave one, as Linux's virtio_gpu
 * attaches it only when the device has EDIDs). */
bool drm_object_has_prop(struct drm_device *dev, uint32_t type, unsigned i, int prop)
{
	unsigned n;
	const uint8_t *list = drm_object_props(type, &n);

	if (prop == DRM_PROP_EDID && type == DRM_MODE_OBJECT_CONNECTOR &&
	    !dev->oprops[i].has_edid && !drm_connector_edid_at_init(dev))
		return false;
	if (prop == DRM_PROP_IN_FORMATS && !dev->driver->modifiers)
		return false;
	for (unsigned k = 0; k < n; k++)
		if (list[k] == prop)
			return true;
	return false;
}

static uint64_t drm_connector_prop(struct drm_device *dev, unsigned i, int prop)
{
	const struct drm_output *out = &dev->outputs[i];

	switch (prop) {
	case DRM_PROP_DPMS:
		return drm_connector_dpms_on_locked(dev, i) ? DRM_MODE_DPMS_ON : DRM_MODE_DPMS_OFF;
	case DRM_PROP_CRTC_ID:
		return out->enabled ? out->crtc_id : 0;
	case DRM_PROP_EDID:
		return dev->oprops[i].edid ? dev->oprops[i].edid->id : 0;
	}
	return 0;	/* link-status Good, non-desktop 0, no TILE */
}

static uint64_t drm_crtc_prop(struct drm_device *dev, unsigned i, int prop)
{
	const struct drm_output *out = &dev->outputs[i];

	switch (prop) {
	case DRM_PROP_ACTIVE:
		return drm_crtc_active_locked(dev, i);
	case DRM_PROP_MODE_ID:
		return out->enabled && dev->oprops[i].mode ? dev->oprops[i].mode->id : 0;
	case DRM_PROP_VRR_ENABLED:
		return dev->oprops[i].vrr;
	}
	return 0;	/* no out-fence pointer */
}

static uint64_t drm_plane_prop(struct drm_device *dev, unsigned i, int prop)
{
	const struct drm_output *out = &dev->outputs[i];
	const struct drm_output_props *op = &dev->oprops[i];

	if (prop == DRM_PROP_TYPE)
		return DRM_PLANE_TYPE_PRIMARY;
	if (prop == DRM_PROP_IN_FENCE_FD)
		return (uint64_t)-1;
	switch (prop) {
	case DRM_PROP_FB_ID:
		return out->fb ? out->fb->id : 0;
	case DRM_PROP_CRTC_ID:
		return out->fb ? out->crtc_id : 0;
	case DRM_PROP_SRC_X: case DRM_PROP_SRC_Y: case DRM_PROP_SRC_W: case DRM_PROP_SRC_H:
		return op->src[prop - DRM_PROP_SRC_X];
	case DRM_PROP_CRTC_X:
		return (uint64_t)(int64_t)op->crtc_x;
	case DRM_PROP_CRTC_Y:
		return (uint64_t)(int64_t)op->crtc_y;
	case DRM_PROP_CRTC_W:
		return op->crtc_w;
	case DRM_PROP_CRTC_H:
		return op->crtc_h;
	}
	return 0;
}

/* The value of prop on the object of type on output i. */
uint64_t drm_object_prop_value_locked(struct drm_device *dev, uint32_t type, unsigned i,
				      int prop)
{
	if (type == DRM_MODE_OBJECT_CONNECTOR)
		return drm_connector_prop(dev, i, prop);
	if (type == DRM_MODE_OBJECT_CRTC)
		return drm_crtc_prop(dev, i, prop);
	if (prop == DRM_PROP_IN_FORMATS && i >= DRM_CURSOR_INDEX(0))
		return dev->oprops[i - DRM_CURSOR_INDEX(0)].cursor_in_formats->id;
	if (prop == DRM_PROP_IN_FORMATS)
		return dev->oprops[i].in_formats->id;
	if (i >= DRM_CURSOR_INDEX(0))
		return prop == DRM_PROP_TYPE ? DRM_PLANE_TYPE_CURSOR :
		       drm_cursor_prop_locked(dev, i - DRM_CURSOR_INDEX(0), prop);
	return drm_plane_prop(dev, i, prop);
}

/*
 * The property ids and values of the object of type on output i that f sees
 * (atomic-only ones only for atomic clients), copied out to the caller's arrays as
 * far as *count allows; *count becomes the full number (Linux's
 * drm_mode_object_get_properties). Takes dev->mutex for the values.
 */
int drm_object_get_props(struct drm_file *f, uint32_t type, unsigned i, uint64_t ids_ptr,
			 uint64_t values_ptr, uint32_t *count)
{
	struct drm_device *dev = f->dev;
	uint32_t ids[DRM_PROP_COUNT];
	uint64_t values[DRM_PROP_COUNT];
	uint32_t __user *uids = (uint32_t __user *)(uintptr_t)ids_ptr;
	uint64_t __user *uvalues = (uint64_t __user *)(uintptr_t)values_ptr;
	unsigned n, k = 0;
	const uint8_t *list = drm_object_props(type, &n);

	if (type == DRM_MODE_OBJECT_CONNECTOR && drm_connector_edid_at_init(dev))
		list = connector_props_edid_first;
	drm_mutex_lock(&dev->mutex);
	for (unsigned j = 0; j < n; j++) {
		if (((drm_props[list[j]].flags & DRM_MODE_PROP_ATOMIC) && !f->atomic) ||
		    !drm_object_has_prop(dev, type, i, list[j]))
			continue;
		ids[k] = dev->prop_base + list[j];
		values[k++] = drm_object_prop_value_locked(dev, type, i, list[j]);
	}
	drm_mutex_unlock(&dev->mutex);
	for (unsigned j = 0; j < k && j < *count; j++)
		if (put_user(ids[j], uids + j) || put_user(values[j], uvalues + j))
			return -EFAULT;
	*count = k;
	return 0;
}

/* OBJ_GETPROPERTIES: -ENOENT for no object of that type (0: any) or one the
 * caller's lease does not hold, -EINVAL for an object without properties. */
int drm_ioctl_obj_getproperties(struct drm_file *f, void *data)
{
	struct drm_mode_obj_get_properties *r = data;
	struct drm_device *dev = f->dev;
	unsigned i;
	uint32_t type;

	drm_mutex_lock(&dev->mutex);
	type = drm_lease_object_find_locked(f, r->obj_id, &i);
	drm_mutex_unlock(&dev->mutex);
	if (!type || (r->obj_type && r->obj_type != type))
		return -ENOENT;
	if (!drm_object_props(type, &(unsigned){ 0 }))
		return -EINVAL;
	return drm_object_get_props(f, type, i, r->props_ptr, r->prop_values_ptr, &r->count_props);
}

/* GETPROPERTY: name, flags, the values and enums that fit (an enum's values are
 * its enum values); blobs have none here (GETPROPBLOB reads them). */
int drm_ioctl_getproperty(struct drm_file *f, void *data)
{
	struct drm_mode_get_property *r = data;
	int p = drm_prop_of_id(f->dev, r->prop_id);
	const struct drm_prop_desc *d;
	uint64_t __user *values = (uint64_t __user *)(uintptr_t)r->values_ptr;
	struct drm_mode_property_enum __user *enums =
		(struct drm_mode_property_enum __user *)(uintptr_t)r->enum_blob_ptr;

	if (p < 0)
		return -ENOENT;
	d = &drm_props[p];
	memset(r->name, 0, sizeof(r->name));
	strlcpy(r->name, d->name, sizeof(r->name));
	r->flags = d->flags;
	if (d->flags & (DRM_MODE_PROP_ENUM | DRM_MODE_PROP_BITMASK)) {
		/* an enum's values are its enum values */
		for (unsigned k = 0; k < d->nr_enums; k++)
			if ((k < r->count_values && put_user(d->enums[k].value, values + k)) ||
			    (k < r->count_enum_blobs &&
			     copy_to_user(enums + k, &d->enums[k], sizeof(*enums))))
				return -EFAULT;
		r->count_values = r->count_enum_blobs = d->nr_enums;
		return 0;
	}
	for (unsigned k = 0; k < d->nr_values && k < r->count_values; k++)
		if (put_user(d->values[k], values + k))
			return -EFAULT;
	r->count_values = d->nr_values;
	if (d->flags & DRM_MODE_PROP_BLOB)
		r->count_enum_blobs = 0;
	return 0;
}

/* GETPROPBLOB: the data is copied only when length is exactly the blob's. */
int drm_ioctl_getpropblob(struct drm_file *f, void *data)
{
	struct drm_mode_get_blob *r = data;
	struct drm_device *dev = f->dev;
	struct drm_blob *b;
	void *copy = NULL;
	uint32_t len;
	int err = 0;

	drm_mutex_lock(&dev->mutex);
	b = drm_blob_lookup_locked(dev, r->blob_id);
	if (b && r->length == b->length && (copy = kmalloc(b->length)))
		memcpy(copy, b->data, b->length);
	len = b ? b->length : 0;
	drm_mutex_unlock(&dev->mutex);
	if (!b)
		return -ENOENT;
	if (r->length == len && !copy)
		return -ENOMEM;
	if (copy && copy_to_user((void __user *)(uintptr_t)r->data, copy, len))
		err = -EFAULT;
	kfree(copy);
	r->length = len;
	return err;
}

/* CREATEPROPBLOB: a blob owned by the caller's file (freed at its close). */
int drm_ioctl_createpropblob(struct drm_file *f, void *data)
{
	struct drm_mode_create_blob *r = data;
	struct drm_device *dev = f->dev;
	struct drm_blob *b;
	void *copy;

	if (!r->length || r->length > INT32_MAX - sizeof(*b))
		return -EINVAL;
	copy = kmalloc(r->length);
	if (!copy)
		return -ENOMEM;
	if (copy_from_user(copy, (const void __user *)(uintptr_t)r->data, r->length)) {
		kfree(copy);
		return -EFAULT;
	}
	drm_mutex_lock(&dev->mutex);
	b = drm_blob_create_locked(dev, f, copy, r->length);
	if (b)
		r->blob_id = b->id;
	drm_mutex_unlock(&dev->mutex);
	kfree(copy);
	return b ? 0 : -ENOMEM;
}

/* DESTROYPROPBLOB: -ENOENT for no blob, -EPERM for another file's. The blob stays
 * while a CRTC state uses it. */
int drm_ioctl_destroypropblob(struct drm_file *f, void *data)
{
	struct drm_mode_destroy_blob *r = data;
	struct drm_device *dev = f->dev;
	struct drm_blob *b;
	int err = 0;

	drm_mutex_lock(&dev->mutex);
	b = drm_blob_lookup_locked(dev, r->blob_id);
	if (!b)
		err = -ENOENT;
	else if (b->owner != f)
		err = -EPERM;
	else {
		b->owner = NULL;
		drm_blob_put_locked(b);
	}
	drm_mutex_unlock(&dev->mutex);
	return err;
}

/* Drops the blobs a closing file made. */
void drm_blob_release_locked(struct drm_file *f)
{
	struct drm_blob *b, *next;

	list_for_each_entry_safe(b, next, &f->dev->blobs, link)
		if (b->owner == f) {
			b->owner = NULL;
			drm_blob_put_locked(b);
		}
}
