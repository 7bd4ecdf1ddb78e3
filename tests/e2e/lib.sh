#!/usr/bin/env bash
# Shared helpers for end-to-end tests: start a real kirokud on loopback ports with a
# fresh data directory and a test user, and stop it when the test exits.
#
# Usage in a test script:
#   source "$(dirname "$0")/lib.sh"
#   kiroku_start            # sets KIROKU_URL, KIROKU_TLS_URL, KIROKU_DATA, KIROKU_USER, KIROKU_PASS
#                           # (the test user is an administrator unless KIROKU_USER_FLAGS="" is set)
#   curl -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/dav/"
# The server and the data directory are removed by an EXIT trap.
set -euo pipefail
# The CLI speaks Japanese unless asked; the tests read its English.
export KIROKU_LANG=en

KIROKU_BIN=${KIROKU_BIN:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/bin"}
KIROKU_USER=tester
KIROKU_PASS='pässword-テスト-1'
KIROKU_PID=""
KIROKU_TMP=""

fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

kiroku_cli() { "$KIROKU_BIN/kiroku" --data "$KIROKU_DATA" "$@"; }

kiroku_stop() {
    if [[ -n "$KIROKU_PID" ]] && kill -0 "$KIROKU_PID" 2>/dev/null; then
        kill "$KIROKU_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$KIROKU_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$KIROKU_PID" 2>/dev/null || true
        wait "$KIROKU_PID" 2>/dev/null || true
    fi
    KIROKU_PID=""
}

kiroku_cleanup() {
    kiroku_stop
    [[ -n "$KIROKU_TMP" ]] && rm -rf "$KIROKU_TMP"
}

# kiroku_launch: (re)start kirokud on the existing data directory and wait until it answers.
# KIROKU_WRAP: a command to start it with (e.g. "prlimit --nofile=48:48").
kiroku_launch() {
    ${KIROKU_WRAP:-} "$KIROKU_BIN/kirokud" --data "$KIROKU_DATA" --listen "127.0.0.1:$KIROKU_PORT" \
        --listen-tls "127.0.0.1:$KIROKU_TLS_PORT" "$@" >>"$KIROKU_TMP/server.log" 2>&1 &
    KIROKU_PID=$!
    for _ in $(seq 100); do
        if curl -s -o /dev/null -X OPTIONS "$KIROKU_URL/dav/"; then return 0; fi
        kill -0 "$KIROKU_PID" 2>/dev/null || { cat "$KIROKU_TMP/server.log" >&2; fail "kirokud exited"; }
        sleep 0.1
    done
    cat "$KIROKU_TMP/server.log" >&2
    fail "kirokud did not start"
}

# kiroku_start [kirokud options...]: fresh data directory (kiroku init), test user, running server.
kiroku_start() {
    KIROKU_TMP=$(mktemp -d /tmp/kiroku-test.XXXXXX)
    trap kiroku_cleanup EXIT
    KIROKU_DATA="$KIROKU_TMP/data"
    KIROKU_PORT=$(free_port)
    KIROKU_TLS_PORT=$(free_port)
    KIROKU_URL="http://127.0.0.1:$KIROKU_PORT"
    KIROKU_TLS_URL="https://127.0.0.1:$KIROKU_TLS_PORT"
    kiroku_cli init >/dev/null
    printf '%s\n' "$KIROKU_PASS" | kiroku_cli user add "$KIROKU_USER" --display "試験 太郎" ${KIROKU_USER_FLAGS:---admin} >/dev/null
    kiroku_launch "$@"
}

# dav METHOD PATH [curl options...]: authenticated request, prints the body.
dav() {
    local method=$1 path=$2; shift 2
    curl -sS -u "$KIROKU_USER:$KIROKU_PASS" -X "$method" "$@" "$KIROKU_URL$path"
}

# status METHOD PATH [curl options...]: authenticated request, prints the HTTP status.
status() {
    local method=$1 path=$2; shift 2
    curl -sS -o /dev/null -w '%{http_code}' -u "$KIROKU_USER:$KIROKU_PASS" -X "$method" "$@" "$KIROKU_URL$path"
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    [[ "$2" == "$3" ]] || fail "$1: expected '$2', got '$3'"
    echo "ok - $1"
}

# rights_setup FILE: the rights table's setup (tests/rights/setup.txt: one kiroku command a
# line, every new person's password password-123) applied through the CLI.
rights_setup() {
    local line
    while read -r line; do
        [[ -z "$line" || "$line" == \#* ]] && continue
        # shellcheck disable=SC2086
        printf 'password-123\n' | kiroku_cli $line >/dev/null || fail "setup: kiroku $line"
    done <"$1"
    echo "ok - $(basename "$1") applied through the CLI"
}
