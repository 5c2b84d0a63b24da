/*
 * drm_internal.h — what the files of drm/ share: the device and open-file structures,
 * the device mutex, and the ioctl handlers each file provides to the table in
 * drm_ioctl.c.
 */
#ifndef LUMEN_DRM_INTERNAL_H
#define LUMEN_DRM_INTERNAL_H

#include "drm/drm.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "proc/proc.h"

/* A sleeping lock: DRM calls sleep in the driver (virtqueue_run) while holding it. */
struct drm_mutex {
	spinlock_t lock;
	bool held;
	struct wait_queue wq;
};
void drm_mutex_init(struct drm_mutex *m);
void drm_mutex_lock(struct drm_mutex *m);
void drm_mutex_unlock(struct drm_mutex *m);
bool drm_mutex_is_held(struct drm_mutex *m);

/* DRM_FILE_PAGE_OFFSET_START: Linux hands out fake mmap offsets from 4 GiB up. */
#define DRM_FAKE_OFFSET_START (1ULL << 32)
#define DRM_MAX_HANDLES 4096
/* Linux's per-file event space: bytes of events reserved or queued, not yet read. */
#define DRM_EVENT_SPACE 4096

/* An event reserved for a file, then queued on it; under dev->event_lock. */
struct drm_pending_event {
	struct list_head link;		/* in a vblank's events while waiting, then file->events */
	struct drm_file *file;
	uint64_t sequence;		/* the vblank a WAIT_VBLANK/QUEUE_SEQUENCE event waits for */
	union {
		struct drm_event base;
		struct drm_event_vblank vbl;
		struct drm_event_crtc_sequence seq;
	} ev;
};

/*
 * The refresh clock of one output (drm_vblank.c): while its CRTC is on (enabled and
 * not DPMS off) a vblank comes every period_ns, at base_ns + k * period_ns, number
 * base_seq + k; while it is off the count stays at off_seq (the last vblank's, at
 * off_ns). The timer is armed for the next vblank only while something waits for one:
 * a flip (drm_flip.c), queued vblank events, or tasks in WAIT_VBLANK. Drivers without
 * vblank support (drm_driver.vblank false) only use it to pace flips. Under
 * dev->event_lock.
 */
struct drm_vblank {
	struct drm_device *dev;
	unsigned index;			/* the output */
	struct ktimer timer;
	bool on;			/* the CRTC is on: vblanks come */
	uint64_t period_ns;		/* of the output's mode (60 Hz while off) */
	uint64_t base_ns, base_seq;	/* a vblank's time and number, while on */
	uint64_t off_ns, off_seq;	/* the last vblank's, while off */
	struct list_head events;	/* drm_pending_event.link waiting for their sequence */
	unsigned waiters;		/* tasks sleeping in WAIT_VBLANK on wq */
	struct wait_queue wq;		/* also woken when the pending flip completes */
	bool flip_pending;
	uint64_t flip_due_ns;		/* the vblank the pending flip completes at */
	struct drm_pending_event *flip_event;	/* sent when the flip completes, or NULL */
	struct drm_fence *flip_fence;	/* counted; signalled when the flip completes */
	uint64_t fence_context;		/* the CRTC's fence timeline, fixed */
	uint64_t fence_seqno;		/* its last fence's; under dev->mutex */
};

/* Linux's standard properties in creation order (drm_property.c). */
enum drm_prop {
	DRM_PROP_EDID, DRM_PROP_DPMS, DRM_PROP_PATH, DRM_PROP_TILE, DRM_PROP_LINK_STATUS,
	DRM_PROP_NON_DESKTOP, DRM_PROP_HDR_OUTPUT_METADATA, DRM_PROP_TYPE, DRM_PROP_SRC_X,
	DRM_PROP_SRC_Y, DRM_PROP_SRC_W, DRM_PROP_SRC_H, DRM_PROP_CRTC_X, DRM_PROP_CRTC_Y,
	DRM_PROP_CRTC_W, DRM_PROP_CRTC_H, DRM_PROP_FB_ID, DRM_PROP_IN_FENCE_FD,
	DRM_PROP_OUT_FENCE_PTR, DRM_PROP_CRTC_ID, DRM_PROP_FB_DAMAGE_CLIPS, DRM_PROP_ACTIVE,
	DRM_PROP_MODE_ID, DRM_PROP_VRR_ENABLED, DRM_PROP_DEGAMMA_LUT, DRM_PROP_DEGAMMA_LUT_SIZE,
	DRM_PROP_CTM, DRM_PROP_GAMMA_LUT, DRM_PROP_GAMMA_LUT_SIZE, DRM_PROP_IN_FORMATS,
	DRM_PROP_COUNT
};

/* A property's description: DRM_MODE_PROP_* flags, values (range bounds, enum
 * values, the object type of an object property) and enum names. */
struct drm_prop_desc {
	const char *name;
	uint32_t flags;
	const struct drm_mode_property_enum *enums;
	unsigned nr_enums;
	unsigned nr_values;
	uint64_t values[4];
};
extern const struct drm_prop_desc drm_props[DRM_PROP_COUNT];

/* A property blob: made by a file (CREATEPROPBLOB; owner until it destroys it or
 * closes) or by the kernel (EDID, modes). refcount, under dev->mutex, counts the
 * owner and each state that names it; the last put frees it and its id. */
struct drm_blob {
	uint32_t id;
	uint32_t length;
	struct drm_file *owner;
	int refcount;
	struct list_head link;		/* in dev->blobs */
	uint8_t data[];
};

/* How the connector's status file forces it (Linux's enum drm_connector_force). */
enum drm_force { DRM_FORCE_UNSPECIFIED, DRM_FORCE_OFF, DRM_FORCE_ON };

/* What the properties add to an output's state (under dev->mutex). */
struct drm_output_props {
	enum drm_force force;		/* set through sysfs; the connector's status follows */
	bool dpms_off;			/* DPMS Off: the CRTC stays enabled, scan-out off */
	bool was_lit;			/* the CRTC has been on since boot */
	uint32_t mm_width, mm_height;	/* the physical size the last probe finding the
					 * connector connected saw; 0x0 before */
	bool vrr;			/* VRR_ENABLED (the device has no VRR) */
	bool has_edid;			/* the connector carries the EDID property */
	struct drm_blob *edid;		/* its value: the EDID, or NULL (value 0) */
	struct drm_blob *mode;		/* MODE_ID while the CRTC is enabled */
	struct drm_blob *in_formats;	/* the planes' IN_FORMATS (driver->modifiers), */
	struct drm_blob *cursor_in_formats; /* made with the device, never changed */
	uint32_t src[4];		/* the primary plane's SRC_X/Y/W/H (16.16) */
	int32_t crtc_x, crtc_y;		/* and CRTC_X/Y/W/H */
	uint32_t crtc_w, crtc_h;
};

struct drm_sysfs;

/*
 * One DRM device. `mutex` protects everything that changes after registration: the
 * object and framebuffer lists, every object's and framebuffer's refcount, the files'
 * handle tables, the outputs' state, the master and the magic numbers. The driver's
 * functions are called with it held.
 */
struct drm_device {
	const struct drm_driver *driver;
	void *driver_data;
	struct pci_device *pci;
	char bus_name[32];		/* "virtio0", "simple-framebuffer.0" */
	unsigned index;			/* cardN / renderD(128+N) */
	struct drm_mutex mutex;
	struct drm_output outputs[DRM_MAX_OUTPUTS];
	struct drm_output_props oprops[DRM_MAX_OUTPUTS];
	unsigned nr_outputs;
	uint32_t next_id;		/* mode object ids of the outputs, at setup */
	uint32_t first_dynamic_id;	/* framebuffers and blobs: from here, lowest free */
	uint32_t prop_base;		/* the id of property 0 of enum drm_prop */
	struct list_head blobs;		/* drm_blob.link */
	struct list_head objects;	/* drm_gem_object.link */
	struct list_head fbs;		/* drm_framebuffer.link */
	uint64_t next_offset;		/* fake mmap offsets, never reused */
	struct drm_file *master;	/* the current master, or NULL */
	unsigned open_count;		/* open files of card and render nodes */
	struct drm_fbdev *fbdev;	/* the kernel console's client, or NULL; set once */
	/* Flip and event delivery, also from the vblank timers (interrupts off): the
	 * vblank states, every pending event and every file's event list and space. */
	spinlock_t event_lock;
	struct drm_vblank vblank[DRM_MAX_OUTPUTS];
	struct list_head prime_put;	/* drm_dmabuf.put_link: cache references to drop */
	struct drm_sysfs *sysfs;	/* drm_sysfs.c's devices, set at registration */
};

/* A lease's objects: at most a CRTC, a connector and two planes per output. */
#define DRM_LEASE_MAX (4 * DRM_MAX_OUTPUTS)

/*
 * A lease (Linux's lessee drm_master, drm_lease.c): the CRTCs, connectors and planes
 * of the lessor's device its lessee file may use, the lessee being master of them
 * while the lessor is the current master. Owned by the lessee file (freed when it
 * closes). id, lessor, link and revoked are under dev->mutex (revoked also read
 * with READ_ONCE without it); objects and nr_objects never change.
 */
struct drm_lease {
	uint32_t id;			/* the lessee id, unique among the lessor's leases */
	struct drm_file *lessor;	/* NULL once the lessor closed */
	bool revoked;			/* holds nothing any more */
	uint32_t objects[DRM_LEASE_MAX];	/* ascending */
	unsigned nr_objects;
	struct list_head link;		/* in lessor->lessees while it has a lessor */
};

/* A magic number's slot in its group's table: taken while file is set (until the
 * file closes), spent once AUTH_MAGIC used it. */
struct drm_magic {
	struct drm_file *file;
	bool spent;
};

/*
 * A master group (Linux's struct drm_master, drm_auth.c): the magic numbers handed
 * out to its files. Counted references: each file whose group it is (f->master)
 * and each file whose magic it holds (f->magic_master). Under dev->mutex.
 */
struct drm_master {
	unsigned refcount;
	struct drm_magic *magics;	/* number m is magics[m - 1] */
	unsigned nr_magics;
};

/* One open of a node; file->private_data. Fields under dev->mutex. */
struct drm_file {
	struct drm_device *dev;
	struct file *filp;		/* the open file it belongs to, not counted */
	bool render;			/* opened through renderD* */
	bool is_master;			/* master is its own group (Linux's is_master: set
					 * when it first becomes master, never cleared) */
	bool was_master;		/* it has been the current master (not as a lessee) */
	pid_t opener;			/* the tgid of the process that opened it */
	bool authenticated;
	struct drm_master *master;	/* its group (counted); NULL on a render node */
	struct drm_lease *lease;	/* the file is a lessee: its lease; fixed */
	struct list_head lessees;	/* drm_lease.link: the leases it granted */
	bool universal_planes, atomic, stereo, aspect_ratio, writeback;
	uint32_t magic;			/* GET_MAGIC's number, 0 before */
	struct drm_master *magic_master;	/* the group holding magic (counted) */
	struct drm_gem_object **handles;	/* handles[h - 1]; NULL = free */
	unsigned nr_handles;
	/* events: under dev->event_lock; read_lock orders readers */
	struct list_head events;	/* drm_pending_event.link, oldest first */
	unsigned event_space;		/* bytes that may still be reserved */
	struct wait_queue event_wait;	/* readers and pollers */
	struct drm_mutex read_lock;
	struct list_head prime;		/* drm_prime_entry: handles PRIME exported/imported */
};

/* The device behind a DRM file's open file description. */
static inline struct drm_file *drm_file_of(struct file *file)
{
	return file->private_data;
}

/* ---- drm_gem.c ---- */
void drm_gem_get_locked(struct drm_gem_object *obj);
void drm_gem_put_locked(struct drm_gem_object *obj);
/* Gives obj the lowest free handle of fpriv (taking a reference); the handle or
 * -ENOMEM/-ENOSPC. */
long drm_gem_handle_create_locked(struct drm_file *fpriv, struct drm_gem_object *obj);
/* Drops every handle of a closing file. */
void drm_gem_release_locked(struct drm_file *fpriv);
int drm_gem_mmap(struct file *file, uint64_t offset, uint64_t len, uint32_t *vm_flags);
int drm_gem_fault_page(struct file *file, uint64_t offset, uint64_t *page);
/* A kernel-owned XRGB8888 buffer of width x height (pitch width * 4) in physically
 * contiguous pages, on the device (the driver's gem_create), with one reference
 * for the caller and an mmap offset as a dumb buffer's (a file given a handle to it
 * may map it). NULL when out of memory or the driver refuses. */
struct drm_gem_object *drm_gem_create_kernel_locked(struct drm_device *dev, uint32_t width,
						    uint32_t height);
int drm_ioctl_gem_close(struct drm_file *f, void *data);
int drm_ioctl_create_dumb(struct drm_file *f, void *data);
int drm_ioctl_map_dumb(struct drm_file *f, void *data);
int drm_ioctl_destroy_dumb(struct drm_file *f, void *data);

/* ---- drm_mode.c ---- */
/* Shows fb on output i with mode through the driver and moves the output's fb
 * reference; mode NULL turns the CRTC off, fb NULL with a mode leaves it on with
 * nothing shown (primary plane off). 0 or the driver's error (the old state stays
 * then). */
int drm_output_set_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
			  const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y);
/* The state half of drm_output_set_locked: the driver is not called and the device
 * keeps showing what it showed (an invisible primary plane, as Linux's virtio_gpu). */
void drm_output_state_set_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
				 const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y);
/* Linux's checks of a mode from user space: 0, -EINVAL or -ERANGE. */
int drm_mode_check(const struct drm_mode_modeinfo *m);
/* The output index of the CRTC with id that f may use (drm_lease_held), or -1 (the
 * caller's -ENOENT, as Linux's drm_crtc_find with a file). No lock needed. */
int drm_crtc_index(struct drm_file *f, uint32_t id);
/* Copies ids[0..n) into the user array at uptr of room entries (only those that
 * fit, as Linux's put_user loops do): 0 or -EFAULT. No lock needed. */
int drm_put_ids(uint64_t uptr, uint32_t room, const uint32_t *ids, unsigned n);
int drm_ioctl_getresources(struct drm_file *f, void *data);
int drm_ioctl_getconnector(struct drm_file *f, void *data);
int drm_ioctl_getencoder(struct drm_file *f, void *data);
int drm_ioctl_getcrtc(struct drm_file *f, void *data);
int drm_ioctl_setcrtc(struct drm_file *f, void *data);
int drm_ioctl_getplaneresources(struct drm_file *f, void *data);
int drm_ioctl_getplane(struct drm_file *f, void *data);
int drm_ioctl_getgamma(struct drm_file *f, void *data);
int drm_ioctl_setgamma(struct drm_file *f, void *data);

/* ---- drm_fb.c ---- */
/* The framebuffer with id (not counted), or NULL. */
struct drm_framebuffer *drm_fb_lookup_locked(struct drm_device *dev, uint32_t id);
void drm_fb_get_locked(struct drm_framebuffer *fb);
void drm_fb_put_locked(struct drm_framebuffer *fb);
/* A framebuffer of the whole of obj (XRGB8888) owned by the kernel: it has an id
 * but no file (RMFB and closes never remove it); one reference for the caller.
 * NULL when out of memory. */
struct drm_framebuffer *drm_fb_create_kernel_locked(struct drm_device *dev,
						    struct drm_gem_object *obj);
/* Removes the framebuffers of a closing file, turning off the planes that show them
 * (their CRTCs stay on, as Linux's). */
void drm_fb_release_locked(struct drm_file *fpriv);
int drm_ioctl_addfb(struct drm_file *f, void *data);
int drm_ioctl_addfb2(struct drm_file *f, void *data);
int drm_ioctl_rmfb(struct drm_file *f, void *data);
int drm_ioctl_dirtyfb(struct drm_file *f, void *data);
int drm_ioctl_getfb(struct drm_file *f, void *data);
int drm_ioctl_getfb2(struct drm_file *f, void *data);

/* ---- drm_event.c ---- */
void drm_events_init(struct drm_file *fpriv);
/* Frees a closing file's queued events and detaches its pending ones. */
void drm_events_release(struct drm_file *fpriv);
/* Queues a reserved event on its file and wakes readers; dev->event_lock held. */
void drm_event_send_locked(struct drm_device *dev, struct drm_pending_event *e);
/* Reserves space for an event of type and length (Linux's
 * drm_event_reserve_init_locked) in f's queue; -ENOMEM when f's event space is used
 * up. dev->event_lock held. */
int drm_event_reserve_locked(struct drm_file *f, struct drm_pending_event *e, uint32_t type,
			     uint32_t length);
ssize_t drm_read(struct file *file, struct iobuf *buf, off_t *pos);
unsigned drm_poll(struct file *file, struct poll_table *pt);

/* ---- drm_syncfile.c: fences and sync_file fds (see there) ---- */
struct drm_fence;
/* A new fence timeline number (one per CRTC). */
uint64_t drm_fence_context_alloc(void);
/* A new unsignalled fence on output i's timeline, or NULL; dev->mutex held. */
struct drm_fence *drm_fence_create(struct drm_device *dev, unsigned i);
/* Signals a fence and wakes its waiters (safe with interrupts off). */
void drm_fence_signal(struct drm_fence *f);
/* Drops a fence reference (safe with interrupts off). */
void drm_fence_put(struct drm_fence *f);
/* A new sync_file holding a reference to f, in no fd table yet; or an ERR_PTR. */
struct file *drm_syncfile_create(struct drm_fence *f);
/* The sync_file at fd, counted (file_put it); NULL when fd is no sync_file. */
struct file *drm_syncfile_get(int fd);
/* Waits for every fence of a sync_file from drm_syncfile_get. */
void drm_syncfile_wait(struct file *file);
/* Hands f (its reference) to output i's pending flip, signalled when it completes,
 * or signals it now when no flip is pending. */
void drm_flip_add_fence(struct drm_device *dev, unsigned i, struct drm_fence *f);

/* ---- drm_vblank.c: the outputs' vblank clocks and the vblank ioctls ---- */
/* Sets up the outputs' vblank clocks (off, timers idle). */
void drm_vblank_init(struct drm_device *dev);
/* Starts, retimes or stops output i's clock after its CRTC changed (on: enabled and
 * not DPMS off, at its mode's refresh rate); going off sends the vblank events still
 * waiting with the last count (Linux's drm_crtc_vblank_off) and wakes WAIT_VBLANK.
 * dev->mutex held; takes dev->event_lock. */
void drm_vblank_sync_locked(struct drm_device *dev, unsigned i);
/* The current count of output i's clock and the time of that vblank (ns);
 * dev->event_lock held. */
uint64_t drm_vblank_count_locked(struct drm_vblank *vbl, uint64_t now, uint64_t *when);
/* The time of the first vblank after now (60 Hz from time 0 while off);
 * dev->event_lock held. */
uint64_t drm_vblank_next_locked(struct drm_vblank *vbl, uint64_t now);
/* Arms output i's timer for its next vblank; dev->event_lock held. */
void drm_vblank_arm_locked(struct drm_vblank *vbl, uint64_t now);
/* Drops the vblank events of a closing file that still wait for their vblank;
 * dev->event_lock held (the caller frees what it collects on dropped). */
void drm_vblank_release_locked(struct drm_file *f, struct list_head *dropped);
int drm_ioctl_wait_vblank(struct drm_file *f, void *data);
int drm_ioctl_crtc_get_sequence(struct drm_file *f, void *data);
int drm_ioctl_crtc_queue_sequence(struct drm_file *f, void *data);

/* ---- drm_flip.c: PAGE_FLIP and flip completion ---- */
int drm_ioctl_page_flip(struct drm_file *f, void *data);
/* The vblank came (timer, dev->event_lock held, at seq and time when): a pending
 * flip due by then completes, sending its event and signalling its fence. */
void drm_flip_vblank_locked(struct drm_vblank *vbl, uint64_t now, uint64_t seq, uint64_t when);

/* ---- drm_prime.c ---- */
/* Forgets fpriv's PRIME record of a handle being deleted. */
void drm_prime_remove_handle_locked(struct drm_file *fpriv, uint32_t handle);
/* The object's last handle went: its flink name goes, and its cached dma-buf
 * reference is queued on dev->prime_put (dropped by drm_prime_flush). */
void drm_prime_last_handle_locked(struct drm_gem_object *obj);
/* Drops the queued dma-buf references; call without dev->mutex after deleting
 * handles (a dma-buf's release takes the mutex). */
void drm_prime_flush(struct drm_device *dev);
int drm_ioctl_prime_handle_to_fd(struct drm_file *f, void *data);
int drm_ioctl_prime_fd_to_handle(struct drm_file *f, void *data);
int drm_ioctl_gem_flink(struct drm_file *f, void *data);
int drm_ioctl_gem_open(struct drm_file *f, void *data);

/* ---- drm_property.c ---- */
/* Reserves the standard properties' ids (the device's first) and sets up blobs. */
void drm_props_init(struct drm_device *dev);
/* A plane's IN_FORMATS blob for formats (n of them, each with the LINEAR modifier)
 * taking the next setup id (dev->next_id), as Linux's create_in_format_blob right
 * after the plane; NULL when out of memory. Before registration. */
struct drm_blob *drm_in_formats_blob(struct drm_device *dev, const uint32_t *formats,
				     unsigned n);
/* The formats output i's cursor plane takes (*n of them). */
const uint32_t *drm_cursor_formats(struct drm_device *dev, unsigned *n);
int drm_prop_of_id(struct drm_device *dev, uint32_t id);
struct drm_blob *drm_blob_lookup_locked(struct drm_device *dev, uint32_t id);
struct drm_blob *drm_blob_create_locked(struct drm_device *dev, struct drm_file *owner,
					const void *data, uint32_t length);
void drm_blob_get_locked(struct drm_blob *b);
void drm_blob_put_locked(struct drm_blob *b);
void drm_blob_release_locked(struct drm_file *f);
void drm_props_output_set_locked(struct drm_device *dev, unsigned i);
/* Linux's probe of output i's connector (drm_helper_probe_single_connector_modes):
 * when it is connected, GETCONNECTOR's physical size becomes the driver's (Linux's
 * display_info, filled by get_modes); when it is disconnected, its EDID property
 * becomes 0 (the blob is gone) until the driver reads an EDID again, and the
 * physical size stays what it was. dev->mutex held. */
void drm_output_probe_locked(struct drm_device *dev, unsigned i);
uint32_t drm_object_id_alloc_locked(struct drm_device *dev);
uint32_t drm_object_find_locked(struct drm_device *dev, uint32_t id, unsigned *index);
const uint8_t *drm_object_props(uint32_t type, unsigned *n);
bool drm_object_has_prop(struct drm_device *dev, uint32_t type, unsigned i, int prop);
uint64_t drm_object_prop_value_locked(struct drm_device *dev, uint32_t type, unsigned i,
				      int prop);
int drm_object_get_props(struct drm_file *f, uint32_t type, unsigned i, uint64_t ids_ptr,
			 uint64_t values_ptr, uint32_t *count);
int drm_ioctl_obj_getproperties(struct drm_file *f, void *data);
int drm_ioctl_getproperty(struct drm_file *f, void *data);
int drm_ioctl_getpropblob(struct drm_file *f, void *data);
int drm_ioctl_createpropblob(struct drm_file *f, void *data);
int drm_ioctl_destroypropblob(struct drm_file *f, void *data);

/* ---- drm_atomic.c: the atomic state, shared with drm_atomic_ioctl.c ---- */
/* A plane's state. */
struct drm_atomic_plane {
	struct drm_framebuffer *fb;		/* FB_ID, not counted */
	struct file *in_fence;			/* IN_FENCE_FD's sync_file, counted; or NULL */
	uint32_t crtc;				/* CRTC_ID */
	uint32_t src[4];			/* SRC_X/Y/W/H, 16.16 */
	int32_t crtc_x, crtc_y;
	uint32_t crtc_w, crtc_h;
};

/* One output's state: its connector, CRTC, primary plane and cursor plane. touched:
 * the connector, CRTC or primary plane are in the request; cursor_touched: the
 * cursor plane is. A cursor with a legacy image (no framebuffer) keeps it until a
 * request sets its FB_ID (cursor_legacy). */
struct drm_atomic_output {
	uint32_t conn_crtc;			/* connector CRTC_ID */
	bool active, vrr;
	struct drm_blob *mode_blob;		/* MODE_ID, not counted; NULL: disabled */
	struct drm_atomic_plane primary, cursor;
	bool touched, cursor_touched, cursor_legacy;
	int32_t __user *out_fence_ptr;		/* OUT_FENCE_PTR; NULL: none */
};

struct drm_atomic_state {
	struct drm_atomic_output o[DRM_MAX_OUTPUTS];
	bool allow_modeset;
	struct drm_file *file;		/* the requester (its lease); NULL: the kernel */
};

/* Fills s with the current state of every output. dev->mutex held. */
void drm_atomic_state_init(struct drm_device *dev, struct drm_atomic_state *s);
/* Drops what s holds (its in-fences) and frees it; NULL does nothing. */
void drm_atomic_state_free(struct drm_atomic_state *s);
/* Sets one property of an object (type; output i, or DRM_CURSOR_INDEX(i) for its
 * cursor plane) in s: 0, -EINVAL, or -EACCES for a CRTC_ID the requester's lease
 * does not hold. dev->mutex held. */
int drm_atomic_set_prop(struct drm_device *dev, struct drm_atomic_state *s, uint32_t type,
			unsigned i, int prop, uint64_t value);
/* Checks s against the current state: 0 when it can be committed. dev->mutex held. */
int drm_atomic_check(struct drm_device *dev, const struct drm_atomic_state *s);
/* Waits for s's in-fences (dev->mutex held: flips signal them without it). */
void drm_atomic_wait_fences(struct drm_device *dev, const struct drm_atomic_state *s);
/* Applies a checked state; cannot fail (device errors are logged). dev->mutex held. */
void drm_atomic_commit(struct drm_device *dev, struct drm_atomic_state *s);
/* Whether an OUT_FENCE_PTR can be written (tried without dev->mutex). */
bool drm_atomic_fence_ptr_ok(int32_t __user *ptr);
/* Legacy SETCRTC's configuration of output i through the atomic check and commit
 * (modesets allowed): fb shown with mode at (x, y), or everything off when mode is
 * NULL. The caller has made drm_mode_setcrtc's checks. 0 or -errno; dev->mutex held. */
int drm_atomic_set_config_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb,
				 const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y);
/* PAGE_FLIP's commit: fb on output i's primary plane (the CRTC on, the plane showing a
 * framebuffer), its rectangles kept; shown through the driver unless the plane is
 * invisible. 0 or the driver's error; dev->mutex held. */
int drm_atomic_page_flip_locked(struct drm_device *dev, unsigned i, struct drm_framebuffer *fb);
int drm_ioctl_obj_setproperty(struct drm_file *f, void *data);
int drm_ioctl_setproperty(struct drm_file *f, void *data);

/* ---- drm_atomic_ioctl.c ---- */
int drm_ioctl_atomic(struct drm_file *f, void *data);

/* ---- drm_cursor.c ---- */
/* The object index drm_object_find_locked gives output i's cursor plane (primary
 * planes have the output's own index). */
#define DRM_CURSOR_INDEX(i) (DRM_MAX_OUTPUTS + (i))
/* A plane property's value on output i's cursor plane (not `type`); dev->mutex held. */
uint64_t drm_cursor_prop_locked(struct drm_device *dev, unsigned i, int prop);
/* Shows next as output i's cursor through the driver (its image sent first when
 * new_image; a NULL obj hides it) and moves the references: next's buffer and
 * framebuffer are taken, the old ones dropped. 0 or the driver's error (the old
 * state stays). dev->mutex held. */
int drm_cursor_set_locked(struct drm_device *dev, unsigned i, const struct drm_cursor *next,
			  bool new_image);
/* Hides output i's cursor, if shown (its framebuffer is going); dev->mutex held. */
void drm_cursor_hide_locked(struct drm_device *dev, unsigned i);
int drm_ioctl_cursor(struct drm_file *f, void *data);
int drm_ioctl_cursor2(struct drm_file *f, void *data);

/* ---- drm_auth.c ---- */
/* A new, empty master group with one reference, or NULL when out of memory. */
struct drm_master *drm_master_create(void);
/* Drops a reference to m (NULL allowed), freeing it with the last. dev->mutex held. */
void drm_master_put_locked(struct drm_master *m);
/* Gives the opening primary-node file f its group (Linux's drm_master_open): the
 * new group fresh (whose reference it takes over) when the device has no master,
 * making f master; else the current master's (and fresh is dropped). dev->mutex held. */
void drm_master_open_locked(struct drm_file *f, struct drm_master *fresh);
/* A closing file gives back its magic number and its group and stops being the
 * device's master. dev->mutex held. */
void drm_master_release_locked(struct drm_file *f);
int drm_ioctl_get_magic(struct drm_file *f, void *data);
int drm_ioctl_auth_magic(struct drm_file *f, void *data);
int drm_ioctl_set_master(struct drm_file *f, void *data);
int drm_ioctl_drop_master(struct drm_file *f, void *data);

/* ---- drm_lease.c ---- */
/* Whether f may use the CRTC, connector or plane id: any for a file that is no
 * lessee, for a lessee those of its lease until it is revoked. No lock needed. */
bool drm_lease_held(struct drm_file *f, uint32_t id);
/* A mask of the device's CRTCs (bit i: output i's) as f sees them: renumbered over
 * the CRTCs its lease holds, unchanged for a file that is no lessee. */
uint32_t drm_lease_filter_crtcs(struct drm_file *f, uint32_t crtcs);
/* drm_object_find_locked as f sees the objects: 0 for a CRTC, connector or plane
 * its lease does not hold. dev->mutex held. */
uint32_t drm_lease_object_find_locked(struct drm_file *f, uint32_t id, unsigned *index);
/* Whether f is the current master: the device's master, or a lessee whose lessor
 * is (Linux's drm_is_current_master). dev->mutex held. */
bool drm_is_master_locked(struct drm_file *f);
/* A closing file's leases: the ones it granted are revoked and lose their lessor;
 * its own lease (if a lessee) leaves its lessor and is freed. dev->mutex held;
 * true when f was a lessee (Linux then sends a LEASE=1 uevent). */
bool drm_lease_release_locked(struct drm_file *f);
int drm_ioctl_create_lease(struct drm_file *f, void *data);
int drm_ioctl_list_lessees(struct drm_file *f, void *data);
int drm_ioctl_get_lease(struct drm_file *f, void *data);
int drm_ioctl_revoke_lease(struct drm_file *f, void *data);

/* ---- drm_fbdev.c ---- */
/* The last file of dev closed with no master left: the console's framebuffer and
 * mode come back on its output (the mode picked again first when a hotplug came
 * meanwhile), every other plane and output goes off (Linux's
 * drm_fb_helper_lastclose). Nothing without a console or with a master. */
void drm_fbdev_restore_locked(struct drm_device *dev);
/* The outputs changed (a hotplug): the console picks its mode again and shows it,
 * or, while a master is there, at the next restore. Takes dev->mutex. */
void drm_fbdev_hotplug(struct drm_device *dev);

/* ---- drm_sysfs.c ---- */
/* Creates the sysfs devices of cardN, renderD(128+N) and the connectors (and the
 * platform device of a device without PCI); 0 or -errno. */
int drm_sysfs_add(struct drm_device *dev);
/* Sends Linux's hotplug uevent for dev (change of cardN, HOTPLUG=1). May sleep. */
void drm_sysfs_hotplug(struct drm_device *dev);
/* Sends Linux's lease uevent for dev (change of cardN, LEASE=1): a lessee went. May
 * sleep. */
void drm_sysfs_lease_event(struct drm_device *dev);

/* Whether output i's CRTC is active (its ACTIVE property): shown and not turned
 * off by DPMS. dev->mutex held (or the caller's snapshot of it). */
static inline bool drm_crtc_active_locked(struct drm_device *dev, unsigned i)
{
	return dev->outputs[i].enabled && !dev->oprops[i].dpms_off;
}

/* The connector's DPMS state (its property, sysfs dpms): On while its CRTC is on and
 * not turned off by DPMS, Off after that; On before its CRTC was ever on, as Linux's
 * connector->dpms starts at 0 and changes only when the connector gets or loses a
 * CRTC (a second head nobody lit). dev->mutex held. */
static inline bool drm_connector_dpms_on_locked(struct drm_device *dev, unsigned i)
{
	if (!dev->oprops[i].was_lit)
		return true;
	return drm_crtc_active_locked(dev, i);
}

/* Whether output i's connector is connected: as forced through sysfs, else as the
 * driver describes it. A disconnected connector has no modes (as Linux's probe
 * leaves it). dev->mutex held. */
static inline bool drm_output_connected_locked(struct drm_device *dev, unsigned i)
{
	enum drm_force force = dev->oprops[i].force;

	return force == DRM_FORCE_ON || (force != DRM_FORCE_OFF && dev->outputs[i].connected);
}

/* ---- drm_file.c ---- */
extern const struct file_operations drm_fops;
/* The registered device of minor, or NULL. */
struct drm_device *drm_device_of_minor(unsigned minor);

#endif
