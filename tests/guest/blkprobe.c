/* blkprobe: block special files as Linux's def_blk_fops answers them. One line per
 * checked call. Usage: blkprobe RW_DISK RO_DISK (vdb read-write, vdc read-only). */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "errname.h"

static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void sizes(int fd)
{
	uint64_t bytes = 0;
	unsigned long sectors = 0;
	int ss = 0, ro = -1;

	show("BLKGETSIZE64", ioctl(fd, BLKGETSIZE64, &bytes));
	printf("  bytes %llu\n", (unsigned long long)bytes);
	show("BLKGETSIZE", ioctl(fd, BLKGETSIZE, &sectors));
	printf("  sectors %lu\n", sectors);
	show("BLKSSZGET", ioctl(fd, BLKSSZGET, &ss));
	printf("  sector size %d\n", ss);
	show("BLKROGET", ioctl(fd, BLKROGET, &ro));
	printf("  read-only %d\n", ro);
	show("ioctl TCGETS", ioctl(fd, 0x5401, &bytes));
}

static void rw_disk(const char *path)
{
	char buf[1024], back[1024];
	int fd = open(path, O_RDWR);

	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = 'a' + i % 26;
	show("open rw disk O_RDWR", fd);
	sizes(fd);
	show("lseek SEEK_END", lseek(fd, 0, SEEK_END));
	show("lseek SEEK_END+1", lseek(fd, 1, SEEK_END));
	show("lseek SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
	show("lseek SEEK_DATA 4096", lseek(fd, 4096, SEEK_DATA));
	show("read at end", pread(fd, back, sizeof(back), lseek(fd, 0, SEEK_END)));
	show("read across end", pread(fd, back, sizeof(back), 1048576 - 100));
	show("write at end", pwrite(fd, "x", 1, 1048576));
	show("write across end", pwrite(fd, buf, sizeof(buf), 1048576 - 10));
	show("write 1000 bytes at 300", pwrite(fd, buf, 1000, 300));
	show("read them back", pread(fd, back, 1000, 300));
	printf("  same: %d\n", memcmp(buf, back, 1000) == 0);
	show("read sector 0 bytes 290..310", pread(fd, back, 20, 290));
	for (int i = 0; i < 20; i++)
		back[i] = back[i] ? back[i] : '.';
	printf("  %.20s\n", back);
	show("fsync", fsync(fd));
	close(fd);
}

static void ro_disk(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDWR);

	show("open ro disk O_RDWR", fd);
	sizes(fd);
	show("write to ro disk", pwrite(fd, "x", 1, 0));
	show("read ro disk sector 3", pread(fd, buf, 15, 3 * 512));
	printf("  %.14s\n", buf);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	rw_disk(argv[1]);
	ro_disk(argv[2]);
	show("open missing disk", open("/tmp/nodisk", O_RDONLY));
	return 0;
}
