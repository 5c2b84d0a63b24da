/*
 * ext2_alloc.c — ext2's block and inode allocation through the bitmaps, group
 * descriptor and superblock updates, and inode encoding (pure: see ext2_disk.h).
 * Buffers: fs->wbuf holds a bitmap, fs->scratch a descriptor or inode table block.
 */
#include "fs/ext2/ext2_disk.h"
#include "lib/log.h"

/* Writes group descriptor `group` back into its table block. */
static int group_write(struct ext2_fs *fs, uint32_t group, const struct ext2_group_desc *gd)
{
	uint32_t per_block = fs->block_size / sizeof(*gd);
	uint32_t block = fs->first_data_block + 1 + group / per_block;
	int err;

	err = fs->read(fs->ctx, block, fs->scratch);
	if (err)
		return err;
	memcpy(fs->scratch + (group % per_block) * sizeof(*gd), gd, sizeof(*gd));
	return fs->write(fs->ctx, block, fs->scratch);
}

/* The number of blocks group holds (the last one may be short). */
static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t group)
{
	uint64_t start = (uint64_t)group * fs->blocks_per_group;
	uint64_t left = fs->blocks_count - fs->first_data_block - start;

	return MIN(left, (uint64_t)fs->blocks_per_group);
}

static bool bit_test(const uint8_t *map, uint32_t bit)
{
	return map[bit / 8] & (1u << (bit % 8));
}

static void bit_flip(uint8_t *map, uint32_t bit)
{
	map[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

/* The first clear bit in [from, count) of map, or count. */
static uint32_t bit_find_clear(const uint8_t *map, uint32_t from, uint32_t count)
{
	for (uint32_t b = from; b < count; b++) {
		if (!(b % 8) && map[b / 8] == 0xff && count - b >= 8) {
			b += 7;
			continue;
		}
		if (!bit_test(map, b))
			return b;
	}
	return count;
}

/* Whether block is one of group's bitmaps or inode table blocks (a damaged bitmap
 * must not hand those out as data). */
static bool block_is_meta(const struct ext2_fs *fs, const struct ext2_group_desc *gd,
			  uint32_t block)
{
	uint32_t itb = DIV_ROUND_UP((uint64_t)fs->inodes_per_group * fs->inode_size,
				    fs->block_size);

	return block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap ||
	       (block >= gd->bg_inode_table && block - gd->bg_inode_table < itb);
}

/* Takes a clear bit >= from in group's block bitmap; *bit gets it. -ENOSPC if none. */
static int block_take_in(struct ext2_fs *fs, uint32_t group, uint32_t from, uint32_t *bit)
{
	struct ext2_group_desc gd;
	uint32_t count = group_blocks(fs, group);
	int err;

	err = ext2_group_read(fs, group, &gd);
	if (err || !gd.bg_free_blocks_count)
		return err ? err : -ENOSPC;
	err = fs->read(fs->ctx, gd.bg_block_bitmap, fs->wbuf);
	if (err)
		return err;
	*bit = bit_find_clear(fs->wbuf, from, count);
	if (*bit == count)
		return -ENOSPC;
	if (block_is_meta(fs, &gd, fs->first_data_block + group * fs->blocks_per_group + *bit)) {
		pr_err("ext2: group %u: block bitmap marks metadata free\n", group);
		return -EUCLEAN;
	}
	bit_flip(fs->wbuf, *bit);
	err = fs->write(fs->ctx, gd.bg_block_bitmap, fs->wbuf);
	if (err)
		return err;
	gd.bg_free_blocks_count--;
	fs->free_blocks -= fs->free_blocks > 0;
	return group_write(fs, group, &gd);
}

/* Allocates a block near goal. See ext2_disk.h. */
int ext2_block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *block)
{
	uint32_t start = 0, from = 0, bit = 0;
	int err;

	if (!fs->free_blocks)
		return -ENOSPC;
	if (goal >= fs->first_data_block && goal < fs->blocks_count) {
		start = (goal - fs->first_data_block) / fs->blocks_per_group;
		from = (goal - fs->first_data_block) % fs->blocks_per_group;
	}
	/* The goal's group from the goal on, then every group from its start. */
	for (uint32_t i = 0; i <= fs->groups; i++) {
		uint32_t g = (start + i) % fs->groups;

		err = block_take_in(fs, g, i ? 0 : from, &bit);
		if (err == -ENOSPC)
			continue;
		if (err)
			return err;
		*block = fs->first_data_block + g * fs->blocks_per_group + bit;
		return 0;
	}
	return -ENOSPC;
}

/* Frees a block. See ext2_disk.h. */
int ext2_block_free(struct ext2_fs *fs, uint32_t block)
{
	struct ext2_group_desc gd;
	uint32_t group, bit;
	int err;

	if (block < fs->first_data_block || block >= fs->blocks_count) {
		pr_err("ext2: freeing block %u outside the file system\n", block);
		return -EUCLEAN;
	}
	group = (block - fs->first_data_block) / fs->blocks_per_group;
	bit = (block - fs->first_data_block) % fs->blocks_per_group;
	err = ext2_group_read(fs, group, &gd);
	if (!err)
		err = fs->read(fs->ctx, gd.bg_block_bitmap, fs->wbuf);
	if (err)
		return err;
	if (!bit_test(fs->wbuf, bit)) {
		pr_err("ext2: freeing block %u, already free\n", block);
		return -EUCLEAN;
	}
	bit_flip(fs->wbuf, bit);
	err = fs->write(fs->ctx, gd.bg_block_bitmap, fs->wbuf);
	if (err)
		return err;
	gd.bg_free_blocks_count++;
	fs->free_blocks++;
	return group_write(fs, group, &gd);
}

/* The group a new inode goes to: the parent's when it has free inodes (files), the
 * one with the most free inodes (directories, or a full parent group). */
static int inode_pick_group(struct ext2_fs *fs, uint32_t parent_ino, bool dir,
			    uint32_t *group)
{
	uint32_t pg = (parent_ino - 1) / fs->inodes_per_group, best_free = 0;
	struct ext2_group_desc gd;
	int err;

	if (!dir && pg < fs->groups) {
		err = ext2_group_read(fs, pg, &gd);
		if (err)
			return err;
		if (gd.bg_free_inodes_count) {
			*group = pg;
			return 0;
		}
	}
	for (uint32_t g = 0; g < fs->groups; g++) {
		err = ext2_group_read(fs, g, &gd);
		if (err)
			return err;
		if (gd.bg_free_inodes_count > best_free) {
			best_free = gd.bg_free_inodes_count;
			*group = g;
		}
	}
	return best_free ? 0 : -ENOSPC;
}

/* Allocates an inode. See ext2_disk.h. */
int ext2_inode_alloc(struct ext2_fs *fs, uint32_t parent_ino, bool dir, uint32_t *ino)
{
	struct ext2_group_desc gd;
	uint32_t group, bit, from;
	int err;

	if (!fs->free_inodes)
		return -ENOSPC;
	err = inode_pick_group(fs, parent_ino, dir, &group);
	if (!err)
		err = ext2_group_read(fs, group, &gd);
	if (!err)
		err = fs->read(fs->ctx, gd.bg_inode_bitmap, fs->wbuf);
	if (err)
		return err;
	from = group ? 0 : fs->first_ino - 1;
	bit = bit_find_clear(fs->wbuf, MIN(from, fs->inodes_per_group), fs->inodes_per_group);
	if (bit == fs->inodes_per_group) {
		pr_err("ext2: group %u: inode bitmap full, descriptor says %u free\n", group,
		       gd.bg_free_inodes_count);
		return -EUCLEAN;
	}
	bit_flip(fs->wbuf, bit);
	err = fs->write(fs->ctx, gd.bg_inode_bitmap, fs->wbuf);
	if (err)
		return err;
	gd.bg_free_inodes_count--;
	gd.bg_used_dirs_count += dir;
	fs->free_inodes--;
	*ino = group * fs->inodes_per_group + bit + 1;
	return group_write(fs, group, &gd);
}

/* Frees an inode. See ext2_disk.h. */
int ext2_inode_free(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	struct ext2_group_desc gd;
	uint32_t group, bit;
	int err;

	if (ino < fs->first_ino || ino > fs->inodes_count)
		return -EUCLEAN;
	group = (ino - 1) / fs->inodes_per_group;
	bit = (ino - 1) % fs->inodes_per_group;
	err = ext2_group_read(fs, group, &gd);
	if (!err)
		err = fs->read(fs->ctx, gd.bg_inode_bitmap, fs->wbuf);
	if (err)
		return err;
	if (!bit_test(fs->wbuf, bit)) {
		pr_err("ext2: freeing inode %u, already free\n", ino);
		return -EUCLEAN;
	}
	bit_flip(fs->wbuf, bit);
	err = fs->write(fs->ctx, gd.bg_inode_bitmap, fs->wbuf);
	if (err)
		return err;
	gd.bg_free_inodes_count++;
	if (dir && gd.bg_used_dirs_count)
		gd.bg_used_dirs_count--;
	fs->free_inodes++;
	return group_write(fs, group, &gd);
}

/* Encodes the decoded inode over the on-disk one (its first 128 bytes). */
static void inode_encode(const struct ext2_inode *in, struct ext2_disk_inode *d)
{
	d->i_mode = in->mode;
	d->i_uid = in->uid & 0xffff;
	d->l_i_uid_high = in->uid >> 16;
	d->i_gid = in->gid & 0xffff;
	d->l_i_gid_high = in->gid >> 16;
	d->i_links_count = in->nlink;
	d->i_size = (uint32_t)in->size;
	d->i_size_high = S_ISREG(in->mode) ? (uint32_t)(in->size >> 32) : d->i_size_high;
	d->i_blocks = in->blocks;
	d->i_atime = in->atime;
	d->i_mtime = in->mtime;
	d->i_ctime = in->ctime;
	d->i_dtime = in->dtime;
	d->i_flags = in->flags;
	d->i_file_acl = in->file_acl;
	memcpy(d->i_block, in->block, sizeof(d->i_block));
	if (S_ISCHR(in->mode) || S_ISBLK(in->mode)) {
		uint32_t ma = in->rdev_major, mi = in->rdev_minor;

		memset(d->i_block, 0, sizeof(d->i_block));
		if (ma < 256 && mi < 256)
			d->i_block[0] = ma << 8 | mi;
		else
			d->i_block[1] = (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
	}
}

/* Writes an inode into the table. See ext2_disk.h. */
int ext2_inode_write(struct ext2_fs *fs, const struct ext2_inode *inode, bool fresh)
{
	struct ext2_group_desc gd;
	uint32_t index, per_block, block;
	uint8_t *slot;
	int err;

	if (inode->ino < 1 || inode->ino > fs->inodes_count)
		return -EUCLEAN;
	err = ext2_group_read(fs, (inode->ino - 1) / fs->inodes_per_group, &gd);
	if (err)
		return err;
	index = (inode->ino - 1) % fs->inodes_per_group;
	per_block = fs->block_size / fs->inode_size;
	block = gd.bg_inode_table + index / per_block;
	err = fs->read(fs->ctx, block, fs->scratch);
	if (err)
		return err;
	slot = fs->scratch + (index % per_block) * fs->inode_size;
	if (fresh)
		memset(slot, 0, fs->inode_size);
	inode_encode(inode, (struct ext2_disk_inode *)slot);
	return fs->write(fs->ctx, block, fs->scratch);
}

/* Writes the free counts into the primary superblock. See ext2_disk.h. */
int ext2_super_write(struct ext2_fs *fs, uint32_t wtime)
{
	uint32_t block = EXT2_SB_OFFSET / fs->block_size;
	struct ext2_super *s;
	int err;

	err = fs->read(fs->ctx, block, fs->wbuf);
	if (err)
		return err;
	s = (struct ext2_super *)(fs->wbuf + EXT2_SB_OFFSET % fs->block_size);
	if (s->s_magic != EXT2_MAGIC) {
		pr_err("ext2: superblock changed under the mount\n");
		return -EUCLEAN;
	}
	s->s_free_blocks_count = fs->free_blocks;
	s->s_free_inodes_count = fs->free_inodes;
	s->s_wtime = wtime;
	if (s->s_rev_level)
		s->s_feature_ro_compat = fs->feature_ro_compat;
	return fs->write(fs->ctx, block, fs->wbuf);
}
