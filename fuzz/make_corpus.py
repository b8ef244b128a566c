#!/usr/bin/env python3
"""Writes the committed seed corpus, fuzz/corpus/<target>/<name>.

Seeds are RFC examples and typical replies of real servers (vsftpd, ProFTPD,
Pure-FTPd, FileZilla Server, IIS), each wrapped in its target's input header
(see fuzz/src/checks.rs and fuzz/README.md). Run from anywhere:

    python3 fuzz/make_corpus.py

It rewrites the files it owns (named by the seeds below) and leaves others,
such as inputs merged from fuzzing runs, alone. The `session` and `capture`
seeds are not written here: they are committed as they were made (session
scripts in the layout `fuzz/src/session.rs` reads, capture prefixes and segment
scripts in the layout of `fuzz/src/capture.rs`).
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Reply streams, as a server sends them.

STREAMS = {
    # RFC 959 section 4.2: the multi-line example, and the 150/226 sequence.
    "rfc959-multiline": b"123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n",
    "rfc959-transfer": b"150 File status okay; about to open data connection.\r\n226 Closing data connection.\r\n",
    # RFC 2389 FEAT.
    "rfc2389-feat": b"211-Extensions supported:\r\n MLST size*;create;modify*;perm;media-type\r\n SIZE\r\n COMPRESSION\r\n MDTM\r\n211 END\r\n",
    "vsftpd-session": (
        b"220 (vsFTPd 3.0.3)\r\n331 Please specify the password.\r\n230 Login successful.\r\n"
        b"215 UNIX Type: L8\r\n211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n"
        b" SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n257 \"/home/ftp\" is the current directory\r\n"
        b"200 Switching to Binary mode.\r\n227 Entering Passive Mode (192,168,1,10,195,80).\r\n"
        b"150 Here comes the directory listing.\r\n226 Directory send OK.\r\n221 Goodbye.\r\n"
    ),
    "proftpd-session": (
        b"220 ProFTPD Server (Debian) [::ffff:127.0.0.1]\r\n331 Password required for alice\r\n"
        b"230 User alice logged in\r\n211-Features:\r\n LANG en-US*\r\n MDTM\r\n MFMT\r\n TVFS\r\n UTF8\r\n"
        b" MFF modify;UNIX.group;UNIX.mode;\r\n MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.mode*;UNIX.owner*;\r\n"
        b" REST STREAM\r\n SIZE\r\n211 End\r\n229 Entering Extended Passive Mode (|||31746|)\r\n"
        b"150 Opening ASCII mode data connection for file list\r\n226 Transfer complete\r\n"
        b"350 Restarting at 1024. Send STORE or RETRIEVE to initiate transfer\r\n221 Goodbye.\r\n"
    ),
    "pureftpd-greeting": (
        b"220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n"
        b"220-You are user number 1 of 50 allowed.\r\n220-Local time is now 10:00. Server port: 21.\r\n"
        b"220-This is a private system - No anonymous login\r\n"
        b"220 You will be disconnected after 15 minutes of inactivity.\r\n"
        b"331 User bob OK. Password required\r\n230 OK. Current directory is /\r\n"
    ),
    "filezilla-greeting": (
        b"220-FileZilla Server 0.9.60 beta\r\n220-written by Tim Kosse (tim.kosse@filezilla-project.org)\r\n"
        b"220 Please visit https://filezilla-project.org/\r\n"
    ),
    "iis-session": (
        b"220 Microsoft FTP Service\r\n331 Password required\r\n230 User logged in.\r\n"
        b"257 \"/\" is current directory.\r\n200 EPRT command successful.\r\n"
        b"125 Data connection already open; Transfer starting.\r\n226 Transfer complete.\r\n"
    ),
    "stat-listing": (
        b"213-STAT\r\n-rw-r--r--    1 0        0            1024 Jan 01 00:00 a.txt\r\n"
        b"drwxr-xr-x    2 0        0            4096 Jan 01 00:00 dir\r\n"
        b"213-not the end\r\n213\r\n"
    ),
    "help": (
        b"214-The following commands are recognized.\r\n ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT\r\n"
        b" HELP LIST MDTM MKD  MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN\r\n214 Help OK.\r\n"
    ),
    "passive-replies": (
        b"227 Entering Passive Mode (127,0,0,1,4,1).\r\n227 =127,0,0,1,4,1\r\n"
        b"228 Entering Long Passive Mode (4,4,127,0,0,1,2,4,1)\r\n"
        b"229 Entering Extended Passive Mode (|||6446|)\r\n229 Extended Passive Mode OK (!!!6446!)\r\n"
    ),
    "pathnames": b"257 \"/usr/dm\" created.\r\n257 \"/a \"\"quoted\"\" dir\" is current directory.\r\n257 \"/\"\r\n",
    "restart-markers": b"110 MARK 0 = 0\r\n110 MARK 1234 = 5678\r\n110 MARK 99 = 100\r\n",
    "protected": (
        b"631 ZmFrZSBpbnRlZ3JpdHkgcmVwbHk=\r\n632 Mjc1IE9r\r\n"
        b"631-MjExLUZlYXR1cmVzOg0K\r\n631 MjExIEVuZA0K\r\n633 \r\n"
    ),
    "auth-tls": b"234 AUTH TLS successful\r\n200 PBSZ=0\r\n200 Protection set to Private\r\n",
    "empty-text": b"220\r\n220-\r\n220\r\n200 \r\n",
    "bare-lf": b"220 ok\n331 pass\n230-a\n230 b\n",
    "telnet": b"\xff\xfb\x01220 ready\r\n550 \xff\xff file\r\n226 Tra\xff\xf1nsfer\r\n200 a\xff\xfd\nb\r\n",
    "lone-cr": b"200 a\rb\r\n211-x\r\r\n211\r\r\n211 end\r\n",
    "junk-before": b"SSH-2.0-OpenSSH_7.4\r\n\x00\x00\r\nHTTP/1.1 400 Bad Request\r\n\r\n220 ok\r\n",
    "bad-codes": b"22 x\r\n2200 x\r\n000 zero\r\n999 x\r\n10054 reset\r\n700 x\r\n220 ok\r\n",
    "other-code-end": b"220-a\r\n221 b\r\n220-c\r\n220 d\r\n",
    "no-end-line": b"200 ok\r\n220-waiting\r\nforever",
    "non-utf8": b"550 Datei \xe4 nicht gefunden\r\n550 \xc3\x28 bad\r\n",
    "queued": b"220 a\r\n331 b\r\n230-c\r\n230 d\r\n221 bye\r\n",
}

# Streams that cross small limits: line 16, reply 64 bytes, 3 lines.
SMALL_LIMIT_STREAMS = [
    "rfc959-multiline",
    "vsftpd-session",
    "pureftpd-greeting",
    "stat-listing",
    "telnet",
    "bad-codes",
    "protected",
]


def config(strict=False, telnet=True, small=None, unbounded=False):
    """The config header of checks::config."""
    flags = (1 if strict else 0) | (0 if telnet else 2)
    if small is not None:
        line, reply, lines = small
        return bytes([flags | 4, line, reply // 4, lines])
    if unbounded:
        return bytes([flags | 8])
    return bytes([flags])


def sizes(*s):
    return bytes([len(s)]) + bytes(s)


SAMPLES = os.path.join(HERE, "..", "samples")


def samples():
    """Real servers' control-connection captures (samples/*.bin), when present."""
    if not os.path.isdir(SAMPLES):
        return {}
    out = {}
    for name in sorted(os.listdir(SAMPLES)):
        if name.endswith(".bin"):
            with open(os.path.join(SAMPLES, name), "rb") as f:
                out["sample-" + name[: -len(".bin")]] = f.read()
    return out


def decode_chunks():
    out = {}
    for name, stream in samples().items():
        out[name] = config() + sizes(1) + stream
    for name, stream in STREAMS.items():
        out[name] = config() + sizes(1) + stream
    out["rfc959-multiline-strict-reads"] = config(strict=True) + sizes(7, 3, 0) + STREAMS["rfc959-multiline"]
    out["bare-lf-strict"] = config(strict=True) + sizes(2) + STREAMS["bare-lf"]
    out["telnet-off"] = config(telnet=False) + sizes(5, 1) + STREAMS["telnet"]
    out["vsftpd-unbounded"] = config(unbounded=True) + sizes(64) + STREAMS["vsftpd-session"]
    for name in SMALL_LIMIT_STREAMS:
        out[name + "-small-limits"] = config(small=(16, 64, 3)) + sizes(3, 11) + STREAMS[name]
    return out


def decode_eof():
    out = {}
    for name in [
        "rfc959-multiline",
        "vsftpd-session",
        "pureftpd-greeting",
        "telnet",
        "bad-codes",
        "other-code-end",
        "no-end-line",
        "junk-before",
        "empty-text",
        "lone-cr",
    ]:
        stream = STREAMS[name]
        for cut in (0x80, 0xFF):
            out[f"{name}-cut-{cut:02x}"] = config() + bytes([cut]) + stream
    out["no-end-line-small-limits"] = config(small=(16, 64, 3)) + b"\x80" + STREAMS["no-end-line"]
    for name, stream in samples().items():
        if name.endswith("-session"):
            out[name + "-cut-80"] = config() + b"\x80" + stream
    out["bare-lf-strict"] = config(strict=True) + b"\x40" + STREAMS["bare-lf"]
    out["truncated-telnet"] = config() + b"\xff" + b"200 ok\r\n220 a\xff"
    return out


def gen_reply(code, lines):
    """The input of checks::GenReply::read for `code` and `lines` (kind 0, no prefix)."""
    n = code - 100
    out = bytearray(struct.pack("<H", n)) + bytes([len(lines)])
    for line in lines:
        assert len(line) < 64
        out += bytes([0, len(line)]) + line
    return bytes(out)


def roundtrip():
    return {
        "single": gen_reply(220, [b"Service ready"]),
        "no-lines": gen_reply(200, []),
        "empty-line": gen_reply(200, [b""]),
        "rfc959-multiline": gen_reply(123, [b"First line", b"Second line", b"  234 A line beginning with numbers", b"The last line"]),
        "feat": gen_reply(211, [b"Features:", b" EPRT", b" EPSV", b" MDTM", b" REST STREAM", b" UTF8", b"End"]),
        "own-code-lines": gen_reply(220, [b"first", b"220 not the end", b"220", b"220-x", b"end"]),
        "other-code-lines": gen_reply(226, [b"a", b"221 b", b"226x", b"c"]),
        "iac": gen_reply(550, [b"\xff name", b"\xff\xff\xfb\x01", b"\xff"]),
        "cr": gen_reply(200, [b"a\rb", b"\r", b"c\r"]),
        "lf-refused": gen_reply(200, [b"a", b"b\nc"]),
        "non-utf8": gen_reply(550, [b"Datei \xe4 nicht gefunden"]),
        "passive": gen_reply(227, [b"Entering Passive Mode (127,0,0,1,4,1)."]),
        "pathname": gen_reply(257, [b"\"/a \"\"b\"\"\" created"]),
        "protected": gen_reply(631, [b"MjExLUZlYXR1cmVzOg0K", b"MjExIEVuZA0K"]),
        "max-lines": gen_reply(699, [b"x"] * 8),
        # Kinds 4-7 put a code in front of the line's bytes.
        "prefixed": struct.pack("<H", 120) + bytes([4, 4, 3, 5, 1, 5, 1, 0x20, 6, 2, 0x2D, 0x2D, 7, 0]),
    }


V4_PEER = bytes([0, 127, 0, 0, 1])  # peer kind 0 (IPv4), 127.0.0.1


def passive():
    out = {}
    texts = {
        0: {  # 227
            "pasv-rfc959": b"Entering Passive Mode (192,168,1,10,195,80).",
            "pasv-equals": b"=127,0,0,1,4,1",
            "pasv-no-parens": b"Entering Passive Mode 10,0,0,1,4,1",
            "pasv-256": b"Entering Passive Mode (256,0,0,1,4,1)",
            "pasv-port-zero": b"(1,2,3,4,0,0)",
            "pasv-five": b"(1,2,3,4,5)",
            "pasv-seven": b"(1,2,3,4,5,6,7)",
            "pasv-four-digits": b"(0010,0,0,1,4,1)",
            "pasv-sign": b"(-1,0,0,1,4,1)",
            "pasv-unclosed": b"(1,2,3,4,5,6",
            "pasv-reversed": b")(1,2,3,4,5,6)",
        },
        1: {  # 228
            "lpsv-v4": b"Entering Long Passive Mode (4,4,127,0,0,1,2,4,1)",
            "lpsv-v6": b"Entering Long Passive Mode (6,16,0,0,0,0,0,0,0,0,0,0,255,255,10,0,0,1,2,4,1)",
            "lpsv-bad-hal": b"(4,16,127,0,0,1,2,4,1)",
            "lpsv-family-5": b"(5,4,127,0,0,1,2,4,1)",
            "lpsv-pal-3": b"(4,4,127,0,0,1,3,1,2,3)",
        },
        2: {  # 229
            "epsv-rfc2428": b"Entering Extended Passive Mode (|||6446|)",
            "epsv-bang": b"Entering Extended Passive Mode (!!!6446!)",
            "epsv-missing-delimiter": b"(!!6446!)",
            "epsv-port-zero": b"(|||0|)",
            "epsv-port-65536": b"(|||65536|)",
            "epsv-net-fields": b"(|2|::1|6446|)",
            "epsv-mixed-delimiters": b"(|||6446!)",
            "epsv-no-paren": b"Entering Extended Passive Mode |||6446|",
        },
    }
    for mode, named in texts.items():
        for name, text in named.items():
            out[name] = bytes([mode]) + V4_PEER + text
    # Built payloads: numbers, leading zeros, parentheses, text around.
    out["built-pasv"] = bytes([3]) + V4_PEER + bytes([10, 0, 0, 7, 4, 1, 1, 2, 0, 0, 1, 2, 0, 22]) + b"Entering Passive Mode " + bytes([1]) + b"."
    out["built-lpsv-v6"] = bytes([4]) + V4_PEER + bytes([1]) + bytes(range(16)) + bytes([4, 1]) + bytes(21) + bytes([0, 0, 0])
    out["built-epsv"] = bytes([5]) + bytes([1]) + bytes(range(16)) + bytes([5]) + b"Ok: " + bytes([59]) + bytes([0x2E, 0x19, 1]) + b" ready"
    return out


def pathname():
    texts = {
        "rfc959-created": b'"/usr/dm" created.',
        "rfc959-doubled": b'"/a ""quoted"" dir" is current directory.',
        "undoubled": b'"/tmp/dir with "quotes"" is current directory.',
        "period": b'"/home".',
        "empty": b'"" is current directory',
        "no-quotes": b"is current directory",
        "unterminated": b'"/unterminated',
        "control": b'"/ctl\x01dir" created',
        "iis": b'"/" is current directory.',
        "prefix": b'MKD command successful: "/x y"',
    }
    out = {name: b"\x00" + text for name, text in texts.items()}
    out["built-quotes"] = b"\x01" + bytes([4]) + b"PWD " + bytes([9]) + b'/a"b"/c"d' + b"\x00" + b"is current"
    out["built-no-commentary"] = b"\x01" + bytes([0, 5]) + b"/\xc3\xa9t\xe9" + b"\x01"
    return out


def restart_marker():
    texts = {
        "rfc959": b"MARK 1234 = 5678",
        "zero": b"MARK 0 = 0",
        "no-spaces": b"MARK 1024=2048",
        "lowercase": b"mark 1 = 2",
        "empty-user": b"MARK  = 1",
        "trailing": b"MARK a = b c",
        "trailing-space": b"MARK a = b ",
        "hex": b"MARK 0x1F = block-7",
    }
    out = {name: b"\x00" + text for name, text in texts.items()}
    out["built"] = b"\x01" + bytes([4]) + b"1024" + b"2048"
    return out


def b64(data):
    import base64
    return base64.b64encode(data)


def protected():
    out = {}
    # Mode 0: [0, code, refuse, k, sizes (k-1), plaintext].
    def built(name, code_sel, sizes, plain, refuse=0xFF, mode=0):
        out[name] = bytes([mode, code_sel, refuse, len(sizes) + 1]) + bytes(s - 1 for s in sizes) + plain
    built("single", 0, [], b"200 OK\r\n")
    built("two-lines", 1, [11], b"250-First\r\n250 Done\r\n")
    built("feat-three-lines", 2, [10, 7], b"211-Features:\r\n UTF8\r\n211 End\r\n")
    built("no-final-crlf", 0, [], b"250 Done")
    built("inner-invalid", 0, [], b"xyz")
    built("inner-two-replies", 1, [4], b"200 a\r\n200 b\r\n")
    built("inner-truncated", 2, [], b"220-never ends\r\n")
    built("refused-second", 0, [3, 3], b"220-a\r\n220 b\r\n", refuse=1)
    built("mutated", 0, [5], b"200 OK\r\n\x02\x03\x21", mode=1)
    # Mode 2: arbitrary lines.
    raw = {
        "raw-single": b"631 MjAwIE9LDQo=",
        "raw-multi": b"631-MjUwLUZpcnN0DQo=\r\n631 MjUwIERvbmUNCg==",
        "raw-bad-alphabet": b"632 !!!!",
        "raw-empty": b"633 ",
        "raw-padding-inside": b"631-ab==\n631 abcd",
        "raw-code-mismatch": b"631-MjAw\n632 MjAw",
        "raw-after-final": b"631 MjAw\n631 MjAw",
        "raw-no-final": b"631-MjAw",
        "raw-short": b"631 MjA",
        "raw-trailing-bits": b"631 MjB=",
        "raw-not-63z": b"200 MjAw",
    }
    for name, lines in raw.items():
        out[name] = bytes([2, 0, 0xFF]) + lines
    return out


def facts():
    # Mode 0: an MLSD listing, each line checked against the reference.
    listings = {
        "rfc3659-tmp": (
            b"Type=cdir;Modify=19981107085215;Perm=el; tmp\r\n"
            b"Type=pdir;Modify=19990112030508;Perm=el; ..\r\n"
            b"Type=file;Size=25730;Modify=19940728095854;Perm=; capmux.tar.z\r\n"
        ),
        "rfc3659-os-types": (
            b"Type=OS.unix=slink:/foobar;Perm=;Unique=keVO1+4G4; foobar\r\n"
            b"Type=OS.unix=chr-13/29;Perm=;Unique=keVO1+5G4; device\r\n"
            b"Type=file;Perm=r;Unique=keVO1+IH4;  leading space\r\n"
        ),
        "proftpd": (
            b"modify=20240102030405;perm=adfrw;size=0;type=file;unique=FE00U51A034;UNIX.group=1001;"
            b"UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; semi;colon\r\n"
        ),
        "pure-ftpd": (
            b"type=cdir;sizd=4096;modify=20240102030405;UNIX.mode=0755;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g51a03b; .\r\n"
            b"type=file;size=0;modify=20240102030405;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g51a041; latin1-\xe9\r\n"
        ),
        "pyftpdlib": b"modify=20240102030405.5;perm=eldfmMTcp;size=4096;type=dir;unique=fe00g51a02e; a=b;c=d; e\n",
        "no-facts": b" just a name\r\n  two\r\n",
        "malformed": (
            b"type=file name\r\nsize=-1; a\r\nmodify=20230229000000; b\r\n"
            b"type=file;TYPE=dir; c\r\nno space\r\n\r\ntype=file; \r\nx=y;=z; d"
        ),
        "big-size": b"size=18446744073709551615; max\r\nsize=18446744073709551616; over\r\n",
    }
    out = {name: b"\x00" + text for name, text in listings.items()}
    # Modes 1 (raw) and 2 (delimiters replaced): a fact count, then per fact a
    # selector (< 64: a standard name), name bytes, a value length and value;
    # the rest is the pathname.
    out["built-standard"] = b"\x02" + bytes([3, 0]) + bytes([4]) + b"file" + bytes([1, 4]) + b"8192" + bytes([2, 14]) + b"20240102030405" + b"a name; x=y"
    out["built-raw"] = b"\x01" + bytes([2, 64 + 3]) + b"a=b" + bytes([3]) + b"x y" + bytes([65]) + b"c" + bytes([0]) + b"p\r"
    return out


def write(target, files):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("decode_chunks", decode_chunks())
    write("decode_eof", decode_eof())
    write("roundtrip", roundtrip())
    write("passive", passive())
    write("pathname", pathname())
    write("restart_marker", restart_marker())
    write("protected", protected())
    write("facts", facts())
