/*
 * ext2mmap DIR: file mappings of a disk file system (tests/qemu/ext2write): stores
 * through MAP_SHARED seen by read() and by a forked child's own mapping (and the
 * child's by the parent), write() seen by mappings, MAP_PRIVATE copies, msync,
 * truncation under a mapping (SIGBUS past the end, zeros past it in the last page),
 * a shared mapping filling a hole, munmap then fsync, an unlinked mapped file, a
 * sequential 1 MiB file, and bad input. Leaves DIR/mmap for ext2write.check to
 * compare on the image (what reached the disk).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_WIDTH 52
#include "check.h"

#define PG 4096

static sigjmp_buf jump;
static char buf[1 << 20];

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	printf("  signal %s code %s\n", sig == SIGBUS ? "SIGBUS" : "other",
	       si->si_code == BUS_ADRERR ? "BUS_ADRERR" : "other");
	siglongjmp(jump, 1);
}

/* Reads the byte at p, printing it or the signal it raised. */
static void probe(const char *what, volatile char *p)
{
	printf("%s:\n", what);
	if (sigsetjmp(jump, 1) == 0)
		printf("  byte %d\n", *p);
}

static void pattern(char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = 'A' + (seed + i * 7 + i / 251) % 26;
}

/* Shared stores, read(), write(), a forked child's mapping, msync. */
static void shared(const char *dir)
{
	char path[256], *m, back[PG];
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/a", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(ftruncate(fd, 3 * PG + 100));
	m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap shared: %s\n", m == MAP_FAILED ? "failed" : "ok");
	pattern(m, 3 * PG + 100, 1);
	CHECK(pread(fd, back, PG, PG));
	printf("read sees stores: %d\n", !memcmp(back, m + PG, PG));
	CHECK(pwrite(fd, "written", 7, 5000));
	printf("mapping sees write: %.7s\n", m + 5000);
	if (fork() == 0) {
		int cfd = open(path, O_RDWR);
		char *c = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		printf("child sees parent: %d\n", c != MAP_FAILED && !memcmp(c, m, 3 * PG + 100));
		memcpy(c + 8000, "child", 5);
		_exit(0);
	}
	wait(NULL);
	printf("parent sees child: %.5s\n", m + 8000);
	CHECK(pread(fd, back, 5, 8000));
	printf("read sees child: %.5s\n", back);
	CHECK(msync(m, 4 * PG, MS_SYNC));
	CHECK(msync(m, 4 * PG, MS_ASYNC));
	CHECK(msync(m, 4 * PG, MS_ASYNC | MS_SYNC));
	CHECK(msync(m, 4 * PG, 0x100));
	CHECK(msync(m + 1, PG, MS_SYNC));
	CHECK(msync(m, 64 * PG, MS_SYNC));
	CHECK(munmap(m, 4 * PG));
	CHECK(msync(m, PG, MS_SYNC));
	CHECK(close(fd));
}

/* MAP_PRIVATE: sees the file until written, then its copy. */
static void private(const char *dir)
{
	char path[256], *p, *s, back[8];
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/a", dir);
	fd = open(path, O_RDWR);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("private before: %.3s\n", p + 10);
	memcpy(s + 10, "new", 3);
	printf("private sees shared store: %.3s\n", p + 10);
	memcpy(p + 10, "prv", 3);
	CHECK(pread(fd, back, 3, 10));
	printf("file keeps: %.3s, private has: %.3s\n", back, p + 10);
	memcpy(s + 10, "old", 3);
	printf("private copy stays: %.3s\n", p + 10);
	CHECK(msync(p, 2 * PG, MS_SYNC));
	munmap(p, 2 * PG);
	munmap(s, 2 * PG);
	close(fd);
}

/* ftruncate under a shared mapping: pages past the end raise SIGBUS, the rest of
 * the last page reads zeros, growing again gives zeros. */
static void truncation(const char *dir)
{
	char path[256], *m;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/t", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(ftruncate(fd, 3 * PG));
	m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pattern(m, 3 * PG, 2);
	CHECK(ftruncate(fd, PG + 10));
	probe("page 2 after shrink", m + 2 * PG);
	probe("page 1 before the end", m + PG + 9);
	probe("page 1 past the end", m + PG + 10);
	probe("page 1 last byte", m + 2 * PG - 1);
	CHECK(ftruncate(fd, 3 * PG));
	probe("page 2 after grow", m + 2 * PG + 5);
	probe("page 1 tail after grow", m + PG + 100);
	m[2 * PG + 1] = 'z';
	CHECK(fstat(fd, &st));
	printf("size %lld\n", (long long)st.st_size);
	CHECK(ftruncate(fd, 0));
	probe("page 0 after truncate to 0", m);
	CHECK(ftruncate(fd, PG + 500));
	pattern(m, PG + 500, 3);
	munmap(m, 3 * PG);
	close(fd);
}

/* A shared mapping fills a hole of a sparse file; munmap, then fsync. */
static void hole(const char *dir)
{
	char path[256], *m, back[16];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/h", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(ftruncate(fd, 16 * PG));
	CHECK(fstat(fd, &st));
	printf("sparse blocks %lld\n", (long long)st.st_blocks);
	m = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	probe("hole reads", m + 5 * PG);
	pattern(m + 5 * PG, PG, 4);
	pattern(m + 9 * PG, PG, 5);
	CHECK(munmap(m, 16 * PG));
	CHECK(fsync(fd));
	CHECK(fstat(fd, &st));
	printf("filled blocks %lld\n", (long long)st.st_blocks);
	CHECK(pread(fd, back, 8, 9 * PG));
	printf("read after munmap: %.8s\n", back);
	CHECK(fdatasync(fd));
	CHECK(syncfs(fd));
	CHECK(close(fd));
}

/* An unlinked file stays readable through its mapping and fd until the last close. */
static void unlinked(const char *dir)
{
	char path[256], *m, back[8];
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/u", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	pattern(buf, 2 * PG, 6);
	CHECK(write(fd, buf, 2 * PG));
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(unlink(path));
	memcpy(m + PG, "gone", 4);
	CHECK(pread(fd, back, 4, PG));
	printf("unlinked file: %.4s, mapping: %.4s\n", back, m);
	CHECK(fsync(fd));
	CHECK(access(path, F_OK));
	munmap(m, 2 * PG);
	CHECK(close(fd));
}

/* Bad input: writable shared mappings of files not open for writing, bad fds. */
static void bad(const char *dir)
{
	char path[256];
	void *m;
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/a", dir);
	fd = open(path, O_RDONLY);
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("shared writable of O_RDONLY: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(mprotect(m, PG, PROT_READ | PROT_WRITE));
	munmap(m, PG);
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("private writable of O_RDONLY: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	CHECK(msync(m, PG, MS_SYNC));
	munmap(m, PG);
	CHECK(fsync(fd));
	close(fd);
	CHECK(fsync(-1));
	CHECK(fdatasync(999));
	CHECK(syncfs(-1));
	m = mmap(NULL, 8 * PG, PROT_READ, MAP_SHARED, open(path, O_RDONLY), 0);
	probe("mapping past the end of a", (char *)m + 5 * PG);
}

/* A 1 MiB file written and read back sequentially in odd-sized pieces. */
static void sequential(const char *dir)
{
	char path[256], piece[5000];
	size_t sum = 0, off = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/mmap/big", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	pattern(buf, sizeof(buf), 7);
	for (size_t i = 0; i < sizeof(buf); i += n)
		if ((n = write(fd, buf + i, sizeof(buf) - i < 3001 ? sizeof(buf) - i : 3001)) <= 0)
			break;
	CHECK(lseek(fd, 0, SEEK_SET));
	while ((n = read(fd, piece, sizeof(piece))) > 0) {
		sum += !memcmp(piece, buf + off, n);
		off += n;
	}
	printf("read back %zu bytes, %zu pieces equal\n", off, sum);
	CHECK(close(fd));
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };
	char path[256];

	if (argc != 2)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGBUS, &sa, NULL);
	snprintf(path, sizeof(path), "%s/mmap", argv[1]);
	CHECK(mkdir(path, 0755));
	shared(argv[1]);
	private(argv[1]);
	truncation(argv[1]);
	hole(argv[1]);
	unlinked(argv[1]);
	bad(argv[1]);
	sequential(argv[1]);
	return 0;
}
