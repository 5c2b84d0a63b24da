/*
 * tmpfs.c — the memory file system: the root file system, /tmp and the base of
 * devtmpfs. Regular files keep their data in whole pages (page_alloc), indexed by
 * page number; a missing page is a hole. Shared mappings map these very pages
 * (share_page), private ones borrow them until written (get_page). Files carry
 * seals (memfd.c sets them), enforced here on truncate, write and shared mmap.
 *
 * Everything here runs under the super block's mutex (see fs.h): the VFS takes it
 * around inode_operations, the file operations below take it themselves.
 */
#include "fs/fs.h"
#include "mm/mm.h"

/* One name in a directory. The inode is not counted: it lives while nlink > 0. */
struct tmpfs_dirent {
	char *name;
	size_t len;
	struct inode *inode;
	int64_t cookie;			/* getdents position, increasing in the list */
	struct list_head link;
};
#define TMPFS_DIRENT_SIZE 20	/* Linux's BOGO_DIRENT_SIZE: a directory's size grows by it */

struct tmpfs_dir {
	struct list_head entries;
	int64_t next_cookie;
};
struct tmpfs_data {
	uint64_t *pages;		/* physical addresses, 0 for holes */
	size_t npages;			/* capacity of pages[] */
	unsigned seals;			/* F_SEAL_*; F_SEAL_SEAL unless a sealable memfd */
	char *memfd_name;		/* "memfd:NAME" (memfd_create), "dev/zero" (shared
					   anonymous memory) or NULL: see get_path */
};

static const struct file_operations tmpfs_file_fops;
static const struct inode_operations tmpfs_file_iops;
static const struct inode_operations tmpfs_link_iops;

static struct tmpfs_dirent *tmpfs_find(struct inode *dir, const char *name, size_t len)
{
	struct tmpfs_dir *d = dir->priv;
	struct tmpfs_dirent *de;

	list_for_each_entry(de, &d->entries, link)
		if (de->len == len && !memcmp(de->name, name, len))
			return de;
	return NULL;
}

static int tmpfs_add(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct tmpfs_dir *d = dir->priv;
	struct tmpfs_dirent *de = kzalloc(sizeof(*de));

	if (!de)
		return -ENOMEM;
	de->name = kstrndup(name, len);
	if (!de->name) {
		kfree(de);
		return -ENOMEM;
	}
	de->len = len;
	de->inode = inode;
	de->cookie = d->next_cookie++;
	list_add_tail(&de->link, &d->entries);
	dir->size += TMPFS_DIRENT_SIZE;
	inode_touch(dir, false, true, true);
	return 0;
}

static void tmpfs_dirent_free(struct inode *dir, struct tmpfs_dirent *de)
{
	dir->size -= TMPFS_DIRENT_SIZE;
	list_del(&de->link);
	kfree(de->name);
	kfree(de);
}

/* Drops one name of inode; frees it when it was the last name and unreferenced. */
static void tmpfs_drop_link(struct inode *inode)
{
	inode_get(inode);
	if (S_ISDIR(inode->mode))
		inode->nlink = 0;
	else if (inode->nlink)
		inode->nlink--;
	inode_touch(inode, false, false, true);
	inode_put(inode);
}

static int tmpfs_init_inode(struct inode *inode, struct inode *dir)
{
	inode->btime_ns = inode->ctime_ns;
	if (S_ISDIR(inode->mode)) {
		struct tmpfs_dir *d = kzalloc(sizeof(*d));

		if (!d)
			return -ENOMEM;
		list_init(&d->entries);
		d->next_cookie = 2;
		inode->priv = d;
		inode->iops = &tmpfs_dir_iops;
		inode->nlink = 2;
		inode->size = 2 * TMPFS_DIRENT_SIZE;
		inode->parent = dir ? dir : inode;
		if (dir)
			inode_get(dir);
	} else if (S_ISREG(inode->mode)) {
		struct tmpfs_data *data = kzalloc(sizeof(*data));

		if (!data)
			return -ENOMEM;
		data->seals = F_SEAL_SEAL;
		inode->priv = data;
		inode->iops = &tmpfs_file_iops;
		inode->fops = &tmpfs_file_fops;
	} else if (S_ISLNK(inode->mode)) {
		inode->iops = &tmpfs_link_iops;
	}
	return 0;
}

static struct inode *tmpfs_new_inode(struct inode *dir, mode_t mode, dev_t rdev)
{
	struct inode *inode = inode_alloc(dir->sb, mode);

	if (!inode)
		return NULL;
	inode->rdev = rdev;
	if (dir->mode & S_ISGID) {
		inode->gid = dir->gid;
		if (S_ISDIR(mode))
			inode->mode |= S_ISGID;
	}
	if (tmpfs_init_inode(inode, dir)) {
		inode->nlink = 0;
		inode_put(inode);
		return NULL;
	}
	return inode;
}

static int tmpfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct tmpfs_dirent *de = tmpfs_find(dir, name, len);

	if (!de)
		return -ENOENT;
	inode_get(de->inode);
	*out = de->inode;
	return 0;
}

static int tmpfs_create(struct inode *dir, const char *name, size_t len, mode_t mode,
			dev_t rdev, struct inode **out)
{
	struct inode *inode;
	int err;

	if (tmpfs_find(dir, name, len))
		return -EEXIST;
	inode = tmpfs_new_inode(dir, mode, rdev);
	if (!inode)
		return -ENOMEM;
	err = tmpfs_add(dir, name, len, inode);
	if (err) {
		tmpfs_drop_link(inode);
		inode_put(inode);
		return err;
	}
	if (S_ISDIR(mode))
		dir->nlink++;
	*out = inode;
	return 0;
}

static int tmpfs_symlink(struct inode *dir, const char *name, size_t len, const char *target)
{
	struct inode *inode;
	int err;

	err = tmpfs_create(dir, name, len, S_IFLNK | 0777, 0, &inode);
	if (err)
		return err;
	inode->priv = kstrdup(target);
	inode->size = strlen(target);
	if (!inode->priv) {
		tmpfs_dirent_free(dir, tmpfs_find(dir, name, len));
		tmpfs_drop_link(inode);
		err = -ENOMEM;
	}
	inode_put(inode);
	return err;
}

static int tmpfs_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	int err;

	if (tmpfs_find(dir, name, len))
		return -EEXIST;
	err = tmpfs_add(dir, name, len, inode);
	if (err)
		return err;
	inode->nlink++;
	inode_touch(inode, false, false, true);
	return 0;
}

static bool tmpfs_dir_empty(struct inode *dir)
{
	return list_empty(&((struct tmpfs_dir *)dir->priv)->entries);
}

static int tmpfs_unlink(struct inode *dir, const char *name, size_t len, bool dir_expected)
{
	struct tmpfs_dirent *de = tmpfs_find(dir, name, len);
	struct inode *inode;

	if (!de)
		return -ENOENT;
	inode = de->inode;
	if (dir_expected && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (!dir_expected && S_ISDIR(inode->mode))
		return -EISDIR;
	if (inode->mounted)
		return -EBUSY;
	if (dir_expected && !tmpfs_dir_empty(inode))
		return -ENOTEMPTY;
	tmpfs_dirent_free(dir, de);
	if (dir_expected)
		dir->nlink--;
	inode_touch(dir, false, true, true);
	tmpfs_drop_link(inode);
	return 0;
}

static void tmpfs_move_dir(struct inode *inode, struct inode *from, struct inode *to)
{
	if (!S_ISDIR(inode->mode) || from == to)
		return;
	from->nlink--;
	to->nlink++;
	inode_get(to);
	inode->parent = to;
	inode_put(from);
}

static int tmpfs_rename_check(struct tmpfs_dirent *o, struct tmpfs_dirent *n,
			      struct inode *odir, struct inode *ndir, unsigned flags)
{
	if ((flags & RENAME_EXCHANGE) && !n)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && n)
		return -EEXIST;
	if (S_ISDIR(o->inode->mode) && inode_is_ancestor(o->inode, ndir))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && S_ISDIR(n->inode->mode) &&
	    inode_is_ancestor(n->inode, odir))
		return -EINVAL;
	if (!n || (flags & RENAME_EXCHANGE))
		return 0;
	if (o->inode->mounted || n->inode->mounted)
		return -EBUSY;
	if (S_ISDIR(o->inode->mode) && !S_ISDIR(n->inode->mode))
		return -ENOTDIR;
	if (!S_ISDIR(o->inode->mode) && S_ISDIR(n->inode->mode))
		return -EISDIR;
	if (S_ISDIR(n->inode->mode) && !tmpfs_dir_empty(n->inode))
		return -ENOTEMPTY;
	return 0;
}

static int tmpfs_rename(struct inode *odir, const char *oname, size_t olen,
			struct inode *ndir, const char *nname, size_t nlen, unsigned flags)
{
	struct tmpfs_dirent *o = tmpfs_find(odir, oname, olen);
	struct tmpfs_dirent *n = tmpfs_find(ndir, nname, nlen);
	struct inode *victim;
	int err;

	if (!o)
		return -ENOENT;
	if (n && n->inode == o->inode)
		return 0;
	err = tmpfs_rename_check(o, n, odir, ndir, flags);
	if (err)
		return err;
	if (flags & RENAME_EXCHANGE) {
		victim = o->inode;
		o->inode = n->inode;
		n->inode = victim;
		tmpfs_move_dir(n->inode, odir, ndir);
		tmpfs_move_dir(o->inode, ndir, odir);
	} else {
		if (n) {
			victim = n->inode;
			tmpfs_dirent_free(ndir, n);
			if (S_ISDIR(victim->mode))
				ndir->nlink--;
			tmpfs_drop_link(victim);
		}
		err = tmpfs_add(ndir, nname, nlen, o->inode);
		if (err)
			return err;
		tmpfs_move_dir(o->inode, odir, ndir);
		tmpfs_dirent_free(odir, o);
	}
	inode_touch(odir, false, true, true);
	inode_touch(ndir, false, true, true);
	return 0;
}

static int tmpfs_readlink(struct inode *inode, char *buf, size_t size)
{
	size_t len = MIN(size, inode->size);

	memcpy(buf, inode->priv, len);
	return len;
}

static int tmpfs_iterate(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx)
{
	struct tmpfs_dir *d = dir->priv;
	struct tmpfs_dirent *de;

	if (!inode_emit_dots(dir, pos, emit, ctx))
		return 0;
	list_for_each_entry(de, &d->entries, link) {
		if (de->cookie < *pos)
			continue;
		if (!emit(ctx, de->name, de->len, de->inode->ino,
			  mode_to_dtype(de->inode->mode), de->cookie + 1))
			return 0;
		*pos = de->cookie + 1;
	}
	return 0;
}

/* Makes room for page index idx in the page array. */
static int tmpfs_data_grow(struct tmpfs_data *data, size_t idx)
{
	size_t cap = data->npages ? data->npages : 8;
	uint64_t *pages;

	if (idx < data->npages)
		return 0;
	while (cap <= idx)
		cap *= 2;
	pages = kzalloc(cap * sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	if (data->pages)
		memcpy(pages, data->pages, data->npages * sizeof(*pages));
	kfree(data->pages);
	data->pages = pages;
	data->npages = cap;
	return 0;
}

/* vm_unmap_file_pages asks whether a private mapping's page is the file's own. */
static bool tmpfs_page_lent(void *ctx, uint64_t index, uint64_t phys)
{
	struct tmpfs_data *data = ctx;

	return index < data->npages && data->pages[index] == phys;
}

/* Frees the pages beyond size and zeroes the tail of the last one. */
static void tmpfs_free_pages(struct inode *inode, uint64_t size)
{
	struct tmpfs_data *data = inode->priv;
	size_t keep = DIV_ROUND_UP(size, PAGE_SIZE);
	size_t i;

	for (i = keep; i < data->npages; i++) {
		if (data->pages[i]) {
			page_put(data->pages[i]);
			data->pages[i] = 0;
			inode->blocks -= PAGE_SIZE / 512;
		}
	}
	if (size % PAGE_SIZE && keep - 1 < data->npages && data->pages[keep - 1])
		memset((char *)phys_to_virt(data->pages[keep - 1]) + size % PAGE_SIZE, 0,
		       PAGE_SIZE - size % PAGE_SIZE);
}

/* Sets the size; a shrinking file's pages beyond the new end leave every mapping
 * first (accesses there get SIGBUS, as on Linux). EPERM against the F_SEAL_SHRINK
 * and F_SEAL_GROW seals (truncate, O_TRUNC, fallocate's growth). */
static int tmpfs_truncate(struct inode *inode, uint64_t size)
{
	struct tmpfs_data *data = inode->priv;
	uint64_t old = inode->size;

	if (((data->seals & F_SEAL_SHRINK) && size < old) ||
	    ((data->seals & F_SEAL_GROW) && size > old))
		return -EPERM;
	WRITE_ONCE(inode->size, size);
	if (size < old)
		vm_unmap_file_pages(inode, size, tmpfs_page_lent, inode->priv);
	tmpfs_free_pages(inode, size);
	inode_touch(inode, false, true, true);
	return 0;
}

/*
 * File data is copied with the super block's mutex dropped: a user buffer may sit in
 * a not yet faulted-in file mapping, and reading that page in takes the same mutex.
 * Each copy holds a page reference instead, so a concurrent truncate cannot free it.
 */
static ssize_t tmpfs_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	struct tmpfs_data *data = inode->priv;
	static const char zeroes[PAGE_SIZE];
	size_t done = 0;
	int err = 0;

	while (done < buf->len) {
		size_t idx = *pos / PAGE_SIZE, off = *pos % PAGE_SIZE, n;
		uint64_t page = 0;

		fs_mutex_lock(&inode->sb->mutex);
		if ((uint64_t)*pos >= inode->size) {
			fs_mutex_unlock(&inode->sb->mutex);
			break;
		}
		n = MIN(MIN(PAGE_SIZE - off, buf->len - done), inode->size - *pos);
		if (idx < data->npages && data->pages[idx]) {
			page = data->pages[idx];
			page_get(page);
		}
		fs_mutex_unlock(&inode->sb->mutex);
		err = iobuf_copy_out(buf, done, page ? (char *)phys_to_virt(page) + off : zeroes, n);
		if (page)
			page_put(page);
		if (err)
			break;
		done += n;
		*pos += n;
	}
	fs_mutex_lock(&inode->sb->mutex);
	inode_touch(inode, true, false, false);
	fs_mutex_unlock(&inode->sb->mutex);
	return done ? (ssize_t)done : err;
}

/* Returns (counted) the page holding pos, allocating it. Needs sb->mutex. */
static int tmpfs_get_page_locked(struct inode *inode, uint64_t pos, uint64_t *out)
{
	struct tmpfs_data *data = inode->priv;
	size_t idx = pos / PAGE_SIZE;
	int err = tmpfs_data_grow(data, idx);

	if (err)
		return err;
	if (!data->pages[idx]) {
		data->pages[idx] = page_alloc();
		if (!data->pages[idx])
			return -ENOSPC;
		inode->blocks += PAGE_SIZE / 512;
	}
	*out = data->pages[idx];
	page_get(*out);
	return 0;
}

/* file_operations.get_page: the data page at offset, counted, when the page is
 * wholly within the file; 0 for holes and the last partial page, -ENXIO for a page
 * wholly beyond the end. */
static int tmpfs_file_get_page(struct file *file, uint64_t offset, uint64_t *page)
{
	struct inode *inode = file->inode;
	struct tmpfs_data *data = inode->priv;
	size_t idx = offset / PAGE_SIZE;
	int err = 0;

	*page = 0;
	fs_mutex_lock(&inode->sb->mutex);
	if (offset >= ALIGN_UP(inode->size, PAGE_SIZE)) {
		err = -ENXIO;
	} else if (offset + PAGE_SIZE <= inode->size && idx < data->npages && data->pages[idx]) {
		*page = data->pages[idx];
		page_get(*page);
	}
	fs_mutex_unlock(&inode->sb->mutex);
	return err;
}

/* file_operations.share_page: the file's own page at offset, counted, allocated for
 * a hole; -ENXIO beyond the end of the file. */
static int tmpfs_file_share_page(struct file *file, uint64_t offset, uint64_t *page)
{
	struct inode *inode = file->inode;
	int err = -ENXIO;

	fs_mutex_lock(&inode->sb->mutex);
	if (offset < ALIGN_UP(inode->size, PAGE_SIZE))
		err = tmpfs_get_page_locked(inode, offset, page);
	fs_mutex_unlock(&inode->sb->mutex);
	return err;
}

/* file_operations.page_cached (mincore): whether the page at offset exists. */
static bool tmpfs_file_page_cached(struct file *file, uint64_t offset)
{
	struct inode *inode = file->inode;
	struct tmpfs_data *data = inode->priv;
	size_t idx = offset / PAGE_SIZE;
	bool cached;

	fs_mutex_lock(&inode->sb->mutex);
	cached = idx < data->npages && data->pages[idx];
	fs_mutex_unlock(&inode->sb->mutex);
	return cached;
}

/* EPERM when the seals forbid a write up to end (F_SEAL_WRITE, F_SEAL_FUTURE_WRITE,
 * F_SEAL_GROW past the size). Needs sb->mutex. */
static int tmpfs_write_sealed(struct inode *inode, uint64_t end)
{
	struct tmpfs_data *data = inode->priv;

	if (data->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if ((data->seals & F_SEAL_GROW) && end > inode->size)
		return -EPERM;
	return 0;
}

/* file_operations.mmap: under F_SEAL_WRITE or F_SEAL_FUTURE_WRITE, as Linux's
 * seal_check_write, a writable shared mapping is -EPERM and a read-only one may
 * never become writable (VM_NOMAYWRITE: mprotect gives EACCES). */
static int tmpfs_file_mmap(struct file *file, uint64_t offset, uint64_t len, uint32_t *vm_flags)
{
	struct tmpfs_data *data = file->inode->priv;

	if (!(*vm_flags & VM_SHARED) ||
	    !(READ_ONCE(data->seals) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return 0;
	if (*vm_flags & VM_WRITE)
		return -EPERM;
	*vm_flags |= VM_NOMAYWRITE;
	return 0;
}

static ssize_t tmpfs_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	size_t done = 0;
	uint64_t page;
	int err = 0;

	if (file->flags & O_APPEND) {
		fs_mutex_lock(&inode->sb->mutex);
		*pos = inode->size;
		fs_mutex_unlock(&inode->sb->mutex);
	}
	while (done < buf->len) {
		size_t n = MIN(PAGE_SIZE - *pos % PAGE_SIZE, buf->len - done);

		fs_mutex_lock(&inode->sb->mutex);
		err = tmpfs_write_sealed(inode, *pos + n);
		if (!err)
			err = tmpfs_get_page_locked(inode, *pos, &page);
		fs_mutex_unlock(&inode->sb->mutex);
		if (err)
			break;
		err = iobuf_copy_in((char *)phys_to_virt(page) + *pos % PAGE_SIZE, buf, done, n);
		page_put(page);
		if (err)
			break;
		done += n;
		*pos += n;
		fs_mutex_lock(&inode->sb->mutex);
		if ((uint64_t)*pos > inode->size)
			inode->size = *pos;
		inode_touch(inode, false, true, true);
		fs_mutex_unlock(&inode->sb->mutex);
	}
	return done ? (ssize_t)done : err;
}

static off_t tmpfs_llseek(struct file *file, off_t offset, int whence)
{
	uint64_t size = READ_ONCE(file->inode->size);

	switch (whence) {
	case SEEK_DATA:
		return (uint64_t)offset < size ? offset : -ENXIO;
	case SEEK_HOLE:
		return (uint64_t)offset < size ? (off_t)size : -ENXIO;
	}
	return -EINVAL;
}

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_dirent *de, *tmp;

	if (S_ISREG(inode->mode) && inode->priv) {
		struct tmpfs_data *data = inode->priv;

		tmpfs_free_pages(inode, 0);
		kfree(data->pages);
		kfree(data->memfd_name);
	} else if (S_ISDIR(inode->mode) && inode->priv) {
		list_for_each_entry_safe(de, tmp, &((struct tmpfs_dir *)inode->priv)->entries, link)
			tmpfs_dirent_free(inode, de);
	}
	kfree(inode->priv);
}

const struct inode_operations tmpfs_dir_iops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rename = tmpfs_rename,
	.iterate = tmpfs_iterate,
};
static const struct inode_operations tmpfs_file_iops = {
	.truncate = tmpfs_truncate,
};
static const struct inode_operations tmpfs_link_iops = {
	.readlink = tmpfs_readlink,
};
/* file_operations.get_path, asked only for files opened by no path (files opened
 * by one have an origin): /proc/PID/fd and /proc/PID/maps name a memfd
 * "/memfd:NAME (deleted)" and shared anonymous memory "/dev/zero (deleted)", as
 * Linux; -ENOENT for a tmpfs file without such a name. */
static int tmpfs_file_get_path(struct file *file, char *buf, size_t size)
{
	struct tmpfs_data *data = file->inode->priv;
	int len;

	if (!data->memfd_name)
		return -ENOENT;
	len = ksnprintf(buf, size, "/%s (deleted)", data->memfd_name);
	return (size_t)len < size ? len : -ENAMETOOLONG;
}

static const struct file_operations tmpfs_file_fops = {
	.shmem = true,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.llseek = tmpfs_llseek,
	.get_page = tmpfs_file_get_page,
	.share_page = tmpfs_file_share_page,
	.page_cached = tmpfs_file_page_cached,
	.mmap = tmpfs_file_mmap,
	.get_path = tmpfs_file_get_path,
};
static const struct super_operations tmpfs_sops = {
	.evict = tmpfs_evict,
};

/* A new, empty tmpfs (root directory mode 1777 like /tmp; callers chmod). NULL when
 * out of memory. */
struct super_block *tmpfs_create_sb(const struct file_system_type *type)
{
	struct super_block *sb = sb_alloc(type, &tmpfs_sops, TMPFS_MAGIC);

	if (!sb)
		return NULL;
	sb->root = inode_alloc(sb, S_IFDIR | 01777);
	if (!sb->root || tmpfs_init_inode(sb->root, NULL)) {
		kfree(sb->root);
		kfree(sb);
		return NULL;
	}
	return sb;
}

static struct super_block *tmpfs_get_sb(const struct file_system_type *type, const char *src)
{
	struct super_block *sb = tmpfs_create_sb(type);

	return sb ? sb : ERR_PTR(-ENOMEM);
}

/* The size= and nr_inodes= options of the internal instances (half of memory). */
size_t tmpfs_show_size(struct super_block *sb, char *buf, size_t size)
{
	return ksnprintf(buf, size, ",size=%luk,nr_inodes=%lu", pages_total() / 2 * (PAGE_SIZE / 1024),
			 pages_total() / 2);
}

static size_t tmpfs_show_options(struct super_block *sb, char *buf, size_t size)
{
	return ksnprintf(buf, size, ",inode64");
}

static size_t rootfs_show_options(struct super_block *sb, char *buf, size_t size)
{
	size_t len = tmpfs_show_size(sb, buf, size);

	return len + ksnprintf(buf + MIN(len, size), size - MIN(len, size), ",inode64");
}

struct file_system_type tmpfs_type = {
	.name = "tmpfs",
	.nodev = true,
	.get_sb = tmpfs_get_sb,
	.show_options = tmpfs_show_options,
};

/* The root file system's type, as Linux names it; not mountable by name. */
struct file_system_type rootfs_type = {
	.name = "rootfs",
	.nodev = true,
	.show_options = rootfs_show_options,
};

/* An unlinked regular file on sb opened O_RDWR, for memfd_create: memfd_name (a
 * kmalloc'd "memfd:NAME", taken over in all cases) names it in /proc; seals are
 * its first seals. The file with one reference, or an ERR_PTR. */
struct file *tmpfs_open_unlinked(struct super_block *sb, char *memfd_name, unsigned seals)
{
	struct inode *inode = inode_alloc(sb, S_IFREG | 0777);
	struct tmpfs_data *data;
	struct file *file;

	if (!inode || tmpfs_init_inode(inode, NULL)) {
		kfree(memfd_name);
		if (inode) {
			inode->nlink = 0;
			inode_put(inode);
		}
		return ERR_PTR(-ENOMEM);
	}
	inode->nlink = 0;
	data = inode->priv;
	data->memfd_name = memfd_name;
	data->seals = seals;
	file = file_alloc(&tmpfs_file_fops, NULL, O_RDWR | O_LARGEFILE);
	if (IS_ERR(file)) {
		inode_put(inode);
		return file;
	}
	file->inode = inode;
	return file;
}

/* The seals of a tmpfs file (memfd or not), or NULL for any other file. Reading or
 * changing them needs the file's sb->mutex. */
unsigned *tmpfs_seals(struct file *file)
{
	struct inode *inode = file->inode;

	if (!inode || !S_ISREG(inode->mode) || file->ops != &tmpfs_file_fops)
		return NULL;
	return &((struct tmpfs_data *)inode->priv)->seals;
}
