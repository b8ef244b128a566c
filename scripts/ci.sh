#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh machine: lints, the library's and
# the tool's tests, the real-server interoperability tests (the servers are installed,
# started on 127.0.0.1 and stopped by this script), and every fuzz target for a
# fixed time. Installs what it needs (Debian packages, PyPI, crates.io).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

export CARGO_TERM_COLOR=never
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version

step "format, lints, docs, no_std build"
cargo fmt --all --check
cargo clippy --all-targets --all-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features
cargo build --lib --no-default-features

step "real FTP servers on 127.0.0.1"
scripts/ftp-servers.sh setup
trap 'scripts/ftp-servers.sh stop || true' EXIT
scripts/ftp-servers.sh start
export FTP_REPLY_INTEROP=required
# The real captures in ../shared/captures must be there: tests that read them fail
# instead of skipping.
export FTP_REPLY_CAPTURES=required

step "tests"
test_log="$(mktemp)"
cargo test --all-features --no-fail-fast 2>&1 | tee "$test_log"

step "stop servers"
scripts/ftp-servers.sh stop
trap - EXIT

step "fuzz every target for ${FUZZ_SECONDS}s"
scripts/fuzz.sh "$FUZZ_SECONDS"

step "done"
# One closing line for the whole suite: the sum of every test binary's results.
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$test_log"
rm -f "$test_log"
