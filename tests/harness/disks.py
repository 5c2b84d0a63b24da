"""Disk images for QEMU test jobs: tests/qemu/NAME.disks lists a job's virtio-blk disks.

One disk per line: its size in bytes (K and M suffixes allowed), then "ro" for a
read-only disk. The read-write disks become vda, vdb... in the order listed, then the
read-only ones. Every 512-byte sector N of disk I starts with "diskI sector N\\n" and is
zero after that, so tests can tell which disk and sector a read came from.

A line "ext2 BLOCKSIZE SIZE [ro]" is instead an ext2 image of the fixed tree of
ext2tree.py, made by mke2fs -d with BLOCKSIZE-byte blocks.
"""
import os

import ext2tree

SECTOR = 512


def parse(path):
    """Return [(size, readonly, ext2_block_size)] from a .disks file, read-write disks
    first; ext2_block_size is 0 for a patterned disk."""
    disks = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            block_size = 0
            if words[0] == "ext2":
                block_size = int(words[1])
                words = words[2:]
            size = words[0].upper()
            scale = {"K": 1024, "M": 1024 * 1024}.get(size[-1], 1)
            size = int(size.rstrip("KM")) * scale
            if size % SECTOR:
                raise ValueError(f"{path}: {words[0]} is not a whole number of sectors")
            disks.append((size, words[1:] == ["ro"], block_size))
    return [d for d in disks if not d[1]] + [d for d in disks if d[1]]


def content(index, size):
    """The initial bytes of disk number index (0 for vda)."""
    sectors = []
    for n in range(size // SECTOR):
        head = f"disk{index} sector {n}\n".encode()
        sectors.append(head + bytes(SECTOR - len(head)))
    return b"".join(sectors)


def make(spec_path, outdir, name):
    """Write fresh images for the job's disks; return (read-write paths, read-only paths)."""
    rw, ro = [], []
    os.makedirs(outdir, exist_ok=True)
    for index, (size, readonly, block_size) in enumerate(parse(spec_path)):
        path = os.path.join(outdir, f"{name}.disk{index}.img")
        if block_size:
            ext2tree.make_image(path, block_size, size)
        else:
            with open(path, "wb") as f:
                f.write(content(index, size))
        (ro if readonly else rw).append(path)
    return rw, ro
