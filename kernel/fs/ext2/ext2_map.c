/*
 * ext2_map.c — growing and shrinking an inode's block map: allocating data and
 * indirect blocks on write, freeing them on truncate (pure: see ext2_disk.h).
 * fs->ibuf holds one indirect block per level (level 1 first); fs->zbuf is zeros.
 */
#include "fs/ext2/ext2_disk.h"
#include "lib/log.h"

static uint32_t *level_buf(struct ext2_fs *fs, int depth)
{
	return (uint32_t *)(fs->ibuf + (depth - 1) * fs->block_size);
}

/* Allocates a block for inode near goal; an indirect one is zeroed on the disk. */
static int map_new_block(struct ext2_fs *fs, struct ext2_inode *inode, uint32_t goal,
			 bool indirect, uint32_t *block)
{
	int err = ext2_block_alloc(fs, goal, block);

	if (err)
		return err;
	inode->blocks += fs->block_size / 512;
	if (indirect) {
		err = fs->write(fs->ctx, *block, fs->zbuf);
		if (err) {
			ext2_block_free(fs, *block);
			inode->blocks -= fs->block_size / 512;
		}
	}
	return err;
}

/* The allocation goal of a file: near its first direct block, else its group. */
static uint32_t map_goal(const struct ext2_fs *fs, const struct ext2_inode *inode)
{
	for (int i = EXT2_NDIR_BLOCKS - 1; i >= 0; i--)
		if (inode->block[i])
			return inode->block[i] + 1;
	return fs->first_data_block +
	       (inode->ino - 1) / fs->inodes_per_group * fs->blocks_per_group;
}

/* Maps a file block, allocating what is missing. See ext2_disk.h. */
int ext2_bmap_alloc(struct ext2_fs *fs, struct ext2_inode *inode, uint64_t lblock,
		    uint32_t *pblock, bool *fresh)
{
	uint32_t *slot, *ind = level_buf(fs, 1), block;
	struct ext2_map_path path;
	int err;

	*fresh = false;
	*pblock = 0;
	err = ext2_map_path(fs, lblock, &path);
	if (err)
		return err;
	slot = &inode->block[path.slot[0]];
	err = ext2_ptr_check(fs, inode, *slot);
	if (!err && !*slot) {
		err = map_new_block(fs, inode, map_goal(fs, inode), path.depth > 0, slot);
		*fresh = !err && path.depth == 0;
	}
	/* *slot is now the top block; walk down, filling holes in indirect blocks. */
	block = *slot;
	for (int level = 1; !err && level <= path.depth; level++) {
		uint32_t idx = path.slot[level];

		err = fs->read(fs->ctx, block, ind);
		if (err)
			break;
		err = ext2_ptr_check(fs, inode, ind[idx]);
		if (!err && !ind[idx]) {
			err = map_new_block(fs, inode, block + 1, level < path.depth, &ind[idx]);
			if (!err)
				err = fs->write(fs->ctx, block, ind);
			*fresh = !err && level == path.depth;
		}
		block = ind[idx];
	}
	if (!err)
		*pblock = block;
	return err;
}

/* Frees block's subtree (depth levels of indirection below it) from the entry
 * covering file offset `from` (in blocks, relative to the subtree) on. */
static int free_tree(struct ext2_fs *fs, struct ext2_inode *inode, uint32_t block,
		     int depth, uint64_t from, uint64_t span)
{
	uint32_t *buf = level_buf(fs, depth);
	uint64_t child_span = span / ext2_ptrs_per_block(fs);
	bool changed = false;
	int err;

	err = fs->read(fs->ctx, block, buf);
	if (err)
		return err;
	for (uint32_t i = from / child_span; i < ext2_ptrs_per_block(fs); i++) {
		uint64_t sub = i == from / child_span ? from % child_span : 0;
		uint32_t c = buf[i];

		if (!c)
			continue;
		err = ext2_ptr_check(fs, inode, c);
		if (!err && depth > 1)
			err = free_tree(fs, inode, c, depth - 1, sub, child_span);
		if (!err && (depth == 1 || sub == 0)) {
			err = ext2_block_free(fs, c);
			if (!err) {
				inode->blocks -= fs->block_size / 512;
				buf[i] = 0;
				changed = true;
			}
		}
		if (err)
			return err;
	}
	return changed && from ? fs->write(fs->ctx, block, buf) : 0;
}

/* Frees blocks from file block keep on. See ext2_disk.h. */
int ext2_truncate_blocks(struct ext2_fs *fs, struct ext2_inode *inode, uint64_t keep)
{
	uint64_t base = EXT2_NDIR_BLOCKS, span = 1;
	int err;

	for (uint64_t l = keep; l < EXT2_NDIR_BLOCKS; l++) {
		if (!inode->block[l])
			continue;
		err = ext2_ptr_check(fs, inode, inode->block[l]);
		if (!err)
			err = ext2_block_free(fs, inode->block[l]);
		if (err)
			return err;
		inode->block[l] = 0;
		inode->blocks -= fs->block_size / 512;
	}
	for (int depth = 1; depth <= 3; depth++) {
		uint32_t *top = &inode->block[EXT2_NDIR_BLOCKS + depth - 1];
		uint64_t from = keep > base ? keep - base : 0;

		span *= ext2_ptrs_per_block(fs);
		if (*top && from < span) {
			err = ext2_ptr_check(fs, inode, *top);
			if (!err)
				err = free_tree(fs, inode, *top, depth, from, span);
			if (!err && from == 0) {
				err = ext2_block_free(fs, *top);
				if (!err) {
					*top = 0;
					inode->blocks -= fs->block_size / 512;
				}
			}
			if (err)
				return err;
		}
		base += span;
	}
	return 0;
}
