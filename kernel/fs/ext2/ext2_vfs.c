/*
 * ext2_vfs.c — the "ext2" file system type: mounts a block device (read-write unless
 * the disk or the image's features forbid it), the inode cache, write-back of inode
 * changes, of file pages (ext2_page.c) and of evicted inodes, the unused inodes
 * kept for the next lookup, sync and unmount.
 * Metadata blocks wait in the block cache (ext2_bcache.c) and file data in the page
 * cache for sync, fsync, unmount or power-off (and eviction, for file data). Locking: see
 * ext2_sb.h.
 */
#include "fs/ext2/ext2_sb.h"
#include "mm/mm.h"
#include <asm/statfs.h>


/* ext2_bcache.disk_read: one file-system block through the block layer. */
static int ext2_bdev_read(void *ctx, uint32_t block, void *buf)
{
	struct ext2_sb *sbi = ctx;
	uint32_t per_block = sbi->fs.block_size / SECTOR_SIZE;

	return block_read(sbi->bdev, (uint64_t)block * per_block, buf, per_block);
}

/* ext2_bcache.disk_write: one file-system block through the block layer. */
static int ext2_bdev_write(void *ctx, uint32_t block, const void *buf)
{
	struct ext2_sb *sbi = ctx;
	uint32_t per_block = sbi->fs.block_size / SECTOR_SIZE;

	return block_write(sbi->bdev, (uint64_t)block * per_block, buf, per_block);
}

/* The current time in seconds. See ext2_sb.h. */
uint32_t ext2_now(void)
{
	return fs_now_ns() / 1000000000;
}

/* The bucket of ext2_sb.hash that inode number ino is in. */
static struct list_head *ext2_bucket(struct ext2_sb *sbi, uint32_t ino)
{
	return &sbi->hash[ino % EXT2_IHASH];
}

/* The cached live inode ino with a new reference, or NULL. Skips an inode whose last
 * reference is gone (dead, being evicted). With `unused`, an unused ext2 half of ino
 * is taken off the unused list and the hash and returned there (else NULL). */
static struct inode *ext2_icache_find(struct super_block *sb, uint32_t ino,
				      struct ext2_inode_info **unused)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct inode *found = NULL;
	uint64_t flags = spin_lock_irqsave(&sb->ilock);

	if (unused)
		*unused = NULL;
	list_for_each_entry(ei, ext2_bucket(sbi, ino), hash) {
		if (ei->disk.ino != ino)
			continue;
		if (ei->inode && !ei->inode->dead) {
			found = ei->inode;
			found->refcount++;
			break;
		}
		if (!ei->inode && unused) {
			list_del(&ei->link);
			list_del(&ei->hash);
			sbi->nr_unused--;
			*unused = ei;
			break;
		}
	}
	spin_unlock_irqrestore(&sb->ilock, flags);
	return found;
}

/* Frees an ext2 half that no list holds any more, with its cached pages. */
static void ext2_idestroy(struct ext2_inode_info *ei)
{
	pagecache_destroy(&ei->pages);
	kfree(ei);
}

/* Frees the oldest unused inodes until at most `keep` remain. Needs sb->mutex (or
 * no other user of sb). */
static void ext2_trim_unused(struct super_block *sb, unsigned keep)
{
	struct ext2_sb *sbi = EXT2_SB(sb);

	for (;;) {
		struct ext2_inode_info *ei = NULL;
		uint64_t flags = spin_lock_irqsave(&sb->ilock);

		if (sbi->nr_unused > keep) {
			ei = list_first_entry(&sbi->unused, struct ext2_inode_info, link);
			list_del(&ei->link);
			list_del(&ei->hash);
			sbi->nr_unused--;
		}
		spin_unlock_irqrestore(&sb->ilock, flags);
		if (!ei)
			return;
		ext2_idestroy(ei);
	}
}

/* Puts a written-back inode with links on the unused list (the newest), unless
 * another copy of its number came meanwhile; trims the list. Needs sb->mutex. */
static void ext2_keep_unused(struct super_block *sb, struct ext2_inode_info *ei)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct list_head *bucket = ext2_bucket(sbi, ei->disk.ino);
	struct ext2_inode_info *other;
	bool twin = false;
	uint64_t flags = spin_lock_irqsave(&sb->ilock);

	list_for_each_entry(other, bucket, hash)
		twin |= other->disk.ino == ei->disk.ino;
	if (!twin) {
		list_add_tail(&ei->link, &sbi->unused);
		list_add(&ei->hash, bucket);
		sbi->nr_unused++;
	}
	spin_unlock_irqrestore(&sb->ilock, flags);
	if (twin)
		ext2_idestroy(ei);
	ext2_trim_unused(sb, EXT2_UNUSED_MAX);
}

/* Fills the VFS fields of a new inode from the decoded disk inode. */
static int ext2_inode_fill(struct inode *inode, const struct ext2_inode *d)
{
	inode->ino = d->ino;
	inode->mode = d->mode;
	inode->uid = d->uid;
	inode->gid = d->gid;
	inode->nlink = d->nlink;
	inode->size = d->size;
	inode->blocks = d->blocks;
	/* Linux's ext2 keeps whole seconds. */
	inode->atime_ns = (uint64_t)d->atime * 1000000000;
	inode->mtime_ns = (uint64_t)d->mtime * 1000000000;
	inode->ctime_ns = (uint64_t)d->ctime * 1000000000;
	switch (d->mode & S_IFMT) {
	case S_IFDIR:
		inode->iops = &ext2_dir_iops;
		return 0;
	case S_IFREG:
		inode->fops = &ext2_file_fops;
		inode->iops = &ext2_file_iops;
		return 0;
	case S_IFLNK:
		inode->iops = &ext2_link_iops;
		return 0;
	case S_IFCHR:
	case S_IFBLK:
		inode->rdev = MKDEV(d->rdev_major, d->rdev_minor);
		return 0;
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	}
	pr_err("ext2: inode %u: bad mode %#o\n", d->ino, d->mode);
	return -EUCLEAN;
}

/* A new ext2 half of inode ino read from the disk; 0 or -errno. */
static int ext2_iread(struct ext2_sb *sbi, uint32_t ino, struct ext2_inode_info **out)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei));
	int err;

	if (!ei)
		return -ENOMEM;
	ei->sbi = sbi;
	list_init(&ei->link);
	list_init(&ei->hash);
	pagecache_init(&ei->pages, &ext2_page_ops);
	err = ext2_inode_read(&sbi->fs, ino, &ei->disk);
	if (!err && ei->disk.nlink == 0) {
		pr_err("ext2: inode %u: linked but has no links\n", ino);
		err = -EUCLEAN;
	}
	if (err) {
		ext2_idestroy(ei);
		return err;
	}
	ei->written = ei->disk;
	*out = ei;
	return 0;
}

/* Gives the ext2 half ei (on no list) a new VFS inode, live and hashed; on failure
 * ei is freed. A directory takes the counted parent dir (NULL: its own). */
static int ext2_iattach(struct super_block *sb, struct ext2_inode_info *ei,
			struct inode *dir, struct inode **out)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct inode *inode = inode_alloc(sb, ei->disk.mode);
	uint64_t flags;
	int err;

	if (!inode) {
		ext2_idestroy(ei);
		return -ENOMEM;
	}
	inode->priv = ei;
	ei->inode = inode;
	ei->ra_next = 0;
	ei->ra_pages = 0;
	err = ext2_inode_fill(inode, &ei->disk);
	if (err) {
		inode->priv = NULL;
		inode->nlink = 0;
		inode_put(inode);
		ext2_idestroy(ei);
		return err;
	}
	if (S_ISDIR(inode->mode)) {
		inode->parent = dir ? dir : inode;
		if (dir)
			inode_get(dir);
	}
	flags = spin_lock_irqsave(&sb->ilock);
	list_add(&ei->link, &sbi->inodes);
	list_add(&ei->hash, ext2_bucket(sbi, ei->disk.ino));
	spin_unlock_irqrestore(&sb->ilock, flags);
	*out = inode;
	return 0;
}

/* The VFS inode for ino. See ext2_sb.h. */
int ext2_iget(struct super_block *sb, uint32_t ino, struct inode *dir,
		     struct inode **out)
{
	struct ext2_inode_info *ei;
	int err;

	*out = ext2_icache_find(sb, ino, NULL);
	if (*out)
		return 0;
	ext2_reap(sb);		/* an evicted copy may not be on the disk yet */
	*out = ext2_icache_find(sb, ino, &ei);
	if (*out)
		return 0;
	if (!ei) {
		err = ext2_iread(EXT2_SB(sb), ino, &ei);
		if (err)
			return err;
	}
	return ext2_iattach(sb, ei, dir, out);
}

/* Copies the VFS fields the syscalls change into the disk inode. */
static void ext2_pull(struct inode *inode, struct ext2_inode *d)
{
	d->mode = inode->mode;
	d->uid = inode->uid;
	d->gid = inode->gid;
	d->nlink = inode->nlink;
	/* A directory's size is the parser's (it grows by blocks); a file's the VFS's. */
	if (S_ISDIR(d->mode))
		inode->size = d->size;
	else
		d->size = inode->size;
	d->atime = inode->atime_ns / 1000000000;
	d->mtime = inode->mtime_ns / 1000000000;
	d->ctime = inode->ctime_ns / 1000000000;
}

/* Writes the disk inode of ei when it differs from what the disk holds. */
static int ext2_write_if_changed(struct ext2_sb *sbi, struct ext2_inode_info *ei)
{
	int err;

	if (!memcmp(&ei->disk, &ei->written, sizeof(ei->disk)))
		return 0;
	err = ext2_inode_write(&sbi->fs, &ei->disk, false);
	if (!err)
		ei->written = ei->disk;
	return err;
}

/* Syncs a VFS inode to the disk. See ext2_sb.h. */
int ext2_isync(struct inode *inode)
{
	struct ext2_inode_info *ei = inode->priv;

	ext2_pull(inode, &ei->disk);
	inode->blocks = ei->disk.blocks;
	return ext2_write_if_changed(EXT2_SB(inode->sb), ei);
}

/* Moves an inode's ext2 half to the evicted list at its last reference; ext2_reap
 * finishes it under sb->mutex (eviction may run with that mutex held or not). */
static void ext2_evict(struct inode *inode)
{
	struct ext2_inode_info *ei = inode->priv;
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint64_t flags;

	if (!ei)
		return;
	ext2_pull(inode, &ei->disk);
	flags = spin_lock_irqsave(&inode->sb->ilock);
	ei->inode = NULL;
	list_del(&ei->link);
	list_del(&ei->hash);
	list_add_tail(&ei->link, &sbi->evicted);
	spin_unlock_irqrestore(&inode->sb->ilock, flags);
}

/* Frees an unlinked inode's blocks and the inode itself. */
static int ext2_free_inode(struct ext2_sb *sbi, struct ext2_inode *d)
{
	bool dir = S_ISDIR(d->mode);
	int err = 0;

	if (!S_ISLNK(d->mode) || d->blocks)
		err = ext2_truncate_blocks(&sbi->fs, d, 0);
	if (err)
		return err;
	d->dtime = ext2_now();
	d->size = 0;
	err = ext2_inode_write(&sbi->fs, d, false);
	return err ? err : ext2_inode_free(&sbi->fs, d->ino, dir);
}

/* Finishes evicted inodes: written back and kept unused, or freed. See ext2_sb.h. */
void ext2_reap(struct super_block *sb)
{
	struct ext2_sb *sbi = EXT2_SB(sb);

	for (;;) {
		struct ext2_inode_info *ei = NULL;
		uint64_t flags = spin_lock_irqsave(&sb->ilock);
		int err;

		if (!list_empty(&sbi->evicted)) {
			ei = list_first_entry(&sbi->evicted, struct ext2_inode_info, link);
			list_del(&ei->link);
		}
		spin_unlock_irqrestore(&sb->ilock, flags);
		if (!ei)
			return;
		if (sb->read_only)
			err = 0;
		else if (ei->disk.nlink == 0)
			err = ext2_free_inode(sbi, &ei->disk);
		else if (!(err = ext2_write_pages(ei, 0, UINT64_MAX)))
			err = ext2_write_if_changed(sbi, ei);
		if (err)
			pr_err("ext2: %s: inode %u not written back (%d)\n", sbi->bdev->name,
			       ei->disk.ino, err);
		if (err || ei->disk.nlink == 0)
			ext2_idestroy(ei);
		else
			ext2_keep_unused(sb, ei);
	}
}

static void ext2_vfs_statfs(struct super_block *sb, struct statfs *st)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct ext2_statfs es;

	ext2_statfs(&sbi->fs, &es);
	st->f_bsize = st->f_frsize = sbi->fs.block_size;
	st->f_blocks = es.blocks;
	st->f_bfree = es.bfree;
	st->f_bavail = es.bavail;
	st->f_files = es.files;
	st->f_ffree = es.ffree;
	st->f_fsid.val[0] = es.fsid[0];
	st->f_fsid.val[1] = es.fsid[1];
	st->f_namelen = EXT2_NAME_LEN;
}

/* Writes every change of the file system back and flushes the disk. */
static int ext2_sync_fs(struct super_block *sb)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	int err = 0, e;

	if (sb->read_only)
		return 0;
	fs_mutex_lock(&sb->mutex);
	ext2_reap(sb);
	/* The live list only changes under sb->mutex (iget) or by eviction, which
	 * cannot happen to an inode while this walk holds a reference on it. */
	list_for_each_entry(ei, &sbi->inodes, link) {
		struct inode *inode = ei->inode;

		if (!inode || inode->dead)
			continue;
		e = ext2_write_pages(ei, 0, UINT64_MAX);
		err = err ? err : e;
		e = ext2_isync(inode);
		err = err ? err : e;
	}
	if (!err)
		err = ext2_super_write(&sbi->fs, ext2_now());
	e = ext2_bcache_flush(&sbi->bcache);
	err = err ? err : e;
	fs_mutex_unlock(&sb->mutex);
	return err ? err : block_flush(sbi->bdev);
}

static void ext2_free_sbi(struct ext2_sb *sbi)
{
	kfree(sbi->hash);
	ext2_bcache_destroy(&sbi->bcache);
	kfree(sbi->dirbuf);
	kfree(sbi->fs.scratch);
	kfree(sbi->fs.wbuf);
	kfree(sbi->fs.ibuf);
	kfree(sbi->fs.zbuf);
	kfree(sbi);
}

/* After the last mount of sb is gone: writes everything back and frees it all. */
static void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb *sbi = EXT2_SB(sb);

	inode_put(sb->root);
	sb->root = NULL;
	ext2_sync_fs(sb);
	fs_mutex_lock(&sb->mutex);
	ext2_reap(sb);
	ext2_trim_unused(sb, 0);
	if (!sb->read_only && ext2_bcache_flush(&sbi->bcache))
		pr_err("ext2: %s: metadata not written back at unmount\n", sbi->bdev->name);
	fs_mutex_unlock(&sb->mutex);
	if (!list_empty(&sbi->inodes)) {
		pr_err("ext2: %s: inodes still in use at unmount; keeping them\n",
		       sbi->bdev->name);
		return;
	}
	pr_info("ext2: %s unmounted\n", sbi->bdev->name);
	ext2_free_sbi(sbi);
	kfree(sb);
}

static const struct super_operations ext2_sops = {
	.drop_unused = true,
	.evict = ext2_evict,
	.statfs = ext2_vfs_statfs,
	.sync_fs = ext2_sync_fs,
	.put_super = ext2_put_super,
};

/* The registered disk the mount source names (a block special file). */
static struct block_device *ext2_source_bdev(const char *source, int *err)
{
	struct block_device *bdev;
	struct path p;

	*err = source ? path_lookup_at(AT_FDCWD, source, LOOKUP_FOLLOW, &p) : -EINVAL;
	if (*err)
		return NULL;
	if (!S_ISBLK(p.inode->mode))
		*err = -ENOTBLK;
	else if ((p.mnt->flags & MS_NODEV))
		*err = -EACCES;
	bdev = *err ? NULL : block_device_find(p.inode->rdev);
	path_put(&p);
	if (!*err && !bdev)
		*err = -ENXIO;
	return bdev;
}

/* Reads and checks the superblock of the disk, filling sbi->fs. */
static int ext2_read_super(struct ext2_sb *sbi)
{
	uint8_t *raw = kmalloc(EXT2_SB_SIZE);
	int err;

	if (!raw)
		return -ENOMEM;
	err = block_read(sbi->bdev, EXT2_SB_OFFSET / SECTOR_SIZE, raw,
			 EXT2_SB_SIZE / SECTOR_SIZE);
	if (!err)
		err = ext2_fs_init(&sbi->fs, raw, sbi->bdev->sectors * SECTOR_SIZE);
	kfree(raw);
	return err;
}

/* Allocates the parser's buffers. */
static int ext2_alloc_buffers(struct ext2_sb *sbi)
{
	uint32_t bs = sbi->fs.block_size;

	sbi->fs.read = ext2_bcache_read;
	sbi->fs.write = ext2_bcache_write;
	sbi->fs.ctx = &sbi->bcache;
	sbi->bcache.block_size = bs;
	sbi->bcache.disk_read = ext2_bdev_read;
	sbi->bcache.disk_write = ext2_bdev_write;
	sbi->bcache.ctx = sbi;
	sbi->fs.scratch = kmalloc(bs);
	sbi->fs.wbuf = kmalloc(bs);
	sbi->fs.ibuf = kmalloc(3 * bs);
	sbi->fs.zbuf = kzalloc(bs);
	sbi->dirbuf = kmalloc(bs);
	sbi->hash = kmalloc(EXT2_IHASH * sizeof(*sbi->hash));
	if (!sbi->fs.scratch || !sbi->fs.wbuf || !sbi->fs.ibuf || !sbi->fs.zbuf ||
	    !sbi->dirbuf || !sbi->hash || ext2_bcache_init(&sbi->bcache))
		return -ENOMEM;
	for (unsigned i = 0; i < EXT2_IHASH; i++)
		list_init(&sbi->hash[i]);
	return 0;
}

/* A new super block for the disk named by source, with its root inode; read-only
 * when the disk is or the image has features ext2 cannot write. */
static struct super_block *ext2_get_sb(const struct file_system_type *type,
				       const char *source)
{
	struct super_block *sb = NULL;
	struct ext2_sb *sbi;
	int err;

	sbi = kzalloc(sizeof(*sbi));
	if (!sbi)
		return ERR_PTR(-ENOMEM);
	list_init(&sbi->inodes);
	list_init(&sbi->evicted);
	list_init(&sbi->unused);
	sbi->bdev = ext2_source_bdev(source, &err);
	if (!sbi->bdev)
		goto out_sbi;
	err = ext2_read_super(sbi);
	if (!err)
		err = ext2_alloc_buffers(sbi);
	if (err)
		goto out_sbi;
	err = -ENOMEM;
	sb = sb_alloc(type, &ext2_sops, EXT2_SUPER_MAGIC);
	if (!sb)
		goto out_sbi;
	sb->priv = sbi;
	sb->dev = sbi->bdev->dev;
	sb->read_only = sbi->bdev->read_only || sbi->fs.read_only;
	sb->blksize = sbi->fs.block_size;
	sb->dio_align = sbi->bdev->logical_block_size ? sbi->bdev->logical_block_size : 512;
	fs_mutex_lock(&sb->mutex);
	err = ext2_iget(sb, EXT2_ROOT_INO, NULL, &sb->root);
	if (!err && !S_ISDIR(sb->root->mode)) {
		pr_err("ext2: %s: root inode is not a directory\n", sbi->bdev->name);
		inode_put(sb->root);
		err = -EUCLEAN;
	}
	sb->read_only |= !!err;		/* nothing to write back on failure */
	ext2_reap(sb);
	fs_mutex_unlock(&sb->mutex);
	if (err)
		goto out_sb;
	pr_info("ext2: %s mounted (%u-byte blocks, %u groups%s)\n", sbi->bdev->name,
		sbi->fs.block_size, sbi->fs.groups, sb->read_only ? ", read-only" : "");
	return sb;
out_sb:
	/* A super block never reached the mount tree: nothing else refers to it. */
	ext2_trim_unused(sb, 0);
	kfree(sb);
out_sbi:
	ext2_free_sbi(sbi);
	return ERR_PTR(err);
}

struct file_system_type ext2_type = {
	.name = "ext2",
	.get_sb = ext2_get_sb,
};
