/*
 * drm_fbdev.c — the kernel console on a DRM device, a small client of the core as
 * Linux's drm_fbdev_generic is: it owns a buffer of the first connected output's
 * preferred mode, shows it there at setup (so the CRTC is lit with a mode at boot,
 * as fbcon lights it on Linux) and hands it to fbcon, which draws the log on it.
 *
 * fbcon draws under the log lock, where nothing may sleep, so it only reports the
 * damaged rows; a kernel thread sends them to the display through the driver's
 * fb_dirty (TRANSFER_TO_HOST_2D + RESOURCE_FLUSH of the rectangle on virtio-gpu)
 * while the console's framebuffer is on the output. A master's modeset takes the
 * CRTC (the console keeps drawing, unseen); when the last file of the device closes
 * and no master is left, the console's framebuffer and mode come back and the other
 * planes go off, as Linux's drm_fb_helper_lastclose restores them.
 *
 * A display change (hotplug) makes the console pick its mode again within its
 * framebuffer, which keeps its size (Linux's drm_fb_helper_hotplug_event): the new
 * preferred mode when it fits, else the first mode that does, the output off when
 * none does or it is disconnected; with a master the change waits for the restore.
 */
#include "drm/drm_internal.h"
#include "dev/dev.h"
#include "lib/log.h"

/*
 * The console of one device; dev, output, fb and surface are set once at setup (fb
 * holds a reference for good: the framebuffer is never removed); mode, lit and
 * delayed_hotplug are under dev->mutex. `lock` protects dirty_y1/dirty_y2, which
 * fbcon's damage callback grows with interrupts off and the flush thread takes;
 * `wq` wakes that thread.
 */
struct drm_fbdev {
	struct drm_device *dev;
	unsigned output;
	struct drm_framebuffer *fb;
	struct drm_mode_modeinfo mode;	/* the console's mode on its output */
	bool lit;			/* false: no mode fits, the output stays off */
	bool delayed_hotplug;		/* a display change came while a master was there */
	struct fbcon_surface surface;
	spinlock_t lock;
	uint32_t dirty_y1, dirty_y2;	/* damaged rows [y1, y2); empty when y1 >= y2 */
	struct wait_queue wq;
};

/* fbcon's damage callback: notes rows [y1, y2) and wakes the flush thread. */
static void drm_fbdev_damaged(void *ctx, uint32_t y1, uint32_t y2)
{
	struct drm_fbdev *fbdev = ctx;
	uint64_t flags = spin_lock_irqsave(&fbdev->lock);

	fbdev->dirty_y1 = MIN(fbdev->dirty_y1, y1);
	fbdev->dirty_y2 = MAX(fbdev->dirty_y2, MIN(y2, fbdev->fb->height));
	spin_unlock_irqrestore(&fbdev->lock, flags);
	wake_up(&fbdev->wq);
}

/* Takes the pending damage as a full-width clip; false when there is none. */
static bool drm_fbdev_take_damage(struct drm_fbdev *fbdev, struct drm_clip_rect *clip)
{
	uint64_t flags = spin_lock_irqsave(&fbdev->lock);
	bool some = fbdev->dirty_y1 < fbdev->dirty_y2;

	if (some)
		*clip = (struct drm_clip_rect){ 0, fbdev->dirty_y1, fbdev->fb->width,
						fbdev->dirty_y2 };
	fbdev->dirty_y1 = UINT32_MAX;
	fbdev->dirty_y2 = 0;
	spin_unlock_irqrestore(&fbdev->lock, flags);
	return some;
}

/* The flush thread: sends each batch of damage to the display while the console's
 * framebuffer is shown (damage drawn meanwhile gathers into the next batch). */
static void drm_fbdev_flush_thread(void *arg)
{
	struct drm_fbdev *fbdev = arg;
	struct drm_device *dev = fbdev->dev;
	struct drm_clip_rect clip;

	for (;;) {
		wait_event(&fbdev->wq, drm_fbdev_take_damage(fbdev, &clip));
		drm_mutex_lock(&dev->mutex);
		if (dev->outputs[fbdev->output].fb == fbdev->fb && dev->driver->funcs->fb_dirty)
			dev->driver->funcs->fb_dirty(dev, fbdev->output, fbdev->fb, &clip, 1);
		drm_mutex_unlock(&dev->mutex);
	}
}

/*
 * Probes the outputs again and picks the console's mode as Linux's
 * drm_client_modeset_probe does within the framebuffer's size: the preferred mode
 * when it fits, else the first (largest, as the list is sorted) that fits; the
 * output goes unlit when it is disconnected or nothing fits.
 */
static void drm_fbdev_probe_locked(struct drm_device *dev, struct drm_fbdev *fbdev)
{
	const struct drm_output *out = &dev->outputs[fbdev->output];
	const struct drm_mode_modeinfo *pick = NULL;

	for (unsigned i = 0; i < dev->nr_outputs; i++)
		drm_output_probe_locked(dev, i);
	if (drm_output_connected_locked(dev, fbdev->output))
		for (unsigned k = 0; k < out->nr_modes; k++) {
			const struct drm_mode_modeinfo *m = &out->modes[k];

			if (m->hdisplay > fbdev->fb->width || m->vdisplay > fbdev->fb->height)
				continue;
			if (!pick || (m->type & DRM_MODE_TYPE_PREFERRED))
				pick = m;
			if (m->type & DRM_MODE_TYPE_PREFERRED)
				break;
		}
	fbdev->lit = pick != NULL;
	if (pick)
		fbdev->mode = *pick;
}

/* See drm_internal.h. */
void drm_fbdev_restore_locked(struct drm_device *dev)
{
	struct drm_fbdev *fbdev = dev->fbdev;

	if (!fbdev || dev->master)
		return;
	if (fbdev->delayed_hotplug) {
		fbdev->delayed_hotplug = false;
		drm_fbdev_probe_locked(dev, fbdev);
	}
	for (unsigned i = 0; i < dev->nr_outputs; i++) {
		struct drm_output *out = &dev->outputs[i];
		bool console = i == fbdev->output && fbdev->lit;
		int err = 0;

		if (out->cursor.obj || out->cursor.fb)
			drm_cursor_hide_locked(dev, i);
		if (console && (out->fb != fbdev->fb || out->x || out->y ||
				memcmp(&out->mode, &fbdev->mode, sizeof(out->mode)) ||
				dev->oprops[i].dpms_off))
			err = drm_output_set_locked(dev, i, fbdev->fb, &fbdev->mode, 0, 0);
		else if (!console && out->enabled)
			err = drm_output_set_locked(dev, i, NULL, NULL, 0, 0);
		if (err)
			pr_warn("[drm] cannot restore the console on CRTC %u (%d)", out->crtc_id,
				err);
	}
}

/* See drm_internal.h. */
void drm_fbdev_hotplug(struct drm_device *dev)
{
	drm_mutex_lock(&dev->mutex);
	if (dev->fbdev) {
		dev->fbdev->delayed_hotplug = true;	/* done now unless a master is there */
		drm_fbdev_restore_locked(dev);
	}
	drm_mutex_unlock(&dev->mutex);
}

/* The first connected output with a mode, or -1. */
static int drm_fbdev_pick_output(struct drm_device *dev)
{
	for (unsigned i = 0; i < dev->nr_outputs; i++)
		if (dev->outputs[i].connected && dev->outputs[i].nr_modes)
			return i;
	return -1;
}

/* Makes the console's buffer and framebuffer and shows them; dev->mutex held. */
static int drm_fbdev_show_locked(struct drm_device *dev, struct drm_fbdev *fbdev)
{
	struct drm_gem_object *obj;
	int err;

	obj = drm_gem_create_kernel_locked(dev, fbdev->mode.hdisplay, fbdev->mode.vdisplay);
	if (!obj)
		return -ENOMEM;
	fbdev->fb = drm_fb_create_kernel_locked(dev, obj);
	drm_gem_put_locked(obj);	/* the framebuffer holds it, or nothing does */
	if (!fbdev->fb)
		return -ENOMEM;
	err = drm_output_set_locked(dev, fbdev->output, fbdev->fb, &fbdev->mode, 0, 0);
	if (err) {
		list_del(&fbdev->fb->link);
		drm_fb_put_locked(fbdev->fb);
	}
	return err;
}

/* Sets up the console on dev (see drm.h). */
int drm_fbdev_setup(struct drm_device *dev)
{
	struct drm_fbdev *fbdev;
	int i = drm_fbdev_pick_output(dev), err;

	if (i < 0)
		return -ENODEV;
	fbdev = kzalloc(sizeof(*fbdev));
	if (!fbdev)
		return -ENOMEM;
	fbdev->dev = dev;
	fbdev->output = i;
	fbdev->mode = dev->outputs[i].modes[0];
	fbdev->lit = true;
	spin_init(&fbdev->lock, "drm_fbdev");
	fbdev->dirty_y1 = UINT32_MAX;
	wait_queue_init(&fbdev->wq);
	drm_mutex_lock(&dev->mutex);
	/* Linux's initial configuration probes every connector first: a disconnected
	 * one's EDID blob is gone (and its id free) before the framebuffer gets one */
	for (unsigned k = 0; k < dev->nr_outputs; k++)
		drm_output_probe_locked(dev, k);
	err = drm_fbdev_show_locked(dev, fbdev);
	drm_mutex_unlock(&dev->mutex);
	if (err)
		goto free_fbdev;
	fbdev->surface = (struct fbcon_surface){
		.pixels = phys_to_virt(fbdev->fb->obj->pages[0]),
		.width = fbdev->fb->width, .height = fbdev->fb->height,
		.pitch = fbdev->fb->pitch, .damaged = drm_fbdev_damaged, .ctx = fbdev,
	};
	drm_mutex_lock(&dev->mutex);
	dev->fbdev = fbdev;
	drm_mutex_unlock(&dev->mutex);
	if (!kthread_start("drm_fbdev", drm_fbdev_flush_thread, fbdev)) {
		/* the console's framebuffer stays, blank: no flushes without the thread */
		pr_warn("[drm] no thread for the console of card%u", dev->index);
		return -ENOMEM;
	}
	fbcon_attach(&fbdev->surface);
	return 0;
free_fbdev:
	kfree(fbdev);
	return err;
}
