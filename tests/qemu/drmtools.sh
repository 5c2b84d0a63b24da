# drmtools: Debian's own libdrm-tests, unmodified (userland/packages.txt), on virtio-gpu
# (drmtools.gpu). The kernel console lights the CRTC at boot with the connector's
# preferred mode (fbcon on Linux, drm/drm_fbdev.c on Lumen): proptest lists the
# connector's and CRTC's properties and the EDID blob. modetest -s then takes the
# CRTC as master (a second modetest, not master, sees its mode), and the console's
# framebuffer and mode come back when the device's last file closes. Only the id of
# modetest's framebuffer is filtered (Linux's fbcon has used one more id by then).
# The screendump of modetest's test pattern must equal Linux's pixel for pixel
# (drmtools.screens: screenshots/drmtools-modetest.png, saved by reference-record).
proptest -M virtio_gpu; echo "proptest: $?"
crtc() { modetest -M virtio_gpu -p | sed -n '/^CRTCs:/,/^$/p'; }
crtc
mkfifo /tmp/in
modetest -M virtio_gpu -s 34:1024x768 < /tmp/in > /tmp/set.out & setter=$!
exec 3> /tmp/in
n=0
# the setter must open the card first to be master: wait for its fd before querying
while ! ls -l /proc/$setter/fd 2>/dev/null | grep -q dri/card0 && [ $n -lt 200 ]; do
	sleep 0.1; n=$((n + 1))
done
while ! crtc | grep -q '^33.*1024x768' && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
crtc | sed 's/^33	[0-9]*/33	(fb id)/'
shot drmtools-modetest; echo "shot: $?"
echo >&3; exec 3>&-
wait $setter; echo "modetest -s: $?"
cat /tmp/set.out
crtc
# modeprint: resources, the connector's 26 modes, encoder and CRTC (the address of
# its mode in modeprint's memory is filtered)
modeprint virtio_gpu > /tmp/mp.out; echo "modeprint: $?"
sed 's/^\(\tmode           : \)0x[0-9a-f]*$/\1(address)/' /tmp/mp.out
modetest -M virtio_gpu -c -e -p -f; echo "modetest -c -e -p -f: $?"
# Linux's virtio_gpu has no vblank interrupt: WAIT_VBLANK fails and so does vbltest
vbltest -M virtio_gpu; echo "vbltest: $?"
# atomic: Debian's modetest -a -s, without planes (-P), commits nothing and returns
modetest -M virtio_gpu -a -s 34:1024x768 < /dev/null; echo "modetest -a -s: $?"
# page flipping until a line arrives on stdin; its "freq:" lines (flips a second)
# depend on timing and are left out
mkfifo /tmp/vin
modetest -M virtio_gpu -v -s 34:1024x768 < /tmp/vin > /tmp/v.out 2>&1 & flipper=$!
exec 3> /tmp/vin
sleep 3
echo >&3; exec 3>&-
wait $flipper; echo "modetest -v -s: $?"
grep -v '^freq: ' /tmp/v.out
crtc
