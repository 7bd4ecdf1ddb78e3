#!/usr/bin/env bash
# litmus (Debian's WebDAV conformance suite) against a real kirokud: every suite
# (basic, copymove, props, locks, http) must pass with zero failures.
source "$(dirname "$0")/lib.sh"
kiroku_start
mkdir -p "$KIROKU_TMP/litmus" && cd "$KIROKU_TMP/litmus"
out="$KIROKU_TMP/litmus.out"
TESTS="basic copymove props locks http" litmus "$KIROKU_URL/dav/" "$KIROKU_USER" "$KIROKU_PASS" >"$out" 2>&1 || true
cat "$out" | grep -E '^<- summary|FAIL|WARNING' || true
for suite in basic copymove props locks http; do
    line=$(grep "summary for \`$suite'" "$out") || fail "litmus suite $suite did not run"
    [[ "$line" == *" 0 failed."* ]] || fail "litmus $suite: $line"
    echo "ok - litmus $suite: ${line#*: }"
done
# The same suites over HTTPS (Basic over TLS, as Windows requires).
TESTS="basic locks" litmus "$KIROKU_TLS_URL/dav/" "$KIROKU_USER" "$KIROKU_PASS" >"$out.tls" 2>&1 || true
for suite in basic locks; do
    line=$(grep "summary for \`$suite'" "$out.tls") || { cat "$out.tls"; fail "litmus over TLS: suite $suite did not run"; }
    [[ "$line" == *" 0 failed."* ]] || fail "litmus over TLS $suite: $line"
    echo "ok - litmus over TLS $suite: ${line#*: }"
done
