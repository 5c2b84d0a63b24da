/* drmvirtgpu: the virtio_gpu driver ioctls (DRM_IOCTL_VIRTGPU_*) on QEMU's 2D-only
 * virtio-gpu-pci, on the render node and the primary node: GETPARAM of the
 * parameters Linux 6.1 names (and unknown ones), RESOURCE_CREATE_BLOB and
 * CONTEXT_INIT (refused: no blob resources, no context init), GET_CAPS, RESOURCE_INFO
 * and MAP of a dumb buffer, EXECBUFFER, TRANSFER_FROM_HOST/TO_HOST, WAIT, and RESOURCE_CREATE:
 * its checks, every 2D format, sizes, and a resource used as a dumb buffer is (info,
 * map, mmap, transfer, wait, PRIME, ADDFB2, SETCRTC: its pattern is screendumped as
 * drmvirtgpu-resource), with bad handles, flags and pointers. Handles and offsets
 * are printed as facts, never as numbers. `drmvirtgpu heads` lights every scanout
 * of a device with several (job drmheads) and screendumps each. */
#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <linuxdrm/virtgpu_drm.h>
#include <linux/virtio_gpu.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "drmtest.h"

/* An unmapped address the compiler cannot see through. */
static volatile uintptr_t bad_address = 8;

/* The ioctl's result: 0 or -errno. */
static int call(int f, unsigned long req, void *arg)
{
	return drm(f, req, arg) < 0 ? -errno : 0;
}

/* Prints "what: 0 ok" or "what: -ERRNO NAME". */
static void report(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, r ? errname(-r) : "ok");
}

static void getparams(int f, const char *node)
{
	static const uint64_t params[] = { 0, VIRTGPU_PARAM_3D_FEATURES,
		VIRTGPU_PARAM_CAPSET_QUERY_FIX, VIRTGPU_PARAM_RESOURCE_BLOB,
		VIRTGPU_PARAM_HOST_VISIBLE, VIRTGPU_PARAM_CROSS_DEVICE,
		VIRTGPU_PARAM_CONTEXT_INIT, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, 8, 1000 };

	for (unsigned i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		uint64_t p = params[i];
		int value = -7;
		struct drm_virtgpu_getparam gp = { .param = p, .value = (uintptr_t)&value };
		int r = call(f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);

		printf("%s getparam %llu: %d %s value %d\n", node, (unsigned long long)p, r,
		       r ? errname(-r) : "ok", value);
	}
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES,
					   .value = bad_address };
	report("getparam bad value pointer", call(f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
	gp.param = VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs;
	report("getparam capset ids bad value pointer", call(f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
	gp.param = 8;
	report("getparam 8 bad value pointer", call(f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
	report("getparam bad arg pointer", call(f, DRM_IOCTL_VIRTGPU_GETPARAM,
					       (void *)bad_address));
}

static void caps(int f)
{
	char buf[64];
	struct drm_virtgpu_get_caps c = { .cap_set_id = 1, .cap_set_ver = 1,
					  .addr = (uintptr_t)buf, .size = sizeof(buf) };

	report("get_caps virgl", call(f, DRM_IOCTL_VIRTGPU_GET_CAPS, &c));
	c.size = 0;
	report("get_caps size 0", call(f, DRM_IOCTL_VIRTGPU_GET_CAPS, &c));
	c.cap_set_id = 99;
	report("get_caps bad id", call(f, DRM_IOCTL_VIRTGPU_GET_CAPS, &c));
}

static void with_buffer(int f)
{
	struct drm_mode_create_dumb cd = { .width = 64, .height = 32, .bpp = 32 };
	int r = call(f, DRM_IOCTL_MODE_CREATE_DUMB, &cd);

	report("create_dumb", r);
	if (r)
		return;
	struct drm_virtgpu_resource_info ri = { .bo_handle = cd.handle };
	r = call(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri);
	printf("resource_info: %d %s size %u res_handle %s\n", r, r ? errname(-r) : "ok",
	       ri.size, ri.res_handle ? "nonzero" : "zero");
	ri.bo_handle = 0;
	report("resource_info handle 0", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri));
	ri.bo_handle = 999;
	report("resource_info bad handle", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri));

	struct drm_virtgpu_map m = { .handle = cd.handle };
	struct drm_mode_map_dumb md = { .handle = cd.handle };
	r = call(f, DRM_IOCTL_VIRTGPU_MAP, &m);
	call(f, DRM_IOCTL_MODE_MAP_DUMB, &md);
	printf("map: %d %s offset %s map_dumb's\n", r, r ? errname(-r) : "ok",
	       m.offset == md.offset ? "is" : "differs from");
	m.handle = 999;
	report("map bad handle", call(f, DRM_IOCTL_VIRTGPU_MAP, &m));

	struct drm_virtgpu_3d_transfer_to_host to = { .bo_handle = cd.handle,
		.box = { .x = 0, .y = 0, .w = 64, .h = 32, .d = 1 } };
	report("transfer_to_host", call(f, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to));
	to.bo_handle = 999;
	report("transfer_to_host bad handle", call(f, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to));
	struct drm_virtgpu_3d_transfer_from_host from = { .bo_handle = cd.handle,
		.box = { .w = 64, .h = 32, .d = 1 } };
	report("transfer_from_host", call(f, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from));
	from.bo_handle = 999;
	report("transfer_from_host bad handle",
	     call(f, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from));

	struct drm_virtgpu_3d_wait w = { .handle = cd.handle };
	report("wait", call(f, DRM_IOCTL_VIRTGPU_WAIT, &w));
	w.flags = VIRTGPU_WAIT_NOWAIT;
	report("wait nowait", call(f, DRM_IOCTL_VIRTGPU_WAIT, &w));
	w.flags = 0x80;
	report("wait unknown flag", call(f, DRM_IOCTL_VIRTGPU_WAIT, &w));
	w.handle = 999;
	w.flags = 0;
	report("wait bad handle", call(f, DRM_IOCTL_VIRTGPU_WAIT, &w));

	struct drm_mode_destroy_dumb dd = { .handle = cd.handle };
	report("destroy_dumb", call(f, DRM_IOCTL_MODE_DESTROY_DUMB, &dd));
}

static void no_3d(int f)
{
	uint32_t cmd[4] = { 0 };
	struct drm_virtgpu_execbuffer eb = { .command = (uintptr_t)cmd, .size = sizeof(cmd) };

	report("execbuffer", call(f, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb));
	eb.flags = 0x80000000;
	report("execbuffer bad flags", call(f, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb));

	struct drm_virtgpu_resource_create rc = { .target = 2, .format = 1, .width = 64,
		.height = 32, .depth = 2, .array_size = 1 };
	report("resource_create depth 2", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	rc.depth = 1;
	rc.target = 3;
	report("resource_create target 3", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	rc.target = 2;
	rc.nr_samples = 4;
	report("resource_create 4 samples", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	rc.nr_samples = 0;
	rc.last_level = 2;
	report("resource_create last_level 2", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	rc.last_level = 0;
	rc.array_size = 2;
	report("resource_create array_size 2", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
}

/* A 2D RESOURCE_CREATE argument as Mesa's virgl fills it for a 2D host (target 2 is
 * PIPE_TEXTURE_2D). */
static struct drm_virtgpu_resource_create rc2d(uint32_t format, uint32_t w, uint32_t h,
					       uint32_t size)
{
	return (struct drm_virtgpu_resource_create){ .target = 2, .format = format,
		.width = w, .height = h, .depth = 1, .array_size = 1, .size = size };
}

static void gem_close(int f, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	call(f, DRM_IOCTL_GEM_CLOSE, &c);
}

/* Creates a resource and prints the result, its handles and the size RESOURCE_INFO
 * gives it, then closes it. */
static void create_one(int f, const char *what, struct drm_virtgpu_resource_create rc)
{
	int r = call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
	struct drm_virtgpu_resource_info ri = { .bo_handle = rc.bo_handle };

	printf("resource_create %s: %d %s", what, r, r ? errname(-r) : "ok");
	if (r) {
		printf(" bo_handle %s\n", rc.bo_handle ? "nonzero" : "zero");
		return;
	}
	r = call(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri);
	printf(" bo_handle %s res_handle %s; info %d size %u res_handle %s\n",
	       rc.bo_handle ? "nonzero" : "zero", rc.res_handle ? "nonzero" : "zero", r,
	       ri.size, ri.res_handle == rc.res_handle ? "same" : "differs");
	gem_close(f, rc.bo_handle);
}

/* RESOURCE_CREATE's checks (depth, samples, mip levels, target, layers, in Linux's
 * order) and what it takes unchecked on a 2D host: every format, any size. */
static void create_checks(int f)
{
	static const struct { uint32_t format; const char *name; } formats[] = {
		{ VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, "B8G8R8A8" },
		{ VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, "B8G8R8X8" },
		{ VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM, "A8R8G8B8" },
		{ VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM, "X8R8G8B8" },
		{ VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, "R8G8B8A8" },
		{ VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM, "X8B8G8R8" },
		{ VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM, "A8B8G8R8" },
		{ VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM, "R8G8B8X8" },
		{ 0, "format 0" }, { 999, "format 999" },
	};
	const uint32_t xrgb = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
	struct drm_virtgpu_resource_create rc;
	char what[64];

	for (unsigned i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		snprintf(what, sizeof(what), "%s 64x32", formats[i].name);
		create_one(f, what, rc2d(formats[i].format, 64, 32, 8192));
	}
	create_one(f, "size 0", rc2d(xrgb, 64, 32, 0));
	create_one(f, "size 1", rc2d(xrgb, 64, 32, 1));
	create_one(f, "size 5000", rc2d(xrgb, 64, 32, 5000));
	create_one(f, "size below w*h*4", rc2d(xrgb, 640, 480, 4096));
	create_one(f, "0x0", rc2d(xrgb, 0, 0, 4096));
	create_one(f, "huge width", rc2d(xrgb, 0xffffffff, 1, 4096));
	create_one(f, "size 0xffffffff", rc2d(xrgb, 64, 32, 0xffffffff));
	rc = rc2d(xrgb, 64, 32, 8192);
	rc.depth = 0;
	rc.array_size = 0;
	create_one(f, "depth 0 array_size 0", rc);
	rc = rc2d(xrgb, 64, 32, 8192);
	rc.last_level = 1;
	rc.nr_samples = 1;
	create_one(f, "last_level 1 nr_samples 1", rc);
	rc = rc2d(xrgb, 64, 32, 8192);
	rc.bind = 0xffffffff;
	rc.flags = 0xffffffff;
	create_one(f, "any bind and flags", rc);
	rc = rc2d(xrgb, 64, 32, 8192);
	rc.depth = 2;
	rc.target = 3;
	create_one(f, "depth 2 and target 3", rc);
	rc = rc2d(xrgb, 64, 32, 8192);
	rc.target = 0;
	create_one(f, "target 0", rc);
	report("resource_create bad arg pointer",
	       call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, (void *)bad_address));
}

/* RESOURCE_CREATE_BLOB and CONTEXT_INIT, which a device without blob resources,
 * context init and virgl refuses: well-formed requests and bad ones, the handles
 * left as they were. */
static void blob_and_context(int f, const char *node)
{
	struct drm_virtgpu_resource_create_blob blob = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST, .blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = 4096, .bo_handle = 77, .res_handle = 78 };
	struct drm_virtgpu_context_set_param cp[4] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, 1 }, { VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1 } };
	struct drm_virtgpu_context_init ci = { .num_params = 2,
					       .ctx_set_params = (uintptr_t)cp };
	char what[80];

	snprintf(what, sizeof(what), "%s create_blob guest", node);
	report(what, call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob));
	printf("%s create_blob handles kept: %d\n", node,
	       blob.bo_handle == 77 && blob.res_handle == 78);
	blob.blob_mem = VIRTGPU_BLOB_MEM_HOST3D;
	blob.blob_id = 1;
	report("create_blob host3d", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob));
	blob.blob_mem = 99;
	report("create_blob bad blob_mem", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob));
	blob.blob_mem = VIRTGPU_BLOB_MEM_GUEST;
	blob.blob_flags = 0x80;
	report("create_blob bad flags", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob));
	blob.blob_flags = 0;
	blob.size = 0;
	report("create_blob size 0", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob));
	blob.size = 4096;
	blob.cmd_size = 16;
	blob.cmd = bad_address;
	report("create_blob bad cmd pointer",
	       call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &blob));
	report("create_blob bad arg pointer",
	       call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, (void *)bad_address));

	snprintf(what, sizeof(what), "%s context_init", node);
	report(what, call(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
	ci.num_params = 0;
	report("context_init no params", call(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
	ci.num_params = 4;
	report("context_init 4 params", call(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
	ci.num_params = 1;
	cp[0].param = 99;
	report("context_init bad param", call(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
	ci.ctx_set_params = bad_address;
	report("context_init bad params pointer", call(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
	report("context_init bad arg pointer",
	       call(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, (void *)bad_address));
}

/* The pattern: red grows left to right, green top to bottom, blue is x ^ y. */
static uint32_t pattern(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	return (x * 255 / (w - 1)) << 16 | (y * 255 / (h - 1)) << 8 | ((x ^ y) & 0xff);
}

/* The first connector's id and preferred mode and the first CRTC's id; 0 or -1. */
static int first_output(int f, uint32_t *crtc, uint32_t *conn, struct drm_mode_modeinfo *mode)
{
	uint32_t crtcs[8], conns[8];
	struct drm_mode_card_res res = { .crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 8,
					 .connector_id_ptr = (uintptr_t)conns,
					 .count_connectors = 8 };
	struct drm_mode_modeinfo modes[64];
	struct drm_mode_get_connector c = { .modes_ptr = (uintptr_t)modes, .count_modes = 64 };

	if (drm(f, DRM_IOCTL_MODE_GETRESOURCES, &res) < 0 || !res.count_crtcs ||
	    !res.count_connectors)
		return -1;
	c.connector_id = conns[0];
	if (drm(f, DRM_IOCTL_MODE_GETCONNECTOR, &c) < 0 || !c.count_modes)
		return -1;
	*crtc = crtcs[0];
	*conn = conns[0];
	*mode = modes[0];
	return 0;
}

/* What the screen shows of a resource is what its user sent: the pattern inverted
 * in its pages and DIRTYFB leave it unchanged (screendump drmvirtgpu-stale), a
 * TRANSFER_TO_HOST of the middle box (its first byte at offset) shows that box
 * inverted (drmvirtgpu-box). */
static void sent_by_user(int f, uint32_t *px, uint32_t fb_id, uint32_t w, uint32_t h,
			 uint32_t handle)
{
	struct drm_mode_fb_dirty_cmd dirty = { .fb_id = fb_id };
	uint32_t bx = w / 4, by = h / 4;
	struct drm_virtgpu_3d_transfer_to_host to = { .bo_handle = handle,
		.box = { .x = bx, .y = by, .w = w / 2, .h = h / 2, .d = 1 },
		.offset = (uint64_t)by * w * 4 + bx * 4 };

	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			px[y * w + x] = ~pattern(x, y, w, h) & 0xffffff;
	report("dirtyfb without a transfer", call(f, DRM_IOCTL_MODE_DIRTYFB, &dirty));
	printf("shot: %d\n", system("shot drmvirtgpu-stale"));
	report("transfer_to_host of the middle box", call(f, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to));
	report("dirtyfb", call(f, DRM_IOCTL_MODE_DIRTYFB, &dirty));
	printf("shot: %d\n", system("shot drmvirtgpu-box"));
}

/* A resource of the first connector's preferred mode used as a dumb buffer would be:
 * info, MAP and mmap, the pattern drawn and sent (TRANSFER_TO_HOST: Linux's
 * virtio_gpu sends only dumb buffers itself), WAIT, PRIME export and import, ADDFB2
 * and SETCRTC, then screendumped. */
static void create_and_show(int f)
{
	struct drm_mode_modeinfo mode;
	uint32_t crtc, conn;

	if (first_output(f, &crtc, &conn, &mode)) {
		printf("no output\n");
		return;
	}
	uint32_t w = mode.hdisplay, h = mode.vdisplay, size = w * h * 4;
	struct drm_virtgpu_resource_create rc = rc2d(VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, w, h, size);
	int r = call(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);

	report("resource_create of the preferred mode's size", r);
	if (r)
		return;
	struct drm_virtgpu_resource_info ri = { .bo_handle = rc.bo_handle };
	r = call(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri);
	printf("resource_info: %d size is %s res_handle %s\n", r,
	       ri.size == size ? "w*h*4" : "other", ri.res_handle == rc.res_handle ? "same" : "differs");

	struct drm_virtgpu_map m = { .handle = rc.bo_handle };
	report("map", call(f, DRM_IOCTL_VIRTGPU_MAP, &m));
	uint32_t *px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, m.offset);
	printf("mmap: %s\n", px == MAP_FAILED ? errname(errno) : "ok");
	if (px == MAP_FAILED)
		return;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			px[y * w + x] = pattern(x, y, w, h);
	struct drm_virtgpu_3d_transfer_to_host to = { .bo_handle = rc.bo_handle,
		.box = { .w = w, .h = h, .d = 1 } };
	report("transfer_to_host", call(f, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to));
	struct drm_virtgpu_3d_wait wt = { .handle = rc.bo_handle };
	report("wait", call(f, DRM_IOCTL_VIRTGPU_WAIT, &wt));

	struct drm_prime_handle ph = { .handle = rc.bo_handle, .flags = DRM_CLOEXEC };
	report("prime handle_to_fd", call(f, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph));
	struct drm_prime_handle back = { .fd = ph.fd };
	r = call(f, DRM_IOCTL_PRIME_FD_TO_HANDLE, &back);
	printf("prime fd_to_handle: %d handle %s\n", r,
	       back.handle == rc.bo_handle ? "same" : "differs");
	close(ph.fd);

	struct drm_mode_fb_cmd2 fb = { .width = w, .height = h,
		.pixel_format = DRM_FORMAT_XRGB8888, .handles = { rc.bo_handle },
		.pitches = { w * 4 } };
	report("addfb2", call(f, DRM_IOCTL_MODE_ADDFB2, &fb));
	struct drm_mode_crtc sc = { .crtc_id = crtc, .fb_id = fb.fb_id, .mode = mode,
		.mode_valid = 1, .set_connectors_ptr = (uintptr_t)&conn, .count_connectors = 1 };
	report("setcrtc", call(f, DRM_IOCTL_MODE_SETCRTC, &sc));
	printf("shot: %d\n", system("shot drmvirtgpu-resource"));
	sent_by_user(f, px, fb.fb_id, w, h, rc.bo_handle);
	munmap(px, size);
	report("rmfb", call(f, DRM_IOCTL_MODE_RMFB, &fb.fb_id));
	struct drm_gem_close gc = { .handle = rc.bo_handle };
	report("gem_close", call(f, DRM_IOCTL_GEM_CLOSE, &gc));
	report("resource_info after close", call(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri));
}

/* A dumb buffer of mode's size with the pattern (inverted when invert) as an
 * XRGB8888 framebuffer; its id, or 0 when a step failed (reported). */
static uint32_t pattern_fb(int f, const struct drm_mode_modeinfo *mode, int invert)
{
	struct drm_mode_create_dumb cd = { .width = mode->hdisplay, .height = mode->vdisplay,
					   .bpp = 32 };
	struct drm_mode_map_dumb md = { 0 };
	struct drm_mode_fb_cmd2 fb = { .pixel_format = DRM_FORMAT_XRGB8888 };
	uint32_t *px;
	int r = call(f, DRM_IOCTL_MODE_CREATE_DUMB, &cd);

	md.handle = cd.handle;
	if (!r)
		r = call(f, DRM_IOCTL_MODE_MAP_DUMB, &md);
	px = r ? MAP_FAILED : mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, f,
				   md.offset);
	if (px == MAP_FAILED) {
		report("create_dumb, map_dumb and mmap", r ? r : -errno);
		return 0;
	}
	for (uint32_t y = 0; y < cd.height; y++)
		for (uint32_t x = 0; x < cd.width; x++)
			px[y * cd.pitch / 4 + x] = (invert ? ~pattern(x, y, cd.width, cd.height) :
						    pattern(x, y, cd.width, cd.height)) & 0xffffff;
	munmap(px, cd.size);
	fb.width = cd.width;
	fb.height = cd.height;
	fb.handles[0] = cd.handle;
	fb.pitches[0] = cd.pitch;
	r = call(f, DRM_IOCTL_MODE_ADDFB2, &fb);
	if (r)
		report("addfb2", r);
	return r ? 0 : fb.fb_id;
}

static int setcrtc(int f, uint32_t crtc, uint32_t fb, const uint32_t *conns, uint32_t n,
		   const struct drm_mode_modeinfo *mode)
{
	struct drm_mode_crtc sc = { .crtc_id = crtc, .fb_id = fb, .mode = *mode,
		.mode_valid = 1, .set_connectors_ptr = (uintptr_t)conns, .count_connectors = n };

	return call(f, DRM_IOCTL_MODE_SETCRTC, &sc);
}

/* What GETCRTC, GETCONNECTOR and GETENCODER say of head i (CRTC i, connector i and
 * its encoder, in GETRESOURCES order). */
static void head_state(int f, unsigned i, uint32_t crtc, uint32_t conn, uint32_t enc)
{
	struct drm_mode_crtc gc = { .crtc_id = crtc };
	struct drm_mode_get_connector c = { .connector_id = conn };
	struct drm_mode_get_encoder e = { .encoder_id = enc };
	int r1 = call(f, DRM_IOCTL_MODE_GETCRTC, &gc), r2 = call(f, DRM_IOCTL_MODE_GETCONNECTOR, &c);
	int r3 = call(f, DRM_IOCTL_MODE_GETENCODER, &e);

	printf("head %u: getcrtc %d mode_valid %u %ux%u fb %s; getconnector %d connection %u "
	       "encoder %s; getencoder %d crtc %s possible_crtcs %#x\n", i, r1, gc.mode_valid,
	       gc.mode.hdisplay, gc.mode.vdisplay, gc.fb_id ? "set" : "none", r2, c.connection,
	       c.encoder_id == enc ? "its own" : c.encoder_id ? "other" : "none", r3,
	       e.crtc_id == crtc ? "its own" : e.crtc_id ? "other" : "none", e.possible_crtcs);
}

/* With several scanouts (job drmheads): a connector on another head's CRTC, and two
 * connectors on one CRTC (both refused), then every head lit at the first
 * connector's 1024x768 mode (a disconnected connector has no modes), its pattern
 * inverted on odd heads, screendumped per head as drmheads-<i>; then each head's
 * state. 0, or 1 when the device has fewer than two heads. */
static int heads(int f)
{
	uint32_t crtcs[8], conns[8], encs[8], fbs[8];
	struct drm_mode_card_res res = { .crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 8,
		.connector_id_ptr = (uintptr_t)conns, .count_connectors = 8,
		.encoder_id_ptr = (uintptr_t)encs, .count_encoders = 8 };
	struct drm_mode_modeinfo modes[64], mode;
	struct drm_mode_get_connector c = { .modes_ptr = (uintptr_t)modes, .count_modes = 64 };
	unsigned n, k;
	char cmd[64];

	report("getresources", call(f, DRM_IOCTL_MODE_GETRESOURCES, &res));
	printf("%u crtcs %u connectors %u encoders\n", res.count_crtcs, res.count_connectors,
	       res.count_encoders);
	n = res.count_crtcs < 8 ? res.count_crtcs : 8;
	if (n < 2 || res.count_connectors < n || res.count_encoders < n)
		return 1;
	c.connector_id = conns[0];
	report("getconnector 1", call(f, DRM_IOCTL_MODE_GETCONNECTOR, &c));
	for (k = 0; k < c.count_modes && k < 64; k++)
		if (modes[k].hdisplay == 1024 && modes[k].vdisplay == 768)
			break;
	if (k == c.count_modes || k == 64) {
		printf("no 1024x768 mode\n");
		return 1;
	}
	mode = modes[k];
	for (unsigned i = 0; i < n; i++)
		fbs[i] = pattern_fb(f, &mode, i & 1);
	report("setcrtc connector 2 on crtc 1", setcrtc(f, crtcs[0], fbs[0], &conns[1], 1, &mode));
	report("setcrtc connectors 1 and 2 on crtc 1",
	       setcrtc(f, crtcs[0], fbs[0], conns, 2, &mode));
	for (unsigned i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "head %u setcrtc", i);
		report(cmd, setcrtc(f, crtcs[i], fbs[i], &conns[i], 1, &mode));
		snprintf(cmd, sizeof(cmd), "shot drmheads-%u %u", i, i);
		printf("head %u shot: %d\n", i, system(cmd));
	}
	for (unsigned i = 0; i < n; i++)
		head_state(f, i, crtcs[i], conns[i], encs[i]);
	return 0;
}

int main(int argc, char **argv)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	int rfd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);

	if (fd < 0 || rfd < 0) {
		printf("open: -1 %s\n", errname(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "heads"))
		return heads(fd);
	getparams(rfd, "render");
	getparams(fd, "card");
	blob_and_context(rfd, "render");
	blob_and_context(fd, "card");
	caps(rfd);
	with_buffer(fd);
	no_3d(rfd);
	create_checks(rfd);
	create_and_show(fd);
	return 0;
}
