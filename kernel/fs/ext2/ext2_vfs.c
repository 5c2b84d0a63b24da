/*
 * ext2_vfs.c — the "ext2" file system type: mounts a block device, and turns the pure
 * parser's inodes (ext2_disk.h) into VFS inodes with lookup, iterate, readlink and
 * file read. Read-only today: every mount of it is forced read-only.
 *
 * Locking: sb->mutex (held by the VFS around every inode operation, taken here
 * around file reads) serializes all use of the parser and of ext2_sb's buffers.
 * ext2_sb.inodes, the cache of live VFS inodes, is protected by sb->ilock, which
 * is also what decides an inode's death (inode_put), so a lookup never revives an
 * inode being evicted.
 */
#include "fs/fs.h"
#include "fs/ext2/ext2_disk.h"
#include "block/block.h"
#include "mm/mm.h"
#include <asm/statfs.h>

/* One mounted ext2 file system. */
struct ext2_sb {
	struct ext2_fs fs;		/* its scratch buffer is ext2_sb's own */
	struct block_device *bdev;
	uint8_t *dirbuf;		/* block buffer for directories and symlinks */
	struct list_head inodes;	/* ext2_inode_info.link, under sb->ilock */
};

/* A VFS inode's ext2 half (inode->priv). */
struct ext2_inode_info {
	struct ext2_inode disk;		/* as read at iget; fixed while read-only */
	struct inode *inode;		/* the VFS inode it belongs to */
	struct list_head link;		/* in ext2_sb.inodes */
};

static const struct inode_operations ext2_dir_iops, ext2_link_iops;
static const struct file_operations ext2_file_fops;

static struct ext2_sb *EXT2_SB(struct super_block *sb)
{
	return sb->priv;
}

static struct ext2_inode *EXT2_I(struct inode *inode)
{
	return &((struct ext2_inode_info *)inode->priv)->disk;
}

/* Reads one file-system block through the block layer. */
static int ext2_bdev_read(void *ctx, uint32_t block, void *buf)
{
	struct ext2_sb *sbi = ctx;
	uint32_t per_block = sbi->fs.block_size / SECTOR_SIZE;

	return block_read(sbi->bdev, (uint64_t)block * per_block, buf, per_block);
}

/* The cached live inode ino with a new reference, or NULL. Skips an inode whose last
 * reference is gone (dead, being evicted): the caller reads a fresh one. */
static struct inode *ext2_icache_find(struct super_block *sb, uint32_t ino)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct inode *found = NULL;
	uint64_t flags = spin_lock_irqsave(&sb->ilock);

	list_for_each_entry(ei, &sbi->inodes, link) {
		if (ei->disk.ino == ino && !ei->inode->dead) {
			found = ei->inode;
			found->refcount++;
			break;
		}
	}
	spin_unlock_irqrestore(&sb->ilock, flags);
	return found;
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

/*
 * The VFS inode for ino, counted: the cached one or a new one read from the disk.
 * A new directory takes a reference on dir as its parent (NULL for the root, its
 * own parent). Needs sb->mutex.
 */
static int ext2_iget(struct super_block *sb, uint32_t ino, struct inode *dir,
		     struct inode **out)
{
	struct ext2_sb *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct inode *inode;
	uint64_t flags;
	int err;

	*out = ext2_icache_find(sb, ino);
	if (*out)
		return 0;
	ei = kzalloc(sizeof(*ei));
	if (!ei)
		return -ENOMEM;
	err = ext2_inode_read(&sbi->fs, ino, &ei->disk);
	if (err)
		goto out_free;
	err = -ENOMEM;
	inode = inode_alloc(sb, ei->disk.mode);
	if (!inode)
		goto out_free;
	inode->priv = ei;
	ei->inode = inode;
	err = ext2_inode_fill(inode, &ei->disk);
	if (err) {
		inode->priv = NULL;
		inode->nlink = 0;
		inode_put(inode);
		goto out_free;
	}
	if (S_ISDIR(inode->mode)) {
		inode->parent = dir ? dir : inode;
		if (dir)
			inode_get(dir);
	}
	flags = spin_lock_irqsave(&sb->ilock);
	list_add(&ei->link, &sbi->inodes);
	spin_unlock_irqrestore(&sb->ilock, flags);
	*out = inode;
	return 0;
out_free:
	kfree(ei);
	return err;
}

/* Drops an inode's ext2 half at its last reference. */
static void ext2_evict(struct inode *inode)
{
	struct ext2_inode_info *ei = inode->priv;
	uint64_t flags;

	if (!ei)
		return;
	flags = spin_lock_irqsave(&inode->sb->ilock);
	list_del(&ei->link);
	spin_unlock_irqrestore(&inode->sb->ilock, flags);
	kfree(ei);
}

static int ext2_vfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	uint32_t ino;
	int err;

	err = ext2_dir_lookup(&sbi->fs, EXT2_I(dir), name, len, sbi->dirbuf, &ino);
	if (err)
		return err;
	return ext2_iget(dir->sb, ino, dir, out);
}

struct ext2_emit_ctx {
	dir_emit_t emit;
	void *ctx;
};

static int ext2_emit_one(void *cb_ctx, const char *name, size_t len, uint32_t ino,
			 unsigned file_type, uint64_t next_pos)
{
	struct ext2_emit_ctx *ec = cb_ctx;

	return ec->emit(ec->ctx, name, len, ino, ext2_ft_to_dtype(file_type), next_pos) ?
	       0 : 1;
}

static int ext2_vfs_iterate(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	struct ext2_emit_ctx ec = { emit, ctx };
	uint64_t upos = *pos < 0 ? 0 : *pos;
	int err;

	err = ext2_dir_walk(&sbi->fs, EXT2_I(dir), &upos, sbi->dirbuf, ext2_emit_one, &ec);
	*pos = upos;
	return err < 0 ? err : 0;
}

static int ext2_vfs_readlink(struct inode *inode, char *buf, size_t size)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);

	return ext2_readlink(&sbi->fs, EXT2_I(inode), buf, size, sbi->dirbuf);
}

static ssize_t ext2_file_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint32_t bs = sbi->fs.block_size;
	size_t len, done = 0;
	uint8_t *bounce;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= inode->size)
		return 0;
	len = MIN(buf->len, inode->size - *pos);
	bounce = kmalloc(bs);
	if (!bounce)
		return -ENOMEM;
	/* Block by block, without sb->mutex across the copy to user memory. */
	while (done < len) {
		uint64_t at = *pos + done;
		size_t off = at % bs, n = MIN(bs - off, len - done);

		fs_mutex_lock(&inode->sb->mutex);
		err = ext2_file_block(&sbi->fs, EXT2_I(inode), at / bs, bounce);
		fs_mutex_unlock(&inode->sb->mutex);
		if (!err)
			err = iobuf_copy_out(buf, done, bounce + off, n);
		if (err)
			break;
		done += n;
	}
	kfree(bounce);
	*pos += done;
	return done ? (ssize_t)done : err;
}

static const struct inode_operations ext2_dir_iops = {
	.lookup = ext2_vfs_lookup,
	.iterate = ext2_vfs_iterate,
};

static const struct inode_operations ext2_link_iops = {
	.readlink = ext2_vfs_readlink,
};

static const struct file_operations ext2_file_fops = {
	.read = ext2_file_read,
};

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

static const struct super_operations ext2_sops = {
	.drop_unused = true,
	.evict = ext2_evict,
	.statfs = ext2_vfs_statfs,
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

/* A new super block for the disk named by source, with its root inode. */
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
	sbi->bdev = ext2_source_bdev(source, &err);
	if (!sbi->bdev)
		goto out_sbi;
	err = ext2_read_super(sbi);
	if (err)
		goto out_sbi;
	err = -ENOMEM;
	sbi->fs.read = ext2_bdev_read;
	sbi->fs.ctx = sbi;
	sbi->fs.scratch = kmalloc(sbi->fs.block_size);
	sbi->dirbuf = kmalloc(sbi->fs.block_size);
	sb = sb_alloc(type, &ext2_sops, EXT2_SUPER_MAGIC);
	if (!sbi->fs.scratch || !sbi->dirbuf || !sb)
		goto out_buffers;
	sb->priv = sbi;
	sb->dev = sbi->bdev->dev;
	sb->read_only = true;
	sb->blksize = sbi->fs.block_size;
	err = ext2_iget(sb, EXT2_ROOT_INO, NULL, &sb->root);
	if (!err && !S_ISDIR(sb->root->mode)) {
		pr_err("ext2: %s: root inode is not a directory\n", sbi->bdev->name);
		inode_put(sb->root);
		err = -EUCLEAN;
	}
	if (err)
		goto out_buffers;
	pr_info("ext2: %s mounted read-only (%u-byte blocks, %u groups)\n",
		sbi->bdev->name, sbi->fs.block_size, sbi->fs.groups);
	return sb;
out_buffers:
	/* A super block never reached the mount tree: nothing else refers to it. */
	kfree(sb);
	kfree(sbi->dirbuf);
	kfree(sbi->fs.scratch);
out_sbi:
	kfree(sbi);
	return ERR_PTR(err);
}

struct file_system_type ext2_type = {
	.name = "ext2",
	.get_sb = ext2_get_sb,
};
