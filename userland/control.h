/*
 * control.h — the guest side of the control channel (COM2, /dev/ttyS1) that init
 * and shot share with the host runner (tests/harness/lumenqemu.py): opening it raw,
 * and whole writes, reads and lines over it.
 */
#ifndef LUMEN_CONTROL_H
#define LUMEN_CONTROL_H

#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#define CTL_DEVICE "/dev/ttyS1"

/* Opens the control channel raw (8-bit, no echo, no translation); -1 with errno
 * set on failure. Setting raw mode failing is not fatal: returns the fd anyway. */
static inline int ctl_open(void)
{
	struct termios t;
	int fd = open(CTL_DEVICE, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* Writes all of buf, retrying after short writes and EINTR; -1 on error. */
static inline int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Reads exactly len bytes; -1 on error or end of file. */
static inline int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Reads one '\n'-terminated line (without the '\n') into buf; -1 on error. */
static inline int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		if (read_all(fd, buf + len, 1) < 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return 0;
}

#endif
