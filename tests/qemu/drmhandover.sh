# drmhandover: on QEMU's virtio-vga (drmhandover.gpu) GRUB's framebuffer and
# virtio-gpu are one display. Linux's virtio_gpu takes it over from the firmware
# framebuffer driver (Debian's kernel has no simpledrm, its firmware framebuffer is
# platform-framebuffer.0); Lumen's virtio_gpu has it before simplefb would come up,
# so simpledrm and its simple-framebuffer.0 never appear. card0 is virtio_gpu on
# both, and the pattern drmbasic shows is what the screen scans out
# (drmhandover.shotcheck).
ls /dev/dri
test -e /sys/devices/platform/simple-framebuffer.0 || echo no simple-framebuffer.0
test -e /dev/dri/card1 || echo no card1
drmbasic drmhandover > /tmp/drmbasic.out
grep -A1 '^VERSION: ' /tmp/drmbasic.out
grep '^shot' /tmp/drmbasic.out
