/*
 * fsapi: the file system system calls against Linux, mostly their error paths: open,
 * mkdir/rmdir, unlink/rename/link/symlink, mknod, the stat family, lseek/pread/ftruncate,
 * fcntl/dup, pipes with poll/select, statfs/mount/umount, attributes, /proc and /sys,
 * the *at calls, O_PATH and symlink walks, /proc/stat, /proc/loadavg and the times in
 * /proc/PID/stat, supplementary groups, another process's /proc/PID/cmdline.
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 * Results are counts, sizes, modes or booleans, never inode numbers, times or pids.
 * Works in /tmp/e, /tmp/r1, /tmp/r2 and mounts a tmpfs on /mnt (unmounted again).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <grp.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHECK_WIDTH 40
#include "check.h"

static char buf[8192], big[5000];
static struct stat st;
static int fds[2];

/* The standard descriptors a job gets from init: open, not close-on-exec, their type. */
static void check_std_fds(void)
{
	for (int i = 0; i < 6; i++) {
		int flags = fcntl(i, F_GETFD);
		int type = fstat(i, &st) == 0 ? (int)(st.st_mode & S_IFMT) : -1;

		printf("fd%d getfd %d type %o\n", i, flags, type);
	}
}

/* open(2) error paths (missing, directories, trailing slashes, O_EXCL, O_NOFOLLOW,
 * symlink loops and dangling links, empty, long and bad paths), mkdir and rmdir. */
static void check_open_mkdir_rmdir(void)
{
	R("open missing", open("nope", O_RDONLY));
	R("open dir wr", open("/tmp", O_WRONLY));
	R("open file/ ", (close(creat("f", 0644)), open("f/", O_RDONLY)));
	R("open f/x", open("f/x", O_RDONLY));
	R("creat excl exists", open("f", O_CREAT | O_EXCL | O_WRONLY, 0644));
	R("creat trailing slash", open("g/", O_CREAT | O_WRONLY, 0644));
	R("O_DIRECTORY on file", open("f", O_RDONLY | O_DIRECTORY));
	symlink("f", "lf");
	symlink("nowhere", "dang");
	symlink("loop1", "loop2"); symlink("loop2", "loop1");
	R("O_NOFOLLOW on link", open("lf", O_RDONLY | O_NOFOLLOW));
	R("loop", open("loop1", O_RDONLY));
	R("dangling", open("dang", O_RDONLY));
	R("creat through dangling", open("dang", O_CREAT | O_WRONLY, 0644));
	R("empty path", open("", O_RDONLY));
	memset(big, 'a', sizeof(big)); big[4999] = 0;
	R("long path", open(big, O_RDONLY));
	big[256] = 0;
	R("long component", open(big, O_RDONLY));
	R("bad ptr path", open((char *)1, O_RDONLY));
	R("mkdir exists", mkdir("f", 0755));
	R("mkdir .", mkdir(".", 0755));
	R("mkdir missing parent", mkdir("a/b", 0755));
	R("rmdir file", rmdir("f"));
	R("rmdir .", rmdir("."));
	R("rmdir ..", rmdir(".."));
	R("rmdir /", rmdir("/"));
}

/* unlink/unlinkat, rename and renameat2 (NOREPLACE, EXCHANGE), hard links,
 * readlink buffer sizes and symlink creation errors. */
static void check_unlink_rename_link(void)
{
	mkdir("d", 0755); close(creat("d/x", 0644));
	R("rmdir nonempty", rmdir("d"));
	R("unlink dir", unlink("d"));
	R("unlink file/", unlink("f/"));
	R("unlink missing", unlink("zz"));
	R("unlinkat bad flag", unlinkat(AT_FDCWD, "f", 0x1));
	R("rename missing", rename("zz", "yy"));
	R("rename dir into self", rename("d", "d/sub"));
	R("rename file over dir", rename("f", "d"));
	R("rename dir over file", rename("d", "f"));
	mkdir("e2", 0755);
	R("rename dir over empty dir", rename("e2", "d2"));
	R("rename noreplace", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "lf", 1));
	R("rename exchange", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", 2));
	R("rename exchange missing", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "qq", 2));
	R("rename both flags", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", 3));
	R("stat f (after exchange) isdir", (stat("f", &st), S_ISDIR(st.st_mode)));
	syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", 2);
	R("link dir", link("d", "d3"));
	R("link exists", link("f", "lf"));
	R("link ok", link("f", "f2"));
	R("nlink", (stat("f", &st), (long)st.st_nlink));
	R("readlink file", readlink("f", buf, 10));
	R("readlink 0", readlink("lf", buf, 0));
	R("readlink short", readlink("lf", buf, 1));
	R("readlink ok", readlink("lf", buf, 100));
	R("symlink empty", symlink("", "s0"));
	R("symlink exists", symlink("x", "f"));
}

/* mknod of fifos and devices, chdir/getcwd, access modes and the stat family
 * (bad flags, empty paths, lstat of links). */
static void check_mknod_cwd_access_stat(void)
{
	R("mknod dir", mknod("n1", S_IFDIR | 0644, 0));
	R("mknod bad type", mknod("n1", 0170000 | 0644, 0));
	R("mknod fifo", mknod("n1", S_IFIFO | 0644, 0));
	R("mknod chr", mknod("n2", S_IFCHR | 0644, makedev(1, 3)));
	R("stat chr rdev", (stat("n2", &st), (long)st.st_rdev));
	R("chdir file", chdir("f"));
	R("chdir missing", chdir("zz"));
	R("getcwd small", syscall(SYS_getcwd, buf, 3));
	R("getcwd ok", syscall(SYS_getcwd, buf, 100));
	printf("cwd %s\n", buf);
	R("access missing", access("zz", F_OK));
	R("access bad mode", access("f", 8));
	R("access ok", access("f", R_OK | W_OK));
	R("access x on file", access("f", X_OK));
	R("stat missing", stat("zz", &st));
	R("stat bad buf", stat("f", (void *)1));
	R("fstatat bad flag", fstatat(AT_FDCWD, "f", &st, 0x4));
	R("fstatat empty no flag", fstatat(AT_FDCWD, "", &st, 0));
	R("lstat link mode", (lstat("lf", &st), (long)(st.st_mode & S_IFMT)));
	R("stat link size", (lstat("lf", &st), (long)st.st_size));
}

/* Calls on a regular file descriptor: write, lseek (SEEK_DATA/HOLE), pread,
 * ftruncate, fcntl flags, dup2/dup3, ioctl on a non-tty, readv limits, getdents on a
 * file and on a directory, read and write on a directory. */
static void check_file_fd(void)
{
	int fd = open("f", O_RDWR);
	R("write", write(fd, "hello", 5));
	R("lseek end", lseek(fd, 0, SEEK_END));
	R("lseek neg", lseek(fd, -10, SEEK_SET));
	R("lseek bad whence", lseek(fd, 0, 7));
	R("lseek data", lseek(fd, 0, SEEK_DATA));
	R("lseek hole", lseek(fd, 0, SEEK_HOLE));
	R("lseek data past", lseek(fd, 10, SEEK_DATA));
	R("pread", pread(fd, buf, 3, 1));
	R("pread neg", pread(fd, buf, 3, -1));
	R("read bad buf", (lseek(fd, 0, SEEK_SET), syscall(SYS_read, fd, (void *)1, 3)));
	R("ftruncate neg", ftruncate(fd, -1));
	R("ftruncate grow", ftruncate(fd, 10000));
	R("size", (fstat(fd, &st), (long)st.st_size));
	R("blocks", (fstat(fd, &st), (long)st.st_blocks));
	R("fcntl getfl", fcntl(fd, F_GETFL));
	R("fcntl setfl", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY));
	R("fcntl getfl2", fcntl(fd, F_GETFL));
	R("fcntl getfd", fcntl(fd, F_GETFD));
	R("fcntl dupfd big", fcntl(fd, F_DUPFD, 5000));
	R("fcntl bad cmd", fcntl(fd, 999));
	R("dup2 same", dup2(fd, fd));
	R("dup3 same", dup3(fd, fd, 0));
	R("dup3 badflags", dup3(fd, 50, 1));
	R("dup2 badfd", dup2(99, 50));
	R("dup2 big newfd", dup2(fd, 5000));
	R("close bad", close(99));
	R("ioctl notty", ioctl(fd, TCGETS, buf));
	R("ioctl fionread", (ioctl(fd, FIONREAD, (int *)buf), *(int *)buf));
	R("readv neg", syscall(SYS_readv, fd, NULL, -1));
	R("readv big", syscall(SYS_readv, fd, NULL, 1025));
	R("getdents file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	R("getdents small", syscall(SYS_getdents64, fd, buf, 10));
	R("getdents ok>0", syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0);
	R("read dir", read(fd, buf, 10));
	R("write dir fd", write(fd, buf, 10));
	close(fd);
}

/* Pipes: bad pipe2 flags, lseek/pread (ESPIPE), FIONREAD, poll revents, EOF and
 * POLLHUP, EPIPE, O_NONBLOCK EAGAIN, the pipe capacity, select and poll errors. */
static void check_pipe_poll_select(void)
{
	R("pipe2 badflags", pipe2(fds, O_APPEND));
	pipe(fds);
	R("lseek pipe", lseek(fds[0], 0, SEEK_SET));
	R("pread pipe", pread(fds[0], buf, 1, 0));
	R("write pipe", write(fds[1], "abc", 3));
	R("fionread pipe", (ioctl(fds[0], FIONREAD, (int *)buf), *(int *)buf));
	struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLOUT, 0 } };
	R("poll", poll(p, 2, 0));
	printf("revents %x %x\n", p[0].revents, p[1].revents);
	R("fstat pipe mode", (fstat(fds[0], &st), (long)(st.st_mode & S_IFMT)));
	R("read pipe wronly end", read(fds[1], buf, 1));
	close(fds[1]);
	R("read after close", read(fds[0], buf, 10));
	R("read eof", read(fds[0], buf, 10));
	p[0].revents = 0;
	R("poll hup", poll(p, 1, 0));
	printf("revents %x\n", p[0].revents);
	pipe(fds); close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	R("write no reader", write(fds[1], "x", 1));
	close(fds[1]);
	pipe2(fds, O_NONBLOCK);
	R("read nonblock empty", read(fds[0], buf, 1));
	long total = 0, n;
	while ((n = write(fds[1], buf, sizeof(buf))) > 0) total += n;
	printf("pipe capacity %ld errno %s\n", total, strerrorname_np(errno));
	fd_set rs; FD_ZERO(&rs); FD_SET(fds[0], &rs);
	struct timeval tv = { 0, 0 };
	R("select", select(fds[0] + 1, &rs, NULL, NULL, &tv));
	R("select bad fd", (FD_SET(77, &rs), select(78, &rs, NULL, NULL, &tv)));
	R("poll nfds huge", syscall(SYS_poll, p, 100000, 0));
	R("poll bad ptr", syscall(SYS_poll, (void *)1, 1, 0));
}

/* statfs magic numbers of tmpfs/proc/sysfs; mount and umount of a tmpfs and
 * their errors (unknown type, missing or non-directory target, busy, not a mount point). */
static void check_statfs_mount(void)
{
	struct statfs sf;
	R("statfs tmp magic", (statfs("/tmp", &sf), (long)sf.f_type));
	R("statfs proc magic", (statfs("/proc", &sf), (long)sf.f_type));
	R("statfs sys magic", (statfs("/sys", &sf), (long)sf.f_type));
	R("mount bad type", mount("x", "/mnt", "nosuchfs", 0, NULL));
	R("mount missing target", mount("x", "/nonexist", "tmpfs", 0, NULL));
	R("mount file target", mount("x", "/tmp/e/f", "tmpfs", 0, NULL));
	R("mount tmpfs", mount("x", "/mnt", "tmpfs", 0, NULL));
	R("umount busy", (chdir("/mnt"), umount("/mnt")));
	chdir("/");
	R("umount not mountpoint", umount("/tmp/e"));
	R("umount ok", umount("/mnt"));
	R("umount2 bad flags", umount2("/mnt", 0x100));
}

/* umask, utimensat (bad nsec, UTIME_OMIT), chmod with set-uid and chown (which
 * clears set-uid). */
static void check_attributes(void)
{
	R("umask", umask(077));
	R("umask2", umask(022));
	R("utimensat bad nsec", ({ struct timespec ts[2] = { {0, 2000000000}, {0, 0} }; utimensat(AT_FDCWD, "/tmp/e/f", ts, 0); }));
	R("utimensat omit", ({ struct timespec ts[2] = { {0, UTIME_OMIT}, {5, 0} }; utimensat(AT_FDCWD, "/tmp/e/f", ts, 0); }));
	R("mtime", (stat("/tmp/e/f", &st), (long)st.st_mtime));
	R("chmod", chmod("/tmp/e/f", 04755));
	R("mode", (stat("/tmp/e/f", &st), (long)st.st_mode));
	R("chown", chown("/tmp/e/f", 5, 6));
	R("uid gid", (stat("/tmp/e/f", &st), (long)st.st_uid * 100 + st.st_gid));
	R("mode after chown", (stat("/tmp/e/f", &st), (long)st.st_mode));
}

/* /proc and /sys refuse changes: create, mkdir, unlink, write, chmod, symlink,
 * rename, rmdir; /proc/self and chdir("..") at the root. */
static void check_pseudo_fs(void)
{
	int fd;

	R("open proc self stat", (fd = open("/proc/self/stat", O_RDONLY)) >= 0);
	R("write proc", open("/proc/self/stat", O_WRONLY));
	R("mkdir in proc", mkdir("/proc/x", 0755));
	R("readlink proc self ok", readlink("/proc/self", buf, 100) > 0);
	R("chdir .. from root", (chdir("/"), chdir("..")));
	R("getcwd root", syscall(SYS_getcwd, buf, 100));
	printf("cwd %s\n", buf);
	R("mkdir in sys", mkdir("/sys/x", 0755));
	R("creat in proc", open("/proc/newf", O_CREAT | O_WRONLY, 0644));
	R("creat in sys", open("/sys/newf", O_CREAT | O_WRONLY, 0644));
	R("unlink in proc", unlink("/proc/version"));
	R("write proc version", ({ int f = open("/proc/version", O_WRONLY); write(f, "x", 1); }));
	R("chmod proc", chmod("/proc/version", 0777));
	R("symlink in proc", symlink("x", "/proc/lnk"));
	R("rename in proc", rename("/proc/version", "/proc/v2"));
	R("rmdir proc", rmdir("/proc/sys"));
}

/* Wrong kinds of descriptors (getdents/fchdir on a pipe, ftruncate read-only,
 * truncate a directory), the *at calls with bad dirfds, statx, cross-mount link and
 * rename, fifo opens with O_NONBLOCK, writev, sendfile, directory link counts. */
static void check_fd_types_at(void)
{
	R("getdents pipe", ({ int pp[2]; pipe(pp); syscall(SYS_getdents64, pp[0], buf, 100); }));
	R("fchdir pipe", ({ int pp[2]; pipe(pp); fchdir(pp[0]); }));
	R("ftruncate rdonly", ({ int f = open("/tmp/e/f", O_RDONLY); ftruncate(f, 0); }));
	R("truncate dir", truncate("/tmp", 0));
	R("linkat bad flags", linkat(AT_FDCWD, "/tmp/e/f", AT_FDCWD, "/tmp/e/g", 0x1));
	R("link cross mount", link("/tmp/e/f", "/dev/ff"));
	R("rename cross mount", rename("/tmp/e/f", "/dev/ff"));
	R("openat bad dirfd", openat(99, "x", O_RDONLY));
	R("openat file dirfd", ({ int f = open("/tmp/e/f", O_RDONLY); openat(f, "x", O_RDONLY); }));
	R("openat abs bad dirfd", openat(99, "/tmp/e/f", O_RDONLY) >= 0);
	R("statx", ({ struct statx sx; statx(AT_FDCWD, "/tmp/e/f", 0, STATX_BASIC_STATS, &sx) ? -1 : (long)sx.stx_mask; }));
	R("statx bad flags", ({ struct statx sx; statx(AT_FDCWD, "/tmp/e/f", 0x40000000, STATX_BASIC_STATS, &sx); }));
	R("nonblock fifo wr no reader", open("/tmp/e/n1", O_WRONLY | O_NONBLOCK));
	R("nonblock fifo rd", open("/tmp/e/n1", O_RDONLY | O_NONBLOCK) >= 0);
	R("writev ok", ({ struct iovec iv[2] = { { "ab", 2 }, { "cd", 2 } }; int f = open("/tmp/e/w", O_CREAT|O_WRONLY, 0644); writev(f, iv, 2); }));
	R("sendfile", ({ int a = open("/tmp/e/w", O_RDONLY), b = open("/tmp/e/w2", O_CREAT|O_WRONLY, 0644); sendfile(b, a, NULL, 100); }));
	R("stat nlink dir", (stat("/tmp/e", &st), (long)st.st_nlink));
	R("stat root nlink", (stat("/", &st), (long)st.st_nlink));
	R("creat on dir", open("/tmp/e/d", O_CREAT | O_RDONLY, 0644));
	R("trunc rdonly", ({ int f = open("/tmp/e/w", O_RDONLY | O_TRUNC); fstat(f, &st); (long)st.st_size; }));
}

/* Moving a directory between parents (link counts, ".." after the move and across
 * a mount), O_PATH descriptors, AT_EMPTY_PATH and relative *at calls through a dirfd. */
static void check_dirs_opath_dirfd(void)
{
	mkdir("/tmp/r1", 0755); mkdir("/tmp/r1/sub", 0755); mkdir("/tmp/r2", 0755);
	R("rename dir across", rename("/tmp/r1/sub", "/tmp/r2/sub"));
	R("nlink r1", (stat("/tmp/r1", &st), (long)st.st_nlink));
	R("nlink r2", (stat("/tmp/r2", &st), (long)st.st_nlink));
	R("dotdot after move", (chdir("/tmp/r2/sub"), chdir(".."), syscall(SYS_getcwd, buf, 100)));
	printf("cwd %s\n", buf);
	R("dotdot across mount", (chdir("/proc"), chdir(".."), syscall(SYS_getcwd, buf, 100)));
	printf("cwd %s\n", buf);
	R("O_PATH read", ({ int f = open("/tmp/e/w", O_PATH); read(f, buf, 1); }));
	R("O_PATH fstat", ({ int f = open("/tmp/e/w", O_PATH); fstat(f, &st) ? -1 : (long)st.st_size; }));
	R("O_PATH link", ({ int f = open("/tmp/e/lf", O_PATH | O_NOFOLLOW); fstat(f, &st) ? -1 : (long)(st.st_mode & S_IFMT); }));
	R("empty path fstatat", ({ int f = open("/tmp/e/w", O_RDONLY); fstatat(f, "", &st, AT_EMPTY_PATH) ? -1 : (long)st.st_size; }));
	R("dirfd rel", ({ int d = open("/tmp/e", O_RDONLY | O_DIRECTORY); faccessat(d, "w", F_OK, 0); }));
	R("dirfd mkdirat", ({ int d = open("/tmp/e", O_RDONLY | O_DIRECTORY); mkdirat(d, "viafd", 0700); }));
	R("dirfd unlinkat dir", ({ int d = open("/tmp/e", O_RDONLY | O_DIRECTORY); unlinkat(d, "viafd", AT_REMOVEDIR); }));
	R("fchdir", ({ int d = open("/tmp/e", O_RDONLY | O_DIRECTORY); fchdir(d); syscall(SYS_getcwd, buf, 100); }));
	printf("cwd %s\n", buf);
}

/* Symlinks in the middle of a path (loops, dangling, to a file) and trailing
 * slashes after links to directories. */
static void check_symlink_walks(void)
{
	R("intermediate loop", open("/tmp/e/loop1/x", O_RDONLY));
	R("intermediate dangling", open("/tmp/e/dang/x", O_RDONLY));
	R("link to file as dir", open("/tmp/e/lf/", O_RDONLY));
	R("stat link/ to dir", ({ symlink("/tmp/e/d", "/tmp/e/ld"); stat("/tmp/e/ld/", &st) ? -1 : (long)(st.st_mode & S_IFMT); }));
	R("lstat link/ to dir", (lstat("/tmp/e/ld/", &st) ? -1 : (long)(st.st_mode & S_IFMT)));
	R("unlink link/", unlink("/tmp/e/ld/"));
	R("rmdir link/", rmdir("/tmp/e/ld/"));
	R("rename link/", rename("/tmp/e/ld/", "/tmp/e/ld2"));
}

/* poll timeout on an empty pipe, a fifo opened O_RDWR, /proc/self/fd, xattrs on
 * tmpfs, close_range and copy_file_range. */
static void check_misc(void)
{
	R("poll timeout", ({ int pp[2]; pipe(pp); struct pollfd q = { pp[0], POLLIN, 0 }; poll(&q, 1, 50); }));
	R("fifo rdwr", open("/tmp/e/n1", O_RDWR) >= 0);
	R("chdir proc self", chdir("/proc/self"));
	R("ls fd dir", ({ int d = open("/proc/self/fd", O_RDONLY | O_DIRECTORY); d >= 0; }));
	R("getxattr", getxattr("/tmp/e/f", "user.x", buf, 10));
	R("lgetxattr missing", lgetxattr("/tmp/e/zz", "user.x", buf, 10));
	R("listxattr", listxattr("/tmp/e/f", buf, 100));
	R("setxattr user", setxattr("/tmp/e/f", "user.x", "v", 1, 0));
	R("close_range bad", syscall(SYS_close_range, 5, 3, 0));
	R("close_range", syscall(SYS_close_range, 100, ~0U, 0));
	R("copy_file_range", ({ int a = open("/tmp/e/w", O_RDONLY), b = open("/tmp/e/w3", O_CREAT|O_WRONLY, 0644); loff_t oi = 1, oo = 2; long r = copy_file_range(a, &oi, b, &oo, 100, 0); r * 100 + oi * 10 + oo; }));
	R("w3 size", (stat("/tmp/e/w3", &st), (long)st.st_size));
	R("copy_file_range pipe", ({ int pp[2]; pipe(pp); int a = open("/tmp/e/w", O_RDONLY); copy_file_range(a, NULL, pp[1], NULL, 10, 0); }));
}

static long read_text(const char *path, char *out, size_t size);

/* In a child that gave up root: reads through the supplementary groups. */
static void groups_child(void)
{
	R("child setuid", setuid(1000));
	R("child getgroups inherited", getgroups(0, NULL));
	R("child open via group 20", open("/tmp/e/g20", O_RDONLY) >= 0);
	R("child open group 40", open("/tmp/e/g40", O_RDONLY));
	R("child write via group 20", open("/tmp/e/g20", O_WRONLY));
	R("child setgroups", setgroups(0, NULL));
	R("child chgrp to group 30", ({ int f = open("/tmp/e/own", O_CREAT | O_WRONLY, 0640); fchown(f, -1, 30); }));
	R("child chgrp to group 40", ({ int f = open("/tmp/e/own", O_WRONLY); fchown(f, -1, 40); }));
}

/* setgroups/getgroups keep the supplementary groups (sorted), fork passes them on,
 * /proc/PID/status lists them and permission checks use them. */
static void check_groups(void)
{
	gid_t set[3] = { 30, 10, 20 }, got[8] = { 0 };
	int status;
	pid_t c;

	R("getgroups initial", getgroups(0, NULL));
	R("setgroups negative", setgroups(-1, set));
	R("setgroups too many", syscall(SYS_setgroups, 65537, set));
	R("setgroups efault", setgroups(2, (gid_t *)8));
	R("setgroups 3", setgroups(3, set));
	R("getgroups count", getgroups(0, NULL));
	R("getgroups small", getgroups(2, got));
	R("getgroups negative", syscall(SYS_getgroups, -1, got));
	R("getgroups efault", syscall(SYS_getgroups, 3, 8L));
	R("getgroups", getgroups(8, got));
	R("sorted", got[0] * 10000 + got[1] * 100 + got[2]);
	R("status groups", ({ int f = open("/proc/self/status", O_RDONLY); long n = read(f, buf, sizeof(buf) - 1); buf[n > 0 ? n : 0] = 0; close(f); strstr(buf, "Groups:\t10 20 30 \n") != NULL; }));
	close(open("/tmp/e/g20", O_CREAT | O_WRONLY, 0640));
	close(open("/tmp/e/g40", O_CREAT | O_WRONLY, 0640));
	chown("/tmp/e/g20", 0, 20);
	chown("/tmp/e/g40", 0, 40);
	chmod("/tmp/e", 0777);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		groups_child();
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &status, 0);
	R("setgroups none", setgroups(0, NULL));
	R("getgroups none", getgroups(0, NULL));
	R("status no groups", ({ int f = open("/proc/self/status", O_RDONLY); long n = read(f, buf, sizeof(buf) - 1); buf[n > 0 ? n : 0] = 0; close(f); strstr(buf, "Groups:\t \n") != NULL; }));
}

/* /proc/PID/cmdline of another process: a child that exec'd sleep with arguments
 * (NULs shown as '|'), and of a process that is gone. */
static void check_other_cmdline(void)
{
	char path[64], text[256];
	long n = 0;
	int status;
	pid_t c;

	fflush(stdout);
	c = fork();
	if (c == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", c);
	for (int i = 0; i < 200; i++) {
		n = read_text(path, text, sizeof(text));
		if (n > 0 && !strncmp(text, "sleep", 5))
			break;
		usleep(10000);
	}
	for (long i = 0; i < n; i++)
		if (!text[i])
			text[i] = '|';
	printf("child cmdline (%ld bytes) = %s\n", n, text);
	kill(c, SIGKILL);
	waitpid(c, &status, 0);
	R("cmdline of reaped child", open(path, O_RDONLY));
}

static long ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void spin_ms(long ms)
{
	long end = ms_now() + ms;

	while (ms_now() < end)
		;
}

/* The value after "key " in /proc/stat, or -1. */
static long stat_value(const char *text, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s ", key);
	p = strstr(text, pat);
	return p ? atol(p + strlen(pat)) : -1;
}

/* The cpu line's user+system and idle ticks, the number of cpuN lines. */
static void stat_cpu(const char *text, long *busy, long *idle, int *ncpu)
{
	long v[10];
	const char *p = text;

	*busy = *idle = -1;
	if (sscanf(text, "cpu %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) == 10) {
		*busy = v[0] + v[1] + v[2];
		*idle = v[3];
	}
	for (*ncpu = 0; (p = strstr(p, "\ncpu")); p++)
		++*ncpu;
}

static long read_text(const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, out, size - 1);

	out[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return n;
}

/* Fields 14..17 (utime, stime, cutime, cstime), 20 (threads), 22 (starttime) of
 * /proc/PID/stat, and the number of fields. */
static int pid_stat(const char *path, long f[53])
{
	char text[1024], *tok, *save;
	int n = 0;

	read_text(path, text, sizeof(text));
	for (tok = strtok_r(text, " \n", &save); tok && n < 52; tok = strtok_r(NULL, " \n", &save))
		f[++n] = atol(tok);
	return n;
}

/* /proc/stat, /proc/loadavg and /proc/PID/stat's times: their shape and figures that
 * must move (CPU time after a busy loop, idle time after a sleep, counters after a
 * fork); the numbers themselves differ between kernels, so only booleans print. */
static void check_proc_stats(void)
{
	static char a[8192], b[8192];
	long busy0, idle0, busy1, idle1, busy2, idle2, f[53], cf[53], up;
	int ncpu, running, total, last, status;
	double l1, l5, l15;
	pid_t child;

	R("read proc stat", read_text("/proc/stat", a, sizeof(a)) > 0);
	stat_cpu(a, &busy0, &idle0, &ncpu);
	R("stat cpu line has 10 numbers", busy0 >= 0);
	R("stat cpuN lines = nprocs", ncpu == sysconf(_SC_NPROCESSORS_ONLN));
	R("stat has intr", stat_value(a, "intr") > 0);
	R("stat has ctxt", stat_value(a, "ctxt") > 0);
	R("stat has processes", stat_value(a, "processes") > 0);
	R("stat procs_running >= 1", stat_value(a, "procs_running") >= 1);
	R("stat has procs_blocked", stat_value(a, "procs_blocked") >= 0);
	R("stat has softirq", stat_value(a, "softirq") >= 0);
	read_text("/proc/uptime", b, sizeof(b));
	up = atol(b);
	R("btime = now - uptime", labs(stat_value(a, "btime") - (time(NULL) - up)) <= 2);
	spin_ms(300);
	read_text("/proc/stat", b, sizeof(b));
	stat_cpu(b, &busy1, &idle1, &ncpu);
	R("busy loop adds cpu time", busy1 - busy0 >= 15);
	usleep(300000);
	read_text("/proc/stat", a, sizeof(a));
	stat_cpu(a, &busy2, &idle2, &ncpu);
	R("sleep adds idle time", idle2 - idle1 >= 15);
	R("sleep adds little cpu time", busy2 - busy1 < 15);
	R("ctxt grows", stat_value(a, "ctxt") > stat_value(b, "ctxt"));
	R("intr grows", stat_value(a, "intr") > stat_value(b, "intr"));
	R("self stat fields", pid_stat("/proc/self/stat", f));
	R("self utime+stime after busy loop", f[14] + f[15] >= 20);
	R("self threads", f[20]);
	R("self starttime within uptime", f[22] >= 0 && f[22] <= up * 100 + 100);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		spin_ms(200);
		pid_stat("/proc/self/stat", cf);
		_exit(cf[22] >= f[22] ? 0 : 1);
	}
	waitpid(child, &status, 0);
	R("child starttime >= parent's", WEXITSTATUS(status) == 0);
	pid_stat("/proc/self/stat", cf);
	R("cutime+cstime after child", cf[16] + cf[17] >= 10);
	R("self times grow", cf[14] + cf[15] >= f[14] + f[15]);
	read_text("/proc/stat", b, sizeof(b));
	R("processes grows after fork", stat_value(b, "processes") > stat_value(a, "processes"));
	read_text("/proc/loadavg", b, sizeof(b));
	R("loadavg fields", sscanf(b, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last));
	R("loadavg sane", l1 >= 0 && l5 >= 0 && l15 >= 0 && l1 < 100);
	R("loadavg running/total", running >= 1 && running <= total);
	R("loadavg last pid >= child", last >= child);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_std_fds();
	mkdir("/tmp/e", 0755);
	chdir("/tmp/e");
	check_open_mkdir_rmdir();
	check_unlink_rename_link();
	check_mknod_cwd_access_stat();
	check_file_fd();
	check_pipe_poll_select();
	check_statfs_mount();
	check_attributes();
	check_pseudo_fs();
	check_fd_types_at();
	check_dirs_opath_dirfd();
	check_symlink_walks();
	check_misc();
	check_proc_stats();
	check_groups();
	check_other_cmdline();
	return 0;
}
