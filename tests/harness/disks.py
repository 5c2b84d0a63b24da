"""Disk images for QEMU test jobs: tests/qemu/NAME.disks lists a job's virtio-blk disks.

One disk per line: its size in bytes (K and M suffixes allowed), then "ro" for a
read-only disk. The read-write disks become vdb, vdc... (vda is the root disk) in the
order listed, then the read-only ones. Every 512-byte sector N of disk I starts with "diskI sector N\\n" and is
zero after that, so tests can tell which disk and sector a read came from.

A line "ext2 BLOCKSIZE SIZE [ro]" is instead an ext2 image of the fixed tree of
ext2tree.py, made by mke2fs -d with BLOCKSIZE-byte blocks; "ext2-damaged" the same
image with the damage ext2tree.damage does.
"""
import os

import ext2tree

SECTOR = 512


def parse(path):
    """Return [(size, readonly, ext2)] from a .disks file, read-write disks first;
    ext2 is (block size, damaged) for an ext2 image, None for a patterned disk."""
    disks = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            ext2 = None
            if words[0] in ("ext2", "ext2-damaged"):
                ext2 = (int(words[1]), words[0] == "ext2-damaged")
                words = words[2:]
            size = words[0].upper()
            scale = {"K": 1024, "M": 1024 * 1024}.get(size[-1], 1)
            size = int(size.rstrip("KM")) * scale
            if size % SECTOR:
                raise ValueError(f"{path}: {words[0]} is not a whole number of sectors")
            disks.append((size, words[1:] == ["ro"], ext2))
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
    for index, (size, readonly, ext2) in enumerate(parse(spec_path)):
        path = os.path.join(outdir, f"{name}.disk{index}.img")
        if ext2:
            ext2tree.make_image(path, ext2[0], size)
            if ext2[1]:
                ext2tree.damage(path)
        else:
            with open(path, "wb") as f:
                f.write(content(index, size))
        (ro if readonly else rw).append(path)
    return rw, ro
