/*
 * drm_sysfs.c — the sysfs view of a DRM device as Linux lays it out and libdrm and
 * libudev read it: <pci device>/<bus device>/drm/{cardN,renderD(128+N)} (or
 * devices/platform/<platform device>/drm/... for a device without PCI, as simpledrm's
 * simple-framebuffer.0) with dev, uevent, subsystem and device, plus the
 * /sys/class/drm and /sys/dev/char links.
 */
#include "drm/drm_internal.h"
#include "arch/x86_64/arch.h"

#define DRM_SYSFS_PATH 128

/* One node's attributes; allocated once per node and never freed (devices stay). */
struct drm_sysfs_minor {
	unsigned minor;
	char name[16];
};

static size_t drm_show_dev(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "226:%u\n", ((struct drm_sysfs_minor *)ctx)->minor);
}

static size_t drm_show_uevent(void *ctx, char *buf, size_t size)
{
	struct drm_sysfs_minor *m = ctx;

	return ksnprintf(buf, size, "MAJOR=226\nMINOR=%u\nDEVNAME=dri/%s\nDEVTYPE=drm_minor\n",
			 m->minor, m->name);
}

static size_t drm_show_bus_uevent(void *ctx, char *buf, size_t size)
{
	struct drm_device *dev = ctx;

	return ksnprintf(buf, size, "DRIVER=%s\n", dev->driver->name);
}

/* A platform device's uevent names its platform driver (the device's name without
 * its ".N"), as Linux's platform_uevent does. */
static size_t drm_show_platform_uevent(void *ctx, char *buf, size_t size)
{
	struct drm_device *dev = ctx;
	char name[sizeof(dev->bus_name)];
	char *dot;

	strlcpy(name, dev->bus_name, sizeof(name));
	if ((dot = strchr(name, '.')))
		*dot = 0;
	return ksnprintf(buf, size, "DRIVER=%s\nMODALIAS=platform:%s\n", name, name);
}

/* Adds <bus_path>/drm/<name> for one minor and its two links. */
static int drm_sysfs_add_minor(struct drm_device *dev, struct sysfs_node *drm_dir,
			       const char *bus_path, unsigned minor, const char *name)
{
	int depth = 3;	/* from <bus_path>/drm/<name> up to /sys */
	struct drm_sysfs_minor *m = kzalloc(sizeof(*m));
	struct sysfs_node *dir, *class_drm, *dev_char;
	char target[DRM_SYSFS_PATH + 32], link[16];

	if (!m)
		return -ENOMEM;
	m->minor = minor;
	strlcpy(m->name, name, sizeof(m->name));
	dir = sysfs_mkdir(drm_dir, name);
	class_drm = sysfs_mkdir(sysfs_mkdir(NULL, "class"), "drm");
	dev_char = sysfs_mkdir(sysfs_mkdir(NULL, "dev"), "char");
	if (!dir || !class_drm || !dev_char)
		return -ENOMEM;
	sysfs_add_file(dir, "dev", 0444, drm_show_dev, m);
	sysfs_add_file(dir, "uevent", 0644, drm_show_uevent, m);
	for (const char *p = bus_path; *p && depth < DRM_SYSFS_PATH / 4; p++)
		depth += *p == '/';
	for (int k = 0; k < depth; k++)
		memcpy(target + 3 * k, "../", 3);
	strlcpy(target + 3 * depth, "class/drm", sizeof(target) - 3 * depth);
	sysfs_add_link(dir, "subsystem", target);
	ksnprintf(target, sizeof(target), "../../../%s", dev->bus_name);
	sysfs_add_link(dir, "device", target);
	ksnprintf(target, sizeof(target), "../../%s/drm/%s", bus_path, name);
	sysfs_add_link(class_drm, name, target);
	ksnprintf(link, sizeof(link), "226:%u", minor);
	return sysfs_add_link(dev_char, link, target);
}

/* The platform device devices/platform/<bus_name> of a device without PCI. */
static struct sysfs_node *drm_sysfs_platform_dir(struct drm_device *dev, char *path,
						 size_t size)
{
	struct sysfs_node *dir = sysfs_mkdir(sysfs_mkdir(sysfs_mkdir(NULL, "devices"),
							 "platform"), dev->bus_name);

	if (!dir || !sysfs_mkdir(sysfs_mkdir(NULL, "bus"), "platform"))
		return NULL;
	ksnprintf(path, size, "devices/platform/%s", dev->bus_name);
	sysfs_add_link(dir, "subsystem", "../../../bus/platform");
	sysfs_add_file(dir, "uevent", 0644, drm_show_platform_uevent, dev);
	return dir;
}

/* The bus device <pci device>/<bus_name> of a device on PCI. */
static struct sysfs_node *drm_sysfs_pci_bus_dir(struct drm_device *dev, char *path,
						size_t size)
{
	char pci_path[DRM_SYSFS_PATH], bus[16], link[48];
	struct sysfs_node *pci_dir, *bus_dir;
	size_t len = strlen(dev->bus_name);

	/* The bus is the device name without its number: virtio0 is on "virtio". */
	while (len && dev->bus_name[len - 1] >= '0' && dev->bus_name[len - 1] <= '9')
		len--;
	memcpy(bus, dev->bus_name, len);
	bus[len] = 0;
	if (!(pci_dir = pci_sysfs_dir(dev->pci, pci_path, sizeof(pci_path))))
		return NULL;
	ksnprintf(path, size, "%s/%s", pci_path, dev->bus_name);
	bus_dir = sysfs_mkdir(pci_dir, dev->bus_name);
	if (!bus_dir || !sysfs_mkdir(sysfs_mkdir(NULL, "bus"), bus))
		return NULL;
	ksnprintf(link, sizeof(link), "../../../../bus/%s", bus);
	sysfs_add_link(bus_dir, "subsystem", link);
	sysfs_add_file(bus_dir, "uevent", 0644, drm_show_bus_uevent, dev);
	return bus_dir;
}

/* Creates the device's sysfs entries (see the top of the file); 0 or -errno. */
int drm_sysfs_add(struct drm_device *dev)
{
	char bus_path[DRM_SYSFS_PATH], name[16];
	struct sysfs_node *bus_dir, *drm_dir;
	int err;

	bus_dir = dev->pci ? drm_sysfs_pci_bus_dir(dev, bus_path, sizeof(bus_path)) :
			     drm_sysfs_platform_dir(dev, bus_path, sizeof(bus_path));
	drm_dir = bus_dir ? sysfs_mkdir(bus_dir, "drm") : NULL;
	if (!drm_dir)
		return -ENOMEM;
	ksnprintf(name, sizeof(name), "card%u", dev->index);
	err = drm_sysfs_add_minor(dev, drm_dir, bus_path, dev->index, name);
	ksnprintf(name, sizeof(name), "renderD%u", 128 + dev->index);
	if (!err)
		err = drm_sysfs_add_minor(dev, drm_dir, bus_path, 128 + dev->index, name);
	return err;
}
