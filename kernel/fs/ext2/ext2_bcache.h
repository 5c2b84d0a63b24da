/*
 * ext2_bcache.h — the block cache of ext2 metadata (ext2_bcache.c); private to
 * kernel/fs/ext2. Built on the host too (tests/unit/test_ext2_bcache.c): it reaches
 * the disk only through the owner's callbacks.
 *
 * Locking: the owner's lock (ext2: sb->mutex) around every call covers the whole
 * cache; disk I/O happens under it.
 */
#ifndef LUMEN_FS_EXT2_BCACHE_H
#define LUMEN_FS_EXT2_BCACHE_H

#include "lib/lib.h"

#define EXT2_BHASH 1024		/* buckets of ext2_bcache.hash */
#define EXT2_BCACHE_MAX 4096	/* blocks cached per file system */

/* The metadata block cache of one file system; the owner's lock. */
struct ext2_bcache {
	uint32_t block_size;
	/* Whole blocks to and from the disk, past the cache; 0 or -errno. */
	int (*disk_read)(void *ctx, uint32_t block, void *buf);
	int (*disk_write)(void *ctx, uint32_t block, const void *buf);
	void *ctx;
	struct list_head *hash;		/* EXT2_BHASH buckets of ext2_buf.hash */
	struct list_head lru;		/* every ext2_buf, least recently used first */
	unsigned count, dirty;		/* cached blocks, dirty ones among them */
};

/* Sets up an empty cache (block_size, disk_read, disk_write and ctx set); -ENOMEM. */
int ext2_bcache_init(struct ext2_bcache *bc);
/* Frees every cached block, written back or not, and the index. */
void ext2_bcache_destroy(struct ext2_bcache *bc);
/* ext2_fs.read and .write (ctx: the ext2_bcache): a block through the cache; a
 * write only dirties the cached copy (written through when the cache cannot take
 * it). 0 or -errno. */
int ext2_bcache_read(void *ctx, uint32_t block, void *buf);
int ext2_bcache_write(void *ctx, uint32_t block, const void *buf);
/* Writes every dirty cached block to the disk; 0 or the first error (those blocks
 * stay dirty). */
int ext2_bcache_flush(struct ext2_bcache *bc);
/* File data: writes block straight to the disk, forgetting its cached copy. */
int ext2_bcache_write_around(struct ext2_bcache *bc, uint32_t block, const void *buf);
/* Puts the cached copies of blocks [block, block + count) over buf (read from the
 * disk past the cache). */
void ext2_bcache_overlay(struct ext2_bcache *bc, uint32_t block, uint32_t count, void *buf);

#endif
