# drmheads: virtio-gpu with two scanouts (drmheads.gpu: max_outputs=2). QEMU shows the
# second head disconnected (no window for it), so it has no modes and no EDID, yet
# a CRTC lights it: modeprint and modetest list both heads (modeprint's mode
# addresses filtered), sysfs gives each connector's state, `drmvirtgpu heads` lights
# both at 1024x768 and screendumps each head (drmheads.screens: compared with Linux's
# pixel for pixel), then the console's restore turns the second head off again (its
# DPMS, On while it was never lit as Linux's, is Off then).
modeprint virtio_gpu > /tmp/mp.out; echo "modeprint: $?"
sed 's/^\(\tmode           : \)0x[0-9a-f]*$/\1(address)/' /tmp/mp.out
modetest -M virtio_gpu -c -e -p; echo "modetest -c -e -p: $?"
states() {
	for c in /sys/class/drm/card0-Virtual-*; do
		echo "${c##*/}: $(cat $c/status) $(cat $c/enabled) $(cat $c/dpms)" \
			"$(wc -l < $c/modes) modes, $(wc -c < $c/edid) bytes of EDID"
	done
}
states
drmvirtgpu heads; echo "drmvirtgpu heads: $?"
modetest -M virtio_gpu -p | sed -n '/^CRTCs:/,/^$/p'
states
