/*
 * device.h — the device model: the devices the kernel knows, laid out in /sys as
 * Linux's driver core lays them out, so that libudev, libdrm and libinput find what
 * they read there. A much smaller cousin of Linux's struct device / bus / class:
 *
 *   /sys/devices/<parent path>/<name>/   uevent, dev (with a devt), subsystem link,
 *                                        driver link (when bound), power/
 *   /sys/devices/virtual/<class>/<name>  a class device without a parent
 *   <parent>/<class>/<name>              a class device whose parent has no class
 *                                        (Linux's "glue" directory: virtio0/block/vda)
 *   /sys/class/<class>/<name>, /sys/bus/<bus>/devices/<name>,
 *   /sys/dev/{char,block}/M:m            links to the device's directory
 *
 * A driver fills in a struct device (it owns the memory; devices are never removed
 * today), calls device_register, adds its attribute files with device_add_file and
 * reports hotplug with device_uevent.
 */
#ifndef LUMEN_BASE_DEVICE_H
#define LUMEN_BASE_DEVICE_H

#include "fs/vfs.h"

#define DEVICE_PATH_MAX 160

struct device {
	/* Set by the owner before device_register, read-only afterwards. */
	char name[32];
	struct device *parent;		/* NULL: /sys/devices (or .../virtual/<class>) */
	const char *bus;		/* "pci", "virtio", "platform"... or NULL */
	const char *class;		/* "mem", "tty", "block", "drm", "input"... or NULL */
	dev_t devt;			/* its /dev node, 0 for none; block when class "block" */
	const char *devname;		/* DEVNAME when it is not name ("dri/card0") */
	mode_t devmode;			/* DEVMODE, 0 for none (udev's default 0600) */
	const char *devtype;		/* DEVTYPE, or NULL */
	/* The bus's or class's own uevent variables ("KEY=value\n" each) written into
	 * buf; returns the full length as ksnprintf does. NULL for none. */
	size_t (*uevent)(struct device *dev, char *buf, size_t size);
	void *data;			/* the owner's */

	/* Set by the core. driver changes only from NULL to a name (device_bind_driver). */
	const char *driver;
	char path[DEVICE_PATH_MAX];	/* "devices/pci0000:00/0000:00:02.0", no leading / */
	struct sysfs_node *dir;
};

/* Creates dev's directory with uevent, dev, subsystem, power/ and the links into
 * /sys/class, /sys/bus and /sys/dev, then sends an "add" uevent. The parent must be
 * registered. 0, -ENAMETOOLONG or -ENOMEM. After vfs_init; may sleep. */
int device_register(struct device *dev);
/* Adds an attribute file to a registered device (see sysfs_add_file_rw; store may be
 * NULL). 0 or -errno. */
int device_add_file(struct device *dev, const char *name, mode_t mode,
		    size_t (*show)(void *ctx, char *buf, size_t size),
		    ssize_t (*store)(void *ctx, const char *buf, size_t len), void *ctx);
/* Adds a link in dev's directory (or its subdirectory sub, NULL for none) to the
 * directory of target, relative as Linux writes it. 0 or -errno. */
int device_add_link(struct device *dev, const char *sub, const char *name,
		    struct device *target);
/* Records that the driver named `driver` (a static string) drives dev: DRIVER= in its
 * uevent, /sys/bus/<bus>/drivers/<driver>/<name> and the device's driver link. */
int device_bind_driver(struct device *dev, const char *driver);
/* Sends a kobject uevent for dev ("add", "remove", "change", "move", "online",
 * "offline", "bind", "unbind") to NETLINK_KOBJECT_UEVENT listeners, with the next
 * SEQNUM; extra holds more "KEY=value\n" variables after the standard ones (or
 * NULL). Nothing is sent for a device with neither bus nor class, as on Linux.
 * 0, -EINVAL for an unknown action or -ENOMEM. May sleep. */
int device_uevent(struct device *dev, const char *action, const char *extra);
/* Builds the device model's fixed directories (/sys/devices/virtual, platform,
 * /sys/kernel/uevent_seqnum...). From vfs_init, after sysfs_init. */
int device_model_init(void);
/* The platform bus's root device (/sys/devices/platform), parent of platform
 * devices. After device_model_init. */
struct device *platform_root(void);

#endif
