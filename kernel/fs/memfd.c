/*
 * memfd.c — the files of memfd_create(2): unlinked tmpfs files on an internal
 * instance (Linux's shm_mnt), named "memfd:NAME", and file sealing (F_ADD_SEALS,
 * F_GET_SEALS) of every tmpfs file as Linux's memfd_fcntl. The seals themselves
 * are enforced by tmpfs.c; they change under the file system's mutex.
 */
#include "fs/fs.h"
#include "mm/mm.h"

#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
		     F_SEAL_FUTURE_WRITE)

static struct super_block *memfd_sb;	/* set once; memfd_sb_lock */
static spinlock_t memfd_sb_lock = SPINLOCK_INIT("memfd_sb");

/* The internal instance, created at the first call; NULL when out of memory. */
static struct super_block *memfd_get_sb(void)
{
	struct super_block *sb = READ_ONCE(memfd_sb), *fresh;

	if (sb)
		return sb;
	fresh = tmpfs_create_sb(&tmpfs_type);
	if (!fresh)
		return NULL;
	spin_lock(&memfd_sb_lock);
	if (!memfd_sb) {
		memfd_sb = fresh;
		fresh = NULL;
	}
	sb = memfd_sb;
	spin_unlock(&memfd_sb_lock);
	if (fresh) {		/* lost a race with another first caller */
		fresh->root->nlink = 0;
		inode_put(fresh->root);
		kfree(fresh);
	}
	return sb;
}

/* memfd_create(2)'s file: an unlinked regular tmpfs file named "memfd:NAME", open
 * O_RDWR, owned by the caller, sealable when sealable (else sealed with
 * F_SEAL_SEAL). The file with one reference, or an ERR_PTR. */
struct file *memfd_file_create(const char *name, bool sealable)
{
	struct super_block *sb = memfd_get_sb();
	size_t len = strlen(name) + sizeof("memfd:");
	char *full;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	full = kmalloc(len);
	if (!full)
		return ERR_PTR(-ENOMEM);
	ksnprintf(full, len, "memfd:%s", name);
	return tmpfs_open_unlinked(sb, full, sealable ? 0 : F_SEAL_SEAL);
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
