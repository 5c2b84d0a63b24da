/*
 * ext2_file.c — ext2 file data through the VFS: read (with relatime access times),
 * write (holes stay holes; new blocks get zeros around the data), truncate, and
 * symlink targets. sb->mutex is taken around each block's disk work and dropped
 * around copies to and from user memory. Locking: see ext2_sb.h.
 */
#include "fs/ext2/ext2_sb.h"
#include "mm/mm.h"

#define RELATIME_SECONDS (24 * 3600)

/* Linux's relatime: atime moves when it is not newer than mtime or ctime, or a day
 * old. Needs sb->mutex. */
static void ext2_relatime(struct file *file)
{
	struct inode *inode = file->inode;
	uint64_t now = fs_now_ns();

	if ((file->flags & O_NOATIME) || !file->mnt ||
	    (READ_ONCE(file->mnt->flags) & MS_RDONLY) || inode->sb->read_only)
		return;
	if (inode->atime_ns / 1000000000 <= inode->mtime_ns / 1000000000 ||
	    inode->atime_ns / 1000000000 <= inode->ctime_ns / 1000000000 ||
	    now - inode->atime_ns >= (uint64_t)RELATIME_SECONDS * 1000000000)
		inode->atime_ns = now;
}

static ssize_t ext2_file_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint32_t bs = sbi->fs.block_size;
	size_t done = 0;
	uint8_t *bounce;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	bounce = kmalloc(bs);
	if (!bounce)
		return -ENOMEM;
	/* Block by block, without sb->mutex across the copy to user memory. */
	while (done < buf->len) {
		uint64_t at = *pos + done;
		size_t off = at % bs, n;

		fs_mutex_lock(&inode->sb->mutex);
		if (at >= inode->size) {
			fs_mutex_unlock(&inode->sb->mutex);
			break;
		}
		n = MIN(MIN(bs - off, buf->len - done), inode->size - at);
		err = ext2_file_block(&sbi->fs, EXT2_I(inode), at / bs, bounce);
		fs_mutex_unlock(&inode->sb->mutex);
		if (!err)
			err = iobuf_copy_out(buf, done, bounce + off, n);
		if (err)
			break;
		done += n;
	}
	fs_mutex_lock(&inode->sb->mutex);
	ext2_relatime(file);
	fs_mutex_unlock(&inode->sb->mutex);
	kfree(bounce);
	*pos += done;
	return done ? (ssize_t)done : err;
}

/* Writes n bytes of data at file offset at (within one block). Needs sb->mutex. */
static int ext2_write_block(struct inode *inode, uint64_t at, const uint8_t *data,
			    size_t n, uint8_t *blockbuf)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	struct ext2_inode *d = EXT2_I(inode);
	uint32_t bs = sbi->fs.block_size, block;
	bool fresh;
	int err;

	err = ext2_bmap_alloc(&sbi->fs, d, at / bs, &block, &fresh);
	if (err)
		return err;
	inode->blocks = d->blocks;
	if (n < bs) {
		if (fresh)
			memset(blockbuf, 0, bs);
		else if ((err = sbi->fs.read(sbi->fs.ctx, block, blockbuf)))
			return err;
		memcpy(blockbuf + at % bs, data, n);
		data = blockbuf;
	}
	return sbi->fs.write(sbi->fs.ctx, block, data);
}

static ssize_t ext2_file_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint32_t bs = sbi->fs.block_size;
	uint8_t *data = kmalloc(bs), *blockbuf = kmalloc(bs);
	size_t done = 0;
	int err = 0;

	if (!data || !blockbuf) {
		err = -ENOMEM;
		goto out;
	}
	if (file->flags & O_APPEND) {
		fs_mutex_lock(&inode->sb->mutex);
		*pos = inode->size;
		fs_mutex_unlock(&inode->sb->mutex);
	}
	while (done < buf->len) {
		uint64_t at = *pos;
		size_t n = MIN(bs - at % bs, buf->len - done);

		if (*pos < 0 || at + n > ext2_max_size(&sbi->fs)) {
			err = *pos < 0 ? -EINVAL : -EFBIG;
			break;
		}
		err = iobuf_copy_in(data, buf, done, n);
		if (err)
			break;
		fs_mutex_lock(&inode->sb->mutex);
		err = ext2_write_block(inode, at, data, n, blockbuf);
		if (!err) {
			if (at + n > inode->size)
				inode->size = at + n;
			inode_touch(inode, false, true, true);
			err = ext2_isync(inode);
		}
		fs_mutex_unlock(&inode->sb->mutex);
		if (err)
			break;
		done += n;
		*pos += n;
	}
out:
	kfree(data);
	kfree(blockbuf);
	return done ? (ssize_t)done : err;
}

/* Zeroes the bytes of the block holding offset size past it (a shrink inside a
 * block), so a later grow reads zeros there. */
static int ext2_zero_tail(struct inode *inode, uint64_t size)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint32_t bs = sbi->fs.block_size, block;
	int err;

	if (!(size % bs))
		return 0;
	err = ext2_bmap(&sbi->fs, EXT2_I(inode), size / bs, &block);
	if (err || !block)
		return err;
	err = sbi->fs.read(sbi->fs.ctx, block, sbi->dirbuf);
	if (err)
		return err;
	memset(sbi->dirbuf + size % bs, 0, bs - size % bs);
	return sbi->fs.write(sbi->fs.ctx, block, sbi->dirbuf);
}

/* truncate/ftruncate/O_TRUNC: frees the blocks past the new size. */
static int ext2_vfs_truncate(struct inode *inode, uint64_t size)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint32_t bs = sbi->fs.block_size;
	int err = 0;

	if (size > ext2_max_size(&sbi->fs))
		return -EFBIG;
	ext2_reap(inode->sb);
	if (size < inode->size) {
		err = ext2_zero_tail(inode, size);
		if (!err)
			err = ext2_truncate_blocks(&sbi->fs, EXT2_I(inode),
						   DIV_ROUND_UP(size, bs));
	}
	if (!err)
		inode->size = size;
	inode_touch(inode, false, true, true);
	return ext2_isync(inode) ? : err;
}

/* Sets a new symlink's target. See ext2_sb.h. */
int ext2_symlink_fill(struct ext2_sb *sbi, struct ext2_inode *d, const char *target)
{
	size_t len = strlen(target);
	uint32_t block;
	bool fresh;
	int err;

	d->size = len;
	if (len < sizeof(d->block)) {
		memcpy(d->block, target, len);
		return 0;
	}
	err = ext2_bmap_alloc(&sbi->fs, d, 0, &block, &fresh);
	if (err)
		return err;
	memset(sbi->dirbuf, 0, sbi->fs.block_size);
	memcpy(sbi->dirbuf, target, len);
	return sbi->fs.write(sbi->fs.ctx, block, sbi->dirbuf);
}

static int ext2_vfs_readlink(struct inode *inode, char *buf, size_t size)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);

	return ext2_readlink(&sbi->fs, EXT2_I(inode), buf, size, sbi->dirbuf);
}

const struct inode_operations ext2_link_iops = {
	.readlink = ext2_vfs_readlink,
};

const struct inode_operations ext2_file_iops = {
	.truncate = ext2_vfs_truncate,
};

/* fallocate(2) as Linux answers on ext2 (its ext4 driver, files without extents):
 * no preallocation, so every mode is -EOPNOTSUPP. FALLOC_FL_PUNCH_HOLE, which Linux
 * does on such files, is not done yet: -EOPNOTSUPP too. */
static long ext2_fallocate(struct file *file, int mode, off_t offset, off_t len)
{
	return -EOPNOTSUPP;
}

const struct file_operations ext2_file_fops = {
	.read = ext2_file_read,
	.write = ext2_file_write,
	.fallocate = ext2_fallocate,
};
