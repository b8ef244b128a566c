"""pyftpdlib test server for scripts/ftp-servers.sh.

Serves one user (DummyAuthorizer) with full permissions on a root
directory, on 127.0.0.1 only, with a fixed passive port range. With
--certfile and --keyfile, explicit FTPS (AUTH TLS, RFC 4217) is offered but
not required (TLS_FTPHandler, which needs pyOpenSSL). Runs in the
foreground until killed.
"""

import argparse
import logging

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--pasv-min", type=int, required=True)
    parser.add_argument("--pasv-max", type=int, required=True)
    parser.add_argument("--certfile", help="server certificate chain (PEM)")
    parser.add_argument("--keyfile", help="the certificate's private key (PEM)")
    args = parser.parse_args()

    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
    )

    authorizer = DummyAuthorizer()
    authorizer.add_user(args.user, args.password, args.root, perm="elradfmwMT")

    if args.certfile:
        from pyftpdlib.handlers import TLS_FTPHandler

        handler = TLS_FTPHandler
        handler.certfile = args.certfile
        handler.keyfile = args.keyfile
        handler.tls_control_required = False
        handler.tls_data_required = False
    else:
        handler = FTPHandler
    handler.authorizer = authorizer
    handler.passive_ports = range(args.pasv_min, args.pasv_max + 1)

    server = FTPServer(("127.0.0.1", args.port), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
