/*
 * pci_sysfs.c — /sys/devices/pci0000:00/0000:BB:SS.F for a PCI device a driver
 * exposes, with the attribute files Linux has and libdrm's drmGetDevice2 reads
 * (vendor, device, subsystem ids, revision, class, uevent's PCI_SLOT_NAME).
 */
#include "arch/x86_64/arch.h"
#include "fs/vfs.h"
#include "lib/log.h"

static size_t pci_show_vendor(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%04x\n", ((struct pci_device *)ctx)->vendor);
}

static size_t pci_show_device(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%04x\n", ((struct pci_device *)ctx)->device);
}

static size_t pci_show_subsystem_vendor(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%04x\n", ((struct pci_device *)ctx)->subsystem_vendor);
}

static size_t pci_show_subsystem_device(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%04x\n", ((struct pci_device *)ctx)->subsystem_device);
}

static size_t pci_show_revision(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%02x\n", ((struct pci_device *)ctx)->revision);
}

static size_t pci_show_class(void *ctx, char *buf, size_t size)
{
	struct pci_device *d = ctx;

	return ksnprintf(buf, size, "0x%02x%02x%02x\n", d->class, d->subclass, d->prog_if);
}

static size_t pci_show_uevent(void *ctx, char *buf, size_t size)
{
	struct pci_device *d = ctx;

	return ksnprintf(buf, size,
			 "PCI_CLASS=%x%02x%02x\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
			 "PCI_SLOT_NAME=0000:%02x:%02x.%x\n",
			 d->class, d->subclass, d->prog_if, d->vendor, d->device,
			 d->subsystem_vendor, d->subsystem_device, d->bus, d->slot, d->func);
}

static const struct {
	const char *name;
	size_t (*show)(void *ctx, char *buf, size_t size);
} pci_attrs[] = {
	{ "vendor", pci_show_vendor }, { "device", pci_show_device },
	{ "subsystem_vendor", pci_show_subsystem_vendor },
	{ "subsystem_device", pci_show_subsystem_device },
	{ "revision", pci_show_revision }, { "class", pci_show_class },
	{ "uevent", pci_show_uevent },
};

/* The sysfs directory of d, created with its attributes on the first call; NULL when
 * out of memory. After vfs_init. */
struct sysfs_node *pci_sysfs_dir(struct pci_device *d, char *path, size_t size)
{
	struct sysfs_node *root, *dir;
	char name[16];

	ksnprintf(name, sizeof(name), "0000:%02x:%02x.%x", d->bus, d->slot, d->func);
	/* Every device sits under the root bus's directory: QEMU's machines put them on
	 * bus 0 (devices behind bridges would nest deeper in Linux). */
	ksnprintf(path, size, "devices/pci0000:00/%s", name);
	root = sysfs_mkdir(sysfs_mkdir(NULL, "devices"), "pci0000:00");
	if (!root || !(dir = sysfs_mkdir(root, name)))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(pci_attrs); i++)
		sysfs_add_file(dir, pci_attrs[i].name, 0444, pci_attrs[i].show, d);
	sysfs_add_link(dir, "subsystem", "../../../bus/pci");
	return dir;
}
