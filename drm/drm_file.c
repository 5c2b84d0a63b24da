/*
 * drm_file.c — DRM devices and their files: allocation and registration of a device
 * (/dev/dri/cardN, renderD(128+N), major 226), open and release of a node with
 * Linux's master rules (the first opener of a primary node becomes master), and the
 * device mutex.
 */
#include "drm/drm_internal.h"
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include <linux/stat.h>

#define DRM_MAJOR 226
#define DRM_RENDER_MINOR_BASE 128
#define DRM_MAX_DEVICES 8

static spinlock_t drm_devices_lock = SPINLOCK_INIT("drm_devices");
static struct drm_device *drm_devices[DRM_MAX_DEVICES];	/* under drm_devices_lock */

void drm_mutex_init(struct drm_mutex *m)
{
	spin_init(&m->lock, "drm_mutex");
	m->held = false;
	wait_queue_init(&m->wq);
}

static bool drm_mutex_trylock(struct drm_mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->lock);
	bool got = !m->held;

	m->held = true;
	spin_unlock_irqrestore(&m->lock, flags);
	return got;
}

/* Takes the mutex, sleeping (uninterruptibly) while another task holds it. */
void drm_mutex_lock(struct drm_mutex *m)
{
	if (!drm_mutex_trylock(m))
		wait_event(&m->wq, drm_mutex_trylock(m));
}

/* Releases the mutex and wakes the tasks waiting for it. */
void drm_mutex_unlock(struct drm_mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->lock);

	m->held = false;
	spin_unlock_irqrestore(&m->lock, flags);
	/* A waiter queues itself before retrying, so an empty queue means no waiter. */
	if (!list_empty(&m->wq.waiters))
		wake_up(&m->wq);
}

/* True when some task holds the mutex (for assertions). */
bool drm_mutex_is_held(struct drm_mutex *m)
{
	return m->held;
}

/* Allocates a device and numbers its outputs' mode objects as Linux's virtio_gpu
 * does: per output its primary and cursor planes (each followed by its IN_FORMATS
 * blob when the driver takes modifiers, as on Linux's vkms), then its CRTC,
 * connector and encoder. */
struct drm_device *drm_device_alloc(const struct drm_driver *driver, unsigned nr_outputs,
				    struct pci_device *pci, const char *bus_name)
{
	struct drm_device *dev;

	if (!nr_outputs || nr_outputs > DRM_MAX_OUTPUTS || !(dev = kzalloc(sizeof(*dev))))
		return NULL;
	dev->driver = driver;
	dev->pci = pci;
	strlcpy(dev->bus_name, bus_name, sizeof(dev->bus_name));
	dev->nr_outputs = nr_outputs;
	drm_mutex_init(&dev->mutex);
	list_init(&dev->objects);
	list_init(&dev->fbs);
	drm_vblank_init(dev);
	list_init(&dev->prime_put);
	dev->next_offset = DRM_FAKE_OFFSET_START;
	dev->next_id = 1;
	drm_props_init(dev);
	for (unsigned i = 0; i < nr_outputs; i++) {
		struct drm_output_props *op = &dev->oprops[i];
		unsigned nc;
		const uint32_t *cursor_formats = drm_cursor_formats(dev, &nc);

		dev->outputs[i].plane_id = dev->next_id++;
		if (driver->modifiers &&
		    !(op->in_formats = drm_in_formats_blob(dev, driver->formats,
							   driver->nr_formats)))
			goto fail;
		if (driver->funcs->cursor_set) {
			dev->outputs[i].cursor_plane_id = dev->next_id++;
			if (driver->modifiers &&
			    !(op->cursor_in_formats = drm_in_formats_blob(dev, cursor_formats, nc)))
				goto fail;
		}
		dev->outputs[i].crtc_id = dev->next_id++;
		dev->outputs[i].connector_id = dev->next_id++;
		dev->outputs[i].encoder_id = dev->next_id++;
	}
	dev->first_dynamic_id = dev->next_id;
	return dev;

fail:
	for (unsigned i = 0; i < nr_outputs; i++) {
		drm_blob_put_locked(dev->oprops[i].in_formats);
		drm_blob_put_locked(dev->oprops[i].cursor_in_formats);
	}
	kfree(dev);
	return NULL;
}

/* Output i of dev (i < nr_outputs). */
struct drm_output *drm_output(struct drm_device *dev, unsigned i)
{
	return &dev->outputs[i];
}

/* Copies desc's description of output i (connection, size, modes) under dev->mutex;
 * true when it differs from what the output had. */
bool drm_output_update(struct drm_device *dev, unsigned i, const struct drm_output *desc)
{
	struct drm_output *out = &dev->outputs[i];
	unsigned n = MIN(desc->nr_modes, (unsigned)DRM_MAX_MODES);
	bool changed;

	drm_mutex_lock(&dev->mutex);
	changed = out->connected != desc->connected || out->mm_width != desc->mm_width ||
		  out->mm_height != desc->mm_height || out->nr_modes != n ||
		  memcmp(out->modes, desc->modes, n * sizeof(out->modes[0]));
	out->connected = desc->connected;
	out->mm_width = desc->mm_width;
	out->mm_height = desc->mm_height;
	memcpy(out->modes, desc->modes, n * sizeof(out->modes[0]));
	out->nr_modes = n;
	drm_mutex_unlock(&dev->mutex);
	return changed;
}

/* Tells user space that connectors changed (Linux's hotplug uevent), then the
 * console (as Linux's drm_kms_helper_hotplug_event tells its clients). */
void drm_hotplug_event(struct drm_device *dev)
{
	drm_sysfs_hotplug(dev);
	drm_fbdev_hotplug(dev);
}

/* Stores the driver's private pointer. */
void drm_set_driver_data(struct drm_device *dev, void *data)
{
	dev->driver_data = data;
}

/* The driver's private pointer. */
void *drm_driver_data(struct drm_device *dev)
{
	return dev->driver_data;
}

/* The device with card or render minor `minor` (a render minor only for a driver
 * with render nodes), or NULL. */
struct drm_device *drm_device_of_minor(unsigned minor)
{
	unsigned index = minor >= DRM_RENDER_MINOR_BASE ? minor - DRM_RENDER_MINOR_BASE : minor;
	struct drm_device *dev = NULL;
	uint64_t flags;

	if (index >= DRM_MAX_DEVICES || (minor >= DRM_MAX_DEVICES && minor < DRM_RENDER_MINOR_BASE))
		return NULL;
	flags = spin_lock_irqsave(&drm_devices_lock);
	dev = drm_devices[index];
	spin_unlock_irqrestore(&drm_devices_lock, flags);
	if (dev && minor >= DRM_RENDER_MINOR_BASE && dev->driver->no_render)
		return NULL;
	return dev;
}

/* See drm.h. Devices are never removed, so the ones read stay valid. */
bool drm_aperture_in_use(uint64_t base, uint64_t size)
{
	bool used = false;
	uint64_t flags = spin_lock_irqsave(&drm_devices_lock);

	for (int i = 0; i < DRM_MAX_DEVICES; i++) {
		struct pci_device *pci = drm_devices[i] ? drm_devices[i]->pci : NULL;

		for (int b = 0; pci && b < 6; b++)
			used |= !pci->bar_is_io[b] && pci->bar_size[b] &&
				base < pci->bar[b] + pci->bar_size[b] && pci->bar[b] < base + size;
	}
	spin_unlock_irqrestore(&drm_devices_lock, flags);
	return used;
}

/* Gives the device the lowest free index and creates its nodes (cardN, and
 * renderD(128+N) unless the driver has none); 0 or -errno. */
int drm_device_register(struct drm_device *dev)
{
	char name[32];
	uint64_t flags = spin_lock_irqsave(&drm_devices_lock);
	int index = -1, err;

	for (int i = 0; i < DRM_MAX_DEVICES && index < 0; i++)
		if (!drm_devices[i])
			index = i;
	if (index >= 0) {
		drm_devices[index] = dev;
		dev->index = index;
	}
	spin_unlock_irqrestore(&drm_devices_lock, flags);
	if (index < 0)
		return -ENOSPC;
	if (index == 0 && (err = chrdev_register(DRM_MAJOR, 0, 256, "drm", &drm_fops)))
		return err;
	/* devtmpfs gives DRM nodes 0600 root:root when no udev rule changes them. */
	ksnprintf(name, sizeof(name), "dri/card%d", index);
	err = devtmpfs_create_node(name, S_IFCHR | 0600, MKDEV(DRM_MAJOR, index));
	ksnprintf(name, sizeof(name), "dri/renderD%d", DRM_RENDER_MINOR_BASE + index);
	if (!err && !dev->driver->no_render)
		err = devtmpfs_create_node(name, S_IFCHR | 0600,
					   MKDEV(DRM_MAJOR, DRM_RENDER_MINOR_BASE + index));
	if (!err)
		err = drm_sysfs_add(dev);
	if (!err)
		pr_info("[drm] Initialized %s %d.%d.%d %s for %s on minor %d", dev->driver->name,
			dev->driver->major, dev->driver->minor, dev->driver->patchlevel,
			dev->driver->date, dev->bus_name, index);
	return err;
}

/* Opens a node: a primary node's file joins the current master's group, or becomes
 * master with a group of its own when there is none (Linux's drm_master_open). */
static int drm_open(struct file *file)
{
	unsigned minor = MINOR(file_rdev(file));
	struct drm_device *dev = drm_device_of_minor(minor);
	struct drm_master *fresh = NULL;
	struct drm_file *fpriv;

	if (!dev)
		return -ENODEV;
	fpriv = kzalloc(sizeof(*fpriv));
	if (!fpriv)
		return -ENOMEM;
	fpriv->render = minor >= DRM_RENDER_MINOR_BASE;
	if (!fpriv->render && !(fresh = drm_master_create())) {
		kfree(fpriv);
		return -ENOMEM;
	}
	fpriv->dev = dev;
	fpriv->filp = file;
	fpriv->opener = task_tgid(current);
	list_init(&fpriv->prime);
	list_init(&fpriv->lessees);
	/* Everyone runs as root here; Linux authenticates CAP_SYS_ADMIN openers. */
	fpriv->authenticated = true;
	drm_events_init(fpriv);
	drm_mutex_lock(&dev->mutex);
	dev->open_count++;
	if (!fpriv->render)
		drm_master_open_locked(fpriv, fresh);
	drm_mutex_unlock(&dev->mutex);
	file->private_data = fpriv;
	return 0;
}

/* The last close: framebuffers (and what shows them), handles, master and leases
 * go (a lessee's going is announced by a LEASE=1 uevent, as Linux's); the device's
 * last file brings the console back (Linux's drm_lastclose). */
static void drm_release(struct file *file)
{
	struct drm_file *fpriv = drm_file_of(file);
	struct drm_device *dev = fpriv->dev;
	bool was_lessee;

	drm_mutex_lock(&dev->mutex);
	drm_fb_release_locked(fpriv);
	drm_gem_release_locked(fpriv);
	drm_blob_release_locked(fpriv);
	drm_master_release_locked(fpriv);
	was_lessee = drm_lease_release_locked(fpriv);
	if (!--dev->open_count)
		drm_fbdev_restore_locked(dev);
	drm_mutex_unlock(&dev->mutex);
	if (was_lessee)
		drm_sysfs_lease_event(dev);
	drm_events_release(fpriv);
	drm_prime_flush(dev);
	kfree(fpriv->handles);
	kfree(fpriv);
}

long drm_ioctl(struct file *file, unsigned cmd, unsigned long arg);

const struct file_operations drm_fops = {
	.open = drm_open,
	.release = drm_release,
	.read = drm_read,
	.poll = drm_poll,
	.ioctl = drm_ioctl,
	.mmap = drm_gem_mmap,
	.fault_page = drm_gem_fault_page,
};
