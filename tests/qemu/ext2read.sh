# ext2read: the ext2 images Debian's mke2fs -d makes from the fixed tree of
# tests/harness/ext2tree.py (vdb with 1 KiB blocks, vdc with 4 KiB), mounted read-only
# and read back: names, modes, owners, links, times, sizes, device numbers, symlink
# targets, contents (direct to triple-indirect blocks, holes, past 4 GiB), a directory
# of many blocks, statfs, remounts with noexec/nodev/nosuid, mount --move and the mount errors; then a disk that is no ext2 (vde) and
# an image with a bad directory entry and bad block pointers (vdd: EIO or
# EUCLEAN, no panic).
mkdir -p /mnt/a /mnt/b
mount -t ext2 -o ro /dev/vdb /mnt/a; echo "mount vdb: $?"
mount -t ext2 -o ro /dev/vdc /mnt/b; echo "mount vdc: $?"
grep ' /mnt/' /proc/mounts
for m in /mnt/a /mnt/b; do
	cd $m
	find . ! -path . ! -path './lost+found*' ! -path './big/*' | sort | while read -r f; do
		if [ -L "$f" ]; then echo "$(stat -c '%n %A %h %u %g %Y %s' "$f") -> $(readlink "$f")"
		elif [ -b "$f" ] || [ -c "$f" ]; then stat -c '%n %A %h %u %g %Y %t,%T' "$f"
		elif [ -d "$f" ]; then stat -c '%n %A %h %u %g %Y' "$f"
		else stat -c '%n %A %h %u %g %Y %s' "$f"; fi
	done
	echo "big: $(ls big | wc -l) entries, $(ls big | md5sum)"
	md5sum hello numbers dir/sub/deep suid big/file-with-a-long-name-123
	dd if=sparse bs=1 skip=19996 count=12 2>/dev/null | md5sum
	dd if=sparse bs=65536 skip=1060 2>/dev/null | md5sum
	echo "$(tail -c 4 sparse) $(tail -c 3 huge) $(cat fast)"
	stat -f -c '%T bsize %s blocks %b free %f avail %a files %c ffree %d namelen %l' .
	stat -c '%B %o' numbers
	(cd big && ls > /dev/null && stat -c '%X %Y' .)	# read-only: no atime update
	cd /
done
# the per-mount flags: noexec refuses exec, nodev refuses opening device nodes, both shown
# in /proc/mounts; a remount takes them back
mount -o remount,ro,nosuid,nodev,noexec /mnt/a; echo "remount noexec: $?"
grep ' /mnt/a ' /proc/mounts
/mnt/a/suid; echo "exec noexec: $?"
cat /mnt/a/blk; echo "open nodev: $?"
mount -o remount,ro,exec,dev /mnt/a; echo "remount exec: $?"
grep ' /mnt/a ' /proc/mounts
/mnt/a/suid; echo "exec: $?"
mkdir /mnt/c; mount --move /mnt/b /mnt/c; echo "move: $?"	# MS_MOVE, as switch_root
grep ' /mnt/' /proc/mounts; ls /mnt/b | wc -l; cat /mnt/c/hello
mount --move /mnt/c /mnt/c/dir; echo "move into itself: $?"
mount --move /mnt/a/dir /mnt/b; echo "move no mount root: $?"
mount --move /mnt/c /mnt/c/hello; echo "move onto a file: $?"
touch /mnt/a/new
mount -t ext2 /dev/null /mnt/a
mount -t ext2 /dev/nothere /mnt/a
umount /mnt/a; echo "umount: $?"
ls /mnt/a
mount -t ext2 -o ro /dev/vde /mnt/a
mount -t ext2 -o ro /dev/vdd /mnt/a; echo "mount vdd: $?"
ls /mnt/a/dir; echo "ls dir: $?"
cat /mnt/a/dir/sub/deep
cat /mnt/a/numbers > /dev/null; echo "cat numbers: $?"
dd if=/mnt/a/sparse bs=1 skip=19996 count=12 2>/dev/null | md5sum
tail -c 4 /mnt/a/sparse; echo "tail sparse: $?"
md5sum /mnt/a/hello
umount /mnt/a; echo "umount: $?"
