/*
 * memfd: memfd_create and file sealing against Linux: flags and names (bad flags,
 * bad pointers, the longest name), the file it gives (mode, links, size, /proc
 * name, close-on-exec), every seal against ftruncate, write, pwrite, fallocate and
 * mmap, F_ADD_SEALS/F_GET_SEALS errors, seals of other files, MAP_SHARED
 * mappings of one memfd seeing each other, write() and a forked child's writes,
 * and F_SEAL_WRITE against writable shared mappings (EBUSY while one exists, kept
 * right across munmap, mremap, MAP_FIXED, fork and exit; EPERM and EACCES after).
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void test_create(void)
{
	char name[300];
	struct stat st;
	int fd;

	R("memfd_create flags 0x100", memfd_create("x", 0x100));
	R("memfd_create flags -1", memfd_create("x", -1));
	R("memfd_create hugetlb with bad bits", memfd_create("x", MFD_HUGETLB | 0x100));
	R("memfd_create NULL name", memfd_create(NULL, 0));
	R("memfd_create bad name", memfd_create(BAD, 0));
	R("memfd_create bad flags, bad name", memfd_create(BAD, 0x100));
	memset(name, 'n', sizeof(name));
	name[249] = 0;
	fd = memfd_create(name, 0);
	R("memfd_create 249-byte name", fd >= 0);
	close(fd);
	name[249] = 'n';
	name[250] = 0;
	R("memfd_create 250-byte name", memfd_create(name, 0));
	fd = memfd_create("", 0);
	R("memfd_create empty name", fd >= 0);
	show_fd_link("empty name link", fd);
	close(fd);

	fd = memfd_create("plain", 0);
	R("plain: FD_CLOEXEC", fcntl(fd, F_GETFD));
	R("plain: access mode", fcntl(fd, F_GETFL) & O_ACCMODE);
	R("plain: fstat", fstat(fd, &st));
	printf("%-44s = %o %lu %ld\n", "plain: mode links size", st.st_mode, (unsigned long)st.st_nlink,
	       (long)st.st_size);
	show_fd_link("plain: /proc/self/fd link", fd);
	R("plain: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	R("plain: F_ADD_SEALS shrink", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("plain: write", write(fd, "hello", 5));
	R("plain: ftruncate 8192", ftruncate(fd, 8192));
	R("plain: lseek end", lseek(fd, 0, SEEK_END));
	R("plain: ftruncate 1", ftruncate(fd, 1));
	R("plain: pread", pread(fd, name, 10, 0));
	close(fd);
	fd = memfd_create("cloexec", MFD_CLOEXEC);
	R("cloexec: FD_CLOEXEC", fcntl(fd, F_GETFD));
	close(fd);
}

static void test_seals(void)
{
	int fd = memfd_create("sealed", MFD_ALLOW_SEALING), p[2], sfd, e;
	char buf[16] = { 0 };
	void *m;

	R("sealing: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	R("F_ADD_SEALS 0x40", fcntl(fd, F_ADD_SEALS, 0x40));
	R("F_ADD_SEALS 1<<32", fcntl(fd, F_ADD_SEALS, 1UL << 32));
	R("F_ADD_SEALS 0", fcntl(fd, F_ADD_SEALS, 0));
	R("ftruncate 4096", ftruncate(fd, 4096));
	R("F_ADD_SEALS shrink", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	R("ftruncate smaller: shrink seal", ftruncate(fd, 100));
	R("ftruncate same size", ftruncate(fd, 4096));
	R("ftruncate larger", ftruncate(fd, 8192));
	R("F_ADD_SEALS grow", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	R("ftruncate larger: grow seal", ftruncate(fd, 12288));
	R("fallocate past the end: grow seal", fallocate(fd, 0, 8000, 1000));
	R("fallocate within", fallocate(fd, 0, 0, 4096));
	R("pwrite within", pwrite(fd, "abc", 3, 100));
	R("pwrite across the end", pwrite(fd, "abcdef", 6, 8190));
	R("pwrite past the end", pwrite(fd, "abc", 3, 9000));
	R("lseek end still 8192", lseek(fd, 0, SEEK_END));
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("mmap shared writable before the write seal", m != MAP_FAILED);
	munmap(m, 8192);
	R("F_ADD_SEALS write", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("write: write seal", write(fd, "x", 1));
	R("pwrite: write seal", pwrite(fd, "x", 1, 0));
	R("pread still works", pread(fd, buf, 3, 100));
	printf("%-44s = %.3s\n", "pread data", buf);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = errno;
	R("mmap shared writable: write seal", m == MAP_FAILED ? (errno = e, -1) : 0);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	R("mmap shared read-only", m != MAP_FAILED);
	R("it reads the data", m != MAP_FAILED && !memcmp((char *)m + 100, "abc", 3));
	munmap(m, 4096);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	R("mmap private writable", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		memcpy(m, "priv", 4);
		R("private write stays private", pread(fd, buf, 4, 0) == 4 && memcmp(buf, "priv", 4));
		munmap(m, 4096);
	}
	R("F_ADD_SEALS seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	R("F_ADD_SEALS after seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("F_ADD_SEALS 0 after seal", fcntl(fd, F_ADD_SEALS, 0));
	R("F_GET_SEALS all", fcntl(fd, F_GET_SEALS));
	close(fd);

	fd = memfd_create("future", MFD_ALLOW_SEALING);
	ftruncate(fd, 4096);
	R("F_ADD_SEALS future_write", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	R("write: future_write seal", write(fd, "x", 1));
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = errno;
	R("mmap shared writable: future_write", m == MAP_FAILED ? (errno = e, -1) : 0);
	R("ftruncate under future_write", ftruncate(fd, 100));
	close(fd);

	R("F_GET_SEALS bad fd", fcntl(99, F_GET_SEALS));
	R("F_ADD_SEALS bad fd", fcntl(99, F_ADD_SEALS, F_SEAL_SEAL));
	pipe(p);
	R("F_GET_SEALS pipe", fcntl(p[0], F_GET_SEALS));
	R("F_ADD_SEALS pipe read end", fcntl(p[0], F_ADD_SEALS, F_SEAL_SEAL));
	R("F_ADD_SEALS pipe write end", fcntl(p[1], F_ADD_SEALS, F_SEAL_SEAL));
	close(p[0]);
	close(p[1]);
	sfd = open("/dev/shm/memfd-test", O_RDWR | O_CREAT | O_TRUNC, 0600);
	R("F_GET_SEALS /dev/shm file", fcntl(sfd, F_GET_SEALS));
	R("F_ADD_SEALS /dev/shm file", fcntl(sfd, F_ADD_SEALS, F_SEAL_SHRINK));
	close(sfd);
	sfd = open("/dev/shm/memfd-test", O_RDONLY);
	R("F_ADD_SEALS read-only /dev/shm file", fcntl(sfd, F_ADD_SEALS, F_SEAL_SHRINK));
	R("F_ADD_SEALS read-only, bad seals", fcntl(sfd, F_ADD_SEALS, 0x40));
	close(sfd);
	unlink("/dev/shm/memfd-test");
	sfd = open("/proc/self/status", O_RDONLY);
	R("F_GET_SEALS /proc file", fcntl(sfd, F_GET_SEALS));
	close(sfd);
}

static void test_shared(void)
{
	int fd = memfd_create("shared", MFD_CLOEXEC | MFD_ALLOW_SEALING), st;
	char *a, *b, buf[8] = { 0 };
	pid_t pid;

	ftruncate(fd, 3 * 4096);
	a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("two shared mappings", a != MAP_FAILED && b != MAP_FAILED && a != b);
	strcpy(a + 4096 + 10, "one");
	R("the other mapping sees a write", !strcmp(b + 4096 + 10, "one"));
	R("pread sees it", pread(fd, buf, 4, 4096 + 10));
	printf("%-44s = %s\n", "pread data", buf);
	pwrite(fd, "two", 4, 2 * 4096 + 5);
	R("a mapping sees pwrite", !strcmp(a + 2 * 4096 + 5, "two"));
	pid = fork();
	if (pid == 0) {
		int cfd = dup(fd);
		char *c = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		strcpy(c + 1, "child");
		_exit(c == MAP_FAILED);
	}
	waitpid(pid, &st, 0);
	R("child exited 0", WIFEXITED(st) && !WEXITSTATUS(st));
	R("the child's own mapping wrote the file", !strcmp(a + 1, "child") && !strcmp(b + 1, "child"));
	R("ftruncate grows", ftruncate(fd, 4 * 4096));
	R("munmap", munmap(a, 3 * 4096));
	R("the other mapping still works", !strcmp(b + 1, "child"));
	munmap(b, 3 * 4096);
	close(fd);
}

/* A sealable memfd of n pages. */
static int seal_memfd(const char *name, int pages)
{
	int fd = memfd_create(name, MFD_ALLOW_SEALING);

	ftruncate(fd, pages * 4096);
	return fd;
}

#define RW (PROT_READ | PROT_WRITE)
#define ADD_WRITE_SEAL(fd) fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE)
#define MAPOK(m) ((m) != MAP_FAILED)

/* 0 for a mapping made (and unmaps its first page), -1 with mmap's errno. */
static long map_try(void *m)
{
	if (m == MAP_FAILED)
		return -1;
	munmap(m, 4096);
	return 0;
}

/* F_SEAL_WRITE against the shared mappings that may write the file, counted across
 * munmap of a part, mremap, MAP_FIXED replacement, mprotect, fork and exit. */
static void test_seal_mapped(void)
{
	int fd = seal_memfd("mapped", 4), p[2], st;
	char *m, *n, *q, c;
	pid_t pid;

	m = mmap(NULL, 4 * 4096, RW, MAP_SHARED, fd, 0);
	R("mapped: write seal, writable shared map", ADD_WRITE_SEAL(fd));
	R("mapped: seals unchanged", fcntl(fd, F_GET_SEALS));
	R("mapped: munmap the second page", munmap(m + 4096, 4096));
	R("mapped: write seal, split mapping", ADD_WRITE_SEAL(fd));
	R("mapped: munmap the first page", munmap(m, 4096));
	R("mapped: write seal, last two pages", ADD_WRITE_SEAL(fd));
	n = mremap(m + 2 * 4096, 2 * 4096, 3 * 4096, MREMAP_MAYMOVE);
	R("mapped: mremap grow", MAPOK(n));
	q = mmap(NULL, 8 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	n = mremap(n, 3 * 4096, 3 * 4096, MREMAP_MAYMOVE | MREMAP_FIXED, q + 4096);
	R("mapped: mremap move", n == q + 4096);
	R("mapped: write seal, moved mapping", ADD_WRITE_SEAL(fd));
	R("mapped: mprotect read-only", mprotect(n, 3 * 4096, PROT_READ));
	R("mapped: write seal, read-only shared map", ADD_WRITE_SEAL(fd));
	m = mmap(n, 3 * 4096, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	R("mapped: MAP_FIXED private over it", m == n);
	R("mapped: write seal, private map only", fcntl(fd, F_GET_SEALS));
	munmap(q, 8 * 4096);
	close(fd);

	fd = seal_memfd("readonly", 1);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	R("readonly: write seal, PROT_READ shared map", ADD_WRITE_SEAL(fd));
	munmap(m, 4096);
	n = mmap(NULL, 4096, RW, MAP_PRIVATE, fd, 0);
	R("readonly: private writable map", MAPOK(n));
	R("readonly: write seal, private map", ADD_WRITE_SEAL(fd));
	munmap(n, 4096);
	close(fd);

	fd = seal_memfd("forked", 2);
	m = mmap(NULL, 2 * 4096, RW, MAP_SHARED, fd, 0);
	pipe(p);
	pid = fork();
	if (pid == 0) {
		read(p[0], &c, 1);
		m[0] = 'c';
		_exit(0);
	}
	R("forked: parent munmap", munmap(m, 2 * 4096));
	R("forked: write seal, the child maps it", ADD_WRITE_SEAL(fd));
	write(p[1], "x", 1);
	waitpid(pid, &st, 0);
	R("forked: child exited 0", WIFEXITED(st) && !WEXITSTATUS(st));
	R("forked: write seal after the child exit", ADD_WRITE_SEAL(fd));
	R("forked: seals", fcntl(fd, F_GET_SEALS));
	R("forked: pread the child's write", pread(fd, &c, 1, 0) == 1 && c == 'c');
	R("forked: write seal again", ADD_WRITE_SEAL(fd));
	close(p[0]);
	close(p[1]);

	R("sealed: mmap shared writable", map_try(mmap(NULL, 4096, RW, MAP_SHARED, fd, 0)));
	R("sealed: mmap shared PROT_WRITE",
	  map_try(mmap(NULL, 4096, PROT_WRITE, MAP_SHARED, fd, 0)));
	m = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	R("sealed: mmap shared read-only", MAPOK(m));
	R("sealed: mprotect PROT_WRITE", mprotect(m, 4096, RW));
	R("sealed: mprotect PROT_WRITE, 2nd page", mprotect(m + 4096, 4096, PROT_WRITE));
	R("sealed: mprotect PROT_NONE", mprotect(m, 4096, PROT_NONE));
	R("sealed: mprotect PROT_READ again", mprotect(m, 4096, PROT_READ));
	R("sealed: the child's byte", m[0] == 'c');
	n = mremap(m, 2 * 4096, 6 * 4096, MREMAP_MAYMOVE);
	R("sealed: mremap the read-only map", MAPOK(n));
	R("sealed: mprotect the moved map writable", mprotect(n, 4096, RW));
	pid = fork();
	if (pid == 0)
		_exit(mprotect(n, 4096, RW) == -1 && errno == EACCES ? 0 : 1);
	waitpid(pid, &st, 0);
	R("sealed: mprotect in a child is EACCES", WIFEXITED(st) && !WEXITSTATUS(st));
	munmap(n, 6 * 4096);
	m = mmap(NULL, 4096, RW, MAP_PRIVATE, fd, 0);
	R("sealed: mmap private writable", MAPOK(m));
	R("sealed: mprotect private PROT_NONE", mprotect(m, 4096, PROT_NONE));
	R("sealed: mprotect private writable", mprotect(m, 4096, RW));
	munmap(m, 4096);
	close(fd);

	fd = seal_memfd("future2", 1);
	m = mmap(NULL, 4096, RW, MAP_SHARED, fd, 0);
	R("future: add future_write with a writable map", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	m[5] = 'w';
	R("future: the old map still writes", pread(fd, &c, 1, 5) == 1 && c == 'w');
	R("future: mmap shared writable", map_try(mmap(NULL, 4096, RW, MAP_SHARED, fd, 0)));
	n = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	R("future: mmap shared read-only", MAPOK(n));
	R("future: mprotect it writable", mprotect(n, 4096, RW));
	R("future: write seal with the old map", ADD_WRITE_SEAL(fd));
	R("future: munmap the old map", munmap(m, 4096));
	R("future: write seal with the read-only map", ADD_WRITE_SEAL(fd));
	R("future: seals", fcntl(fd, F_GET_SEALS));
	munmap(n, 4096);
	close(fd);

	fd = seal_memfd("exit", 1);
	pid = fork();
	if (pid == 0) {
		m = mmap(NULL, 4096, RW, MAP_SHARED, fd, 0);
		_exit(!MAPOK(m));
	}
	waitpid(pid, &st, 0);
	R("exit: child mapped and exited", WIFEXITED(st) && !WEXITSTATUS(st));
	R("exit: write seal", ADD_WRITE_SEAL(fd));
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_create();
	test_seals();
	test_shared();
	test_seal_mapped();
	return 0;
}
