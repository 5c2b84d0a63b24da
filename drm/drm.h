/*
 * drm.h — the DRM core as display drivers (virtio-gpu, later simplefb) see it. The
 * core owns the uapi (/dev/dri nodes, ioctls, GEM handles, mode object ids, master
 * status); a driver describes its outputs and fills in struct drm_driver_funcs, the
 * way a small Linux driver fills in drm_driver and its helper funcs.
 *
 * The ioctl structures are Linux's own, from libdrm-dev's headers.
 */
#ifndef LUMEN_DRM_H
#define LUMEN_DRM_H

#include "lib/lib.h"
#include "lib/spinlock.h"
#include <libdrm/drm.h>
#include <libdrm/drm_mode.h>
#include <libdrm/drm_fourcc.h>

struct drm_device;
struct drm_dmabuf;
struct pci_device;

/*
 * A buffer object: pages the CPU maps and the device reads. Reference counted under
 * dev->mutex: a handle in a file, a framebuffer, a scan-out and a dma-buf each hold
 * one; the pages are freed (and the driver's gem_free called) at the last put.
 * handle_count, name and dmabuf are under dev->mutex too: the flink name and the
 * cached dma-buf (which holds a file reference, as Linux's obj->dma_buf) last while
 * some file has a handle to the object.
 */
struct drm_gem_object {
	struct drm_device *dev;
	uint64_t size;			/* a multiple of PAGE_SIZE */
	uint64_t *pages;		/* size / PAGE_SIZE physical pages */
	uint32_t width, height;		/* as CREATE_DUMB or the driver made it */
	uint32_t pitch;			/* a dumb buffer's, else 0 */
	uint32_t bpp;			/* bits per pixel asked for */
	bool dumb;			/* a dumb buffer (CREATE_DUMB, the console's):
					 * the driver keeps the device's copy current;
					 * else that is the user's job (a virtio
					 * resource: TRANSFER_TO_HOST) */
	uint64_t mmap_offset;		/* the fake offset to mmap it on the DRM fd */
	uint32_t hw_id;			/* the driver's name for it (virtio resource id) */
	int refcount;
	int handle_count;		/* handles in all files */
	uint32_t name;			/* GEM_FLINK name, 0 for none */
	struct drm_dmabuf *dmabuf;	/* the exported dma-buf, or NULL */
	struct list_head link;		/* in dev->objects */
};

/* A framebuffer (ADDFB/ADDFB2): a view of one object. Owned by the file that made
 * it (RMFB or close removes it); refcount (under dev->lock) counts that ownership
 * and each output scanning it out. */
struct drm_framebuffer {
	uint32_t id;
	uint32_t width, height, format, pitch, offset;
	uint64_t modifier;		/* DRM_FORMAT_MOD_LINEAR but where fb_any_format */
	struct drm_gem_object *obj;	/* holds a reference */
	struct drm_file *owner;		/* NULL once removed */
	int refcount;
	struct list_head link;		/* in dev->fbs while it has an id */
};

#define DRM_MAX_MODES 40

/* The cursor plane's state: an ARGB8888 image of width x height in obj (a reference;
 * NULL when hidden), its hotspot, and where on the CRTC its top-left corner goes.
 * A legacy CURSOR image has no framebuffer; an atomic one is the plane's FB_ID, fb
 * (a reference), shown from src (16.16). The rectangle is the plane's CRTC_* and
 * SRC_* properties, kept while hidden as Linux keeps them (zero after a hide that
 * zeroes them). legacy_x/y: where CURSOR_MOVE last put it (Linux's crtc->cursor_x/y),
 * used by the next legacy image. */
struct drm_cursor {
	struct drm_gem_object *obj;
	struct drm_framebuffer *fb;
	uint32_t width, height;
	int32_t hot_x, hot_y;
	int32_t x, y;
	uint32_t src[4];
	int32_t legacy_x, legacy_y;
};

/*
 * One output: a CRTC with its primary plane, an encoder and a connector, as
 * virtio-gpu's scanouts and simpledrm's single display are. The driver fills in the
 * description (connected, size, modes) before drm_device_register, later only through
 * drm_output_update (the description is under dev->mutex once registered); the state
 * (fb, mode, x, y) is the core's, under dev->mutex.
 */
struct drm_output {
	uint32_t crtc_id, encoder_id, connector_id, plane_id;
	uint32_t cursor_plane_id;	/* 0 when the driver has no cursor_set */
	bool connected;
	uint32_t mm_width, mm_height;
	struct drm_mode_modeinfo modes[DRM_MAX_MODES];	/* modes[0] is the preferred one */
	unsigned nr_modes;
	/* state */
	bool enabled;			/* the CRTC is on: mode is set, fb may be NULL */
	struct drm_framebuffer *fb;	/* holds a reference; NULL: primary plane off */
	struct drm_mode_modeinfo mode;	/* valid while enabled */
	uint32_t x, y;
	struct drm_cursor cursor;
};

struct drm_file;

/* A driver-specific ioctl, number DRM_COMMAND_BASE + its index in the driver's
 * table: its uapi command (the argument's size and direction) and its handler. The
 * core copies the argument in and out as for its own ioctls, allows it on render
 * nodes (as every virtio_gpu ioctl in Linux) and calls func with dev->mutex held (the
 * GEM lock: drm_gem_lookup_locked may be used); func returns 0 or -errno. */
struct drm_driver_ioctl {
	unsigned cmd;
	int (*func)(struct drm_device *dev, struct drm_file *f, void *data);
};

/* What a driver does for the core. Called with dev->modeset held, sleeping allowed
 * (the ioctls: see struct drm_driver_ioctl). */
struct drm_driver_funcs {
	/* Gives a new buffer object (pages allocated) its device resource; 0 or -errno. */
	int (*gem_create)(struct drm_device *dev, struct drm_gem_object *obj);
	/* Releases the device resource of an object nothing uses any more. */
	void (*gem_free)(struct drm_device *dev, struct drm_gem_object *obj);
	/* Shows fb on output i with out->mode at (x, y), or turns the output off when fb
	 * is NULL. The core has checked that the mode and the fb fit; 0 or -EIO. */
	int (*output_set)(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
			  const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y);
	/* Copies the clip rectangles (already bounded by fb's size) of fb to the
	 * display; fb is on output i. */
	int (*fb_dirty)(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
			const struct drm_clip_rect *clips, unsigned n);
	/* Optional (a cursor plane per output when present): shows cursor on output i,
	 * sending its image first when new_image, else only moving it; a NULL obj hides
	 * it. 0 or -EIO. */
	int (*cursor_set)(struct drm_device *dev, unsigned i, const struct drm_cursor *cursor,
			  bool new_image);
	/* Optional: the driver's ioctls (DRM_IOCTL_VIRTGPU_* ...), nr_ioctls of them;
	 * entries without func answer -EINVAL as unknown numbers do. */
	const struct drm_driver_ioctl *ioctls;
	unsigned nr_ioctls;
};

/* The object behind a handle of a file, not counted; NULL when there is none.
 * dev->mutex held (a driver ioctl runs with it). */
struct drm_gem_object *drm_gem_lookup_locked(struct drm_file *fpriv, uint32_t handle);

/*
 * Buffer objects a driver makes itself (virtio_gpu's RESOURCE_CREATE), as CREATE_DUMB
 * does: drm_gem_alloc, then the driver describes the object and makes its device
 * resource, then drm_gem_publish_locked gives it a handle (or drm_gem_discard frees
 * it when the resource could not be made). gem_free is called at the last put of a
 * published object, as for dumb buffers.
 */
/* A new object of size bytes rounded up to pages, its pages zeroed, holding one
 * reference for the caller; not on the device, in no file. NULL when size is 0 or
 * memory is short. No lock needed. */
struct drm_gem_object *drm_gem_alloc(struct drm_device *dev, uint64_t size);
/* Frees an object of drm_gem_alloc that was never published (no gem_free). */
void drm_gem_discard(struct drm_gem_object *obj);
/* Makes an object of drm_gem_alloc, its device resource made, mappable on f's device
 * and gives it the lowest free handle of f, which takes over the caller's reference.
 * The handle, or -ENOMEM/-ENOSPC (the object is then freed through gem_free).
 * dev->mutex held. */
long drm_gem_publish_locked(struct drm_file *f, struct drm_gem_object *obj);

/* The identity VERSION reports, the limits of framebuffers, the pixel formats of
 * the primary planes (and of framebuffers, when more), the connector and encoder types, the depth GET_CAP
 * DUMB_PREFERRED_DEPTH answers (0: none), and the operations. */
struct drm_driver {
	const char *name, *desc, *date;
	int major, minor, patchlevel;
	uint32_t min_width, min_height, max_width, max_height;
	const uint32_t *formats;
	unsigned nr_formats;
	const uint32_t *cursor_formats;		/* the cursor plane's; NULL: ARGB8888 */
	unsigned nr_cursor_formats;
	const uint32_t *fb_formats;		/* what ADDFB takes; NULL: formats */
	unsigned nr_fb_formats;
	uint32_t connector_type, encoder_type;	/* DRM_MODE_CONNECTOR_*, _ENCODER_* */
	bool modifiers;				/* ADDFB2 takes DRM_MODE_FB_MODIFIERS;
						 * planes carry IN_FORMATS (LINEAR) */
	/* ADDFB2 takes every format the core knows with any modifier, as Linux 6.1's
	 * drm_gem_fb_create checks no plane (fb_formats unused); planes still take
	 * only their formats, LINEAR. */
	bool fb_any_format;
	/* Vblank support (Linux's drm_vblank_init): a vblank counter per CRTC at its
	 * mode's refresh rate (kept by the core: drm_vblank.c) answers WAIT_VBLANK and
	 * CRTC_GET/QUEUE_SEQUENCE and numbers flip events; without it those ioctls
	 * are -EOPNOTSUPP and flip events carry sequence 0, as Linux gives them. */
	bool vblank;
	bool no_render;				/* no render node (Linux's !DRIVER_RENDER) */
	uint32_t cursor_width, cursor_height;	/* GET_CAP CURSOR_*; 0: Linux's 64 */
	uint32_t preferred_depth;
	const struct drm_driver_funcs *funcs;
};

#define DRM_MAX_OUTPUTS 16

/* Allocates a device for a driver with nr_outputs outputs (their ids assigned), under
 * the PCI device pci and the bus device name bus_name ("virtio0"); with pci NULL,
 * bus_name is a platform device ("simple-framebuffer.0"). Returns it or NULL. */
struct drm_device *drm_device_alloc(const struct drm_driver *driver, unsigned nr_outputs,
				    struct pci_device *pci, const char *bus_name);
/* The output i of dev, for the driver to describe before registering. */
struct drm_output *drm_output(struct drm_device *dev, unsigned i);
/* The driver's private pointer. */
void drm_set_driver_data(struct drm_device *dev, void *data);
void *drm_driver_data(struct drm_device *dev);
/* Gives output i its EDID (the connector's EDID property); 0 or -ENOMEM. */
int drm_output_set_edid(struct drm_device *dev, unsigned i, const void *edid, size_t len);
/* Gives output i the connection, physical size and modes of desc (the rest of desc
 * is ignored; a lit CRTC keeps its mode) after the device reported a display change.
 * Takes dev->mutex; true when something changed. */
bool drm_output_update(struct drm_device *dev, unsigned i, const struct drm_output *desc);
/* Sends Linux's hotplug uevent (change of cardN with HOTPLUG=1), for a driver whose
 * outputs changed, and has the kernel console pick its mode again. May sleep; no
 * lock held. */
void drm_hotplug_event(struct drm_device *dev);
/* Creates /dev/dri/cardN and renderD(128+N) and their sysfs entries; 0 or -errno. */
int drm_device_register(struct drm_device *dev);
/* Whether a registered device drives a PCI device with a memory BAR overlapping
 * [base, base + size): the firmware framebuffer is then that device's (Linux's
 * drm_aperture: virtio-vga takes the display from the simple framebuffer). */
bool drm_aperture_in_use(uint64_t base, uint64_t size);
/* Fills a mode (name, vrefresh, type) from its timings. */
void drm_mode_set_name(struct drm_mode_modeinfo *mode);
/* The modes Linux's drm_add_edid_modes gives an EDID of len bytes (QEMU's kinds of
 * timings; see drm_edid.c), sorted as Linux's drm_mode_sort, at most max; the count,
 * 0 for an EDID Linux rejects. Never reads past len. */
unsigned drm_edid_modes(const uint8_t *edid, size_t len, struct drm_mode_modeinfo *modes,
			unsigned max);
/* Whether two modes have the same timings (type, name and vrefresh aside). */
bool drm_mode_equal(const struct drm_mode_modeinfo *a, const struct drm_mode_modeinfo *b);
/* A mode of width x height at 60 Hz with CVT timings (as Linux's drm_cvt_mode). */
void drm_mode_cvt(struct drm_mode_modeinfo *mode, int width, int height, bool preferred);

/*
 * Flip completion (drm_flip.c, drm_vblank.c, drm_event.c), for PAGE_FLIP and
 * MODE_ATOMIC. A flip committed to an output completes at the next vblank of its
 * refresh-rate clock; its flip-complete event (if any) is then queued on the
 * requesting file, which read()s it as a struct drm_event_vblank. All four take
 * dev->mutex held.
 */
struct drm_file;
struct drm_pending_event;
/* Reserves space in f's event queue for a DRM_EVENT_FLIP_COMPLETE event carrying
 * user_data; NULL when f's event space (4096 bytes, as Linux) is used up: the
 * ioctl then fails with -ENOMEM. */
struct drm_pending_event *drm_event_reserve_flip(struct drm_file *f, uint64_t user_data);
/* Gives back a reserved event that was never armed (the commit failed). */
void drm_event_cancel(struct drm_pending_event *e);
/* -EBUSY while output i has a flip that has not completed (Linux refuses a second
 * non-blocking commit then), else 0. */
int drm_flip_busy(struct drm_device *dev, unsigned i);
/* Call after a new state was shown on output i: the flip is pending from now on and
 * completes at the next vblank, queueing e (NULL: no event) with the vblank's
 * CLOCK_MONOTONIC time, sequence and the CRTC's id. */
void drm_flip_arm(struct drm_device *dev, unsigned i, struct drm_pending_event *e);

/* Starts the kernel console on dev (Linux's drm_fbdev_generic_setup): a kernel-owned
 * XRGB8888 framebuffer of the first connected output's preferred mode is shown there
 * and fbcon draws the log on it, flushed by damaged rows, while no client has taken
 * the CRTC; it comes back when the last file closes with no master (drm_fbdev.c).
 * Call after drm_device_register, in a task context; 0, or -errno when the console
 * could not be set up (the device works without it). */
int drm_fbdev_setup(struct drm_device *dev);

/* Display drivers' entry points, called once at boot in a task context (they sleep
 * for their devices' answers). drivers/gpu/virtio: every virtio-gpu device. */
void virtio_gpu_init(void);
/* drivers/gpu/simplefb: GRUB's framebuffer, unless a driver already took it; after
 * virtio_gpu_init. */
void simplefb_init(void);
/* drivers/gpu/vkms: the virtual KMS device, when the command line has lumen.vkms=1;
 * last. */
void vkms_init(void);

#endif
