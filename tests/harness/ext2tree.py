"""A fixed file tree and the ext2 images Debian's mke2fs makes from it, for the ext2
QEMU tests (disks.py's "ext2" disks) and their host-computed expectations.

The tree has every kind of file ext2 stores: small and large files, a sparse file that
reaches the triple-indirect blocks at 1 KiB, a file past 4 GiB (i_size_high), a
directory of many blocks, fast and slow symlinks, a hard link, device nodes, a fifo and
a socket, owners above 65535 and set-id modes. Time stamps, the UUID and the hash seed
are fixed, so the image is the same byte for byte on every run. Device nodes and owners
need root (the test machines build as root).
"""
import os
import re
import socket
import subprocess
import tempfile

MTIME = 1600000000
UUID = "6c756d65-6e2d-6578-7432-2d746573742e"
SPARSE_SIZE = 70000000     # past 12 + 256 + 65536 KiB: triple indirect at 1 KiB
HUGE_SIZE = 5 << 30
BIG_DIR_FILES = 200


def _write(path, data, mode=0o644):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def _sparse(path, size, pieces):
    with open(path, "wb") as f:
        f.truncate(size)
        for offset, data in pieces:
            f.seek(offset)
            f.write(data)


def build(root):
    """Creates the tree under root (an empty directory)."""
    os.makedirs(os.path.join(root, "dir/sub"))
    os.makedirs(os.path.join(root, "big"))
    _write(os.path.join(root, "hello"), b"hello, ext2\n")
    _write(os.path.join(root, "dir/sub/deep"), b"deep\n", 0o600)
    _write(os.path.join(root, "numbers"),
           "".join(f"{i}\n" for i in range(1, 60001)).encode())
    _write(os.path.join(root, "suid"), b"#!/bin/sh\n")
    os.chown(os.path.join(root, "suid"), 70000, 80000)
    os.chmod(os.path.join(root, "suid"), 0o4755)     # after chown, which clears set-id
    _sparse(os.path.join(root, "sparse"), SPARSE_SIZE,
            [(20000, b"head"), (SPARSE_SIZE - 4, b"tail")])
    _sparse(os.path.join(root, "huge"), HUGE_SIZE, [(HUGE_SIZE - 3, b"end")])
    for i in range(BIG_DIR_FILES):
        _write(os.path.join(root, f"big/file-with-a-long-name-{i:03d}"), f"{i}\n".encode())
    os.symlink("hello", os.path.join(root, "fast"))
    os.symlink("x" * 150 + "/slow", os.path.join(root, "slow"))
    os.link(os.path.join(root, "hello"), os.path.join(root, "hardlink"))
    os.mkfifo(os.path.join(root, "fifo"), 0o640)
    os.mknod(os.path.join(root, "chr"), 0o620 | 0o020000, os.makedev(4, 1))
    os.mknod(os.path.join(root, "blk"), 0o660 | 0o060000, os.makedev(8, 1))
    s = socket.socket(socket.AF_UNIX)
    s.bind(os.path.join(root, "sock"))
    s.close()
    for name, mode in (("fifo", 0o640), ("chr", 0o620), ("blk", 0o660), ("sock", 0o755)):
        os.chmod(os.path.join(root, name), mode)    # not the creator's umask
    os.chmod(os.path.join(root, "dir"), 0o2775)
    os.chown(os.path.join(root, "dir"), 1000, 100)
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames + dirnames:
            os.utime(os.path.join(dirpath, name), (MTIME, MTIME), follow_symlinks=False)
    os.utime(root, (MTIME, MTIME))


def make_image(path, block_size, size):
    """Writes an ext2 image of size bytes with block_size-byte blocks made from the tree."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        os.mkdir(tree)
        build(tree)
        env = dict(os.environ, E2FSPROGS_FAKE_TIME=str(MTIME))
        if os.path.exists(path):
            os.unlink(path)
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", str(block_size),
                        "-U", UUID, "-E", f"hash_seed={UUID}", "-d", tree, path,
                        str(size // 1024) + "k"],
                       check=True, env=env, stdout=subprocess.DEVNULL)


def _debugfs(image, request, write=False):
    argv = ["debugfs"] + (["-w"] if write else []) + ["-R", request, image]
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def damage(image):
    """Damages an image of the tree where a driver must check what it reads: /dir's
    first directory entry gets rec_len 0, /numbers a block pointer past the end of the
    file system, and /sparse's double-indirect block garbage pointers."""
    block_size = int(re.search(r"Block size:\s+(\d+)",
                               _debugfs(image, "stats")).group(1))
    dir_block = int(_debugfs(image, "bmap /dir 0").split()[0])
    dind = int(re.search(r"\(DIND\):(\d+)", _debugfs(image, "stat /sparse")).group(1))
    _debugfs(image, "sif /numbers block[0] 4000000000", write=True)
    with open(image, "r+b") as f:
        f.seek(dir_block * block_size + 4)
        f.write(b"\0\0")
        f.seek(dind * block_size)
        f.write(b"\xee" * block_size)


def listing(root):
    """Lines describing the tree under root, sorted: path, mode, then the size and
    sha256 of a file or the target of a symlink. Device nodes, fifos and sockets are
    left out: debugfs rdump (image_listing) does not extract them."""
    import hashlib
    import stat as st
    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            s = os.lstat(path)
            if not (st.S_ISREG(s.st_mode) or st.S_ISDIR(s.st_mode) or st.S_ISLNK(s.st_mode)):
                continue
            line = f"{rel} {st.filemode(s.st_mode)}"
            if st.S_ISLNK(s.st_mode):
                line += f" -> {os.readlink(path)}"
            elif st.S_ISREG(s.st_mode):
                with open(path, "rb") as f:
                    line += f" {s.st_size} {hashlib.sha256(f.read()).hexdigest()}"
            lines.append(line)
    return sorted(lines)


def image_listing(image, subdir):
    """listing() of directory subdir of an ext2 image, extracted with debugfs rdump."""
    with tempfile.TemporaryDirectory() as tmp:
        _debugfs(image, f"rdump {subdir} {tmp}")
        return listing(os.path.join(tmp, os.path.basename(subdir)))
