# drmcursor: the hardware cursor as QEMU shows it on virtio-gpu (drmcursor.gpu), set
# through legacy CURSOR2 with a hot spot and through the atomic cursor plane, over a
# checkerboard. `shot -c` composes the cursor QEMU holds (image and hot spot from its
# VNC server, position from its virtio_gpu_update_cursor trace: see
# tests/harness/qcursor.py) onto QEMU's screendump and prints QEMU's position, hot
# spot and size of it, so both kernels must give QEMU the same; drmcursor.screens
# has three of the screenshots equal Linux's pixel for pixel (screenshots/, saved by
# make reference-record).
drmcursor
# Debian's modetest -C moves and blinks a cursor (legacy CURSOR and MOVE from a
# thread, timed: where it is at a given moment is not compared) until a line arrives
# on stdin; once its file is closed the cursor is gone (cursor: hidden).
mkfifo /tmp/in
modetest -M virtio_gpu -s 34:1280x800 -C < /tmp/in > /tmp/set.out 2>&1 & setter=$!
exec 3> /tmp/in
sleep 2
echo >&3; exec 3>&-
wait $setter; echo "modetest -s -C: $?"
cat /tmp/set.out
shot -c drmcursor-modetest-after
