/*
 * ext2work DIR: a file-system workload for the ext2 write test (tests/qemu/ext2write):
 * creates, appends, truncates, renames, links and unlinks thousands of files and
 * directories under DIR/work, with sparse and indirect-block files, symlinks, fifos
 * and the errors a writer meets (EEXIST, ENOTEMPTY, EINVAL, EISDIR, ENOTDIR).
 * Deterministic: the same tree on any kernel; tests/harness/ext2tree.py lists it.
 *
 * ext2work powercut DIR...: for tests/qemu/powercut: in each DIR, files synced/sN
 * written and fsync'd (and their directories), others left unsynced, then the line
 * "POWER CUT NOW" (the host kills QEMU on it) and writes, renames, unlinks and syncs
 * until killed; after 60 s still alive it gives up with status 1. Byte i of synced/sN
 * is 'a' + (7N + 13i + i/97) % 26 (tests/qemu/powercut.check recomputes it).
 *
 * ext2work abi DIR / abi-ro DIR: Linux's answers on a read-write ext2 mount
 * (RLIMIT_FSIZE's EFBIG and SIGXFSZ, O_DIRECT, fallocate's modes) and on a
 * read-only one (EEXIST before EROFS), printed call by call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/falloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static char buf[70000];

static void fill(unsigned seed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = 'a' + (seed * 7 + i * 13 + i / 97) % 26;
}

static int put(const char *path, unsigned seed, size_t n, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	if (fd < 0)
		return -1;
	fill(seed, n);
	if (write(fd, buf, n) != (ssize_t)n)
		n = -1;
	close(fd);
	return (int)n;
}

static int fails = 0;
#define MUST(expr) do { if ((expr) < 0) { fails++; if (fails < 10) \
	printf("failed: %s: %s\n", #expr, errname(errno)); } } while (0)

/* Many files in a few directories, then half of them gone or renamed. */
static void churn(void)
{
	char p[64], q[64];

	for (int d = 0; d < 4; d++) {
		snprintf(p, sizeof(p), "d%d", d);
		MUST(mkdir(p, 0755));
		for (int i = 0; i < 600; i++) {
			snprintf(p, sizeof(p), "d%d/file-%d-with-a-longer-name-%d", d, i, i * 31);
			MUST(put(p, i + d, (i * 37 + d * 11) % 3000, O_TRUNC));
		}
	}
	for (int d = 0; d < 4; d++) {
		for (int i = 0; i < 600; i++) {
			snprintf(p, sizeof(p), "d%d/file-%d-with-a-longer-name-%d", d, i, i * 31);
			if (i % 3 == 0)
				MUST(unlink(p));
			else if (i % 3 == 1) {
				snprintf(q, sizeof(q), "d%d/r%d", (d + 1) % 4, i);
				MUST(rename(p, q));
			} else if (i % 5 == 0) {
				snprintf(q, sizeof(q), "d%d/l%d", d, i);
				MUST(link(p, q));
				MUST(put(p, i, 100, O_APPEND));
			}
		}
	}
	for (int i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "tree/a%d/b%d", i % 10, i);
		snprintf(q, sizeof(q), "tree/a%d", i % 10);
		mkdir("tree", 0755);
		mkdir(q, 0700);
		MUST(mkdir(p, 0750));
		if (i % 4 == 0)
			MUST(rmdir(p));
	}
	printf("churn done, %d failures\n", fails);
}

/* Big, sparse and truncated files through every level of the block map. */
static void big_files(void)
{
	int fd = open("sparse", O_RDWR | O_CREAT | O_EXCL, 0600);
	off_t offs[] = { 0, 5000, 12 * 4096 + 17, 300000, 5000000, 70000000, 300000000 };

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		fill(i, 5000);
		MUST(pwrite(fd, buf, 5000, offs[i]));
	}
	CHECK(ftruncate(fd, 310000));
	CHECK(ftruncate(fd, 6000000));
	fill(99, 3000);
	CHECK(pwrite(fd, buf, 3000, 299000));
	close(fd);
	MUST(put("grow", 1, 70000, 0));
	for (int i = 0; i < 40; i++)
		MUST(put("grow", i, 70000, O_APPEND));
	CHECK(truncate("grow", 1234567));
	CHECK(truncate("grow", 1000));
	MUST(put("over", 2, 60000, 0));
	CHECK(put("over", 3, 10, O_TRUNC));
}

/* The errors a writer meets. */
static void errors(void)
{
	CHECK(open("grow", O_CREAT | O_EXCL | O_WRONLY, 0644));
	CHECK(rmdir("tree"));
	CHECK(rename("tree", "tree/a1/inside"));
	CHECK(rename("grow", "tree"));
	CHECK(rename("tree", "grow"));
	CHECK(unlink("tree"));
	CHECK(rmdir("grow"));
	CHECK(mkdir("grow", 0755));
	CHECK(link("tree", "tree2"));
	CHECK(symlink("grow", "fastlink"));
	memset(buf, 'x', 200);
	buf[200] = 0;
	CHECK(symlink(buf, "slowlink"));
	CHECK(mknod("fifo", S_IFIFO | 0640, 0));
	CHECK(mkdir("mv1", 0755));
	CHECK(mkdir("mv1/sub", 0755));
	CHECK(rename("mv1/sub", "tree/a3/sub"));
	CHECK(rename("tree/a3/sub", "mv1/sub/x"));
	CHECK(rename("d0/r1", "d1/r4"));
	CHECK(chmod("over", 0751));
	CHECK(rename("mv1", "tree/a4/moved"));
}

#define SYNCED 40

/* Size of synced/sN: up to ~300 KB, so some reach the indirect blocks. */
static size_t synced_size(int n)
{
	return (size_t)n * 7919 % 300000 + n;
}

/* Writes DIR/synced/sN in pieces of buf and fsyncs it; -1 on failure. */
static int put_synced(const char *dir, int n)
{
	size_t size = synced_size(n), done = 0;
	char path[256];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/synced/s%d", dir, n);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	while (!err && done < size) {
		size_t len = size - done < sizeof(buf) ? size - done : sizeof(buf);

		for (size_t i = 0; i < len; i++)
			buf[i] = 'a' + (n * 7 + (done + i) * 13 + (done + i) / 97) % 26;
		err = write(fd, buf, len) != (ssize_t)len;
		done += len;
	}
	if (!err)
		err = fsync(fd);
	close(fd);
	return err ? -1 : 0;
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY), err;

	if (fd < 0)
		return -1;
	err = fsync(fd);
	close(fd);
	return err;
}

/* Writes the unsynced churn of round r in dir: new files, appends, renames, unlinks. */
static void churn_after(const char *dir, int r)
{
	char p[256], q[256];

	snprintf(p, sizeof(p), "%s/after/f%d", dir, r);
	put(p, r, 1000 + r * 977 % 60000, O_TRUNC);
	snprintf(p, sizeof(p), "%s/loose/l%d", dir, r % 20);
	put(p, r, 3000, O_APPEND);
	if (r % 3 == 2) {
		snprintf(p, sizeof(p), "%s/after/f%d", dir, r - 2);
		snprintf(q, sizeof(q), "%s/after/renamed%d", dir, r);
		rename(p, q);
		snprintf(p, sizeof(p), "%s/after/f%d", dir, r - 1);
		unlink(p);
	}
}

static int power_cut(int ndirs, char **dirs)
{
	char p[256];

	for (int d = 0; d < ndirs; d++) {
		snprintf(p, sizeof(p), "%s/synced", dirs[d]);
		MUST(mkdir(p, 0755));
		snprintf(p, sizeof(p), "%s/loose", dirs[d]);
		MUST(mkdir(p, 0755));
		snprintf(p, sizeof(p), "%s/after", dirs[d]);
		MUST(mkdir(p, 0755));
		for (int n = 0; n < SYNCED; n++) {
			MUST(put_synced(dirs[d], n));
			snprintf(p, sizeof(p), "%s/loose/l%d", dirs[d], n % 20);
			MUST(put(p, n, 5000, O_APPEND));
		}
		snprintf(p, sizeof(p), "%s/synced", dirs[d]);
		MUST(fsync_path(p));
		MUST(fsync_path(dirs[d]));
	}
	printf("%d files fsync'd in each directory, %d failures\nPOWER CUT NOW\n",
	       SYNCED, fails);
	fflush(stdout);
	for (time_t end = time(NULL) + 60; time(NULL) < end;) {
		static int r;

		for (int d = 0; d < ndirs; d++)
			churn_after(dirs[d], r);
		if (++r % 8 == 0)
			sync();
	}
	printf("still running after 60 s\n");
	return 1;
}

static volatile int xfsz;

static void on_xfsz(int sig)
{
	xfsz += sig == SIGXFSZ;
}

/* Writes past RLIMIT_FSIZE: short writes up to it, then EFBIG and SIGXFSZ. */
static void fsize_limit(void)
{
	struct rlimit lim = { 10000, RLIM_INFINITY }, old;
	int fd = open("fsize", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int afd = open("fsize", O_WRONLY | O_APPEND);

	getrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, on_xfsz);
	fill(5, 20000);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim));
	CHECK(write(fd, buf, 8000));
	CHECK(write(fd, buf, 5000));
	CHECK(write(fd, buf, 10));
	printf("SIGXFSZ: %d\n", xfsz);
	CHECK(write(fd, buf, 0));
	CHECK(pwrite(fd, buf, 10, 20000));
	CHECK(pwrite(fd, buf, 10, 9995));
	CHECK(ftruncate(fd, 20000));
	CHECK(truncate("fsize", 10001));
	CHECK(ftruncate(fd, 10000));
	CHECK(ftruncate(fd, 4000));
	printf("SIGXFSZ: %d\n", xfsz);
	CHECK(write(afd, buf, 7000));
	CHECK(write(afd, buf, 7000));
	CHECK(lseek(fd, 0, SEEK_END));
	signal(SIGXFSZ, SIG_IGN);
	CHECK(write(afd, buf, 1));
	printf("SIGXFSZ: %d\n", xfsz);
	CHECK(setrlimit(RLIMIT_FSIZE, &old));
	CHECK(write(afd, buf, 1));
	signal(SIGXFSZ, SIG_DFL);
	close(fd);
	close(afd);
}

/* O_DIRECT: accepted; transfers must be aligned to the disk's 512-byte sectors. */
static void direct_io(void)
{
	char *al = aligned_alloc(4096, 8192);
	int fd = open("direct", O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644), plain;

	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFL) & O_DIRECT);
	memset(al, 'd', 8192);
	CHECK(pwrite(fd, al, 4096, 0));
	CHECK(pwrite(fd, al, 512, 4096));
	CHECK(pwrite(fd, al + 1, 512, 0));
	CHECK(pwrite(fd, al, 100, 0));
	CHECK(pwrite(fd, al, 512, 7));
	CHECK(pread(fd, al + 4096, 512, 512));
	CHECK(pread(fd, al + 4096, 4096, 4096));
	CHECK(pread(fd, al + 4096, 512, 8192));
	CHECK(pread(fd, al + 1, 512, 0));
	CHECK(pread(fd, al, 100, 0));
	CHECK(lseek(fd, 0, SEEK_END));
	plain = open("direct", O_RDONLY);
	CHECK(fcntl(plain, F_SETFL, O_DIRECT));
	CHECK(!!(fcntl(plain, F_GETFL) & O_DIRECT));
	CHECK(read(plain, al, 512));
	CHECK(fcntl(plain, F_SETFL, 0));
	CHECK(read(plain, al, 100));
	close(plain);
	close(fd);
	free(al);
}

/* fallocate(2)'s modes on an ext2 file and its argument errors. Not here yet:
 * PUNCH_HOLE|KEEP_SIZE, which Linux does on ext2 (Lumen: EOPNOTSUPP so far). */
static void fallocate_modes(void)
{
	static const struct { int mode; const char *name; } modes[] = {
		{ 0, "0" }, { FALLOC_FL_KEEP_SIZE, "KEEP_SIZE" },
		{ FALLOC_FL_PUNCH_HOLE, "PUNCH_HOLE" },
		{ FALLOC_FL_COLLAPSE_RANGE, "COLLAPSE_RANGE" },
		{ FALLOC_FL_ZERO_RANGE, "ZERO_RANGE" },
		{ FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, "ZERO_RANGE|KEEP_SIZE" },
		{ FALLOC_FL_INSERT_RANGE, "INSERT_RANGE" },
		{ FALLOC_FL_UNSHARE_RANGE, "UNSHARE_RANGE" }, { 0x100, "0x100" },
	};
	int fd = open("falloc", O_RDWR | O_CREAT | O_TRUNC, 0644), ro;
	struct stat st;

	fill(8, 65536);
	CHECK(write(fd, buf, 65536));
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		long r = fallocate(fd, modes[i].mode, 4096, 8192);

		fstat(fd, &st);
		printf("fallocate(%s, 4096, 8192) = %ld %s size %lld blocks %lld\n",
		       modes[i].name, r, r < 0 ? errname(errno) : "",
		       (long long)st.st_size, (long long)st.st_blocks);
	}
	CHECK(fallocate(fd, 0, 0, 0));
	CHECK(fallocate(fd, 0, -1, 10));
	CHECK(fallocate(fd, 0, 0x7fffffffffff0000, 0x20000));
	CHECK(fallocate(-1, 0, 0, 10));
	ro = open("falloc", O_RDONLY);
	CHECK(fallocate(ro, 0, 0, 10));
	close(ro);
	close(fd);
}

/* On a read-only mount: an existing name is EEXIST before EROFS, as Linux's
 * filename_create decides; everything else that writes is EROFS. */
static void read_only(void)
{
	int fd;

	CHECK(mkdir("tree", 0755));
	CHECK(mkdir("newdir", 0755));
	CHECK(mkdir("newdir/", 0755));
	CHECK(mkdir("over", 0755));
	CHECK(mkdir(".", 0755));
	CHECK(symlink("x", "over"));
	CHECK(symlink("x", "tree"));
	CHECK(symlink("x", "newlink"));
	CHECK(symlink("x", "newlink/"));
	CHECK(symlink("x", ".."));
	CHECK(link("over", "grow"));
	CHECK(link("over", "newlink"));
	CHECK(link("tree", "newlink"));
	CHECK(link("tree", "grow"));
	CHECK(link("missing", "newlink"));
	CHECK(mknod("fifo", S_IFIFO | 0644, 0));
	CHECK(mknod("newfifo", S_IFIFO | 0644, 0));
	CHECK(unlink("over"));
	CHECK(unlink("missing"));
	CHECK(rmdir("missing"));
	CHECK(rename("over", "over2"));
	CHECK(open("over", O_RDONLY | O_CREAT, 0644) >= 0);
	CHECK(open("over", O_RDONLY | O_CREAT | O_EXCL, 0644));
	CHECK(open("newfile", O_RDONLY | O_CREAT, 0644));
	CHECK(open("over", O_WRONLY));
	CHECK(open("over", O_RDONLY | O_TRUNC));
	CHECK(truncate("over", 0));
	CHECK(chmod("over", 0600));
	fd = open("over", O_RDONLY);
	CHECK(fallocate(fd, 0, 0, 10));
	CHECK(fsync(fd));
	close(fd);
}

int main(int argc, char **argv)
{
	char path[256];

	if (argc == 3 && (!strcmp(argv[1], "abi") || !strcmp(argv[1], "abi-ro"))) {
		snprintf(path, sizeof(path), "%s/work", argv[2]);
		if (chdir(path) < 0)
			return 1;
		if (argv[1][3])
			read_only();
		else {
			fsize_limit();
			direct_io();
			fallocate_modes();
		}
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "powercut"))
		return power_cut(argc - 2, argv + 2);
	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/work", argv[1]);
	umask(022);
	if (mkdir(path, 0755) < 0 || chdir(path) < 0) {
		perror(path);
		return 1;
	}
	churn();
	big_files();
	errors();
	CHECK(fsync(open("over", O_RDONLY)));
	sync();
	return fails ? 1 : 0;
}
