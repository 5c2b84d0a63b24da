/*
 * core.c — device registration and the sysfs layout around it (see device.h): the
 * device's directory and standard files, its links from /sys/class, /sys/bus,
 * /sys/dev and /sys/block, and driver binding. Uevents are in uevent.c.
 *
 * The sysfs tree has its own lock (taken inside every sysfs_* call); the device model
 * keeps no list of its own, so registration needs no lock beyond it.
 */
#include "base/base.h"
#include "mm/mm.h"

static struct device platform_dev = { .name = "platform" };

/* The length of the path component at s (up to '/' or the end). */
static size_t comp_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != '/')
		n++;
	return n;
}

/* Writes into out the link that a file in directory `from` needs to reach `to` (both
 * relative to /sys), as Linux's sysfs_get_target_path does: up to the deepest
 * ancestor of from that also contains to, then down. -ENAMETOOLONG when too long. */
int device_rel_path(const char *from, const char *to, char *out, size_t size)
{
	size_t fcount = 1, tcount = 1, common = 0, n, i;
	const char *f = from, *t = to;
	size_t len = 0;

	for (i = 0; from[i]; i++)
		fcount += from[i] == '/';
	for (i = 0; to[i]; i++)
		tcount += to[i] == '/';
	/* Count the leading components both paths share. */
	for (;;) {
		size_t fl = comp_len(f), tl = comp_len(t);

		if (fl != tl || memcmp(f, t, fl) || common + 1 >= tcount || common + 1 > fcount)
			break;
		common++;
		f += fl + (f[fl] == '/');
		t += tl + (t[tl] == '/');
	}
	n = common;
	for (i = n; i < fcount; i++) {
		if (len + 3 >= size)
			return -ENAMETOOLONG;
		memcpy(out + len, "../", 3);
		len += 3;
	}
	if (len + strlen(t) >= size)
		return -ENAMETOOLONG;
	strlcpy(out + len, t, size - len);
	return 0;
}

/* Finds or creates the directory at path (relative to /sys); NULL on failure. */
struct sysfs_node *device_mkdirs(const char *path)
{
	struct sysfs_node *dir = NULL;
	char name[64];

	while (*path) {
		size_t len = comp_len(path);

		if (len >= sizeof(name))
			return NULL;
		memcpy(name, path, len);
		name[len] = 0;
		dir = sysfs_mkdir(dir, name);
		if (!dir)
			return NULL;
		path += len + (path[len] == '/');
	}
	return dir;
}

/* Adds the link dir_path/name → to_path (both relative to /sys), creating dir_path. */
static int device_link_at(const char *dir_path, const char *name, const char *to_path)
{
	struct sysfs_node *dir = device_mkdirs(dir_path);
	char target[DEVICE_PATH_MAX + 64];
	int err;

	if (!dir)
		return -ENOMEM;
	err = device_rel_path(dir_path, to_path, target, sizeof(target));
	return err ? err : sysfs_add_link(dir, name, target);
}

static size_t device_show_dev(void *ctx, char *buf, size_t size)
{
	struct device *dev = ctx;

	return ksnprintf(buf, size, "%u:%u\n", MAJOR(dev->devt), MINOR(dev->devt));
}

/* Runtime power management is not implemented: Linux says so in the same words for
 * a device whose driver does not enable it. */
static size_t device_show_runtime_status(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "unsupported\n");
}

/* The directory the device goes in (relative to /sys), as Linux's get_device_parent
 * chooses it. */
static int device_parent_path(struct device *dev, char *buf, size_t size)
{
	int len;

	if (dev->parent && dev->class && !dev->parent->class)
		len = ksnprintf(buf, size, "%s/%s", dev->parent->path, dev->class);
	else if (dev->parent)
		len = ksnprintf(buf, size, "%s", dev->parent->path);
	else if (dev->class)
		len = ksnprintf(buf, size, "devices/virtual/%s", dev->class);
	else
		len = ksnprintf(buf, size, "devices");
	return len < (int)size ? 0 : -ENAMETOOLONG;
}

/* The links that point at a registered device from outside its directory. */
static int device_add_links(struct device *dev)
{
	char dir[64], name[24];
	bool block = dev->class && !strcmp(dev->class, "block");
	int err = 0;

	if (dev->class) {
		ksnprintf(dir, sizeof(dir), "class/%s", dev->class);
		err = device_link_at(dir, dev->name, dev->path);
	}
	/* A class device with a parent points back at it, as Linux's "device" link. */
	if (!err && dev->class && dev->parent)
		err = device_link_at(dev->path, "device", dev->parent->path);
	if (!err && dev->bus) {
		ksnprintf(dir, sizeof(dir), "bus/%s/devices", dev->bus);
		err = device_link_at(dir, dev->name, dev->path);
		ksnprintf(dir, sizeof(dir), "bus/%s/drivers", dev->bus);
		if (!err && !device_mkdirs(dir))
			err = -ENOMEM;
	}
	if (!err && dev->devt) {
		ksnprintf(name, sizeof(name), "%u:%u", MAJOR(dev->devt), MINOR(dev->devt));
		err = device_link_at(block ? "dev/block" : "dev/char", name, dev->path);
	}
	/* Whole disks also appear in /sys/block, as on Linux. */
	if (!err && block && dev->devtype && !strcmp(dev->devtype, "disk"))
		err = device_link_at("block", dev->name, dev->path);
	return err;
}

/* The files every device directory has. */
static int device_add_std_files(struct device *dev)
{
	char subsys[64];
	struct sysfs_node *power;
	int err;

	err = sysfs_add_file_rw(dev->dir, "uevent", 0644, device_show_uevent,
				device_store_uevent, dev);
	if (!err && dev->devt)
		err = sysfs_add_file(dev->dir, "dev", 0444, device_show_dev, dev);
	if (!err && (dev->class || dev->bus)) {
		ksnprintf(subsys, sizeof(subsys), dev->class ? "class/%s" : "bus/%s",
			  dev->class ? dev->class : dev->bus);
		err = device_link_at(dev->path, "subsystem", subsys);
	}
	power = err ? NULL : sysfs_mkdir(dev->dir, "power");
	if (!err && !power)
		err = -ENOMEM;
	if (!err)
		err = sysfs_add_file(power, "runtime_status", 0444, device_show_runtime_status,
				     dev);
	return err;
}

/* Registers dev (see device.h); 0 or -errno. */
int device_register(struct device *dev)
{
	char parent[DEVICE_PATH_MAX];
	const char *driver = dev->driver;
	int err;

	err = device_parent_path(dev, parent, sizeof(parent));
	if (err)
		return err;
	if (ksnprintf(dev->path, sizeof(dev->path), "%s/%s", parent, dev->name) >=
	    (int)sizeof(dev->path))
		return -ENAMETOOLONG;
	dev->dir = device_mkdirs(dev->path);
	if (!dev->dir)
		return -ENOMEM;
	err = device_add_std_files(dev);
	if (!err)
		err = device_add_links(dev);
	if (!err && driver) {
		dev->driver = NULL;
		err = device_bind_driver(dev, driver);
	}
	if (err)
		return err;
	device_uevent(dev, "add", NULL);
	return 0;
}

/* Adds an attribute file to dev's directory; 0 or -errno. */
int device_add_file(struct device *dev, const char *name, mode_t mode,
		    size_t (*show)(void *ctx, char *buf, size_t size),
		    ssize_t (*store)(void *ctx, const char *buf, size_t len), void *ctx)
{
	return sysfs_add_file_rw(dev->dir, name, mode, show, store, ctx);
}

/* Adds dev's (sub)directory link name → target's directory; 0 or -errno. */
int device_add_link(struct device *dev, const char *sub, const char *name,
		    struct device *target)
{
	char dir[DEVICE_PATH_MAX + 32];

	if (ksnprintf(dir, sizeof(dir), sub ? "%s/%s" : "%s", dev->path, sub) >=
	    (int)sizeof(dir))
		return -ENAMETOOLONG;
	return device_link_at(dir, name, target->path);
}

/* Binds dev to driver (see device.h); 0, -EBUSY when already bound, or -errno. */
int device_bind_driver(struct device *dev, const char *driver)
{
	char dir[96];
	int err;

	if (!dev->bus)
		return -EINVAL;
	if (__atomic_exchange_n(&dev->driver, driver, __ATOMIC_ACQ_REL))
		return -EBUSY;
	if (ksnprintf(dir, sizeof(dir), "bus/%s/drivers/%s", dev->bus, driver) >=
	    (int)sizeof(dir))
		return -ENAMETOOLONG;
	err = device_link_at(dir, dev->name, dev->path);
	if (!err)
		err = device_link_at(dev->path, "driver", dir);
	return err;
}

/* The platform bus's root, /sys/devices/platform. */
struct device *platform_root(void)
{
	return &platform_dev;
}

/* Builds the fixed part of the tree (see device.h); 0 or -ENOMEM. */
int device_model_init(void)
{
	static const char *const dirs[] = {
		"devices/virtual", "devices/system", "bus/pci/devices", "bus/pci/drivers",
		"bus/platform/devices", "bus/platform/drivers", "bus/virtio/devices",
		"bus/virtio/drivers", "class", "dev/char", "dev/block", "block", "kernel",
		"firmware",
	};

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!device_mkdirs(dirs[i]))
			return -ENOMEM;
	if (device_register(&platform_dev))
		return -ENOMEM;
	return device_uevent_init();
}
