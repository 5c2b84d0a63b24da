/*
 * vfs.c — bringing the VFS up: the root tmpfs, the file system types, and the
 * anonymous file system that gives pipes and sockets their inodes.
 */
#include "fs/fs.h"
#include "lib/log.h"
#include "mm/mm.h"

static struct super_block *anon_sb;

static const struct super_operations anon_sops = {
	.drop_unused = true,
};

static struct file_system_type anon_type = {
	.name = "anon_inodefs",
	.nodev = true,
};

/* A new anonymous inode with mode (S_IFIFO, S_IFSOCK...), counted; NULL when out of
 * memory. It is freed at its last reference. */
struct inode *anon_inode_new(mode_t mode)
{
	return inode_alloc(anon_sb, mode);
}

void vfs_init(void)
{
	struct super_block *root;

	root = tmpfs_create_sb(&tmpfs_type);
	anon_sb = sb_alloc(&anon_type, &anon_sops, PIPEFS_MAGIC);
	if (!root || !anon_sb || mount_root(root))
		panic("vfs: cannot create the root file system");
	root->root->mode = S_IFDIR | 0755;
	fs_type_register(&tmpfs_type);
	fs_type_register(&devtmpfs_type);
	fs_type_register(&proc_type);
	fs_type_register(&sysfs_type);
	if (devtmpfs_init() || procfs_init() || sysfs_init())
		panic("vfs: cannot create devtmpfs, procfs or sysfs");
	pr_info("vfs: root tmpfs mounted");
}
