#!/usr/bin/env bash
# Handover export benchmark: the ZIP export of a role's documents (引継ぎ, GET /handover/export
# and `kiroku handover export`) against Info-ZIP `zip -r -0` of the same folders, kirokud's
# memory while it streams, and the handover page of such a role.
#
# The issue's targets: "the ZIP export of a role holding 5,000 files and 2 GB streams at
# least as fast as `zip -r -0` of the same folder (print the ratio) with kirokud's RSS
# growing by less than 30 MB; a handover page for such a role renders in under 1 s."
#
# Sets up `kiroku demo` data in a temp dir, where yamada is 桜ヶ丘自治区 区長 for 令和8年度
# (2026-04-01..2027-03-31). Handover records open on March 1, so kirokud and the CLI run
# with KIROKU_TODAY=2027-03-05. The 区長's role writes the whole 桜ヶ丘自治区 space and
# 東山地区/共有: those are the documents its export holds. The script adds BENCH_FILES
# (5,000) files of BENCH_MB (2,048 MiB) in all under 桜ヶ丘自治区/その他/引継ぎベンチ/, in
# about 18 sub-folders with Japanese names: 95 % small Office-like files (.docx, .xlsx,
# 1/4 of the bytes at most, about 100 KB on average at the default size) and 5 % large
# PDF-like files (.pdf, the rest: about 6 MB each), all random bytes, so nothing in them
# compresses or is recognised by the search index's extractors.
#
# The files are written straight into the data directory's files/ tree, then
# `kiroku check --repair` gives them their ids and `kiroku index scan` indexes them, both
# before kirokud starts. This is what an administrator copying a folder onto the NAS does,
# and it is fast: writing 2 GB takes seconds, where 5,000 PUTs through WebDAV would copy
# every byte again through kirokud (temp file, rename, version bookkeeping) and then keep
# its indexer busy while the measurements run. kirokud then starts on free ports on
# 127.0.0.1 only, and the script waits until its index has nothing pending.
#
# Then, BENCH_ROUNDS (3) rounds, each running in turn (A/B alternation, the machine is
# noisy), every one timed on the wall clock, `sync`ed before and checked after:
#   Kiroku HTTP  curl GET /handover/export?id=N as yamada (session from the /login form),
#                saved to a file
#   zip -r -0    cd DATA/files && zip -r -0 -q OUT.zip 桜ヶ丘自治区 東山地区/共有
#   Kiroku CLI   kiroku --data DATA handover export 桜ヶ丘自治区 区長 --output OUT.zip
#                (while kirokud runs, as an administrator on the NAS would)
# Every archive must pass `unzip -tq` and hold exactly the role's files (Kiroku: under
# 書類/, plus 引継ぎ書.html, 目次.txt and kiroku.css; zip: plus the folder entries); it is
# deleted after its check. kirokud's VmRSS and VmHWM (/proc/PID/status) are read before
# and after the HTTP exports (and VmRSS after each one, RssAnon and RssFile before and
# after); VmHWM is reset first (echo 5 > /proc/PID/clear_refs) so that it is the peak
# during the exports (where the kernel refuses the reset, VmRSS is sampled every 50 ms
# instead). The CLI's own peak memory comes from GNU time when /usr/bin/time is there.
# Then the handover page, GET /handover?id=N, which counts the role's documents and lists
# each folder's 10 newest and the term's 10 newest changes (the rest are links away; the
# added files are not in the audit log, so the term's changes are the demo's): server
# time with curl --compressed (as a browser asks; time_total, median of BENCH_PAGE_RUNS
# after one warm-up) and, in headless Chromium with 4x CPU throttling, its load time
# (bench/handover-render.mjs, median of BENCH_RUNS), beside /handovers and /login for
# comparison.
#
# Figures: time and MiB/s per round and tool, median and best; archive sizes; zip's median
# time ÷ Kiroku's (>= 1.00x: Kiroku at least as fast; the targets are judged on medians,
# best-against-best is printed for context); kirokud's memory; the page times. Targets
# are printed as "ok" or "MISSED" lines. The archives go to the temp dir, on the same disk
# as the data, for all three.
#
# Exit status: 0 once the results are printed (a missed target is printed as MISSED, it is
# not a failure); non-zero if a tool is missing, there is not enough disk space, kirokud
# does not start, setting up the files, logging in or finding the handover fails, an export
# does not answer 200 or is not a whole archive with the expected entries, a page does not
# answer 200 or lists other than the role's files, or the browser measurement fails.
#
# Environment (all optional):
#   BENCH_FILES=5000      files added to the role's space
#   BENCH_MB=2048         their total size in MiB (BENCH_FILES=200 BENCH_MB=50: a quick run)
#   BENCH_ROUNDS=3        rounds of Kiroku HTTP, zip, Kiroku CLI
#   BENCH_PAGE_RUNS=9     curl runs on the handover page (the median is printed)
#   BENCH_RUNS=5          render-time runs in Chromium (the median is printed)
#   BENCH_THROTTLE=4      Chromium CPU throttling rate for the render times
#   BENCH_BROWSER=1       0: no Chromium (the page is judged on its server time only)
#   BENCH_OUT=DIR         keep the logs, the timings and the browser figures (JSON)
#   TMPDIR=/tmp           where the temp dir (data + one archive at a time) goes
#   KIROKU_BIN=build/bin  where kirokud and kiroku are
#   CHROMIUM=/usr/bin/chromium
# shellcheck disable=SC2317  # cleanup runs from the EXIT trap
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

NFILES=${BENCH_FILES:-5000}
NMB=${BENCH_MB:-2048}
ROUNDS=${BENCH_ROUNDS:-3}
PAGE_RUNS=${BENCH_PAGE_RUNS:-9}
RUNS=${BENCH_RUNS:-5}
THROTTLE=${BENCH_THROTTLE:-4}
BROWSER=${BENCH_BROWSER:-1}
KIROKU_BIN=${KIROKU_BIN:-"$root/build/bin"}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
BROWSER_DIR="$root/tests/browser"     # package.json with playwright-core

# The demo (kiroku demo): yamada is 桜ヶ丘自治区 区長 in 令和8年度, whose handover opens on
# March 1, 2027.
TODAY=2027-03-05
ORG=桜ヶ丘自治区 ROLE=区長
VIEWER=yamada VIEWER_PASS=sakura-kucho-1
INDEX_USER=suzuki INDEX_PASS=sakura-shoki-1
BENCH_DIR=桜ヶ丘自治区/その他/引継ぎベンチ
# What the 区長's role can write, i.e. what its export holds (checked against the export's
# entries below): the association's space and the district's shared folder.
ROLE_DIRS=(桜ヶ丘自治区 東山地区/共有)
# Targets (from the issue)
TARGET_RATIO=1.00
TARGET_RSS_MB=30
TARGET_RENDER_MS=1000

die() { echo "" >&2; echo "bench/handover.sh: ERROR: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$NFILES" =~ ^[1-9][0-9]*$ && "$NFILES" -ge 2 ]] || die "BENCH_FILES must be a whole number >= 2"
[[ "$NMB" =~ ^[1-9][0-9]*$ ]] || die "BENCH_MB must be a whole number >= 1"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number >= 1"
[[ "$PAGE_RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PAGE_RUNS must be a whole number >= 1"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number >= 1"
[[ "$THROTTLE" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THROTTLE must be a whole number >= 1"
[[ "$BROWSER" == 0 || "$BROWSER" == 1 ]] || die "BENCH_BROWSER must be 0 or 1"

# ---------------------------------------------------------------- tools
missing=()
for tool in curl zip unzip python3 awk sync; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ "$BROWSER" == 1 ]]; then
    for tool in node npm; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
    [[ -x "$CHROMIUM" ]] || missing+=("$CHROMIUM")
fi
[[ ${#missing[@]} -eq 0 ]] ||
    die "missing tools: ${missing[*]} (Debian: apt-get install curl zip unzip python3 nodejs npm chromium; or BENCH_BROWSER=0 to skip the browser)"
[[ -x "$KIROKU_BIN/kirokud" && -x "$KIROKU_BIN/kiroku" ]] ||
    die "no kirokud/kiroku in $KIROKU_BIN (run 'make build' or set KIROKU_BIN)"
if [[ "$BROWSER" == 1 ]] &&
    [[ ! -f $BROWSER_DIR/node_modules/.package-lock.json || $BROWSER_DIR/package-lock.json -nt $BROWSER_DIR/node_modules/.package-lock.json ]]; then
    note "npm ci in $BROWSER_DIR (playwright-core)"
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund >&2) || die "npm ci in $BROWSER_DIR failed"
fi
GNU_TIME=""
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true >/dev/null 2>&1 && GNU_TIME=/usr/bin/time

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN {exit !(l + 0 > n + 0)}'; then
    echo "WARNING: load average ${LOAD_START%% *} > $(nproc) CPUs: the machine is busy, figures will be noisy" >&2
fi

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiroku-handover-bench.XXXXXX")
KIROKU_PID=""
SAMPLER_PID=""

# The data, then one archive at a time (each is deleted after its check), and some room.
need_kb=$(( NMB * 1024 * 2 + 200 * 1024 ))
free_kb=$(df -Pk "$TMP" | awk 'NR == 2 {print $4}')
[[ "$free_kb" -ge "$need_kb" ]] ||
    { rm -rf "$TMP"; die "$((free_kb / 1024)) MiB free in $(dirname "$TMP"), need $((need_kb / 1024)) MiB (set TMPDIR or a smaller BENCH_MB)"; }

cleanup() {
    local rc=$?
    set +e
    stop_pid "$SAMPLER_PID"
    stop_pid "$KIROKU_PID"
    if [[ -n "${BENCH_OUT:-}" ]]; then
        mkdir -p "$BENCH_OUT"
        cp "$TMP"/kirokud.log "$TMP"/kiroku-cli.log "$TMP"/timings.txt "$TMP"/browser.json \
            "$TMP"/browser.log "$TMP"/files.txt "$BENCH_OUT"/ 2>/dev/null
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_ready() {  # wait_ready NAME PID URL LOG: until URL answers at all
    local name=$1 pid=$2 url=$3 log=$4
    for _ in $(seq 300); do
        if curl -s -o /dev/null --max-time 2 "$url"; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "--- $log" >&2; tail -n 40 "$log" >&2 || true
            die "$name exited during start-up"
        fi
        sleep 0.1
    done
    echo "--- $log" >&2; tail -n 40 "$log" >&2 || true
    die "$name did not answer $url within 30 s"
}
jfield() {  # jfield FILE KEY: a top-level field of a JSON object
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2" 2>/dev/null
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.3f", b - a}'; }   # seconds since $1
median() {  # median NUMBER...
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
kb_to_mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.0f", b / 1048576 / s; else print "?"}'; }  # MiB/s
status_kb() {  # status_kb PID FIELD: VmRSS, VmHWM … in kB
    awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null
}
kcli() { KIROKU_TODAY=$TODAY KIROKU_LANG=en "$KIROKU_BIN/kiroku" --data "$KDATA" "$@"; }

# ---------------------------------------------------------------- demo data, bench files
KDATA="$TMP/kiroku-data"
note "kiroku demo in $KDATA"
{ KIROKU_LANG=en "$KIROKU_BIN/kiroku" --data "$KDATA" init &&
    KIROKU_LANG=en "$KIROKU_BIN/kiroku" --data "$KDATA" demo; } >"$TMP/kiroku-cli.log" 2>&1 ||
    { cat "$TMP/kiroku-cli.log" >&2; die "kiroku init or demo failed"; }
for d in "${ROLE_DIRS[@]}"; do [[ -d "$KDATA/files/$d" ]] || die "the demo has no $d (kiroku demo changed?)"; done

note "writing $NFILES files, $NMB MiB of random bytes, into files/$BENCH_DIR"
t0=$(now)
python3 - "$KDATA/files/$BENCH_DIR" "$NFILES" "$((NMB * 1048576))" >"$TMP/gen.txt" <<'EOF' ||
import os, random, sys
top, n, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if total < n:
    sys.exit("BENCH_MB is too small for BENCH_FILES (at least one byte each)")
rng = random.Random(20270305)   # the same names and sizes every run; the bytes are random
# 1 in 20 is a large PDF-like file; the small Office-like ones get a quarter of the bytes
# at most (about 100 KB each on average).
n_large = max(1, n // 20)
n_small = n - n_large
small_total = min(total // 4, n_small * 100 * 1024)
if n_small == 0:
    small_total = 0
large_total = total - small_total

def spread(count, budget, low, high):   # `count` sizes >= 1 that add up to `budget`
    if count == 0:
        return []
    w = [rng.uniform(low, high) for _ in range(count)]
    s = sum(w)
    sizes = [max(1, int(budget * x / s)) for x in w]
    sizes[-1] += budget - sum(sizes)
    while sizes[-1] < 1:                 # rounding up the others took too much
        i = max(range(count - 1), key=lambda j: sizes[j])
        sizes[i] -= 1
        sizes[-1] += 1
    return sizes

small = spread(n_small, small_total, 0.1, 1.9)
large = spread(n_large, large_total, 0.4, 1.6)
def small_name(i):
    k = i % 6
    y = 5 + (i // 6) % 4   # 令和5..8年度
    if k == 0: return "議事録/令和%d年度/第%d回役員会議事録.docx" % (y, i)
    if k == 1: return "会計/令和%d年度/会計報告_%d月分_%d.xlsx" % (y, 1 + i % 12, i)
    if k == 2: return "行事/夏祭り/夏祭り_役割分担表_%d.xlsx" % i
    if k == 3: return "行事/防災訓練/防災訓練_実施計画書_%d.docx" % i
    if k == 4: return "回覧/令和%d年度/回覧_お知らせ_第%d号.docx" % (y, i)
    return "届出・申請/班長届出書_%d.docx" % i
def large_name(i):
    k = i % 3
    y = 5 + (i // 3) % 4
    if k == 0: return "市・地区からの通知/みどり市_通知_令和%d年度_第%d号.pdf" % (y, i)
    if k == 1: return "記録写真/行事記録写真集_%d.pdf" % i
    return "総会資料/令和%d年度_定期総会資料_%d.pdf" % (y, i)
files = [(small_name(i + 1), s) for i, s in enumerate(small)]
files += [(large_name(i + 1), s) for i, s in enumerate(large)]
folders = set()
chunk = 1 << 22
for name, size in files:
    path = os.path.join(top, name)
    folder = os.path.dirname(path)
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            step = min(chunk, left)
            f.write(os.urandom(step))
            left -= step
print(n_small, small_total, n_large, large_total, len(folders))
EOF
    die "writing the bench files failed"
WRITE_SECONDS=$(since "$t0")
read -r N_SMALL SMALL_BYTES N_LARGE LARGE_BYTES N_FOLDERS <"$TMP/gen.txt"
note "written in $WRITE_SECONDS s; kiroku check --repair, kiroku index scan"
t0=$(now)
kcli check --repair >>"$TMP/kiroku-cli.log" 2>&1 || { tail -n 20 "$TMP/kiroku-cli.log" >&2; die "kiroku check --repair failed"; }
REPAIR_SECONDS=$(since "$t0")
t0=$(now)
kcli index scan >>"$TMP/kiroku-cli.log" 2>&1 || { tail -n 20 "$TMP/kiroku-cli.log" >&2; die "kiroku index scan failed"; }
SCAN_SECONDS=$(since "$t0")

# What the role's export must hold: every file in its folders, by path (C order).
(cd "$KDATA/files" && find "${ROLE_DIRS[@]}" -type f) | LC_ALL=C sort >"$TMP/files.txt"
N_ROLE=$(wc -l <"$TMP/files.txt")
ROLE_BYTES=$( (cd "$KDATA/files" && find "${ROLE_DIRS[@]}" -type f -printf '%s\n') | awk '{s += $1} END {print s + 0}')
[[ "$N_ROLE" -ge "$NFILES" ]] || die "only $N_ROLE files in ${ROLE_DIRS[*]} after writing $NFILES"

# The handover: opened (March 1 has passed), its id from the first column of the list.
kcli handover list >"$TMP/handovers.txt" 2>&1 || { cat "$TMP/handovers.txt" >&2; die "kiroku handover list failed"; }
HID=$(awk -v o="$ORG" -v r="$ROLE" '$2 == o && $3 == r {print $1; exit}' "$TMP/handovers.txt")
[[ "$HID" =~ ^[0-9]+$ ]] || { cat "$TMP/handovers.txt" >&2; die "no handover of $ORG $ROLE in 'kiroku handover list' (KIROKU_TODAY=$TODAY)"; }
kcli handover show "$ORG" "$ROLE" >"$TMP/show.txt" 2>&1 || { tail -n 20 "$TMP/show.txt" >&2; die "kiroku handover show failed"; }
sed -n 's|^  /||p' "$TMP/show.txt" | LC_ALL=C sort >"$TMP/show-files.txt"
cmp -s "$TMP/show-files.txt" "$TMP/files.txt" ||
    { diff "$TMP/files.txt" "$TMP/show-files.txt" | head -n 10 >&2; die "the handover's inventory (kiroku handover show) is not the files in ${ROLE_DIRS[*]} (diff above: < disk, > inventory)"; }

# ---------------------------------------------------------------- kirokud
KPORT=$(free_port)
KTLS_PORT=$(free_port)
KIROKU_URL="http://127.0.0.1:$KPORT"
note "kirokud on $KIROKU_URL (KIROKU_TODAY=$TODAY)"
KIROKU_TODAY=$TODAY "$KIROKU_BIN/kirokud" --data "$KDATA" --listen "127.0.0.1:$KPORT" \
    --listen-tls "127.0.0.1:$KTLS_PORT" >"$TMP/kirokud.log" 2>&1 &
KIROKU_PID=$!
wait_ready kirokud "$KIROKU_PID" "$KIROKU_URL/login" "$TMP/kirokud.log"
# The index was brought up to date before kirokud started; it must have nothing left to do
# (no indexing during the measurements).
pending='?'
for _ in $(seq 600); do
    curl -sS -o "$TMP/index.json" -u "$INDEX_USER:$INDEX_PASS" "$KIROKU_URL/api/index/status" 2>/dev/null || true
    pending=$(jfield "$TMP/index.json" pending || echo '?')
    [[ "$pending" == 0 ]] && break
    sleep 0.2
done
[[ "$pending" == 0 ]] || die "kirokud's index still has work pending after 120 s: $(cat "$TMP/index.json" 2>/dev/null)"

login_cookie() {  # login_cookie NAME PASSWORD: the kiroku_session value
    local headers
    headers=$(curl -sS -D - -o /dev/null -X POST -H "Origin: $KIROKU_URL" \
        --data-urlencode "name=$1" --data-urlencode "password=$2" --data-urlencode "next=/" \
        "$KIROKU_URL/login") || return 1
    grep -qE '^HTTP/[0-9.]+ 303' <<<"$headers" || return 1
    sed -nE 's/^[Ss]et-[Cc]ookie: kiroku_session=([^;]+).*/\1/p' <<<"$headers" | tr -d '\r' | head -n 1
}
SESSION=$(login_cookie "$VIEWER" "$VIEWER_PASS") || true
[[ -n "$SESSION" ]] || die "POST /login as $VIEWER did not answer 303 with a kiroku_session cookie"
COOKIE_HEADER="Cookie: kiroku_session=$SESSION"

PAGE_PATH="/handover?id=$HID"
EXPORT_PATH="/handover/export?id=$HID"
code=$(curl -sS -o "$TMP/handovers.html" -w '%{http_code}' -H "$COOKIE_HEADER" "$KIROKU_URL/handovers") || code=000
[[ "$code" == 200 ]] || die "GET /handovers as $VIEWER answered $code, expected 200"
grep -qF "href=\"/handover?id=$HID\"" "$TMP/handovers.html" ||
    die "GET /handovers as $VIEWER does not link to $PAGE_PATH (the handover of $ORG $ROLE)"
page_rows() {  # page_rows FILE: "COUNT LISTED": the documents the handover page counts in
    # its inventory heading, and those it lists (each folder's newest; the rest are a link
    # to the folder away)
    python3 - "$1" <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
start = html.find('id="inventory-heading"')
end = html.find('id="changes-heading"', start)
part = html[start:end] if start >= 0 and end > start else ""
count = re.search(r'<span class="count">\s*([0-9,]+)', part)
print((count.group(1).replace(",", "") if count else "-1"), part.count("<li><a href="))
EOF
}

# ---------------------------------------------------------------- the exports
declare -A SECS BYTES
FAILED=()
: >"$TMP/timings.txt"

check_zip() {  # check_zip zip|kiroku LABEL FILE: a whole archive holding the role's files, no others
    local mode=$1 label=$2 f=$3 names="$TMP/names.txt" extra
    if ! LC_ALL=C.UTF-8 unzip -tq "$f" >"$TMP/unzip.log" 2>&1; then
        head -n 5 "$TMP/unzip.log" >&2
        FAILED+=("$label: unzip -tq: the archive is damaged"); return
    fi
    LC_ALL=C.UTF-8 unzip -Z1 "$f" >"$TMP/all-names.txt" || { FAILED+=("$label: unzip -Z1 failed"); return; }
    if [[ "$mode" == zip ]]; then
        { grep -v '/$' "$TMP/all-names.txt" || true; } | LC_ALL=C sort >"$names"
    else
        extra=$({ grep -v '^書類/' "$TMP/all-names.txt" || true; } | LC_ALL=C sort | tr '\n' ' ')
        [[ "$extra" == "kiroku.css 引継ぎ書.html 目次.txt " ]] ||
            FAILED+=("$label: the entries beside 書類/ are '$extra', expected kiroku.css 引継ぎ書.html 目次.txt")
        sed -n 's|^書類/||p' "$TMP/all-names.txt" | LC_ALL=C sort >"$names"
    fi
    if ! cmp -s "$names" "$TMP/files.txt"; then
        diff "$TMP/files.txt" "$names" | head -n 6 >&2 || true
        FAILED+=("$label: the archive holds $(wc -l <"$names") files, not the role's $N_ROLE (diff above: < disk, > archive)")
    fi
}

run_http() {  # run_http ROUND
    local out="$TMP/export-http.zip" t0 w code size ttfb
    rm -f "$out"; sync
    t0=$(now)
    w=$(curl -sS -o "$out" -w '%{http_code} %{size_download} %{time_starttransfer}' -H "$COOKIE_HEADER" \
        "$KIROKU_URL$EXPORT_PATH") || w="000 0 0"
    SECS[http,$1]=$(since "$t0")
    read -r code size ttfb <<<"$w"
    TTFB_HTTP[$1]=$ttfb
    BYTES[http,$1]=$size
    if [[ "$code" != 200 ]]; then
        FAILED+=("Kiroku HTTP round $1: GET $EXPORT_PATH answered $code")
    else
        check_zip kiroku "Kiroku HTTP round $1" "$out"
    fi
    rm -f "$out"
}
run_zip() {
    local out="$TMP/export-zip.zip" t0
    rm -f "$out"; sync
    t0=$(now)
    if ! (cd "$KDATA/files" && zip -r -0 -q "$out" "${ROLE_DIRS[@]}") 2>"$TMP/zip.err"; then
        head -n 5 "$TMP/zip.err" >&2
        FAILED+=("zip round $1: zip -r -0 failed")
    fi
    SECS[zip,$1]=$(since "$t0")
    BYTES[zip,$1]=$(stat -c %s "$out" 2>/dev/null || echo 0)
    [[ -f "$out" ]] && check_zip zip "zip round $1" "$out"
    rm -f "$out"
}
run_cli() {
    local out="$TMP/export-cli.zip" t0 rss=""
    rm -f "$out"; sync
    t0=$(now)
    # The archive's entry names follow the language (引継ぎ書.html, 書類/ …): Japanese, as the
    # pages export it.
    if [[ -n "$GNU_TIME" ]]; then
        KIROKU_TODAY=$TODAY KIROKU_LANG=ja "$GNU_TIME" -o "$TMP/cli-time.txt" -f '%M' \
            "$KIROKU_BIN/kiroku" --data "$KDATA" handover export "$ORG" "$ROLE" --output "$out" \
            >>"$TMP/kiroku-cli.log" 2>&1 || FAILED+=("Kiroku CLI round $1: kiroku handover export failed (see kiroku-cli.log)")
    else
        KIROKU_TODAY=$TODAY KIROKU_LANG=ja "$KIROKU_BIN/kiroku" --data "$KDATA" handover export "$ORG" "$ROLE" \
            --output "$out" >>"$TMP/kiroku-cli.log" 2>&1 ||
            FAILED+=("Kiroku CLI round $1: kiroku handover export failed (see kiroku-cli.log)")
    fi
    SECS[cli,$1]=$(since "$t0")
    [[ -n "$GNU_TIME" ]] && rss=$(tail -n 1 "$TMP/cli-time.txt" 2>/dev/null)
    CLI_RSS_KB[$1]=${rss:-?}
    BYTES[cli,$1]=$(stat -c %s "$out" 2>/dev/null || echo 0)
    [[ -f "$out" ]] && check_zip kiroku "Kiroku CLI round $1" "$out"
    rm -f "$out"
}
declare -a TTFB_HTTP CLI_RSS_KB RSS_ROUND

note "warming the page cache ($(mib "$ROLE_BYTES") MiB)"
(cd "$KDATA/files" && find "${ROLE_DIRS[@]}" -type f -exec cat {} + >/dev/null)

LOAD_EXPORTS=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
RSS_BEFORE=$(status_kb "$KIROKU_PID" VmRSS)
HWM_BEFORE=$(status_kb "$KIROKU_PID" VmHWM)
ANON_BEFORE=$(status_kb "$KIROKU_PID" RssAnon) FILE_BEFORE=$(status_kb "$KIROKU_PID" RssFile)
# The peak during the exports: VmHWM after resetting it to the current RSS (Linux >= 4.0),
# else VmRSS sampled every 50 ms by a loop started here (stopped after the exports).
PEAK_HOW="VmHWM, reset before the first export"
if ! { echo 5 >"/proc/$KIROKU_PID/clear_refs"; } 2>/dev/null ||
    [[ $(status_kb "$KIROKU_PID" VmHWM) -gt $(( $(status_kb "$KIROKU_PID" VmRSS) + 1024 )) ]]; then
    PEAK_HOW="VmRSS sampled every 50 ms (VmHWM could not be reset)"
    (
        peak=0
        while kill -0 "$KIROKU_PID" 2>/dev/null; do
            while read -r k v _; do
                if [[ "$k" == VmRSS: ]]; then
                    if [[ "$v" -gt "$peak" ]]; then peak=$v; echo "$peak" >"$TMP/peak.txt"; fi
                    break
                fi
            done <"/proc/$KIROKU_PID/status"
            sleep 0.05
        done
    ) &
    SAMPLER_PID=$!
fi

for r in $(seq "$ROUNDS"); do
    note "round $r of $ROUNDS: Kiroku HTTP export, zip -r -0, Kiroku CLI export"
    run_http "$r"
    RSS_ROUND[r]=$(status_kb "$KIROKU_PID" VmRSS)
    run_zip "$r"
    run_cli "$r"
    printf 'round %d: http %s s %s B (first byte %s s, kirokud VmRSS after %s kB); zip %s s %s B; cli %s s %s B (max RSS %s kB)\n' "$r" \
        "${SECS[http,$r]}" "${BYTES[http,$r]}" "${TTFB_HTTP[$r]}" "${RSS_ROUND[$r]}" "${SECS[zip,$r]}" "${BYTES[zip,$r]}" \
        "${SECS[cli,$r]}" "${BYTES[cli,$r]}" "${CLI_RSS_KB[$r]}" | tee -a "$TMP/timings.txt" >&2
done
kill -0 "$KIROKU_PID" 2>/dev/null || die "kirokud died during the exports"
RSS_AFTER=$(status_kb "$KIROKU_PID" VmRSS)
HWM_AFTER=$(status_kb "$KIROKU_PID" VmHWM)
ANON_AFTER=$(status_kb "$KIROKU_PID" RssAnon) FILE_AFTER=$(status_kb "$KIROKU_PID" RssFile)
if [[ -n "$SAMPLER_PID" ]]; then
    stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
    PEAK=$(cat "$TMP/peak.txt" 2>/dev/null || echo "$RSS_AFTER")
    [[ "$RSS_AFTER" -gt "$PEAK" ]] && PEAK=$RSS_AFTER
else
    PEAK=$HWM_AFTER
fi

# ---------------------------------------------------------------- the handover page
note "GET $PAGE_PATH: 1 warm-up + $PAGE_RUNS timed"
code=$(curl -sS -o "$TMP/page.html" -w '%{http_code}' -H "$COOKIE_HEADER" "$KIROKU_URL$PAGE_PATH") || code=000
[[ "$code" == 200 ]] || die "GET $PAGE_PATH as $VIEWER answered $code, expected 200"
read -r PAGE_COUNT PAGE_ROWS < <(page_rows "$TMP/page.html")
[[ "$PAGE_COUNT" -eq "$N_ROLE" && "$PAGE_ROWS" -gt 0 ]] ||
    die "the handover page counts $PAGE_COUNT documents (lists $PAGE_ROWS), expected the role's $N_ROLE"
PAGE_BYTES=$(wc -c <"$TMP/page.html")
# Timed as a browser asks for it: with Accept-Encoding (kirokud gzips its pages then).
PAGE_MS=() PAGE_TTFB_MS=()
for _ in $(seq "$PAGE_RUNS"); do
    w=$(curl -sS --compressed -o /dev/null -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
        -H "$COOKIE_HEADER" "$KIROKU_URL$PAGE_PATH") || w="000 0 0 0"
    read -r code ttfb total PAGE_SENT <<<"$w"
    [[ "$code" == 200 ]] || die "GET $PAGE_PATH answered $code during the timed runs"
    PAGE_MS+=("$(awk -v t="$total" 'BEGIN {printf "%.1f", t * 1000}')")
    PAGE_TTFB_MS+=("$(awk -v t="$ttfb" 'BEGIN {printf "%.1f", t * 1000}')")
done
PAGE_MED=$(awk -v m="$(median "${PAGE_MS[@]}")" 'BEGIN {printf "%.1f", m}')
PAGE_TTFB_MED=$(median "${PAGE_TTFB_MS[@]}")
PAGE_MIN=$(printf '%s\n' "${PAGE_MS[@]}" | sort -g | head -n 1)
PAGE_MAX=$(printf '%s\n' "${PAGE_MS[@]}" | sort -g | tail -n 1)

RENDER_MS=""
if [[ "$BROWSER" == 1 ]]; then
    V=$VIEWER VP=$VIEWER_PASS CHROMIUM=$CHROMIUM KURL=$KIROKU_URL PAGE=$PAGE_PATH ROWS=$PAGE_ROWS NDOCS=$N_ROLE \
    RUNS=$RUNS THROTTLE=$THROTTLE TARGET=$TARGET_RENDER_MS ORG=$ORG ROLE=$ROLE OUT="$TMP/browser.json" \
    python3 - "$TMP/browser-config.json" <<'EOF'
import json, os, sys
e = os.environ
json.dump({
    "chromium": e["CHROMIUM"], "kiroku": e["KURL"], "user": e["V"], "password": e["VP"],
    "render": [
        {"name": "/handover?id=… (%s %s, %s files)" % (e["ORG"], e["ROLE"], e["NDOCS"]),
         "path": e["PAGE"], "as": True, "rows": int(e["ROWS"])},
        {"name": "/handovers (the list)", "path": "/handovers", "as": True, "peer": True},
        {"name": "/login (a small page)", "path": "/login", "as": False, "peer": True},
    ],
    "runs": int(e["RUNS"]), "peerRuns": 3, "throttle": int(e["THROTTLE"]),
    "targetMs": int(e["TARGET"]), "out": e["OUT"],
}, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
EOF
    note "Chromium: render times (${THROTTLE}x CPU throttling, $RUNS runs)"
    node "$here/handover-render.mjs" "$TMP/browser-config.json" >"$TMP/browser.log" ||
        { cat "$TMP/browser.log" >&2; die "the browser measurement failed (bench/handover-render.mjs)"; }
    RENDER_MS=$(python3 -c 'import json, sys; print(int(json.load(open(sys.argv[1]))["render"][0]["median"]["load"] + 0.5))' "$TMP/browser.json")
fi

# ---------------------------------------------------------------- report
for k in http zip cli; do
    vals=()
    for r in $(seq "$ROUNDS"); do vals+=("${SECS[$k,$r]}"); done
    SECS[$k,med]=$(median "${vals[@]}")
    SECS[$k,best]=$(printf '%s\n' "${vals[@]}" | sort -g | head -n 1)
    BYTES[$k,med]=${BYTES[$k,1]} BYTES[$k,best]=${BYTES[$k,1]}
done
RATIO_HTTP=$(awk -v z="${SECS[zip,med]}" -v k="${SECS[http,med]}" 'BEGIN {if (k > 0) printf "%.2f", z / k; else print "0"}')
RATIO_CLI=$(awk -v z="${SECS[zip,med]}" -v k="${SECS[cli,med]}" 'BEGIN {if (k > 0) printf "%.2f", z / k; else print "0"}')
RATIO_HTTP_BEST=$(awk -v z="${SECS[zip,best]}" -v k="${SECS[http,best]}" 'BEGIN {if (k > 0) printf "%.2f", z / k; else print "0"}')
RATIO_CLI_BEST=$(awk -v z="${SECS[zip,best]}" -v k="${SECS[cli,best]}" 'BEGIN {if (k > 0) printf "%.2f", z / k; else print "0"}')
GROWTH_PEAK=$(awk -v p="$PEAK" -v b="$RSS_BEFORE" 'BEGIN {printf "%.1f", (p - b) / 1024}')
GROWTH_AFTER=$(awk -v a="$RSS_AFTER" -v b="$RSS_BEFORE" 'BEGIN {printf "%.1f", (a - b) / 1024}')

echo
echo "Kiroku handover export benchmark, $(nproc) CPUs, loopback; $(zip -v | sed -n 's/^This is \(Zip [0-9.]*\).*/Info-ZIP \1/p')"
echo "  Load average at the start: $LOAD_START; before the exports: $LOAD_EXPORTS"
echo "  Data: kiroku demo + $BENCH_DIR/: $NFILES files, $(mib $((SMALL_BYTES + LARGE_BYTES))) MiB of random bytes in $N_FOLDERS folders:"
echo "        $N_SMALL Office-like .docx/.xlsx ($(mib "$SMALL_BYTES") MiB), $N_LARGE PDF-like .pdf ($(mib "$LARGE_BYTES") MiB)"
echo "        written into files/ in $WRITE_SECONDS s; kiroku check --repair $REPAIR_SECONDS s; kiroku index scan $SCAN_SECONDS s"
echo "  Export of the handover of $ORG $ROLE (id $HID, KIROKU_TODAY=$TODAY): $N_ROLE files, $(mib "$ROLE_BYTES") MiB, in ${ROLE_DIRS[*]}"
echo
echo "ZIP export, $ROUNDS rounds, each in turn: Kiroku HTTP (curl GET $EXPORT_PATH as $VIEWER, to a file),"
echo "zip -r -0 -q OUT.zip ${ROLE_DIRS[*]} (in files/), Kiroku CLI (kiroku handover export $ORG $ROLE --output OUT.zip)"
printf '%-7s %10s %8s %12s %10s %8s %10s %8s\n' round "HTTP s" "MiB/s" "kirokud MB" "zip s" "MiB/s" "CLI s" "MiB/s"
for r in $(seq "$ROUNDS") med best; do
    case $r in med) label=median rss="" ;; best) label=best rss="" ;; *) label=$r rss=$(kb_to_mb "${RSS_ROUND[$r]}") ;; esac
    printf '%-7s %10s %8s %12s %10s %8s %10s %8s\n' "$label" \
        "${SECS[http,$r]}" "$(rate "${BYTES[http,$r]}" "${SECS[http,$r]}")" "$rss" \
        "${SECS[zip,$r]}" "$(rate "${BYTES[zip,$r]}" "${SECS[zip,$r]}")" \
        "${SECS[cli,$r]}" "$(rate "${BYTES[cli,$r]}" "${SECS[cli,$r]}")"
done
echo "kirokud MB = its VmRSS just after that round's HTTP export ($(kb_to_mb "$RSS_BEFORE") MB before the first)."
echo "Archives: Kiroku HTTP ${BYTES[http,1]} bytes, zip ${BYTES[zip,1]} bytes, Kiroku CLI ${BYTES[cli,1]} bytes; each checked with"
echo "unzip -tq and holding exactly the role's $N_ROLE files (Kiroku: + 引継ぎ書.html, 目次.txt, kiroku.css)."
echo "Kiroku HTTP's first byte came after $(awk -v t="$(median "${TTFB_HTTP[@]}")" 'BEGIN {printf "%.0f", t * 1000}') ms (median): the inventory is found before streaming starts."
echo "Speed ratio = zip's median time ÷ Kiroku's (>= 1.00x: Kiroku at least as fast):"
echo "  Kiroku HTTP ${RATIO_HTTP}x, Kiroku CLI ${RATIO_CLI}x (best of $ROUNDS against best: HTTP ${RATIO_HTTP_BEST}x, CLI ${RATIO_CLI_BEST}x)"
echo
echo "kirokud memory (/proc/$KIROKU_PID/status) around the $ROUNDS HTTP exports:"
echo "  before: VmRSS $(kb_to_mb "$RSS_BEFORE") MB (VmHWM since start $(kb_to_mb "$HWM_BEFORE") MB); after: VmRSS $(kb_to_mb "$RSS_AFTER") MB, VmHWM $(kb_to_mb "$HWM_AFTER") MB"
echo "  peak during the exports: $(kb_to_mb "$PEAK") MB ($PEAK_HOW); growth: peak +$GROWTH_PEAK MB, after +$GROWTH_AFTER MB"
if [[ -n "$ANON_BEFORE" && -n "$ANON_AFTER" ]]; then
    echo "  of VmRSS: RssAnon (heap, stacks) $(kb_to_mb "$ANON_BEFORE") -> $(kb_to_mb "$ANON_AFTER") MB, RssFile (the binary's and libraries' pages"
    echo "  touched so far) $(kb_to_mb "$FILE_BEFORE") -> $(kb_to_mb "$FILE_AFTER") MB"
fi
if [[ -n "$GNU_TIME" ]]; then
    echo "  kiroku handover export (CLI, its own process): max RSS $(kb_to_mb "$(median "${CLI_RSS_KB[@]}")") MB (GNU time, median)"
fi
echo
echo "Handover page GET $PAGE_PATH as $VIEWER: $PAGE_COUNT documents counted, $PAGE_ROWS listed (each folder's newest), $(awk -v b="$PAGE_BYTES" 'BEGIN {printf "%.0f", b / 1024}') KB of HTML ($(awk -v b="${PAGE_SENT:-0}" 'BEGIN {printf "%.0f", b / 1024}') KB sent gzipped)"
echo "  server (curl --compressed, median of $PAGE_RUNS after a warm-up): $PAGE_MED ms (min $PAGE_MIN, max $PAGE_MAX; first byte $PAGE_TTFB_MED ms)"
if [[ "$BROWSER" == 1 ]]; then
    echo
    cat "$TMP/browser.log"
fi
echo

target() {  # target OK TEXT
    printf '  %-7s %s\n' "$(if [[ "$1" == 1 ]]; then echo ok; else echo MISSED; fi)" "$2"
}
echo "Targets (Kiroku)"
target "$(awk -v r="$RATIO_HTTP" -v g="$TARGET_RATIO" 'BEGIN {print (r >= g) ? 1 : 0}')" \
    "ZIP export (HTTP) at least as fast as zip -r -0: ${RATIO_HTTP}x (median ${SECS[http,med]} s vs ${SECS[zip,med]} s, $N_ROLE files, $(mib "$ROLE_BYTES") MiB)"
target "$(awk -v r="$RATIO_CLI" -v g="$TARGET_RATIO" 'BEGIN {print (r >= g) ? 1 : 0}')" \
    "ZIP export (CLI) at least as fast as zip -r -0: ${RATIO_CLI}x (median ${SECS[cli,med]} s vs ${SECS[zip,med]} s)"
target "$(awk -v g1="$GROWTH_PEAK" -v g2="$GROWTH_AFTER" -v t="$TARGET_RSS_MB" 'BEGIN {print (g1 < t && g2 < t) ? 1 : 0}')" \
    "kirokud's RSS grows by < $TARGET_RSS_MB MB during the HTTP exports: peak +$GROWTH_PEAK MB, after +$GROWTH_AFTER MB"
if [[ "$BROWSER" == 1 ]]; then
    target "$(awk -v t="$RENDER_MS" -v g="$TARGET_RENDER_MS" 'BEGIN {print (t < g) ? 1 : 0}')" \
        "handover page ($PAGE_COUNT files) renders in < $TARGET_RENDER_MS ms at ${THROTTLE}x CPU throttling: $RENDER_MS ms (server $PAGE_MED ms)"
else
    target "$(awk -v t="$PAGE_MED" -v g="$TARGET_RENDER_MS" 'BEGIN {print (t < g) ? 1 : 0}')" \
        "handover page ($PAGE_COUNT files) served in < $TARGET_RENDER_MS ms: $PAGE_MED ms (server time only: BENCH_BROWSER=0)"
fi

if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo
    for f in "${FAILED[@]}"; do echo "ERROR: $f" >&2; done
    die "${#FAILED[@]} check(s) failed; the figures above for those runs are not valid"
fi
exit 0
