# drmvirtgpu: the virtio_gpu driver ioctls on 2D-only virtio-gpu (drmobj.gpu), with bad input.
drmvirtgpu
