/*
 * shmap: shared file mappings against Linux. Processes that map the same /dev/shm
 * file or tmpfs file separately see each other's writes, and read/write see them
 * too; truncation makes pages beyond the end raise SIGBUS in every mapping; msync
 * and mincore with normal and bad input; MAP_SHARED|MAP_FIXED over an existing
 * mapping; fork, mprotect, munmap and mremap of shared mappings.
 *
 * Usage: shmap DIR (a directory on a tmpfs). Prints one line per check; a call's
 * result is -1 with the errno name, 0, or 1 for any other success, and a faulting
 * access shows as "SIGBUS 2" (the signal and its si_code).
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
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define R(name, expr) do { \
	long _r = (long)(expr); \
	printf("%-44s = %ld %s\n", name, _r == -1 ? -1L : (_r == 0 ? 0L : 1L), \
	       _r == -1 ? errname(errno) : ""); \
} while (0)
#define PG 4096L

static sigjmp_buf jb;
static volatile int probing;

static void on_fault(int s, siginfo_t *si, void *c)
{
	(void)c;
	if (!probing) {
		static const char msg[] = "unexpected fault\n";

		write(1, msg, sizeof(msg) - 1);
		_exit(99);
	}
	siglongjmp(jb, s * 100 + si->si_code);
}

/* Touches one byte at p (a write stores v); returns what it read or wrote as a
 * string, or the signal it caused. */
static const char *probe(volatile char *p, int write, char value)
{
	static char out[32];
	volatile char v = value;
	int code = sigsetjmp(jb, 1);

	if (code) {
		probing = 0;
		snprintf(out, sizeof(out), "%s %d", code / 100 == SIGBUS ? "SIGBUS" : "SIGSEGV",
			 code % 100);
		return out;
	}
	probing = 1;
	if (write)
		*p = v;
	else
		v = *p;
	probing = 0;
	snprintf(out, sizeof(out), "ok %d", v);
	return out;
}

#define P(name, p, w, v) printf("%-44s : %s\n", name, probe((p), (w), (v)))

static void text(const char *name, const char *s)
{
	printf("%-44s : \"%s\"\n", name, s);
}

static char *map_file(const char *path, long len, int prot, int flags)
{
	int fd = open(path, (prot & PROT_WRITE) ? O_RDWR : O_RDONLY);
	char *p;

	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, len, prot, flags, fd, 0);
	close(fd);
	return p;
}

static void wait_child(const char *name)
{
	int st;

	wait(&st);
	printf("%-44s : status %d\n", name, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	fflush(stdout);
}

/* Two processes mapping the file separately (not inherited) see each other. */
static void separate_maps(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char buf[16] = "";
	char *a;

	printf("-- separate mappings of %s\n", path);
	R("ftruncate 3 pages", ftruncate(fd, 3 * PG));
	a = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("mmap shared", a == MAP_FAILED ? -1 : 1);
	strcpy(a, "from parent");
	R("pwrite page 2", pwrite(fd, "by write", 9, 2 * PG));
	fflush(stdout);
	if (fork() == 0) {
		char *b = map_file(path, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);

		R("child mmap shared", b == MAP_FAILED ? -1 : 1);
		text("child sees parent's store", b);
		text("child sees pwrite", b + 2 * PG);
		strcpy(b + PG, "from child");
		strcpy(b + 2 * PG + 20, "child again");
		fflush(stdout);
		_exit(0);
	}
	wait_child("child");
	text("parent sees child's store", a + PG);
	R("pread page 2 +20", pread(fd, buf, 12, 2 * PG + 20));
	text("pread sees child's store", buf);
	R("munmap", munmap(a, 3 * PG));
	a = map_file(path, 3 * PG, PROT_READ, MAP_PRIVATE);
	text("new private mapping sees it", a + PG);
	munmap(a, 3 * PG);
	close(fd);
}

/* Truncation: pages beyond the end raise SIGBUS, in other processes' mappings too. */
static void truncation(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), go[2], ready[2];
	char *a, *pr, c;

	printf("-- truncation of %s\n", path);
	R("ftruncate 2 pages", ftruncate(fd, 2 * PG));
	a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pr = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	P("write page 1", a + PG + 5, 1, 7);
	P("private read page 1", pr + PG + 5, 0, 0);
	P("shared read page 2 (beyond end)", a + 2 * PG, 0, 0);
	P("shared write page 3 (beyond end)", a + 3 * PG, 1, 1);
	P("private read page 2 (beyond end)", pr + 2 * PG, 0, 0);
	R("read into a page beyond the end", read(fd, a + 2 * PG, 10));
	pipe(go);
	pipe(ready);
	fflush(stdout);
	if (fork() == 0) {
		char *b = map_file(path, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);

		P("child touches page 1", b + PG, 1, 3);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		P("child page 1 after truncate", b + PG, 0, 0);
		P("child page 0 after truncate", b + 10, 0, 0);
		fflush(stdout);
		_exit(0);
	}
	read(ready[0], &c, 1);
	R("ftruncate 100 bytes", ftruncate(fd, 100));
	write(go[1], "g", 1);
	wait_child("child");
	P("page 0 byte 99", a + 99, 0, 0);
	P("page 0 byte 100 (zeroed tail)", a + 100, 0, 0);
	P("page 1 after truncate", a + PG + 5, 0, 0);
	P("private page 1 after truncate", pr + PG + 5, 0, 0);
	R("ftruncate 2 pages again", ftruncate(fd, 2 * PG));
	P("page 1 after growing (zero)", a + PG + 5, 0, 0);
	P("write page 1 after growing", a + PG + 5, 1, 9);
	R("pread page 1", pread(fd, &c, 1, PG + 5));
	printf("%-44s : %d\n", "pread value", c);
	munmap(a, 4 * PG);
	munmap(pr, 4 * PG);
	close(fd);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

static void msync_checks(const char *path)
{
	char *a = map_file(path, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *anon = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("-- msync\n");
	R("msync MS_SYNC", msync(a, 2 * PG, MS_SYNC));
	R("msync MS_ASYNC", msync(a, 2 * PG, MS_ASYNC));
	R("msync MS_INVALIDATE", msync(a, PG, MS_INVALIDATE));
	R("msync MS_SYNC|MS_INVALIDATE", msync(a, PG, MS_SYNC | MS_INVALIDATE));
	R("msync 0 flags", msync(a, PG, 0));
	R("msync partial length", msync(a, 10, MS_SYNC));
	R("msync anonymous", msync(anon, PG, MS_SYNC));
	R("msync len 0", msync(a, 0, MS_SYNC));
	R("msync ASYNC|SYNC", msync(a, PG, MS_ASYNC | MS_SYNC));
	R("msync unknown flag", msync(a, PG, 8));
	R("msync unaligned", msync(a + 1, PG, MS_SYNC));
	R("msync past the mapping", msync(a, 3 * PG, MS_SYNC));
	R("msync unmapped", msync((void *)0x10000000, PG, MS_SYNC));
	R("msync wrapping length", msync(a, -2 * PG, MS_SYNC));
	R("msync huge length rounds to 0", msync(a, -1L, MS_SYNC));
	R("msync unaligned len 0", msync(a + 1, 0, MS_SYNC));
	munmap(a, 2 * PG);
	munmap(anon, PG);
}

static void mincore_checks(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	unsigned char v[8];
	char *a, *pr, *anon;

	printf("-- mincore\n");
	ftruncate(fd, 4 * PG);
	pwrite(fd, "x", 1, 0);
	pwrite(fd, "y", 1, 2 * PG);
	a = mmap(NULL, 6 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pr = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	anon = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(v, 7, sizeof(v));
	R("mincore shared", mincore(a, 6 * PG, v));
	printf("%-44s : %d %d %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3], v[4], v[5]);
	a[3 * PG] = 1;
	R("mincore after a store to page 3", mincore(a, 4 * PG, v));
	printf("%-44s : %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3]);
	R("mincore private untouched", mincore(pr, 4 * PG, v));
	printf("%-44s : %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3]);
	anon[PG] = 1;
	R("mincore anonymous", mincore(anon, 3 * PG, v));
	printf("%-44s : %d %d %d\n", "vec", v[0], v[1], v[2]);
	R("mincore unaligned", mincore(a + 1, PG, v));
	R("mincore unmapped", mincore((void *)0x10000000, PG, v));
	munmap(anon + 2 * PG, PG);
	R("mincore past the mapping", mincore(anon, 3 * PG, v));
	R("mincore bad vector", mincore(a, PG, (unsigned char *)8));
	R("mincore kernel vector", mincore(a, PG, (unsigned char *)0xffff800000000000UL));
	R("mincore len 0", mincore(a, 0, v));
	R("mincore huge length", mincore(a, -PG, v));
	munmap(a, 6 * PG);
	munmap(pr, 4 * PG);
	munmap(anon, 2 * PG);
	close(fd);
}

/* MAP_FIXED over an existing mapping, fork, mprotect and partial munmap. */
static void fixed_fork_protect(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), rofd;
	char *anon, *a, buf[16] = "";

	printf("-- fixed, fork, mprotect, munmap\n");
	ftruncate(fd, 3 * PG);
	anon = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(anon, 'z', 3 * PG);
	a = mmap(anon + PG, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, PG);
	R("MAP_SHARED|MAP_FIXED over anonymous", a == anon + PG ? 0 : -1);
	P("fixed page reads the file (zero)", a, 0, 0);
	strcpy(a, "fixed");
	R("pread", pread(fd, buf, 6, PG));
	text("pread sees the fixed mapping's store", buf);
	P("anonymous neighbour unchanged", anon, 0, 0);
	fflush(stdout);
	if (fork() == 0) {
		strcpy(a + 10, "forked");
		P("child private neighbour store", anon, 1, 'c');
		_exit(0);
	}
	wait_child("child");
	text("parent sees the child's store", a + 10);
	P("parent private neighbour", anon, 0, 0);
	R("mprotect read-only", mprotect(a, PG, PROT_READ));
	P("store to read-only shared", a, 1, 'x');
	pwrite(fd, "W", 1, PG);
	P("read-only mapping sees pwrite", a, 0, 0);
	R("mprotect read-write", mprotect(a, PG, PROT_READ | PROT_WRITE));
	P("store after mprotect", a + 1, 1, 'Q');
	R("pread", pread(fd, buf, 2, PG));
	printf("%-44s : %c%c\n", "pread", buf[0], buf[1]);
	R("munmap", munmap(anon, 3 * PG));
	rofd = open(path, O_RDONLY);
	a = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, rofd, 0);
	R("mmap read-only file shared", a == MAP_FAILED ? -1 : 1);
	R("mprotect write on a read-only file", mprotect(a, PG, PROT_READ | PROT_WRITE));
	R("mmap shared writable of read-only fd",
	  mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0) == MAP_FAILED ? -1 : 1);
	R("mmap private writable of read-only fd",
	  mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, rofd, 0) == MAP_FAILED ? -1 : 1);
	R("munmap middle page", munmap(a + PG, PG));
	P("first page still mapped", a + 1, 0, 0);
	P("middle page unmapped", a + PG, 0, 0);
	P("last page still mapped", a + 2 * PG, 0, 0);
	close(rofd);
	close(fd);
}

/* A pool that grows as wl_shm's does: ftruncate, then mremap of the shared mapping. */
static void pool_resize(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *a, *b, *c, buf[8] = "";

	printf("-- pool resize\n");
	ftruncate(fd, PG);
	a = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	c = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);	/* a neighbour */
	strcpy(a, "pool");
	R("ftruncate 3 pages", ftruncate(fd, 3 * PG));
	b = mremap(a, PG, 3 * PG, MREMAP_MAYMOVE);
	R("mremap grow", b == MAP_FAILED ? -1 : 1);
	text("first page kept", b);
	strcpy(b + 2 * PG, "grown");
	R("pread new page", pread(fd, buf, 6, 2 * PG));
	text("pread", buf);
	b = mremap(b, 3 * PG, PG, 0);
	R("mremap shrink", b == MAP_FAILED ? -1 : 1);
	text("still the file", b);
	munmap(b, PG);
	munmap(c, PG);
	close(fd);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	char path[256];

	if (argc != 2) {
		fprintf(stderr, "usage: shmap DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	separate_maps("/dev/shm/shmap-test");
	snprintf(path, sizeof(path), "%s/shmap-file", argv[1]);
	separate_maps(path);
	truncation("/dev/shm/shmap-test");
	truncation(path);
	msync_checks(path);
	mincore_checks(path);
	fixed_fork_protect(path);
	pool_resize("/dev/shm/shmap-test");
	unlink("/dev/shm/shmap-test");
	unlink(path);
	return 0;
}
