#!/usr/bin/env python3
"""Boot an ISO in QEMU and run one job in it (make boot / reference / run / debug).

COM1 (ttyS0) is the console: streamed to stdout as it arrives. COM2 (ttyS1) is the
control channel to our init (userland/init.c): the guest says "LUMEN HELLO", we answer
"JOB <n>" + the command or "INTERACTIVE", the guest sends "OUT <n>" frames of the job's
output, "SHOT <name>" requests (answered after QMP screendump saved $SHOTS/<name>.png;
"SHOT <name> <head>": of that head of the GPU with id gpu),
"CURSORSHOT <name>" (the same with QEMU's cursor composed onto it, qcursor.py: the
answer is preceded by "CURSOR <what the cursor is>"),
"RESIZE <w> <h>" requests (the display resized through QEMU's VNC server, answered
"RESIZE-DONE" or "RESIZE-FAIL") and finally "EXIT <status>".

Exit status of a job run: the job's status, or 240 kernel panic, 241 timeout,
242 QEMU died without EXIT; a one-line reason goes to stderr. With --power-cut LINE,
QEMU is killed (SIGKILL: a power cut, nothing flushed) as soon as the job's output
has that line; the output ends with it and the status is 0. Python stdlib only.
"""
import argparse
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import qcursor

PANIC = 240
TIMEOUT = 241
DIED = 242
PANIC_MARKS = {"lumen": b"KERNEL PANIC", "linux": b"Kernel panic"}
GPU_ARGS = {"virtio": ["-device", "virtio-gpu-pci"], "std": ["-vga", "std"],
            "virtio-vga": ["-device", "virtio-vga"], "none": [],
            # two scanouts; the id names the device for screendumps of head 1
            "virtio2": ["-device", "virtio-gpu-pci,max_outputs=2,id=gpu"]}
INIT_LINE = b"lumen-init: started"
ESCAPE = b"\x01"  # Ctrl-A, then x, quits an interactive session


def warn(msg):
    """Print a one-line message of the runner on stderr."""
    print(f"lumen-qemu: {msg}", file=sys.stderr, flush=True)


def probe_image(path):
    """Write a tiny multiboot (v1) guest that prints 'K' on COM1 and exits QEMU."""
    code = bytes([0xB0, 0x4B, 0x66, 0xBA, 0xF8, 0x03, 0xEE,   # mov al,'K'; out 0x3f8
                  0xB0, 0x00, 0x66, 0xBA, 0xF4, 0x00, 0xEE,   # out 0xf4 (debug-exit)
                  0xF4, 0xEB, 0xFE])                           # hlt; jmp $
    magic, flags, base = 0x1BADB002, 0x00010000, 0x100000
    words = [magic, flags, (-(magic + flags)) & 0xFFFFFFFF, base, base, 0, 0, base + 32]
    with open(path, "wb") as f:
        f.write(b"".join(w.to_bytes(4, "little") for w in words) + code)


def kvm_works(build):
    """Boot the probe guest under KVM; True only if it really ran within a few seconds."""
    image = os.path.join(build, "kvm-probe.bin")
    probe_image(image)
    cmd = ["qemu-system-x86_64", "-accel", "kvm", "-nodefaults", "-display", "none",
           "-m", "32", "-no-reboot", "-serial", "stdio", "-kernel", image,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=5, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return False
    return res.returncode == 1 and b"K" in res.stdout


def accelerator(build):
    """Return "kvm" or "tcg"; the verdict is cached in build/accel."""
    cache = os.path.join(build, "accel")
    if os.path.exists(cache):
        with open(cache) as f:
            return f.read().strip()
    verdict = "kvm" if os.path.exists("/dev/kvm") and kvm_works(build) else "tcg"
    os.makedirs(build, exist_ok=True)
    with open(cache, "w") as f:
        f.write(verdict + "\n")
    if verdict == "tcg":
        warn("KVM is not usable here, using TCG (verdict cached in " + cache + ")")
    return verdict


def qemu_command(opts, tmp):
    """Build the QEMU command line shared by both kernels."""
    # Every run gets the runner's own VNC server (on a unix socket, no client unless
    # a job asks for a RESIZE or a cursor shot): its SetDesktopSize is how a display's
    # size changes without a window, as resizing QEMU's window does, and it tells the
    # cursor's image (qcursor.py). Interactive runs have a window or a VNC port besides.
    display = ["-display", "none"]
    if opts.interactive:
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
            display = ["-display", "gtk"]
        else:
            display = ["-display", "vnc=127.0.0.1:0"]
    display += ["-vnc", f"unix:{tmp}/vnc.sock,id=runner"]
    # The cursor's position comes from QEMU's trace of virtio-gpu's cursor commands.
    trace = ["-D", f"{tmp}/qemu.log", "-trace", qcursor.TRACE_EVENT]
    cmd = ["qemu-system-x86_64", "-accel", accelerator(opts.build), "-cpu", "max",
           "-smp", str(opts.smp), "-m", opts.mem, "-nodefaults", "-no-reboot"] + display + trace
    cmd += ["-vga", "none",
            "-chardev", f"socket,id=con,path={tmp}/con.sock", "-serial", "chardev:con",
            "-chardev", f"socket,id=ctl,path={tmp}/ctl.sock", "-serial", "chardev:ctl",
            "-qmp", f"unix:{tmp}/qmp.sock,server=on,wait=off",
            "-cdrom", opts.iso, "-boot", "d"] + GPU_ARGS[opts.gpu]
    cmd += root_args(opts) + disk_args(opts.disk, opts.disk_ro)
    if opts.cmdline:
        # GRUB appends SMBIOS OEM string 1 to the kernel's command line (mkiso.sh)
        cmd += ["-smbios", "type=11,value=" + opts.cmdline.replace(",", ",,")]
    if opts.debug:
        cmd += ["-s", "-S"]
    return cmd


def keep_root(root, keep):
    """Make the persistent copy keep of the root image (make run) when it is missing or
    older than root; a user's files in it survive until the root image changes."""
    if os.path.exists(keep) and os.path.getmtime(keep) >= os.path.getmtime(root):
        return
    if os.path.exists(keep):
        warn(f"{root} is newer than {keep}: starting again from a fresh copy")
    subprocess.run(["cp", "--sparse=always", root, keep + ".tmp"], check=True)
    os.replace(keep + ".tmp", keep)


def root_args(opts):
    """QEMU arguments for the root disk (vda, the first virtio-blk device): build/root.img
    with writes thrown away (snapshot=on), or the persistent copy --keep-root."""
    root = opts.root or os.path.join(opts.build, "root.img")
    if not os.path.exists(root):
        warn(f"no root disk image {root}: the guest has no root file system")
        return []
    if opts.keep_root:
        keep_root(root, opts.keep_root)
        drive = f"file={opts.keep_root},if=none,id=root,format=raw"
    else:
        drive = f"file={root},if=none,id=root,format=raw,snapshot=on"
    return ["-drive", drive, "-device", "virtio-blk-pci,drive=root"]


def disk_args(rw, ro):
    """QEMU arguments for raw disk images on virtio-blk-pci after the root disk: the
    read-write ones first, then the read-only ones, so both kernels name them vdb,
    vdc... in that order."""
    args = []
    disks = [(path, False) for path in rw] + [(path, True) for path in ro]
    for i, (path, readonly) in enumerate(disks):
        drive = f"file={path},if=none,id=disk{i},format=raw" + (",readonly=on" if readonly else "")
        args += ["-drive", drive, "-device", f"virtio-blk-pci,drive=disk{i}"]
    return args


def listener(path):
    """Return a non-blocking unix socket listening at path."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    s.setblocking(False)
    return s


class Qmp:
    """A minimal QMP client, connected on first use."""

    def __init__(self, path):
        self.path, self.sock, self.buf = path, None, b""

    def _reply(self):
        """Read messages until a command reply (skipping events); return it."""
        while True:
            while b"\n" not in self.buf:
                data = self.sock.recv(65536)
                if not data:
                    raise OSError("QMP connection closed")
                self.buf += data
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg

    def execute(self, command, **arguments):
        """Run one QMP command; return its reply dict."""
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(30)
            self.sock.connect(self.path)
            self.sock.sendall(b'{"execute": "qmp_capabilities"}\n')
            self._reply()
        self.sock.sendall(json.dumps({"execute": command, "arguments": arguments}).encode()
                          + b"\n")
        return self._reply()


def vnc_set_desktop_size(sock, width, height):
    """Speak RFB 3.8 on sock up to ServerInit, then send SetDesktopSize (message 251)
    with one screen of width x height, and wait for QEMU's answer to it."""
    qcursor.vnc_handshake(sock)
    # SetEncodings: raw and ExtendedDesktopSize, so that QEMU answers the request.
    sock.sendall(struct.pack(">BxHii", 2, 2, 0, -308))
    sock.sendall(struct.pack(">BxHHBxIHHHHI", 251, width, height, 1, 0, 0, 0, width,
                             height, 0))
    # QEMU answers each with a FramebufferUpdate; give it a second to handle both.
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        sock.settimeout(max(0.01, end - time.monotonic()))
        try:
            if not sock.recv(4096):
                break
        except socket.timeout:
            break


def wait_for_file(path, limit=10.0):
    """Wait until path exists with a non-zero size that stopped growing."""
    end, last = time.monotonic() + limit, -1
    while time.monotonic() < end:
        size = os.path.getsize(path) if os.path.exists(path) else 0
        if size > 0 and size == last:
            return True
        last = size
        time.sleep(0.05)
    return False


class Session:
    """One QEMU run: the sockets, the protocol state and the result."""

    def __init__(self, opts, job, console):
        self.opts, self.job, self.console = opts, job, console
        self.out = bytearray()         # the job's output from OUT frames
        self.ctl_buf = b""
        self.con_line = b""
        self.exit_code = None          # from EXIT
        self.panic_at = None           # when a panic line was seen
        self.times = {}                # event -> seconds since QEMU start
        self.con = self.ctl = None
        self.qmp = self.vnc_path = self.trace = None
        self.timed_out = self.quit = self.escaped = False
        self.power_cut = False         # killed on opts.power_cut's line

    def elapsed(self):
        """Seconds since QEMU was started."""
        return time.monotonic() - self.start

    def on_console(self, data):
        """Stream console bytes out; timestamp lines and watch for a panic."""
        self.console.write(data)
        self.console.flush()
        self.con_line += data
        lines = self.con_line.split(b"\n")
        self.con_line = lines.pop()
        for line in lines + [self.con_line]:
            if INIT_LINE in line and "init" not in self.times:
                self.times["init"] = self.elapsed()
            if PANIC_MARKS[self.opts.kernel] in line and self.panic_at is None:
                self.panic_at = time.monotonic()

    def send_ctl(self, data):
        """Send bytes to the guest's control channel."""
        self.ctl.setblocking(True)
        self.ctl.sendall(data)
        self.ctl.setblocking(False)

    def screendump(self, path, fmt, head=None):
        """Have QEMU write its screendump (of head of the GPU with id gpu, else of the
        first display) to path in fmt ("png" or "ppm"); True when the file was written."""
        if os.path.exists(path):
            os.unlink(path)
        where = {} if head is None else {"device": "gpu", "head": head}
        try:
            reply = self.qmp.execute("screendump", filename=path, format=fmt, **where)
        except (OSError, ValueError) as e:
            warn(f"screendump {path}: {e}")
            return False
        if "error" in reply:
            warn(f"screendump {path}: {reply['error'].get('desc')}")
            return False
        return wait_for_file(path)

    def screenshot(self, arg):
        """Save QEMU's screendump as $SHOTS/<name>.png, arg being "<name>" or "<name>
        <head>"; True when it was written."""
        name, _, head = arg.partition(" ")
        os.makedirs(self.opts.shots, exist_ok=True)
        return self.screendump(os.path.abspath(os.path.join(self.opts.shots, name + ".png")),
                               "png", int(head) if head.isdigit() else None)

    def cursor_screenshot(self, name):
        """Save QEMU's screendump with its cursor composed as $SHOTS/<name>.png; return
        the line describing the cursor, or None when that failed."""
        os.makedirs(self.opts.shots, exist_ok=True)
        png = os.path.abspath(os.path.join(self.opts.shots, name + ".png"))
        ppm = png[:-4] + ".ppm"
        if os.path.exists(png):
            os.unlink(png)
        if not self.screendump(ppm, "ppm"):
            return None
        try:
            return qcursor.cursor_shot(ppm, png, self.trace, self.vnc_path)
        except (OSError, ValueError, struct.error) as e:
            warn(f"cursor screenshot {name}: {e}")
            return None
        finally:
            os.unlink(ppm)

    def resize(self, arg):
        """Ask QEMU, as a VNC client would after its window was resized, to make the
        display arg ("W H") big: the guest's GPU gets a display-change event. True
        when the request was sent."""
        try:
            w, h = (int(v) for v in arg.split())
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(10)
                s.connect(self.vnc_path)
                vnc_set_desktop_size(s, w, h)
            return True
        except (OSError, ValueError, struct.error) as e:
            warn(f"resize {arg!r}: {e}")
            return False

    def on_ctl_line(self, line):
        """Handle one protocol line from the guest (other than OUT)."""
        word, _, arg = line.partition(b" ")
        if word == b"LUMEN" and arg == b"HELLO":
            self.times.setdefault("hello", self.elapsed())
            if self.job is None:
                self.send_ctl(b"INTERACTIVE\n")
            else:
                self.send_ctl(b"JOB %d\n" % len(self.job) + self.job)
        elif word == b"SHOT":
            ok = self.screenshot(arg.decode(errors="replace"))
            self.send_ctl((b"SHOT-DONE " if ok else b"SHOT-FAIL ") + arg + b"\n")
        elif word == b"CURSORSHOT":
            what = self.cursor_screenshot(arg.decode(errors="replace"))
            if what is not None:
                self.send_ctl(b"CURSOR " + what.encode() + b"\n")
            self.send_ctl((b"SHOT-DONE " if what else b"SHOT-FAIL ") + arg + b"\n")
        elif word == b"RESIZE":
            ok = self.resize(arg.decode(errors="replace"))
            self.send_ctl(b"RESIZE-DONE\n" if ok else b"RESIZE-FAIL\n")
        elif word == b"EXIT":
            self.exit_code = int(arg)
            self.times["exit"] = self.elapsed()
        else:
            warn(f"unknown control line from the guest: {line[:80]!r}")

    def on_ctl(self, data):
        """Parse control channel bytes: lines, and OUT frames with their payload."""
        self.ctl_buf += data
        while b"\n" in self.ctl_buf:
            line, rest = self.ctl_buf.split(b"\n", 1)
            if line.startswith(b"OUT "):
                n = int(line[4:])
                if len(rest) < n:
                    return
                if not self.power_cut:
                    self.out += rest[:n]
                self.ctl_buf = rest[n:]
                self.check_power_cut()
            else:
                self.ctl_buf = rest
                self.on_ctl_line(line)

    def check_power_cut(self):
        """Kill QEMU at once when the output has the --power-cut line; the output is
        cut after that line (what the guest wrote later depends on timing)."""
        if not self.opts.power_cut or self.power_cut:
            return
        mark = self.opts.power_cut.encode() + b"\n"
        at = self.out.find(mark)
        if at < 0:
            return
        self.proc.kill()
        self.power_cut = True
        del self.out[at + len(mark):]

    def connect(self, con_l, ctl_l):
        """Accept QEMU's connections to the console and control sockets; False if it died."""
        while self.con is None or self.ctl is None:
            if self.proc.poll() is not None:
                return False
            ready, _, _ = select.select([con_l, ctl_l], [], [], 0.2)
            for s in ready:
                conn, _ = s.accept()
                conn.setblocking(False)
                if s is con_l:
                    self.con = conn
                else:
                    self.ctl = conn
        return True

    def pump(self, timeout):
        """Wait up to timeout for guest data (and stdin when interactive); handle it."""
        rlist = [s for s in (self.con, self.ctl) if s]
        if self.opts.interactive and sys.stdin.isatty():
            rlist.append(sys.stdin)
        ready, _, _ = select.select(rlist, [], [], max(timeout, 0))
        for s in ready:
            if s is sys.stdin:
                self.on_stdin(os.read(sys.stdin.fileno(), 4096))
                continue
            data = s.recv(65536)
            if s is self.con and data:
                self.on_console(data)
            elif s is self.con:
                self.con = None
            elif data:
                self.on_ctl(data)
            else:
                self.ctl = None

    def on_stdin(self, data):
        """Forward typed bytes to the console; Ctrl-A x ends the session."""
        if self.escaped and data[:1] in (b"x", b"X"):
            self.quit = True
            return
        self.escaped = data.endswith(ESCAPE)
        if self.con and not data == ESCAPE:
            self.con.sendall(data)

    def finish_wait(self):
        """After EXIT, let QEMU power off by itself; kill it after 10 s."""
        end = time.monotonic() + 10
        while self.proc.poll() is None and time.monotonic() < end:
            self.pump(min(0.2, end - time.monotonic()))
        if self.proc.poll() is None:
            warn("QEMU did not exit within 10 s after EXIT (poweroff failed); killed it")
            self.proc.kill()

    def verdict(self):
        """Return the run's exit status and print the reason when it is not the job's."""
        if self.panic_at is not None:
            warn(f"kernel panic ({self.opts.kernel})")
            return PANIC
        if self.exit_code is not None:
            return self.exit_code
        if self.power_cut:
            return 0
        if self.timed_out:
            warn(f"timeout: no EXIT within {self.opts.timeout} s")
            return TIMEOUT
        warn(f"QEMU exited (status {self.proc.returncode}) before the job sent EXIT")
        return DIED

    def loop(self):
        """Run the main loop until EXIT, a panic, the timeout or QEMU's death."""
        limited = not (self.opts.interactive or self.opts.debug)
        deadline = time.monotonic() + self.opts.timeout
        while self.exit_code is None and not self.quit and not self.power_cut:
            if self.panic_at is not None and time.monotonic() > self.panic_at + 2:
                break
            if limited and time.monotonic() > deadline:
                self.timed_out = True
                break
            if self.proc.poll() is not None:
                break
            self.pump(0.2)
        if self.exit_code is not None and self.panic_at is None:
            self.finish_wait()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.drain()

    def drain(self):
        """After QEMU is gone, read what is left in the sockets (at most 1 s)."""
        end = time.monotonic() + 1
        while (self.con or self.ctl) and time.monotonic() < end:
            self.pump(0.1)

    def run(self):
        """Start QEMU, run the session; return the exit status."""
        with tempfile.TemporaryDirectory(prefix="lumen-") as tmp:
            con_l = listener(f"{tmp}/con.sock")
            ctl_l = listener(f"{tmp}/ctl.sock")
            self.qmp = Qmp(f"{tmp}/qmp.sock")
            self.vnc_path = f"{tmp}/vnc.sock"
            self.trace = qcursor.CursorTrace(f"{tmp}/qemu.log")
            cmd = qemu_command(self.opts, tmp)
            self.start = time.monotonic()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
            try:
                if self.connect(con_l, ctl_l):
                    self.loop()
            finally:
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
        self.times["qemu-exit"] = self.elapsed()
        return self.verdict()


def run(opts, job, console=None):
    """Run job (bytes, or None for interactive) under opts; return (status, session).

    The console goes to `console` (a binary file; stdout by default).
    """
    session = Session(opts, job, console or sys.stdout.buffer)
    status = session.run()
    if opts.out:
        with open(opts.out, "wb") as f:
            f.write(session.out)
    if opts.status_file:
        with open(opts.status_file, "w") as f:
            f.write(f"{status}\n")
    return status, session


def options(argv=None):
    """Parse the command line (also used by the test and bench drivers)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso", required=True)
    ap.add_argument("--kernel", choices=sorted(PANIC_MARKS), default="lumen")
    ap.add_argument("--cmd-env", help="environment variable holding the job")
    ap.add_argument("--cmd-file", help="file holding the job")
    ap.add_argument("--interactive", action="store_true")
    ap.add_argument("--debug", action="store_true", help="-s -S: wait for gdb on :1234")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--gpu", choices=sorted(GPU_ARGS), default="virtio")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--mem", default="1G")
    ap.add_argument("--shots", default="build/shots")
    ap.add_argument("--out", help="write the job's output (OUT frames) here")
    ap.add_argument("--status-file", help="write the exit status here (make exits 0 or 2)")
    ap.add_argument("--build", default="build")
    ap.add_argument("--disk", action="append", default=[],
                    help="a raw disk image on virtio-blk (repeatable: vdb, vdc...)")
    ap.add_argument("--disk-ro", action="append", default=[],
                    help="the same, read-only (after the --disk ones)")
    ap.add_argument("--root", help="root disk image, vda (default BUILD/root.img; "
                    "its writes are thrown away)")
    ap.add_argument("--keep-root", help="boot this persistent copy of the root image")
    ap.add_argument("--power-cut", help="kill QEMU as soon as the job prints this line")
    ap.add_argument("--cmdline", help="words added to the kernel's command line "
                    "(e.g. lumen.vkms=1: a vkms device)")
    return ap.parse_args(argv)


def read_job(opts):
    """Return the job bytes from --cmd-file or --cmd-env (None: interactive)."""
    if opts.interactive or opts.debug:
        return None
    if opts.cmd_file:
        with open(opts.cmd_file, "rb") as f:
            return f.read()
    if opts.cmd_env:
        return os.environ.get(opts.cmd_env, "").encode()
    sys.exit("lumen-qemu: give --cmd-file, --cmd-env or --interactive")


def main():
    """Command line entry: run one job (or an interactive session) and exit with its status."""
    opts = options()
    job = read_job(opts)
    if job is not None and not job.strip():
        sys.exit("lumen-qemu: the job is empty (make boot CMD='...')")
    if opts.debug:
        print("lumen-qemu: waiting for gdb: gdb build/lumen.elf -ex 'target remote :1234'",
              flush=True)
    if opts.interactive and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("lumen-qemu: display on VNC 127.0.0.1:5900 (vncviewer 127.0.0.1:0)", flush=True)
    raw = None
    if job is None and sys.stdin.isatty():
        import termios
        import tty
        raw = termios.tcgetattr(sys.stdin)
        tty.setraw(sys.stdin)
        print("lumen-qemu: console on this terminal; Ctrl-A x quits\r", flush=True)
    try:
        status, _ = run(opts, job)
    finally:
        if raw is not None:
            termios.tcsetattr(sys.stdin, termios.TCSADRAIN, raw)
    if job is None:
        sys.exit(0)
    if status != 0:
        warn(f"exit status {status}")
    sys.exit(status)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
