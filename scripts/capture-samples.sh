#!/usr/bin/env bash
# Regenerate samples/*.bin and samples/*.commands from the real servers.
#
#   scripts/capture-samples.sh [SERVER...]     (default: all eight)
#
# Restarts the servers (scripts/ftp-servers.sh stop + start, so every FTP
# root starts from the same content), captures these sessions from each
# server with scripts/capture.py, and stops the servers again:
#   <server>-session     the full command list below
#   <server>-prelogin    commands before and during login
#   <server>-long2000    one 2000-byte command after login
#   <server>-long10000   one 10000-byte command after login
# Needs scripts/ftp-servers.sh setup to have been run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${FTP_SERVERS_DIR:-$REPO/.servers}
OUT=$REPO/samples
SERVERS_SH=$REPO/scripts/ftp-servers.sh

log() { printf '[capture-samples] %s\n' "$*" >&2; }

"$SERVERS_SH" stop
"$SERVERS_SH" start
trap '"$SERVERS_SH" stop' EXIT

# shellcheck source=/dev/null
source "$STATE/servers.env"

if (($#)); then
    servers=("$@")
else
    IFS=, read -r -a servers <<<"$FTP_SERVERS"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; "$SERVERS_SH" stop' EXIT

# The command lists, for the user $1 (the inetd-style ftpds have their own).
write_commands() {
    local user=$1 n
    # (The here-documents are not indented: their lines are the commands.)
    cat >"$tmp/session" <<EOF
USER $user
PASS $FTP_PASSWORD
SYST
FEAT
PWD
TYPE I
SIZE hello.txt
MDTM hello.txt
PASV
LIST
EPSV
RETR hello.txt
REST 100
PASV
RETR hello.txt
MKD dir "with" quotes
CWD dir "with" quotes
PWD
CDUP
HELP
STAT
XYZZY
NOOP
QUIT
EOF

    cat >"$tmp/prelogin" <<EOF
PWD
USER $user
PWD
PASS wrong-password
PWD
QUIT
EOF

    for n in 2000 10000; do
        {
            echo "USER $user"
            echo "PASS $FTP_PASSWORD"
            # "CWD " and n-4 letters: a single command line of n bytes before CRLF.
            printf 'CWD %s\n' "$(head -c $((n - 4)) /dev/zero | tr '\0' a)"
            echo "NOOP"
            echo "QUIT"
        } >"$tmp/long$n"
    done
}

mkdir -p "$OUT"
for server in "${servers[@]}"; do
    key=FTP_$(echo "$server" | tr 'a-z-' 'A-Z_')
    port_key=${key}_PORT user_key=${key}_USER
    port=${!port_key}
    write_commands "${!user_key:-$FTP_USER}"
    for session in session prelogin long2000 long10000; do
        base=$OUT/$server-$session
        log "$server: $session -> ${base#"$REPO"/}.bin"
        # Over-long commands: listen longer for extra replies. (Logins can
        # take seconds, so the reply timeout stays long for every session.)
        case $session in
            long*) wait=(--settle 1 --timeout 15) ;;
            *) wait=(--settle 0.3 --timeout 15) ;;
        esac
        # Long commands may make a server hang up before the rest is sent.
        python3 "$REPO/scripts/capture.py" --port "$port" --commands "$tmp/$session" \
            --out "$base.bin" --out-commands "$base.commands" \
            --transcript "$tmp/$server-$session.txt" "${wait[@]}" ||
            log "$server: $session ended early (see ${base#"$REPO"/}.commands)"
    done
done
log "transcripts of this run: kept in $STATE/transcripts"
mkdir -p "$STATE/transcripts"
cp "$tmp"/*.txt "$STATE/transcripts/"
