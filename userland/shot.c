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

#include "control.h"

/* Open the control channel; exits with 2 on failure. */
static int open_ctl(void)
{
	int fd = ctl_open();

	if (fd < 0) {
		perror("shot: " CTL_DEVICE);
		_exit(2);
	}
	return fd;
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
	if (write_all(fd, req, n) < 0) {
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
