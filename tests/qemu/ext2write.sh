# ext2write: tests/guest/ext2work's workload (thousands of files and directories
# created, appended, truncated, renamed, linked and unlinked; sparse files through the
# triple-indirect map; symlinks, fifos, errors; RLIMIT_FSIZE, O_DIRECT, fallocate and
# a read-only mount's errors) on the read-write ext2 images of
# ext2tree.py with 1 KiB (vdb) and 4 KiB (vdc) blocks. After the job,
# ext2write.check runs Debian's e2fsck -fn on both images and lists their /work
# (names, modes, sizes, sha256); the recording is Linux's (its virtio_blk and ext4).
# ext2mmap then maps files of the same images (shared, private, truncated, holes)
# and leaves /mmap, listed by the check too: what the page cache wrote back.
mkdir -p /mnt/a /mnt/b
mount -t ext2 /dev/vdb /mnt/a; echo "mount vdb: $?"
ext2work /mnt/a; echo "ext2work: $?"
ext2mmap /mnt/a; echo "ext2mmap: $?"
umount /mnt/a; echo "umount: $?"
mount -t ext2 /dev/vdc /mnt/b; echo "mount vdc: $?"
ext2work /mnt/b > /dev/null; echo "ext2work: $?"
ext2work abi /mnt/b; echo "ext2work abi: $?"
ext2mmap /mnt/b > /dev/null; echo "ext2mmap: $?"
mount -o remount,ro /mnt/b; echo "remount ro: $?"
touch /mnt/b/x; echo "touch: $?"
ext2work abi-ro /mnt/b; echo "ext2work abi-ro: $?"
mount -o remount,rw /mnt/b; echo "remount rw: $?"
rm -r /mnt/b/work/d3; echo "rm: $?"
