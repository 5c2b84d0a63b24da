# blockdev: virtio-blk disks as block special files, in one boot. The disks are in
# blockdev.disks: vdb 1 MiB read-write, vdc 64 KiB read-only (vda is the root disk);
# every sector N of disk I starts with "diskI sector N\n" (tests/run makes fresh images
# for each run).
ls -l /dev/vdb /dev/vdc | sed 's/  */ /g' | cut -d' ' -f1,5,6,10
for d in vdb vdc; do
	echo "$d: $(blockdev --getsize64 /dev/$d) bytes, $(blockdev --getsz /dev/$d) sectors," \
		"sector size $(blockdev --getss /dev/$d), ro $(blockdev --getro /dev/$d)"
done
head -c 15 /dev/vdb
dd if=/dev/vdc bs=512 skip=100 count=1 2>/dev/null | head -n 1
dd if=/dev/vdb bs=512 skip=2046 count=4 2>/dev/null | wc -c
md5sum /dev/vdc
seq 1 40000 > /tmp/pat
dd if=/tmp/pat of=/dev/vdb bs=4096 seek=16 2>/dev/null; echo "dd to vdb: $?"
dd if=/dev/vdb bs=4096 skip=16 2>/dev/null | head -c "$(wc -c < /tmp/pat)" | md5sum
md5sum < /tmp/pat
for i in 1 2 3 4; do
	(yes $i | head -c 65536 | dd of=/dev/vdb bs=65536 seek=$((8 + i)) 2>/dev/null) &
done
wait
for i in 1 2 3 4; do
	(dd if=/dev/vdb bs=65536 skip=$((8 + i)) count=1 2>/dev/null | md5sum > /tmp/sum$i) &
done
wait
cat /tmp/sum1 /tmp/sum2 /tmp/sum3 /tmp/sum4
echo x > /dev/vdc
echo "echo to vdc: $?"
mknod /tmp/nodisk b 254 48
blkprobe /dev/vdb /dev/vdc
sync; echo "sync: $?"
md5sum /dev/vdb
