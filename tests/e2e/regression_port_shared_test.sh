#!/usr/bin/env bash
# Regression: a second kirokud started on the port of a running one started silently
# (Poco's server socket sets SO_REUSEPORT) and answered every other request from its
# own data folder. Now it refuses to start and says why.
source "$(dirname "$0")/lib.sh"
kiroku_start
other="$KIROKU_TMP/other"
set +e
out=$(timeout 10 "$KIROKU_BIN/kirokud" --data "$other" --listen "127.0.0.1:$KIROKU_PORT" --listen-tls off 2>&1)
rc=$?
set -e
[[ $rc -ne 0 && $rc -ne 124 ]] || fail "a second kirokud on a port in use did not refuse to start (exit $rc)"
grep -qi "cannot start" <<<"$out" || fail "no reason given: $out"
echo "ok - a second kirokud on the same port refuses to start (exit $rc)"
expect_eq "the first one still answers" 200 "$(status GET /dav/)"
echo "all passed"
