/*
 * virtgpu.c — virtio-gpu 2D as a DRM driver ("virtio_gpu", as Linux names it): the
 * scanouts of GET_DISPLAY_INFO become outputs, a dumb buffer is a host resource
 * (RESOURCE_CREATE_2D) backed by its own pages (RESOURCE_ATTACH_BACKING with a
 * scatter list), and showing a framebuffer is SET_SCANOUT + TRANSFER_TO_HOST_2D +
 * RESOURCE_FLUSH; a resource of RESOURCE_CREATE is sent by its user. Every command is one request/response chain on the control queue,
 * built by virtgpu_cmd, waited for through the queue's interrupt. The cursor plane is
 * UPDATE_CURSOR/MOVE_CURSOR on the cursor queue.
 */
#include "arch/x86_64/arch.h"
#include "drivers/virtio/virtio.h"
#include "drm/drm.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <linux/virtio_gpu.h>
#include <linuxdrm/virtgpu_drm.h>

#define VIRTGPU_QUEUE_SIZE 64
/* Linux's virtio_gpu: XRES_MIN/YRES_MIN 32, XRES_MAX/YRES_MAX 8192, and 1024x768
 * when the host gives a scanout no size. */
#define VIRTGPU_MIN 32
#define VIRTGPU_MAX 8192
#define VIRTGPU_DEF_W 1024
#define VIRTGPU_DEF_H 768
/* RESOURCE_CREATE's target on a 2D device: Gallium's PIPE_TEXTURE_2D */
#define VIRTGPU_TARGET_2D 2

/* One device; set up at probe, then next_resource_id changes under the DRM device
 * mutex (the core calls gem_create and the ioctls with it held). config_changed is set by the
 * configuration-change interrupt and cleared by the event thread, which waits on
 * event_wq. fence_id: the last fence id sent (atomic), increasing from 1 as Linux's
 * fence_drv.current_fence_id. */
struct virtgpu {
	struct virtio_device *vdev;
	struct virtqueue *ctrlq, *cursorq;
	struct drm_device *drm;
	uint32_t num_scanouts;
	uint32_t next_resource_id;
	uint64_t fence_id;
	bool config_changed;
	struct wait_queue event_wq;
};

/* Runs one command: the request (and extra device-readable data), then the response
 * of resp_len bytes, whose type must be ok_type. 0 or -EIO. */
static int virtgpu_cmd(struct virtgpu *vg, void *req, size_t req_len, void *extra,
		       size_t extra_len, void *resp, size_t resp_len, uint32_t ok_type)
{
	struct virtio_gpu_ctrl_hdr *hdr = resp;
	struct virtio_buf bufs[3];
	unsigned n = 0;
	long ret;

	bufs[n++] = (struct virtio_buf){ req, req_len, false };
	if (extra_len)
		bufs[n++] = (struct virtio_buf){ extra, extra_len, false };
	bufs[n++] = (struct virtio_buf){ resp, resp_len, true };
	hdr->type = 0;
	ret = virtqueue_run(vg->ctrlq, bufs, n);
	if (ret < 0)
		return ret;
	if (hdr->type != ok_type) {
		pr_warn("virtio_gpu: command %#x failed (response %#x)",
			((struct virtio_gpu_ctrl_hdr *)req)->type, hdr->type);
		return -EIO;
	}
	return 0;
}

/* A command with no data in its answer. */
static int virtgpu_cmd_nodata(struct virtgpu *vg, void *req, size_t req_len)
{
	struct virtio_gpu_ctrl_hdr resp;

	return virtgpu_cmd(vg, req, req_len, NULL, 0, &resp, sizeof(resp),
			   VIRTIO_GPU_RESP_OK_NODATA);
}

static int virtgpu_resource_create_2d(struct virtgpu *vg, uint32_t id, uint32_t format,
				      uint32_t width, uint32_t height)
{
	struct virtio_gpu_resource_create_2d cmd = {
		.hdr.type = VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, .resource_id = id,
		.format = format, .width = width, .height = height,
	};

	return virtgpu_cmd_nodata(vg, &cmd, sizeof(cmd));
}

static int virtgpu_resource_unref(struct virtgpu *vg, uint32_t id)
{
	struct virtio_gpu_resource_unref cmd = {
		.hdr.type = VIRTIO_GPU_CMD_RESOURCE_UNREF, .resource_id = id,
	};

	return virtgpu_cmd_nodata(vg, &cmd, sizeof(cmd));
}

/* Attaches the object's pages, physically contiguous runs merged into one entry. */
static int virtgpu_resource_attach_backing(struct virtgpu *vg, uint32_t id,
					   struct drm_gem_object *obj)
{
	struct virtio_gpu_resource_attach_backing cmd = {
		.hdr.type = VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, .resource_id = id,
	};
	size_t npages = obj->size / PAGE_SIZE, n = 0;
	struct virtio_gpu_mem_entry *ents = kmalloc(npages * sizeof(*ents));
	int err;

	if (!ents)
		return -ENOMEM;
	for (size_t i = 0; i < npages; i++) {
		if (n && ents[n - 1].addr + ents[n - 1].length == obj->pages[i] &&
		    ents[n - 1].length <= UINT32_MAX - PAGE_SIZE) {
			ents[n - 1].length += PAGE_SIZE;
			continue;
		}
		ents[n++] = (struct virtio_gpu_mem_entry){ .addr = obj->pages[i],
							   .length = PAGE_SIZE };
	}
	cmd.nr_entries = n;
	err = virtgpu_cmd(vg, &cmd, sizeof(cmd), ents, n * sizeof(*ents),
			  &(struct virtio_gpu_ctrl_hdr){ 0 }, sizeof(struct virtio_gpu_ctrl_hdr),
			  VIRTIO_GPU_RESP_OK_NODATA);
	kfree(ents);
	return err;
}

static int virtgpu_set_scanout(struct virtgpu *vg, uint32_t scanout, uint32_t id,
			       uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	struct virtio_gpu_set_scanout cmd = {
		.hdr.type = VIRTIO_GPU_CMD_SET_SCANOUT, .r = { x, y, w, h },
		.scanout_id = scanout, .resource_id = id,
	};

	return virtgpu_cmd_nodata(vg, &cmd, sizeof(cmd));
}

/* A command with no data in its answer, fenced (VIRTIO_GPU_FLAG_FENCE with the next
 * fence id): the host answers once it has finished it, echoing the fence, which
 * must be ours (-EIO otherwise). The caller waits for it, as Linux's
 * dma_fence_wait on a virtio_gpu fence. */
static int virtgpu_cmd_fenced(struct virtgpu *vg, void *req, size_t req_len)
{
	struct virtio_gpu_ctrl_hdr *hdr = req, resp = { 0 };
	int err;

	hdr->flags |= VIRTIO_GPU_FLAG_FENCE;
	hdr->fence_id = __atomic_add_fetch(&vg->fence_id, 1, __ATOMIC_RELAXED);
	err = virtgpu_cmd(vg, req, req_len, NULL, 0, &resp, sizeof(resp),
			  VIRTIO_GPU_RESP_OK_NODATA);
	if (!err && (!(resp.flags & VIRTIO_GPU_FLAG_FENCE) || resp.fence_id != hdr->fence_id)) {
		pr_warn("virtio_gpu: fence %llu answered as %llu (flags %#x)",
			(unsigned long long)hdr->fence_id, (unsigned long long)resp.fence_id,
			resp.flags);
		err = -EIO;
	}
	return err;
}

/* Copies a rectangle of the resource's backing to the host; fenced as Linux fences a
 * cursor's image (virtio_gpu_cursor_plane_update), not a primary plane's dumb
 * buffer (only guest blobs are). */
static int virtgpu_transfer(struct virtgpu *vg, struct drm_gem_object *obj, uint32_t x,
			    uint32_t y, uint32_t w, uint32_t h, bool fenced)
{
	struct virtio_gpu_transfer_to_host_2d xfer = {
		.hdr.type = VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, .r = { x, y, w, h },
		.offset = (uint64_t)y * obj->pitch + (uint64_t)x * 4,
		.resource_id = obj->hw_id,
	};

	if (fenced)
		return virtgpu_cmd_fenced(vg, &xfer, sizeof(xfer));
	return virtgpu_cmd_nodata(vg, &xfer, sizeof(xfer));
}

/* Shows a rectangle of the resource on the scanouts showing it, copying that
 * rectangle of a dumb buffer's backing to the host first (Linux's virtio_gpu leaves
 * the other resources to their user's TRANSFER_TO_HOST). */
static int virtgpu_flush(struct virtgpu *vg, struct drm_gem_object *obj, uint32_t x,
			 uint32_t y, uint32_t w, uint32_t h)
{
	struct virtio_gpu_resource_flush flush = {
		.hdr.type = VIRTIO_GPU_CMD_RESOURCE_FLUSH, .r = { x, y, w, h },
		.resource_id = obj->hw_id,
	};
	int err = obj->dumb ? virtgpu_transfer(vg, obj, x, y, w, h, false) : 0;

	return err ? err : virtgpu_cmd_nodata(vg, &flush, sizeof(flush));
}

/* drm gem_create: a 32 bpp resource of the buffer's size backed by its pages (Linux's
 * virtio_gpu_mode_dumb_create takes only 32 bpp). */
static int virtgpu_gem_create(struct drm_device *drm, struct drm_gem_object *obj)
{
	struct virtgpu *vg = drm_driver_data(drm);
	uint32_t id;
	int err;

	if (obj->bpp != 32)
		return -EINVAL;
	id = ++vg->next_resource_id;
	/* DRM_FORMAT_XRGB8888 in memory on a little-endian guest */
	err = virtgpu_resource_create_2d(vg, id, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, obj->width,
					 obj->height);
	if (err)
		return err;
	err = virtgpu_resource_attach_backing(vg, id, obj);
	if (err) {
		virtgpu_resource_unref(vg, id);
		return err;
	}
	obj->hw_id = id;
	return 0;
}

/* drm gem_free: the host forgets the resource (and its backing) before the pages
 * are freed. */
static void virtgpu_gem_free(struct drm_device *drm, struct drm_gem_object *obj)
{
	virtgpu_resource_unref(drm_driver_data(drm), obj->hw_id);
}

/* drm output_set: the scanout shows the mode-sized window at (x, y) of fb's
 * resource; a dumb buffer is sent to the host whole first. */
static int virtgpu_output_set(struct drm_device *drm, unsigned i, struct drm_framebuffer *fb,
			      const struct drm_mode_modeinfo *mode, uint32_t x, uint32_t y)
{
	struct virtgpu *vg = drm_driver_data(drm);
	int err;

	if (!fb)
		return virtgpu_set_scanout(vg, i, 0, 0, 0, 0, 0);
	err = virtgpu_flush(vg, fb->obj, 0, 0, fb->obj->width, fb->obj->height);
	if (!err)
		err = virtgpu_set_scanout(vg, i, fb->obj->hw_id, x, y, mode->hdisplay,
					  mode->vdisplay);
	if (!err)
		err = virtgpu_flush(vg, fb->obj, x, y, mode->hdisplay, mode->vdisplay);
	return err;
}

/* drm fb_dirty: sends the bounding box of the damage, as Linux merges it. */
static int virtgpu_fb_dirty(struct drm_device *drm, unsigned i, struct drm_framebuffer *fb,
			    const struct drm_clip_rect *clips, unsigned n)
{
	uint32_t x1 = UINT32_MAX, y1 = UINT32_MAX, x2 = 0, y2 = 0;
	struct drm_gem_object *obj = fb->obj;

	for (unsigned k = 0; k < n; k++) {
		x1 = MIN(x1, clips[k].x1);
		y1 = MIN(y1, clips[k].y1);
		x2 = MAX(x2, clips[k].x2);
		y2 = MAX(y2, clips[k].y2);
	}
	x2 = MIN(x2, obj->width);
	y2 = MIN(y2, obj->height);
	if (x1 >= x2 || y1 >= y2)
		return 0;
	return virtgpu_flush(drm_driver_data(drm), obj, x1, y1, x2 - x1, y2 - y1);
}

/* drm cursor_set: a new image in a dumb buffer goes to the host (the part of the
 * resource it covers) before UPDATE_CURSOR names it; a move is MOVE_CURSOR, naming the
 * image shown as Linux's does (QEMU hides the cursor on a move with resource 0).
 * Cursor commands travel on the cursor queue and have no response, as Linux's
 * virtio_gpu_cursor_ping. */
static int virtgpu_cursor_set(struct drm_device *drm, unsigned i, const struct drm_cursor *c,
			      bool new_image)
{
	struct virtgpu *vg = drm_driver_data(drm);
	struct virtio_gpu_update_cursor cmd = {
		.hdr.type = new_image ? VIRTIO_GPU_CMD_UPDATE_CURSOR : VIRTIO_GPU_CMD_MOVE_CURSOR,
		.pos = { .scanout_id = i, .x = (uint32_t)c->x, .y = (uint32_t)c->y },
	};
	struct virtio_buf buf = { &cmd, sizeof(cmd), false };
	long ret;

	if (c->obj) {
		ret = new_image && c->obj->dumb ?
		      virtgpu_transfer(vg, c->obj, 0, 0, MIN(c->width, c->obj->width),
				       MIN(c->height, c->obj->height), true) : 0;
		if (ret)
			return ret;
		cmd.resource_id = c->obj->hw_id;
		cmd.hot_x = (uint32_t)c->hot_x;
		cmd.hot_y = (uint32_t)c->hot_y;
	}
	ret = virtqueue_run(vg->cursorq, &buf, 1);
	return ret < 0 ? ret : 0;
}

/* VIRTGPU_MAP: the fake offset to mmap a buffer at on the DRM fd. */
static int virtgpu_ioctl_map(struct drm_device *drm, struct drm_file *f, void *data)
{
	struct drm_virtgpu_map *args = data;
	struct drm_gem_object *obj = drm_gem_lookup_locked(f, args->handle);

	(void)drm;
	if (!obj)
		return -ENOENT;
	args->offset = obj->mmap_offset;
	return 0;
}

/* The ioctls of 3D (virgl) contexts: EXECBUFFER, TRANSFER_FROM_HOST, and GET_CAPS
 * (no capability sets without virgl). This device is 2D only: -ENOSYS, as Linux
 * answers before looking at the arguments, so Mesa renders in software. */
static int virtgpu_ioctl_no_3d(struct drm_device *drm, struct drm_file *f, void *data)
{
	(void)drm;
	(void)f;
	(void)data;
	return -ENOSYS;
}

/* VIRTGPU_GETPARAM: the device's parameters, written as an int at the user's value
 * pointer. The capset query fix is there; the rest is what Linux reports for features
 * this driver does not negotiate (virgl, blob resources and their host-visible
 * memory, resource UUIDs for cross-device sharing, context init): 0, and no capset
 * ids, which only virgl or context init devices have. */
static int virtgpu_ioctl_getparam(struct drm_device *drm, struct drm_file *f, void *data)
{
	struct drm_virtgpu_getparam *args = data;
	int value;

	(void)drm;
	(void)f;
	switch (args->param) {
	case VIRTGPU_PARAM_3D_FEATURES:
	case VIRTGPU_PARAM_RESOURCE_BLOB:
	case VIRTGPU_PARAM_HOST_VISIBLE:
	case VIRTGPU_PARAM_CROSS_DEVICE:
	case VIRTGPU_PARAM_CONTEXT_INIT:
	case VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs:
		value = 0;
		break;
	case VIRTGPU_PARAM_CAPSET_QUERY_FIX:
		value = 1;
		break;
	default:
		return -EINVAL;
	}
	if (copy_to_user((void __user *)(uintptr_t)args->value, &value, sizeof(value)))
		return -EFAULT;
	return 0;
}

/* RESOURCE_CREATE_BLOB without the blob feature and CONTEXT_INIT without context
 * init or virgl (not negotiated): -EINVAL, as Linux refuses them before it looks at
 * the arguments (the core has copied them in, or failed with -EFAULT). */
static int virtgpu_ioctl_unsupported(struct drm_device *drm, struct drm_file *f, void *data)
{
	(void)drm;
	(void)f;
	(void)data;
	return -EINVAL;
}

/* VIRTGPU_RESOURCE_CREATE on a 2D device: Linux's checks of the 3D parameters (at
 * most one depth, sample, extra mip level and layer; a 2D texture), then a buffer
 * of size bytes (a page when 0) backing a host resource of the user's virtio format,
 * width and height. Linux queues the host's commands without waiting for their
 * answers, so a resource the host refuses (a format or size it does not take)
 * still gets its handles, and the host refuses what is later asked of it too. */
static int virtgpu_ioctl_resource_create(struct drm_device *drm, struct drm_file *f,
					 void *data)
{
	struct drm_virtgpu_resource_create *args = data;
	struct virtgpu *vg = drm_driver_data(drm);
	struct drm_gem_object *obj;
	long handle;
	int err;

	if (args->depth > 1 || args->nr_samples > 1 || args->last_level > 1 ||
	    args->target != VIRTGPU_TARGET_2D || args->array_size > 1)
		return -EINVAL;
	obj = drm_gem_alloc(drm, args->size ? args->size : PAGE_SIZE);
	if (!obj)
		return -ENOMEM;
	obj->width = args->width;
	obj->height = args->height;
	obj->hw_id = ++vg->next_resource_id;
	err = virtgpu_resource_create_2d(vg, obj->hw_id, args->format, args->width,
					 args->height);
	if (err && err != -EIO)
		goto discard;
	err = virtgpu_resource_attach_backing(vg, obj->hw_id, obj);
	if (err && err != -EIO)
		goto unref;
	args->res_handle = obj->hw_id;
	handle = drm_gem_publish_locked(f, obj);
	if (handle < 0)
		return handle;
	args->bo_handle = handle;
	return 0;
unref:
	virtgpu_resource_unref(vg, obj->hw_id);
discard:
	drm_gem_discard(obj);
	return err;
}

/* VIRTGPU_RESOURCE_INFO: a buffer's size and its virtio resource id. */
static int virtgpu_ioctl_resource_info(struct drm_device *drm, struct drm_file *f,
				       void *data)
{
	struct drm_virtgpu_resource_info *args = data;
	struct drm_gem_object *obj = drm_gem_lookup_locked(f, args->bo_handle);

	(void)drm;
	if (!obj)
		return -ENOENT;
	args->size = (uint32_t)obj->size;
	args->res_handle = obj->hw_id;
	return 0;
}

/* VIRTGPU_TRANSFER_TO_HOST on a 2D device: copies the box of the buffer's backing,
 * from byte offset on, to its resource. Linux queues the command without waiting for
 * its answer, so a box the host rejects still gives 0. */
static int virtgpu_ioctl_transfer_to_host(struct drm_device *drm, struct drm_file *f,
					  void *data)
{
	struct drm_virtgpu_3d_transfer_to_host *args = data;
	struct drm_gem_object *obj = drm_gem_lookup_locked(f, args->bo_handle);
	struct virtio_gpu_transfer_to_host_2d xfer = {
		.hdr.type = VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D,
		.r = { args->box.x, args->box.y, args->box.w, args->box.h },
		.offset = args->offset,
	};

	if (!obj)
		return -ENOENT;
	xfer.resource_id = obj->hw_id;
	virtgpu_cmd_nodata(drm_driver_data(drm), &xfer, sizeof(xfer));
	return 0;
}

/* VIRTGPU_WAIT: waits until the buffer is idle. Every command this driver sends is
 * finished when the call that sent it returns, so a buffer is always idle. */
static int virtgpu_ioctl_wait(struct drm_device *drm, struct drm_file *f, void *data)
{
	struct drm_virtgpu_3d_wait *args = data;

	(void)drm;
	return drm_gem_lookup_locked(f, args->handle) ? 0 : -ENOENT;
}

/* Linux's virtio_gpu ioctls, indexed by number - DRM_COMMAND_BASE. */
static const struct drm_driver_ioctl virtgpu_ioctls[] = {
	[DRM_VIRTGPU_MAP] = { DRM_IOCTL_VIRTGPU_MAP, virtgpu_ioctl_map },
	[DRM_VIRTGPU_EXECBUFFER] = { DRM_IOCTL_VIRTGPU_EXECBUFFER, virtgpu_ioctl_no_3d },
	[DRM_VIRTGPU_GETPARAM] = { DRM_IOCTL_VIRTGPU_GETPARAM, virtgpu_ioctl_getparam },
	[DRM_VIRTGPU_RESOURCE_CREATE] = { DRM_IOCTL_VIRTGPU_RESOURCE_CREATE,
					  virtgpu_ioctl_resource_create },
	[DRM_VIRTGPU_RESOURCE_INFO] = { DRM_IOCTL_VIRTGPU_RESOURCE_INFO,
					virtgpu_ioctl_resource_info },
	[DRM_VIRTGPU_TRANSFER_FROM_HOST] = { DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST,
					     virtgpu_ioctl_no_3d },
	[DRM_VIRTGPU_TRANSFER_TO_HOST] = { DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST,
					   virtgpu_ioctl_transfer_to_host },
	[DRM_VIRTGPU_WAIT] = { DRM_IOCTL_VIRTGPU_WAIT, virtgpu_ioctl_wait },
	[DRM_VIRTGPU_GET_CAPS] = { DRM_IOCTL_VIRTGPU_GET_CAPS, virtgpu_ioctl_no_3d },
	[DRM_VIRTGPU_RESOURCE_CREATE_BLOB] = { DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB,
					       virtgpu_ioctl_unsupported },
	[DRM_VIRTGPU_CONTEXT_INIT] = { DRM_IOCTL_VIRTGPU_CONTEXT_INIT,
				       virtgpu_ioctl_unsupported },
};

static const struct drm_driver_funcs virtgpu_funcs = {
	.gem_create = virtgpu_gem_create,
	.gem_free = virtgpu_gem_free,
	.output_set = virtgpu_output_set,
	.fb_dirty = virtgpu_fb_dirty,
	.cursor_set = virtgpu_cursor_set,
	.ioctls = virtgpu_ioctls,
	.nr_ioctls = ARRAY_SIZE(virtgpu_ioctls),
};

static const uint32_t virtgpu_formats[] = { DRM_FORMAT_XRGB8888 };
/* Linux's virtio_gpu_user_framebuffer_create also takes ARGB8888 (cursor images). */
static const uint32_t virtgpu_fb_formats[] = { DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888 };

/* Linux 6.1's virtio_gpu: DRIVER_NAME, DRIVER_DESC, DRIVER_DATE and version 0.1.0. */
static const struct drm_driver virtgpu_driver = {
	.name = "virtio_gpu", .desc = "virtio GPU", .date = "0",
	.major = 0, .minor = 1, .patchlevel = 0,
	.min_width = VIRTGPU_MIN, .min_height = VIRTGPU_MIN,
	.max_width = VIRTGPU_MAX, .max_height = VIRTGPU_MAX,
	.formats = virtgpu_formats, .nr_formats = ARRAY_SIZE(virtgpu_formats),
	.fb_formats = virtgpu_fb_formats, .nr_fb_formats = ARRAY_SIZE(virtgpu_fb_formats),
	.connector_type = DRM_MODE_CONNECTOR_VIRTUAL, .encoder_type = DRM_MODE_ENCODER_VIRTUAL,
	.funcs = &virtgpu_funcs,
};

/* Reads scanout i's EDID: the base block and its extensions (byte 126) become the
 * connector's EDID property and its mode list (when it gives modes); bytes 21 and
 * 22 give the physical size (centimetres). */
static void virtgpu_read_edid(struct virtgpu *vg, unsigned i, struct drm_output *out)
{
	struct virtio_gpu_cmd_get_edid cmd = { .hdr.type = VIRTIO_GPU_CMD_GET_EDID, .scanout = i };
	struct virtio_gpu_resp_edid *resp = kzalloc(sizeof(*resp));

	if (!resp)
		return;
	if (!virtgpu_cmd(vg, &cmd, sizeof(cmd), NULL, 0, resp, sizeof(*resp),
			 VIRTIO_GPU_RESP_OK_EDID) && resp->size >= 128) {
		size_t len = MIN((resp->edid[126] + 1) * 128u,
				 MIN((size_t)resp->size, sizeof(resp->edid)));
		unsigned n;

		out->mm_width = resp->edid[21] * 10;
		out->mm_height = resp->edid[22] * 10;
		if (drm_output_set_edid(vg->drm, i, resp->edid, len - len % 128))
			pr_warn("virtio_gpu: no memory for the EDID of scanout %u", i);
		/* Linux's virtio_gpu offers the EDID's modes when it gives any */
		n = drm_edid_modes(resp->edid, len - len % 128, out->modes, DRM_MAX_MODES);
		if (n)
			out->nr_modes = n;
	}
	kfree(resp);
}

/* Describes each scanout as an output: connected when enabled, its size as the
 * preferred mode (Linux's CVT mode of it) unless its EDID gives modes. A disabled
 * scanout's EDID (QEMU has one for each) is read too, as Linux does; the core's
 * probe drops it from the disconnected connector. Returns 1 when an output changed,
 * 0 when none did, or -errno. */
static int virtgpu_read_outputs(struct virtgpu *vg)
{
	struct virtio_gpu_ctrl_hdr cmd = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	struct virtio_gpu_resp_display_info *info = kzalloc(sizeof(*info));
	struct drm_output *desc = kzalloc(sizeof(*desc));
	int err = -ENOMEM, changed = 0;

	if (!info || !desc)
		goto out;
	err = virtgpu_cmd(vg, &cmd, sizeof(cmd), NULL, 0, info, sizeof(*info),
			  VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
	for (unsigned i = 0; !err && i < vg->num_scanouts; i++) {
		uint32_t w = info->pmodes[i].r.width, h = info->pmodes[i].r.height;

		memset(desc, 0, sizeof(*desc));
		desc->connected = info->pmodes[i].enabled;
		if (!w || !h || w > VIRTGPU_MAX || h > VIRTGPU_MAX) {
			w = VIRTGPU_DEF_W;
			h = VIRTGPU_DEF_H;
		}
		drm_mode_cvt(&desc->modes[0], w, h, true);
		desc->nr_modes = 1;
		if (virtio_has(vg->vdev, VIRTIO_GPU_F_EDID))
			virtgpu_read_edid(vg, i, desc);
		changed |= drm_output_update(vg->drm, i, desc);
	}
out:
	kfree(desc);
	kfree(info);
	return err ? err : changed;
}

/* The configuration-change interrupt: the event thread does the work (commands
 * sleep). */
static void virtgpu_config_changed(void *ctx)
{
	struct virtgpu *vg = ctx;

	__atomic_store_n(&vg->config_changed, true, __ATOMIC_RELEASE);
	wake_up(&vg->event_wq);
}

/* Handles the device's events as Linux's virtio_gpu does: on a display change, reads
 * the scanouts and their EDIDs again and sends a hotplug uevent when an output
 * changed; then acknowledges the events (events_clear). */
static void virtgpu_handle_events(struct virtgpu *vg)
{
	uint32_t events;

	if (virtio_config_read(vg->vdev, offsetof(struct virtio_gpu_config, events_read),
			       &events, sizeof(events)))
		return;
	if ((events & VIRTIO_GPU_EVENT_DISPLAY) && virtgpu_read_outputs(vg) > 0)
		drm_hotplug_event(vg->drm);
	virtio_config_write(vg->vdev, offsetof(struct virtio_gpu_config, events_clear), &events,
			    sizeof(events));
}

/* The device's event thread: waits for configuration changes, forever. */
static void virtgpu_event_thread(void *arg)
{
	struct virtgpu *vg = arg;

	for (;;) {
		wait_event(&vg->event_wq, __atomic_load_n(&vg->config_changed, __ATOMIC_ACQUIRE));
		__atomic_store_n(&vg->config_changed, false, __ATOMIC_RELAXED);
		virtgpu_handle_events(vg);
	}
}

/* Sets up the queues and reads the scanouts; the device is ready afterwards. */
static int virtgpu_setup(struct virtgpu *vg)
{
	int err = virtio_negotiate(vg->vdev, 1ULL << VIRTIO_GPU_F_EDID);

	if (err)
		return err;
	err = virtio_config_read(vg->vdev, offsetof(struct virtio_gpu_config, num_scanouts),
				 &vg->num_scanouts, sizeof(vg->num_scanouts));
	if (err)
		return err;
	if (!vg->num_scanouts || vg->num_scanouts > VIRTIO_GPU_MAX_SCANOUTS)
		return -ENODEV;
	vg->ctrlq = virtio_queue_setup(vg->vdev, 0, VIRTGPU_QUEUE_SIZE);
	if (IS_ERR(vg->ctrlq))
		return PTR_ERR(vg->ctrlq);
	vg->cursorq = virtio_queue_setup(vg->vdev, 1, VIRTGPU_QUEUE_SIZE);
	if (IS_ERR(vg->cursorq))
		return PTR_ERR(vg->cursorq);
	/* Without the interrupt the device works, only without display changes. */
	if (virtio_config_irq(vg->vdev, virtgpu_config_changed, vg))
		pr_warn("virtio_gpu: no configuration-change interrupt: no hotplug");
	return virtio_driver_ok(vg->vdev);
}

/* Brings up one virtio-gpu device as the DRM device of bus device virtio<index>. */
static int virtgpu_probe(struct virtio_device *vdev, unsigned index)
{
	struct virtgpu *vg = kzalloc(sizeof(*vg));
	char bus_name[16];
	int err;

	if (!vg)
		return -ENOMEM;
	vg->vdev = vdev;
	wait_queue_init(&vg->event_wq);
	err = virtgpu_setup(vg);
	if (err)
		goto failed;
	ksnprintf(bus_name, sizeof(bus_name), "virtio%u", index);
	err = -ENOMEM;
	vg->drm = drm_device_alloc(&virtgpu_driver, vg->num_scanouts, vdev->pci, bus_name);
	if (!vg->drm)
		goto failed;
	drm_set_driver_data(vg->drm, vg);
	err = virtgpu_read_outputs(vg);
	if (err < 0)
		goto free_drm;
	/* Once registered (even partly: sysfs failed) the device stays, and so does the
	 * thread that follows its display changes. */
	err = drm_device_register(vg->drm);
	if (err)
		return err;
	if (!kthread_start("virtio_gpu events", virtgpu_event_thread, vg))
		pr_warn("virtio_gpu: no event thread: no hotplug");
	/* as Linux's virtio_gpu_probe: drm_fbdev_generic_setup; the device works
	 * without a console */
	err = drm_fbdev_setup(vg->drm);
	if (err && err != -ENODEV)
		pr_warn("virtio_gpu: no console on %s (%d)", bus_name, err);
	return 0;
free_drm:
	kfree(vg->drm);
failed:
	/* vg stays allocated: the device's interrupt vectors may name it. */
	virtio_fail(vdev);
	return err;
}

/* Finds the virtio-gpu devices and registers each as a DRM device. After virtio_init
 * and vfs_init; the interrupts must be on (commands wait for them). */
void virtio_gpu_init(void)
{
	struct virtio_device *vdev;
	int err;

	while ((vdev = virtio_find(VIRTIO_ID_GPU))) {
		err = virtgpu_probe(vdev, vdev->index);
		if (err)
			pr_warn("virtio_gpu: a device failed to come up (%d)", err);
	}
}
