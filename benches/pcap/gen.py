#!/usr/bin/env python3
"""Writes a large synthetic FTP capture (classic pcap, Ethernet/IPv4/TCP) for the
`ftp-reply pcap` vs tshark comparison: SESSIONS control connections on port 21,
interleaved CONCURRENT at a time, each logging in, listing, and downloading FILES
files of SIZE bytes over passive data connections, so most bytes are data.

    gen.py OUT.pcap [sessions] [files] [size]
"""
import struct
import sys

out_path = sys.argv[1]
SESSIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
FILES = int(sys.argv[3]) if len(sys.argv) > 3 else 4
SIZE = int(sys.argv[4]) if len(sys.argv) > 4 else 40_000
CONCURRENT = 50
MSS = 1448

out = open(out_path, "wb", buffering=1 << 20)
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
clock = [1_700_000_000_000_000]  # microseconds


def packet(src, dst, sport, dport, seq, ack, flags, payload):
    total = 40 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 6, 0, src, dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + tcp + payload
    clock[0] += 37
    t = clock[0]
    out.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(frame), len(frame)))
    out.write(frame)


class Tcp:
    def __init__(self, c, s, cp, sp):
        self.c, self.s, self.cp, self.sp = c, s, cp, sp
        self.cs, self.ss = 1000, 5000

    def open(self):
        packet(self.c, self.s, self.cp, self.sp, self.cs, 0, 0x02, b"")
        packet(self.s, self.c, self.sp, self.cp, self.ss, self.cs + 1, 0x12, b"")
        self.cs += 1
        self.ss += 1
        packet(self.c, self.s, self.cp, self.sp, self.cs, self.ss, 0x10, b"")

    def client(self, data):
        packet(self.c, self.s, self.cp, self.sp, self.cs, self.ss, 0x18, data)
        self.cs += len(data)

    def server(self, data):
        packet(self.s, self.c, self.sp, self.cp, self.ss, self.cs, 0x18, data)
        self.ss += len(data)

    def close(self):
        packet(self.c, self.s, self.cp, self.sp, self.cs, self.ss, 0x11, b"")
        packet(self.s, self.c, self.sp, self.cp, self.ss, self.cs + 1, 0x11, b"")
        packet(self.c, self.s, self.cp, self.sp, self.cs + 1, self.ss + 1, 0x10, b"")


def session(i):
    c = bytes([10, 1, (i >> 8) & 255, i & 255])
    s = bytes([10, 2, 0, 1])
    ctl = Tcp(c, s, 20000 + i % 40000, 21)
    ctl.open()
    yield
    ctl.server(b"220 Synthetic FTP server ready.\r\n")
    ctl.client(b"USER user%d\r\n" % i)
    ctl.server(b"331 Please specify the password.\r\n")
    ctl.client(b"PASS secret\r\n")
    ctl.server(b"230 Login successful.\r\n")
    ctl.client(b"TYPE I\r\n")
    ctl.server(b"200 Switching to Binary mode.\r\n")
    yield
    for f in range(FILES):
        port = 30000 + (i * FILES + f) % 30000
        ctl.client(b"PASV\r\n")
        ctl.server(b"227 Entering Passive Mode (10,2,0,1,%d,%d).\r\n" % (port >> 8, port & 255))
        ctl.client(b"RETR file%d.bin\r\n" % f)
        data = Tcp(c, s, 40000 + (i * FILES + f) % 20000, port)
        data.open()
        ctl.server(b"150 Opening BINARY mode data connection for file%d.bin (%d bytes).\r\n" % (f, SIZE))
        chunk = bytes(range(256)) * (MSS // 256 + 1)
        left = SIZE
        while left > 0:
            n = min(MSS, left)
            data.server(chunk[:n])
            left -= n
            if left % (8 * MSS) == 0:
                yield
        data.close()
        ctl.server(b"226 Transfer complete.\r\n")
        yield
    ctl.client(b"QUIT\r\n")
    ctl.server(b"221 Goodbye.\r\n")
    ctl.close()


live = []
started = 0
while started < SESSIONS or live:
    while len(live) < CONCURRENT and started < SESSIONS:
        live.append(session(started))
        started += 1
    for g in list(live):
        try:
            next(g)
        except StopIteration:
            live.remove(g)
out.close()
