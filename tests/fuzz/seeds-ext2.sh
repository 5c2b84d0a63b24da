#!/bin/sh
# Makes the seed images of fuzz_ext2 in directory $1: a small tree (nested
# directories, a large directory, fast and slow symlinks, a hard link, a sparse file
# reaching the double-indirect blocks, device nodes, a fifo) as Debian's mke2fs -d
# writes it, with 1 and 4 KiB blocks.
set -e
out=$1
tree=$out/tree
rm -rf "$tree" && mkdir -p "$tree/dir/sub" "$tree/many"
echo hello > "$tree/hello"
echo deep > "$tree/dir/sub/deep"
seq 1 20000 > "$tree/numbers"
for i in $(seq 1 60); do echo "$i" > "$tree/many/entry-with-a-long-name-$i"; done
ln -s hello "$tree/fast"
ln -s "$(printf 'x%.0s' $(seq 1 90))/slow-target" "$tree/slow"
ln "$tree/hello" "$tree/hardlink"
truncate -s 70M "$tree/sparse" && printf tail >> "$tree/sparse"
mkfifo "$tree/fifo"
mke2fs -q -F -t ext2 -b 1024 -N 128 -d "$tree" "$out/ext2-1k.img" 2M >/dev/null 2>&1
mke2fs -q -F -t ext2 -b 4096 -N 128 -d "$tree" "$out/ext2-4k.img" 2M >/dev/null 2>&1
rm -rf "$tree"
