/*
 * netlink: AF_NETLINK NETLINK_KOBJECT_UEVENT sockets against Linux, as udev/libinput
 * monitors open them: socket errors, bind to groups with automatic and explicit port
 * ids, getsockname, SO_ATTACH_FILTER/SO_DETACH_FILTER with good and bad programs,
 * SO_RCVBUFFORCE, SO_PASSCRED, non-blocking receive and poll with nothing queued.
 *
 * Prints one line per checked call; port ids only as comparisons with the pid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include "check.h"

static int getint(int fd, int opt)
{
	int v = -7;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &l) < 0)
		return -errno;
	return v;
}

static void show_name(const char *what, int fd)
{
	struct sockaddr_nl a;
	socklen_t l = sizeof(a) + 4;

	memset(&a, 0x55, sizeof(a));
	if (getsockname(fd, (void *)&a, &l) < 0) {
		printf("%-44s = -1 %s\n", what, errname(errno));
		return;
	}
	printf("%-44s = len %d family %d pad %d pid %s groups %#x\n", what, (int)l, a.nl_family,
	       a.nl_pad, a.nl_pid == (unsigned)getpid() ? "self" : a.nl_pid == 0 ? "0" :
	       (int)a.nl_pid < 0 ? "negative" : "other", a.nl_groups);
}

static int attach(int fd, struct sock_filter *f, unsigned short len, int optlen)
{
	struct sock_fprog prog = { len, f };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, optlen);
}

int main(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct sock_filter good[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x61646440, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter bad[4];
	static struct sock_filter many[4097];
	char buf[256];
	int fd, fd2, v;
	struct stat st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	R("socket stream", socket(AF_NETLINK, SOCK_STREAM, NETLINK_KOBJECT_UEVENT));
	R("socket seqpacket", socket(AF_NETLINK, SOCK_SEQPACKET, NETLINK_KOBJECT_UEVENT));
	R("socket proto -1", socket(AF_NETLINK, SOCK_RAW, -1));
	R("socket proto 32", socket(AF_NETLINK, SOCK_RAW, 32));
	R("socket proto 1000", socket(AF_NETLINK, SOCK_DGRAM, 1000));
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	R("socket dgram uevent", fd >= 0);
	close(fd);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	R("socket raw uevent", fd >= 0);
	R("fstat S_IFSOCK", fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode));
	R("SO_TYPE", getint(fd, SO_TYPE));
	R("SO_DOMAIN", getint(fd, SO_DOMAIN));
	R("SO_PROTOCOL", getint(fd, SO_PROTOCOL));
	show_name("getsockname unbound", fd);
	R("bind len 8", bind(fd, (void *)&sa, 8));
	sa.nl_family = AF_UNIX;
	R("bind AF_UNIX family", bind(fd, (void *)&sa, sizeof(sa)));
	sa.nl_family = AF_NETLINK;
	R("bind bad ptr", bind(fd, bad_ptr, sizeof(sa)));
	R("bind groups 1", bind(fd, (void *)&sa, sizeof(sa)));
	show_name("getsockname bound", fd);
	sa.nl_pid = getpid() + 1;
	R("rebind other pid", bind(fd, (void *)&sa, sizeof(sa)));
	sa.nl_pid = getpid();
	sa.nl_groups = 3;
	R("rebind same pid, groups 3", bind(fd, (void *)&sa, sizeof(sa)));
	show_name("getsockname rebound", fd);
	fd2 = socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);
	R("bind taken pid", bind(fd2, (void *)&sa, sizeof(sa)));
	sa.nl_pid = 0;
	sa.nl_groups = 1;
	R("autobind second", bind(fd2, (void *)&sa, sizeof(sa)));
	show_name("getsockname second", fd2);
	close(fd2);
	v = 128 * 1024 * 1024;
	R("SO_RCVBUFFORCE 128M", setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)));
	R("SO_RCVBUF", getint(fd, SO_RCVBUF));
	v = 1;
	R("SO_PASSCRED", setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &v, sizeof(v)));
	R("attach good filter", attach(fd, good, 4, sizeof(struct sock_fprog)));
	R("attach optlen 8", attach(fd, good, 4, 8));
	R("attach optlen 2", attach(fd, good, 4, 2));
	R("attach len 0", attach(fd, good, 0, sizeof(struct sock_fprog)));
	R("attach NULL filter", attach(fd, NULL, 4, sizeof(struct sock_fprog)));
	R("attach bad filter ptr", attach(fd, bad_ptr, 4, sizeof(struct sock_fprog)));
	R("attach 4097 insns", attach(fd, many, 4097, sizeof(struct sock_fprog)));
	R("attach bad fprog ptr", setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, bad_ptr, 16));
	memcpy(bad, good, sizeof(bad));
	bad[3] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
	R("attach no final RET", attach(fd, bad, 4, sizeof(struct sock_fprog)));
	memcpy(bad, good, sizeof(bad));
	bad[1].jf = 5;
	R("attach jump out of range", attach(fd, bad, 4, sizeof(struct sock_fprog)));
	memcpy(bad, good, sizeof(bad));
	bad[0] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0);
	R("attach divide by 0", attach(fd, bad, 4, sizeof(struct sock_fprog)));
	memcpy(bad, good, sizeof(bad));
	bad[0] = (struct sock_filter)BPF_STMT(0xffff, 0);
	R("attach bad opcode", attach(fd, bad, 4, sizeof(struct sock_fprog)));
	memcpy(bad, good, sizeof(bad));
	bad[0] = (struct sock_filter)BPF_STMT(BPF_ST, 16);
	R("attach store M[16]", attach(fd, bad, 4, sizeof(struct sock_fprog)));
	R("detach", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)));
	R("detach again", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)));
	R("attach again", attach(fd, good, 4, sizeof(struct sock_fprog)));
	R("recv DONTWAIT", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	R("poll", poll(&p, 1, 0));
	printf("%-44s = %#x\n", "revents", p.revents);
	R("recv MSG_OOB", recv(fd, buf, sizeof(buf), MSG_OOB | MSG_DONTWAIT));
	R("listen", listen(fd, 1));
	R("accept", accept(fd, NULL, NULL));
	close(fd);
	return 0;
}
