#!/usr/bin/env bash
# The peer benchmark in one command: installs what it needs, builds the
# runners, writes the corpora and prints the results table (also written to
# benches/peers/out/results.md). See README.md.
#
#   benches/peers/run.sh            # 5 repetitions
#   REPS=9 benches/peers/run.sh
#   MIXED_MIB=8 SHORT_MIB=4 benches/peers/run.sh   # smaller corpora, quick look
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
reps="${REPS:-5}"
mixed_mib="${MIXED_MIB:-32}"
short_mib="${SHORT_MIB:-16}"
start=$SECONDS

need() { command -v "$1" >/dev/null 2>&1; }

# Go (Debian's toolchain; the runner needs only the standard library) and
# valgrind (instruction counts), from Debian's packages when missing.
missing=()
need go || missing+=(golang-go)
need valgrind || missing+=(valgrind)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in cargo node npm python3; do
    need "$tool" || { echo "run.sh: $tool is required" >&2; exit 1; }
done

# Node: basic-ftp at the version in the committed lock file.
if [ ! -d node/node_modules/basic-ftp ]; then
    echo "== npm ci (node/)"
    (cd node && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== building the Rust runner (release)"
(cd rust && cargo build --release --locked --quiet)
echo "== building the Go runner"
(cd go && GOFLAGS=-mod=mod GO111MODULE=on go build -o textproto-runner .)

echo "== generating corpora (${mixed_mib} MiB mixed, ${short_mib} MiB short)"
python3 gen_corpus.py out --mixed-mib "$mixed_mib" --short-mib "$short_mib"

echo "== running (${reps} repetitions each)"
status=0
python3 driver.py --reps "$reps" --out out || status=$?
echo "== run.sh took $((SECONDS - start)) s; table in benches/peers/out/results.md"
exit "$status"
