# drmfence: MODE_ATOMIC out-fences (sync_file fds) and in-fences on virtio-gpu
# (drmfence.gpu), with bad input.
drmfence
