/*
 * drm_sysfs.c — a DRM device in the device model (kernel/base), laid out as Linux's
 * drm_sysfs lays it out and libdrm and libudev read it:
 *
 *   <parent>/drm/cardN, renderD(128+N)     class "drm" minors, DEVTYPE=drm_minor
 *   <parent>/drm/controlD(64+N) -> cardN   the control node's compatibility link
 *   cardN/cardN-<type>-<n>                 a connector: status (writable: forcing),
 *                                          enabled, dpms, modes, edid
 *   /sys/class/drm/version
 *
 * The parent is the PCI function (Linux's virtio_gpu gives DRM the virtio device's
 * parent) or, for a device without PCI, the platform device bus_name
 * (simple-framebuffer.0) registered here. The minors' uevent files send uevents as
 * every device's do; drm_sysfs_hotplug sends Linux's HOTPLUG=1 change event,
 * drm_sysfs_lease_event its LEASE=1 one.
 */
#include "drm/drm_internal.h"
#include "arch/x86_64/arch.h"
#include "base/device.h"

/* A connector's device: output i of drm. */
struct drm_sysfs_connector {
	struct device dev;
	struct drm_device *drm;
	unsigned i;
};

/* The devices of one DRM device: set up by drm_sysfs_add, then read-only (the
 * devices are never removed); the attributes read the DRM state under drm->mutex. */
struct drm_sysfs {
	struct device platform;		/* the parent when there is no PCI function */
	struct device card, render;
	char card_name[16], render_name[16];
	char platform_name[32];	/* the platform device's name without its ".N" */
	struct drm_sysfs_connector connectors[DRM_MAX_OUTPUTS];
};

/* Linux's connector type names (drm_connector_enum_list), by DRM_MODE_CONNECTOR_*. */
static const char *const drm_connector_names[] = {
	[DRM_MODE_CONNECTOR_Unknown] = "Unknown", [DRM_MODE_CONNECTOR_VGA] = "VGA",
	[DRM_MODE_CONNECTOR_DVII] = "DVI-I", [DRM_MODE_CONNECTOR_DVID] = "DVI-D",
	[DRM_MODE_CONNECTOR_DVIA] = "DVI-A", [DRM_MODE_CONNECTOR_Composite] = "Composite",
	[DRM_MODE_CONNECTOR_SVIDEO] = "SVIDEO", [DRM_MODE_CONNECTOR_LVDS] = "LVDS",
	[DRM_MODE_CONNECTOR_Component] = "Component", [DRM_MODE_CONNECTOR_9PinDIN] = "DIN",
	[DRM_MODE_CONNECTOR_DisplayPort] = "DP", [DRM_MODE_CONNECTOR_HDMIA] = "HDMI-A",
	[DRM_MODE_CONNECTOR_HDMIB] = "HDMI-B", [DRM_MODE_CONNECTOR_TV] = "TV",
	[DRM_MODE_CONNECTOR_eDP] = "eDP", [DRM_MODE_CONNECTOR_VIRTUAL] = "Virtual",
	[DRM_MODE_CONNECTOR_DSI] = "DSI", [DRM_MODE_CONNECTOR_DPI] = "DPI",
	[DRM_MODE_CONNECTOR_WRITEBACK] = "Writeback", [DRM_MODE_CONNECTOR_SPI] = "SPI",
	[DRM_MODE_CONNECTOR_USB] = "USB",
};

static size_t drm_show_version(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "drm 1.1.0 20060810\n");
}

/* The status file: what the connector is now, as Linux names it. */
static size_t drm_show_status(void *ctx, char *buf, size_t size)
{
	struct drm_sysfs_connector *c = ctx;
	bool connected;

	drm_mutex_lock(&c->drm->mutex);
	connected = drm_output_connected_locked(c->drm, c->i);
	drm_mutex_unlock(&c->drm->mutex);
	return ksnprintf(buf, size, "%s\n", connected ? "connected" : "disconnected");
}

/* Linux's sysfs_streq: the same but for one trailing newline on either side. */
static bool drm_sysfs_streq(const char *buf, size_t len, const char *word)
{
	size_t n = strlen(word);

	if (len && buf[len - 1] == '\n')
		len--;
	return len == n && !memcmp(buf, word, n);
}

/* Writing the status file forces the connector ("on", "on-digital", "off") or lets
 * the device decide again ("detect") and probes it, as Linux's status_store (a
 * disconnected connector loses its EDID property); no uevent follows (Linux's
 * virtio_gpu and simpledrm do not poll). len or -EINVAL. */
static ssize_t drm_store_status(void *ctx, const char *buf, size_t len)
{
	struct drm_sysfs_connector *c = ctx;
	enum drm_force force;

	/* sysfs hands an empty write to no attribute: it writes nothing. */
	if (!len)
		return 0;
	if (drm_sysfs_streq(buf, len, "detect"))
		force = DRM_FORCE_UNSPECIFIED;
	else if (drm_sysfs_streq(buf, len, "on") || drm_sysfs_streq(buf, len, "on-digital"))
		force = DRM_FORCE_ON;
	else if (drm_sysfs_streq(buf, len, "off"))
		force = DRM_FORCE_OFF;
	else
		return -EINVAL;
	drm_mutex_lock(&c->drm->mutex);
	c->drm->oprops[c->i].force = force;
	drm_output_probe_locked(c->drm, c->i);
	drm_mutex_unlock(&c->drm->mutex);
	return len;
}

/* "enabled" while the connector feeds a lit CRTC (Linux: it has an encoder). */
static size_t drm_show_enabled(void *ctx, char *buf, size_t size)
{
	struct drm_sysfs_connector *c = ctx;
	bool on;

	drm_mutex_lock(&c->drm->mutex);
	on = c->drm->outputs[c->i].fb != NULL;
	drm_mutex_unlock(&c->drm->mutex);
	return ksnprintf(buf, size, "%s\n", on ? "enabled" : "disabled");
}

/* The connector's DPMS state, as its DPMS property gives it. */
static size_t drm_show_dpms(void *ctx, char *buf, size_t size)
{
	struct drm_sysfs_connector *c = ctx;
	bool on;

	drm_mutex_lock(&c->drm->mutex);
	on = drm_connector_dpms_on_locked(c->drm, c->i);
	drm_mutex_unlock(&c->drm->mutex);
	return ksnprintf(buf, size, "%s\n", on ? "On" : "Off");
}

/* The names of the modes GETCONNECTOR gives, one a line. */
static size_t drm_show_modes(void *ctx, char *buf, size_t size)
{
	struct drm_sysfs_connector *c = ctx;
	struct drm_output *out = &c->drm->outputs[c->i];
	size_t len = 0;
	unsigned n;

	drm_mutex_lock(&c->drm->mutex);
	n = drm_output_connected_locked(c->drm, c->i) ? out->nr_modes : 0;
	for (unsigned k = 0; k < n; k++)
		len += ksnprintf(buf + MIN(len, size), size - MIN(len, size), "%.*s\n",
				 DRM_DISPLAY_MODE_LEN, out->modes[k].name);
	drm_mutex_unlock(&c->drm->mutex);
	return len;
}

/* The EDID property's bytes (nothing without one). */
static size_t drm_show_edid(void *ctx, char *buf, size_t size)
{
	struct drm_sysfs_connector *c = ctx;
	struct drm_blob *edid;
	size_t len = 0;

	drm_mutex_lock(&c->drm->mutex);
	edid = c->drm->oprops[c->i].edid;
	if (edid) {
		len = edid->length;
		memcpy(buf, edid->data, MIN(len, size));
	}
	drm_mutex_unlock(&c->drm->mutex);
	return len;
}

static const struct {
	const char *name;
	mode_t mode;
	size_t (*show)(void *ctx, char *buf, size_t size);
	ssize_t (*store)(void *ctx, const char *buf, size_t len);
} drm_connector_attrs[] = {
	{ "status", 0644, drm_show_status, drm_store_status },
	{ "enabled", 0444, drm_show_enabled, NULL },
	{ "dpms", 0444, drm_show_dpms, NULL },
	{ "modes", 0444, drm_show_modes, NULL },
	{ "edid", 0444, drm_show_edid, NULL },
};

/* Registers output i's connector cardN-<type>-<i + 1> under the card. */
static int drm_sysfs_add_connector(struct drm_device *drm, struct drm_sysfs *s, unsigned i)
{
	struct drm_sysfs_connector *c = &s->connectors[i];
	uint32_t type = drm->driver->connector_type;
	int err;

	c->drm = drm;
	c->i = i;
	ksnprintf(c->dev.name, sizeof(c->dev.name), "card%u-%s-%u", drm->index,
		  type < ARRAY_SIZE(drm_connector_names) && drm_connector_names[type] ?
		  drm_connector_names[type] : "Unknown", i + 1);
	c->dev.parent = &s->card;
	c->dev.class = "drm";
	c->dev.devtype = "drm_connector";
	err = device_register(&c->dev);
	for (size_t k = 0; !err && k < ARRAY_SIZE(drm_connector_attrs); k++)
		err = device_add_file(&c->dev, drm_connector_attrs[k].name,
				      drm_connector_attrs[k].mode, drm_connector_attrs[k].show,
				      drm_connector_attrs[k].store, c);
	return err;
}

/* Registers one minor (cardN or renderDN) under parent. */
static int drm_sysfs_add_minor(struct device *dev, struct device *parent, const char *name,
			       char *devname, size_t size, unsigned minor)
{
	strlcpy(dev->name, name, sizeof(dev->name));
	ksnprintf(devname, size, "dri/%s", name);
	dev->parent = parent;
	dev->class = "drm";
	dev->devt = MKDEV(226, minor);
	dev->devname = devname;
	dev->devtype = "drm_minor";
	return device_register(dev);
}

/* A platform device's variables, as Linux's platform_uevent gives them. */
static size_t drm_platform_uevent(struct device *dev, char *buf, size_t size)
{
	struct drm_sysfs *s = container_of(dev, struct drm_sysfs, platform);

	return ksnprintf(buf, size, "MODALIAS=platform:%s\n", s->platform_name);
}

/* Registers the platform device devices/platform/<bus_name>. One numbered ".N" is
 * driven by the platform driver of its name (simpledrm's "simple-framebuffer.0");
 * one without a number (Linux's id -1, as vkms registers "vkms") is bound to none. */
static int drm_sysfs_add_platform(struct drm_device *drm, struct drm_sysfs *s)
{
	char *dot;

	strlcpy(s->platform.name, drm->bus_name, sizeof(s->platform.name));
	strlcpy(s->platform_name, drm->bus_name, sizeof(s->platform_name));
	if ((dot = strchr(s->platform_name, '.'))) {
		*dot = 0;
		s->platform.driver = s->platform_name;
	}
	s->platform.parent = platform_root();
	s->platform.bus = "platform";
	s->platform.uevent = drm_platform_uevent;
	return device_register(&s->platform);
}

/* Creates the device's sysfs entries (see the top of the file); 0 or -errno. Once
 * added (even partly) they stay. Before the device is used (no lock needed). */
int drm_sysfs_add(struct drm_device *dev)
{
	struct sysfs_node *class_drm = sysfs_mkdir(sysfs_mkdir(NULL, "class"), "drm");
	struct drm_sysfs *s = kzalloc(sizeof(*s));
	struct device *parent;
	char name[16];
	int err = 0;

	if (!s || !class_drm)
		return -ENOMEM;
	if (!dev->index)
		sysfs_add_file(class_drm, "version", 0444, drm_show_version, NULL);
	if (dev->pci) {
		parent = dev->pci->sysdev;
		if (!parent)
			err = -ENODEV;
	} else {
		parent = &s->platform;
		err = drm_sysfs_add_platform(dev, s);
	}
	ksnprintf(name, sizeof(name), "renderD%u", 128 + dev->index);
	if (!err && !dev->driver->no_render)
		err = drm_sysfs_add_minor(&s->render, parent, name, s->render_name,
					  sizeof(s->render_name), 128 + dev->index);
	ksnprintf(name, sizeof(name), "card%u", dev->index);
	if (!err)
		err = drm_sysfs_add_minor(&s->card, parent, name, s->card_name,
					  sizeof(s->card_name), dev->index);
	ksnprintf(name, sizeof(name), "controlD%u", 64 + dev->index);
	if (!err)
		err = device_add_link(parent, "drm", name, &s->card);
	for (unsigned i = 0; !err && i < dev->nr_outputs; i++)
		err = drm_sysfs_add_connector(dev, s, i);
	/* Registered devices point into s: it stays once any of them exists. */
	if (s->card.dir)
		dev->sysfs = s;
	else if (!s->platform.dir && !s->render.dir)
		kfree(s);
	return err;
}

/* Sends Linux's hotplug event: a "change" uevent of cardN with HOTPLUG=1. */
void drm_sysfs_hotplug(struct drm_device *dev)
{
	if (dev->sysfs)
		device_uevent(&dev->sysfs->card, "change", "HOTPLUG=1\n");
}

/* Sends Linux's lease event: a "change" uevent of cardN with LEASE=1. */
void drm_sysfs_lease_event(struct drm_device *dev)
{
	if (dev->sysfs)
		device_uevent(&dev->sysfs->card, "change", "LEASE=1\n");
}
