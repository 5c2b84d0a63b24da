# drmsysfs: virtio-gpu's DRM device in sysfs (drmsysfs.gpu) as libdrm and udev find
# it: card0 and renderD128 under the PCI function (Linux's virtio_gpu gives DRM the
# virtio device's parent), the control node's compatibility link, the connector
# card0-Virtual-1 with status, enabled, dpms, modes and edid, /sys/class/drm and
# /sys/dev/char; Debian's drmdevice (libdrm-tests) enumerating through drmGetDevices2
# and drmGetDevice2; then drmsysfs forces the connector through its status file and
# watches the uevents (and the EDID property, gone once "off" probed it disconnected).
# The CRTC is lit at boot by the kernel console on both kernels (Linux's fbcon,
# Lumen's drm_fbdev).
cd /sys
lsl() { ls -l "$@" | sed 's/  */ /g' | cut -d' ' -f1,5,9-; }
echo "== class/drm"; lsl class/drm
cat class/drm/version
for n in card0 renderD128 card0-Virtual-1; do
	d=$(readlink -f class/drm/$n)
	echo "== $n: $d"
	lsl $d | grep -v ' edid$'
	cat $d/uevent
	echo "subsystem -> $(readlink $d/subsystem), device -> $(readlink $d/device)"
	echo "runtime_status: $(cat $d/power/runtime_status)"
done
c=class/drm/card0-Virtual-1
for f in status enabled dpms; do echo "$f: $(cat $c/$f)"; done
echo "modes:"; cat $c/modes
echo "edid: $(od -An -tx1 -v $c/edid | tr -d ' \n' | md5sum | cut -c1-8) $(wc -c < $c/edid) bytes"
echo "== drm"; lsl devices/pci0000:00/0000:00:02.0/drm
for m in 226:0 226:128; do echo "$m -> $(readlink dev/char/$m)"; done
echo "226:0 device/drm: $(ls dev/char/226:0/device/drm | tr '\n' ' ')"
echo "== drmdevice"
drmdevice; echo "drmdevice: $?"
echo "== drmsysfs"
drmsysfs /sys/$c; echo "drmsysfs: $?"
# Hotplug: the host resizes the display (a VNC client's SetDesktopSize, as resizing
# QEMU's window does); virtio-gpu's display event makes the driver read the scanouts
# and EDID again and send the HOTPLUG=1 uevent, which gives the connector its EDID
# property back. drmsysfs, the first opener, drops master for the resize, so the
# kernel console picks its mode again within its 1280x800 framebuffer (the new
# preferred mode when it fits, else the largest that does: 1280x768 in 1920x1080's
# list), then takes master back so its GETCONNECTOR probes on Linux too (only the
# first mode is compared: Linux's fbcon probes within its framebuffer's size). Last,
# a resize while the connector is forced off turns the console's CRTC off, and
# "detect" brings no hotplug to light it again; a resize while drmsysfs stays master
# waits until its file closes, and then lights it with the new preferred mode.
echo "== hotplug"
drmsysfs hotplug 1024 768; echo "drmsysfs: $?"
echo "the same size again:"
drmsysfs hotplug 1024 768; echo "drmsysfs: $?"
drmsysfs hotplug 1920 1080; echo "drmsysfs: $?"
drmsysfs hotplug 800 600; echo "drmsysfs: $?"
echo "preferred: $(head -1 $c/modes), status: $(cat $c/status)"
echo "edid: $(od -An -tx1 -v $c/edid | tr -d " \n" | md5sum | cut -c1-8) $(wc -c < $c/edid) bytes"
echo "== forced off"
echo off > $c/status
drmsysfs hotplug 1280 800; echo "drmsysfs: $?"
echo detect > $c/status
echo "status: $(cat $c/status), enabled: $(cat $c/enabled), edid: $(wc -c < $c/edid) bytes"
echo "== hotplug under a master"
drmsysfs hotplug 1024 768 keep-master; echo "drmsysfs: $?"
echo "enabled: $(cat $c/enabled)"
