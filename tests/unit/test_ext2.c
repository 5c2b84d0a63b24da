// sources: kernel/fs/ext2/ext2_read.c kernel/fs/ext2/ext2_dir.c kernel/fs/ext2/ext2_map.c kernel/fs/ext2/ext2_alloc.c
/*
 * Tests of the ext2 parser on real images made by Debian's mke2fs -d from a tree
 * built here (1 and 4 KiB blocks), cross-checked against the tree itself, and on
 * deliberately damaged copies: every call must fail cleanly (ASan watches the
 * buffers; the read callback checks every block number it is asked for).
 */
#define _GNU_SOURCE
#include "unit.h"
#include "fs/ext2/ext2_disk.h"
#include <stdlib.h>
#include <stdarg.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static char workdir[64];
static char last_log[256];
static int log_lines;

void klog(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	log_lines++;
}

/* An image held in memory. */
struct image {
	uint8_t *data;
	size_t size;
	uint32_t bs;
	bool bad_read;		/* the parser asked for a block past the image */
};

static int image_read(void *ctx, uint32_t block, void *buf)
{
	struct image *img = ctx;

	if ((uint64_t)block * img->bs + img->bs > img->size) {
		img->bad_read = true;
		return -EIO;
	}
	memcpy(buf, img->data + (size_t)block * img->bs, img->bs);
	return 0;
}

static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tree/%s", workdir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void remove_workdir(void)
{
	run("rm -rf %s", workdir);
}

/* The tree every image is made from. */
static void make_tree(void)
{
	char name[64], target[128];

	strcpy(workdir, "/tmp/lumen-ext2-XXXXXX");
	if (!mkdtemp(workdir))
		abort();
	atexit(remove_workdir);
	run("mkdir -p %s/tree/dir/sub %s/tree/big", workdir, workdir);
	write_file("hello", "hello, ext2\n");
	write_file("dir/sub/deep", "deep\n");
	/* A sparse file reaching the triple-indirect blocks at 1 KiB (> 4 GiB: i_size_high). */
	run("cd %s/tree && truncate -s 5G sparse && printf tail | dd of=sparse bs=1 "
	    "seek=5368709116 conv=notrunc 2>/dev/null && printf head | dd of=sparse bs=1 "
	    "seek=20000 conv=notrunc 2>/dev/null", workdir);
	/* A file of 300 KiB with known contents (direct, indirect, double indirect). */
	run("cd %s/tree && seq 1 60000 > numbers", workdir);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "big/file-with-a-longish-name-%03d", i);
		write_file(name, name);
	}
	memset(target, 'x', 100);
	strcpy(target + 100, "/slow");
	run("cd %s/tree && ln -s hello fast && ln -s %s slow && ln hello hardlink && "
	    "mkfifo fifo && mknod chr c 4 1 && mknod blk b 259 300000 && "
	    "python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"sock\")' && "
	    "chown 70000:80000 hello && chmod 4751 hello && touch -d @1600000000 hello",
	    workdir, target);
}

/* Makes an image of the tree with block size bs and loads it. */
static void make_image(struct image *img, uint32_t bs)
{
	char path[128];
	int fd;

	if (!workdir[0])
		make_tree();
	snprintf(path, sizeof(path), "%s/img%u", workdir, bs);
	if (access(path, R_OK) && run("mke2fs -q -F -t ext2 -b %u -N 512 -d %s/tree %s 16M >/dev/null 2>&1", bs,
		workdir, path))
		abort();
	fd = open(path, O_RDONLY);
	img->size = 16 << 20;
	img->data = malloc(img->size);
	if (pread(fd, img->data, img->size, 0) != (ssize_t)img->size)
		abort();
	close(fd);
	img->bs = bs;
	img->bad_read = false;
}

static int fs_open(struct ext2_fs *fs, struct image *img)
{
	fs->read = image_read;
	fs->ctx = img;
	fs->scratch = malloc(EXT2_MAX_BLOCK_SIZE);
	return ext2_fs_init(fs, img->data + EXT2_SB_OFFSET, img->size);
}

/* Resolves an absolute path (no symlinks) to its inode. */
static int walk(struct ext2_fs *fs, const char *path, struct ext2_inode *out)
{
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];
	uint32_t ino;
	int err = ext2_inode_read(fs, EXT2_ROOT_INO, out);

	while (!err && *path) {
		const char *end;

		while (*path == '/')
			path++;
		end = strchrnul(path, '/');
		if (end == path)
			break;
		err = ext2_dir_lookup(fs, out, path, end - path, buf, &ino);
		if (!err)
			err = ext2_inode_read(fs, ino, out);
		path = end;
	}
	return err;
}

/* Reads [off, off+len) of a file into out. */
static int read_range(struct ext2_fs *fs, const struct ext2_inode *in, uint64_t off,
		      char *out, size_t len)
{
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];

	while (len) {
		size_t in_block = off % fs->block_size, n = MIN(len, fs->block_size - in_block);
		int err = ext2_file_block(fs, in, off / fs->block_size, buf);

		if (err)
			return err;
		memcpy(out, buf + in_block, n);
		out += n, off += n, len -= n;
	}
	return 0;
}

static void check_contents(struct ext2_fs *fs)
{
	struct ext2_inode in;
	char buf[128], *numbers, *expect;
	size_t n;
	FILE *f;

	CHECK_EQ(walk(fs, "/dir/sub/deep", &in), 0);
	CHECK_EQ(in.size, 5);
	CHECK_EQ(read_range(fs, &in, 0, buf, 5), 0);
	CHECK(!memcmp(buf, "deep\n", 5));

	CHECK_EQ(walk(fs, "/sparse", &in), 0);
	CHECK_EQ(in.size, 5368709120ull);
	CHECK_EQ(read_range(fs, &in, 5368709116ull, buf, 4), 0);
	CHECK(!memcmp(buf, "tail", 4));
	CHECK_EQ(read_range(fs, &in, 19998, buf, 8), 0);
	CHECK(!memcmp(buf, "\0\0head\0\0", 8));
	CHECK_EQ(read_range(fs, &in, 3000000000ull, buf, 8), 0);
	CHECK(!memcmp(buf, "\0\0\0\0\0\0\0\0", 8));

	snprintf(buf, sizeof(buf), "%s/tree/numbers", workdir);
	f = fopen(buf, "r");
	expect = malloc(400000);
	n = fread(expect, 1, 400000, f);
	fclose(f);
	numbers = malloc(n);
	CHECK_EQ(walk(fs, "/numbers", &in), 0);
	CHECK_EQ(in.size, n);
	CHECK_EQ(read_range(fs, &in, 0, numbers, n), 0);
	CHECK(!memcmp(numbers, expect, n));
	free(numbers);
	free(expect);
}

static void check_metadata(struct ext2_fs *fs)
{
	uint8_t blockbuf[EXT2_MAX_BLOCK_SIZE];
	struct ext2_inode in, link;
	char target[256];

	CHECK_EQ(walk(fs, "/hello", &in), 0);
	CHECK_EQ(in.mode, S_IFREG | 04751);
	CHECK_EQ(in.uid, 70000);
	CHECK_EQ(in.gid, 80000);
	CHECK_EQ(in.nlink, 2);
	CHECK_EQ(in.mtime, 1600000000);
	CHECK_EQ(walk(fs, "/hardlink", &link), 0);
	CHECK_EQ(link.ino, in.ino);

	CHECK_EQ(walk(fs, "/fast", &in), 0);
	CHECK(S_ISLNK(in.mode));
	CHECK_EQ(ext2_readlink(fs, &in, target, sizeof(target), blockbuf), 5);
	CHECK(!memcmp(target, "hello", 5));
	CHECK_EQ(walk(fs, "/slow", &in), 0);
	CHECK_EQ(ext2_readlink(fs, &in, target, sizeof(target), blockbuf), 105);
	CHECK(!memcmp(target + 98, "xx/slow", 7));
	CHECK_EQ(ext2_readlink(fs, &in, target, 10, blockbuf), 10);

	CHECK_EQ(walk(fs, "/chr", &in), 0);
	CHECK(S_ISCHR(in.mode));
	CHECK_EQ(in.rdev_major, 4);
	CHECK_EQ(in.rdev_minor, 1);
	CHECK_EQ(walk(fs, "/blk", &in), 0);
	CHECK(S_ISBLK(in.mode));
	CHECK_EQ(in.rdev_major, 259);
	CHECK_EQ(in.rdev_minor, 300000);
	CHECK_EQ(walk(fs, "/fifo", &in), 0);
	CHECK(S_ISFIFO(in.mode));
	CHECK_EQ(walk(fs, "/sock", &in), 0);
	CHECK(S_ISSOCK(in.mode));
	CHECK_EQ(walk(fs, "/missing", &in), -ENOENT);
	CHECK_EQ(walk(fs, "/dir/sub", &in), 0);
	CHECK(S_ISDIR(in.mode));
}

struct listing {
	int count, dirs;
	bool seen[300];
	uint64_t stop_after;
};

static int list_one(void *ctx, const char *name, size_t len, uint32_t ino,
		    unsigned file_type, uint64_t next_pos)
{
	struct listing *l = ctx;
	int i;

	if (l->stop_after && l->count == (int)l->stop_after)
		return 1;
	l->count++;
	if (file_type == EXT2_FT_DIR)
		l->dirs++;
	if (len == 28 && sscanf(name + 25, "%3d", &i) == 1 && i >= 0 && i < 300)
		l->seen[i] = true;
	return 0;
}

static void check_large_dir(struct ext2_fs *fs)
{
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];
	struct listing l = { 0 };
	struct ext2_inode dir;
	uint64_t pos = 0;
	int rounds = 0, seen;

	CHECK_EQ(walk(fs, "/big", &dir), 0);
	CHECK(dir.size > fs->block_size);
	/* Resume a walk 7 entries at a time, as getdents does with a small buffer. */
	do {
		l.stop_after = l.count + 7;
		rounds++;
	} while (ext2_dir_walk(fs, &dir, &pos, buf, list_one, &l) == 1 && rounds < 1000);
	CHECK_EQ(l.count, 302);
	CHECK_EQ(l.dirs, 2);
	seen = 0;
	for (int i = 0; i < 300; i++)
		seen += l.seen[i];
	CHECK_EQ(seen, 300);
	/* A position inside an entry moves on to the next entry. */
	pos = 13;
	l = (struct listing){ 0 };
	CHECK_EQ(ext2_dir_walk(fs, &dir, &pos, buf, list_one, &l), 0);
	CHECK_EQ(l.count, 300);
}

static void check_image(uint32_t bs)
{
	struct image img;
	struct ext2_fs fs;

	make_image(&img, bs);
	CHECK_EQ(fs_open(&fs, &img), 0);
	CHECK_EQ(fs.block_size, bs);
	CHECK(!fs.read_only);
	check_contents(&fs);
	check_metadata(&fs);
	check_large_dir(&fs);
	CHECK(!img.bad_read);
	free(fs.scratch);
	free(img.data);
}

TEST(ext2_reads_a_1k_image) { check_image(1024); }
TEST(ext2_reads_a_4k_image) { check_image(4096); }

/* ---- damaged images ---- */

/* Byte offset of inode ino's on-disk copy in the image. */
static size_t inode_offset(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_group_desc gd;
	uint32_t index = (ino - 1) % fs->inodes_per_group;

	if (ext2_group_read(fs, (ino - 1) / fs->inodes_per_group, &gd))
		abort();
	return (size_t)gd.bg_inode_table * fs->block_size + index * fs->inode_size;
}

static struct ext2_super *super_of(struct image *img)
{
	return (struct ext2_super *)(img->data + EXT2_SB_OFFSET);
}

static bool is_damage_errno(int err)
{
	return err == -EIO || err == -EUCLEAN || err == -EINVAL;
}

TEST(ext2_refuses_bad_superblocks)
{
	struct image img;
	struct ext2_fs fs;
	struct ext2_super saved;
	struct { const char *what; size_t off; uint32_t value; int size; } cases[] = {
		{ "magic", offsetof(struct ext2_super, s_magic), 0x1234, 2 },
		{ "block size", offsetof(struct ext2_super, s_log_block_size), 7, 4 },
		{ "block count", offsetof(struct ext2_super, s_blocks_count), 1u << 30, 4 },
		{ "inodes per group", offsetof(struct ext2_super, s_inodes_per_group), 0, 4 },
		{ "blocks per group", offsetof(struct ext2_super, s_blocks_per_group), 1u << 20, 4 },
		{ "inode count", offsetof(struct ext2_super, s_inodes_count), 7, 4 },
		{ "first data block", offsetof(struct ext2_super, s_first_data_block), 9, 4 },
		{ "inode size", offsetof(struct ext2_super, s_inode_size), 200, 2 },
		{ "revision", offsetof(struct ext2_super, s_rev_level), 9, 4 },
		{ "first inode", offsetof(struct ext2_super, s_first_ino), 1, 4 },
		{ "incompat extents", offsetof(struct ext2_super, s_feature_incompat), 0x42, 4 },
		{ "free blocks", offsetof(struct ext2_super, s_free_blocks_count), ~0u, 4 },
	};

	make_image(&img, 1024);
	saved = *super_of(&img);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *field = (uint8_t *)super_of(&img) + cases[i].off;
		int lines = log_lines;

		memcpy(field, &cases[i].value, cases[i].size);
		if (fs_open(&fs, &img) != -EINVAL || log_lines == lines)
			printf("    superblock case %s: not refused with a log line\n",
			       cases[i].what), unit_fail(__FILE__, __LINE__, cases[i].what);
		free(fs.scratch);
		*super_of(&img) = saved;
	}
	/* An unknown read-only-compatible feature mounts, read-only. */
	super_of(&img)->s_feature_ro_compat |= 0x400;
	CHECK_EQ(fs_open(&fs, &img), 0);
	CHECK(fs.read_only);
	free(fs.scratch);
	free(img.data);
}

TEST(ext2_reports_damaged_metadata)
{
	struct image img;
	struct ext2_fs fs;
	struct ext2_inode in, root;
	uint8_t *copy;
	size_t off;
	uint32_t ino;
	uint8_t buf[EXT2_MAX_BLOCK_SIZE];

	make_image(&img, 1024);
	CHECK_EQ(fs_open(&fs, &img), 0);
	copy = malloc(img.size);
	memcpy(copy, img.data, img.size);

	/* Group descriptor 0's inode table pointing past the end. */
	*(uint32_t *)(img.data + 2048 + 8) = fs.blocks_count - 1;
	CHECK_EQ(ext2_inode_read(&fs, EXT2_ROOT_INO, &in), -EUCLEAN);
	memcpy(img.data, copy, img.size);
	CHECK_EQ(ext2_inode_read(&fs, 0, &in), -EUCLEAN);
	CHECK_EQ(ext2_inode_read(&fs, fs.inodes_count + 1, &in), -EUCLEAN);

	/* A file's block pointers outside the file system: in the inode, EUCLEAN when it
	 * is read (as ext4_ind_check_inode); in an indirect block, EIO when it is used. */
	CHECK_EQ(walk(&fs, "/numbers", &in), 0);
	off = inode_offset(&fs, in.ino);
	*(uint32_t *)(img.data + off + offsetof(struct ext2_disk_inode, i_block)) = ~0u;
	CHECK_EQ(ext2_inode_read(&fs, in.ino, &in), -EUCLEAN);
	*(uint32_t *)(img.data + off + offsetof(struct ext2_disk_inode, i_block)) =
		fs.first_data_block;
	CHECK_EQ(ext2_inode_read(&fs, in.ino, &in), -EUCLEAN);
	memcpy(img.data, copy, img.size);
	CHECK_EQ(ext2_inode_read(&fs, in.ino, &in), 0);
	memset(img.data + (size_t)in.block[12] * 1024, 0xff, 1024);
	CHECK_EQ(ext2_file_block(&fs, &in, 12, buf), -EIO);
	memcpy(img.data, copy, img.size);

	/* Root directory entries: rec_len 0, a name longer than its record, a bad inode. */
	CHECK_EQ(ext2_inode_read(&fs, EXT2_ROOT_INO, &root), 0);
	off = (size_t)root.block[0] * 1024;
	*(uint16_t *)(img.data + off + 4) = 0;
	CHECK_EQ(ext2_dir_lookup(&fs, &root, "hello", 5, buf, &ino), -EUCLEAN);
	memcpy(img.data, copy, img.size);
	img.data[off + 6] = 200;
	CHECK_EQ(ext2_dir_lookup(&fs, &root, "hello", 5, buf, &ino), -EUCLEAN);
	memcpy(img.data, copy, img.size);
	*(uint32_t *)(img.data + off) = fs.inodes_count + 5;
	CHECK_EQ(ext2_dir_lookup(&fs, &root, "hello", 5, buf, &ino), -EUCLEAN);
	memcpy(img.data, copy, img.size);
	*(uint16_t *)(img.data + off + 4) = 2000;
	CHECK_EQ(ext2_dir_lookup(&fs, &root, "hello", 5, buf, &ino), -EUCLEAN);
	memcpy(img.data, copy, img.size);

	/* A symlink claiming a size beyond its block. */
	CHECK_EQ(walk(&fs, "/fast", &in), 0);
	in.size = 5000;
	CHECK_EQ(ext2_readlink(&fs, &in, (char *)buf, sizeof(buf), buf), -EUCLEAN);
	CHECK(!img.bad_read);
	free(copy);
	free(fs.scratch);
	free(img.data);
}

/* Reads everything reachable from dir (bounded depth: a damaged image may loop). */
static void walk_all(struct ext2_fs *fs, uint32_t ino, int depth, int *bad);

struct walk_ctx {
	struct ext2_fs *fs;
	int depth, *bad, entries;
};

static int walk_entry(void *ctx, const char *name, size_t len, uint32_t ino,
		      unsigned file_type, uint64_t next_pos)
{
	struct walk_ctx *w = ctx;

	if (++w->entries > 400)
		return 1;
	if (!(len == 1 && name[0] == '.') && !(len == 2 && !memcmp(name, "..", 2)))
		walk_all(w->fs, ino, w->depth + 1, w->bad);
	return 0;
}

static void note(int err, int *bad)
{
	if (err && !is_damage_errno(err) && err != -EFBIG) {
		printf("    unexpected error %d\n", err);
		(*bad)++;
	}
}

static void walk_all(struct ext2_fs *fs, uint32_t ino, int depth, int *bad)
{
	uint8_t *buf = malloc(EXT2_MAX_BLOCK_SIZE);
	struct walk_ctx w = { fs, depth, bad, 0 };
	struct ext2_inode in;
	uint64_t pos = 0;
	int err;

	err = depth > 6 ? 0 : ext2_inode_read(fs, ino, &in);
	note(err, bad);
	if (depth > 6 || err)
		goto out;
	if (S_ISDIR(in.mode)) {
		err = ext2_dir_walk(fs, &in, &pos, buf, walk_entry, &w);
		note(err == 1 ? 0 : err, bad);
	} else if (S_ISLNK(in.mode)) {
		char target[EXT2_MAX_BLOCK_SIZE];

		note(ext2_readlink(fs, &in, target, sizeof(target), buf) < 0 ?
		     ext2_readlink(fs, &in, target, sizeof(target), buf) : 0, bad);
	} else if (in.size) {
		note(ext2_file_block(fs, &in, 0, buf), bad);
		note(ext2_file_block(fs, &in, 13, buf), bad);
		note(ext2_file_block(fs, &in, (in.size - 1) / fs->block_size, buf), bad);
	}
out:
	free(buf);
}

/* Random byte damage to the metadata at the start of the image, then a full walk. */
static void fuzz_image(uint32_t bs, int rounds)
{
	struct image img;
	struct ext2_fs fs;
	uint8_t *orig;
	int bad = 0, mounted = 0;

	make_image(&img, bs);
	orig = malloc(img.size);
	memcpy(orig, img.data, img.size);
	srand(bs);
	for (int r = 0; r < rounds; r++) {
		int flips = 1 + rand() % 16;

		memcpy(img.data, orig, 1024 + 96 * bs);	/* what the last round damaged */
		for (int i = 0; i < flips; i++)
			img.data[1024 + rand() % (96 * bs)] ^= 1 << (rand() % 8);
		if (fs_open(&fs, &img) == 0) {
			mounted++;
			walk_all(&fs, EXT2_ROOT_INO, 0, &bad);
		}
		free(fs.scratch);
	}
	CHECK_EQ(bad, 0);
	CHECK(mounted > rounds / 4);
	CHECK(!img.bad_read);
	free(orig);
	free(img.data);
}

TEST(ext2_survives_random_damage_1k) { fuzz_image(1024, 400); }
TEST(ext2_survives_random_damage_4k) { fuzz_image(4096, 200); }

/* The block map walk shared by ext2_bmap and ext2_bmap_alloc: the first and last
 * block of each range (direct, single, double, triple indirect) at 1 and 4 KiB. */
static void check_map_path(uint32_t bs)
{
	struct ext2_fs fs = { .block_size = bs };
	uint64_t p = bs / 4, single = 12 + p, dbl = single + p * p, tpl = dbl + p * p * p;
	struct ext2_map_path path;

	CHECK_EQ(ext2_ptrs_per_block(&fs), p);
	CHECK_EQ(ext2_map_path(&fs, 0, &path), 0);
	CHECK(path.depth == 0 && path.slot[0] == 0);
	CHECK_EQ(ext2_map_path(&fs, 11, &path), 0);
	CHECK(path.depth == 0 && path.slot[0] == 11);
	CHECK_EQ(ext2_map_path(&fs, 12, &path), 0);
	CHECK(path.depth == 1 && path.slot[0] == 12 && path.slot[1] == 0);
	CHECK_EQ(ext2_map_path(&fs, single - 1, &path), 0);
	CHECK(path.depth == 1 && path.slot[0] == 12 && path.slot[1] == p - 1);
	CHECK_EQ(ext2_map_path(&fs, single, &path), 0);
	CHECK(path.depth == 2 && path.slot[0] == 13 && path.slot[1] == 0 && path.slot[2] == 0);
	CHECK_EQ(ext2_map_path(&fs, single + p + 3, &path), 0);
	CHECK(path.depth == 2 && path.slot[1] == 1 && path.slot[2] == 3);
	CHECK_EQ(ext2_map_path(&fs, dbl - 1, &path), 0);
	CHECK(path.depth == 2 && path.slot[1] == p - 1 && path.slot[2] == p - 1);
	CHECK_EQ(ext2_map_path(&fs, dbl, &path), 0);
	CHECK(path.depth == 3 && path.slot[0] == 14 && path.slot[1] == 0 &&
	      path.slot[2] == 0 && path.slot[3] == 0);
	CHECK_EQ(ext2_map_path(&fs, dbl + p * p * 2 + p * 5 + 7, &path), 0);
	CHECK(path.depth == 3 && path.slot[1] == 2 && path.slot[2] == 5 && path.slot[3] == 7);
	CHECK_EQ(ext2_map_path(&fs, tpl - 1, &path), 0);
	CHECK(path.depth == 3 && path.slot[1] == p - 1 && path.slot[2] == p - 1 &&
	      path.slot[3] == p - 1);
	CHECK_EQ(ext2_map_path(&fs, tpl, &path), -EFBIG);
	CHECK_EQ(ext2_map_path(&fs, UINT64_MAX, &path), -EFBIG);
	CHECK_EQ(ext2_max_size(&fs), tpl * bs);
}

TEST(ext2_map_path_1k) { check_map_path(1024); }
TEST(ext2_map_path_4k) { check_map_path(4096); }
