/* Helpers shared by the DRM guest tests: an ioctl wrapper that retries as libdrm's
 * drmIoctl does, and one-line results that diff cleanly against Linux's recording. */
#include <drm.h>
#include <drm_mode.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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

/* The id of object obj's property called name on fd; 0 when it has none. */
static inline uint32_t drm_prop_id(int fd, uint32_t obj, const char *name)
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

		if (drm(fd, DRM_IOCTL_MODE_GETPROPERTY, &p) == 0 && !strcmp(p.name, name))
			return ids[k];
	}
	return 0;
}
