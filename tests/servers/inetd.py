"""A minimal inetd for one inetd-style FTP server, for scripts/ftp-servers.sh.

Listens on 127.0.0.1:PORT and, for each connection, forks and runs the
server command with the connection as its standard input and output (its
standard error stays this process's, the log file), as inetd's "nowait"
services run. Runs in the foreground until killed; the servers it starts
stay in its process group, so stopping the group stops them too.

    inetd.py --port 42125 -- /path/to/ftpd -l
"""

import argparse
import os
import signal
import socket


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("command", nargs="+", help="the server and its arguments")
    args = parser.parse_args()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(16)
    # Finished servers are reaped by the kernel.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            # The server waits for its own children (ls): give it the default
            # SIGCHLD handling back, since an ignored signal stays ignored
            # across exec.
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            listener.close()
            os.dup2(conn.fileno(), 0)
            os.dup2(conn.fileno(), 1)
            conn.close()
            os.execv(args.command[0], args.command)
        conn.close()


if __name__ == "__main__":
    main()
