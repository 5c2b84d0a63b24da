/*
 * mm: the memory system calls against Linux: anonymous private and shared mappings
 * across fork, munmap/mmap argument errors, mprotect and the faults it causes,
 * madvise(DONTNEED), mincore, mremap growing and shrinking, msync, file mappings,
 * brk, a deep stack, and faults on NULL and kernel addresses.
 *
 * Prints one line per check. A call's result is shown as -1 (with the errno name),
 * 0, or 1 for any other success (an address), so no address ever reaches the output;
 * a fault is shown as its SIGSEGV si_code (1 SEGV_MAPERR, 2 SEGV_ACCERR).
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_WIDTH 40
#include "check.h"

#define PG 4096L

static sigjmp_buf jb;
static volatile int probing;

/* SIGSEGV handler: jump back into probe() with the si_code; a fault anywhere else
 * ends the test with status 99. */
static void on_segv(int s, siginfo_t *si, void *c)
{
	(void)s;
	(void)c;
	if (!probing) {
		static const char msg[] = "unexpected SIGSEGV\n";

		write(1, msg, sizeof(msg) - 1);
		_exit(99);
	}
	siglongjmp(jb, si->si_code);
}

/* Read or write one byte at p; returns 0, or the si_code of the SIGSEGV it caused. */
static int probe(volatile char *p, int write)
{
	int code = sigsetjmp(jb, 1);

	if (code) {
		probing = 0;
		return code;
	}
	probing = 1;
	if (write)
		*p = 1;
	else
		(void)*p;
	probing = 0;
	return 0;
}

/* Recurse n frames of 4 KiB each, growing the stack by demand. */
static int depth(int n)
{
	volatile char buf[4096];

	buf[0] = n;
	return n ? depth(n - 1) + buf[0] : 0;
}

/* Private and shared anonymous memory across fork; argument errors of mmap/munmap. */
static char *check_anon(void)
{
	char *a = mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t p;

	printf("anon zero: %d\n", a[0] == 0 && a[3 * PG - 1] == 0);
	strcpy(a, "parent");
	strcpy(s, "shared0");
	p = fork();
	if (!p) {
		strcpy(a, "child");
		strcpy(s, "shared1");
		_exit(0);
	}
	waitpid(p, 0, 0);
	printf("after fork: private=%s shared=%s\n", a, s);
	R_NOADDR("munmap unaligned", munmap(a + 1, PG));
	R_NOADDR("munmap len 0", munmap(a, 0));
	R_NOADDR("mmap len 0", mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	R_NOADDR("mmap off unaligned", mmap(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1));
	R_NOADDR("mmap no type", mmap(0, PG, PROT_READ, MAP_ANONYMOUS, -1, 0));
	R_NOADDR("mmap badf", mmap(0, PG, PROT_READ, MAP_PRIVATE, 99, 0));
	R_NOADDR("mmap huge", mmap(0, 1UL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	R_NOADDR("mmap fixed noreplace", mmap(a, PG, PROT_READ,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	R_NOADDR("mmap fixed unaligned", mmap(a + 1, PG, PROT_READ,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	return a;
}

/* mprotect of the middle page of a (3 pages): the faults it causes, its errors, and a
 * read(2) into a read-only page (EFAULT). */
static void check_mprotect(char *a)
{
	R_NOADDR("mprotect middle ro", mprotect(a + PG, PG, PROT_READ));
	printf("write ro: code %d\n", probe(a + PG, 1));
	printf("read ro: code %d\n", probe(a + PG, 0));
	R_NOADDR("mprotect none", mprotect(a + PG, PG, PROT_NONE));
	printf("read none: code %d\n", probe(a + PG, 0));
	R_NOADDR("mprotect unmapped", mprotect(a + 3 * PG, PG * 100000, PROT_READ));
	R_NOADDR("mprotect bad prot", mprotect(a, PG, 0x100));
	R_NOADDR("read() into ro page", read(open("/bin/busybox", O_RDONLY), a + PG, 10));
	mprotect(a + PG, PG, PROT_READ | PROT_WRITE);
	printf("restored: %d\n", probe(a + PG, 1));
}

/* madvise(DONTNEED) zeroes, mincore residency, mremap grow/shrink, msync; returns the
 * (moved) mapping's one remaining page. */
static void check_madvise_mremap(char *a)
{
	unsigned char vec[4];
	char *b;

	strcpy(a + 2 * PG, "dirty");
	R_NOADDR("madvise dontneed", madvise(a, 3 * PG, MADV_DONTNEED));
	printf("after dontneed: [%s] [%s]\n", a, a + 2 * PG);
	R_NOADDR("madvise bad", madvise(a, PG, 999));
	R_NOADDR("madvise unaligned", madvise(a + 1, PG, MADV_NORMAL));
	a[0] = 1;
	R_NOADDR("mincore", mincore(a, 3 * PG, vec));
	printf("mincore vec %d %d %d\n", vec[0], vec[1], vec[2]);
	R_NOADDR("mincore unmapped", mincore(0, PG, vec));
	strcpy(a, "moved");
	b = mremap(a, 3 * PG, 300 * PG, MREMAP_MAYMOVE);
	printf("mremap grow: %s %s\n", b == MAP_FAILED ? "failed" : "ok", b != MAP_FAILED ? b : "");
	b[299 * PG] = 1;
	R_NOADDR("mremap no move blocked", mremap(b, 300 * PG, 400 * PG, 0) == MAP_FAILED ? -1 : 0);
	b = mremap(b, 300 * PG, PG, 0);
	printf("mremap shrink: %s\n", b);
	R_NOADDR("msync", msync(b, PG, MS_SYNC));
	R_NOADDR("msync bad flags", msync(b, PG, MS_SYNC | MS_ASYNC));
	R_NOADDR("msync unmapped", msync((void *)0x10000, PG, MS_SYNC));
}

/* Private file mappings (read, and a written copy-on-write page); MAP_SHARED writable
 * on a read-only fd and any map of a write-only fd fail with EACCES. */
static void check_file_maps(void)
{
	int fd = open("/bin/busybox", O_RDONLY);
	int wfd = open("/tmp/mm-w", O_WRONLY | O_CREAT, 0644);
	char *f = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	char *f2 = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);

	printf("file map: %.3s\n", f + 1);
	f2[0] = 'X';
	printf("private write: %c, file map still %.3s\n", f2[0], f + 1);
	R_NOADDR("mmap shared write ro file", mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	R_NOADDR("mmap write-only file", mmap(0, 8192, PROT_READ, MAP_PRIVATE, wfd, 0));
	close(wfd);
	close(fd);
	unlink("/tmp/mm-w");
}

/* brk below the start is refused (returns the current break), grows, shrinks, and the
 * freed part faults; a deep stack; NULL and kernel addresses fault. */
static void check_brk_stack(void)
{
	char *cur = sbrk(0);

	R_NOADDR("brk below start", syscall(SYS_brk, 0x1000) == (long)cur ? 0 : 1);
	R_NOADDR("brk grow", syscall(SYS_brk, cur + 100000) == (long)(cur + 100000) ? 0 : 1);
	cur[99999] = 1;
	R_NOADDR("brk shrink", syscall(SYS_brk, cur + 10) == (long)(cur + 10) ? 0 : 1);
	printf("past brk: code %d\n", probe(cur + 8192, 1));
	printf("deep stack: %d\n", depth(1000) >= 0);
	printf("null: code %d\n", probe((char *)0, 0));
	printf("kernel: code %d\n", probe((char *)0xffff800000000000UL, 0));
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	char *a;

	sigaction(SIGSEGV, &sa, 0);
	setvbuf(stdout, 0, _IONBF, 0);
	a = check_anon();
	check_mprotect(a);
	check_madvise_mremap(a);
	check_file_maps();
	check_brk_stack();
	return 0;
}
