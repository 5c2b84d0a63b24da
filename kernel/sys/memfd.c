/*
 * memfd.c — memfd_create(2): an anonymous tmpfs file (kernel/fs/tmpfs.c) named
 * "memfd:NAME", sealable with F_ADD_SEALS when created with MFD_ALLOW_SEALING.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <linux/memfd.h>

#define MFD_NAME_MAX_LEN 249		/* NAME_MAX minus "memfd:" */
#define MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB)

long sys_memfd_create(const char __user *uname, unsigned flags)
{
	char name[MFD_NAME_MAX_LEN + 1];
	struct file *file;
	long len;
	int fd;

	if (!(flags & MFD_HUGETLB) && (flags & ~MFD_ALL_FLAGS))
		return -EINVAL;
	if ((flags & MFD_HUGETLB) &&
	    (flags & ~(MFD_ALL_FLAGS | (MFD_HUGE_MASK << MFD_HUGE_SHIFT))))
		return -EINVAL;
	len = strncpy_from_user(name, uname, sizeof(name));
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	if (flags & MFD_HUGETLB)	/* no huge page pool to back the file */
		return -EINVAL;
	file = memfd_file_create(name, flags & MFD_ALLOW_SEALING);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = fd_install(current_files(), file, (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0);
	if (fd < 0)
		file_put(file);
	return fd;
}
