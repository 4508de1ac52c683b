"""A tiny stand-in for the app under Textual's web driver, for web protocol tests.

It starts in milliseconds (the real app takes about a second), speaks textual-serve's
packet protocol on stdin/stdout, and draws `Epoch N  COLSxROWS env: NAMES` as one
data packet: at start, on a space, and on a resize. Flags make it misbehave:
--ignore-hangup ignores SIGHUP and the quit message; --flood writes without end
(so it blocks on a full pipe once nobody reads); --grandchild leaves a sleeping
process in its group, as a stuck helper would; --ask-browser asks the browser to
open a URL and download a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def main() -> None:
    out = sys.stdout.buffer
    if "--ignore-hangup" in sys.argv:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    if "--grandchild" in sys.argv:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    epoch, cols, rows = 0, os.environ.get("COLUMNS"), os.environ.get("ROWS")

    def draw() -> None:
        names = " ".join(sorted(os.environ))
        out.write(packet(b"D", f"Epoch {epoch}  {cols}x{rows}  env: {names}\n".encode()))
        out.flush()

    out.write(b"__GANGLION__\n")
    if "--ask-browser" in sys.argv:  # what a served app must not get a browser to do
        for meta in (
            {"type": "open_url", "url": "http://evil.example/", "new_tab": True},
            {"type": "deliver_file_start", "key": "k", "path": "/etc/passwd",
             "open_method": "download", "mime_type": "text/plain", "encoding": "utf-8"},
        ):  # fmt: skip
            out.write(packet(b"M", json.dumps(meta).encode()))
    draw()
    if "--flood" in sys.argv:
        # Once the server closes the pipe the write fails (EPIPE); a stuck app stays on,
        # so only the server's SIGKILL ends it (else the seat test races the app's exit).
        with contextlib.suppress(BrokenPipeError):
            while True:
                out.write(packet(b"D", b"x" * 65536))
        while True:
            time.sleep(60)
    stdin = sys.stdin.buffer
    while len(header := stdin.read(5)) == 5:
        payload = stdin.read(int.from_bytes(header[1:], "big"))
        if header[:1] == b"D" and b" " in payload:
            epoch += 1
            draw()
        elif header[:1] == b"M":
            meta = json.loads(payload)
            if meta["type"] == "resize":
                cols, rows = meta["width"], meta["height"]
                draw()
            elif meta["type"] == "quit" and "--ignore-hangup" not in sys.argv:
                break
    out.write(packet(b"M", b'{"type": "exit"}'))
    out.flush()


if __name__ == "__main__":
    main()
