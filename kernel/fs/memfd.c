/*
 * memfd.c — the files of memfd_create(2) and of shared anonymous memory: unlinked
 * tmpfs files on an internal instance (Linux's shm_mnt, made first at boot), named
 * "memfd:NAME" or "dev/zero", and file sealing (F_ADD_SEALS, F_GET_SEALS) of every
 * tmpfs file as Linux's memfd_fcntl. The seals themselves are enforced by tmpfs.c;
 * they change under the file system's mutex.
 */
#include "fs/fs.h"
#include "mm/mm.h"

#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
		     F_SEAL_FUTURE_WRITE)

static struct super_block *memfd_sb;	/* set once by shm_init, before any task */

/* Creates the internal instance before every other file system, so that its files
 * have the device 0:1 as those of Linux's shm_mnt (shmem_init runs before the root
 * is mounted). 0 or -ENOMEM. */
int shm_init(void)
{
	memfd_sb = tmpfs_create_sb(&tmpfs_type);
	return memfd_sb ? 0 : -ENOMEM;
}

/* memfd_create(2)'s file: an unlinked regular tmpfs file named "memfd:NAME", open
 * O_RDWR, owned by the caller, sealable when sealable (else sealed with
 * F_SEAL_SEAL). The file with one reference, or an ERR_PTR. */
struct file *memfd_file_create(const char *name, bool sealable)
{
	size_t len = strlen(name) + sizeof("memfd:");
	char *full = kmalloc(len);

	if (!full)
		return ERR_PTR(-ENOMEM);
	ksnprintf(full, len, "memfd:%s", name);
	return tmpfs_open_unlinked(memfd_sb, full, sealable ? 0 : F_SEAL_SEAL);
}

/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, MAP_SHARED of /dev/zero) as
 * Linux's shmem_zero_setup: an unlinked file of size bytes on the internal
 * instance, named "dev/zero" ("/dev/zero (deleted)" in /proc/PID/maps), sealed with
 * F_SEAL_SEAL. Every process inheriting the mapping faults the same pages in. The
 * file with one reference, or an ERR_PTR. */
struct file *shmem_zero_file_create(uint64_t size)
{
	char *name = kstrdup("dev/zero");
	struct file *file;

	if (!name)
		return ERR_PTR(-ENOMEM);
	file = tmpfs_open_unlinked(memfd_sb, name, F_SEAL_SEAL);
	if (!IS_ERR(file))
		file->inode->size = size;	/* nobody else sees the inode yet */
	return file;
}

/* fcntl F_GET_SEALS and F_ADD_SEALS, as Linux 6.1's memfd_fcntl: EINVAL for files
 * that are not tmpfs files and for unknown seals, EPERM to add seals through a
 * read-only file or after F_SEAL_SEAL, EBUSY for F_SEAL_WRITE while a shared
 * mapping may write the file. Takes the file system's mutex. */
long memfd_fcntl(struct file *file, unsigned cmd, unsigned long arg)
{
	unsigned *seals;
	long ret;

	if (cmd == F_ADD_SEALS) {
		if (arg > 0xffffffffUL)
			return -EINVAL;
		if ((file->flags & O_ACCMODE) == O_RDONLY)
			return -EPERM;
		if (arg & ~(unsigned long)F_ALL_SEALS)
			return -EINVAL;
	}
	seals = tmpfs_seals(file);
	if (!seals)
		return -EINVAL;
	fs_mutex_lock(&file->inode->sb->mutex);
	ret = *seals;
	if (cmd == F_ADD_SEALS) {
		ret = 0;
		if (*seals & F_SEAL_SEAL)
			ret = -EPERM;
		else if ((arg & F_SEAL_WRITE) && !(*seals & F_SEAL_WRITE))
			ret = inode_deny_writable(file->inode);
		if (!ret)
			*seals |= arg;
	}
	fs_mutex_unlock(&file->inode->sb->mutex);
	return ret;
}
