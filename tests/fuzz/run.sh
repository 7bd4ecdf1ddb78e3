#!/usr/bin/env bash
# Runs one libFuzzer harness of tests/fuzz/ (built by the sanitizer build into bin/fuzz/).
#
#   run.sh smoke NAME BINARY          replay every input in regressions/NAME/ (each must
#                                     pass), then fuzz FUZZ_SMOKE_SECONDS (default 5) from
#                                     corpus/NAME/ into a scratch copy; for `make test`
#   run.sh fuzz NAME BINARY SECONDS   fuzz SECONDS from corpus/NAME/, keeping what it finds
#                                     in WORK (default bin/../fuzz-work/NAME); for `make fuzz`
#
# A crash or a failed check leaves the input as crash-*/leak-*/timeout-* in the work
# folder and exits non-zero; copy it into regressions/NAME/ once it is fixed. The last
# lines of the log (runs, coverage, features) are printed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 name=$2 binary=$(realpath "$3")
corpus=$here/corpus/$name
regressions=$here/regressions/$name
# Limits for every run: a slow input is a finding (timeout), and so is a memory bomb.
options=(-timeout=25 -rss_limit_mb=2560 -print_final_stats=1)
[[ $name == request_body ]] && options+=(-max_len=65536)

case $mode in
smoke)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    if compgen -G "$regressions/*" >/dev/null; then
        echo "== $name: replaying $(ls "$regressions" | wc -l) saved regression inputs"
        "$binary" "${options[@]}" "$regressions"/* 2>"$work/replay.log" || {
            cat "$work/replay.log"; echo "$name: a saved regression input fails again"; exit 1; }
    fi
    seconds=${FUZZ_SMOKE_SECONDS:-5}
    ;;
fuzz)
    seconds=$4
    work=${WORK:-$(dirname "$binary")/../../fuzz-work/$name}
    ;;
*)
    echo "usage: run.sh smoke|fuzz NAME BINARY [SECONDS]" >&2
    exit 2
    ;;
esac

mkdir -p "$work/corpus"
cd "$work"
echo "== $name: fuzzing for $seconds s from $corpus"
status=0
"$binary" "${options[@]}" -max_total_time="$seconds" -artifact_prefix="$work/" \
    "$work/corpus" "$corpus" >"$work/fuzz.log" 2>&1 || status=$?
grep -E '^#[0-9]+[[:space:]]+DONE|^stat::|^Done ' "$work/fuzz.log" | tail -n 8 || true
if [[ $status -ne 0 ]]; then
    tail -n 60 "$work/fuzz.log"
    echo "$name: the fuzzer found a failing input (exit $status):"
    ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true
    [[ $mode == smoke ]] && for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [[ -e $f ]] && { echo "--- $f (base64):"; base64 -w0 "$f" | head -c 4000; echo; }
    done
    exit 1
fi
