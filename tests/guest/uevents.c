/*
 * uevents: kobject uevents as udev receives them. A NETLINK_KOBJECT_UEVENT socket bound
 * to group 1 gets the message that writing an action to a device's sysfs uevent file
 * sends (synthetic events, as `udevadm trigger` makes them); the program prints its
 * header and variables, SEQNUM only as its relation to /sys/kernel/uevent_seqnum.
 * Also: bad actions and arguments, empty and oversized writes, opening read-only
 * attributes for writing. (Named uevents: busybox has a "uevent" applet.)
 *
 * usage: uevents DEVDIR... (each a directory with a uevent file: the first gets the
 * full set of actions, the others a "change")
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include "errname.h"

static int nl;

static unsigned long read_seqnum(void)
{
	char buf[32] = "";
	int fd = open("/sys/kernel/uevent_seqnum", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		printf("uevent_seqnum: %s\n", errname(errno));
	close(fd);
	return strtoul(buf, NULL, 10);
}

/* Writes text (len bytes) to path; prints and returns the result. */
static ssize_t write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t r;

	if (fd < 0) {
		printf("open %s for writing: %s\n", path, errname(errno));
		return -1;
	}
	errno = 0;
	r = write(fd, text, len);
	printf("write \"");
	for (size_t i = 0; i < len && i < 64; i++)
		printf(text[i] == '\n' ? "\\n" : "%c", text[i]);
	printf("%s\" (%zu bytes) = %zd %s\n", len > 64 ? "..." : "", len, r,
	       r < 0 ? errname(errno) : "");
	close(fd);
	return r;
}

/* Receives and prints every queued message (waiting up to 2 s for the first). */
static void receive(unsigned long seq_before)
{
	char buf[4096];
	struct pollfd p = { nl, POLLIN, 0 };
	int timeout = 2000;

	while (poll(&p, 1, timeout) == 1) {
		ssize_t n = recv(nl, buf, sizeof(buf) - 1, 0);

		if (n <= 0)
			break;
		buf[n] = 0;
		printf("  message: %s\n", buf);
		for (char *v = buf + strlen(buf) + 1; v < buf + n; v += strlen(v) + 1) {
			if (!strncmp(v, "SEQNUM=", 7))
				printf("    SEQNUM present, before+%ld, file now +%ld\n",
				       strtol(v + 7, NULL, 10) - (long)seq_before,
				       (long)(read_seqnum() - seq_before));
			else
				printf("    %s\n", v);
		}
		timeout = 200;
	}
}

/* Writes text to dir/uevent and prints what arrives (when the write succeeded). */
static void trigger(const char *dir, const char *text)
{
	char path[512];
	unsigned long before = read_seqnum();

	snprintf(path, sizeof(path), "%s/uevent", dir);
	if (write_file(path, text, strlen(text)) > 0)
		receive(before);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char path[512], big[5000];

	setvbuf(stdout, NULL, _IOLBF, 0);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (nl < 0 || bind(nl, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("socket/bind: %s\n", errname(errno));
		return 1;
	}
	if (argc < 2)
		return 2;
	trigger(argv[1], "change\n");
	trigger(argv[1], "add");
	trigger(argv[1], "remove\n");
	trigger(argv[1], "change 01234567-89ab-cdef-0123-456789ABCDEF\n");
	trigger(argv[1], "online 01234567-89ab-cdef-0123-456789abcdef A=1 Key2=xyz\n");
	trigger(argv[1], "bogus\n");
	trigger(argv[1], "change\n\n");
	trigger(argv[1], " change");
	trigger(argv[1], "Change");
	trigger(argv[1], "chang");
	trigger(argv[1], "change 01234567-89ab-cdef-0123-456789abcdeg");
	trigger(argv[1], "change 01234567-89ab-cdef-0123-456789abcdef a-b=1");
	trigger(argv[1], "change 01234567-89ab-cdef-0123-456789abcdef A=");
	trigger(argv[1], "change 01234567-89ab-cdef-0123-456789abcdef A=1 ");
	trigger(argv[1], "change 01234567-89ab-cdef-0123-456789abcdef  A=1");
	trigger(argv[1], "change x");
	trigger(argv[1], "");
	memset(big, 'x', sizeof(big));
	memcpy(big, "change\n", 7);
	snprintf(path, sizeof(path), "%s/uevent", argv[1]);
	write_file(path, big, sizeof(big));
	snprintf(path, sizeof(path), "%s/dev", argv[1]);
	write_file(path, "1:3", 3);
	write_file("/sys/kernel/uevent_seqnum", "5", 1);
	for (int i = 2; i < argc; i++)
		trigger(argv[i], "change\n");
	close(nl);
	return 0;
}
