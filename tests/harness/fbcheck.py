"""Checks text on a screendump: is this string drawn here with this PSF font?

The framebuffer-console test takes a QEMU screendump (PNG) and looks for the kernel's
first log line at the top left, drawn glyph by glyph with the very font the kernel
links in. A pixel counts as lit when it is brighter than mid-grey; each glyph cell
must match the font's bitmap exactly. Standard library only.
"""
import struct
import zlib


def read_png(path):
    """Return (width, height, rows) of an 8-bit RGB or RGBA PNG; rows are bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, width, height, channels = 8, b"", 0, 0, 3
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            if depth != 8 or color not in (2, 6):
                raise ValueError(f"{path}: only 8-bit RGB(A) PNGs are read")
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, unfilter(zlib.decompress(idat), width, height, channels)


def paeth(a, b, c):
    """PNG's Paeth predictor."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, width, height, channels):
    """Undo the per-row PNG filters; returns RGB rows (alpha dropped)."""
    stride = width * channels
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, upleft = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                line[i] = (line[i] + paeth(left, up, upleft)) & 255
        rows.append(bytes(line) if channels == 3 else
                    bytes(b for j in range(0, stride, 4) for b in line[j:j + 3]))
        prev = line
    return rows


def read_psf1(path):
    """Return (height, {character: glyph rows}) of a PSF1 font with a Unicode table."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\x36\x04":
        raise ValueError(f"{path}: not a PSF1 font")
    mode, height = data[2], data[3]
    count = 512 if mode & 1 else 256
    glyphs = [data[4 + i * height:4 + (i + 1) * height] for i in range(count)]
    chars, table, index = {}, data[4 + count * height:], 0
    for (code,) in struct.iter_unpack("<H", table[:len(table) // 2 * 2]):
        if code == 0xFFFF:
            index += 1
        elif code != 0xFFFE and index < count:
            chars.setdefault(chr(code), glyphs[index])
    return height, chars


def text_mismatches(png, font, x, y, text):
    """Count the pixels of text (drawn at x, y, 8 pixels a cell) that differ."""
    width, height, rows = png
    glyph_height, chars = font
    bad = 0
    for n, ch in enumerate(text):
        glyph = chars[ch]
        for gy in range(glyph_height):
            row = rows[y + gy]
            for gx in range(8):
                px = (x + n * 8 + gx) * 3
                lit = sum(row[px:px + 3]) > 3 * 128
                bad += lit != bool(glyph[gy] & (0x80 >> gx))
    return bad
