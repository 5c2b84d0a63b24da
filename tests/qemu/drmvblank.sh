# drmvblank: vblank handling on the vkms card: drmvblank.cmdline boots with
# lumen.vkms=1, for which init loads Linux's vkms module (Debian builds its kernel
# without it: userland/linuxvkms.py builds it from Debian's linux-source) and Lumen's
# kernel creates its vkms device; no GPU, so vkms is card0 on both kernels, without a
# render node (vkms has no DRIVER_RENDER).
ls /dev/dri; readlink /sys/class/drm/card0; cat /sys/class/drm/card0/device/uevent
drmvblank; echo "drmvblank: $?"
# Debian's vbltest waits for vblank events one after the other until a line comes on
# stdin, printing their rate ("freq: N.NNHz", to stderr) about once a second. Each
# event is for the next vblank, so the rate is the refresh rate (60 Hz) at most, less
# when vbltest is late for a vblank, as it often is under emulation on either kernel:
# rates above 30 Hz and up to 61 Hz are printed as one line, others as they are. Its
# starting count (vblanks since the CRTC came on) is left out.
mkfifo /tmp/in
vbltest -M vkms < /tmp/in > /tmp/vbl.out 2>&1 & pid=$!
exec 3> /tmp/in
sleep 3
echo >&3; exec 3>&-
wait $pid; echo "vbltest: $?"
grep -c '^starting count: [0-9]*$' /tmp/vbl.out
grep '^freq: ' /tmp/vbl.out | awk '{ v = $2 + 0; if (v > 30 && v <= 61) print "freq: paced by the 60 Hz vblanks"; else print }' | sort -u
grep -v '^freq: \|^starting count: ' /tmp/vbl.out || echo '(nothing else)'
