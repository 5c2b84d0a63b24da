/*
 * shot [-c] NAME | shot NAME HEAD: ask the host for a screenshot and wait until it is
 * saved.
 *
 * Writes "SHOT NAME\n" on the control channel (/dev/ttyS1, raw) and waits for
 * "SHOT-DONE NAME\n" (exit 0) or "SHOT-FAIL NAME\n" (exit 1). The host saves QEMU's
 * screendump of what the display scans out as $SHOTS/NAME.png. With HEAD (a scanout
 * number) the request and answers name "NAME HEAD" and the screendump is of that
 * head of a GPU with several.
 *
 * With -c the request is "CURSORSHOT NAME": the host composes the hardware cursor
 * QEMU shows onto the screendump (tests/harness/qcursor.py) and first answers
 * "CURSOR WHAT" (position, hot spot and size, "hidden" or "none"), printed as
 * "cursor: WHAT" on stdout.
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

/* Whether s is a head number: one or two decimal digits. */
static int is_head(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && (!s[1] || (s[1] >= '0' && s[1] <= '9' && !s[2]));
}

/* Request the screenshot NAME and wait for the host's answer about it. */
int main(int argc, char **argv)
{
	int cursor = argc == 3 && strcmp(argv[1], "-c") == 0;
	int head = argc == 3 && !cursor;
	const char *name = argv[1 + cursor];
	char req[300], line[300], shot[210];
	int fd, n;

	if (argc < 2 || argc > 3 || !name[0] || strlen(name) > 200 || strpbrk(name, "/ ") ||
	    (head && !is_head(argv[2]))) {
		fprintf(stderr, "usage: shot [-c] NAME | shot NAME HEAD  (NAME without '/' or "
			"' ', at most 200 characters; HEAD a scanout number)\n");
		return 2;
	}
	snprintf(shot, sizeof(shot), "%s%s%s", name, head ? " " : "", head ? argv[2] : "");
	fd = open_ctl();
	n = snprintf(req, sizeof(req), "%s %s\n", cursor ? "CURSORSHOT" : "SHOT", shot);
	if (write_all(fd, req, n) < 0) {
		perror("shot: write");
		return 2;
	}
	while (read_line(fd, line, sizeof(line)) == 0) {
		const char *name = strchr(line, ' ');
		if (cursor && strncmp(line, "CURSOR ", 7) == 0) {
			printf("cursor: %s\n", line + 7);
			fflush(stdout);
			continue;
		}
		if (!name || strcmp(name + 1, shot) != 0)
			continue;
		if (strncmp(line, "SHOT-DONE ", 10) == 0)
			return 0;
		if (strncmp(line, "SHOT-FAIL ", 10) == 0) {
			fprintf(stderr, "shot: the host could not save %s.png\n", name);
			return 1;
		}
	}
	perror("shot: reading the answer");
	return 2;
}
