/*
 * devices.c — devices_init: the character devices of kernel/dev/ and their nodes in
 * devtmpfs, with the numbers and modes Linux's devtmpfs gives them (ttyS* are 0600 on
 * Debian's kernel: the tty core only asks 0666 for /dev/tty and /dev/ptmx).
 */
#include "dev/dev.h"
#include "dev/devices.h"
#include "dev/tty.h"
#include "arch/x86_64/arch.h"
#include "base/device.h"
#include "mm/mm.h"
#include "lib/log.h"
#include <linux/stat.h>

/* One node; class is its sysfs class, and devmode what its class asks udev for
 * (DEVMODE: the mem class gives every node its mode, the tty class only /dev/tty
 * and /dev/ptmx). Serial ports sit under the serial8250 platform device. */
struct dev_node {
	const char *name;
	unsigned major, minor;
	mode_t mode;
	const struct file_operations *ops;
	const char *class;
	bool devmode, serial;
};

static const struct dev_node dev_nodes[] = {
	{ "null", 1, 3, 0666, &null_fops, "mem", true, false },
	{ "zero", 1, 5, 0666, &zero_fops, "mem", true, false },
	{ "full", 1, 7, 0666, &full_fops, "mem", true, false },
	{ "random", 1, 8, 0666, &random_fops, "mem", true, false },
	{ "urandom", 1, 9, 0666, &random_fops, "mem", true, false },
	{ "kmsg", 1, 11, 0644, &kmsg_fops, "mem", true, false },
	{ "tty", 5, 0, 0666, &tty_fops, "tty", true, false },
	{ "console", 5, 1, 0600, &tty_fops, "tty", false, false },
	{ "ptmx", 5, 2, 0666, &ptmx_fops, "tty", true, false },
	{ "ttyS0", 4, 64, 0600, &tty_fops, "tty", false, true },
	{ "ttyS1", 4, 65, 0600, &tty_fops, "tty", false, true },
};

/* The platform device the 8250 driver puts its ports under, as Linux's serial8250. */
static struct device serial8250 = { .name = "serial8250", .bus = "platform",
				    .driver = "serial8250" };

static size_t serial8250_uevent(struct device *dev, char *buf, size_t size)
{
	return ksnprintf(buf, size, "MODALIAS=platform:serial8250\n");
}

/* The sysfs device of one node (never freed: the devices stay). */
static int dev_node_sysfs_add(const struct dev_node *d)
{
	struct device *dev;

	if (d->serial && !serial8250.dir) {
		serial8250.parent = platform_root();
		serial8250.uevent = serial8250_uevent;
		if (device_register(&serial8250))
			return -ENOMEM;
	}
	dev = kzalloc(sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	strlcpy(dev->name, d->name, sizeof(dev->name));
	dev->parent = d->serial ? &serial8250 : NULL;
	dev->class = d->class;
	dev->devt = MKDEV(d->major, d->minor);
	dev->devmode = d->devmode ? d->mode : 0;
	return device_register(dev);
}

/* The tty named by the last console= on the command line ("ttyS1,115200" names
 * ttyS1), or ttyS0. */
static struct tty *console_from_cmdline(void)
{
	const char *p = boot_info.cmdline, *found = NULL;
	char name[16];
	size_t len = 0;
	struct tty *tty;

	for (; (p = strchr(p, 'c')); p++)
		if ((p == boot_info.cmdline || p[-1] == ' ') && !strncmp(p, "console=", 8))
			found = p + 8;
	if (found)
		while (found[len] && found[len] != ' ' && found[len] != ',' && len + 1 < sizeof(name))
			len++;
	memcpy(name, found ? found : "ttyS0", found ? len : 6);
	name[found ? len : 5] = 0;
	tty = tty_lookup_name(name);
	if (!tty && found)
		pr_warn("console=%s: no such terminal, using ttyS0", name);
	return tty ? tty : tty_lookup_name("ttyS0");
}

void devices_init(void)
{
	int err;

	serial_init();
	tty_set_console(console_from_cmdline());
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		const struct dev_node *d = &dev_nodes[i];

		err = chrdev_register(d->major, d->minor, 1, d->name, d->ops);
		if (!err)
			err = devtmpfs_create_node(d->name, S_IFCHR | d->mode,
						   MKDEV(d->major, d->minor));
		if (!err)
			err = dev_node_sysfs_add(d);
		if (err)
			pr_err("devices: /dev/%s: %d", d->name, err);
	}
	/* Pseudo-terminal slaves: their nodes live in devpts (pty.c adds them). */
	if (chrdev_register(136, 0, 1u << 20, "pts", &tty_fops))
		pr_err("devices: pts: out of memory");
}
