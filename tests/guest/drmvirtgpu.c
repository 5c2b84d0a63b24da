/* drmvirtgpu: the virtio_gpu driver ioctls (DRM_IOCTL_VIRTGPU_*) on QEMU's 2D-only
 * virtio-gpu-pci, on the render node and the primary node: GETPARAM of the
 * parameters libdrm-dev names (and unknown ones), GET_CAPS, RESOURCE_INFO and MAP of
 * a dumb buffer, EXECBUFFER, TRANSFER_FROM_HOST/TO_HOST, WAIT and RESOURCE_CREATE's
 * checks, with bad handles, flags and pointers. Handles and offsets are printed as
 * facts, never as numbers. */
#include <drm.h>
#include <drm_mode.h>
#include <virtgpu_drm.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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
					   VIRTGPU_PARAM_CAPSET_QUERY_FIX, 1000 };

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

int main(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	int rfd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);

	if (fd < 0 || rfd < 0) {
		printf("open: -1 %s\n", errname(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	getparams(rfd, "render");
	getparams(fd, "card");
	caps(rfd);
	with_buffer(fd);
	no_3d(rfd);
	return 0;
}
