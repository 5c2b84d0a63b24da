/*
 * blkdev_file.c — block special files (/dev/vda): read, write and lseek at byte
 * offsets, as Linux's def_blk_fops without a page cache yet. Data goes through a
 * bounce buffer in whole sectors; partial sectors are read, modified and written back
 * under blkdev_write_lock, which serializes writers through device files.
 */
#include "block/block.h"
#include "fs/fs.h"
#include "mm/mm.h"
#include <linux/fs.h>

#define BOUNCE_SIZE (64 * 1024)

static struct fs_mutex blkdev_write_lock;

/* Sets up the block layer's locks; before the first disk registers. */
void block_init(void)
{
	fs_mutex_init(&blkdev_write_lock, "blkdev_write");
}

static int blkdev_open(struct file *file)
{
	struct block_device *bdev = block_device_find(file_rdev(file));

	if (!bdev)
		return -ENXIO;
	file->private_data = bdev;
	return 0;
}

static uint64_t blkdev_size(struct block_device *bdev)
{
	return bdev->sectors * SECTOR_SIZE;
}

/* Reads from *pos up to the end of the disk: 0 at or past the end, as Linux. */
static ssize_t blkdev_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct block_device *bdev = file->private_data;
	uint64_t size = blkdev_size(bdev), off = *pos;
	size_t len, done = 0;
	uint8_t *bounce;
	int err = 0;

	if (off >= size || !buf->len)
		return 0;
	len = MIN(buf->len, size - off);
	bounce = kmalloc(BOUNCE_SIZE);
	if (!bounce)
		return -ENOMEM;
	while (done < len && !err) {
		uint64_t at = off + done, first = at / SECTOR_SIZE;
		size_t skip = at % SECTOR_SIZE, n = MIN(len - done, BOUNCE_SIZE - skip);
		size_t sectors = (skip + n + SECTOR_SIZE - 1) / SECTOR_SIZE;

		err = block_read(bdev, first, bounce, sectors);
		if (!err)
			err = iobuf_copy_out(buf, done, bounce + skip, n);
		if (!err)
			done += n;
	}
	kfree(bounce);
	*pos = off + done;
	return done ? (ssize_t)done : err;
}

/* Writes one piece of at most BOUNCE_SIZE bytes at byte offset at, reading the partial
 * sectors at its ends first. Called with blkdev_write_lock held. */
static int blkdev_write_piece_locked(struct block_device *bdev, uint8_t *bounce,
				     uint64_t at, const struct iobuf *buf, size_t from,
				     size_t n)
{
	uint64_t first = at / SECTOR_SIZE;
	size_t skip = at % SECTOR_SIZE;
	size_t sectors = (skip + n + SECTOR_SIZE - 1) / SECTOR_SIZE;
	int err;

	if (skip) {
		err = block_read(bdev, first, bounce, 1);
		if (err)
			return err;
	}
	if ((skip + n) % SECTOR_SIZE && (sectors > 1 || !skip)) {
		err = block_read(bdev, first + sectors - 1,
				 bounce + (sectors - 1) * SECTOR_SIZE, 1);
		if (err)
			return err;
	}
	err = iobuf_copy_in(bounce + skip, buf, from, n);
	if (err)
		return err;
	return block_write(bdev, first, bounce, sectors);
}

/* Writes up to the end of the disk: EPERM on a read-only disk and ENOSPC at or past
 * the end, as Linux's blkdev_write_iter. */
static ssize_t blkdev_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct block_device *bdev = file->private_data;
	uint64_t size = blkdev_size(bdev), off = *pos;
	size_t len, done = 0;
	uint8_t *bounce;
	int err = 0;

	if (bdev->read_only)
		return -EPERM;
	if (!buf->len)
		return 0;
	if (off >= size)
		return -ENOSPC;
	len = MIN(buf->len, size - off);
	bounce = kmalloc(BOUNCE_SIZE);
	if (!bounce)
		return -ENOMEM;
	fs_mutex_lock(&blkdev_write_lock);
	while (done < len && !err) {
		uint64_t at = off + done;
		size_t n = MIN(len - done, BOUNCE_SIZE - at % SECTOR_SIZE);

		err = blkdev_write_piece_locked(bdev, bounce, at, buf, done, n);
		if (!err)
			done += n;
	}
	fs_mutex_unlock(&blkdev_write_lock);
	kfree(bounce);
	*pos = off + done;
	return done ? (ssize_t)done : err;
}

/* Linux's fixed_size_llseek: offsets beyond the disk's size are EINVAL, and so are
 * SEEK_DATA and SEEK_HOLE. */
static off_t blkdev_llseek(struct file *file, off_t offset, int whence)
{
	struct block_device *bdev = file->private_data;
	off_t size = blkdev_size(bdev), pos;
	uint64_t flags = spin_lock_irqsave(&file->lock);

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(file->pos, offset, &pos))
			pos = -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, offset, &pos))
			pos = -EINVAL;
		break;
	default:
		pos = -EINVAL;
	}
	if (pos >= 0 && pos > size)
		pos = -EINVAL;
	if (pos >= 0)
		file->pos = pos;
	spin_unlock_irqrestore(&file->lock, flags);
	return pos;
}

/* The size and geometry ioctls of Linux's blkdev_ioctl that tools (blockdev, mkfs)
 * use; others are ENOTTY. */
static long blkdev_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct block_device *bdev = file->private_data;

	switch (cmd) {
	case BLKGETSIZE64:
		return put_user(blkdev_size(bdev), (uint64_t __user *)arg);
	case BLKGETSIZE:
		return put_user((unsigned long)bdev->sectors, (unsigned long __user *)arg);
	case BLKSSZGET:
	case BLKPBSZGET:
		return put_user((int)bdev->logical_block_size, (int __user *)arg);
	case BLKROGET:
		return put_user((int)bdev->read_only, (int __user *)arg);
	case BLKFLSBUF:
		return block_flush(bdev);
	}
	return -ENOTTY;
}

const struct file_operations blkdev_fops = {
	.open = blkdev_open,
	.read = blkdev_read,
	.write = blkdev_write,
	.llseek = blkdev_llseek,
	.ioctl = blkdev_ioctl,
};
