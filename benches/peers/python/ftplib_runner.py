#!/usr/bin/env python3
"""CPython's ftplib reply reader, driven over the corpus held in memory.

    ftplib_runner.py MODE FILE REPS

ftplib reads replies with FTP.getmultiline(), which calls
self.file.readline(self.maxline + 1) on the text file that FTP.connect() makes
with sock.makefile('r', encoding=self.encoding): a TextIOWrapper with universal
newlines over a buffered binary stream. Here FTP() is created without
connecting and .file is set to the same kind of object over the corpus bytes.

MODE:
  textio-latin1  TextIOWrapper(BytesIO(data), 'latin-1', newline=None): decoding
                 as it reads, as ftplib did before Python 3.9 (latin-1)
  textio-utf8    the same with 'utf-8', FTP()'s default encoding since 3.9
  stringio       StringIO of the text decoded beforehand (latin-1): the reply
                 reading alone, without the decoding

Prints one line per repetition: NAME BYTES REPLIES SECONDS. Only the
getmultiline() loop (and, for textio, making the wrapper) is timed.
"""

import ftplib
import io
import sys
import time


def run(mode, data):
    ftp = ftplib.FTP()  # never connected: only its reply reader is used
    if mode == "stringio":
        text = data.decode("latin-1")
        start = time.perf_counter()
        ftp.file = io.StringIO(text)
    else:
        encoding = {"textio-latin1": "latin-1", "textio-utf8": "utf-8"}[mode]
        start = time.perf_counter()
        ftp.file = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=None)
    getmultiline = ftp.getmultiline
    count = 0
    try:
        while True:
            getmultiline()
            count += 1
    except EOFError:
        pass
    return count, time.perf_counter() - start


def main():
    mode, path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, "rb") as f:
        data = f.read()
    for _ in range(reps):
        count, seconds = run(mode, data)
        print(f"python-ftplib/{mode} {len(data)} {count} {seconds:.9f}", flush=True)


if __name__ == "__main__":
    main()
