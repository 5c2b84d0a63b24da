"""The hardware cursor QEMU shows, composed onto its screendump (lumenqemu.py).

QEMU's screendump is the console's surface: virtio-gpu's primary plane only. The
cursor plane goes to QEMU's display front ends instead: the guest's UPDATE_CURSOR and
MOVE_CURSOR commands end in dpy_cursor_define (the 64x64 ARGB image and its hot spot)
and dpy_mouse_set (the position, shown or not). Two things QEMU itself outputs give
that state to the host, and nothing else is used:

- the trace event virtio_gpu_update_cursor (scanout, x, y, move/update, resource id),
  written to QEMU's log file (-D) for every cursor command: the last one of a scanout
  gives its position, and resource id 0 means hidden (dpy_mouse_set's visible);
- QEMU's VNC server, which sends the cursor image with its hot spot to a client that
  announces the AlphaCursor pseudo-encoding (-314), at once on SetEncodings: 32-bit
  pixels as QEMU holds them (uint32 0xAARRGGBB, little-endian), the rectangle's x and
  y being the hot spot.

The position is where the image's top-left pixel goes, as DRM's CRTC_X/CRTC_Y and as
QEMU's Spice front end reads dpy_mouse_set (it adds the hot spot to get the pointer);
the hot spot itself is reported, not applied. The image is blended with straight
alpha, as QEMU's GTK and SDL front ends hand it to the window system. Stdlib only.
"""
import re
import socket
import struct
import zlib

TRACE_EVENT = "virtio_gpu_update_cursor"
TRACE_LINE = re.compile(rb"virtio_gpu_update_cursor scanout (\d+), x (-?\d+), y (-?\d+), "
                        rb"(move|update), res 0x([0-9a-f]+)")
ALPHA_CURSOR = -314       # RFB pseudo-encoding: cursor image with 8-bit alpha
RAW = 0


def recv_exact(sock, n):
    """Read exactly n bytes from sock."""
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise OSError("VNC connection closed")
        data += chunk
    return data


def vnc_handshake(sock):
    """Speak RFB 3.8 on sock up to ServerInit (no authentication, shared);
    return the framebuffer's (width, height, bytes per pixel)."""
    recv_exact(sock, 12)                            # ProtocolVersion
    sock.sendall(b"RFB 003.008\n")
    types = recv_exact(sock, recv_exact(sock, 1)[0])
    if 1 not in types:
        raise OSError("the VNC server wants authentication")
    sock.sendall(b"\x01")                           # security type None
    if struct.unpack(">I", recv_exact(sock, 4))[0]:
        raise OSError("VNC security handshake failed")
    sock.sendall(b"\x01")                           # ClientInit: shared
    width, height, bpp, name_len = struct.unpack(">HHB15xI", recv_exact(sock, 24))
    recv_exact(sock, name_len)
    return width, height, bpp // 8


def vnc_cursor(path):
    """Ask QEMU's VNC server at path for the console's cursor: (width, height, hot_x,
    hot_y, pixels) with pixels as QEMU holds them, or None when no cursor was ever
    defined. A 1x1 full update request follows SetEncodings: its answer comes after
    the cursor QEMU sends on SetEncodings, so no cursor before it means none."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(path)
        _, _, cpp = vnc_handshake(sock)
        sock.sendall(struct.pack(">BxHii", 2, 2, RAW, ALPHA_CURSOR))
        sock.sendall(struct.pack(">BBHHHH", 3, 0, 0, 0, 1, 1))
        cursor = None
        while True:
            kind = recv_exact(sock, 1)[0]
            if kind != 0:
                raise OSError(f"unexpected VNC server message {kind}")
            (count,) = struct.unpack(">xH", recv_exact(sock, 3))
            framebuffer = False
            for _ in range(count):
                x, y, w, h, enc = struct.unpack(">HHHHi", recv_exact(sock, 12))
                if enc == ALPHA_CURSOR:
                    (inner,) = struct.unpack(">i", recv_exact(sock, 4))
                    if inner != RAW:
                        raise OSError(f"AlphaCursor in encoding {inner}, not raw")
                    cursor = (w, h, x, y, recv_exact(sock, w * h * 4))
                elif enc == RAW:
                    recv_exact(sock, w * h * cpp)
                    framebuffer = True
                else:
                    raise OSError(f"unexpected VNC rectangle encoding {enc}")
            if framebuffer:
                return cursor


class CursorTrace:
    """The cursor state per scanout from QEMU's trace log, read as it grows."""

    def __init__(self, path):
        self.path, self.offset, self.rest = path, 0, b""
        self.state = {}        # scanout -> (x, y, shown)

    def read(self):
        """Take in the log's new complete lines; return {scanout: (x, y, shown)}."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return self.state
        self.offset += len(data)
        lines = (self.rest + data).split(b"\n")
        self.rest = lines.pop()
        for line in lines:
            m = TRACE_LINE.search(line)
            if m:
                self.state[int(m[1])] = (int(m[2]), int(m[3]), int(m[5], 16) != 0)
        return self.state


def read_ppm(path):
    """Return (width, height, rgb bytearray) of a binary PPM (QEMU's screendump)."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    if not m:
        raise ValueError(f"{path}: not an 8-bit binary PPM")
    width, height = int(m[1]), int(m[2])
    return width, height, bytearray(data[m.end():m.end() + width * height * 3])


def write_png(path, width, height, rgb):
    """Write rgb (rows of width 8-bit RGB pixels) as a PNG."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    stride = width * 3
    raw = b"".join(b"\x00" + bytes(rgb[y * stride:(y + 1) * stride]) for y in range(height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                                   8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def compose(width, height, rgb, cursor, x, y):
    """Blend cursor (w, h, hot_x, hot_y, pixels) into rgb with its top-left pixel at
    (x, y), clipped to the screen; straight alpha, rounded to nearest."""
    w, h, _, _, pixels = cursor
    for cy in range(max(0, -y), min(h, height - y)):
        for cx in range(max(0, -x), min(w, width - x)):
            b, g, r, a = pixels[4 * (cy * w + cx):4 * (cy * w + cx) + 4]
            at = 3 * ((y + cy) * width + x + cx)
            for i, c in enumerate((r, g, b)):
                rgb[at + i] = (c * a + rgb[at + i] * (255 - a) + 127) // 255


def describe(scanout, state, cursor):
    """The one-line account of a scanout's cursor that `shot -c` prints."""
    if scanout not in state or cursor is None:
        return "none"
    x, y, shown = state[scanout]
    if not shown:
        return "hidden"
    w, h, hot_x, hot_y, _ = cursor
    return f"scanout {scanout} at {x},{y} hot {hot_x},{hot_y} {w}x{h}"


def cursor_shot(ppm, png, trace, vnc_path, scanout=0):
    """Compose QEMU's cursor of scanout onto the screendump ppm and write it as png;
    return describe()'s line. Raises OSError or ValueError when something fails."""
    width, height, rgb = read_ppm(ppm)
    state = trace.read()
    cursor = vnc_cursor(vnc_path) if scanout in state else None
    line = describe(scanout, state, cursor)
    if line.startswith("scanout"):
        x, y, _ = state[scanout]
        compose(width, height, rgb, cursor, x, y)
    write_png(png, width, height, rgb)
    return line

