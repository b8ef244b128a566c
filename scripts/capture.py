#!/usr/bin/env python3
"""Record an FTP control-connection session byte for byte.

Connects to a server, reads the greeting, then sends each line of a
command file (with CRLF appended) and waits for the complete reply before
sending the next. Every byte the server sends on the control connection is
written, exactly as received, to the output file.

Data connections: after a 227 (PASV) or 229 (EPSV) reply the script
connects to 127.0.0.1 on the advertised port; the next LIST, NLST, MLSD
or RETR reads that connection to the end and discards the data (STOR,
APPE and STOU send nothing, i.e. upload an empty file).

After each complete final reply the script keeps listening for --settle
seconds, so extra (unsolicited) replies are recorded too and shown as
EXTRA in the transcript.

Usage:
    capture.py --port 42121 --commands cmds.txt --out session.bin \
        [--out-commands sent.commands] [--transcript session.txt]

Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field

TRANSFER_IN = {b"LIST", b"NLST", b"MLSD", b"RETR"}
TRANSFER_OUT = {b"STOR", b"APPE", b"STOU"}
REPLY_START = re.compile(rb"^(\d{3})([ -]|$)")
PASV_RE = re.compile(rb"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)")
EPSV_RE = re.compile(rb"\((.)\1\1(\d+)\1\)")


class Closed(Exception):
    """The server closed the control connection."""


@dataclass
class Reply:
    code: int
    lines: list[bytes] = field(default_factory=list)

    @property
    def text(self) -> bytes:
        return b"".join(self.lines)


class Control:
    """The control connection: records every byte, parses replies."""

    def __init__(self, sock: socket.socket, timeout: float, log) -> None:
        self.sock = sock
        self.timeout = timeout
        self.log = log
        self.raw = bytearray()
        self.buf = bytearray()
        self.eof = False

    def _fill(self, timeout: float) -> bool:
        """Receive once; False on timeout. Raises Closed at EOF."""
        if self.eof:
            raise Closed()
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            return False
        except ConnectionResetError:
            chunk = b""
            self.log("!! connection reset by server")
        if not chunk:
            self.eof = True
            raise Closed()
        self.raw += chunk
        self.buf += chunk
        return True

    def _line(self, timeout: float) -> bytes | None:
        """Next line including its terminator (LF, normally CRLF)."""
        deadline = time.monotonic() + timeout
        while True:
            nl = self.buf.find(b"\n")
            if nl >= 0:
                line = bytes(self.buf[: nl + 1])
                del self.buf[: nl + 1]
                return line
            left = deadline - time.monotonic()
            if left <= 0 or not self._fill(left):
                return None

    def reply(self, timeout: float | None = None) -> Reply | None:
        """One complete reply, or None if nothing arrives in time."""
        timeout = self.timeout if timeout is None else timeout
        first = self._line(timeout)
        if first is None:
            return None
        m = REPLY_START.match(first)
        if not m:
            self.log(f"S: {first!r}  (not a reply line)")
            return Reply(0, [first])
        reply = Reply(int(m.group(1)), [first])
        if m.group(2) == b"-":
            end = m.group(1)
            while True:
                line = self._line(self.timeout)
                if line is None:
                    self.log("!! timeout inside a multi-line reply")
                    break
                reply.lines.append(line)
                if line.startswith(end) and line[3:4] in (b" ", b"\r", b"\n"):
                    break
        for line in reply.lines:
            self.log(f"S: {line!r}")
        return reply

    def final(self) -> list[Reply]:
        """Replies up to and including the first non-1xx one."""
        got = []
        while True:
            r = self.reply()
            if r is None:
                self.log("!! timeout waiting for a reply")
                return got
            got.append(r)
            if not 100 <= r.code < 200:
                return got

    def settle(self, seconds: float) -> list[Reply]:
        """Extra replies that arrive within `seconds` of quiet."""
        extra: list[Reply] = []
        if seconds <= 0:
            return extra
        while True:
            r = self.reply(seconds)
            if r is None:
                return extra
            self.log("   ^ EXTRA reply")
            extra.append(r)

    def send(self, line: bytes) -> None:
        shown = line if len(line) <= 80 else line[:60] + b"...(%d bytes)" % len(line)
        self.log(f"C: {shown!r}")
        self.sock.sendall(line + b"\r\n")


def drain(sock: socket.socket, counter: list[int]) -> None:
    sock.settimeout(30)
    try:
        while chunk := sock.recv(65536):
            counter[0] += len(chunk)
    except OSError:
        pass
    finally:
        sock.close()


def data_port(reply: Reply) -> int | None:
    if reply.code == 227:
        m = PASV_RE.search(reply.text)
        if m:
            return int(m.group(5)) * 256 + int(m.group(6))
    if reply.code == 229:
        m = EPSV_RE.search(reply.text)
        if m:
            return int(m.group(2))
    return None


def run(args: argparse.Namespace) -> int:
    with open(args.commands, "rb") as f:
        commands = [ln.rstrip(b"\r\n") for ln in f.read().split(b"\n")]
    commands = [c for c in commands if c]

    transcript = open(args.transcript, "w", encoding="utf-8") if args.transcript else sys.stderr

    def log(msg: str) -> None:
        print(msg, file=transcript, flush=True)

    sent: list[bytes] = []
    sock = socket.create_connection((args.host, args.port), timeout=args.timeout)
    ctl = Control(sock, args.timeout, log)
    data: socket.socket | None = None
    status = 0
    try:
        ctl.final()
        ctl.settle(args.settle)
        for cmd in commands:
            verb = cmd.split(b" ", 1)[0].upper()
            try:
                ctl.send(cmd)
            except OSError as e:
                log(f"!! send failed: {e}")
                sent.append(cmd)
                break
            sent.append(cmd)
            if verb in TRANSFER_IN | TRANSFER_OUT and data is not None:
                counter = [0]
                if verb in TRANSFER_OUT:
                    data.shutdown(socket.SHUT_WR)
                reader = threading.Thread(target=drain, args=(data, counter))
                reader.start()
                data = None
                replies = ctl.final()
                reader.join(args.timeout)
                log(f"   (data connection: {counter[0]} bytes received)")
            else:
                replies = ctl.final()
            replies += ctl.settle(args.settle)
            for r in replies:
                port = data_port(r)
                if port is not None:
                    if data is not None:
                        data.close()
                    data = socket.create_connection(("127.0.0.1", port), timeout=args.timeout)
                    log(f"   (data connection opened to 127.0.0.1:{port})")
    except Closed:
        log("!! server closed the control connection")
    finally:
        if not ctl.eof:
            try:
                ctl.settle(args.settle)
            except Closed:
                log("!! server closed the control connection")
        if data is not None:
            data.close()
        sock.close()
        with open(args.out, "wb") as f:
            f.write(ctl.raw)
        if args.out_commands:
            with open(args.out_commands, "wb") as f:
                f.write(b"".join(c + b"\n" for c in sent))
        log(f"== {len(ctl.raw)} bytes from the server written to {args.out}")
        if transcript is not sys.stderr:
            transcript.close()
    if len(sent) < len(commands):
        print(f"capture: only {len(sent)} of {len(commands)} commands sent", file=sys.stderr)
        status = 1
    return status


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--commands", required=True, help="file with one command line per line")
    p.add_argument("--out", required=True, help="raw bytes received on the control connection")
    p.add_argument("--out-commands", help="write the command lines actually sent here")
    p.add_argument("--transcript", help="readable transcript (default: stderr)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a reply")
    p.add_argument("--settle", type=float, default=0.3, help="quiet seconds that end a reply")
    return run(p.parse_args())


if __name__ == "__main__":
    sys.exit(main())
