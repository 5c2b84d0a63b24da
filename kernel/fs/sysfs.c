/*
 * sysfs.c — /sys: a read-only tree of directories, attribute files and symbolic
 * links that drivers add to (DRM, input). Starts with Linux's skeleton directories.
 */
#include "fs/pseudo.h"
#include "mm/mm.h"

static struct pseudo_node *sysfs_root_node;
static struct super_block *sysfs_sb;

/* The lock that protects the tree once it is mounted. */
static struct fs_mutex *sysfs_lock(void)
{
	return &sysfs_sb->mutex;
}

struct sysfs_node *sysfs_root(void)
{
	return (struct sysfs_node *)sysfs_root_node;
}

static struct pseudo_node *sysfs_child(struct pseudo_node *dir, const char *name)
{
	struct pseudo_node *n;

	list_for_each_entry(n, &dir->children, link)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

static struct pseudo_node *sysfs_add(struct sysfs_node *parent, const char *name, mode_t mode)
{
	struct pseudo_node *dir = parent ? (struct pseudo_node *)parent : sysfs_root_node;
	struct pseudo_node *n = NULL;
	char *copy;

	fs_mutex_lock(sysfs_lock());
	if (!sysfs_child(dir, name) && (copy = kstrdup(name))) {
		n = pseudo_add(dir, copy, mode);
		if (!n)
			kfree(copy);
	}
	fs_mutex_unlock(sysfs_lock());
	return n;
}

struct sysfs_node *sysfs_mkdir(struct sysfs_node *parent, const char *name)
{
	struct pseudo_node *dir = parent ? (struct pseudo_node *)parent : sysfs_root_node;
	struct pseudo_node *n;

	fs_mutex_lock(sysfs_lock());
	n = sysfs_child(dir, name);
	fs_mutex_unlock(sysfs_lock());
	if (n)
		return S_ISDIR(n->mode) ? (struct sysfs_node *)n : NULL;
	return (struct sysfs_node *)sysfs_add(parent, name, S_IFDIR | 0755);
}

int sysfs_add_file(struct sysfs_node *dir, const char *name, mode_t mode,
		   size_t (*show)(void *ctx, char *buf, size_t size), void *ctx)
{
	struct pseudo_node *n = sysfs_add(dir, name, S_IFREG | (mode & 0777));

	if (!n)
		return -EEXIST;
	n->ctx = ctx;
	n->show = show;
	return 0;
}

int sysfs_add_link(struct sysfs_node *dir, const char *name, const char *target)
{
	struct pseudo_node *n;
	char *copy = kstrdup(target);

	if (!copy)
		return -ENOMEM;
	n = sysfs_add(dir, name, S_IFLNK | 0777);
	if (!n) {
		kfree(copy);
		return -EEXIST;
	}
	n->target = copy;
	return 0;
}

static struct super_block *sysfs_get_sb(const struct file_system_type *type, const char *src)
{
	return sysfs_sb ? sysfs_sb : ERR_PTR(-ENOMEM);
}

struct file_system_type sysfs_type = {
	.name = "sysfs",
	.nodev = true,
	.get_sb = sysfs_get_sb,
};

/* Builds the skeleton; from vfs_init. */
int sysfs_init(void)
{
	static const char *const dirs[] = { "block", "bus", "class", "dev", "devices", "firmware",
					     "fs", "kernel" };
	struct sysfs_node *dev;
	size_t i;

	sysfs_root_node = pseudo_add(NULL, "", S_IFDIR | 0555);
	if (!sysfs_root_node)
		return -ENOMEM;
	sysfs_sb = pseudo_create_sb(&sysfs_type, SYSFS_MAGIC, sysfs_root_node);
	if (!sysfs_sb)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!sysfs_mkdir(NULL, dirs[i]))
			return -ENOMEM;
	dev = sysfs_mkdir(NULL, "dev");
	if (!sysfs_mkdir(dev, "block") || !sysfs_mkdir(dev, "char"))
		return -ENOMEM;
	return 0;
}
