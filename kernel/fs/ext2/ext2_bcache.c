/*
 * ext2_bcache.c — the block cache of ext2 metadata (see ext2_bcache.h): the parser's
 * block reads and writes (bitmaps, group descriptors, inode tables, directories,
 * indirect blocks, the superblock) go through cached copies indexed by block
 * number; writes only mark the copy dirty, ext2_bcache_flush writes them back (sync,
 * fsync, unmount, power-off). File data bypasses the cache (ext2_page.c), so a
 * direct write forgets the block's copy and a direct read takes the cached copies
 * of its blocks. At most EXT2_BCACHE_MAX blocks are cached: the least recently used
 * one makes room, written first when dirty.
 *
 * Locking: see ext2_bcache.h.
 */
#include "fs/ext2/ext2_bcache.h"
#include "mm/mm.h"

/* One cached block. */
struct ext2_buf {
	uint32_t block;
	bool dirty;			/* newer than the disk */
	struct list_head lru;		/* in ext2_bcache.lru, least recently used first */
	struct list_head hash;		/* in its ext2_bcache.hash bucket */
	uint8_t data[];			/* block_size bytes */
};

static struct list_head *bc_bucket(struct ext2_bcache *bc, uint32_t block)
{
	return &bc->hash[block % EXT2_BHASH];
}

/* The cached copy of block, moved to the recent end, or NULL. */
static struct ext2_buf *bc_find(struct ext2_bcache *bc, uint32_t block)
{
	struct ext2_buf *b;

	list_for_each_entry(b, bc_bucket(bc, block), hash) {
		if (b->block == block) {
			list_del(&b->lru);
			list_add_tail(&b->lru, &bc->lru);
			return b;
		}
	}
	return NULL;
}

/* Writes a dirty copy back; 0 or -errno (it stays dirty then). */
static int bc_clean(struct ext2_bcache *bc, struct ext2_buf *b)
{
	int err;

	if (!b->dirty)
		return 0;
	err = bc->disk_write(bc->ctx, b->block, b->data);
	if (!err) {
		b->dirty = false;
		bc->dirty--;
	}
	return err;
}

static void bc_drop(struct ext2_bcache *bc, struct ext2_buf *b)
{
	list_del(&b->lru);
	list_del(&b->hash);
	bc->count--;
	if (b->dirty)
		bc->dirty--;
	kfree(b);
}

/* A new copy of block (contents undefined, clean) in the cache, making room first;
 * NULL when out of memory or the oldest copy cannot be written back. */
static struct ext2_buf *bc_add(struct ext2_bcache *bc, uint32_t block)
{
	struct ext2_buf *b;

	if (bc->count >= EXT2_BCACHE_MAX) {
		b = list_first_entry(&bc->lru, struct ext2_buf, lru);
		if (bc_clean(bc, b))
			return NULL;
		bc_drop(bc, b);
	}
	b = kmalloc(sizeof(*b) + bc->block_size);
	if (!b)
		return NULL;
	b->block = block;
	b->dirty = false;
	list_add_tail(&b->lru, &bc->lru);
	list_add(&b->hash, bc_bucket(bc, block));
	bc->count++;
	return b;
}

/* Sets up an empty cache; -ENOMEM. */
int ext2_bcache_init(struct ext2_bcache *bc)
{
	list_init(&bc->lru);
	bc->hash = kmalloc(EXT2_BHASH * sizeof(*bc->hash));
	if (!bc->hash)
		return -ENOMEM;
	for (unsigned i = 0; i < EXT2_BHASH; i++)
		list_init(&bc->hash[i]);
	return 0;
}

/* Frees every copy, dirty or not, and the index. See ext2_bcache.h. */
void ext2_bcache_destroy(struct ext2_bcache *bc)
{
	while (bc->hash && !list_empty(&bc->lru))
		bc_drop(bc, list_first_entry(&bc->lru, struct ext2_buf, lru));
	kfree(bc->hash);
	bc->hash = NULL;
}

/* ext2_fs.read: block from the cache, read into it when missing. See
 * ext2_bcache.h. */
int ext2_bcache_read(void *ctx, uint32_t block, void *buf)
{
	struct ext2_bcache *bc = ctx;
	struct ext2_buf *b = bc_find(bc, block);
	int err;

	if (!b) {
		b = bc_add(bc, block);
		if (!b)		/* no room: read around the cache */
			return bc->disk_read(bc->ctx, block, buf);
		err = bc->disk_read(bc->ctx, block, b->data);
		if (err) {
			bc_drop(bc, b);
			return err;
		}
	}
	memcpy(buf, b->data, bc->block_size);
	return 0;
}

/* ext2_fs.write: block's cached copy becomes buf, dirty. See ext2_bcache.h. */
int ext2_bcache_write(void *ctx, uint32_t block, const void *buf)
{
	struct ext2_bcache *bc = ctx;
	struct ext2_buf *b = bc_find(bc, block);

	if (!b)
		b = bc_add(bc, block);
	if (!b)			/* no room: write through */
		return bc->disk_write(bc->ctx, block, buf);
	memcpy(b->data, buf, bc->block_size);
	if (!b->dirty) {
		b->dirty = true;
		bc->dirty++;
	}
	return 0;
}

/* Writes a file data block straight to the disk, forgetting its cached copy. See
 * ext2_bcache.h. */
int ext2_bcache_write_around(struct ext2_bcache *bc, uint32_t block, const void *buf)
{
	struct ext2_buf *b = bc_find(bc, block);

	/* The page holds the newest bytes, so an older copy must never reach the disk. */
	if (b)
		bc_drop(bc, b);
	return bc->disk_write(bc->ctx, block, buf);
}

/* Copies the cached copies of blocks [block, block + count) over buf, which holds
 * what the disk has there. See ext2_bcache.h. */
void ext2_bcache_overlay(struct ext2_bcache *bc, uint32_t block, uint32_t count, void *buf)
{
	if (!bc->count)
		return;
	for (uint32_t i = 0; i < count; i++) {
		struct ext2_buf *b = bc_find(bc, block + i);

		if (b)
			memcpy((uint8_t *)buf + (size_t)i * bc->block_size, b->data,
			       bc->block_size);
	}
}

/* Writes every dirty copy back. See ext2_bcache.h. */
int ext2_bcache_flush(struct ext2_bcache *bc)
{
	struct ext2_buf *b;
	int err = 0;

	if (!bc->dirty)
		return 0;
	list_for_each_entry(b, &bc->lru, lru) {
		int e = bc_clean(bc, b);

		err = err ? err : e;
	}
	return err;
}
