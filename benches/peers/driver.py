#!/usr/bin/env python3
"""Runs every peer on the corpora, checks their counts and writes the table.

    driver.py [--reps N] [--out DIR]

Expects the corpora (gen_corpus.py) in DIR and the runners built (run.sh does
both). Each runner prints `NAME BYTES COUNT SECONDS` per repetition; the table
gives the median. Exits 1 if a peer's count differs from what it must be.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUST_BIN = os.path.join(HERE, "rust", "target", "release", "ftp-reply-peers")
GO_BIN = os.path.join(HERE, "go", "textproto-runner")
NODE_RUNNER = os.path.join(HERE, "node", "runner.mjs")
PY_RUNNER = os.path.join(HERE, "python", "ftplib_runner.py")

REFERENCE = "ftp-reply/whole"
DRIP_SIZES = [64 << 10, 256 << 10, 1 << 20]  # as in the Rust runner
CORPORA = ["mixed", "short"]

# (name, language, what is measured, counts, command(file, reps)).
# counts: "replies" must equal the reply count; "lines" (the floors) the line count.
RUNNERS = [
    ("ftp-reply/whole", "Rust", "this crate: whole file in one BytesMut", "replies",
     lambda f, r: [RUST_BIN, "bench", "ftp-reply/whole", f, r]),
    ("ftp-reply/borrowed", "Rust", "this crate: ReplyDecoder::replies over the whole file (borrowed)", "replies",
     lambda f, r: [RUST_BIN, "bench", "ftp-reply/borrowed", f, r]),
    ("ftp-reply/4k", "Rust", "this crate: 4 KiB appended at a time", "replies",
     lambda f, r: [RUST_BIN, "bench", "ftp-reply/4k", f, r]),
    ("ftp-reply/loopback", "Rust", "this crate: 8 KiB reads from a loopback socket", "replies",
     lambda f, r: [RUST_BIN, "bench", "ftp-reply/loopback", f, r]),
    ("memchr/lines", "Rust", "floor: memchr_iter over LF (lines)", "lines",
     lambda f, r: [RUST_BIN, "bench", "memchr/lines", f, r]),
    ("loopback/lines", "Rust", "floor: BufReader<TcpStream>::read_until (lines)", "lines",
     lambda f, r: [RUST_BIN, "bench", "loopback/lines", f, r]),
    ("libftp/whole", "Rust", "libftp parse_reply over the whole file", "replies",
     lambda f, r: [RUST_BIN, "bench", "libftp/whole", f, r]),
    ("libftp/4k", "Rust", "libftp parse_reply, 4 KiB appended at a time", "replies",
     lambda f, r: [RUST_BIN, "bench", "libftp/4k", f, r]),
    ("suppaftp/loopback", "Rust", "suppaftp FtpStream over a loopback socket", "replies",
     lambda f, r: [RUST_BIN, "bench", "suppaftp/loopback", f, r]),
    ("go-textproto/bufio", "Go", "net/textproto ReadResponse(0), bufio 4 KiB", "replies",
     lambda f, r: [GO_BIN, f, r]),
    ("node-basic-ftp/whole", "Node", "parseControlResponse: decode + parse, one call", "replies",
     lambda f, r: ["node", NODE_RUNNER, "whole", f, r]),
    ("node-basic-ftp/whole-text", "Node", "parseControlResponse: parse only, one call", "replies",
     lambda f, r: ["node", NODE_RUNNER, "whole-text", f, r]),
    ("node-basic-ftp/4k-lines", "Node", "parseControlResponse: line-aligned <=4 KiB reads, rest carried", "replies",
     lambda f, r: ["node", NODE_RUNNER, "4k-lines", f, r]),
    ("python-ftplib/textio-latin1", "Python", "ftplib getmultiline, TextIOWrapper latin-1", "replies",
     lambda f, r: [sys.executable, PY_RUNNER, "textio-latin1", f, r]),
    ("python-ftplib/textio-utf8", "Python", "ftplib getmultiline, TextIOWrapper utf-8", "replies",
     lambda f, r: [sys.executable, PY_RUNNER, "textio-utf8", f, r]),
    ("python-ftplib/stringio", "Python", "ftplib getmultiline, StringIO (pre-decoded)", "replies",
     lambda f, r: [sys.executable, PY_RUNNER, "stringio", f, r]),
]

# Run once for their count only: known, documented differences (README.md).
COUNT_NOTES = [
    ("node-basic-ftp/4k-raw",
     "basic-ftp fed plain 4 KiB pieces cut anywhere: it assumes a read ends at a line end",
     lambda f: ["node", NODE_RUNNER, "4k-raw", f, "1"]),
]


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": sh(["nproc"]), "cpu": model, "kernel": platform.release()}


def lock_version(name):
    try:
        with open(os.path.join(HERE, "rust", "Cargo.lock")) as f:
            text = f.read()
    except OSError:
        return "?"
    m = re.search(r'name = "%s"\nversion = "([^"]+)"' % re.escape(name), text)
    return m.group(1) if m else "?"


def versions():
    basic_ftp = "?"
    try:
        with open(os.path.join(HERE, "node", "node_modules", "basic-ftp", "package.json")) as f:
            basic_ftp = json.load(f)["version"]
    except OSError:
        pass
    commit = sh(["git", "-C", HERE, "rev-parse", "--short", "HEAD"])
    return {
        "ftp-reply": f"{lock_version('ftp-reply')} (commit {commit})",
        "rustc": sh(["rustc", "--version"]),
        "libftp": lock_version("libftp"),
        "suppaftp": lock_version("suppaftp"),
        "memchr": lock_version("memchr"),
        "go": sh(["go", "version"]),
        "node": sh(["node", "--version"]),
        "basic-ftp": basic_ftp,
        "python": platform.python_version(),
    }


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def drip_instructions():
    """Instructions per drip feed, counted by callgrind: size -> {mode: (bytes, Ir)}.

    Unlike the clock, the count does not depend on what else the machine is
    doing. Empty when valgrind is not installed.
    """
    if shutil.which("valgrind") is None:
        return {}
    out = {}
    for size in DRIP_SIZES:
        for mode, func in (("whole", "feed_whole"), ("byte", "feed_bytes")):
            stdout, ir = callgrind(func, ["drip-once", size, mode])
            out.setdefault(size, {})[mode] = (int(stdout.split()[0]), ir)
    return out


# In-memory Rust runners whose decode loop callgrind can count on its own.
COUNTED = ["ftp-reply/whole", "ftp-reply/borrowed", "ftp-reply/4k", "memchr/lines", "libftp/whole", "libftp/4k"]


def callgrind(func, args):
    """Instructions executed inside ftp_reply_peers::FUNC while running the Rust runner."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
           f"--toggle-collect=ftp_reply_peers::{func}", RUST_BIN] + [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not m:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return proc.stdout, int(m.group(1))


def loop_instructions(out_dir):
    """Instructions in each COUNTED runner's decode loop: corpus -> name -> Ir.

    The runner names its timed loop after the peer (ftp-reply/whole is
    ftp_reply_whole_loop). Empty when valgrind is not installed.
    """
    if shutil.which("valgrind") is None:
        return {}
    out = {}
    for corpus in CORPORA:
        for name in COUNTED:
            func = re.sub(r"[-/]", "_", name) + "_loop"
            _, ir = callgrind(func, ["bench", name, os.path.join(out_dir, corpus + ".txt"), 1])
            out.setdefault(corpus, {})[name] = ir
    return out


def run_lines(cmd):
    """Runs a runner; returns its output lines split into fields."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr}")
    return [line.split() for line in proc.stdout.splitlines() if line.strip()]


def fmt_int(n):
    return f"{n:,.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    args = ap.parse_args()

    metas = {}
    for c in CORPORA:
        with open(os.path.join(args.out, c + ".txt.json")) as f:
            metas[c] = json.load(f)

    load_before = loadavg()
    results = {c: {} for c in CORPORA}  # corpus -> name -> (bytes, count, [seconds])
    allocs = {c: {} for c in CORPORA}  # corpus -> name -> (allocations, count)
    # Rounds: every peer once per round, so that a change in the machine's load
    # during the run falls on all peers alike. Each run does one untimed warm-up
    # repetition (JIT, caches, page faults) and one timed repetition.
    for rnd in range(args.reps):
        print(f"  round {rnd + 1}/{args.reps}", file=sys.stderr, flush=True)
        for corpus in CORPORA:
            path = os.path.join(args.out, corpus + ".txt")
            for name, _, _, _, cmd in RUNNERS:
                lines = []
                for fields in run_lines(cmd(path, 2)):
                    if fields[0] == "alloc":
                        allocs[corpus][fields[1]] = (int(fields[2]), int(fields[3]))
                    elif fields[0] == name:
                        lines.append(fields)
                    else:
                        raise RuntimeError(f"{name}: unexpected output line {' '.join(fields)}")
                if len(lines) != 2 or lines[0][2] != lines[1][2]:
                    raise RuntimeError(f"{name} on {corpus}: unexpected output {lines}")
                size, count, seconds = int(lines[1][1]), int(lines[1][2]), float(lines[1][3])
                prev = results[corpus].setdefault(name, (size, count, []))
                if prev[1] != count:
                    raise RuntimeError(f"{name} on {corpus}: count changed from {prev[1]} to {count}")
                prev[2].append(seconds)
    load_after = loadavg()

    print("  drip ...", file=sys.stderr, flush=True)
    drip = {}
    for fields in run_lines([RUST_BIN, "drip", args.reps]):
        drip.setdefault(int(fields[1]), {})[fields[2]] = float(fields[3])
    print("  callgrind ...", file=sys.stderr, flush=True)
    drip_ir = drip_instructions()
    loop_ir = loop_instructions(args.out)

    notes = []
    for name, why, cmd in COUNT_NOTES:
        for corpus in CORPORA:
            fields = run_lines(cmd(os.path.join(args.out, corpus + ".txt")))[0]
            notes.append((name, corpus, int(fields[2]), metas[corpus]["replies"], why))

    # Count checks: every reply reader must find the replies the generator wrote,
    # the same number this crate finds; the floors must find every line.
    failures = []
    for corpus in CORPORA:
        meta = metas[corpus]
        ours = results[corpus][REFERENCE][1]
        for name, _, _, counts, _ in RUNNERS:
            size, count, _ = results[corpus][name]
            want = meta["replies"] if counts == "replies" else meta["lines"]
            if size != meta["bytes"] or count != want:
                failures.append(f"{name} on {corpus}.txt: {count} {counts}, expected {want} (bytes {size})")
            elif counts == "replies" and count != ours:
                failures.append(f"{name} on {corpus}.txt: {count} replies, {REFERENCE} found {ours}")

    m = machine()
    v = versions()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = []
    out.append("# ftp-reply peer benchmark results")
    out.append("")
    out.append(f"- Date: {now}")
    out.append(f"- Machine: {m['nproc']} cores, {m['cpu']}, Linux {m['kernel']}")
    out.append(f"- Load average (1, 5, 15 min) before the runs: {load_before}; after: {load_after}")
    out.append(f"- Repetitions: {args.reps} rounds; in each, every peer runs once per corpus (an untimed "
               "warm-up pass, then a timed one); the median of the timed passes is shown")
    out.append("- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()))
    out.append("- MB/s is 10^6 bytes per second. The ratio is the peer's throughput over "
               f"`{REFERENCE}`'s on the same corpus (above 1 is faster).")
    out.append("")
    for corpus in CORPORA:
        meta = metas[corpus]
        ref = statistics.median(results[corpus][REFERENCE][2])
        out.append(f"## {corpus}.txt: {meta['bytes'] / 1e6:.1f} MB, {fmt_int(meta['replies'])} replies, "
                   f"{fmt_int(meta['lines'])} lines ({fmt_int(meta['multiline_replies'])} multi-line replies)")
        out.append("")
        out.append("| peer | lang | what | MB/s | replies/s | vs ftp-reply/whole | median s | count |")
        out.append("|---|---|---|---:|---:|---:|---:|---|")
        for name, lang, what, counts, _ in RUNNERS:
            size, count, times = results[corpus][name]
            med = statistics.median(times)
            want = meta["replies"] if counts == "replies" else meta["lines"]
            ok = "ok" if count == want and (counts != "replies" or count == results[corpus][REFERENCE][1]) \
                else "**MISMATCH**"
            check = f"{fmt_int(count)} {counts} {ok}"
            rps = fmt_int(meta["replies"] / med)
            out.append(f"| {name} | {lang} | {what} | {size / med / 1e6:,.1f} | {rps} | "
                       f"{ref / med:.3f} | {med:.4f} | {check} |")
        out.append("")

    out.append("## Instructions (callgrind), in-memory Rust runners")
    out.append("")
    if loop_ir:
        out.append("| runner | " + " | ".join(f"{c}.txt instructions/byte | per reply | vs ftp-reply/whole"
                                             for c in CORPORA) + " |")
        out.append("|---|" + "---:|---:|---:|" * len(CORPORA))
        for name in COUNTED:
            cells = []
            for c in CORPORA:
                ir = loop_ir[c][name]
                cells += [f"{ir / metas[c]['bytes']:.2f}", f"{ir / metas[c]['replies']:.0f}",
                          f"{loop_ir[c][REFERENCE] / ir:.3f}"]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
        out.append("Instructions executed in the timed loop alone (`valgrind --tool=callgrind "
                   "--toggle-collect`), one pass over each corpus. Unlike the times, these counts do not "
                   "depend on the machine's load; the ratio is ftp-reply/whole's count over the runner's "
                   "(above 1: fewer instructions than this crate).")
    else:
        out.append("valgrind was not installed: not counted.")
    out.append("")

    out.append("## Heap allocations per reply (Rust runners, counting global allocator)")
    out.append("")
    out.append("| runner | " + " | ".join(f"{c}.txt allocations | per reply" for c in CORPORA) + " |")
    out.append("|---|" + "---:|---:|" * len(CORPORA))
    for name, _, _, counts, _ in RUNNERS:
        if name not in allocs[CORPORA[0]]:
            continue
        cells = []
        for c in CORPORA:
            n, _ = allocs[c][name]
            per = n / metas[c]["replies"]
            cells += [fmt_int(n), f"{per:.5f}"]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Allocations (alloc, alloc_zeroed and realloc calls, in any thread) made during the timed span "
               "of the last repetition, over the corpus's reply count: the same span the clock measures, so "
               "filling the whole-buffer runner's buffer is not in it, but the 4 KiB and loopback runners' "
               "buffer growth is. The loopback runners' span includes their server threads.")
    out.append("")

    out.append("## One multi-line reply fed a byte at a time (this crate)")
    out.append("")
    out.append("| reply bytes | whole: ns/byte | byte at a time: ns/byte | byte / whole (time) "
               "| whole: instructions/byte | byte at a time: instructions/byte | byte / whole (instructions) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for size in sorted(drip):
        w = drip[size]["whole"] / size * 1e9
        b = drip[size]["byte"] / size * 1e9
        cells = [fmt_int(size), f"{w:.3f}", f"{b:.2f}", f"{b / w:.1f}"]
        ir = drip_ir.get(next((k for k in drip_ir if drip_ir[k]["whole"][0] == size), None))
        if ir:
            wi = ir["whole"][1] / size
            bi = ir["byte"][1] / size
            cells += [f"{wi:.2f}", f"{bi:.1f}", f"{bi / wi:.1f}"]
        else:
            cells += ["-", "-", "-"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("A STAT listing (`213-` ... `213 `) decoded once from one buffer, and once with a `decode` "
               "call after each byte appended (buffer capacity reserved up front). Times are medians of "
               f"{args.reps} (byte at a time) and {args.reps * 10} (whole) runs; instructions are counted by "
               "`valgrind --tool=callgrind` around the feed function alone"
               + ("" if drip_ir else " (valgrind was not installed: not counted)") + ".")
    out.append("")

    out.append("## Count checks")
    out.append("")
    if failures:
        out.append("**FAILED:**")
        out += [f"- {f}" for f in failures]
    else:
        out.append("Every reply reader found exactly the replies the generator wrote, and every floor "
                   "exactly its lines.")
    for name, corpus, count, want, why in notes:
        out.append(f"- Not in the table: {name} on {corpus}.txt found {fmt_int(count)} replies of "
                   f"{fmt_int(want)} ({why}).")
    out.append("")

    text = "\n".join(out)
    print(text)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    if failures:
        print("count mismatch: see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
