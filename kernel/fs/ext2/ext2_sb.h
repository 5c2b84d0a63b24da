/*
 * ext2_sb.h — what the ext2 VFS glue files (ext2_vfs.c, ext2_namei.c, ext2_file.c)
 * share; private to kernel/fs/ext2.
 *
 * Locking: sb->mutex (held by the VFS around every inode operation, taken here
 * around file reads and writes, sync and eviction work) serializes all use of the
 * parser and of ext2_sb's buffers and lists. ext2_sb.inodes and .evicted are also
 * protected by sb->ilock, which decides an inode's death (inode_put): evict only
 * moves the inode's ext2 half to .evicted, and the next holder of sb->mutex writes
 * it back or frees it on the disk (ext2_reap), so eviction never sleeps.
 * A written-back inode that still has links stays, clean and with its cached
 * pages, on ext2_sb.unused (least recently used first, at most EXT2_UNUSED_MAX),
 * and the next ext2_iget of its number gives it a new VFS inode instead of reading
 * the disk; ext2_sb.hash finds live and unused ones by number (sb->ilock). Unused
 * inodes leave (oldest first) when there are too many and at unmount, under
 * sb->mutex; memory pressure takes their clean pages (pagecache_shrink).
 */
#ifndef LUMEN_FS_EXT2_SB_H
#define LUMEN_FS_EXT2_SB_H

#include "fs/fs.h"
#include "fs/ext2/ext2_disk.h"
#include "fs/ext2/ext2_bcache.h"
#include "block/block.h"
#include "mm/mm.h"

#define EXT2_LINK_MAX 32000
#define EXT2_IHASH 512		/* buckets of ext2_sb.hash */
#define EXT2_UNUSED_MAX 1024	/* unused inodes kept per file system */

/* One mounted ext2 file system. */
struct ext2_sb {
	struct ext2_fs fs;		/* its buffers are ext2_sb's own */
	struct block_device *bdev;
	uint8_t *dirbuf;		/* block buffer for directories and symlinks */
	struct ext2_bcache bcache;	/* the parser's fs.read/fs.write go through it */
	struct list_head inodes;	/* live ext2_inode_info.link (sb->ilock) */
	struct list_head evicted;	/* evicted ones waiting for ext2_reap */
	struct list_head unused;	/* clean ones without a VFS inode, oldest first */
	unsigned nr_unused;		/* on .unused (sb->ilock) */
	struct list_head *hash;		/* EXT2_IHASH buckets of live and unused
					 * ext2_inode_info.hash, by number (sb->ilock) */
};

/* A VFS inode's ext2 half (inode->priv). */
struct ext2_inode_info {
	struct ext2_inode disk;		/* the block map, plus fields synced from the VFS */
	struct ext2_inode written;	/* what the disk holds, to skip clean writes */
	struct inode *inode;		/* the VFS inode; NULL once evicted */
	struct list_head link;		/* in ext2_sb.inodes, .evicted or .unused */
	struct list_head hash;		/* in ext2_sb.hash while live or unused */
	struct ext2_sb *sbi;
	struct page_cache pages;	/* file data; owner lock sb->mutex */
	uint64_t ra_next;		/* readahead: the page a sequential reader misses next */
	unsigned ra_pages;		/* and the window it gets then (sb->mutex) */
};

static inline struct ext2_sb *EXT2_SB(struct super_block *sb)
{
	return sb->priv;
}

static inline struct ext2_inode *EXT2_I(struct inode *inode)
{
	return &((struct ext2_inode_info *)inode->priv)->disk;
}

/* ext2_vfs.c */
/* The VFS inode for ino, counted (cached or read); a new directory takes a counted
 * parent `dir` (NULL: its own). Needs sb->mutex. */
int ext2_iget(struct super_block *sb, uint32_t ino, struct inode *dir, struct inode **out);
/* Copies the VFS inode's fields into its disk inode and writes it when it changed.
 * Needs sb->mutex. */
int ext2_isync(struct inode *inode);
/* Writes back or frees (no links left) the evicted inodes. Needs sb->mutex. */
void ext2_reap(struct super_block *sb);
/* The current time in ext2's seconds. */
uint32_t ext2_now(void);

/* ext2_namei.c */
extern const struct inode_operations ext2_dir_iops;

/* ext2_file.c */
extern const struct file_operations ext2_file_fops;
extern const struct inode_operations ext2_file_iops, ext2_link_iops;
/* ext2_page.c: file data in the page cache (see mm.h), owner lock sb->mutex */
extern const struct page_cache_ops ext2_page_ops;
/* The file size write-back obeys: the VFS inode's while it lives. Needs sb->mutex. */
uint64_t ext2_data_size(struct ext2_inode_info *ei);
/* Writes back the dirty pages of file pages [first, last]. Needs sb->mutex. */
int ext2_write_pages(struct ext2_inode_info *ei, uint64_t first, uint64_t last);
/* file_operations.get_page/share_page/page_cached/fsync of ext2 files. */
int ext2_get_page(struct file *file, uint64_t offset, uint64_t *page);
int ext2_share_page(struct file *file, uint64_t offset, uint64_t *page);
bool ext2_page_cached(struct file *file, uint64_t offset);
int ext2_fsync(struct file *file, uint64_t start, uint64_t end, bool datasync);
/* vm_unmap_file_pages' lent test: phys is the cached page at index of ctx (an
 * ext2_inode_info). */
bool ext2_page_lent(void *ctx, uint64_t index, uint64_t phys);
/* Sets a symlink's target on a new inode (fast in i_block, else one block). */
int ext2_symlink_fill(struct ext2_sb *sbi, struct ext2_inode *d, const char *target);

#endif
