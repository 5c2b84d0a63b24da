# drmtools: Debian's own libdrm-tests, unmodified (userland/packages.txt), on virtio-gpu
# (drmtools.gpu). `drmprop hold` lights the CRTC first, as fbcon does on Linux; proptest
# then lists the connector's and CRTC's properties and the EDID blob. Only the CRTC's
# id is filtered out (ids differ by design: Linux numbers a cursor plane before it).
drmprop hold > /tmp/hold.out &
holder=$!
n=0
while ! grep -q ready /tmp/hold.out && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
proptest -M virtio_gpu > /tmp/proptest.out; echo "proptest: $?"
sed 's/^CRTC [0-9]*$/CRTC (id)/' /tmp/proptest.out
kill $holder; wait $holder 2>/dev/null; echo "holder: $?"
