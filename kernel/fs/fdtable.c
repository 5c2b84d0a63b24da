/*
 * fdtable.c — per-process fd tables and fs state (root, cwd, umask).
 *
 * fd_table.lock protects files[] and cloexec[]; a file pointer taken out of the
 * table is counted before the lock is dropped. fs_state.lock protects root, cwd and
 * umask; readers take counted copies.
 */
#include "fs/fs.h"
#include "fs/locks.h"
#include "mm/mm.h"

/* The current task's fd table (NULL for kernel threads without one). */
struct fd_table *current_files(void)
{
	return task_files(current);
}

/* The current task's fs state (NULL for kernel threads without one). */
struct fs_state *current_fs(void)
{
	return task_fs(current);
}

/* An empty fd table with one reference; NULL when out of memory. */
struct fd_table *fd_table_create(void)
{
	struct fd_table *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	spin_init(&t->lock, "fd_table");
	t->refcount = 1;
	return t;
}

/* fork: a table with the same open files (each counted once more). */
struct fd_table *fd_table_clone(struct fd_table *src)
{
	struct fd_table *t = fd_table_create();
	uint64_t flags;
	int fd;

	if (!t)
		return ERR_PTR(-ENOMEM);
	flags = spin_lock_irqsave(&src->lock);
	for (fd = 0; fd < NOFILE_MAX; fd++) {
		t->files[fd] = src->files[fd];
		if (t->files[fd])
			file_get(t->files[fd]);
	}
	memcpy(t->cloexec, src->cloexec, sizeof(t->cloexec));
	spin_unlock_irqrestore(&src->lock, flags);
	return t;
}

/* Takes a reference (CLONE_FILES). */
void fd_table_get(struct fd_table *table)
{
	__atomic_add_fetch(&table->refcount, 1, __ATOMIC_ACQ_REL);
}

/* Closes one fd's file taken out of table: the table's POSIX locks on it go, then the
 * table's reference. */
static void fd_release(struct fd_table *table, struct file *file)
{
	locks_remove_posix(file, table);
	file_put(file);
}

/* Drops a reference; at the last one closes every fd and frees the table. */
void fd_table_put(struct fd_table *table)
{
	int fd;

	if (!table || __atomic_sub_fetch(&table->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	for (fd = 0; fd < NOFILE_MAX; fd++)
		if (table->files[fd])
			fd_release(table, table->files[fd]);
	kfree(table);
}

/* Takes file out of slot fd under the lock; the caller puts it. */
static struct file *fd_take_locked(struct fd_table *table, int fd)
{
	struct file *file = table->files[fd];

	assert_held(&table->lock);
	table->files[fd] = NULL;
	table->cloexec[fd / 64] &= ~(1UL << (fd % 64));
	return file;
}

/* exec: closes the fds marked close-on-exec. */
void fd_table_close_on_exec(struct fd_table *table)
{
	uint64_t flags;
	struct file *file;
	int fd;

	for (fd = 0; fd < NOFILE_MAX; fd++) {
		if (!(table->cloexec[fd / 64] & (1UL << (fd % 64))))
			continue;
		flags = spin_lock_irqsave(&table->lock);
		file = fd_take_locked(table, fd);
		spin_unlock_irqrestore(&table->lock, flags);
		if (file)
			fd_release(table, file);
	}
}

/* The file at fd of the current task, counted, or ERR_PTR(-EBADF). Takes the table
 * lock. */
struct file *fd_get_file(int fd)
{
	struct fd_table *table = current_files();
	struct file *file = NULL;
	uint64_t flags;

	if (fd < 0 || fd >= NOFILE_MAX || !table)
		return ERR_PTR(-EBADF);
	flags = spin_lock_irqsave(&table->lock);
	file = table->files[fd];
	if (file)
		file_get(file);
	spin_unlock_irqrestore(&table->lock, flags);
	return file ? file : ERR_PTR(-EBADF);
}

static void fd_set_locked(struct fd_table *table, int fd, struct file *file, bool cloexec)
{
	table->files[fd] = file;
	if (cloexec)
		table->cloexec[fd / 64] |= 1UL << (fd % 64);
	else
		table->cloexec[fd / 64] &= ~(1UL << (fd % 64));
}

static bool fd_is_reserved_locked(struct fd_table *table, int fd)
{
	return table->reserved[fd / 64] & (1UL << (fd % 64));
}

/* The lowest fd >= minfd neither open nor reserved, or -EMFILE; table->lock held. */
static int fd_find_free_locked(struct fd_table *table, int minfd)
{
	for (int fd = minfd; fd < NOFILE_MAX; fd++)
		if (!table->files[fd] && !fd_is_reserved_locked(table, fd))
			return fd;
	return -EMFILE;
}

/* Installs file at the lowest free fd >= minfd (F_DUPFD); takes over the caller's
 * reference on success. Returns the fd or -EMFILE. */
int fd_install_from(struct fd_table *table, struct file *file, int minfd, bool cloexec)
{
	uint64_t flags = spin_lock_irqsave(&table->lock);
	int fd = fd_find_free_locked(table, minfd);

	if (fd >= 0)
		fd_set_locked(table, fd, file, cloexec);
	spin_unlock_irqrestore(&table->lock, flags);
	return fd;
}

/* Reserves the lowest free fd of table (Linux's get_unused_fd_flags): it reads as
 * closed and nothing else takes it until fd_install_reserved or fd_unreserve. The
 * fd or -EMFILE. */
int fd_reserve(struct fd_table *table)
{
	uint64_t flags = spin_lock_irqsave(&table->lock);
	int fd = fd_find_free_locked(table, 0);

	if (fd >= 0)
		table->reserved[fd / 64] |= 1UL << (fd % 64);
	spin_unlock_irqrestore(&table->lock, flags);
	return fd;
}

/* Gives back a reserved fd that was never installed (put_unused_fd). */
void fd_unreserve(struct fd_table *table, int fd)
{
	uint64_t flags = spin_lock_irqsave(&table->lock);

	table->reserved[fd / 64] &= ~(1UL << (fd % 64));
	spin_unlock_irqrestore(&table->lock, flags);
}

/* Installs file at the reserved fd (fd_install); takes over the caller's reference. */
void fd_install_reserved(struct fd_table *table, int fd, struct file *file, bool cloexec)
{
	uint64_t flags = spin_lock_irqsave(&table->lock);

	table->reserved[fd / 64] &= ~(1UL << (fd % 64));
	fd_set_locked(table, fd, file, cloexec);
	spin_unlock_irqrestore(&table->lock, flags);
}

/* Lowest free fd; O_CLOEXEC in flags. Takes over the caller's reference on success. */
int fd_install(struct fd_table *table, struct file *file, unsigned flags)
{
	return fd_install_from(table, file, 0, flags & O_CLOEXEC);
}

/* Puts file at newfd, closing what was there; takes over the caller's reference on
 * success. -EBUSY when newfd is reserved (fd_reserve), as Linux's dup2. */
int fd_install_at(struct fd_table *table, int newfd, struct file *file, bool cloexec)
{
	uint64_t flags = spin_lock_irqsave(&table->lock);
	struct file *old = table->files[newfd];

	if (fd_is_reserved_locked(table, newfd)) {
		spin_unlock_irqrestore(&table->lock, flags);
		return -EBUSY;
	}
	fd_set_locked(table, newfd, file, cloexec);
	spin_unlock_irqrestore(&table->lock, flags);
	if (old)
		fd_release(table, old);
	return newfd;
}

/* Closes fd of table; -EBADF when it is not open. */
int fd_close(struct fd_table *table, int fd)
{
	struct file *file = NULL;
	uint64_t flags;

	if (fd < 0 || fd >= NOFILE_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&table->lock);
	file = fd_take_locked(table, fd);
	spin_unlock_irqrestore(&table->lock, flags);
	if (!file)
		return -EBADF;
	fd_release(table, file);
	return 0;
}

/* FD_CLOEXEC of fd in the current table, or -EBADF. */
int fd_get_cloexec(int fd)
{
	struct fd_table *table = current_files();
	uint64_t flags;
	int ret;

	if (fd < 0 || fd >= NOFILE_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&table->lock);
	ret = table->files[fd] ? !!(table->cloexec[fd / 64] & (1UL << (fd % 64))) : -EBADF;
	spin_unlock_irqrestore(&table->lock, flags);
	return ret;
}

/* Sets or clears FD_CLOEXEC of fd; -EBADF when not open. */
int fd_set_cloexec(int fd, bool on)
{
	struct fd_table *table = current_files();
	uint64_t flags;
	int ret = 0;

	if (fd < 0 || fd >= NOFILE_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&table->lock);
	if (table->files[fd])
		fd_set_locked(table, fd, table->files[fd], on);
	else
		ret = -EBADF;
	spin_unlock_irqrestore(&table->lock, flags);
	return ret;
}

/* fs state at the root mount's root, umask 022; NULL when out of memory. */
struct fs_state *fs_state_create(void)
{
	struct fs_state *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	spin_init(&fs->lock, "fs_state");
	fs->root.mnt = fs->cwd.mnt = root_mount;
	fs->root.inode = fs->cwd.inode = root_mount->root;
	path_get(&fs->root);
	path_get(&fs->cwd);
	fs->umask = 022;
	fs->refcount = 1;
	return fs;
}

/* fork without CLONE_FS: a copy. NULL when out of memory. */
struct fs_state *fs_state_clone(struct fs_state *src)
{
	struct fs_state *fs = kzalloc(sizeof(*fs));
	uint64_t flags;

	if (!fs)
		return NULL;
	spin_init(&fs->lock, "fs_state");
	flags = spin_lock_irqsave(&src->lock);
	fs->root = src->root;
	fs->cwd = src->cwd;
	fs->umask = src->umask;
	path_get(&fs->root);
	path_get(&fs->cwd);
	spin_unlock_irqrestore(&src->lock, flags);
	fs->refcount = 1;
	return fs;
}

/* Takes a reference (CLONE_FS). */
void fs_state_get(struct fs_state *fs)
{
	__atomic_add_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL);
}

/* Drops a reference; the last one releases root and cwd. */
void fs_state_put(struct fs_state *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	kfree(fs);
}

static void fs_state_copy_out(struct path *field, struct path *out)
{
	struct fs_state *fs = current_fs();
	uint64_t flags;

	if (!fs) {	/* kernel threads before init: the root mount */
		out->mnt = root_mount;
		out->inode = root_mount->root;
		path_get(out);
		return;
	}
	flags = spin_lock_irqsave(&fs->lock);
	*out = *field;
	path_get(out);
	spin_unlock_irqrestore(&fs->lock, flags);
}

/* A counted copy of the current root (the root mount for kernel threads). */
void fs_state_get_root(struct path *out)
{
	struct fs_state *fs = current_fs();

	fs_state_copy_out(fs ? &fs->root : NULL, out);
}

/* A counted copy of the current working directory. */
void fs_state_get_cwd(struct path *out)
{
	struct fs_state *fs = current_fs();

	fs_state_copy_out(fs ? &fs->cwd : NULL, out);
}

static void fs_state_replace(bool root, const struct path *p)
{
	struct fs_state *fs = current_fs();
	struct path old, new = *p;
	uint64_t flags;

	path_get(&new);
	flags = spin_lock_irqsave(&fs->lock);
	old = root ? fs->root : fs->cwd;
	if (root)
		fs->root = new;
	else
		fs->cwd = new;
	spin_unlock_irqrestore(&fs->lock, flags);
	path_put(&old);
}

/* chroot: replaces the root with p (counted again here). */
void fs_state_set_root(const struct path *p)
{
	fs_state_replace(true, p);
}

/* chdir: replaces the working directory with p (counted again here). */
void fs_state_set_cwd(const struct path *p)
{
	fs_state_replace(false, p);
}

/* The size Linux's fd table would have (64, then 128 times a power of two covering
 * the highest open fd): select(2) ignores bits beyond it. */
int fd_table_max_fds(struct fd_table *table)
{
	uint64_t flags = spin_lock_irqsave(&table->lock);
	int fd, high = -1, size;

	for (fd = NOFILE_MAX - 1; fd >= 0 && high < 0; fd--)
		if (table->files[fd])
			high = fd;
	spin_unlock_irqrestore(&table->lock, flags);
	if (high < 64)
		return 64;
	for (size = 128; size <= high; size *= 2)
		;
	return MIN(size, NOFILE_MAX);
}
