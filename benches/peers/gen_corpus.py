#!/usr/bin/env python3
"""Writes the peer benchmark's corpora: server-to-client FTP control traffic.

    gen_corpus.py OUT_DIR [--mixed-mib N] [--short-mib N]

Deterministic: the same arguments give the same bytes (a fixed seed, no clock).

- mixed.txt: whole sessions as real servers answer them: multi-line greetings
  (pure-ftpd's five-line 220), login, SYST, FEAT (lines that start with a
  space), PWD/TYPE, then operations: CWD, PASV/EPSV with 150/226 pairs
  (pure-ftpd's two-line 226 among them), SIZE/MDTM, STAT of a directory (a
  213- reply with hundreds of `ls -l` lines), STAT of the session (211-),
  HELP (vsftpd's indented lines, ProFTPD's `214-` lines), errors (425, 450,
  530, 550), QUIT.
- short.txt: only short single-line replies, after a one-line 220 greeting
  (suppaftp's client will not start without one).

Each file gets a `.json` beside it with its size and its reply and line
counts, so a decoder's count can be checked against what was written.

Every peer in the benchmark must count the same replies, so the corpus keeps
away from the constructs on which they legitimately differ (see README.md):

- no reply that is a code alone (`220\\r\\n`): suppaftp, Go's textproto and
  libftp want a separator after the code;
- inside a multi-line reply, no line that starts with three digits and a space
  (suppaftp ends a reply at any such line, for glFTPd), and no line that starts
  with the reply's own code followed by anything but `-` (ftplib ends it there);
- every reply under 64 KiB (basic-ftp's limit on a buffered response) and so
  under suppaftp's 256 KiB;
- CRLF only, no blank line (basic-ftp drops blank lines), no lone CR, no 0xFF
  byte (this crate reads the connection as Telnet NVT; the others do not).
"""

import argparse
import json
import os
import random

SEED = 959
CRLF = "\r\n"

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WORDS = (
    "backup report invoice photo data release notes draft archive config "
    "readme index build log export import summary budget slides thesis "
    "music video scan upload mirror ubuntu debian kernel patch source "
    "docs assets images fonts vendor public private www html cgi-bin"
).split()
EXTS = ["txt", "tar.gz", "zip", "pdf", "jpg", "png", "iso", "csv", "log", "html", "c", "py", "md", "sql", "bak", ""]
USERS = ["ftp", "www-data", "alice", "bob", "1000", "root", "backup", "deploy"]
# A few names with UTF-8 letters, as servers send them.
UTF8_NAMES = ["résumé.pdf", "Übersicht.xlsx", "año-2023.csv", "café menu.txt", "naïve.md"]


# How often a session issues each command (relative weights). STAT of a
# directory is rare but long: with these weights its listings are roughly two
# thirds of the mixed corpus's bytes, and short replies most of its replies.
OPERATIONS = ["cwd", "transfer", "size", "mdtm", "stat-dir", "stat", "help", "noop", "mkd", "dele", "rename", "type"]
OPERATION_WEIGHTS = [180, 320, 120, 80, 6, 25, 20, 70, 40, 40, 30, 30]


class Session:
    """Builds replies; each reply is a list of complete lines (without CRLF)."""

    def __init__(self, rng):
        self.rng = rng
        self.cwd = "/"

    def name(self):
        r = self.rng
        if r.random() < 0.01:
            return r.choice(UTF8_NAMES)
        base = r.choice(WORDS)
        if r.random() < 0.5:
            base += r.choice(["-", "_", "."]) + r.choice(WORDS)
        if r.random() < 0.4:
            base += "-" + str(r.randint(1, 2024))
        ext = r.choice(EXTS)
        return base + ("." + ext if ext else "")

    def path(self):
        depth = self.rng.randint(1, 4)
        return "/" + "/".join(self.rng.choice(WORDS) for _ in range(depth))

    def ls_line(self):
        r = self.rng
        is_dir = r.random() < 0.2
        if is_dir:
            perms = r.choice(["drwxr-xr-x", "drwxrwxr-x", "drwx------", "drwxr-sr-x"])
            links, size = r.randint(2, 40), 4096
        elif r.random() < 0.03:
            perms, links, size = "lrwxrwxrwx", 1, r.randint(5, 60)
        else:
            perms = r.choice(["-rw-r--r--", "-rw-rw-r--", "-rwxr-xr-x", "-rw-------"])
            links = 1
            size = int(r.lognormvariate(9, 2.5)) % 10_000_000_000
        owner = r.choice(USERS)
        group = r.choice(USERS)
        month = r.choice(MONTHS)
        day = r.randint(1, 28)
        when = f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}" if r.random() < 0.6 else str(r.randint(1998, 2024))
        name = self.name()
        if perms[0] == "l":
            name += " -> " + self.path()
        return f"{perms} {links:>4} {owner:<8} {group:<8} {size:>12} {month} {day:>2} {when:>5} {name}"

    # --- replies -----------------------------------------------------------

    def greeting(self):
        r = self.rng
        kind = r.random()
        if kind < 0.6:
            return [
                "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------",
                f"220-You are user number {r.randint(1, 50)} of 50 allowed.",
                f"220-Local time is now {r.randint(0, 23):02d}:{r.randint(0, 59):02d}. Server port: 21.",
                "220-This is a private system - No anonymous login",
                f"220 You will be disconnected after {r.choice([5, 15, 30])} minutes of inactivity.",
            ]
        if kind < 0.85:
            return ["220 (vsFTPd 3.0.3)"]
        return [f"220 ProFTPD Server (Debian) [::ffff:10.0.{r.randint(0, 255)}.{r.randint(1, 254)}]"]

    def feat(self):
        feats = [
            "EPRT", "IDLE", "MDTM", "SIZE", "MFMT", "REST STREAM",
            "MLST type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;",
            "MLSD", "AUTH TLS", "PBSZ", "PROT", "UTF8", "TVFS", "ESTA", "PASV", "EPSV", "ESTP",
        ]
        n = self.rng.randint(8, len(feats))
        return ["211-Extensions supported:"] + [" " + f for f in feats[:n]] + ["211 End."]

    def help(self):
        if self.rng.random() < 0.5:
            return [
                "214-The following commands are recognized.",
                " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD",
                " MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR",
                " RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD",
                " XPWD XRMD",
                "214 Help OK.",
            ]
        return [
            "214-The following commands are recognized (* =>'s unimplemented):",
            "214-CWD     XCWD    CDUP    XCUP    SMNT*   QUIT    PORT    PASV    ",
            "214-EPRT    EPSV    ALLO*   RNFR    RNTO    DELE    MDTM    RMD     ",
            "214-XRMD    MKD     XMKD    PWD     XPWD    SIZE    SYST    HELP    ",
            "214-NOOP    FEAT    OPTS    HOST    CLNT    AUTH*   CCC*    CONF*   ",
            "214-ENC*    MIC*    PBSZ*   PROT*   TYPE    STRU    MODE    RETR    ",
            "214-STOR    STOU    APPE    REST    ABOR    USER    PASS    ACCT*   ",
            "214-REIN*   LIST    NLST    STAT    SITE    MLSD    MLST    ",
            "214 Direct comments to ftpadmin@example.org",
        ]

    def stat_dir(self):
        r = self.rng
        lines = ["213-Status follows:"]
        if r.random() < 0.5:
            lines.append(f"total {r.randint(100, 99999)}")
        n = r.randint(150, 650)
        lines += [self.ls_line() for _ in range(n)]
        lines.append("213 End of status")
        return lines

    def stat_session(self):
        r = self.rng
        return [
            "211-FTP server status:",
            f"     Connected to ::ffff:10.0.{r.randint(0, 255)}.{r.randint(1, 254)}",
            "     Logged in as ftpuser",
            "     TYPE: BINARY",
            "     No session bandwidth limit",
            f"     Session timeout in seconds is {r.choice([300, 600, 900])}",
            "     Control connection is plain text",
            "     Data connections will be plain text",
            f"     At session startup, client count was {r.randint(1, 40)}",
            "     vsFTPd 3.0.3 - secure, fast, stable",
            "211 End of status",
        ]

    def pasv(self):
        r = self.rng
        if r.random() < 0.5:
            p = r.randint(30000, 65000)
            return [f"227 Entering Passive Mode (10,0,{r.randint(0, 255)},{r.randint(1, 254)},{p >> 8},{p & 255})."]
        return [f"229 Entering Extended Passive Mode (|||{r.randint(30000, 65000)}|)"]

    def transfer(self):
        """A data command: 150 then 226, or an error."""
        r = self.rng
        x = r.random()
        if x < 0.05:
            return [["425 Can't open data connection."]]
        if x < 0.09:
            return [["450 Requested file action not taken: file busy."]]
        if x < 0.16:
            return [[f"550 Failed to open file: {self.name()}: No such file or directory"]]
        cmd = r.choice(["list", "retr", "stor"])
        if cmd == "list":
            opening = "150 Here comes the directory listing."
        elif cmd == "retr":
            opening = f"150 Opening BINARY mode data connection for {self.name()} ({r.randint(0, 10**9)} bytes)."
        else:
            opening = "150 Ok to send data."
        if r.random() < 0.3:
            done = ["226-Options: -a -l", f"226 {r.randint(0, 500)} matches total"]
        else:
            done = [r.choice(["226 Transfer complete.", "226 Directory send OK.", "226 Closing data connection."])]
        return [[opening], done]

    def operation(self):
        """One client command's replies, drawn by OPERATION_WEIGHTS."""
        r = self.rng
        op = r.choices(OPERATIONS, OPERATION_WEIGHTS)[0]
        if op == "cwd":
            if r.random() < 0.85:
                self.cwd = self.path()
                return [[f"250 OK. Current directory is {self.cwd}"]]
            return [[f"550 Can't change directory to {self.name()}: No such file or directory"]]
        if op == "transfer":
            return [self.pasv()] + self.transfer()
        if op == "size":
            if r.random() < 0.8:
                return [[f"213 {r.randint(0, 10**10)}"]]
            return [["550 Could not get file size."]]
        if op == "mdtm":
            return [[f"213 {r.randint(1998, 2024)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
                     f"{r.randint(0, 23):02d}{r.randint(0, 59):02d}{r.randint(0, 59):02d}"]]
        if op == "stat-dir":
            return [self.stat_dir()]
        if op == "stat":
            return [self.stat_session()]
        if op == "help":
            return [self.help()]
        if op == "noop":
            return [["200 NOOP ok."]]
        if op == "mkd":
            return [[f'257 "{self.path()}" created']]
        if op == "dele":
            return [["250 Deleted " + self.name()]]
        if op == "rename":
            return [["350 RNFR accepted - file exists, ready for destination"], ["250 File successfully renamed or moved"]]
        return [["200 TYPE is now 8-bit binary"]]

    def session(self):
        r = self.rng
        replies = [self.greeting()]
        if r.random() < 0.1:
            replies += [["331 User alice OK. Password required"], ["530 Login authentication failed"]]
        replies += [["331 Please specify the password."], ["230 Login successful."]]
        if r.random() < 0.5:
            replies.append(["215 UNIX Type: L8"])
        if r.random() < 0.6:
            replies.append(self.feat())
        replies.append([f'257 "{self.cwd}" is your current location'])
        replies.append(["200 TYPE is now 8-bit binary"])
        for _ in range(r.randint(5, 40)):
            replies += self.operation()
        if r.random() < 0.1:
            replies.append(["421 Timeout."])
        else:
            replies.append(["221 Goodbye."])
        return replies

    def short_reply(self):
        r = self.rng
        x = r.random()
        if x < 0.15:
            return self.pasv()
        choices = [
            "200 NOOP ok.",
            "200 TYPE is now 8-bit binary",
            "150 Here comes the directory listing.",
            "226 Transfer complete.",
            "250 OK. Current directory is /pub",
            "331 Please specify the password.",
            "230 Login successful.",
            f"213 {r.randint(0, 10**9)}",
            "550 Failed to open file.",
            "425 Can't open data connection.",
            "450 Requested file action not taken.",
            "530 Login incorrect.",
            "221 Goodbye.",
            '257 "/home/ftp" is the current directory',
        ]
        return [r.choice(choices)]


def check_reply(lines):
    """Enforces the corpus rules in the module doc."""
    first = lines[0]
    code = first[:3]
    assert code.isdigit() and first[3:4] in (" ", "-") and len(first) >= 5, first
    if len(lines) > 1:
        assert first[3] == "-" and lines[-1].startswith(code + " "), lines[-1]
        for mid in lines[1:-1]:
            assert mid.strip(), "blank line"
            assert not (mid[:3].isdigit() and mid[3:4] == " "), mid
            assert not (mid[:3] == code and mid[3:4] != "-"), mid
    else:
        assert first[3] == " ", first
    for line in lines:
        assert "\r" not in line and "\n" not in line and "\xff" not in line, line


def write_corpus(path, target, make_replies):
    written = 0
    replies = 0
    lines = 0
    multiline = 0
    multiline_bytes = 0
    largest = 0
    with open(path, "wb") as f:
        while written < target:
            for reply in make_replies():
                check_reply(reply)
                data = (CRLF.join(reply) + CRLF).encode("utf-8")
                assert len(data) < 60 * 1024, len(data)
                f.write(data)
                written += len(data)
                replies += 1
                lines += len(reply)
                multiline += len(reply) > 1
                multiline_bytes += len(data) if len(reply) > 1 else 0
                largest = max(largest, len(data))
    meta = {
        "file": os.path.basename(path),
        "bytes": written,
        "replies": replies,
        "lines": lines,
        "multiline_replies": multiline,
        "multiline_bytes": multiline_bytes,
        "largest_reply_bytes": largest,
        "seed": SEED,
    }
    with open(path + ".json", "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--mixed-mib", type=float, default=32)
    ap.add_argument("--short-mib", type=float, default=16)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    s = Session(random.Random(SEED))
    m = write_corpus(os.path.join(args.out_dir, "mixed.txt"), int(args.mixed_mib * 2**20), s.session)
    t = Session(random.Random(SEED + 1))
    started = []

    def short():
        if not started:
            started.append(True)
            return [["220 (vsFTPd 3.0.3)"], t.short_reply()]
        return [t.short_reply()]

    sh = write_corpus(os.path.join(args.out_dir, "short.txt"), int(args.short_mib * 2**20), short)
    for meta in (m, sh):
        print(f"{meta['file']}: {meta['bytes']} bytes, {meta['replies']} replies, {meta['lines']} lines, "
              f"{meta['multiline_replies']} multi-line ({meta['multiline_bytes']} bytes), largest reply {meta['largest_reply_bytes']} bytes")


if __name__ == "__main__":
    main()
