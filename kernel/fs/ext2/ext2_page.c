/*
 * ext2_page.c — ext2 file data in the page cache (kernel/mm/pagecache.c): filling
 * pages from the block map (contiguous blocks read in one request, several pages at
 * once for readahead),
 * writing dirty blocks back (holes written through a shared mapping get blocks
 * then), the pages mappings get, and fsync of one file. Every function here runs
 * under sb->mutex or takes it; the page cache's owner lock is sb->mutex.
 */
#include "fs/ext2/ext2_sb.h"

static struct ext2_inode_info *pc_ei(struct page_cache *pc)
{
	return container_of(pc, struct ext2_inode_info, pages);
}

/* The file size write-back obeys. See ext2_sb.h. */
uint64_t ext2_data_size(struct ext2_inode_info *ei)
{
	return ei->inode ? ei->inode->size : ei->disk.size;
}

/* Reads count blocks starting at disk block `block` into buf in one request. */
static int ext2_read_run(struct ext2_sb *sbi, uint32_t block, uint32_t count, void *buf)
{
	uint32_t per_block = sbi->fs.block_size / SECTOR_SIZE;
	int err;

	if (!count)
		return 0;
	if ((uint64_t)block + count > sbi->fs.blocks_count)
		return -EIO;
	err = block_read(sbi->bdev, (uint64_t)block * per_block, buf, count * per_block);
	if (!err)
		ext2_bcache_overlay(&sbi->bcache, block, count, buf);
	return err;
}

/* page_cache_ops.readpage: the page's blocks (holes and bytes past the end zero),
 * runs of contiguous blocks read together. */
static int ext2_readpage(struct page_cache *pc, uint64_t index, void *page)
{
	struct ext2_inode_info *ei = pc_ei(pc);
	struct ext2_sb *sbi = ei->sbi;
	uint32_t bs = sbi->fs.block_size, per = PAGE_SIZE / bs, run_start = 0, run = 0;
	uint32_t run_first = 0;
	uint64_t size = ext2_data_size(ei);
	uint8_t *p = page;

	for (uint32_t i = 0; i < per; i++) {
		uint64_t at = index * PAGE_SIZE + (uint64_t)i * bs;
		uint32_t block = 0;
		int err = at < size ? ext2_bmap(&sbi->fs, &ei->disk, at / bs, &block) : 0;

		if (err)
			return err;
		if (run && block == run_start + run) {
			run++;
			continue;
		}
		err = ext2_read_run(sbi, run_start, run, p + run_first * bs);
		if (err)
			return err;
		run = block ? 1 : 0;
		run_start = block;
		run_first = i;
		if (!block)
			memset(p + i * bs, 0, bs);
	}
	return ext2_read_run(sbi, run_start, run, p + run_first * bs);
}

/* page_cache_ops.readpages (readahead): the blocks of n pages read into one buffer,
 * each run of contiguous disk blocks by one request, then copied to the pages. */
static int ext2_readpages(struct page_cache *pc, uint64_t index, unsigned n, void **pages)
{
	struct ext2_inode_info *ei = pc_ei(pc);
	struct ext2_sb *sbi = ei->sbi;
	uint32_t bs = sbi->fs.block_size, total = n * (PAGE_SIZE / bs);
	uint32_t run_start = 0, run = 0, run_first = 0;
	uint64_t size = ext2_data_size(ei);
	uint8_t *data = kmalloc((size_t)n * PAGE_SIZE);
	int err = 0;

	if (!data)
		return -ENOMEM;
	for (uint32_t i = 0; i <= total && !err; i++) {
		uint64_t at = index * PAGE_SIZE + (uint64_t)i * bs;
		uint32_t block = 0;

		if (i < total && at < size && (err = ext2_bmap(&sbi->fs, &ei->disk, at / bs, &block)))
			break;
		if (run && block == run_start + run && i < total) {
			run++;
			continue;
		}
		err = ext2_read_run(sbi, run_start, run, data + (size_t)run_first * bs);
		run = block ? 1 : 0;
		run_start = block;
		run_first = i;
		if (i < total && !block)
			memset(data + (size_t)i * bs, 0, bs);
	}
	for (unsigned i = 0; i < n && !err; i++)
		memcpy(pages[i], data + (size_t)i * PAGE_SIZE, PAGE_SIZE);
	kfree(data);
	return err;
}

/* Whether the bs bytes at p are all zero. */
static bool block_is_zero(const uint8_t *p, uint32_t bs)
{
	for (uint32_t i = 0; i < bs; i++)
		if (p[i])
			return false;
	return true;
}

/* page_cache_ops.writepage: the dirty blocks inside the file; a block holding the
 * end is zeroed past it first, as Linux does. Blocks a shared mapping dirtied in a
 * hole are allocated unless they are still all zeros. */
static int ext2_writepage(struct page_cache *pc, uint64_t index, void *page, uint32_t bits)
{
	struct ext2_inode_info *ei = pc_ei(pc);
	struct ext2_sb *sbi = ei->sbi;
	uint32_t bs = sbi->fs.block_size, per = PAGE_SIZE / bs;
	uint64_t size = ext2_data_size(ei);
	uint8_t *p = page;
	int err = 0;

	for (uint32_t i = 0; i < per && !err; i++) {
		uint64_t at = index * PAGE_SIZE + (uint64_t)i * bs;
		uint32_t block;
		bool fresh;

		if (at >= size)
			break;
		if (!(bits & (PC_DIRTY_MAPPED | 1u << i)))
			continue;
		if (size - at < bs)
			memset(p + i * bs + (size - at), 0, bs - (size - at));
		if (!(bits & (1u << i))) {
			err = ext2_bmap(&sbi->fs, &ei->disk, at / bs, &block);
			if (err || (!block && block_is_zero(p + i * bs, bs)))
				continue;
		}
		err = ext2_bmap_alloc(&sbi->fs, &ei->disk, at / bs, &block, &fresh);
		if (!err)
			err = ext2_bcache_write_around(&sbi->bcache, block, p + i * bs);
	}
	if (ei->inode)
		ei->inode->blocks = ei->disk.blocks;
	return err;
}

const struct page_cache_ops ext2_page_ops = {
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
	.writepage = ext2_writepage,
};

/* Writes back a range of pages. See ext2_sb.h. */
int ext2_write_pages(struct ext2_inode_info *ei, uint64_t first, uint64_t last)
{
	if (ei->inode ? ei->inode->nlink == 0 : ei->disk.nlink == 0)
		return 0;	/* its blocks are about to be freed */
	return pagecache_writeback(&ei->pages, first, last);
}

/* The lent test of vm_unmap_file_pages. See ext2_sb.h. */
bool ext2_page_lent(void *ctx, uint64_t index, uint64_t phys)
{
	return pagecache_holds(&((struct ext2_inode_info *)ctx)->pages, index, phys);
}

/* file_operations.get_page: the cached page for private mappings, when the whole
 * page lies inside the file. */
int ext2_get_page(struct file *file, uint64_t offset, uint64_t *page)
{
	struct inode *inode = file->inode;
	int err = 0;

	*page = 0;
	fs_mutex_lock(&inode->sb->mutex);
	if (offset >= inode->size)
		err = -ENXIO;
	else if (inode->size - offset >= PAGE_SIZE)
		err = pagecache_get(&((struct ext2_inode_info *)inode->priv)->pages,
				    offset / PAGE_SIZE, true, page);
	fs_mutex_unlock(&inode->sb->mutex);
	return err;
}

/* file_operations.share_page: the cached page itself for shared mappings (the
 * page holding the end too); a file open for writing may be written through the
 * mapping, so the page is written back while it stays mapped. */
int ext2_share_page(struct file *file, uint64_t offset, uint64_t *page)
{
	struct inode *inode = file->inode;
	struct ext2_inode_info *ei = inode->priv;
	int err;

	fs_mutex_lock(&inode->sb->mutex);
	err = offset >= ALIGN_UP(inode->size, PAGE_SIZE) ? -ENXIO :
	      pagecache_get(&ei->pages, offset / PAGE_SIZE, true, page);
	if (!err && (file->flags & O_ACCMODE) == O_RDWR)
		pagecache_mark_dirty(&ei->pages, offset / PAGE_SIZE, PC_DIRTY_MAPPED);
	fs_mutex_unlock(&inode->sb->mutex);
	return err;
}

/* file_operations.page_cached (mincore). */
bool ext2_page_cached(struct file *file, uint64_t offset)
{
	struct ext2_inode_info *ei = file->inode->priv;
	uint64_t phys = pagecache_find(&ei->pages, offset / PAGE_SIZE);

	if (phys)
		page_put(phys);
	return phys;
}

/* file_operations.fsync: this file's dirty pages in [start, end] and its inode,
 * then the disk's write cache. */
int ext2_fsync(struct file *file, uint64_t start, uint64_t end, bool datasync)
{
	struct inode *inode = file->inode;
	struct ext2_sb *sbi = EXT2_SB(inode->sb);
	int err, e;

	(void)datasync;		/* ext2 has no cheaper data-only sync */
	if (inode->sb->read_only)
		return 0;
	fs_mutex_lock(&inode->sb->mutex);
	err = ext2_write_pages(inode->priv, start / PAGE_SIZE, end / PAGE_SIZE);
	e = ext2_isync(inode);
	err = err ? err : e;
	/* More than Linux's ext2 (the file's inode and indirect blocks): every dirty
	 * metadata block, directories and bitmaps too. */
	e = ext2_bcache_flush(&sbi->bcache);
	fs_mutex_unlock(&inode->sb->mutex);
	err = err ? err : e;
	return err ? err : block_flush(sbi->bdev);
}
