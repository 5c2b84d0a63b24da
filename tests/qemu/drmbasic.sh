# drmbasic: the DRM core on virtio-gpu (drmbasic.gpu), ioctls straight through the uapi
# headers, then a screendump of the pattern it shows (drmbasic.shotcheck checks it
# pixel by pixel). Debian's Linux 6.1 has virtio_gpu as a module the initramfs does not
# load yet, so the expected output is computed on the host by drmbasic.expect (its
# comments cite the Linux code behind each line), not recorded.
drmbasic drmbasic
