// sources: kernel/fs/ext2/ext2_read.c kernel/fs/ext2/ext2_dir.c kernel/fs/ext2/ext2_map.c kernel/fs/ext2/ext2_alloc.c
/*
 * Tests of ext2's writing half (allocation, block maps, directory entries) on images
 * made by Debian's mke2fs: a workload through the pure API must leave an image that
 * e2fsck -fn calls clean, and the same workload on randomly damaged images must fail
 * cleanly (ASan watches the buffers; the callbacks check every block number).
 */
#define _GNU_SOURCE
#include "unit.h"
#include "fs/ext2/ext2_disk.h"
#include <stdlib.h>
#include <stdarg.h>
#include <unistd.h>
#include <fcntl.h>

void klog(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

#define IMAGE_SIZE (8 << 20)

struct image {
	uint8_t *data;
	uint32_t bs;
	bool bad_io;		/* a block past the image was asked for */
};

static int image_read(void *ctx, uint32_t block, void *buf)
{
	struct image *img = ctx;

	if ((uint64_t)block * img->bs + img->bs > IMAGE_SIZE) {
		img->bad_io = true;
		return -EIO;
	}
	memcpy(buf, img->data + (size_t)block * img->bs, img->bs);
	return 0;
}

static int image_write(void *ctx, uint32_t block, const void *buf)
{
	struct image *img = ctx;

	if ((uint64_t)block * img->bs + img->bs > IMAGE_SIZE) {
		img->bad_io = true;
		return -EIO;
	}
	memcpy(img->data + (size_t)block * img->bs, buf, img->bs);
	return 0;
}

static char img_path[64];

/* A fresh mke2fs image with block size bs, loaded into img. */
static void make_image(struct image *img, uint32_t bs)
{
	char cmd[256];
	int fd;

	snprintf(img_path, sizeof(img_path), "/tmp/lumen-ext2w-%d.img", (int)getpid());
	snprintf(cmd, sizeof(cmd), "mke2fs -q -F -t ext2 -b %u -N 1024 %s %uk >/dev/null 2>&1",
		 bs, img_path, IMAGE_SIZE / 1024);
	if (system(cmd))
		abort();
	fd = open(img_path, O_RDONLY);
	img->data = malloc(IMAGE_SIZE);
	if (pread(fd, img->data, IMAGE_SIZE, 0) != IMAGE_SIZE)
		abort();
	close(fd);
	img->bs = bs;
	img->bad_io = false;
}

/* e2fsck -fn's exit status on the image as it is in memory. */
static int fsck(struct image *img)
{
	char cmd[256];
	int fd = open(img_path, O_WRONLY);

	if (pwrite(fd, img->data, IMAGE_SIZE, 0) != IMAGE_SIZE)
		abort();
	close(fd);
	snprintf(cmd, sizeof(cmd), "e2fsck -fn %s >/dev/null 2>&1", img_path);
	return WEXITSTATUS(system(cmd));
}

static int fs_open(struct ext2_fs *fs, struct image *img)
{
	uint32_t bs = EXT2_MAX_BLOCK_SIZE;

	memset(fs, 0, sizeof(*fs));
	fs->read = image_read;
	fs->write = image_write;
	fs->ctx = img;
	fs->scratch = malloc(bs);
	fs->wbuf = malloc(bs);
	fs->ibuf = malloc(3 * bs);
	fs->zbuf = calloc(1, bs);
	return ext2_fs_init(fs, img->data + EXT2_SB_OFFSET, IMAGE_SIZE);
}

static void fs_close(struct ext2_fs *fs)
{
	free(fs->scratch);
	free(fs->wbuf);
	free(fs->ibuf);
	free(fs->zbuf);
}

/* Creates name in directory *dir (an inode of mode); 0 or -errno. */
static int create(struct ext2_fs *fs, struct ext2_inode *dir, const char *name,
		  uint32_t mode, struct ext2_inode *out)
{
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];
	uint32_t ino;
	int err = ext2_inode_alloc(fs, dir->ino, S_ISDIR(mode), &ino);

	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->ino = ino;
	out->mode = mode;
	out->nlink = S_ISDIR(mode) ? 2 : 1;
	out->atime = out->mtime = out->ctime = 1700000000;
	if (S_ISDIR(mode))
		err = ext2_dir_make(fs, out, dir->ino, buf);
	if (!err)
		err = ext2_inode_write(fs, out, true);
	if (!err)
		err = ext2_dir_add(fs, dir, name, strlen(name), ino, ext2_mode_to_ft(fs, mode),
				   buf);
	if (!err && S_ISDIR(mode))
		dir->nlink++;
	return err ? err : ext2_inode_write(fs, dir, false);
}

/* Writes one block of a pattern at file block lblock. */
static int put_block(struct ext2_fs *fs, struct ext2_inode *in, uint64_t lblock)
{
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];
	uint32_t block;
	bool fresh;
	int err = ext2_bmap_alloc(fs, in, lblock, &block, &fresh);

	if (err)
		return err;
	memset(buf, (int)(lblock % 251), fs->block_size);
	err = fs->write(fs->ctx, block, buf);
	if (!err && (lblock + 1) * fs->block_size > in->size)
		in->size = (lblock + 1) * fs->block_size;
	return err ? err : ext2_inode_write(fs, in, false);
}

/* Removes name from dir and frees the inode it named (a file or empty dir). */
static int remove_name(struct ext2_fs *fs, struct ext2_inode *dir, const char *name)
{
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];
	struct ext2_inode in;
	uint32_t ino;
	int err = ext2_dir_remove(fs, dir, name, strlen(name), buf, &ino);

	if (!err)
		err = ext2_inode_read(fs, ino, &in);
	if (!err)
		err = ext2_truncate_blocks(fs, &in, 0);
	if (err)
		return err;
	in.nlink = 0;
	in.size = 0;
	in.dtime = 1700000001;
	err = ext2_inode_write(fs, &in, false);
	if (!err && S_ISDIR(in.mode)) {
		dir->nlink--;
		err = ext2_inode_write(fs, dir, false);
	}
	return err ? err : ext2_inode_free(fs, ino, S_ISDIR(in.mode));
}

/* The workload: files through every map level, truncates, directories, removals.
 * Returns the first error, or 0. */
static int workload(struct ext2_fs *fs)
{
	uint64_t p = fs->block_size / 4;
	uint64_t far[] = { 0, 11, 12, 12 + p - 1, 12 + p, 12 + p + p * p - 1, 12 + p + p * p };
	struct ext2_inode root, sub, f;
	char name[32];
	int err = ext2_inode_read(fs, EXT2_ROOT_INO, &root);

	if (!err)
		err = create(fs, &root, "sub", S_IFDIR | 0755, &sub);
	if (!err)
		err = create(fs, &sub, "sparse", S_IFREG | 0644, &f);
	for (size_t i = 0; !err && i < sizeof(far) / sizeof(far[0]); i++)
		err = put_block(fs, &f, far[i]);
	if (!err)
		err = ext2_truncate_blocks(fs, &f, 13);
	if (!err) {
		f.size = 13 * fs->block_size;
		err = ext2_inode_write(fs, &f, false);
	}
	for (int i = 0; !err && i < 300; i++) {
		snprintf(name, sizeof(name), "file-number-%d", i);
		err = create(fs, &sub, name, S_IFREG | 0600, &f);
		for (int b = 0; !err && b < i % 7; b++)
			err = put_block(fs, &f, b);
	}
	for (int i = 0; !err && i < 300; i += 2) {
		snprintf(name, sizeof(name), "file-number-%d", i);
		err = remove_name(fs, &sub, name);
	}
	if (!err)
		err = create(fs, &root, "empty", S_IFDIR | 0700, &f);
	if (!err)
		err = remove_name(fs, &root, "empty");
	return err ? err : ext2_super_write(fs, 1700000002);
}

static void check_clean_after_workload(uint32_t bs)
{
	struct image img;
	struct ext2_fs fs;

	make_image(&img, bs);
	CHECK_EQ(fs_open(&fs, &img), 0);
	CHECK_EQ(workload(&fs), 0);
	CHECK_EQ(fsck(&img), 0);
	CHECK(!img.bad_io);
	fs_close(&fs);
	free(img.data);
	unlink(img_path);
}

TEST(ext2_write_leaves_a_clean_1k_image) { check_clean_after_workload(1024); }
TEST(ext2_write_leaves_a_clean_4k_image) { check_clean_after_workload(4096); }

/* The workload on randomly damaged metadata: errors, never a bad access. */
static void fuzz_writes(uint32_t bs, int rounds)
{
	struct image img;
	struct ext2_fs fs;
	uint8_t *orig;
	size_t span = 1024 + 40 * bs;
	int mounted = 0;

	make_image(&img, bs);
	orig = malloc(IMAGE_SIZE);
	memcpy(orig, img.data, IMAGE_SIZE);
	srand(bs + 1);
	for (int r = 0; r < rounds; r++) {
		int flips = 1 + rand() % 16;

		memcpy(img.data, orig, IMAGE_SIZE);
		for (int i = 0; i < flips; i++)
			img.data[1024 + rand() % span] ^= 1 << (rand() % 8);
		if (fs_open(&fs, &img) == 0) {
			mounted++;
			workload(&fs);
		}
		fs_close(&fs);
	}
	CHECK(mounted > rounds / 4);
	CHECK(!img.bad_io);
	free(orig);
	free(img.data);
	unlink(img_path);
}

TEST(ext2_write_survives_random_damage_1k) { fuzz_writes(1024, 60); }
TEST(ext2_write_survives_random_damage_4k) { fuzz_writes(4096, 30); }
