/*
 * ext2_file.c — ext2 file data through the VFS and the page cache (ext2_page.c):
 * read (with relatime access times), write (blocks allocated at once, holes stay
 * holes, the data written back later), truncate, and symlink targets. sb->mutex is
 * taken around each page's work and dropped around copies to and from user
 * memory. Locking: see ext2_sb.h.
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

/* Before reading page index: when it is missing, reads it and the pages after it
 * in one go, with a window doubling (up to PC_READAHEAD_MAX pages) while the
 * reader keeps missing where the last window ended. Needs sb->mutex. */
static void ext2_readahead(struct inode *inode, uint64_t index)
{
	struct ext2_inode_info *ei = inode->priv;
	uint64_t phys = pagecache_find(&ei->pages, index);
	uint64_t left = DIV_ROUND_UP(inode->size, PAGE_SIZE) - index;

	if (phys) {
		page_put(phys);
		return;
	}
	if (index == ei->ra_next && index)
		ei->ra_pages = MIN(MAX(ei->ra_pages * 2, 4u), PC_READAHEAD_MAX);
	else
		ei->ra_pages = index ? 1 : 4;
	ei->ra_next = index + MIN(ei->ra_pages, left);
	/* A failure leaves the page missing: the read proper reports the error. */
	pagecache_readahead(&ei->pages, index, MIN(ei->ra_pages, left));
}

static ssize_t ext2_file_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_inode_info *ei = inode->priv;
	size_t done = 0;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	/* Page by page, without sb->mutex across the copy to user memory. */
	while (done < buf->len) {
		uint64_t at = *pos + done, phys;
		size_t off = at % PAGE_SIZE, n;

		fs_mutex_lock(&inode->sb->mutex);
		if (at >= inode->size) {
			fs_mutex_unlock(&inode->sb->mutex);
			break;
		}
		n = MIN(MIN(PAGE_SIZE - off, buf->len - done), inode->size - at);
		ext2_readahead(inode, at / PAGE_SIZE);
		err = pagecache_get(&ei->pages, at / PAGE_SIZE, true, &phys);
		fs_mutex_unlock(&inode->sb->mutex);
		if (err)
			break;
		err = iobuf_copy_out(buf, done, (uint8_t *)phys_to_virt(phys) + off, n);
		page_put(phys);
		if (err)
			break;
		done += n;
	}
	fs_mutex_lock(&inode->sb->mutex);
	ext2_relatime(file);
	fs_mutex_unlock(&inode->sb->mutex);
	*pos += done;
	return done ? (ssize_t)done : err;
}

/* Gives the blocks of file bytes [at, at+n) (inside one page) disk blocks; *bits
 * gets the page's dirty bits for them, also on failure (a new block must reach the
 * disk with the page's zeros). Needs sb->mutex. */
static int ext2_write_alloc(struct inode *inode, uint64_t at, size_t n, uint32_t *bits)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	struct ext2_inode *d = EXT2_I(inode);
	uint32_t bs = sbi->fs.block_size, block;
	uint64_t first = at / bs, page_first = at / PAGE_SIZE * (PAGE_SIZE / bs);
	int err = 0;

	*bits = 0;
	for (uint64_t lb = first; lb <= (at + n - 1) / bs && !err; lb++) {
		bool fresh;

		err = ext2_bmap_alloc(&sbi->fs, d, lb, &block, &fresh);
		if (!err)
			*bits |= 1u << (lb - page_first);
	}
	inode->blocks = d->blocks;
	return err;
}

/* Copies n bytes (within one page) into the file's cached page at at and marks
 * them dirty, allocating their blocks. Needs sb->mutex. */
static int ext2_write_page(struct inode *inode, uint64_t at, const uint8_t *data, size_t n)
{
	struct ext2_inode_info *ei = inode->priv;
	size_t off = at % PAGE_SIZE;
	uint64_t phys;
	uint32_t bits;
	int err;

	/* The page first: its holes read as zeros, which new blocks must get. */
	err = pagecache_get(&ei->pages, at / PAGE_SIZE, n < PAGE_SIZE, &phys);
	if (err)
		return err;
	err = ext2_write_alloc(inode, at, n, &bits);
	if (!err)
		memcpy((uint8_t *)phys_to_virt(phys) + off, data, n);
	pagecache_mark_dirty(&ei->pages, at / PAGE_SIZE, bits);
	page_put(phys);
	return err;
}

static ssize_t ext2_file_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	uint8_t *data = kmalloc(PAGE_SIZE);
	size_t done = 0;
	int err = 0;

	if (!data)
		return -ENOMEM;
	if (file->flags & O_APPEND) {
		fs_mutex_lock(&inode->sb->mutex);
		*pos = inode->size;
		fs_mutex_unlock(&inode->sb->mutex);
	}
	while (done < buf->len) {
		uint64_t at = *pos;
		size_t n = MIN(PAGE_SIZE - at % PAGE_SIZE, buf->len - done);

		if (*pos < 0 || at >= ext2_max_size(&sbi->fs)) {
			err = *pos < 0 ? -EINVAL : -EFBIG;
			break;
		}
		n = MIN(n, ext2_max_size(&sbi->fs) - at);
		err = iobuf_copy_in(data, buf, done, n);
		if (err)
			break;
		fs_mutex_lock(&inode->sb->mutex);
		err = ext2_write_page(inode, at, data, n);
		if (!err) {
			if (at + n > inode->size)
				inode->size = at + n;
			inode_touch(inode, false, true, true);
		}
		fs_mutex_unlock(&inode->sb->mutex);
		if (err)
			break;
		done += n;
		*pos += n;
	}
	kfree(data);
	return done ? (ssize_t)done : err;
}

/* Zeroes the bytes of the block holding offset size past it (a shrink inside a
 * block), on the disk and in the cached page, so a later grow reads zeros there. */
static int ext2_zero_tail(struct inode *inode, uint64_t size)
{
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	struct ext2_inode_info *ei = inode->priv;
	uint32_t bs = sbi->fs.block_size, block;
	uint64_t phys = pagecache_find(&ei->pages, size / PAGE_SIZE);
	int err;

	if (phys) {
		memset((uint8_t *)phys_to_virt(phys) + size % PAGE_SIZE, 0,
		       PAGE_SIZE - size % PAGE_SIZE);
		page_put(phys);
	}
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
		/* Mappings lose the pages past the end (SIGBUS there), the cache too. */
		inode->size = size;
		vm_unmap_file_pages(inode, size, ext2_page_lent, inode->priv);
		pagecache_truncate(&((struct ext2_inode_info *)inode->priv)->pages,
				   DIV_ROUND_UP(size, PAGE_SIZE));
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
	.get_page = ext2_get_page,
	.share_page = ext2_share_page,
	.page_cached = ext2_page_cached,
	.fsync = ext2_fsync,
};
