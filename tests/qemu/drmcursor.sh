# drmcursor: the hardware cursor as QEMU shows it on virtio-gpu (drmcursor.gpu), set
# through legacy CURSOR2 with a hot spot and through the atomic cursor plane, over a
# checkerboard. `shot -c` composes the cursor QEMU holds (image and hot spot from its
# VNC server, position from its virtio_gpu_update_cursor trace: see
# tests/harness/qcursor.py) onto QEMU's screendump and prints QEMU's position, hot
# spot and size of it, so both kernels must give QEMU the same; drmcursor.screens
# has three of the screenshots equal Linux's pixel for pixel (screenshots/, saved by
# make reference-record).
drmcursor
