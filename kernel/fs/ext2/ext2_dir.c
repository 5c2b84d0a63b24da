/*
 * ext2_dir.c — ext2 directories (linear entries) and symlinks (pure: see
 * ext2_disk.h). Each entry is checked as Linux's ext2_check_page checks it: rec_len
 * a multiple of 4, large enough for the name, inside its block; name_len non-zero;
 * the inode number within the file system. A bad entry is EUCLEAN, as ext4's
 * (which mounts ext2 on Linux) ext4_check_dir_entry makes it.
 */
#include "fs/ext2/ext2_disk.h"
#include "lib/log.h"

/* The on-disk size of an entry with a name of len bytes. */
static uint32_t dirent_size(uint32_t len)
{
	return ALIGN_UP(EXT2_DIRENT_HEADER + len, 4u);
}

/* Checks the entry at offset off of a directory block; *len gets its name length. */
static int dirent_check(struct ext2_fs *fs, const struct ext2_inode *dir,
			const struct ext2_dirent *de, uint32_t off, uint32_t *len)
{
	const char *why = NULL;

	*len = de->name_len;
	if (!(fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		*len |= (uint32_t)de->file_type << 8;
	if (de->rec_len < dirent_size(1) || de->rec_len % 4)
		why = "bad rec_len";
	else if (de->rec_len > fs->block_size - off)
		why = "entry crosses the block end";
	else if (de->inode && (*len == 0 || *len > EXT2_NAME_LEN))
		why = "bad name_len";
	else if (de->inode && de->rec_len < dirent_size(*len))
		why = "rec_len smaller than the name";
	else if (de->inode > fs->inodes_count)
		why = "inode number out of range";
	if (!why)
		return 0;
	pr_err("ext2: directory inode %u, offset %u: %s\n", dir->ino, off, why);
	return -EUCLEAN;
}

/* Walks the entries of one directory block from offset *off on. */
static int dir_walk_block(struct ext2_fs *fs, const struct ext2_inode *dir, uint64_t base,
			  uint32_t *off, const uint8_t *buf, ext2_dirent_fn fn, void *cb_ctx)
{
	while (*off < fs->block_size) {
		const struct ext2_dirent *de = (const void *)(buf + *off);
		uint32_t len;
		int err;

		if (fs->block_size - *off < EXT2_DIRENT_HEADER) {
			pr_err("ext2: directory inode %u: truncated entry\n", dir->ino);
			return -EUCLEAN;
		}
		err = dirent_check(fs, dir, de, *off, &len);
		if (err)
			return err;
		if (de->inode) {
			err = fn(cb_ctx, (const char *)(de + 1), len, de->inode,
				 (fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE) ?
				 de->file_type : EXT2_FT_UNKNOWN, base + *off + de->rec_len);
			if (err)
				return err;	/* the entry is handed out again next time */
		}
		*off += de->rec_len;
	}
	return 0;
}

/* Moves *off to the first entry boundary at or after it (lseek may have left a
 * directory position inside an entry), checking the entries it passes. */
static int dir_skip_to(struct ext2_fs *fs, const struct ext2_inode *dir,
		       const uint8_t *buf, uint32_t *off)
{
	uint32_t o = 0, len;

	while (o < *off) {
		const struct ext2_dirent *de = (const void *)(buf + o);
		int err;

		if (fs->block_size - o < EXT2_DIRENT_HEADER) {
			pr_err("ext2: directory inode %u: truncated entry\n", dir->ino);
			return -EUCLEAN;
		}
		err = dirent_check(fs, dir, de, o, &len);
		if (err)
			return err;
		o += de->rec_len;
	}
	*off = o;
	return 0;
}

/* Walks a directory's entries from *pos on. See ext2_disk.h. */
int ext2_dir_walk(struct ext2_fs *fs, const struct ext2_inode *dir, uint64_t *pos,
		  void *buf, ext2_dirent_fn fn, void *cb_ctx)
{
	if (dir->size % fs->block_size) {
		pr_err("ext2: directory inode %u: size %llu not a multiple of the block\n",
		       dir->ino, (unsigned long long)dir->size);
		return -EIO;
	}
	while (*pos < dir->size) {
		uint64_t lblock = *pos / fs->block_size;
		uint32_t off = *pos % fs->block_size, block;
		int err;

		err = ext2_bmap(fs, dir, lblock, &block);
		if (!err && !block) {
			pr_err("ext2: directory inode %u: hole at block %llu\n", dir->ino,
			       (unsigned long long)lblock);
			err = -EIO;
		}
		if (!err)
			err = fs->read(fs->ctx, block, buf);
		if (!err && off)
			err = dir_skip_to(fs, dir, buf, &off);
		if (err)
			return err;
		err = dir_walk_block(fs, dir, lblock * fs->block_size, &off, buf, fn, cb_ctx);
		*pos = lblock * fs->block_size + off;
		if (err)
			return err;
	}
	return 0;
}

struct lookup_ctx {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int lookup_one(void *cb_ctx, const char *name, size_t len, uint32_t ino,
		      unsigned file_type, uint64_t next_pos)
{
	struct lookup_ctx *lc = cb_ctx;

	if (len != lc->len || memcmp(name, lc->name, len))
		return 0;
	lc->ino = ino;
	return 1;
}

/* Looks name up in dir. See ext2_disk.h. */
int ext2_dir_lookup(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		    size_t len, void *buf, uint32_t *ino)
{
	struct lookup_ctx lc = { name, len, 0 };
	uint64_t pos = 0;
	int err;

	if (len == 0 || len > EXT2_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	err = ext2_dir_walk(fs, dir, &pos, buf, lookup_one, &lc);
	if (err < 0)
		return err;
	if (!err)
		return -ENOENT;
	*ino = lc.ino;
	return 0;
}

/* Copies a symlink's target. See ext2_disk.h. */
int ext2_readlink(struct ext2_fs *fs, const struct ext2_inode *inode, char *buf,
		  size_t size, void *blockbuf)
{
	uint64_t ea_blocks = inode->file_acl ? fs->block_size / 512 : 0;
	size_t len = MIN(inode->size, size);
	int err;

	if (!S_ISLNK(inode->mode))
		return -EINVAL;
	if (inode->size == 0 || inode->size >= fs->block_size) {
		pr_err("ext2: symlink inode %u: bad size %llu\n", inode->ino,
		       (unsigned long long)inode->size);
		return -EUCLEAN;
	}
	/* A fast symlink keeps its target in i_block and owns no data block. */
	if (inode->blocks == ea_blocks) {
		if (inode->size >= sizeof(inode->block)) {
			pr_err("ext2: fast symlink inode %u: size %llu\n", inode->ino,
			       (unsigned long long)inode->size);
			return -EUCLEAN;
		}
		memcpy(buf, inode->block, len);
		return len;
	}
	err = ext2_file_block(fs, inode, 0, blockbuf);
	if (err)
		return err;
	memcpy(buf, blockbuf, len);
	return len;
}

/* The DT_* value of an entry's file type. See ext2_disk.h. */
unsigned ext2_ft_to_dtype(unsigned file_type)
{
	static const uint8_t dtype[] = {
		[EXT2_FT_UNKNOWN] = 0, [EXT2_FT_REG_FILE] = 8, [EXT2_FT_DIR] = 4,
		[EXT2_FT_CHRDEV] = 2, [EXT2_FT_BLKDEV] = 6, [EXT2_FT_FIFO] = 1,
		[EXT2_FT_SOCK] = 12, [EXT2_FT_SYMLINK] = 10,
	};

	return file_type < ARRAY_SIZE(dtype) ? dtype[file_type] : 0;
}
