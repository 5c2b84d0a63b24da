# sysfs: the device model as libudev, libdrm and libinput read it, in one boot (disks
# in sysfs.disks: vdb 1 MiB read-write, vdc 64 KiB read-only, after the root disk vda
# whose size changes with the packages; no display device).
# Only devices both kernels have are shown: Linux also has /dev/mem and /dev/port,
# virtual consoles, ACPI/PnP/platform devices and more PCI attributes; its ttyS0 sits
# under an ACPI PnP device (Lumen's under platform/serial8250), so only its uevent
# and the link's last component are compared.
cd /sys
lsl() { ls -l "$@" | sed 's/  */ /g' | cut -d' ' -f1,5,9-; }
echo "== top"; for d in block bus class dev devices firmware kernel; do test -d $d && echo $d; done
echo "== class/mem"; lsl class/mem | grep -E ' (null|zero|full|random|urandom|kmsg) '
echo "== class/tty"; lsl class/tty | grep -E ' (tty|console|ptmx) '
echo "== null"; lsl devices/virtual/mem/null; cat devices/virtual/mem/null/power/runtime_status
for n in null zero full random urandom kmsg; do
	echo "-- mem/$n"; cat class/mem/$n/uevent class/mem/$n/dev; readlink class/mem/$n/subsystem
done
for n in tty console ptmx ttyS0; do
	echo "-- tty/$n"; cat class/tty/$n/uevent class/tty/$n/dev; readlink class/tty/$n/subsystem
done
echo "== dev/char"
for m in 1:3 1:5 1:7 1:8 1:9 1:11 5:0 5:1 5:2; do
	echo "$m -> $(readlink dev/char/$m) = $(readlink -f dev/char/$m)"
done
echo "4:64 -> ...$(basename $(readlink dev/char/4:64))"
echo "== pci"
lsl bus/pci/devices; lsl bus/virtio/devices
for d in devices/pci0000:00/0000:*; do
	echo "-- $d"
	for f in vendor device subsystem_vendor subsystem_device class revision modalias uevent; do
		echo "$f: $(cat $d/$f | tr '\n' ' ')"
	done
	echo "subsystem -> $(readlink $d/subsystem)"
	test -L $d/driver && echo "driver -> $(readlink $d/driver)"
done
readlink bus/pci/drivers/virtio-pci/0000:00:03.0
for v in virtio1 virtio2; do
	d=bus/virtio/devices/$v
	echo "-- $v -> $(readlink $d)"
	for f in device vendor modalias uevent; do echo "$f: $(cat $d/$f | tr '\n' ' ')"; done
	echo "subsystem -> $(readlink $d/subsystem), driver -> $(readlink $d/driver)"
done
echo "== block"
for b in vdb vdc; do
	echo "-- $b: $(readlink block/$b) $(readlink class/block/$b)"
	d=$(readlink -f block/$b); echo "$d"
	for f in uevent dev size ro removable queue/logical_block_size queue/hw_sector_size; do
		echo "$f: $(cat $d/$f | tr '\n' ' ')"
	done
	echo "subsystem -> $(readlink $d/subsystem), device -> $(readlink $d/device)"
done
lsl dev/block
echo "== uevent"
uevents /sys/class/mem/null /sys/bus/pci/devices/0000:00:03.0 /sys/bus/virtio/devices/virtio2 \
	/sys/class/block/vdc /sys/class/tty/ptmx /sys/devices/pci0000:00
