/*
 * ext2_disk.h — the ext2 on-disk format and its pure parser: superblock, group
 * descriptors, inodes, block maps, directories and symlinks. No allocation, no locks
 * and no kernel-only calls: blocks come through a read callback, so the same code runs
 * in the kernel (over a block_device) and on the host (tests/unit/test_ext2*.c, over
 * an image file made by mke2fs).
 *
 * Every on-disk value is untrusted. A damaged image gives -EIO (bad pointers, bad
 * directory entries), -EUCLEAN (inconsistent metadata) or -EINVAL (an unusable
 * superblock) with a log line — never an access outside a block buffer.
 */
#ifndef LUMEN_FS_EXT2_DISK_H
#define LUMEN_FS_EXT2_DISK_H

#include "lib/lib.h"
#ifdef HOST_TEST
#include <sys/stat.h>	/* glibc hides the uapi S_IS* macros */
#else
#include <linux/stat.h>
#endif

#define EXT2_MAGIC 0xEF53
#define EXT2_SB_OFFSET 1024		/* the superblock's byte offset on the disk */
#define EXT2_SB_SIZE 1024
#define EXT2_MIN_BLOCK_SIZE 1024
#define EXT2_MAX_BLOCK_SIZE 4096
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_N_BLOCKS 15		/* 12 direct, single, double, triple indirect */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_NAME_LEN 255

/* Feature bits (ext2/ext4's on-disk values). */
#define EXT2_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_SUPPORTED_INCOMPAT	EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_SUPPORTED_RO_COMPAT \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* Directory entry file types (the filetype feature). */
enum { EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV, EXT2_FT_BLKDEV,
       EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK };

/* The superblock, as stored at byte 1024 (the fields this driver uses). */
struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;	/* after each group descriptor table copy */
} __packed;

/* A group descriptor (32 bytes). */
struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
} __packed;

/* An inode (the first 128 bytes; larger inodes have extra fields ext2 ignores). */
struct ext2_disk_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;		/* 512-byte units */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;		/* i_dir_acl for directories */
	uint32_t i_faddr;
	uint8_t l_i_frag;
	uint8_t l_i_fsize;
	uint16_t i_pad1;
	uint16_t l_i_uid_high;
	uint16_t l_i_gid_high;
	uint32_t l_i_reserved2;
} __packed;

/* A directory entry header; the name follows. */
struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;		/* high byte of name_len without the filetype feature */
} __packed;
#define EXT2_DIRENT_HEADER 8

/* Reads file-system block `block` (block_size bytes) into buf: 0 or -errno. */
typedef int (*ext2_read_fn)(void *ctx, uint32_t block, void *buf);
/* Writes buf (block_size bytes) to file-system block `block`: 0 or -errno. */
typedef int (*ext2_write_fn)(void *ctx, uint32_t block, const void *buf);

/*
 * A mounted file system's geometry, checked at ext2_fs_init. `scratch` is one block
 * the parser reads metadata into; the caller serializes calls (the VFS glue holds
 * sb->mutex), so one buffer suffices.
 */
struct ext2_fs {
	ext2_read_fn read;
	void *ctx;
	uint8_t *scratch;		/* block_size bytes, the caller's */
	/* For writing (unset on a read-only mount): the write callback, a bitmap block
	 * buffer, 3 blocks for the indirect levels and a block of zeros. */
	ext2_write_fn write;
	uint8_t *wbuf, *ibuf, *zbuf;
	uint32_t block_size;
	uint32_t blocks_count, inodes_count, first_data_block;
	uint32_t blocks_per_group, inodes_per_group, groups;
	uint32_t inode_size, first_ino;
	uint32_t free_blocks, free_inodes, r_blocks;
	uint32_t reserved_gdt;		/* s_reserved_gdt_blocks */
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint8_t uuid[16];
	bool read_only;			/* unknown RO_COMPAT features */
};

/* An inode, decoded. */
struct ext2_inode {
	uint32_t ino;
	uint32_t mode;
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t size;
	uint64_t blocks;		/* 512-byte units */
	uint32_t atime, mtime, ctime, dtime;
	uint32_t flags;
	uint32_t file_acl;
	uint32_t block[EXT2_N_BLOCKS];
	uint32_t rdev_major, rdev_minor;	/* device nodes */
};

/*
 * Checks the superblock `raw` (EXT2_SB_SIZE bytes from byte 1024) of a disk of
 * dev_bytes bytes and fills fs (read, ctx and scratch are the caller's, set before
 * or after). -EINVAL with a log line for a superblock ext2 cannot mount; unknown
 * RO_COMPAT features set fs->read_only.
 */
int ext2_fs_init(struct ext2_fs *fs, const void *raw, uint64_t dev_bytes);
/* Reads group descriptor `group` into *gd, checked against the geometry. */
int ext2_group_read(struct ext2_fs *fs, uint32_t group, struct ext2_group_desc *gd);
/* Reads and decodes inode ino. -EINVAL/-EUCLEAN/-EIO for a bad number or table. */
int ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out);
/* Block pointers per indirect block: 256 (1 KiB blocks) to 1024 (4 KiB). */
uint32_t ext2_ptrs_per_block(const struct ext2_fs *fs);
/* Where a file block sits in the block map: under `depth` levels of indirect blocks
 * (0: a direct block), reached through slot[0] of inode->block, then slot[1..depth]
 * of each indirect block on the way down. */
struct ext2_map_path {
	int depth;
	uint32_t slot[4];
};
/* Fills *path for file block lblock; -EFBIG past the triple-indirect range. */
int ext2_map_path(const struct ext2_fs *fs, uint64_t lblock, struct ext2_map_path *path);
/* -EIO with a log line when block (read from inode's map) is neither 0 (a hole) nor
 * a data block of the file system, else 0. */
int ext2_ptr_check(const struct ext2_fs *fs, const struct ext2_inode *inode,
		   uint32_t block);
/* Maps file block lblock of inode to a disk block (*pblock 0 for a hole). -EIO for
 * a pointer outside the file system, -EFBIG past the triple-indirect range. */
int ext2_bmap(struct ext2_fs *fs, const struct ext2_inode *inode, uint64_t lblock,
	      uint32_t *pblock);
/* Reads file block lblock into buf (block_size bytes; zeros for a hole). */
int ext2_file_block(struct ext2_fs *fs, const struct ext2_inode *inode, uint64_t lblock,
		    void *buf);
/* The largest file size the block map can address. */
uint64_t ext2_max_size(const struct ext2_fs *fs);

/* ---- writing (ext2_alloc.c, ext2_map.c, ext2_dir.c); fs->write and the extra
 * buffers must be set. Counts in the group descriptors and fs->free_* are kept
 * right at every step; ext2_super_write stores fs->free_* in the superblock. ---- */

/* Allocates a free block, preferring `goal` and its group: *block gets it. -ENOSPC
 * when none is free, -EUCLEAN/-EIO for damaged bitmaps or descriptors. */
int ext2_block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *block);
/* Marks block free. -EUCLEAN when it already is or is not a data block. */
int ext2_block_free(struct ext2_fs *fs, uint32_t block);
/* Allocates an inode near directory parent_ino (a new directory: in the group with
 * the most free inodes). -ENOSPC when none is free. */
int ext2_inode_alloc(struct ext2_fs *fs, uint32_t parent_ino, bool dir, uint32_t *ino);
/* Marks inode ino free (dir: one directory fewer in its group). */
int ext2_inode_free(struct ext2_fs *fs, uint32_t ino, bool dir);
/* Encodes inode into its slot of the inode table; fresh zeroes the slot's bytes past
 * the first 128 (a newly allocated inode). */
int ext2_inode_write(struct ext2_fs *fs, const struct ext2_inode *inode, bool fresh);
/* Writes fs's free counts and features into the primary superblock, with wtime. */
int ext2_super_write(struct ext2_fs *fs, uint32_t wtime);

/* Maps file block lblock, allocating it (and indirect blocks) when missing: *pblock
 * gets the disk block, *fresh whether it is new (its content is garbage: the caller
 * writes all of it). inode->block and ->blocks change; the caller writes the inode. */
int ext2_bmap_alloc(struct ext2_fs *fs, struct ext2_inode *inode, uint64_t lblock,
		    uint32_t *pblock, bool *fresh);
/* Frees every block of inode from file block `keep` on (indirect blocks emptied by
 * that too). inode->block and ->blocks change; the caller writes the inode. */
int ext2_truncate_blocks(struct ext2_fs *fs, struct ext2_inode *inode, uint64_t keep);

/* Adds the entry name -> ino (file_type EXT2_FT_*) to dir, splitting an entry with
 * room as Linux does or appending a block. -EEXIST when the name exists. dir may
 * grow (size, blocks); the caller writes it. buf is a block buffer. */
int ext2_dir_add(struct ext2_fs *fs, struct ext2_inode *dir, const char *name, size_t len,
		 uint32_t ino, unsigned file_type, void *buf);
/* Removes the entry name (merged into the entry before it, or its inode zeroed at the
 * start of a block); *ino gets the inode it named. -ENOENT when absent. */
int ext2_dir_remove(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		    size_t len, void *buf, uint32_t *ino);
/* Points the existing entry name at ino (rename over a name, "..") */
int ext2_dir_set(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		 size_t len, uint32_t ino, unsigned file_type, void *buf);
/* 1 when dir has no entries but "." and "..", 0 when it has, or -errno. */
int ext2_dir_empty(struct ext2_fs *fs, const struct ext2_inode *dir, void *buf);
/* Gives the new directory dir its first block with "." and "..". */
int ext2_dir_make(struct ext2_fs *fs, struct ext2_inode *dir, uint32_t parent_ino,
		  void *buf);
/* The EXT2_FT_* of a mode (EXT2_FT_UNKNOWN without the filetype feature). */
unsigned ext2_mode_to_ft(const struct ext2_fs *fs, uint32_t mode);

/* What statfs(2) reports, computed as Linux's ext2 does (the "bsddf" overhead:
 * superblock copies, descriptor tables, bitmaps and inode tables not counted). */
struct ext2_statfs {
	uint64_t blocks, bfree, bavail, files, ffree;
	uint32_t fsid[2];
};
void ext2_statfs(const struct ext2_fs *fs, struct ext2_statfs *st);

/* Called per directory entry; a non-zero return stops the walk and is returned.
 * next_pos is the position just after the entry. */
typedef int (*ext2_dirent_fn)(void *cb_ctx, const char *name, size_t len, uint32_t ino,
			      unsigned file_type, uint64_t next_pos);
/*
 * Walks the live entries of directory dir from byte position *pos on ("." and ".."
 * included), advancing *pos past each entry handed out. buf is a block_size buffer
 * for directory blocks (not fs->scratch). Returns 0 at the end, the callback's
 * non-zero value, or -EIO for a damaged entry.
 */
int ext2_dir_walk(struct ext2_fs *fs, const struct ext2_inode *dir, uint64_t *pos,
		  void *buf, ext2_dirent_fn fn, void *cb_ctx);
/* Looks name up in dir: *ino gets its inode number; -ENOENT when absent. */
int ext2_dir_lookup(struct ext2_fs *fs, const struct ext2_inode *dir, const char *name,
		    size_t len, void *buf, uint32_t *ino);
/* Copies the target of a symlink (no NUL) into buf; returns its length or -errno.
 * blockbuf is a block_size buffer for slow symlinks. */
int ext2_readlink(struct ext2_fs *fs, const struct ext2_inode *inode, char *buf,
		  size_t size, void *blockbuf);
/* The directory entry type (DT_* value) for an entry's file_type; DT_UNKNOWN (0)
 * for EXT2_FT_UNKNOWN (images without the filetype feature) or a bad value. */
unsigned ext2_ft_to_dtype(unsigned file_type);

#endif
