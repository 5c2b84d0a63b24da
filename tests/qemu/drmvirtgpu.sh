# drmvirtgpu: the virtio_gpu driver ioctls on 2D-only virtio-gpu (drmobj.gpu), with bad
# input; a RESOURCE_CREATE resource shown by SETCRTC is screendumped as it was sent,
# unsent and partly sent (drmvirtgpu.screens, compared with Linux's pixel for pixel).
drmvirtgpu
