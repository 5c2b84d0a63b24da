/* drmprime: sharing DRM buffers on /dev/dri/card0 (virtio-gpu). PRIME export and
 * import within a file, between files, on the render node and between two processes
 * over a UNIX socket (SCM_RIGHTS); the dma-buf file itself (mmap of the same pages,
 * lseek, fcntl flags, /proc/self/fd, DMA_BUF_IOCTL_SYNC, DMA_BUF_SET_NAME); buffer
 * lifetimes (a dma-buf keeps its buffer after DESTROY_DUMB and after the DRM file
 * closes); GEM_FLINK/GEM_OPEN; bad handles, flags, fds and pointers. One line per
 * checked call. With the argument "modes" it prints the connector's mode list
 * instead (every field Linux derives from the EDID). */
#define _GNU_SOURCE
#include <drm.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "drmtest.h"

#define W 256
#define H 64
#define SIZE (W * H * 4)

static int card(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("open card0: -1 %s\n", errname(errno));
		exit(1);
	}
	return fd;
}

static uint32_t create(int fd)
{
	struct drm_mode_create_dumb c = { .width = W, .height = H, .bpp = 32 };

	if (drm(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0) {
		printf("CREATE_DUMB: -1 %s\n", errname(errno));
		exit(1);
	}
	return c.handle;
}

/* Maps a handle's buffer through MAP_DUMB on fd; NULL (and a line) on failure. */
static uint32_t *map_dumb(int fd, uint32_t handle, const char *what)
{
	struct drm_mode_map_dumb m = { .handle = handle };
	void *p;

	if (drm(fd, DRM_IOCTL_MODE_MAP_DUMB, &m) < 0) {
		printf("%s MAP_DUMB: -1 %s\n", what, errname(errno));
		return NULL;
	}
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED) {
		printf("%s mmap: -1 %s\n", what, errname(errno));
		return NULL;
	}
	return p;
}

static void fill(uint32_t *p, uint32_t seed)
{
	for (unsigned i = 0; i < SIZE / 4; i++)
		p[i] = i * 2654435761u + seed;
}

/* 1 when the mapping holds fill(seed)'s pattern. */
static int holds(const uint32_t *p, uint32_t seed)
{
	if (!p)
		return 0;
	for (unsigned i = 0; i < SIZE / 4; i++)
		if (p[i] != i * 2654435761u + seed)
			return 0;
	return 1;
}

static int export(int fd, uint32_t handle, uint32_t flags, int *out)
{
	struct drm_prime_handle p = { .handle = handle, .flags = flags, .fd = -7 };
	int r = drm(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	*out = p.fd;
	return r;
}

static int import(int fd, int buf, uint32_t *handle)
{
	struct drm_prime_handle p = { .fd = buf };
	int r = drm(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	*handle = p.handle;
	return r;
}

static uint32_t *map_buf(int buf, int prot, size_t len, off_t off)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, buf, off);

	return p == MAP_FAILED ? NULL : p;
}

static void caps(int fd)
{
	struct drm_get_cap c = { .capability = DRM_CAP_PRIME };

	show("GET_CAP PRIME", drm(fd, DRM_IOCTL_GET_CAP, &c));
	printf("  value %llu\n", (unsigned long long)c.value);
}

static void export_errors(int fd, int fd2)
{
	struct drm_prime_handle p = { 0 };
	uint32_t h = create(fd), other;
	int out;

	create(fd2);
	create(fd2);
	other = create(fd2);
	show("HANDLE_TO_FD bad flags 0x1", export(fd, h, 1, &out));
	printf("  fd left %d\n", out);
	show("HANDLE_TO_FD O_NONBLOCK", export(fd, h, O_NONBLOCK, &out));
	show("HANDLE_TO_FD bad flags and handle", export(fd, 999, 1, &out));
	show("HANDLE_TO_FD handle 0", export(fd, 0, DRM_CLOEXEC, &out));
	show("HANDLE_TO_FD handle 999", export(fd, 999, DRM_CLOEXEC, &out));
	printf("  fd left %d\n", out);
	show("HANDLE_TO_FD another file's handle", export(fd, other, DRM_CLOEXEC, &out));
	show("HANDLE_TO_FD bad pointer", drm(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, (void *)8));
	show("FD_TO_HANDLE fd -1", import(fd, -1, &other));
	show("FD_TO_HANDLE fd 999", import(fd, 999, &other));
	show("FD_TO_HANDLE the DRM fd", import(fd, fd, &other));
	p.fd = open("/dev/null", O_RDONLY);
	show("FD_TO_HANDLE /dev/null", drm(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p));
	close(p.fd);
	show("FD_TO_HANDLE bad pointer", drm(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, (void *)8));
	show("GEM_CLOSE", drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h }));
}

/* The dma-buf file: flags, mode, name, seek, read/write, poll, ioctls. */
static void dmabuf_file(int buf, int buf2)
{
	char link[64] = "", path[64], longname[48];
	struct dma_buf_sync s;
	struct pollfd pfd = { .fd = buf, .events = POLLIN | POLLOUT };
	struct stat st;
	ssize_t n;

	printf("  F_GETFD %d %d\n", fcntl(buf, F_GETFD), fcntl(buf2, F_GETFD));
	printf("  F_GETFL %#o %#o\n", fcntl(buf, F_GETFL), fcntl(buf2, F_GETFL));
	fcntl(buf, F_SETFL, O_NONBLOCK);
	printf("  one open file: F_GETFL after F_SETFL on the other %#o\n", fcntl(buf2, F_GETFL));
	fcntl(buf, F_SETFL, 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", buf);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	printf("  readlink %zd \"%s\"\n", n, n > 0 ? link : "");
	show("fstat", fstat(buf, &st));
	printf("  mode %#o nlink %lu\n", st.st_mode, (unsigned long)st.st_nlink);
	show("lseek 0 SEEK_END", lseek(buf, 0, SEEK_END));
	show("lseek 0 SEEK_SET", lseek(buf, 0, SEEK_SET));
	show("lseek 0 SEEK_CUR", lseek(buf, 0, SEEK_CUR));
	show("lseek 1 SEEK_END", lseek(buf, 1, SEEK_END));
	show("lseek 4096 SEEK_SET", lseek(buf, 4096, SEEK_SET));
	show("lseek -1 SEEK_END", lseek(buf, -1, SEEK_END));
	show("lseek SEEK_DATA", lseek(buf, 0, SEEK_DATA));
	show("read", read(buf, link, 4));
	show("write", write(buf, link, 4));
	show("poll", poll(&pfd, 1, 0));
	printf("  revents %#x\n", pfd.revents);
	s.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW;
	show("SYNC START RW", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	s.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	show("SYNC END READ", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	s.flags = DMA_BUF_SYNC_WRITE;
	show("SYNC START WRITE", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	s.flags = 0;
	show("SYNC no direction", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	s.flags = DMA_BUF_SYNC_END;
	show("SYNC END no direction", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	s.flags = DMA_BUF_SYNC_RW | 0x10;
	show("SYNC unknown flag", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	s.flags = 1ULL << 40 | DMA_BUF_SYNC_RW;
	show("SYNC high flag", drm(buf, DMA_BUF_IOCTL_SYNC, &s));
	show("SYNC bad pointer", drm(buf, DMA_BUF_IOCTL_SYNC, (void *)8));
	show("unknown dma-buf ioctl", drm(buf, _IO(DMA_BUF_BASE, 9), NULL));
	show("DRM VERSION on a dma-buf", drm(buf, DRM_IOCTL_VERSION, &(struct drm_version){ 0 }));
	show("SET_NAME", drm(buf, DMA_BUF_SET_NAME, "lumen-test"));
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	printf("  readlink %zd \"%s\"\n", n, n > 0 ? link : "");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	show("SET_NAME too long", drm(buf, DMA_BUF_SET_NAME, longname));
	longname[DMA_BUF_NAME_LEN - 1] = 0;
	show("SET_NAME 31 chars", drm(buf, DMA_BUF_SET_NAME, longname));
	show("SET_NAME bad pointer", drm(buf, DMA_BUF_SET_NAME, (void *)8));
	show("SET_NAME empty", drm(buf, DMA_BUF_SET_NAME, ""));
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	printf("  readlink %zd \"%s\"\n", n, n > 0 ? link : "");
}

/* Export and import within one file and between files of one process. */
static void within(int fd, int fd2, int rfd)
{
	uint32_t h = create(fd), h2, k, k2, rh;
	uint32_t *dumb = map_dumb(fd, h, "first"), *view, *part, *mine;
	int buf, buf2, ro, rbuf;

	fill(dumb, 1);
	show("HANDLE_TO_FD CLOEXEC|RDWR", export(fd, h, DRM_CLOEXEC | DRM_RDWR, &buf));
	show("HANDLE_TO_FD again, no flags", export(fd, h, 0, &buf2));
	printf("  two fds %d\n", buf != buf2 && buf >= 0 && buf2 >= 0);
	dmabuf_file(buf, buf2);
	show("FD_TO_HANDLE in the exporting file", import(fd, buf, &h2));
	printf("  the exported handle %d\n", h2 == h);
	show("FD_TO_HANDLE the second fd", import(fd, buf2, &h2));
	printf("  the exported handle %d\n", h2 == h);
	view = map_buf(buf, PROT_READ | PROT_WRITE, SIZE, 0);
	ok("mmap the dma-buf", view ? 0 : -1);
	printf("  holds the pattern %d\n", holds(view, 1));
	fill(view, 2);
	printf("  writes reach the dumb mapping %d\n", holds(dumb, 2));
	part = map_buf(buf, PROT_READ, 4096, 4096);
	/* Linux 6.1's shmem fault handler ignores the offset (it maps page 0 there),
	 * so only the mmap itself is checked. */
	ok("mmap the second page", part ? 0 : -1);
	ok("mmap one page too many", map_buf(buf, PROT_READ, SIZE + 4096, 0) ? 0 : -1);
	ok("mmap past the end", map_buf(buf, PROT_READ, 8192, SIZE - 4096) ? 0 : -1);
	ok("mmap at the end", map_buf(buf, PROT_READ, 4096, SIZE) ? 0 : -1);
	ok("mmap the second fd", map_buf(buf2, PROT_READ | PROT_WRITE, SIZE, 0) ? 0 : -1);

	show("FD_TO_HANDLE in another file", import(fd2, buf, &k));
	show("FD_TO_HANDLE there again", import(fd2, buf2, &k2));
	printf("  same handle %d\n", k == k2);
	mine = map_dumb(fd2, k, "other file");
	printf("  the other file sees the pattern %d\n", holds(mine, 2));
	show("FD_TO_HANDLE on the render node", import(rfd, buf, &rh));
	show("MAP_DUMB on the render node",
	     drm(rfd, DRM_IOCTL_MODE_MAP_DUMB, &(struct drm_mode_map_dumb){ .handle = rh }));
	show("HANDLE_TO_FD on the render node", export(rfd, rh, DRM_CLOEXEC, &rbuf));
	show("FD_TO_HANDLE back", import(fd, rbuf, &h2));
	printf("  the exported handle %d\n", h2 == h);
	close(rbuf);
	show("GEM_CLOSE on the render node",
	     drm(rfd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = rh }));

	h2 = create(fd);
	show("HANDLE_TO_FD read-only", export(fd, h2, 0, &ro));
	printf("  F_GETFL %#o\n", fcntl(ro, F_GETFL));
	ok("mmap read-only dma-buf writable", map_buf(ro, PROT_READ | PROT_WRITE, SIZE, 0) ? 0 : -1);
	ok("mmap read-only dma-buf for reading", map_buf(ro, PROT_READ, SIZE, 0) ? 0 : -1);
	close(ro);
	show("HANDLE_TO_FD after closing the read-only fd", export(fd, h2, DRM_RDWR, &ro));
	printf("  F_GETFL (the cached dma-buf) %#o\n", fcntl(ro, F_GETFL));
	close(ro);
	drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h2 });

	show("GEM_CLOSE in the other file", drm(fd2, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = k }));
	show("FD_TO_HANDLE after closing it", import(fd2, buf, &k2));
	printf("  a handle again %d\n", k2 != 0);
	printf("  the old mapping still holds the pattern %d\n", holds(mine, 2));
	drm(fd2, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = k2 });
	close(buf2);
	close(buf);
	munmap(view, SIZE);
	munmap(mine, SIZE);
	munmap(dumb, SIZE);
	drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h });
}

/* A dma-buf keeps its buffer after DESTROY_DUMB and after its DRM file closes. */
static void lifetimes(int fd)
{
	int tmp = open("/dev/dri/card0", O_RDWR), buf, none;
	uint32_t h = create(tmp), h2, *dumb = map_dumb(tmp, h, "lifetime"), *view;

	fill(dumb, 3);
	show("HANDLE_TO_FD", export(tmp, h, DRM_CLOEXEC | DRM_RDWR, &buf));
	show("DESTROY_DUMB", drm(tmp, DRM_IOCTL_MODE_DESTROY_DUMB,
				 &(struct drm_mode_destroy_dumb){ .handle = h }));
	show("MAP_DUMB after DESTROY_DUMB",
	     drm(tmp, DRM_IOCTL_MODE_MAP_DUMB, &(struct drm_mode_map_dumb){ .handle = h }));
	show("HANDLE_TO_FD after DESTROY_DUMB", export(tmp, h, 0, &none));
	view = map_buf(buf, PROT_READ | PROT_WRITE, SIZE, 0);
	printf("  the dma-buf holds the pattern %d\n", holds(view, 3));
	munmap(dumb, SIZE);
	show("FD_TO_HANDLE into the same file", import(tmp, buf, &h2));
	printf("  handle %u\n", h2);
	close(tmp);
	printf("  after closing the DRM file: holds the pattern %d\n", holds(view, 3));
	fill(view, 4);
	show("FD_TO_HANDLE into another file", import(fd, buf, &h2));
	dumb = map_dumb(fd, h2, "imported");
	printf("  the other file sees the writes %d\n", holds(dumb, 4));
	close(buf);
	munmap(view, SIZE);
	printf("  after closing the dma-buf %d\n", holds(dumb, 4));
	munmap(dumb, SIZE);
	show("GEM_CLOSE", drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h2 }));
}

static void flink(int fd, int fd2, int rfd)
{
	struct drm_gem_flink f = { 0 }, f2 = { 0 };
	struct drm_gem_open o = { 0 }, o2 = { 0 };
	uint32_t h = create(fd), *dumb = map_dumb(fd, h, "flink"), *mine, second;

	fill(dumb, 5);
	f.handle = 999;
	show("GEM_FLINK bad handle", drm(fd, DRM_IOCTL_GEM_FLINK, &f));
	f.handle = h;
	show("GEM_FLINK", drm(fd, DRM_IOCTL_GEM_FLINK, &f));
	printf("  name non-zero %d\n", f.name != 0);
	f2.handle = h;
	show("GEM_FLINK again", drm(fd, DRM_IOCTL_GEM_FLINK, &f2));
	printf("  same name %d\n", f.name == f2.name);
	show("GEM_FLINK on the render node", drm(rfd, DRM_IOCTL_GEM_FLINK, &f2));
	show("GEM_FLINK bad pointer", drm(fd, DRM_IOCTL_GEM_FLINK, (void *)8));
	o.name = f.name;
	show("GEM_OPEN in another file", drm(fd2, DRM_IOCTL_GEM_OPEN, &o));
	printf("  size %llu\n", (unsigned long long)o.size);
	o2.name = f.name;
	show("GEM_OPEN there again", drm(fd2, DRM_IOCTL_GEM_OPEN, &o2));
	printf("  a second handle %d\n", o2.handle != o.handle && o2.handle);
	second = o2.handle;
	mine = map_dumb(fd2, o.handle, "opened");
	printf("  sees the pattern %d\n", holds(mine, 5));
	o2.name = f.name;
	show("GEM_OPEN in the same file", drm(fd, DRM_IOCTL_GEM_OPEN, &o2));
	printf("  a new handle %d\n", o2.handle != h);
	drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = o2.handle });
	o2.name = f.name;
	show("GEM_OPEN on the render node", drm(rfd, DRM_IOCTL_GEM_OPEN, &o2));
	o2.name = 0;
	show("GEM_OPEN name 0", drm(fd, DRM_IOCTL_GEM_OPEN, &o2));
	o2.name = 99999;
	show("GEM_OPEN unknown name", drm(fd, DRM_IOCTL_GEM_OPEN, &o2));
	show("GEM_OPEN bad pointer", drm(fd, DRM_IOCTL_GEM_OPEN, (void *)8));
	show("GEM_CLOSE the flinked handle", drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h }));
	o2.name = f.name;
	show("GEM_OPEN while another file holds it", drm(fd, DRM_IOCTL_GEM_OPEN, &o2));
	drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = o2.handle });
	drm(fd2, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = o.handle });
	show("GEM_CLOSE the last handle", drm(fd2, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = second }));
	o2.name = f.name;
	show("GEM_OPEN after the last handle closed", drm(fd, DRM_IOCTL_GEM_OPEN, &o2));
	printf("  the mappings still hold the pattern %d %d\n", holds(dumb, 5), holds(mine, 5));
	munmap(dumb, SIZE);
	munmap(mine, SIZE);
}

static int send_fd(int sock, int fd)
{
	char byte = 'b', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0);
}

static int recv_fd(int sock)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The child: imports the buffer on its own DRM file, checks it through MAP_DUMB and
 * the dma-buf, writes a new pattern and tells the parent. */
static int child(int sock)
{
	int fd = card(), buf = recv_fd(sock);
	uint32_t h, h2, *dumb, *view;

	printf("child: received a fd %d\n", buf >= 0);
	show("child: FD_TO_HANDLE", import(fd, buf, &h));
	show("child: FD_TO_HANDLE again", import(fd, buf, &h2));
	printf("child: same handle %d\n", h == h2);
	printf("child: size %ld\n", (long)lseek(buf, 0, SEEK_END));
	dumb = map_dumb(fd, h, "child");
	printf("child: MAP_DUMB mapping holds the pattern %d\n", holds(dumb, 6));
	view = map_buf(buf, PROT_READ, SIZE, 0);
	printf("child: dma-buf mapping holds the pattern %d\n", holds(view, 6));
	if (dumb)
		fill(dumb, 7);
	printf("child: dma-buf mapping sees the writes %d\n", holds(view, 7));
	fflush(stdout);
	close(buf);
	close(fd);
	return write(sock, "w", 1) == 1 ? 0 : 1;
}

static void processes(int fd)
{
	uint32_t h = create(fd), *dumb = map_dumb(fd, h, "parent");
	int sv[2], buf, status;
	char byte = 0;
	pid_t pid;

	fill(dumb, 6);
	show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	show("HANDLE_TO_FD", export(fd, h, DRM_CLOEXEC | DRM_RDWR, &buf));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		_exit(child(sv[1]));
	}
	close(sv[1]);
	show("sendmsg SCM_RIGHTS", send_fd(sv[0], buf));
	close(buf);
	show("parent: read the child's answer", read(sv[0], &byte, 1));
	waitpid(pid, &status, 0);
	printf("parent: child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("parent: sees the child's writes %d\n", holds(dumb, 7));
	munmap(dumb, SIZE);
	show("parent: GEM_CLOSE", drm(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h }));
	close(sv[0]);
}

/* The connector's modes, every field Linux derives from the EDID. */
static void modes(int fd)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_connector conn = { 0 };
	struct drm_mode_modeinfo m[64];
	uint32_t conns[4];

	res.connector_id_ptr = (uintptr_t)conns;
	res.count_connectors = 4;
	show("GETRESOURCES", drm(fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	conn.connector_id = conns[0];
	conn.modes_ptr = (uintptr_t)m;
	conn.count_modes = 64;
	show("GETCONNECTOR", drm(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn));
	printf("  %u modes, mm %ux%u\n", conn.count_modes, conn.mm_width, conn.mm_height);
	for (unsigned i = 0; i < conn.count_modes && i < 64; i++)
		printf("  %s %u clock %u h %u %u %u %u v %u %u %u %u flags %#x type %#x\n",
		       m[i].name, m[i].vrefresh, m[i].clock, m[i].hdisplay, m[i].hsync_start,
		       m[i].hsync_end, m[i].htotal, m[i].vdisplay, m[i].vsync_start,
		       m[i].vsync_end, m[i].vtotal, m[i].flags, m[i].type);
}

int main(int argc, char **argv)
{
	int fd = card(), fd2 = card(), rfd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "modes")) {
		modes(fd);
		return 0;
	}
	caps(fd);
	export_errors(fd, fd2);
	within(fd, fd2, rfd);
	lifetimes(fd);
	flink(fd, fd2, rfd);
	processes(fd);
	return 0;
}
