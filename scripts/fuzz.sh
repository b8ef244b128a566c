#!/usr/bin/env bash
# Builds and runs every fuzz target for a fixed time each; fails if any crashes.
#
#   scripts/fuzz.sh [seconds] [target...]
#
# seconds: time per target (default 30). Targets: all of `cargo fuzz list` by
# default. Each target starts from its committed corpus (fuzz/corpus/<target>)
# and regressions (fuzz/regressions/<target>); new inputs go to a scratch
# directory, so the committed corpus is left as it is. A crash input is written
# to fuzz/artifacts/<target>/ (see fuzz/README.md for what to do with it).
#
# Needs cargo-fuzz (installed from crates.io when missing) and a nightly
# toolchain, or a stable one with RUSTC_BOOTSTRAP=1.
set -euo pipefail

seconds="${1:-30}"
shift || true
case "$seconds" in
'' | *[!0-9]*)
	echo "usage: $0 [seconds] [target...]" >&2
	exit 2
	;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
	echo "fuzz.sh: installing cargo-fuzz" >&2
	cargo install cargo-fuzz --locked
fi

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
	fuzz=(cargo +nightly fuzz)
else
	echo "fuzz.sh: no nightly toolchain; using RUSTC_BOOTSTRAP=1 on $(rustc --version)" >&2
	export RUSTC_BOOTSTRAP=1
	fuzz=(cargo fuzz)
fi

if [ "$#" -gt 0 ]; then
	targets=("$@")
else
	mapfile -t targets < <("${fuzz[@]}" list)
fi

start=$(date +%s)
"${fuzz[@]}" build
built=$(date +%s)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

failed=()
summary=()
for target in "${targets[@]}"; do
	mkdir -p "$scratch/$target"
	inputs=("$scratch/$target")
	for dir in "corpus/$target" "regressions/$target"; do
		if [ -d "$dir" ]; then
			inputs+=("$dir")
		fi
	done
	log="$scratch/$target.log"
	echo "fuzz.sh: $target for ${seconds}s" >&2
	if "${fuzz[@]}" run "$target" "${inputs[@]}" -- \
		-max_total_time="$seconds" \
		-rss_limit_mb=2048 \
		-timeout=10 \
		-dict=ftp.dict \
		-print_final_stats=1 >"$log" 2>&1; then
		status=ok
	else
		status=FAIL
		failed+=("$target")
		# The panic message, the input and how to reproduce it.
		grep -E -A12 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | head -60 >&2 || true
		grep -E 'Test unit written|Reproduce with|cargo fuzz run' "$log" >&2 || true
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	summary+=("$(printf '%-16s %-6s %s executions' "$target" "$status" "${execs:-?}")")
done
end=$(date +%s)

echo
printf '%s\n' "${summary[@]}"
echo "build $((built - start))s, fuzzing $((end - built))s"
if [ "${#failed[@]}" -gt 0 ]; then
	echo "fuzz.sh: failed (crash, timeout, out of memory or build error): ${failed[*]}" >&2
	exit 1
fi
