/*
 * shmap: shared file mappings against Linux. Processes that map the same /dev/shm
 * file or tmpfs file separately see each other's writes, and read/write see them
 * too; truncation makes pages beyond the end raise SIGBUS in every mapping; msync
 * and mincore with normal and bad input; MAP_SHARED|MAP_FIXED over an existing
 * mapping; fork, mprotect, munmap and mremap of shared mappings. Futexes in shared
 * memory across processes (shared anonymous memory after fork, a /dev/shm file
 * mapped by an unrelated process): FUTEX_WAIT/WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP,
 * the private flag and private mappings, process-shared pthread mutexes and
 * condition variables. Shared anonymous memory and shared /dev/zero are one object
 * whose pages every process inheriting them shares, first touched before or after
 * fork, with Linux's maps line, mremap and munmap.
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
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

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
	R_NOADDR("ftruncate 3 pages", ftruncate(fd, 3 * PG));
	a = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R_NOADDR("mmap shared", a == MAP_FAILED ? -1 : 1);
	strcpy(a, "from parent");
	R_NOADDR("pwrite page 2", pwrite(fd, "by write", 9, 2 * PG));
	fflush(stdout);
	if (fork() == 0) {
		char *b = map_file(path, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);

		R_NOADDR("child mmap shared", b == MAP_FAILED ? -1 : 1);
		text("child sees parent's store", b);
		text("child sees pwrite", b + 2 * PG);
		strcpy(b + PG, "from child");
		strcpy(b + 2 * PG + 20, "child again");
		fflush(stdout);
		_exit(0);
	}
	wait_child("child");
	text("parent sees child's store", a + PG);
	R_NOADDR("pread page 2 +20", pread(fd, buf, 12, 2 * PG + 20));
	text("pread sees child's store", buf);
	R_NOADDR("munmap", munmap(a, 3 * PG));
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
	R_NOADDR("ftruncate 2 pages", ftruncate(fd, 2 * PG));
	a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pr = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	P("write page 1", a + PG + 5, 1, 7);
	P("private read page 1", pr + PG + 5, 0, 0);
	P("shared read page 2 (beyond end)", a + 2 * PG, 0, 0);
	P("shared write page 3 (beyond end)", a + 3 * PG, 1, 1);
	P("private read page 2 (beyond end)", pr + 2 * PG, 0, 0);
	R_NOADDR("read into a page beyond the end", read(fd, a + 2 * PG, 10));
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
	R_NOADDR("ftruncate 100 bytes", ftruncate(fd, 100));
	write(go[1], "g", 1);
	wait_child("child");
	P("page 0 byte 99", a + 99, 0, 0);
	P("page 0 byte 100 (zeroed tail)", a + 100, 0, 0);
	P("page 1 after truncate", a + PG + 5, 0, 0);
	P("private page 1 after truncate", pr + PG + 5, 0, 0);
	R_NOADDR("ftruncate 2 pages again", ftruncate(fd, 2 * PG));
	P("page 1 after growing (zero)", a + PG + 5, 0, 0);
	P("write page 1 after growing", a + PG + 5, 1, 9);
	R_NOADDR("pread page 1", pread(fd, &c, 1, PG + 5));
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
	R_NOADDR("msync MS_SYNC", msync(a, 2 * PG, MS_SYNC));
	R_NOADDR("msync MS_ASYNC", msync(a, 2 * PG, MS_ASYNC));
	R_NOADDR("msync MS_INVALIDATE", msync(a, PG, MS_INVALIDATE));
	R_NOADDR("msync MS_SYNC|MS_INVALIDATE", msync(a, PG, MS_SYNC | MS_INVALIDATE));
	R_NOADDR("msync 0 flags", msync(a, PG, 0));
	R_NOADDR("msync partial length", msync(a, 10, MS_SYNC));
	R_NOADDR("msync anonymous", msync(anon, PG, MS_SYNC));
	R_NOADDR("msync len 0", msync(a, 0, MS_SYNC));
	R_NOADDR("msync ASYNC|SYNC", msync(a, PG, MS_ASYNC | MS_SYNC));
	R_NOADDR("msync unknown flag", msync(a, PG, 8));
	R_NOADDR("msync unaligned", msync(a + 1, PG, MS_SYNC));
	R_NOADDR("msync past the mapping", msync(a, 3 * PG, MS_SYNC));
	R_NOADDR("msync unmapped", msync((void *)0x10000000, PG, MS_SYNC));
	R_NOADDR("msync wrapping length", msync(a, -2 * PG, MS_SYNC));
	R_NOADDR("msync huge length rounds to 0", msync(a, -1L, MS_SYNC));
	R_NOADDR("msync unaligned len 0", msync(a + 1, 0, MS_SYNC));
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
	R_NOADDR("mincore shared", mincore(a, 6 * PG, v));
	printf("%-44s : %d %d %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3], v[4], v[5]);
	a[3 * PG] = 1;
	R_NOADDR("mincore after a store to page 3", mincore(a, 4 * PG, v));
	printf("%-44s : %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3]);
	R_NOADDR("mincore private untouched", mincore(pr, 4 * PG, v));
	printf("%-44s : %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3]);
	anon[PG] = 1;
	R_NOADDR("mincore anonymous", mincore(anon, 3 * PG, v));
	printf("%-44s : %d %d %d\n", "vec", v[0], v[1], v[2]);
	R_NOADDR("mincore unaligned", mincore(a + 1, PG, v));
	R_NOADDR("mincore unmapped", mincore((void *)0x10000000, PG, v));
	munmap(anon + 2 * PG, PG);
	R_NOADDR("mincore past the mapping", mincore(anon, 3 * PG, v));
	R_NOADDR("mincore bad vector", mincore(a, PG, (unsigned char *)8));
	R_NOADDR("mincore kernel vector", mincore(a, PG, (unsigned char *)0xffff800000000000UL));
	R_NOADDR("mincore len 0", mincore(a, 0, v));
	R_NOADDR("mincore huge length", mincore(a, -PG, v));
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
	R_NOADDR("MAP_SHARED|MAP_FIXED over anonymous", a == anon + PG ? 0 : -1);
	P("fixed page reads the file (zero)", a, 0, 0);
	strcpy(a, "fixed");
	R_NOADDR("pread", pread(fd, buf, 6, PG));
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
	R_NOADDR("mprotect read-only", mprotect(a, PG, PROT_READ));
	P("store to read-only shared", a, 1, 'x');
	pwrite(fd, "W", 1, PG);
	P("read-only mapping sees pwrite", a, 0, 0);
	R_NOADDR("mprotect read-write", mprotect(a, PG, PROT_READ | PROT_WRITE));
	P("store after mprotect", a + 1, 1, 'Q');
	R_NOADDR("pread", pread(fd, buf, 2, PG));
	printf("%-44s : %c%c\n", "pread", buf[0], buf[1]);
	R_NOADDR("munmap", munmap(anon, 3 * PG));
	rofd = open(path, O_RDONLY);
	a = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, rofd, 0);
	R_NOADDR("mmap read-only file shared", a == MAP_FAILED ? -1 : 1);
	R_NOADDR("mprotect write on a read-only file", mprotect(a, PG, PROT_READ | PROT_WRITE));
	R_NOADDR("mmap shared writable of read-only fd",
	  mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0) == MAP_FAILED ? -1 : 1);
	R_NOADDR("mmap private writable of read-only fd",
	  mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, rofd, 0) == MAP_FAILED ? -1 : 1);
	R_NOADDR("munmap middle page", munmap(a + PG, PG));
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
	R_NOADDR("ftruncate 3 pages", ftruncate(fd, 3 * PG));
	b = mremap(a, PG, 3 * PG, MREMAP_MAYMOVE);
	R_NOADDR("mremap grow", b == MAP_FAILED ? -1 : 1);
	text("first page kept", b);
	strcpy(b + 2 * PG, "grown");
	R_NOADDR("pread new page", pread(fd, buf, 6, 2 * PG));
	text("pread", buf);
	b = mremap(b, 3 * PG, PG, 0);
	R_NOADDR("mremap shrink", b == MAP_FAILED ? -1 : 1);
	text("still the file", b);
	munmap(b, PG);
	munmap(c, PG);
	close(fd);
}

/* The /proc/self/maps line of the mapping at p, without its address and inode
 * number (both differ from Linux's): perms, offset, device, name and the column the
 * name starts at; *ino gets the inode number. */
static void maps_line(const char *name, void *p, unsigned long *ino)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], perms[8], path[256];
	unsigned long lo, hi, off;
	unsigned maj, min;
	int col;

	*ino = 0;
	while (f && fgets(line, sizeof(line), f)) {
		path[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n%255[^\n]", &lo, &hi, perms, &off,
			   &maj, &min, ino, &col, path) < 7 || lo != (unsigned long)p)
			continue;
		printf("%-44s : %s %08lx %02x:%02x ino>0 %d %s at column %d (%lu pages)\n", name,
		       perms, off, maj, min, *ino > 0, path, col, (hi - lo) / PG);
		fclose(f);
		return;
	}
	printf("%-44s : not found\n", name);
	if (f)
		fclose(f);
}

/* A kB figure of this process's status (-1 when missing). */
static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

/* Before any shared mapping: the program's own pages (its text from the root file
 * system, which shares its page cache) are the file's, none of them shmem. */
static void rss_at_start(void)
{
	printf("%-44s : %ld\n", "RssShmem at start, kB", status_kb("RssShmem"));
}

/* The resident-memory counters while 100 pages of shared anonymous memory are
 * touched (Linux 6.1 syncs its counters every 64 faults: bounds, not values). */
static void rss_counters(void)
{
	char *m = mmap(NULL, 100 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long shmem0 = status_kb("RssShmem"), shmem, sum;

	for (int i = 0; i < 100; i++)
		m[i * PG] = 1;
	shmem = status_kb("RssShmem");
	sum = status_kb("RssAnon") + status_kb("RssFile") + shmem;
	printf("%-44s : %d\n", "RssShmem grew by 100..400 kB", shmem - shmem0 >= 100 &&
	       shmem - shmem0 <= 400);
	printf("%-44s : %d\n", "VmRSS is RssAnon + RssFile + RssShmem", sum == status_kb("VmRSS"));
	munmap(m, 100 * PG);
	printf("%-44s : %d\n", "RssShmem after munmap below", status_kb("RssShmem") < shmem);
}

/* Runs fn(arg) in a child and waits for it. */
static void in_child(const char *name, void (*fn)(char *), char *arg)
{
	fflush(stdout);
	if (fork() == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	wait_child(name);
}

static void child_touch_page1(char *m)
{
	P("child reads page 0 (parent's store)", m + 5, 0, 0);
	strcpy(m + PG, "child's first touch");
	P("child reads page 2 (untouched, zero)", m + 2 * PG, 0, 0);
}

static void child_sees_page2(char *m)
{
	text("child sees parent's first touch", m + 2 * PG);
	strcpy(m + 3 * PG, "child again");
}

static void child_unmaps(char *m)
{
	R_NOADDR("child munmap", munmap(m, 4 * PG));
	P("child page 0 after munmap", m, 0, 0);
}

static void child_mremap(char *m)
{
	unsigned long ino;
	char *g = mremap(m, 2 * PG, 5 * PG, MREMAP_MAYMOVE);

	R_NOADDR("child mremap grow", g == MAP_FAILED ? -1 : 1);
	maps_line("child maps after mremap grow", g, &ino);
	strcpy(g + PG + 8, "moved child");
	P("child touches grown page 3 (past the file)", g + 3 * PG, 1, 1);
}

/* Shared anonymous memory (and shared /dev/zero) is one shmem object: pages first
 * touched after fork, by either process, are shared; several children; mremap;
 * munmap in one process; the maps line. */
static void shared_anon(void)
{
	char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *z, *g;
	unsigned long ino, ino2;
	unsigned char v[4];
	int fd;

	printf("-- shared anonymous memory\n");
	maps_line("maps of shared anonymous", m, &ino);
	strcpy(m + 5, "parent");
	in_child("child touching page 1", child_touch_page1, m);
	text("parent sees child's first touch", m + PG);
	R_NOADDR("mincore", mincore(m, 4 * PG, v));
	printf("%-44s : %d %d %d %d\n", "vec", v[0], v[1], v[2], v[3]);
	strcpy(m + 2 * PG, "parent's first touch");
	in_child("child reading page 2", child_sees_page2, m);
	text("parent sees page 3", m + 3 * PG);
	for (int i = 0; i < 3; i++) {
		fflush(stdout);
		if (fork() == 0) {
			m[3 * PG + 100 + i] = 'a' + i;
			_exit(0);
		}
	}
	for (int i = 0; i < 3; i++)
		wait(NULL);
	printf("%-44s : %.3s\n", "three children's stores", m + 3 * PG + 100);
	in_child("child unmapping", child_unmaps, m);
	text("parent still has page 1", m + PG);
	R_NOADDR("munmap page 1", munmap(m + PG, PG));
	maps_line("maps after munmap of page 1", m, &ino2);
	printf("%-44s : %d\n", "same inode after split", ino == ino2);
	munmap(m, 4 * PG);

	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	in_child("child growing by mremap", child_mremap, m);
	text("parent sees the moved child's store", m + PG + 8);
	g = mremap(m, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	R_NOADDR("mremap grow", g == MAP_FAILED ? -1 : 1);
	P("grown page 2 (past the file)", g + 2 * PG, 0, 0);
	g = mremap(g, 4 * PG, PG, 0);
	R_NOADDR("mremap shrink", g == MAP_FAILED ? -1 : 1);
	g = mremap(g, PG, 2 * PG, MREMAP_MAYMOVE);
	text("grown again: page 1 kept", g + PG + 8);
	munmap(g, 2 * PG);

	fd = open("/dev/zero", O_RDWR);
	z = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	maps_line("maps of shared /dev/zero", z, &ino);
	in_child("child touching /dev/zero page 1", child_touch_page1, z);
	text("parent sees it", z + PG);
	munmap(z, 4 * PG);
	z = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PG);
	maps_line("maps of /dev/zero at offset 2 pages", z, &ino);
	P("touch it", z, 1, 1);
	munmap(z, 2 * PG);
	z = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	P("private /dev/zero", z, 1, 1);
	munmap(z, 2 * PG);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	R_NOADDR("shared writable /dev/zero from O_RDONLY",
	  mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 1);
	z = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	R_NOADDR("shared read-only /dev/zero from O_RDONLY", z == MAP_FAILED ? -1 : 1);
	R_NOADDR("mprotect it writable", mprotect(z, PG, PROT_READ | PROT_WRITE));
	munmap(z, PG);
	close(fd);
	R_NOADDR("shared anonymous len 0",
	  mmap(NULL, 0, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 1);
	R_NOADDR("shared anonymous huge len",
	  mmap(NULL, -PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 1);
	R_NOADDR("shared anonymous MAP_GROWSDOWN",
	  mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0) ==
	  MAP_FAILED ? -1 : 1);
	R_NOADDR("shared anonymous unaligned offset",
	  mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 1) == MAP_FAILED ? -1 : 1);
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 5 * PG);
	maps_line("maps of shared anonymous at offset 5 pages", m, &ino);
	munmap(m, PG);
	rss_counters();
}


static long futex(uint32_t *w, int op, uint32_t val, long timeout_ms, uint32_t *w2,
		  uint32_t val3)
{
	struct timespec ts = { timeout_ms / 1000, timeout_ms % 1000 * 1000000 };

	return syscall(SYS_futex, w, op, val, timeout_ms ? (void *)&ts : NULL, w2, val3);
}

/* The futex calls that take a second count (val2) where the timeout goes. */
static long futex2(uint32_t *w, int op, uint32_t val, unsigned long val2, uint32_t *w2,
		   uint32_t val3)
{
	return syscall(SYS_futex, w, op, val, (void *)val2, w2, val3);
}

/* Exits with 0 when FUTEX_WAIT on w (for val) was woken, else 10 + its errno. */
static void wait_and_exit(uint32_t *w, int op, uint32_t val, long timeout_ms)
{
	_exit(futex(w, op, val, timeout_ms, NULL, 0) == 0 ? 0 : 10 + errno);
}

/* A child that sleeps in FUTEX_WAIT (op) on w for val, at most timeout_ms. */
static pid_t spawn_waiter(uint32_t *w, int op, uint32_t val, long timeout_ms)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		wait_and_exit(w, op, val, timeout_ms);
	return pid;
}

/* Waits until pid sleeps (state S): the waiters sleep only in FUTEX_WAIT. */
static void wait_sleeping(pid_t pid)
{
	char path[64], buf[512], *s;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 30000; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		close(fd);
		buf[n > 0 ? n : 0] = 0;
		s = strrchr(buf, ')');
		if (s && s[1] && s[2] == 'S')
			return;
		usleep(1000);
	}
}

/* A process-shared mutex, condition variable and turn in shared memory. */
struct pingpong {
	pthread_mutex_t m;
	pthread_cond_t c;
	int turn, count;
};

static void pingpong_init(struct pingpong *pp)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&pp->m, &ma);
	pthread_cond_init(&pp->c, &ca);
	pp->turn = pp->count = 0;
}

/* Takes `rounds` turns as player me (0 or 1) against the other process; 0 or the
 * error of a wait that timed out (10 s). */
static int pingpong_play(struct pingpong *pp, int me, int rounds)
{
	int err = 0;

	for (int i = 0; i < rounds && !err; i++) {
		struct timespec dl;

		clock_gettime(CLOCK_MONOTONIC, &dl);
		dl.tv_sec += 10;
		pthread_mutex_lock(&pp->m);
		while (pp->turn != me && !err)
			err = pthread_cond_timedwait(&pp->c, &pp->m, &dl);
		if (!err) {
			pp->count++;
			pp->turn = !me;
			pthread_cond_broadcast(&pp->c);
		}
		pthread_mutex_unlock(&pp->m);
	}
	return err;
}

/* Futexes in shared anonymous memory, shared by fork: the private flag, a private
 * mapping, REQUEUE, CMP_REQUEUE, WAKE_OP, pthread objects, bad addresses. */
static void futex_fork(void)
{
	uint32_t *w = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *none = mmap(NULL, PG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct pingpong *pp = (struct pingpong *)(w + PG / 4);
	uint32_t *late;
	pid_t a, b;

	printf("-- futexes in shared anonymous memory across fork\n");
	w[0] = w[1] = priv[0] = 0;
	a = spawn_waiter(w, FUTEX_WAIT, 0, 20000);
	wait_sleeping(a);
	R("FUTEX_WAKE_PRIVATE of the child's futex", futex(w, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
	R("FUTEX_WAKE of the child's futex", futex(w, FUTEX_WAKE, 1, 0, NULL, 0));
	wait_child("waiter");
	a = spawn_waiter(w, FUTEX_WAIT_PRIVATE, 0, 300);
	wait_sleeping(a);
	R("FUTEX_WAKE of a FUTEX_WAIT_PRIVATE", futex(w, FUTEX_WAKE, 1, 0, NULL, 0));
	R("FUTEX_WAKE_PRIVATE of it", futex(w, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
	wait_child("private waiter (timed out: 120)");
	a = spawn_waiter(priv, FUTEX_WAIT, 0, 300);
	wait_sleeping(a);
	R("FUTEX_WAKE in a private mapping", futex(priv, FUTEX_WAKE, 1, 0, NULL, 0));
	wait_child("waiter in its copy (timed out: 120)");

	a = spawn_waiter(w, FUTEX_WAIT, 0, 20000);
	b = spawn_waiter(w, FUTEX_WAIT, 0, 20000);
	wait_sleeping(a);
	wait_sleeping(b);
	R("FUTEX_CMP_REQUEUE, value changed", futex2(w, FUTEX_CMP_REQUEUE, 0, 1, w + 1, 5));
	R("FUTEX_REQUEUE one to the 2nd word", futex2(w, FUTEX_REQUEUE, 0, 1, w + 1, 0));
	R("FUTEX_CMP_REQUEUE wake 1, move 1", futex2(w, FUTEX_CMP_REQUEUE, 1, 1, w + 1, 0));
	R("FUTEX_WAKE the 2nd word", futex(w + 1, FUTEX_WAKE, 10, 0, NULL, 0));
	wait_child("requeued waiter");
	wait_child("requeued waiter");

	a = spawn_waiter(w, FUTEX_WAIT, 0, 20000);
	b = spawn_waiter(w + 1, FUTEX_WAIT, 0, 20000);
	wait_sleeping(a);
	wait_sleeping(b);
	R("FUTEX_WAKE_OP set 7, old == 0", futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
						  FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 0)));
	printf("%-44s = %u\n", "  second word", w[1]);
	wait_child("waiter on the first word");
	wait_child("waiter on the second word");
	b = spawn_waiter(w + 1, FUTEX_WAIT, 7, 20000);
	wait_sleeping(b);
	R("FUTEX_WAKE_OP add 1, old == 0 fails", futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
						       FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
	printf("%-44s = %u\n", "  second word", w[1]);
	R("FUTEX_WAKE_OP xor 8, old > 7 wakes", futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1,
						      FUTEX_OP(FUTEX_OP_XOR, 8, FUTEX_OP_CMP_GT, 7)));
	printf("%-44s = %u\n", "  second word", w[1]);
	wait_child("waiter on the second word");

	late = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	a = spawn_waiter(late + 9, FUTEX_WAIT, 0, 20000);
	wait_sleeping(a);
	R("FUTEX_WAKE on a page first touched after fork", futex(late + 9, FUTEX_WAKE, 1, 0, NULL, 0));
	wait_child("waiter on it");
	munmap(late, PG);

	pingpong_init(pp);
	fflush(stdout);
	a = fork();
	if (a == 0)
		_exit(pingpong_play(pp, 1, 1000));
	R("pthread pingpong, parent", pingpong_play(pp, 0, 1000));
	wait_child("pthread pingpong, child");
	printf("%-44s = %d\n", "  turns taken", pp->count);

	munmap(priv, PG);
	R("FUTEX_WAKE unmapped", futex(priv, FUTEX_WAKE, 1, 0, NULL, 0));
	R("FUTEX_WAKE_PRIVATE unmapped", futex(priv, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
	R("FUTEX_WAIT unmapped", futex(priv, FUTEX_WAIT, 0, 10, NULL, 0));
	R("FUTEX_WAKE PROT_NONE", futex(none, FUTEX_WAKE, 1, 0, NULL, 0));
	R("FUTEX_WAKE_PRIVATE PROT_NONE", futex(none, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
	R("FUTEX_WAIT PROT_NONE", futex(none, FUTEX_WAIT, 0, 10, NULL, 0));
	R("FUTEX_REQUEUE to PROT_NONE", futex2(w, FUTEX_REQUEUE, 0, 1, none, 0));
	R("FUTEX_WAKE_OP on PROT_NONE", futex2(w, FUTEX_WAKE_OP, 1, 1, none, 0));
	R("FUTEX_WAKE_OP bad op", futex2(w, FUTEX_WAKE_OP, 1, 1, w + 1, 7u << 28));
	munmap(w, 2 * PG);
	munmap(none, PG);
}

/* The peer process of futex_unrelated: maps the file itself, waits on the futex at
 * PG + 64, then plays pingpong as player 1. */
static int futex_peer(const char *path)
{
	char *m = map_file(path, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);
	uint32_t *w = (uint32_t *)(m + PG + 64);

	if (m == MAP_FAILED)
		return 1;
	if (futex(w, FUTEX_WAIT, 0, 20000, NULL, 0))
		return 10 + errno;
	return pingpong_play((struct pingpong *)m, 1, 1000);
}

/* Futexes in a /dev/shm file mapped by an unrelated process (a fresh exec). */
static void futex_unrelated(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *m;
	pid_t pid;

	printf("-- futexes in %s mapped by an unrelated process\n", path);
	ftruncate(fd, 2 * PG);
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	pingpong_init((struct pingpong *)m);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "shmap", "--futex-peer", path, (char *)NULL);
		_exit(127);
	}
	wait_sleeping(pid);
	R("FUTEX_WAKE_PRIVATE of the peer's futex", futex((uint32_t *)(m + PG + 64), FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
	R("FUTEX_WAKE of the peer's futex", futex((uint32_t *)(m + PG + 64), FUTEX_WAKE, 1, 0, NULL, 0));
	R("pthread pingpong with the peer", pingpong_play((struct pingpong *)m, 0, 1000));
	wait_child("peer");
	printf("%-44s = %d\n", "  turns taken", ((struct pingpong *)m)->count);
	munmap(m, 2 * PG);
	unlink(path);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	char path[256];

	if (argc == 3 && !strcmp(argv[1], "--futex-peer"))
		return futex_peer(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: shmap DIR | --futex-peer FILE\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	rss_at_start();
	separate_maps("/dev/shm/shmap-test");
	snprintf(path, sizeof(path), "%s/shmap-file", argv[1]);
	separate_maps(path);
	truncation("/dev/shm/shmap-test");
	truncation(path);
	msync_checks(path);
	mincore_checks(path);
	fixed_fork_protect(path);
	pool_resize("/dev/shm/shmap-test");
	shared_anon();
	unlink("/dev/shm/shmap-test");
	unlink(path);
	futex_fork();
	futex_unrelated("/dev/shm/shmap-futex");
	return 0;
}
