// sources: kernel/fs/ext2/ext2_read.c kernel/fs/ext2/ext2_dir.c kernel/fs/ext2/ext2_map.c kernel/fs/ext2/ext2_alloc.c
/*
 * fuzz_ext2.c — a fuzz target for ext2's parser: one input is a whole disk image,
 * mounted (ext2_fs_init, every group descriptor), walked from the root (lookups,
 * inodes, directories, symlinks, file blocks) and asked for statfs, as the kernel's
 * mount, lookup and read paths use the parser.
 *
 * A bug is a crash found by the sanitizers, a read of a block outside the image (the
 * parser must check every pointer against the geometry it accepted) or an errno a
 * damaged image must not give (only EIO, EUCLEAN, EINVAL, EFBIG, ENOENT, ENOTDIR and
 * ENAMETOOLONG). The entry point is libFuzzer's, so `clang -fsanitize=fuzzer` can
 * drive it too; tests/fuzz/driver.c is the freestanding mutator make runs.
 */
#include "fuzz.h"
#include "fs/ext2/ext2_disk.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_DEPTH 6
#define MAX_ENTRIES 200		/* per directory */
#define MAX_FILE_BLOCKS 40	/* read per file */

/* The parser logs damage through klog; a fuzz run keeps quiet. */
void klog(int level, const char *fmt, ...)
{
}

struct image {
	const uint8_t *data;
	size_t size;
	uint32_t bs;
};

static int image_read(void *ctx, uint32_t block, void *buf)
{
	const struct image *img = ctx;

	if ((uint64_t)block * img->bs + img->bs > img->size)
		fuzz_bug("the parser read block %u past the end of the image", block);
	memcpy(buf, img->data + (size_t)block * img->bs, img->bs);
	return 0;
}

static void expect_damage(int err, const char *what)
{
	if (err >= 0 || err == -EIO || err == -EUCLEAN || err == -EINVAL || err == -EFBIG ||
	    err == -ENOENT || err == -ENOTDIR || err == -ENAMETOOLONG)
		return;
	fuzz_bug("%s gave %d", what, err);
}

static void walk_inode(struct ext2_fs *fs, uint32_t ino, int depth);

struct walk {
	struct ext2_fs *fs;
	const struct ext2_inode *dir;
	int depth, entries;
};

/* One directory entry: look its name up again, then walk what it names. */
static int walk_entry(void *ctx, const char *name, size_t len, uint32_t ino,
		      unsigned file_type, uint64_t next_pos)
{
	struct walk *w = ctx;
	uint8_t *buf = malloc(w->fs->block_size);
	uint32_t found;

	ext2_ft_to_dtype(file_type);
	expect_damage(ext2_dir_lookup(w->fs, w->dir, name, len, buf, &found), "lookup");
	free(buf);
	if (++w->entries > MAX_ENTRIES)
		return 1;
	if (!(len == 1 && name[0] == '.') && !(len == 2 && !memcmp(name, "..", 2)))
		walk_inode(w->fs, ino, w->depth + 1);
	return 0;
}

static void read_file(struct ext2_fs *fs, const struct ext2_inode *in, uint8_t *buf)
{
	uint64_t last = in->size ? (in->size - 1) / fs->block_size : 0;

	for (uint64_t b = 0; b <= last && b < MAX_FILE_BLOCKS; b++)
		expect_damage(ext2_file_block(fs, in, b, buf), "file block");
	expect_damage(ext2_file_block(fs, in, last, buf), "last file block");
	expect_damage(ext2_file_block(fs, in, last + 1000000, buf), "far file block");
}

static void walk_inode(struct ext2_fs *fs, uint32_t ino, int depth)
{
	uint8_t *buf = malloc(fs->block_size);
	struct ext2_inode in;
	uint64_t pos = 0;
	int err;

	err = ext2_inode_read(fs, ino, &in);
	expect_damage(err, "inode read");
	if (err || depth > MAX_DEPTH)
		goto out;
	if (S_ISDIR(in.mode)) {
		struct walk w = { fs, &in, depth, 0 };
		uint32_t found;

		err = ext2_dir_walk(fs, &in, &pos, buf, walk_entry, &w);
		expect_damage(err == 1 ? 0 : err, "directory walk");
		expect_damage(ext2_dir_lookup(fs, &in, "lost+found", 10, buf, &found), "lookup");
	} else if (S_ISLNK(in.mode)) {
		char *target = malloc(fs->block_size);

		expect_damage(ext2_readlink(fs, &in, target, fs->block_size, buf), "readlink");
		free(target);
	} else {
		read_file(fs, &in, buf);
	}
out:
	free(buf);
}

/* Mounts data as an image and reads all it can reach. Returns 0 (libFuzzer's rule). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image img = { data, size, 0 };
	struct ext2_fs fs = { .read = image_read, .ctx = &img };
	struct ext2_group_desc gd;
	struct ext2_statfs st;
	int err;

	if (size < EXT2_SB_OFFSET + EXT2_SB_SIZE)
		return 0;
	err = ext2_fs_init(&fs, data + EXT2_SB_OFFSET, size);
	expect_damage(err, "mount");
	if (err)
		return 0;
	img.bs = fs.block_size;
	fs.scratch = malloc(fs.block_size);
	for (uint32_t g = 0; g < fs.groups && g < 4096; g++)
		expect_damage(ext2_group_read(&fs, g, &gd), "group descriptor");
	ext2_statfs(&fs, &st);
	walk_inode(&fs, EXT2_ROOT_INO, 0);
	free(fs.scratch);
	return 0;
}
