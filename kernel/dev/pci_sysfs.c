/*
 * pci_sysfs.c — every PCI function as a device on the "pci" bus:
 * /sys/devices/pci0000:00/0000:BB:SS.F with the attribute files Linux has and libdrm's
 * drmGetDevice2 reads (vendor, device, subsystem ids, revision, class) and Linux's
 * uevent variables (PCI_CLASS, PCI_ID, PCI_SUBSYS_ID, PCI_SLOT_NAME, MODALIAS).
 */
#include "arch/x86_64/arch.h"
#include "base/device.h"
#include "mm/mm.h"
#include "lib/log.h"

/* The host bridge's directory: QEMU's machines put every function on bus 0 (devices
 * behind bridges would nest deeper in Linux). */
static struct device pci_root = { .name = "pci0000:00" };

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

static size_t pci_modalias(struct pci_device *d, char *buf, size_t size)
{
	return ksnprintf(buf, size, "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
			 d->vendor, d->device, d->subsystem_vendor, d->subsystem_device,
			 d->class, d->subclass, d->prog_if);
}

static size_t pci_show_modalias(void *ctx, char *buf, size_t size)
{
	return pci_modalias(ctx, buf, size);
}

/* The bus's uevent variables, as Linux's pci_uevent writes them. */
static size_t pci_uevent(struct device *dev, char *buf, size_t size)
{
	struct pci_device *d = dev->data;
	size_t len;

	len = ksnprintf(buf, size,
			"PCI_CLASS=%04X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
			"PCI_SLOT_NAME=0000:%02x:%02x.%x\nMODALIAS=",
			(unsigned)d->class << 16 | d->subclass << 8 | d->prog_if, d->vendor,
			d->device, d->subsystem_vendor, d->subsystem_device, d->bus, d->slot,
			d->func);
	return len + pci_modalias(d, buf + MIN(len, size), size - MIN(len, size));
}

static const struct {
	const char *name;
	size_t (*show)(void *ctx, char *buf, size_t size);
} pci_attrs[] = {
	{ "vendor", pci_show_vendor }, { "device", pci_show_device },
	{ "subsystem_vendor", pci_show_subsystem_vendor },
	{ "subsystem_device", pci_show_subsystem_device },
	{ "revision", pci_show_revision }, { "class", pci_show_class },
	{ "modalias", pci_show_modalias },
};

static int pci_sysfs_add(struct pci_device *d)
{
	struct device *dev = kzalloc(sizeof(*dev));
	int err;

	if (!dev)
		return -ENOMEM;
	ksnprintf(dev->name, sizeof(dev->name), "0000:%02x:%02x.%x", d->bus, d->slot, d->func);
	dev->parent = &pci_root;
	dev->bus = "pci";
	dev->uevent = pci_uevent;
	dev->data = d;
	err = device_register(dev);
	for (size_t i = 0; i < ARRAY_SIZE(pci_attrs) && !err; i++)
		err = device_add_file(dev, pci_attrs[i].name, 0444, pci_attrs[i].show, NULL, d);
	if (err)
		return err;
	d->sysdev = dev;
	return 0;
}

/* Registers the host bridge and every PCI function found by pci_init. After
 * device_model_init; a failure leaves the function out of /sys. */
void pci_sysfs_init(void)
{
	struct pci_device *d;
	int err;

	if (device_register(&pci_root)) {
		pr_err("pci: no /sys/devices/pci0000:00");
		return;
	}
	list_for_each_entry(d, &pci_devices, link) {
		err = pci_sysfs_add(d);
		if (err)
			pr_err("pci: %02x:%02x.%x: no sysfs directory (%d)", d->bus, d->slot,
			       d->func, err);
	}
}

/* The sysfs directory of d with its path ("devices/pci0000:00/...") in path; NULL
 * when it has none. */
struct sysfs_node *pci_sysfs_dir(struct pci_device *d, char *path, size_t size)
{
	if (!d->sysdev)
		return NULL;
	strlcpy(path, d->sysdev->path, size);
	return d->sysdev->dir;
}
