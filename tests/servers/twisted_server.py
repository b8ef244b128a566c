"""Twisted's FTP server (twisted.protocols.ftp) for scripts/ftp-servers.sh.

Serves one user with write access to a root directory, on 127.0.0.1 only
(passive data ports included), with a fixed passive port range. No TLS:
Twisted's FTP server has none. Runs in the foreground until killed.
"""

import argparse
import sys

from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import Portal
from twisted.internet import reactor
from twisted.protocols.ftp import FTP, BaseFTPRealm, FTPFactory
from twisted.python import log
from twisted.python.filepath import FilePath


class Realm(BaseFTPRealm):
    """Every user lands in (and is confined to) the one root."""

    def __init__(self, root: str) -> None:
        super().__init__(root)
        self.root = FilePath(root)

    def getHomeDirectory(self, avatarId):
        return self.root


class LoopbackFTP(FTP):
    """Passive data ports on 127.0.0.1, not on every interface."""

    def getDTPPort(self, factory, interface=""):
        return super().getDTPPort(factory, interface or "127.0.0.1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--pasv-min", type=int, required=True)
    parser.add_argument("--pasv-max", type=int, required=True)
    args = parser.parse_args()

    log.startLogging(sys.stdout)
    checker = InMemoryUsernamePasswordDatabaseDontUse()
    # Twisted hands the checker the name and password as the client sent
    # them, decoded (str).
    checker.addUser(args.user, args.password)
    factory = FTPFactory(Portal(Realm(args.root), [checker]))
    factory.protocol = LoopbackFTP
    factory.allowAnonymous = False
    factory.passivePortRange = range(args.pasv_min, args.pasv_max + 1)
    reactor.listenTCP(args.port, factory, interface="127.0.0.1")
    reactor.run()


if __name__ == "__main__":
    main()
