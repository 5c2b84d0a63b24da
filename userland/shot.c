/*
 * shot NAME: ask the host for a screenshot and wait until it is saved.
 *
 * Writes "SHOT NAME\n" on the control channel (/dev/ttyS1, raw) and waits for
 * "SHOT-DONE NAME\n" (exit 0) or "SHOT-FAIL NAME\n" (exit 1). The host saves QEMU's
 * screendump of what the display scans out as $SHOTS/NAME.png.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Open the control channel in raw mode; exits with 2 on failure. */
static int open_ctl(void)
{
	struct termios t;
	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);

	if (fd < 0) {
		perror("shot: /dev/ttyS1");
		_exit(2);
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* Read one line (without '\n') into buf; returns -1 on error or end of file. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return 0;
}

/* Request the screenshot NAME and wait for the host's answer about it. */
int main(int argc, char **argv)
{
	char req[300], line[300];
	int fd, n;

	if (argc != 2 || !argv[1][0] || strlen(argv[1]) > 200 || strchr(argv[1], '/')) {
		fprintf(stderr, "usage: shot NAME  (no '/', at most 200 characters)\n");
		return 2;
	}
	fd = open_ctl();
	n = snprintf(req, sizeof(req), "SHOT %s\n", argv[1]);
	if (write(fd, req, n) != n) {
		perror("shot: write");
		return 2;
	}
	while (read_line(fd, line, sizeof(line)) == 0) {
		const char *name = strchr(line, ' ');
		if (!name || strcmp(name + 1, argv[1]) != 0)
			continue;
		if (strncmp(line, "SHOT-DONE ", 10) == 0)
			return 0;
		if (strncmp(line, "SHOT-FAIL ", 10) == 0) {
			fprintf(stderr, "shot: the host could not save %s.png\n", argv[1]);
			return 1;
		}
	}
	perror("shot: reading the answer");
	return 2;
}
