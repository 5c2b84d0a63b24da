/*
 * drmsysfs: a DRM connector's sysfs files as udev and compositors use them, against
 * Linux: forcing the connector through its status file ("off", "on", "on-digital",
 * "detect", bad values, empty and oversized writes) and what follows — the status,
 * enabled and modes files, GETCONNECTOR's connection and mode count on /dev/dri/card0,
 * and its EDID property (0 once a probe found it disconnected, until the device
 * gives an EDID again), and the kobject uevents that arrive on a
 * NETLINK_KOBJECT_UEVENT socket (printed with SEQNUM as its relation to
 * /sys/kernel/uevent_seqnum). Then the uevent files of card0 and the connector, and
 * attributes that take no writes.
 *
 * `drmsysfs hotplug W H` has the host resize the display to W x H (the control
 * channel's RESIZE: a VNC client's SetDesktopSize, as resizing QEMU's window does)
 * and prints the uevents and the connector's preferred mode before and after; the
 * resize comes while no file is master, so the kernel console picks its mode again
 * (Linux's drm_fb_helper_hotplug_event), which GETCRTC shows. With keep-master the
 * file stays master through the resize: the console waits, and picks its mode when
 * the device's last file has closed (GETCRTC on a new file).
 *
 * usage: drmsysfs CONNECTOR_DIR (/sys/class/drm/card0-Virtual-1) |
 *        hotplug W H [keep-master]
 */
#define _GNU_SOURCE
#include <drm.h>
#include <drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include "errname.h"
#include "../../userland/control.h"

static int nl, card;
static const char *conn_dir;

/* The contents of dir/name, newlines shown as '|'; "(error)" when unreadable. */
static const char *read_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, size - 1);
	if (n < 0) {
		snprintf(buf, size, "(%s)", errname(errno));
	} else {
		buf[n] = 0;
		for (char *p = buf; *p; p++)
			if (*p == '\n')
				*p = '|';
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

static unsigned long read_seqnum(void)
{
	char buf[32];

	return strtoul(read_attr("/sys/kernel", "uevent_seqnum", buf, sizeof(buf)), NULL, 10);
}

/* Prints every uevent that arrives within wait_ms (then 300 ms after each). */
static void receive(unsigned long seq_before, int wait_ms)
{
	char buf[4096];
	struct pollfd p = { nl, POLLIN, 0 };
	int n = 0;

	while (poll(&p, 1, wait_ms) == 1) {
		ssize_t len = recv(nl, buf, sizeof(buf) - 1, 0);

		if (len <= 0)
			break;
		buf[len] = 0;
		printf("  uevent %s:", buf);
		for (char *v = buf + strlen(buf) + 1; v < buf + len; v += strlen(v) + 1) {
			if (!strncmp(v, "SEQNUM=", 7))
				printf(" SEQNUM=before+%ld", strtol(v + 7, NULL, 10) - (long)seq_before);
			else
				printf(" %s", v);
		}
		printf("\n");
		n++;
		wait_ms = 300;
	}
	printf("  %d uevents, uevent_seqnum before+%ld\n", n, (long)(read_seqnum() - seq_before));
}

/* The connector's EDID property: "0", or the size of the blob it names. */
static void print_edid(uint32_t conn)
{
	uint32_t ids[32];
	uint64_t values[32];
	struct drm_mode_obj_get_properties r = { .obj_id = conn, .count_props = 32,
						 .props_ptr = (uintptr_t)ids,
						 .prop_values_ptr = (uintptr_t)values };

	if (ioctl(card, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &r) < 0) {
		printf(" OBJ_GETPROPERTIES %s", errname(errno));
		return;
	}
	for (uint32_t k = 0; k < r.count_props && k < 32; k++) {
		struct drm_mode_get_property p = { .prop_id = ids[k] };
		struct drm_mode_get_blob b = { .blob_id = values[k] };

		if (ioctl(card, DRM_IOCTL_MODE_GETPROPERTY, &p) < 0 || strcmp(p.name, "EDID"))
			continue;
		if (!values[k])
			printf(" EDID 0");
		else if (ioctl(card, DRM_IOCTL_MODE_GETPROPBLOB, &b) < 0)
			printf(" EDID GETPROPBLOB %s", errname(errno));
		else
			printf(" EDID blob of %u bytes", b.length);
		return;
	}
	printf(" no EDID property");
}

/* The connector's id (the first one's), or 0. */
static uint32_t first_connector(void)
{
	struct drm_mode_card_res res = { 0 };
	uint32_t id;

	res.connector_id_ptr = (uintptr_t)&id;
	res.count_connectors = 1;
	if (ioctl(card, DRM_IOCTL_MODE_GETRESOURCES, &res) < 0) {
		printf("  GETRESOURCES: %s\n", errname(errno));
		return 0;
	}
	return id;
}

/* The CRTC as the kernel console left it: its mode, or off. */
static void print_crtc(void)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_crtc c = { 0 };

	res.crtc_id_ptr = (uintptr_t)&c.crtc_id;
	res.count_crtcs = 1;
	if (ioctl(card, DRM_IOCTL_MODE_GETRESOURCES, &res) < 0 ||
	    ioctl(card, DRM_IOCTL_MODE_GETCRTC, &c) < 0) {
		printf("  GETCRTC: %s\n", errname(errno));
		return;
	}
	if (c.mode_valid)
		printf("  GETCRTC: %s@%u, fb %s\n", c.mode.name, c.mode.vrefresh,
		       c.fb_id ? "set" : "0");
	else
		printf("  GETCRTC: off, fb %s\n", c.fb_id ? "set" : "0");
}

/* The connector as KMS shows it: connection, the number of modes, the first, the
 * EDID property. */
static void print_kms(void)
{
	struct drm_mode_get_connector c = { 0 };
	uint32_t id = first_connector();

	if (!id)
		return;
	c.connector_id = id;
	if (ioctl(card, DRM_IOCTL_MODE_GETCONNECTOR, &c) < 0) {
		printf("  GETCONNECTOR: %s\n", errname(errno));
		return;
	}
	printf("  GETCONNECTOR: connection %u modes %u", c.connection, c.count_modes);
	if (c.count_modes) {
		struct drm_mode_modeinfo *m = calloc(c.count_modes, sizeof(*m));

		c.modes_ptr = (uintptr_t)m;
		c.count_props = c.count_encoders = 0;
		if (m && ioctl(card, DRM_IOCTL_MODE_GETCONNECTOR, &c) == 0)
			printf(" first %s@%u %s mm %ux%u", m[0].name, m[0].vrefresh,
			       m[0].type & DRM_MODE_TYPE_PREFERRED ? "preferred" : "",
			       c.mm_width, c.mm_height);
		free(m);
	}
	print_edid(id);
	printf("\n");
}

/* Has the host resize the display (RESIZE W H on the control channel), then prints
 * the uevents that follow and the connector as KMS and sysfs show it. */
static int hotplug(const char *w, const char *h, bool keep_master)
{
	char req[64], line[64];
	unsigned long before = read_seqnum();
	int ctl = ctl_open(), n;
	size_t len = 0;

	if (ctl < 0)
		return 1;
	print_kms();
	print_crtc();
	if (!keep_master && ioctl(card, DRM_IOCTL_DROP_MASTER, 0) < 0)
		printf("DROP_MASTER: %s\n", errname(errno));
	n = snprintf(req, sizeof(req), "RESIZE %s %s\n", w, h);
	if (write_all(ctl, req, n) < 0)
		return 1;
	while (len < sizeof(line) - 1 && read(ctl, line + len, 1) == 1 && line[len] != '\n')
		len++;
	line[len] = 0;
	printf("resize %sx%s: %s\n", w, h, line);
	close(ctl);
	receive(before, 5000);
	print_crtc();
	if (keep_master) {
		close(card);
		card = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
		printf("the last file closed, a new one:\n");
		print_crtc();
	} else if (ioctl(card, DRM_IOCTL_SET_MASTER, 0) < 0) {
		printf("SET_MASTER: %s\n", errname(errno));
	}
	print_kms();
	return 0;
}

/* Writes text (len bytes) to dir/name and prints the result. */
static ssize_t write_attr(const char *dir, const char *name, const char *text, size_t len)
{
	char path[512];
	int fd;
	ssize_t r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	printf("write %s \"", name);
	for (size_t i = 0; i < len && i < 24; i++)
		printf(text[i] == '\n' ? "\\n" : "%c", text[i]);
	printf("%s\" (%zu bytes): ", len > 24 ? "..." : "", len);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("open %s\n", errname(errno));
		return -1;
	}
	r = write(fd, text, len);
	printf("%zd %s\n", r, r < 0 ? errname(errno) : "");
	close(fd);
	return r;
}

/* Forces the connector with text, then prints what changed and what was sent. */
static void force(const char *text, size_t len)
{
	unsigned long before = read_seqnum();
	char status[64], enabled[64], modes[2048];
	int nr_modes = 0;

	write_attr(conn_dir, "status", text, len);
	receive(before, 1000);
	read_attr(conn_dir, "modes", modes, sizeof(modes));
	for (char *p = modes; *p; p++)
		nr_modes += *p == '|';
	printf("  status %s enabled %s modes %d\n", read_attr(conn_dir, "status", status, 64),
	       read_attr(conn_dir, "enabled", enabled, 64), nr_modes);
	print_kms();
}

int main(int argc, char **argv)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char big[5000];
	unsigned long before;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2 && ((argc != 4 && argc != 5) || strcmp(argv[1], "hotplug") ||
			  (argc == 5 && strcmp(argv[4], "keep-master"))))
		return 2;
	conn_dir = argv[1];
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	card = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (nl < 0 || bind(nl, (struct sockaddr *)&a, sizeof(a)) < 0 || card < 0) {
		printf("setup: %s\n", errname(errno));
		return 1;
	}
	if (argc >= 4)
		return hotplug(argv[2], argv[3], argc == 5);
	print_kms();
	force("off", 3);
	force("off\n", 4);
	force("on", 2);
	force("detect\n", 7);
	force("on-digital", 10);
	force("detect", 6);
	force("bogus", 5);
	force("Off", 3);
	force("detect\n\n", 8);
	force("", 0);
	memset(big, 'x', sizeof(big));
	force(big, sizeof(big));
	for (const char *const *f = (const char *const[]){ "enabled", "dpms", "modes", "edid", NULL };
	     *f; f++)
		write_attr(conn_dir, *f, "1", 1);
	before = read_seqnum();
	write_attr(conn_dir, "uevent", "change\n", 7);
	receive(before, 2000);
	before = read_seqnum();
	write_attr("/sys/class/drm/card0", "uevent", "add\n", 4);
	receive(before, 2000);
	write_attr("/sys/class/drm/card0", "uevent", "bogus\n", 6);
	write_attr("/sys/class/drm", "version", "1", 1);
	close(card);
	close(nl);
	return 0;
}
