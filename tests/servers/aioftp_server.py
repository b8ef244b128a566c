"""aioftp's FTP server for scripts/ftp-servers.sh.

Serves one user with read and write access to a root directory, on
127.0.0.1 only, with a fixed passive port range. No explicit FTPS: aioftp
offers TLS only from the first byte (implicit), not AUTH TLS. Runs in the
foreground until killed.
"""

import argparse
import asyncio
import logging
import pathlib

import aioftp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--pasv-min", type=int, required=True)
    parser.add_argument("--pasv-max", type=int, required=True)
    args = parser.parse_args()

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    user = aioftp.User(
        args.user,
        args.password,
        base_path=pathlib.Path(args.root),
        home_path="/",
        permissions=[aioftp.Permission("/", readable=True, writable=True)],
    )
    server = aioftp.Server([user], data_ports=range(args.pasv_min, args.pasv_max + 1))
    asyncio.run(server.run(host="127.0.0.1", port=args.port))


if __name__ == "__main__":
    main()
