#!/usr/bin/env bash
# Real FTP servers on loopback for the ftp-reply test suite.
#
#   scripts/ftp-servers.sh setup    install everything (idempotent, needs root)
#   scripts/ftp-servers.sh start    reset the FTP roots, start all servers, wait for 220
#   scripts/ftp-servers.sh stop     stop all servers by PID (idempotent)
#   scripts/ftp-servers.sh status   print which servers are up
#
# Environment: FTP_SERVERS_DIR (state dir), FTP_SERVERS_PORT_OFFSET (added
# to all ports), FTP_SERVERS_START_TIMEOUT (seconds to wait for the 220s).
#
# Servers: vsftpd, ProFTPD, Pure-FTPd, GNU inetutils ftpd and netkit ftpd
# (ftpd-ssl) from Debian's packages (unpacked side by side with dpkg -x,
# since the packages conflict with each other; the two ftpds run under
# tests/servers/inetd.py, as inetd would run them), and pyftpdlib, Twisted
# and aioftp from PyPI in a venv. All listen on 127.0.0.1 only. Explicit
# FTPS (AUTH TLS) is offered, not required, by vsftpd, ProFTPD, Pure-FTPd
# and pyftpdlib, with a certificate from a CA generated at setup.
#
# State lives in $FTP_SERVERS_DIR (default: <repo>/.servers). After setup
# it holds servers.env (KEY=VALUE lines) and servers.json describing each
# server: port, user, password, version, FTP root, FTPS (format:
# tests/servers/README.md).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${FTP_SERVERS_DIR:-$REPO/.servers}
CONF_SRC=$REPO/tests/servers

SERVERS=(vsftpd proftpd pure-ftpd pyftpdlib inetutils-ftpd netkit-ftpd twisted aioftp)
declare -A PORT=([vsftpd]=42121 [proftpd]=42122 [pure-ftpd]=42123 [pyftpdlib]=42124
    [inetutils-ftpd]=42125 [netkit-ftpd]=42126 [twisted]=42127 [aioftp]=42128)
# Passive port ranges. The two inetd-style ftpds have no option for one:
# they take any free port the kernel gives (PASV_MIN/MAX unset).
declare -A PASV_MIN=([vsftpd]=43000 [proftpd]=43100 [pure-ftpd]=43200 [pyftpdlib]=43300
    [twisted]=43600 [aioftp]=43700)
declare -A PASV_MAX=([vsftpd]=43099 [proftpd]=43199 [pure-ftpd]=43299 [pyftpdlib]=43399
    [twisted]=43699 [aioftp]=43799)
# Added to every port above, so that two checkouts can run their servers
# side by side (use a multiple of 2000: 2000 moves them to 44121-44128
# and 45000-45799).
PORT_OFFSET=${FTP_SERVERS_PORT_OFFSET:-0}
# Debian packages each unpacked server comes from, the first being the server.
declare -A DEB=([vsftpd]=vsftpd [proftpd]="proftpd-core proftpd-mod-crypto" [pure-ftpd]=pure-ftpd
    [inetutils-ftpd]=inetutils-ftpd [netkit-ftpd]=ftpd-ssl)
# Servers that offer explicit FTPS (AUTH TLS). netkit ftpd-ssl answers AUTH
# TLS with 234 but never loads a certificate, whether given with -z cert= or
# at its default path, so every handshake fails (samples/QUIRKS.md).
FTPS_SERVERS=(vsftpd proftpd pure-ftpd pyftpdlib)

FTP_USER=ftptest
FTP_PASS=ftptest-pass
# The inetd-style ftpds log a system user in to its home directory, and do
# not chroot (they run /bin/ls for LIST, which a chroot would lack): each
# has a user of its own whose home is its FTP root. Checkouts that run their
# servers side by side (with different port offsets) get users of their own.
USER_SUFFIX=${PORT_OFFSET#0}
declare -A SERVER_USER=([inetutils-ftpd]=ftptest-inetutils${USER_SUFFIX:+-$USER_SUFFIX}
    [netkit-ftpd]=ftptest-netkit${USER_SUFFIX:+-$USER_SUFFIX})
PAM_SERVICE=ftp-reply-vsftpd
# PyPI packages of the venv, pinned.
PYPI_PACKAGES=(pyftpdlib==2.2.0 pyopenssl==26.4.0 twisted==26.10.0 aioftp==0.28.3)
START_TIMEOUT=${FTP_SERVERS_START_TIMEOUT:-20}

# Libraries and tools the unpacked servers and this script need, installed
# normally (from `apt-cache depends vsftpd proftpd-core pure-ftpd`, minus the
# servers themselves and the daemon-management bits); and g++, which the suite's
# fuzz step needs after the servers (libfuzzer-sys compiles libFuzzer's C++).
APT_PACKAGES=(
    libc6 libcap2 libpam0g libpam-modules libpam-runtime libssl3 libwrap0
    libacl1 libcrypt1 libhiredis0.14 libidn2-0 libmemcached11 libmemcachedutil2
    libncursesw6 libpcre2-8-0 libpcre2-posix3 libtinfo6 zlib1g libsodium23
    netbase openssl passwd python3 python3-venv g++
)

log() { printf '[ftp-servers] %s\n' "$*" >&2; }
die() { printf '[ftp-servers] ERROR: %s\n' "$*" >&2; exit 1; }

case $STATE in
    *[[:space:]\'\"\\\$\`]*) die "state dir must not contain spaces or quotes: $STATE" ;;
esac
if ! [[ $PORT_OFFSET =~ ^[0-9]+$ ]] || ((PORT_OFFSET + 43799 > 65535)); then
    die "FTP_SERVERS_PORT_OFFSET must be a number from 0 to 21736: $PORT_OFFSET"
fi
for name in "${SERVERS[@]}"; do
    PORT[$name]=$((PORT[$name] + PORT_OFFSET))
    if [[ -n ${PASV_MIN[$name]:-} ]]; then
        PASV_MIN[$name]=$((PASV_MIN[$name] + PORT_OFFSET))
        PASV_MAX[$name]=$((PASV_MAX[$name] + PORT_OFFSET))
    fi
done
unset name

# ---------------------------------------------------------------- helpers

# The server's own program.
server_bin() {
    case $1 in
        vsftpd) echo "$STATE/root-vsftpd/usr/sbin/vsftpd" ;;
        proftpd) echo "$STATE/root-proftpd/usr/sbin/proftpd" ;;
        pure-ftpd) echo "$STATE/root-pure-ftpd/usr/sbin/pure-ftpd" ;;
        inetutils-ftpd) echo "$STATE/root-inetutils-ftpd/usr/sbin/ftpd" ;;
        netkit-ftpd) echo "$STATE/root-netkit-ftpd/usr/sbin/in.ftpd" ;;
        pyftpdlib | twisted | aioftp) echo "$STATE/venv/bin/python" ;;
    esac
}

# The Python script the started process runs (none: the server itself).
server_script() {
    case $1 in
        pyftpdlib) echo "$CONF_SRC/pyftpdlib_server.py" ;;
        twisted) echo "$CONF_SRC/twisted_server.py" ;;
        aioftp) echo "$CONF_SRC/aioftp_server.py" ;;
        inetutils-ftpd | netkit-ftpd) echo "$CONF_SRC/inetd.py" ;;
    esac
}

# The executable of the process `start` launches: the server, or Python.
process_bin() {
    if [[ -n $(server_script "$1") ]]; then
        echo "$STATE/venv/bin/python"
    else
        server_bin "$1"
    fi
}

user_of() { echo "${SERVER_USER[$1]:-$FTP_USER}"; }
ftps() { [[ " ${FTPS_SERVERS[*]} " == *" $1 "* ]]; }
# What PWD says right after login: "/" where the server chroots the user
# (or serves a virtual root), the root's real path where it does not.
login_dir() {
    case $1 in
        inetutils-ftpd | netkit-ftpd) ftp_root "$1" ;;
        *) echo / ;;
    esac
}

ftp_root() { echo "$STATE/ftp/$1"; }
pid_file() { echo "$STATE/run/$1.pid"; }
log_file() { echo "$STATE/log/$1.log"; }

# Fill the @NAME@ placeholders of a template from tests/servers/.
render() {
    local src=$1 dst=$2 name=$3
    sed -e "s|@STATE@|$STATE|g" \
        -e "s|@PORT@|${PORT[$name]}|g" \
        -e "s|@PASV_MIN@|${PASV_MIN[$name]}|g" \
        -e "s|@PASV_MAX@|${PASV_MAX[$name]}|g" \
        -e "s|@FTP_ROOT@|$(ftp_root "$name")|g" \
        -e "s|@PAM_SERVICE@|$PAM_SERVICE|g" \
        -e "s|@TLS_CERT@|$STATE/tls/server.pem|g" \
        -e "s|@TLS_KEY@|$STATE/tls/server.key|g" \
        "$src" >"$dst"
}

need_root() {
    [[ $(id -u) -eq 0 ]] || die "$1 needs root (servers bind, chroot and switch users)"
}

# ---------------------------------------------------------------- setup

# Do the package lists know every package this script needs?
apt_lists_ready() {
    local pkgs n
    read -r -a pkgs <<<"${DEB[*]} ${APT_PACKAGES[*]}"
    n=$(apt-cache show --no-all-versions "${pkgs[@]}" 2>/dev/null | grep -c '^Package: ' || true)
    [[ $n -eq ${#pkgs[@]} ]]
}

APT_UPDATED=0
apt_update() {
    log "apt-get update"
    apt-get update -q
    APT_UPDATED=1
}

# Run an apt-get command; if it fails on lists that this run did not
# refresh (stale lists point at versions the mirror no longer has), run
# apt-get update and try once more.
apt_retry() {
    "$@" && return
    ((APT_UPDATED)) && return 1
    log "retrying after apt-get update: $*"
    apt_update
    "$@"
}

install_apt_packages() {
    if ! apt_lists_ready; then
        log "package lists lack some packages"
        apt_update
    fi
    local missing=() p installed
    # dpkg-query fails when some package was never installed: that is fine.
    installed=" $({ dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true; } |
        awk '$1 == "ii" {printf "%s ", $2}')"
    for p in "${APT_PACKAGES[@]}"; do
        [[ $installed == *" $p "* ]] || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "apt-get install ${missing[*]}"
        apt_retry env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        log "libraries and tools already installed"
    fi
}

# The candidate versions of packages, as "pkg=version" words.
candidates() {
    local pkg want
    for pkg in "$@"; do
        want=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
        [[ -n $want && $want != "(none)" ]] || die "no installable version of $pkg"
        printf '%s=%s\n' "$pkg" "$want"
    done | paste -sd' '
}

# Download a server's Debian packages and unpack them into $STATE/root-<name>,
# unless the same versions are already unpacked there.
unpack_server() {
    local name=$1 root=$STATE/root-$1 pkgs want spec
    read -r -a pkgs <<<"${DEB[$1]}"
    want=$(candidates "${pkgs[@]}")
    if [[ -f $root/.package-version && $(<"$root/.package-version") == "$want" && -x $(server_bin "$name") ]]; then
        log "$want already unpacked in $root"
        return
    fi
    # Replacing a running server's files would leave it running unseen by stop.
    if running_pid "$name" >/dev/null; then
        die "$name is running from $root: run '$0 stop' before setup updates it"
    fi
    log "apt-get download $want and unpack into $root"
    mkdir -p "$STATE/debs/$name"
    rm -f "$STATE/debs/$name/"*.deb
    # shellcheck disable=SC2086 # one word per package
    if ! (cd "$STATE/debs/$name" && apt-get download -q -o APT::Sandbox::User=root $want); then
        ((APT_UPDATED)) && die "apt-get download $want failed"
        apt_update
        want=$(candidates "${pkgs[@]}")
        # shellcheck disable=SC2086
        (cd "$STATE/debs/$name" && apt-get download -q -o APT::Sandbox::User=root $want)
    fi
    rm -rf "$root"
    mkdir -p "$root"
    for spec in "$STATE/debs/$name/"*.deb; do
        dpkg -x "$spec" "$root"
    done
    echo "$want" >"$root/.package-version"
    if ldd "$(server_bin "$name")" | grep -q 'not found'; then
        ldd "$(server_bin "$name")" | grep 'not found' >&2
        die "${pkgs[0]}: missing shared libraries (add them to APT_PACKAGES)"
    fi
}

# The venv with the Python servers, unless it already has the pinned versions.
install_pypi() {
    local pip=$STATE/venv/bin/pip want have
    want=$(printf '%s\n' "${PYPI_PACKAGES[@]}" | tr 'A-Z' 'a-z' | sort)
    if [[ -x $pip ]]; then
        have=$("$pip" freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z' 'a-z' |
            grep -xF -f <(echo "$want") | sort || true)
        if [[ $have == "$want" ]]; then
            log "${PYPI_PACKAGES[*]} already in $STATE/venv"
            return
        fi
    else
        log "creating venv $STATE/venv"
        rm -rf "$STATE/venv"
        /usr/bin/python3 -m venv "$STATE/venv"
    fi
    log "installing ${PYPI_PACKAGES[*]} from PyPI into $STATE/venv"
    "$pip" install -q --disable-pip-version-check "${PYPI_PACKAGES[@]}"
}

# A system user with the test password; home $2.
ensure_user() {
    local user=$1 home=$2
    if id "$user" >/dev/null 2>&1; then
        log "user $user exists; setting home to $home"
        usermod -d "$home" "$user"
    else
        log "creating system user $user (home $home)"
        useradd --no-create-home --home-dir "$home" --shell /usr/sbin/nologin \
            --comment "ftp-reply test user" "$user"
    fi
    echo "$user:$FTP_PASS" | chpasswd
}

create_users() {
    local name
    ensure_user "$FTP_USER" "$STATE/ftp"
    for name in "${!SERVER_USER[@]}"; do
        ensure_user "${SERVER_USER[$name]}" "$(ftp_root "$name")"
    done
    # GNU inetutils ftpd refuses users whose shell is not in /etc/shells
    # (getusershell); the test users have nologin, which cannot start a
    # session whatever FTP servers think of it.
    if ! grep -qxF /usr/sbin/nologin /etc/shells; then
        log "adding /usr/sbin/nologin to /etc/shells"
        echo /usr/sbin/nologin >>/etc/shells
    fi
}

# A CA and a server certificate for 127.0.0.1 and localhost signed by it, in
# $STATE/tls, unless one valid for another 30 days is there. Clients verify
# the servers with ca.pem (servers.json's "tls_ca").
make_certificates() {
    local d=$STATE/tls
    if [[ -f $d/server.pem && -f $d/server.key && -f $d/ca.pem ]] &&
        openssl x509 -checkend 2592000 -noout -in "$d/server.pem" >/dev/null &&
        openssl verify -CAfile "$d/ca.pem" "$d/server.pem" >/dev/null 2>&1; then
        log "TLS certificates in $d are valid"
        return
    fi
    log "generating a CA and a server certificate in $d"
    rm -rf "$d"
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
        -subj "/CN=ftp-reply test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=127.0.0.1" \
        -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" \
        "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$d/server.ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
        -CAcreateserial -days 825 -sha256 -extfile "$d/server.ext" \
        -out "$d/server.pem" 2>/dev/null
    # Pure-FTPd reads the key and the certificate from one file.
    cat "$d/server.key" "$d/server.pem" >"$d/server-with-key.pem"
    chmod 600 "$d"/*.key "$d/server-with-key.pem"
    chmod 644 "$d/ca.pem" "$d/server.pem"
    rm -f "$d/server.csr" "$d/server.ext" "$d/ca.srl"
}

configure_auth() {
    # vsftpd authenticates through PAM only: a service file of our own.
    log "writing /etc/pam.d/$PAM_SERVICE"
    install -m 644 "$CONF_SRC/vsftpd.pam" "/etc/pam.d/$PAM_SERVICE"

    # netkit ftpd uses the PAM service "ftp", as its package would install
    # it; a file someone else put there is left alone.
    if [[ ! -e /etc/pam.d/ftp ]] || grep -q '^# ftp-reply test servers' /etc/pam.d/ftp; then
        log "writing /etc/pam.d/ftp"
        install -m 644 "$CONF_SRC/netkit-ftpd.pam" /etc/pam.d/ftp
    else
        log "/etc/pam.d/ftp exists and is not ours: left as it is"
    fi

    # Pure-FTPd: a virtual user in a PureDB file, mapped to the system user
    # and chrooted to Pure-FTPd's own FTP root.
    log "writing the Pure-FTPd user database $STATE/etc/pure-ftpd.pdb"
    local pw=$STATE/root-pure-ftpd/usr/bin/pure-pw
    rm -f "$STATE/etc/pure-ftpd.passwd" "$STATE/etc/pure-ftpd.pdb"
    printf '%s\n%s\n' "$FTP_PASS" "$FTP_PASS" |
        "$pw" useradd "$FTP_USER" -u "$FTP_USER" -g "$FTP_USER" -d "$(ftp_root pure-ftpd)" \
            -f "$STATE/etc/pure-ftpd.passwd" -m -F "$STATE/etc/pure-ftpd.pdb" >/dev/null
}

server_version() {
    local bin
    bin=$(server_bin "$1")
    case $1 in
        # vsftpd -v writes to file descriptor 0.
        vsftpd) "$bin" -v 0>&1 | sed -n 's/^vsftpd: version //p' ;;
        proftpd) "$bin" -v | sed -n 's/^ProFTPD Version //p' ;;
        pure-ftpd) "$bin" --help 2>&1 | sed -n '1s/^pure-ftpd v\([^ ]*\).*/\1/p' || true ;;
        inetutils-ftpd) "$bin" --version | sed -n '1s/.* //p' ;;
        # netkit ftpd has no version option: the package's upstream version
        # (0.17.36+really0.17-2 is 0.17, as its greeting says).
        netkit-ftpd) package_version "$1" | sed -e 's/.*really//' -e 's/-[^-]*$//' ;;
        pyftpdlib) "$bin" -c 'import pyftpdlib; print(pyftpdlib.__ver__)' ;;
        twisted) "$bin" -c 'import twisted; print(twisted.__version__)' ;;
        aioftp) "$bin" -c 'import aioftp; print(aioftp.__version__)' ;;
    esac
}

# The version of the package the server comes from (Debian or PyPI).
package_version() {
    local spec
    case $1 in
        pyftpdlib | twisted | aioftp)
            for spec in "${PYPI_PACKAGES[@]}"; do
                [[ $spec == "$1=="* ]] && echo "${spec#*==}"
            done
            ;;
        *) cut -d' ' -f1 "$STATE/root-$1/.package-version" | sed 's/^[^=]*=//' ;;
    esac
}

# Where the server was installed from, as registry:package (no spaces, so
# that servers.env can be sourced).
package_source() {
    case $1 in
        pyftpdlib | twisted | aioftp) echo "pypi:$1" ;;
        *) echo "debian:$(cut -d' ' -f1 "$STATE/root-$1/.package-version" | cut -d= -f1)" ;;
    esac
}

write_env() {
    local env=$STATE/servers.env json=$STATE/servers.json name key ver pasv sep=""
    {
        echo "# Written by scripts/ftp-servers.sh: one KEY=VALUE a line, no quoting."
        echo "FTP_SERVERS=$(IFS=,; echo "${SERVERS[*]}")"
        echo "FTP_HOST=127.0.0.1"
        echo "FTP_USER=$FTP_USER"
        echo "FTP_PASSWORD=$FTP_PASS"
        echo "FTP_HELLO_SIZE=$(stat -c %s "$STATE/content/hello.txt")"
        echo "FTP_HELLO_SHA256=$(sha256sum "$STATE/content/hello.txt" | cut -d' ' -f1)"
        echo "FTP_HELLO_MDTM=$(TZ=UTC date -r "$STATE/content/hello.txt" +%Y%m%d%H%M%S)"
        echo "FTP_TLS_CA=$STATE/tls/ca.pem"
        for name in "${SERVERS[@]}"; do
            key=FTP_$(echo "$name" | tr 'a-z-' 'A-Z_')
            echo "${key}_PORT=${PORT[$name]}"
            if [[ -n ${PASV_MIN[$name]:-} ]]; then
                echo "${key}_PASV_PORTS=${PASV_MIN[$name]}-${PASV_MAX[$name]}"
            else
                echo "${key}_PASV_PORTS="
            fi
            echo "${key}_USER=$(user_of "$name")"
            echo "${key}_VERSION=$(server_version "$name")"
            echo "${key}_PACKAGE_VERSION=$(package_version "$name")"
            echo "${key}_FROM=$(package_source "$name")"
            echo "${key}_FTPS=$(ftps "$name" && echo yes || echo no)"
            echo "${key}_ROOT=$(ftp_root "$name")"
            echo "${key}_LOGIN_DIR=$(login_dir "$name")"
            echo "${key}_LOG=$(log_file "$name")"
            echo "${key}_PID_FILE=$(pid_file "$name")"
        done
    } >"$env.tmp"
    mv "$env.tmp" "$env"
    {
        echo "{"
        echo "  \"host\": \"127.0.0.1\","
        echo "  \"user\": \"$FTP_USER\","
        echo "  \"password\": \"$FTP_PASS\","
        echo "  \"tls_ca\": \"$STATE/tls/ca.pem\","
        echo "  \"servers\": ["
        for name in "${SERVERS[@]}"; do
            ver=$(server_version "$name")
            if [[ -n ${PASV_MIN[$name]:-} ]]; then
                pasv="[${PASV_MIN[$name]}, ${PASV_MAX[$name]}]"
            else
                pasv=null
            fi
            printf '%s    {"name": "%s", "port": %s, "pasv_ports": %s, "user": "%s", "password": "%s", "version": "%s", "package_version": "%s", "from": "%s", "ftps": %s, "root": "%s", "login_dir": "%s"}' \
                "$sep" "$name" "${PORT[$name]}" "$pasv" "$(user_of "$name")" "$FTP_PASS" "$ver" \
                "$(package_version "$name")" "$(package_source "$name")" \
                "$(ftps "$name" && echo true || echo false)" "$(ftp_root "$name")" "$(login_dir "$name")"
            sep=$',\n'
        done
        printf '\n  ]\n}\n'
    } >"$json.tmp"
    mv "$json.tmp" "$json"
    log "wrote $env and $json"
}

# Deterministic test content, copied into every server's root on start.
make_content() {
    local c=$STATE/content i
    rm -rf "$c"
    mkdir -p "$c/listing/nested"
    # 128 lines of 64 bytes: 8192 bytes, more than the 4096 above which
    # Pure-FTPd adds a "kbytes to download" line to its 150 reply.
    for ((i = 1; i <= 128; i++)); do
        printf 'hello.txt line %03d: the quick brown fox jumps over the lazy dog\n' "$i"
    done >"$c/hello.txt"
    printf 'one\n' >"$c/listing/one.txt"
    printf 'two\ntwo\n' >"$c/listing/two.txt"
    printf 'three\n' >"$c/listing/nested/three.txt"
    find "$c" -exec touch -h -d '2024-01-02 03:04:05 UTC' {} +
}

cmd_setup() {
    need_root setup
    local t0=$SECONDS name
    log "state dir: $STATE"
    mkdir -p "$STATE"/{etc,log,run,ftp}
    chmod 755 "$STATE" "$STATE/ftp"
    install_apt_packages
    for name in "${!DEB[@]}"; do
        unpack_server "$name"
    done
    install_pypi
    create_users
    configure_auth
    make_certificates
    # vsftpd's secure_chroot_dir: empty, owned by root, not writable by others.
    mkdir -p "$STATE/etc/vsftpd-empty"
    chmod 755 "$STATE/etc/vsftpd-empty"
    make_content
    write_env
    log "setup done in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- start/stop

# PID from the pid file if that process is alive and is still our server.
running_pid() {
    local name=$1 f pid script
    f=$(pid_file "$name")
    [[ -f $f ]] || return 1
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ && -e /proc/$pid/exe ]] || return 1
    # proftpd and pure-ftpd rewrite their command line, so compare the
    # executable; Python processes are told apart by their script and port.
    [[ $(readlink -f "/proc/$pid/exe") == "$(readlink -f "$(process_bin "$name")")" ]] || return 1
    script=$(server_script "$name")
    if [[ -n $script ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$script --port ${PORT[$name]} " || return 1
    fi
    echo "$pid"
}

# Read the first line the server sends; succeed if it is a 220 greeting.
greets() {
    local port=$1 line
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        IFS= read -r -t 3 line <&3 || exit 1
        exec 3>&-
        [[ $line == 220* ]]
    ) 2>/dev/null
}

reset_root() {
    local name=$1 root user
    root=$(ftp_root "$name")
    user=$(user_of "$name")
    rm -rf "$root"
    cp -a "$STATE/content" "$root"
    chown -R "$user:$user" "$root"
    chmod 755 "$root"
}

launch() {
    local name=$1 bin logf
    bin=$(server_bin "$name")
    logf=$(log_file "$name")
    if [[ ! -x $bin ]]; then
        log "$name is not installed: run '$0 setup' first"
        return 1
    fi
    case $name in
        vsftpd)
            render "$CONF_SRC/vsftpd.conf.in" "$STATE/etc/vsftpd.conf" vsftpd
            set -- "$bin" "$STATE/etc/vsftpd.conf"
            ;;
        proftpd)
            render "$CONF_SRC/proftpd.conf.in" "$STATE/etc/proftpd.conf" proftpd
            if ! "$bin" -t -c "$STATE/etc/proftpd.conf" >"$logf" 2>&1; then
                tail -n 20 "$logf" >&2
                log "proftpd: configuration check failed"
                return 1
            fi
            set -- "$bin" -n -c "$STATE/etc/proftpd.conf"
            ;;
        pure-ftpd)
            # -S bind address,port   -p passive ports   -P passive IP
            # -l puredb:FILE login   -A chroot everyone -E no anonymous
            # -H no reverse DNS      -4 IPv4 only       -f none: no syslog
            # -Y 1 TLS offered, not required; -2 its certificate and key
            set -- "$bin" -S "127.0.0.1,${PORT[$name]}" \
                -p "${PASV_MIN[$name]}:${PASV_MAX[$name]}" -P 127.0.0.1 \
                -l "puredb:$STATE/etc/pure-ftpd.pdb" -A -E -H -4 -f none \
                -O "clf:$STATE/log/pure-ftpd.xfer.log" \
                -Y 1 -2 "$STATE/tls/server-with-key.pem"
            ;;
        pyftpdlib | twisted | aioftp)
            set -- "$(process_bin "$name")" "$(server_script "$name")" --port "${PORT[$name]}" \
                --user "$FTP_USER" --password "$FTP_PASS" --root "$(ftp_root "$name")" \
                --pasv-min "${PASV_MIN[$name]}" --pasv-max "${PASV_MAX[$name]}"
            if [[ $name == pyftpdlib ]]; then
                set -- "$@" --certfile "$STATE/tls/server.pem" --keyfile "$STATE/tls/server.key"
            fi
            ;;
        inetutils-ftpd)
            # -l log sessions (to syslog, if there is one); the rest default.
            set -- "$(process_bin "$name")" "$(server_script "$name")" --port "${PORT[$name]}" \
                -- "$bin" -l
            ;;
        netkit-ftpd)
            # -n no reverse DNS in logs.
            set -- "$(process_bin "$name")" "$(server_script "$name")" --port "${PORT[$name]}" \
                -- "$bin" -n
            ;;
    esac
    log "starting $name on 127.0.0.1:${PORT[$name]}: $*"
    # setsid: the server leads its own process group, so stop can end it
    # together with the per-session children it forks.
    if [[ $name == vsftpd ]]; then
        # vsftpd writes its startup errors ("500 OOPS: ...") to fd 0.
        setsid "$@" 0>>"$logf" >>"$logf" 2>&1 &
    else
        setsid "$@" </dev/null >>"$logf" 2>&1 &
    fi
    echo $! >"$(pid_file "$name")"
}

cmd_start() {
    need_root start
    local t0=$SECONDS name pid failed=() deadline home
    [[ -f $STATE/servers.env ]] || die "run '$0 setup' first"
    mkdir -p "$STATE"/{etc,log,run,ftp}
    make_content
    # The inetd-style ftpds' users must have this checkout's roots as homes
    # (another checkout's setup with the same port offset may have moved them).
    for name in "${!SERVER_USER[@]}"; do
        id "${SERVER_USER[$name]}" >/dev/null 2>&1 || die "no user ${SERVER_USER[$name]}: run '$0 setup' first"
        home=$(getent passwd "${SERVER_USER[$name]}" | cut -d: -f6)
        if [[ $home != "$(ftp_root "$name")" ]]; then
            log "setting the home of ${SERVER_USER[$name]} to $(ftp_root "$name")"
            usermod -d "$(ftp_root "$name")" "${SERVER_USER[$name]}"
        fi
    done
    for name in "${SERVERS[@]}"; do
        if pid=$(running_pid "$name"); then
            log "$name already running (pid $pid)"
            continue
        fi
        log "resetting FTP root $(ftp_root "$name")"
        reset_root "$name"
        : >"$(log_file "$name")"
        launch "$name" || failed+=("$name")
    done
    deadline=$((SECONDS + START_TIMEOUT))
    for name in "${SERVERS[@]}"; do
        [[ " ${failed[*]} " == *" $name "* ]] && continue
        until greets "${PORT[$name]}"; do
            if ! running_pid "$name" >/dev/null; then
                failed+=("$name")
                log "$name exited; last log lines:"
                tail -n 20 "$(log_file "$name")" >&2 || true
                continue 2
            fi
            if ((SECONDS >= deadline)); then
                failed+=("$name")
                log "$name did not send a 220 greeting within ${START_TIMEOUT} s; last log lines:"
                tail -n 20 "$(log_file "$name")" >&2 || true
                continue 2
            fi
            sleep 0.2
        done
        # A greeting from a process that is not ours (port already taken by
        # something else) does not count.
        if ! pid=$(running_pid "$name"); then
            failed+=("$name")
            log "$name exited although port ${PORT[$name]} answers (port in use?); last log lines:"
            tail -n 20 "$(log_file "$name")" >&2 || true
            continue
        fi
        log "$name is up (pid $pid, port ${PORT[$name]})"
    done
    if ((${#failed[@]})); then
        log "not started: ${failed[*]}; stopping the others"
        cmd_stop
        die "not started: ${failed[*]}"
    fi
    write_env
    log "all servers up in $((SECONDS - t0)) s; see $STATE/servers.env"
}

stop_one() {
    local name=$1 pid i
    if ! pid=$(running_pid "$name"); then
        rm -f "$(pid_file "$name")"
        log "$name is not running"
        return
    fi
    log "stopping $name (process group $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 -- "-$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
        log "$name still running after 5 s: SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file "$name")"
}

cmd_stop() {
    local name
    for name in "${SERVERS[@]}"; do
        stop_one "$name"
    done
}

cmd_status() {
    local name pid down=0
    for name in "${SERVERS[@]}"; do
        if pid=$(running_pid "$name") && greets "${PORT[$name]}"; then
            printf '%-15s up    pid %-7s 127.0.0.1:%s\n' "$name" "$pid" "${PORT[$name]}"
        else
            printf '%-15s down\n' "$name"
            down=1
        fi
    done
    return "$down"
}

case ${1:-} in
    setup) cmd_setup ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 setup|start|stop|status" >&2
        exit 2
        ;;
esac
