#!/usr/bin/env bash
# `ftp-reply pcap --json` against tshark on one large synthetic capture, side by
# side in one run: wall time, throughput and peak memory (RSS) of each.
#
#   benches/pcap/run.sh            # 2000 sessions, 4 files of 50 000 bytes each
#   SESSIONS=500 FILES=2 SIZE=100000 benches/pcap/run.sh
#
# Needs python3, tshark and GNU time (/usr/bin/time); not run in CI.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-${TMPDIR:-/tmp}/ftp-reply-pcap-bench}"
mkdir -p "$out"
cd "$root"

cargo build --release --features cli --bin ftp-reply
capture="$out/large.pcap"
if [[ ! -f $capture || -n ${REGENERATE:-} ]]; then
    python3 benches/pcap/gen.py "$capture" "${SESSIONS:-2000}" "${FILES:-4}" "${SIZE:-50000}"
fi
bytes=$(stat -c %s "$capture")
packets=$(capinfos -c -M "$capture" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')

# Warm the page cache so both read from memory.
cat "$capture" > /dev/null

measure() {
    local name=$1
    shift
    /usr/bin/time -v "$@" > "$out/$name.out" 2> "$out/$name.time"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/$name.time" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/$name.time")
    printf '%-8s %8.2f s  %8.1f MB/s  peak RSS %7.1f MB  %s lines\n' "$name" "$wall" \
        "$(echo "$bytes / 1000000 / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" \
        "$(wc -l < "$out/$name.out")"
}

echo "capture: $capture, $bytes bytes, $packets packets"
measure ftp-reply target/release/ftp-reply pcap "$capture" --json
measure tshark tshark -r "$capture" -Y ftp -T fields -e ftp.request.command -e ftp.response.code
echo "commands paired: $(grep -c '"kind":"command"' "$out/ftp-reply.out")," \
    "tshark FTP packets: $(grep -c . "$out/tshark.out")"
