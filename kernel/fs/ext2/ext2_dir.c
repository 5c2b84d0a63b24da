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

/* ---- writing ---- */

/* The EXT2_FT_* of a mode. See ext2_disk.h. */
unsigned ext2_mode_to_ft(const struct ext2_fs *fs, uint32_t mode)
{
	if (!(fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		return EXT2_FT_UNKNOWN;
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

/* Where an entry sits: its disk block (read into the caller's buffer), its offset
 * and the offset of the entry before it in the block (-1 for the first). */
struct dir_slot {
	uint32_t block, off;
	int32_t prev;
};

/* Reads directory block lblock into buf; *block gets its disk block. */
static int dir_read_block(struct ext2_fs *fs, const struct ext2_inode *dir, uint64_t lblock,
			  void *buf, uint32_t *block)
{
	int err = ext2_bmap(fs, dir, lblock, block);

	if (!err && !*block) {
		pr_err("ext2: directory inode %u: hole at block %llu\n", dir->ino,
		       (unsigned long long)lblock);
		err = -EIO;
	}
	return err ? err : fs->read(fs->ctx, *block, buf);
}

/* Finds the live entry name in dir; buf keeps its block. -ENOENT when absent. */
static int dir_find(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		    size_t len, uint8_t *buf, struct dir_slot *slot)
{
	if (dir->size % fs->block_size)
		return -EIO;
	for (uint64_t lb = 0; lb < dir->size / fs->block_size; lb++) {
		int32_t prev = -1;
		int err = dir_read_block(fs, dir, lb, buf, &slot->block);

		for (uint32_t off = 0, nlen; !err && off < fs->block_size; ) {
			struct ext2_dirent *de = (void *)(buf + off);

			if (fs->block_size - off < EXT2_DIRENT_HEADER)
				return -EIO;
			err = dirent_check(fs, dir, de, off, &nlen);
			if (err)
				break;
			if (de->inode && nlen == len && !memcmp(de + 1, name, len)) {
				slot->off = off;
				slot->prev = prev;
				return 0;
			}
			prev = off;
			off += de->rec_len;
		}
		if (err)
			return err;
	}
	return -ENOENT;
}

/* Writes an entry header and name at buf+off. */
static void dirent_fill(struct ext2_fs *fs, uint8_t *buf, uint32_t off, uint32_t rec_len,
			const char *name, size_t len, uint32_t ino, unsigned ft)
{
	struct ext2_dirent *de = (void *)(buf + off);

	de->inode = ino;
	de->rec_len = rec_len;
	de->name_len = len;
	de->file_type = ft;
	memcpy(de + 1, name, len);
	memset((char *)(de + 1) + len, 0, dirent_size(len) - EXT2_DIRENT_HEADER - len);
}

/* Puts the entry in the first block with room; 1 when none has. */
static int dir_add_existing(struct ext2_fs *fs, const struct ext2_inode *dir,
			    const char *name, size_t len, uint32_t ino, unsigned ft,
			    uint8_t *buf)
{
	uint32_t need = dirent_size(len), block, nlen;

	for (uint64_t lb = 0; lb < dir->size / fs->block_size; lb++) {
		int err = dir_read_block(fs, dir, lb, buf, &block);

		for (uint32_t off = 0; !err && off < fs->block_size; ) {
			struct ext2_dirent *de = (void *)(buf + off);
			uint32_t used;

			if (fs->block_size - off < EXT2_DIRENT_HEADER)
				return -EIO;
			err = dirent_check(fs, dir, de, off, &nlen);
			if (err)
				break;
			used = de->inode ? dirent_size(nlen) : 0;
			if (de->rec_len - used >= need) {
				if (used) {
					dirent_fill(fs, buf, off + used, de->rec_len - used, name,
						    len, ino, ft);
					de->rec_len = used;
				} else {
					dirent_fill(fs, buf, off, de->rec_len, name, len, ino, ft);
				}
				return fs->write(fs->ctx, block, buf);
			}
			off += de->rec_len;
		}
		if (err)
			return err;
	}
	return 1;
}

/* Adds an entry. See ext2_disk.h. */
int ext2_dir_add(struct ext2_fs *fs, struct ext2_inode *dir, const char *name, size_t len,
		 uint32_t ino, unsigned file_type, void *buf)
{
	struct dir_slot slot;
	uint32_t block;
	bool fresh;
	int err;

	if (len == 0 || len > EXT2_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	err = dir_find(fs, dir, name, len, buf, &slot);
	if (err != -ENOENT)
		return err ? err : -EEXIST;
	err = dir_add_existing(fs, dir, name, len, ino, file_type, buf);
	if (err <= 0)
		return err;
	err = ext2_bmap_alloc(fs, dir, dir->size / fs->block_size, &block, &fresh);
	if (err)
		return err;
	memset(buf, 0, fs->block_size);
	dirent_fill(fs, buf, 0, fs->block_size, name, len, ino, file_type);
	err = fs->write(fs->ctx, block, buf);
	if (!err)
		dir->size += fs->block_size;
	return err;
}

/* Removes an entry. See ext2_disk.h. */
int ext2_dir_remove(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		    size_t len, void *buf, uint32_t *ino)
{
	struct dir_slot slot;
	struct ext2_dirent *de;
	int err = dir_find(fs, dir, name, len, buf, &slot);

	if (err)
		return err;
	de = (void *)((uint8_t *)buf + slot.off);
	*ino = de->inode;
	if (slot.prev >= 0)
		((struct ext2_dirent *)((uint8_t *)buf + slot.prev))->rec_len += de->rec_len;
	else
		de->inode = 0;
	return fs->write(fs->ctx, slot.block, buf);
}

/* Repoints an entry. See ext2_disk.h. */
int ext2_dir_set(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		 size_t len, uint32_t ino, unsigned file_type, void *buf)
{
	struct dir_slot slot;
	struct ext2_dirent *de;
	int err = dir_find(fs, dir, name, len, buf, &slot);

	if (err)
		return err;
	de = (void *)((uint8_t *)buf + slot.off);
	de->inode = ino;
	de->file_type = file_type;
	return fs->write(fs->ctx, slot.block, buf);
}

static int empty_one(void *cb_ctx, const char *name, size_t len, uint32_t ino,
		     unsigned file_type, uint64_t next_pos)
{
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 0;
	return 1;
}

/* Whether dir is empty. See ext2_disk.h. */
int ext2_dir_empty(struct ext2_fs *fs, const struct ext2_inode *dir, void *buf)
{
	uint64_t pos = 0;
	int err = ext2_dir_walk(fs, dir, &pos, buf, empty_one, NULL);

	return err < 0 ? err : !err;
}

/* Writes a new directory's first block. See ext2_disk.h. */
int ext2_dir_make(struct ext2_fs *fs, struct ext2_inode *dir, uint32_t parent_ino,
		  void *buf)
{
	uint32_t block, dot = dirent_size(1);
	unsigned ft = ext2_mode_to_ft(fs, S_IFDIR);
	bool fresh;
	int err = ext2_bmap_alloc(fs, dir, 0, &block, &fresh);

	if (err)
		return err;
	memset(buf, 0, fs->block_size);
	dirent_fill(fs, buf, 0, dot, ".", 1, dir->ino, ft);
	dirent_fill(fs, buf, dot, fs->block_size - dot, "..", 2, parent_ino, ft);
	err = fs->write(fs->ctx, block, buf);
	if (!err)
		dir->size = fs->block_size;
	return err;
}
