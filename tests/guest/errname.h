/* errname(): the symbolic name of an errno value, for test output that diffs cleanly. */
#include <errno.h>
#include <stdio.h>

/* Return "EFAULT" etc. for e; unknown values come back as "E<number>". */
static const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTBLK, "ENOTBLK" },
		{ ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" }, { EMLINK, "EMLINK" },
		{ EDEADLK, "EDEADLK" }, { ENOLCK, "ENOLCK" }, { ENODATA, "ENODATA" },
		{ EOVERFLOW, "EOVERFLOW" }, { ENOTSOCK, "ENOTSOCK" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ESTALE, "ESTALE" }, { ENFILE, "ENFILE" }, { EDOM, "EDOM" },
	};
	static char buf[16];

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}
