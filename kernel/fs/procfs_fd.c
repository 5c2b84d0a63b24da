/*
 * procfs_fd.c — /proc/PID/fd: one symbolic link per open fd of the process, naming
 * the file it was opened by ("pipe:[ino]" for pipes, "socket:[ino]" for sockets), as Linux shows them.
 */
#include "fs/pseudo.h"
#include "mm/mm.h"

#define FD_CTX(pid, fd) ((void *)(uintptr_t)(((uint64_t)(pid) << 10) | (fd)))
#define CTX_PID(ctx) ((pid_t)((uintptr_t)(ctx) >> 10))
#define CTX_FD(ctx) ((int)((uintptr_t)(ctx) & 1023))

static struct pseudo_node *fd_link_node;

/* The file at fd of process pid, counted, or NULL. */
static struct file *proc_fd_file(pid_t pid, int fd)
{
	struct task *t = task_find_get(pid);
	struct fd_table *table = t ? task_files(t) : NULL;
	struct file *file = NULL;
	uint64_t flags;

	if (table && fd >= 0 && fd < NOFILE_MAX) {
		flags = spin_lock_irqsave(&table->lock);
		file = table->files[fd];
		if (file)
			file_get(file);
		spin_unlock_irqrestore(&table->lock, flags);
	}
	if (t)
		task_put(t);
	return file;
}

static int fd_link_readlink(void *ctx, char *buf, size_t size)
{
	struct file *file = proc_fd_file(CTX_PID(ctx), CTX_FD(ctx));
	char *path;
	int len;

	if (!file)
		return -ENOENT;
	path = kmalloc(PATH_MAX_LEN);
	if (!path)
		len = -ENOMEM;
	else if (file->inode && S_ISFIFO(file->inode->mode) && !file->mnt)
		len = ksnprintf(path, PATH_MAX_LEN, "pipe:[%lu]", (unsigned long)file->inode->ino);
	else if (file->inode && S_ISSOCK(file->inode->mode) && !file->mnt)
		len = ksnprintf(path, PATH_MAX_LEN, "socket:[%lu]", (unsigned long)file->inode->ino);
	else if (!file->inode && file->ops->dname)
		len = file->ops->dname(file, path, PATH_MAX_LEN);
	else if ((len = file_get_path(file, path, PATH_MAX_LEN)) < 0)
		len = ksnprintf(path, PATH_MAX_LEN, "anon_inode:%s",
				file->ops->anon_name ? file->ops->anon_name : "[unknown]");
	file_put(file);
	if (len >= 0) {
		len = MIN((size_t)len, size);
		memcpy(buf, path, len);
	}
	kfree(path);
	return len;
}

static int fd_dir_lookup(void *dir_ctx, const char *name, size_t len, struct pseudo_node **tmpl,
			 void **ctx)
{
	pid_t pid = (pid_t)(uintptr_t)dir_ctx;
	struct file *file;
	char tmp[8];
	uint64_t fd;

	if (len == 0 || len >= sizeof(tmp))
		return -ENOENT;
	memcpy(tmp, name, len);
	tmp[len] = 0;
	if (kstrtou64(tmp, 10, &fd) || fd >= NOFILE_MAX || (tmp[0] == '0' && len > 1))
		return -ENOENT;
	file = proc_fd_file(pid, fd);
	if (!file)
		return -ENOENT;
	file_put(file);
	*tmpl = fd_link_node;
	*ctx = FD_CTX(pid, fd);
	return 0;
}

static void fd_dir_iterate(void *dir_ctx, int64_t *pos, dir_emit_t emit, void *ectx)
{
	pid_t pid = (pid_t)(uintptr_t)dir_ctx;
	struct file *file;
	char name[8];
	int fd, len;

	for (fd = MAX(*pos - 0x10000, 0); fd < NOFILE_MAX; fd++) {
		file = proc_fd_file(pid, fd);
		if (!file)
			continue;
		file_put(file);
		len = ksnprintf(name, sizeof(name), "%d", fd);
		if (!emit(ectx, name, len, ((uint64_t)(uintptr_t)FD_CTX(pid, fd) << 16) +
			  fd_link_node->ino, DT_LNK, 0x10000 + fd + 1))
			return;
		*pos = 0x10000 + fd + 1;
	}
}

static const struct pseudo_dyn fd_dir_dyn = {
	.lookup = fd_dir_lookup,
	.iterate = fd_dir_iterate,
};

/* Adds fd/ to the per-process directory template; from procfs_init. */
bool procfs_fd_init(struct pseudo_node *pid_dir)
{
	struct pseudo_node *dir = pseudo_add(pid_dir, "fd", S_IFDIR | 0500);

	fd_link_node = pseudo_add(NULL, "fd-link", S_IFLNK | 0700);
	if (!dir || !fd_link_node)
		return false;
	dir->dyn = &fd_dir_dyn;
	fd_link_node->readlink = fd_link_readlink;
	return true;
}
