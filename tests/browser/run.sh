#!/usr/bin/env bash
# Runs the browser tests (tests/browser/*.test.mjs, or the files given) with Node's test
# runner, one file at a time: each starts its own kirokud and headless Chromium, which
# are heavy on a small machine. Installs the npm packages of package-lock.json first when
# node_modules is missing or older than the lock file.
#
#   tests/browser/run.sh [FILE.test.mjs...]
#
# KIROKU_BIN: kirokud and kiroku (default <repo>/build/bin). SCREENSHOT_DIR: where the
# screenshots go (default <repo>/build/screenshots). Exits with the tests' status.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export KIROKU_BIN=${KIROKU_BIN:-$repo/build/bin}
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$repo/build/screenshots}

command -v node >/dev/null && command -v npm >/dev/null ||
    { echo "run.sh: the browser tests need node and npm (install/install-deps.sh installs them)" >&2; exit 1; }
# playwright-core needs node 20; so does --test-concurrency.
node_major=$(node -p 'process.versions.node.split(".")[0]')
[[ $node_major -ge 20 ]] || { echo "run.sh: the browser tests need node 20 or later, this is $(node --version)" >&2; exit 1; }

# npm writes node_modules/.package-lock.json on every install: older than package-lock.json
# means the lock file changed since (a pull, a new package).
if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
    (cd "$here" && npm ci --no-audit --no-fund)
fi

files=()
if [[ $# -gt 0 ]]; then
    for f in "$@"; do files+=("$(realpath "$f")"); done
else
    files=("$here"/*.test.mjs)
fi
# A hung test fails after 5 minutes with its name, before CTest's timeout kills everything.
exec node --test --test-concurrency=1 --test-timeout=300000 "${files[@]}"
