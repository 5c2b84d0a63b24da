/* Helpers shared by the DRM guest tests: an ioctl wrapper that retries as libdrm's
 * drmIoctl does, one-line results that diff cleanly against Linux's recording, and
 * the mode-setting setup (output, dumb buffers, SETCRTC, property values). */
#include <drm.h>
#include <drm_mode.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "errname.h"

/* ioctl(fd, req, arg), retried while it fails with EINTR or EAGAIN (as drmIoctl). */
static inline int drm(int fd, unsigned long req, void *arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r;
}

/* Prints "what: r", or "what: -1 ERRNO" when r is negative. */
static inline void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: %ld\n", what, r);
}

/* Prints only success or the errno (for results that differ by design: fds, ids). */
static inline void ok(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: ok\n", what);
}

/* The id of object obj's property called name on fd, 0 when it has none; its value
 * in *value when value is not NULL. */
static inline uint32_t drm_prop_find(int fd, uint32_t obj, const char *name,
				     uint64_t *value)
{
	uint32_t ids[64];
	uint64_t values[64];
	struct drm_mode_obj_get_properties r = { .obj_id = obj, .count_props = 64,
						 .props_ptr = (uintptr_t)ids,
						 .prop_values_ptr = (uintptr_t)values };

	if (drm(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r) < 0)
		return 0;
	for (uint32_t k = 0; k < r.count_props && k < 64; k++) {
		struct drm_mode_get_property p = { .prop_id = ids[k] };

		if (drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p) == 0 && !strcmp(p.name, name)) {
			if (value)
				*value = values[k];
			return ids[k];
		}
	}
	return 0;
}

/* The id of object obj's property called name on fd; 0 when it has none. */
static inline uint32_t drm_prop_id(int fd, uint32_t obj, const char *name)
{
	return drm_prop_find(fd, obj, name, NULL);
}

/* The value of object obj's property called name on fd; ~0 when it has none. */
static inline uint64_t drm_prop_value(int fd, uint32_t obj, const char *name)
{
	uint64_t v;

	return drm_prop_find(fd, obj, name, &v) ? v : ~0ull;
}

/* The first CRTC and connector of fd and that connector's preferred mode (its first
 * when none is marked preferred) in *crtc, *connector and *mode. Returns 0, or -1
 * with errno from the ioctl that failed (ENOENT: no CRTC, connector or mode). */
static inline int drm_find_output(int fd, uint32_t *crtc, uint32_t *connector,
				  struct drm_mode_modeinfo *mode)
{
	uint32_t crtcs[4], conns[4];
	struct drm_mode_modeinfo modes[64];
	struct drm_mode_card_res r = { .crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 4,
				       .connector_id_ptr = (uintptr_t)conns,
				       .count_connectors = 4 };
	struct drm_mode_get_connector c = { .count_modes = 64, .modes_ptr = (uintptr_t)modes };

	if (drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &r) < 0)
		return -1;
	if (!r.count_crtcs || !r.count_connectors) {
		errno = ENOENT;
		return -1;
	}
	c.connector_id = conns[0];
	if (drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c) < 0)
		return -1;
	if (!c.count_modes) {
		errno = ENOENT;
		return -1;
	}
	*crtc = crtcs[0];
	*connector = conns[0];
	*mode = modes[0];
	for (uint32_t i = 0; i < c.count_modes && i < 64; i++)
		if (modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			*mode = modes[i];
			break;
		}
	return 0;
}

/* Creates a dumb buffer of c->width x c->height at c->bpp on fd, which fills in c's
 * handle, pitch and size, and maps all of it shared and writable. Returns the
 * mapping (the caller unmaps c->size bytes), or NULL with errno set. */
static inline uint32_t *drm_dumb_map(int fd, struct drm_mode_create_dumb *c)
{
	struct drm_mode_map_dumb m = { 0 };
	void *p;

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, c) < 0)
		return NULL;
	m.handle = c->handle;
	if (drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m) < 0)
		return NULL;
	p = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	return p == MAP_FAILED ? NULL : p;
}

/* SETCRTC on fd: framebuffer fb shown on crtc with mode, driving connector alone. */
static inline int drm_setcrtc(int fd, uint32_t crtc, uint32_t connector,
			      const struct drm_mode_modeinfo *mode, uint32_t fb)
{
	struct drm_mode_crtc c = { .crtc_id = crtc, .fb_id = fb, .mode_valid = 1,
				   .mode = *mode, .count_connectors = 1,
				   .set_connectors_ptr = (uintptr_t)&connector };

	return drm(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}
