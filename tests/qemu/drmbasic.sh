# drmbasic: the DRM core on virtio-gpu (drmbasic.gpu), ioctls straight through the uapi
# headers, then a screendump of the pattern it shows (drmbasic.shotcheck checks it
# pixel by pixel).
drmbasic drmbasic
