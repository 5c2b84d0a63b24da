/* Helpers shared by the DRM guest tests: an ioctl wrapper that retries as libdrm's
 * drmIoctl does, and one-line results that diff cleanly against Linux's recording. */
#include <stdint.h>
#include <stdio.h>
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
