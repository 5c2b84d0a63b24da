/*
 * drm_sysfs.c — the sysfs view of a DRM device as Linux lays it out and libdrm and
 * libudev read it: <pci device>/<bus device>/drm/{cardN,renderD(128+N)} with dev,
 * uevent, subsystem and device, plus the /sys/class/drm and /sys/dev/char links.
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

/* Adds <bus_path>/drm/<name> for one minor and its two links. */
static int drm_sysfs_add_minor(struct drm_device *dev, struct sysfs_node *drm_dir,
			       const char *bus_path, unsigned minor, const char *name)
{
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
	sysfs_add_link(dir, "subsystem", "../../../../../../class/drm");
	ksnprintf(target, sizeof(target), "../../../%s", dev->bus_name);
	sysfs_add_link(dir, "device", target);
	ksnprintf(target, sizeof(target), "../../%s/drm/%s", bus_path, name);
	sysfs_add_link(class_drm, name, target);
	ksnprintf(link, sizeof(link), "226:%u", minor);
	return sysfs_add_link(dev_char, link, target);
}

/* Creates the device's sysfs entries (see the top of the file); 0 or -errno. */
int drm_sysfs_add(struct drm_device *dev)
{
	char pci_path[DRM_SYSFS_PATH], bus_path[DRM_SYSFS_PATH], name[16], bus[16];
	char link[48];
	struct sysfs_node *pci_dir, *bus_dir, *drm_dir;
	size_t len = strlen(dev->bus_name);
	int err;

	/* The bus is the device name without its number: virtio0 is on "virtio". */
	while (len && dev->bus_name[len - 1] >= '0' && dev->bus_name[len - 1] <= '9')
		len--;
	memcpy(bus, dev->bus_name, len);
	bus[len] = 0;

	if (!dev->pci || !(pci_dir = pci_sysfs_dir(dev->pci, pci_path, sizeof(pci_path))))
		return -ENODEV;
	ksnprintf(bus_path, sizeof(bus_path), "%s/%s", pci_path, dev->bus_name);
	bus_dir = sysfs_mkdir(pci_dir, dev->bus_name);
	drm_dir = bus_dir ? sysfs_mkdir(bus_dir, "drm") : NULL;
	if (!drm_dir || !sysfs_mkdir(sysfs_mkdir(NULL, "bus"), bus))
		return -ENOMEM;
	ksnprintf(link, sizeof(link), "../../../../bus/%s", bus);
	sysfs_add_link(bus_dir, "subsystem", link);
	sysfs_add_file(bus_dir, "uevent", 0644, drm_show_bus_uevent, dev);
	ksnprintf(name, sizeof(name), "card%u", dev->index);
	err = drm_sysfs_add_minor(dev, drm_dir, bus_path, dev->index, name);
	ksnprintf(name, sizeof(name), "renderD%u", 128 + dev->index);
	if (!err)
		err = drm_sysfs_add_minor(dev, drm_dir, bus_path, 128 + dev->index, name);
	return err;
}
