# powercut: fsync'd files survive a power cut. ext2work powercut writes and fsyncs
# synced/s0..s39 (and their directories) on ext2 images with 1 KiB (vdb) and 4 KiB
# (vdc) blocks, leaves other files unsynced, prints "POWER CUT NOW" and keeps writing
# and syncing; the harness kills QEMU (SIGKILL) on that line (powercut.powercut).
# powercut.check then runs Debian's e2fsck -fy on both images (0 or 1: clean or
# repaired), e2fsck -fn (clean now) and checks every fsync'd file's bytes.
mkdir -p /mnt/a /mnt/b
mount -t ext2 /dev/vdb /mnt/a; echo "mount vdb: $?"
mount -t ext2 /dev/vdc /mnt/b; echo "mount vdc: $?"
ext2work powercut /mnt/a /mnt/b; echo "ext2work: $?"
