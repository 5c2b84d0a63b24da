/*
 * ext2_read.c — ext2's superblock, group descriptors, inodes and block maps (pure:
 * see ext2_disk.h). Every number read from the disk is checked before it is used as
 * a block number, an index or a size.
 */
#include "fs/ext2/ext2_disk.h"
#include "lib/log.h"

/* Block pointers per indirect block. See ext2_disk.h. */
uint32_t ext2_ptrs_per_block(const struct ext2_fs *fs)
{
	return fs->block_size / 4;
}

/* Where file block lblock sits in the block map. See ext2_disk.h. */
int ext2_map_path(const struct ext2_fs *fs, uint64_t lblock, struct ext2_map_path *path)
{
	uint64_t p = ext2_ptrs_per_block(fs), span = 1;
	int depth;

	if (lblock < EXT2_NDIR_BLOCKS) {
		path->depth = 0;
		path->slot[0] = lblock;
		return 0;
	}
	lblock -= EXT2_NDIR_BLOCKS;
	for (depth = 1; depth <= 3; depth++) {
		span *= p;
		if (lblock < span)
			break;
		lblock -= span;
	}
	if (depth > 3)
		return -EFBIG;
	path->depth = depth;
	path->slot[0] = EXT2_NDIR_BLOCKS + depth - 1;
	/* span is what the top block covers; each level down divides it by p. */
	for (int level = 1; level <= depth; level++) {
		span /= p;
		path->slot[level] = lblock / span;
		lblock %= span;
	}
	return 0;
}

/* Checks a block pointer read from an inode or an indirect block. See ext2_disk.h. */
int ext2_ptr_check(const struct ext2_fs *fs, const struct ext2_inode *inode,
		   uint32_t block)
{
	if (block && (block < fs->first_data_block || block >= fs->blocks_count)) {
		pr_err("ext2: inode %u: block pointer %u outside the file system\n",
		       inode->ino, block);
		return -EIO;
	}
	return 0;
}

/* Checks the geometry numbers that depend on each other. */
static int fs_check_geometry(struct ext2_fs *fs, const struct ext2_super *s,
			     uint64_t dev_bytes)
{
	uint32_t bits = fs->block_size * 8;
	uint64_t data_blocks;

	if (fs->blocks_per_group == 0 || fs->blocks_per_group > bits ||
	    fs->inodes_per_group == 0 || fs->inodes_per_group > bits) {
		pr_err("ext2: bad group size (%u blocks, %u inodes per group)\n",
		       fs->blocks_per_group, fs->inodes_per_group);
		return -EINVAL;
	}
	if (fs->first_data_block != (fs->block_size == 1024 ? 1u : 0u) ||
	    fs->blocks_count <= fs->first_data_block) {
		pr_err("ext2: bad block count %u or first data block %u\n",
		       fs->blocks_count, fs->first_data_block);
		return -EINVAL;
	}
	if ((uint64_t)fs->blocks_count * fs->block_size > dev_bytes) {
		pr_err("ext2: %u blocks of %u bytes do not fit the %llu-byte device\n",
		       fs->blocks_count, fs->block_size, (unsigned long long)dev_bytes);
		return -EINVAL;
	}
	data_blocks = fs->blocks_count - fs->first_data_block;
	fs->groups = DIV_ROUND_UP(data_blocks, fs->blocks_per_group);
	if ((uint64_t)fs->groups * fs->inodes_per_group != fs->inodes_count ||
	    fs->inodes_count < EXT2_ROOT_INO) {
		pr_err("ext2: %u inodes do not match %u groups of %u\n", fs->inodes_count,
		       fs->groups, fs->inodes_per_group);
		return -EINVAL;
	}
	/* The descriptor table follows the superblock's block and must fit a group. */
	if (DIV_ROUND_UP((uint64_t)fs->groups * sizeof(struct ext2_group_desc),
			 fs->block_size) >= fs->blocks_per_group) {
		pr_err("ext2: group descriptor table too large\n");
		return -EINVAL;
	}
	if (s->s_free_blocks_count > fs->blocks_count ||
	    s->s_free_inodes_count > fs->inodes_count ||
	    s->s_r_blocks_count > fs->blocks_count) {
		pr_err("ext2: free counts larger than the file system\n");
		return -EINVAL;
	}
	return 0;
}

/* Checks the revision-dependent inode size and first usable inode. */
static int fs_check_revision(struct ext2_fs *fs, const struct ext2_super *s)
{
	if (s->s_rev_level == 0) {
		fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
		return 0;
	}
	if (s->s_rev_level != 1) {
		pr_err("ext2: unknown revision %u\n", s->s_rev_level);
		return -EINVAL;
	}
	fs->inode_size = s->s_inode_size;
	fs->first_ino = s->s_first_ino;
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1))) {
		pr_err("ext2: bad inode size %u\n", fs->inode_size);
		return -EINVAL;
	}
	if (fs->first_ino < EXT2_GOOD_OLD_FIRST_INO || fs->first_ino > fs->inodes_count) {
		pr_err("ext2: bad first inode %u\n", fs->first_ino);
		return -EINVAL;
	}
	return 0;
}

/* Refuses unknown incompatible features; unknown read-only ones make it read-only. */
static int fs_check_features(struct ext2_fs *fs, const struct ext2_super *s)
{
	if (s->s_rev_level == 0)
		return 0;
	fs->feature_compat = s->s_feature_compat;
	fs->feature_incompat = s->s_feature_incompat;
	fs->feature_ro_compat = s->s_feature_ro_compat;
	if (fs->feature_incompat & ~EXT2_SUPPORTED_INCOMPAT) {
		pr_err("ext2: unsupported incompatible features %#x\n",
		       fs->feature_incompat & ~EXT2_SUPPORTED_INCOMPAT);
		return -EINVAL;
	}
	if (fs->feature_ro_compat & ~EXT2_SUPPORTED_RO_COMPAT) {
		pr_warn("ext2: unsupported read-only features %#x: mounting read-only\n",
			fs->feature_ro_compat & ~EXT2_SUPPORTED_RO_COMPAT);
		fs->read_only = true;
	}
	return 0;
}

/* Checks the superblock and fills fs. See ext2_disk.h. */
int ext2_fs_init(struct ext2_fs *fs, const void *raw, uint64_t dev_bytes)
{
	const struct ext2_super *s = raw;
	int err;

	fs->read_only = false;
	fs->feature_compat = fs->feature_incompat = fs->feature_ro_compat = 0;
	if (s->s_magic != EXT2_MAGIC) {
		pr_err("ext2: no ext2 superblock (magic %#x)\n", s->s_magic);
		return -EINVAL;
	}
	if (s->s_log_block_size > 2) {
		pr_err("ext2: unsupported block size 2^%u KiB\n", s->s_log_block_size);
		return -EINVAL;
	}
	fs->block_size = EXT2_MIN_BLOCK_SIZE << s->s_log_block_size;
	fs->blocks_count = s->s_blocks_count;
	fs->inodes_count = s->s_inodes_count;
	fs->first_data_block = s->s_first_data_block;
	fs->blocks_per_group = s->s_blocks_per_group;
	fs->inodes_per_group = s->s_inodes_per_group;
	fs->free_blocks = s->s_free_blocks_count;
	fs->free_inodes = s->s_free_inodes_count;
	fs->r_blocks = s->s_r_blocks_count;
	fs->reserved_gdt = s->s_reserved_gdt_blocks;
	memcpy(fs->uuid, s->s_uuid, sizeof(fs->uuid));
	err = fs_check_geometry(fs, s, dev_bytes);
	if (!err)
		err = fs_check_revision(fs, s);
	if (!err)
		err = fs_check_features(fs, s);
	return err;
}

/* Reads a metadata block into fs->scratch after checking its number. */
static int fs_read_meta(struct ext2_fs *fs, uint32_t block)
{
	if (block < fs->first_data_block || block >= fs->blocks_count) {
		pr_err("ext2: metadata block %u outside the file system\n", block);
		return -EIO;
	}
	return fs->read(fs->ctx, block, fs->scratch);
}

/* Reads group descriptor `group`. See ext2_disk.h. */
int ext2_group_read(struct ext2_fs *fs, uint32_t group, struct ext2_group_desc *gd)
{
	uint32_t per_block = fs->block_size / sizeof(*gd);
	uint32_t table_blocks = DIV_ROUND_UP((uint64_t)fs->inodes_per_group * fs->inode_size,
					     fs->block_size);
	int err;

	if (group >= fs->groups)
		return -EINVAL;
	err = fs_read_meta(fs, fs->first_data_block + 1 + group / per_block);
	if (err)
		return err;
	memcpy(gd, fs->scratch + (group % per_block) * sizeof(*gd), sizeof(*gd));
	if (gd->bg_inode_table < fs->first_data_block ||
	    gd->bg_inode_table >= fs->blocks_count ||
	    fs->blocks_count - gd->bg_inode_table < table_blocks ||
	    gd->bg_block_bitmap < fs->first_data_block ||
	    gd->bg_block_bitmap >= fs->blocks_count ||
	    gd->bg_inode_bitmap < fs->first_data_block ||
	    gd->bg_inode_bitmap >= fs->blocks_count) {
		pr_err("ext2: group %u: descriptor points outside the file system\n", group);
		return -EUCLEAN;
	}
	return 0;
}

/* Copies the on-disk inode into its decoded form. */
static void inode_decode(struct ext2_fs *fs, const struct ext2_disk_inode *d,
			 struct ext2_inode *out)
{
	out->mode = d->i_mode;
	out->uid = d->i_uid | (uint32_t)d->l_i_uid_high << 16;
	out->gid = d->i_gid | (uint32_t)d->l_i_gid_high << 16;
	out->nlink = d->i_links_count;
	out->size = d->i_size;
	if (S_ISREG(out->mode))
		out->size |= (uint64_t)d->i_size_high << 32;
	out->blocks = d->i_blocks;
	out->atime = d->i_atime;
	out->mtime = d->i_mtime;
	out->ctime = d->i_ctime;
	out->dtime = d->i_dtime;
	out->flags = d->i_flags;
	out->file_acl = d->i_file_acl;
	memcpy(out->block, d->i_block, sizeof(out->block));
	out->rdev_major = out->rdev_minor = 0;
	if (S_ISCHR(out->mode) || S_ISBLK(out->mode)) {
		uint32_t old = d->i_block[0], new = d->i_block[1];

		if (old) {		/* 8:8 encoding */
			out->rdev_major = (old >> 8) & 0xff;
			out->rdev_minor = old & 0xff;
		} else {		/* 12:20 encoding, minor split around the major */
			out->rdev_major = (new & 0xfff00) >> 8;
			out->rdev_minor = (new & 0xff) | ((new >> 12) & 0xfff00);
		}
	}
}

/* Checks the block pointers in the inode of a file, directory or slow symlink as
 * ext4_ind_check_inode does: each must lie after the first data block and inside
 * the file system. */
static int inode_check_blocks(const struct ext2_fs *fs, const struct ext2_inode *inode)
{
	uint64_t ea_blocks = inode->file_acl ? fs->block_size / 512 : 0;

	if (!S_ISREG(inode->mode) && !S_ISDIR(inode->mode) &&
	    !(S_ISLNK(inode->mode) && inode->blocks != ea_blocks))
		return 0;
	for (int i = 0; i < EXT2_N_BLOCKS; i++) {
		uint32_t b = inode->block[i];

		if (b && (b <= fs->first_data_block || b >= fs->blocks_count)) {
			pr_err("ext2: inode %u: block %u: invalid block\n", inode->ino, b);
			return -EUCLEAN;
		}
	}
	return 0;
}

/* Reads and decodes inode ino. See ext2_disk.h. */
int ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out)
{
	struct ext2_group_desc gd;
	uint32_t index, per_block;
	int err;

	if (ino < 1 || ino > fs->inodes_count) {
		pr_err("ext2: inode number %u out of range\n", ino);
		return -EUCLEAN;
	}
	err = ext2_group_read(fs, (ino - 1) / fs->inodes_per_group, &gd);
	if (err)
		return err;
	index = (ino - 1) % fs->inodes_per_group;
	per_block = fs->block_size / fs->inode_size;
	err = fs_read_meta(fs, gd.bg_inode_table + index / per_block);
	if (err)
		return err;
	out->ino = ino;
	inode_decode(fs, (const struct ext2_disk_inode *)
		     (fs->scratch + (index % per_block) * fs->inode_size), out);
	if (S_ISREG(out->mode) && out->size > ext2_max_size(fs)) {
		pr_err("ext2: inode %u: size %llu beyond the block map\n", ino,
		       (unsigned long long)out->size);
		return -EUCLEAN;
	}
	return inode_check_blocks(fs, out);
}

/* The largest file size the block map can address. See ext2_disk.h. */
uint64_t ext2_max_size(const struct ext2_fs *fs)
{
	uint64_t p = ext2_ptrs_per_block(fs);
	uint64_t blocks = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;

	return blocks * fs->block_size;
}

/* Maps a file block to a disk block through the indirect blocks. See ext2_disk.h. */
int ext2_bmap(struct ext2_fs *fs, const struct ext2_inode *inode, uint64_t lblock,
	      uint32_t *pblock)
{
	struct ext2_map_path path;
	uint32_t block;
	int err;

	*pblock = 0;
	err = ext2_map_path(fs, lblock, &path);
	if (err)
		return err;
	block = inode->block[path.slot[0]];
	for (int level = 1; level <= path.depth; level++) {
		err = ext2_ptr_check(fs, inode, block);
		if (err || !block)
			return err;
		err = fs->read(fs->ctx, block, fs->scratch);
		if (err)
			return err;
		block = ((const uint32_t *)fs->scratch)[path.slot[level]];
	}
	err = ext2_ptr_check(fs, inode, block);
	if (!err)
		*pblock = block;
	return err;
}

/* Reads one file block, zeros for a hole. See ext2_disk.h. */
int ext2_file_block(struct ext2_fs *fs, const struct ext2_inode *inode, uint64_t lblock,
		    void *buf)
{
	uint32_t block;
	int err;

	err = ext2_bmap(fs, inode, lblock, &block);
	if (err)
		return err;
	if (!block) {
		memset(buf, 0, fs->block_size);
		return 0;
	}
	return fs->read(fs->ctx, block, buf);
}

/* Whether group holds a superblock copy (all of them without sparse_super; else 0, 1
 * and the powers of 3, 5 and 7). */
static bool group_has_super(const struct ext2_fs *fs, uint32_t group)
{
	static const uint32_t bases[] = { 3, 5, 7 };

	if (group <= 1 || !(fs->feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		uint64_t p = bases[i];

		while (p < group)
			p *= bases[i];
		if (p == group)
			return true;
	}
	return false;
}

/* Fills what statfs reports. See ext2_disk.h. */
void ext2_statfs(const struct ext2_fs *fs, struct ext2_statfs *st)
{
	uint64_t gdb = DIV_ROUND_UP((uint64_t)fs->groups * sizeof(struct ext2_group_desc),
				    fs->block_size);
	uint64_t itb = DIV_ROUND_UP((uint64_t)fs->inodes_per_group * fs->inode_size,
				    fs->block_size);
	uint64_t overhead = fs->first_data_block + fs->groups * (2 + itb), fsid_lo, fsid_hi;

	/* As ext4_calculate_overhead (Linux mounts ext2 with ext4): the reserved GDT
	 * blocks behind each superblock copy count as overhead too. */
	for (uint32_t g = 0; g < fs->groups; g++)
		if (group_has_super(fs, g))
			overhead += 1 + gdb + fs->reserved_gdt;
	st->blocks = fs->blocks_count > overhead ? fs->blocks_count - overhead : 0;
	st->bfree = fs->free_blocks;
	st->bavail = fs->free_blocks > fs->r_blocks ? fs->free_blocks - fs->r_blocks : 0;
	st->files = fs->inodes_count;
	st->ffree = fs->free_inodes;
	memcpy(&fsid_lo, fs->uuid, 8);
	memcpy(&fsid_hi, fs->uuid + 8, 8);
	fsid_lo ^= fsid_hi;
	st->fsid[0] = (uint32_t)fsid_lo;
	st->fsid[1] = (uint32_t)(fsid_lo >> 32);
}
