#!/usr/bin/env bash
# Web UI benchmark: Kiroku's server-rendered pages against Apache mod_autoindex listing
# the same folder.
#
# Starts kirokud on the demo data (`kiroku demo`), puts BENCH_FILES (1,000) small
# Japanese text files into 桜ヶ丘自治区/その他/千件 through WebDAV (as suzuki, 書記),
# waits for the index, copies that folder out for a private Apache (mod_autoindex,
# Debian's stock FancyIndexing/HTMLTable listing, own config in a temp dir), both on
# free ports on 127.0.0.1, then measures:
#   weight   every page's first view in headless Chromium (fresh context, empty cache):
#            requests and bytes received, /raw/ (the user's own files) left out;
#            target <= 150 KB a page (bench/web-render.mjs)
#   render   the 1,000-file folder page and a search page with hits, 4x CPU throttling,
#            navigation start to the end of the load event, median of 5; target < 1 s;
#            Apache's listing and an empty page (the browser's own cost) for comparison
#   serve    wrk -t2 -c8 on the 1,000-file folder page (logged in as yamada, 区長) and on
#            Apache's listing of the same folder; target p99 < 50 ms
# and prints the figures, each next to its target, and Kiroku/Apache.
#
# Exit status: 0 once the results are printed (a missed target is printed as MISSED, it
# is not a failure); non-zero if a tool is missing, a server does not start, setting up
# the files or logging in fails, a page does not answer 200, or a wrk run has a
# significant share of errors.
#
# Environment (all optional):
#   BENCH_SECONDS=10      duration of each measured wrk run
#   BENCH_WARMUP=2        warm-up seconds before each measured run (0: none)
#   BENCH_CONNECTIONS=8   wrk -c
#   BENCH_THREADS=2       wrk -t
#   BENCH_FILES=1000      files in the big folder
#   BENCH_RUNS=5          render-time runs per page (the median is printed)
#   BENCH_THROTTLE=4      Chromium CPU throttling rate for the render times
#   BENCH_QUERY=カラス対策  the search (it is in every bench file)
#   BENCH_APACHE_AUTH=basic   basic | none (Apache's auth; Kiroku always needs its session)
#   BENCH_MAX_ERROR_PCT=1 share of non-2xx/socket errors (in %) above which a run fails
#   BENCH_OUT=DIR         keep wrk's raw outputs, the browser figures (JSON), the logs
#   KIROKU_BIN=build/bin  where kirokud and kiroku are
#   CHROMIUM=/usr/bin/chromium
#   APACHE_MODULES=/usr/lib/apache2/modules
# shellcheck disable=SC2317  # cleanup/stop_pid run from the EXIT trap
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-2}
NFILES=${BENCH_FILES:-1000}
RUNS=${BENCH_RUNS:-5}
THROTTLE=${BENCH_THROTTLE:-4}
QUERY=${BENCH_QUERY:-カラス対策}
APACHE_AUTH=${BENCH_APACHE_AUTH:-basic}
MAX_ERR_PCT=${BENCH_MAX_ERROR_PCT:-1}
KIROKU_BIN=${KIROKU_BIN:-"$root/build/bin"}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
APACHE_MODULES=${APACHE_MODULES:-/usr/lib/apache2/modules}
APACHE_ICONS=/usr/share/apache2/icons
BROWSER_DIR="$root/tests/browser"     # package.json with playwright-core

# The demo people (kiroku demo): yamada manages 桜ヶ丘自治区, suzuki writes in it.
WRITER=suzuki WRITER_PASS=sakura-shoki-1
VIEWER=yamada VIEWER_PASS=sakura-kucho-1
ADMIN=admin ADMIN_PASS=kiroku-admin-1
BIG_DIR=桜ヶ丘自治区/その他/千件
APACHE_USER=bench APACHE_PASS='bench-Pass-2024'
# Targets (from the issue)
TARGET_KB=150
TARGET_RENDER_MS=1000
TARGET_P99_MS=50

die() { echo "" >&2; echo "bench/web.sh: ERROR: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "$APACHE_AUTH" in basic|none) ;; *) die "BENCH_APACHE_AUTH must be 'basic' or 'none'" ;; esac
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] || die "BENCH_SECONDS must be a whole number >= 1"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a whole number"
[[ "$NFILES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_FILES must be a whole number >= 1"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number >= 1"
[[ "$THROTTLE" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THROTTLE must be a whole number >= 1"

# ---------------------------------------------------------------- tools
missing=()
for tool in wrk curl apache2 htpasswd node npm python3 base64 awk; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -x "$CHROMIUM" ]] || missing+=("$CHROMIUM")
[[ ${#missing[@]} -eq 0 ]] ||
    die "missing tools: ${missing[*]} (Debian: apt-get install wrk curl apache2 apache2-utils nodejs npm chromium; install/install-deps.sh)"
[[ -f "$APACHE_MODULES/mod_autoindex.so" ]] || die "mod_autoindex not found in $APACHE_MODULES (set APACHE_MODULES)"
[[ -f "$APACHE_ICONS/text.gif" ]] || die "no Apache icons in $APACHE_ICONS (Debian package apache2-data)"
[[ -x "$KIROKU_BIN/kirokud" && -x "$KIROKU_BIN/kiroku" ]] ||
    die "no kirokud/kiroku in $KIROKU_BIN (run 'make build' or set KIROKU_BIN)"
# playwright-core from tests/browser, installed as tests/browser/run.sh does.
if [[ ! -f $BROWSER_DIR/node_modules/.package-lock.json || $BROWSER_DIR/package-lock.json -nt $BROWSER_DIR/node_modules/.package-lock.json ]]; then
    note "npm ci in $BROWSER_DIR (playwright-core)"
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund >&2) || die "npm ci in $BROWSER_DIR failed"
fi

# Before this script adds its own load (its browser runs keep the 1-minute average up
# through the wrk runs).
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN {exit !(l + 0 > n + 0)}'; then
    echo "WARNING: load average ${LOAD_START%% *} > $(nproc) CPUs: the machine is busy, figures will be noisy" >&2
fi

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d /tmp/kiroku-web-bench.XXXXXX)
KIROKU_PID=""
APACHE_PID=""

cleanup() {
    local rc=$?
    set +e
    stop_pid "$KIROKU_PID"
    if [[ -n "$APACHE_PID" ]]; then
        local children
        children=$(pgrep -P "$APACHE_PID" 2>/dev/null)
        stop_pid "$APACHE_PID"
        for c in $children; do kill -KILL "$c" 2>/dev/null; done
    fi
    if [[ -n "${BENCH_OUT:-}" ]]; then
        mkdir -p "$BENCH_OUT"
        cp "$TMP"/wrk-*.txt "$TMP"/browser.json "$TMP"/browser.log "$TMP"/kirokud.log \
            "$TMP"/apache/logs/error.log "$BENCH_OUT"/ 2>/dev/null
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_ready() {  # wait_ready NAME PID URL LOG: until URL answers at all
    local name=$1 pid=$2 url=$3 log=$4
    for _ in $(seq 150); do
        if curl -s -o /dev/null --max-time 2 "$url"; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "--- $log" >&2; tail -n 40 "$log" >&2 || true
            die "$name exited during start-up"
        fi
        sleep 0.1
    done
    echo "--- $log" >&2; tail -n 40 "$log" >&2 || true
    die "$name did not answer $url within 15 s"
}

urlenc() {  # urlenc TEXT: percent-encoded, '/' kept
    python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"
}
jfield() {  # jfield FILE KEY: a top-level field of a JSON object
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2" 2>/dev/null
}

# ---------------------------------------------------------------- kirokud, demo data
KDATA="$TMP/kiroku-data"
KPORT=$(free_port)
KTLS_PORT=$(free_port)
KIROKU_URL="http://127.0.0.1:$KPORT"
note "kiroku demo; kirokud on $KIROKU_URL"
{ KIROKU_LANG=en "$KIROKU_BIN/kiroku" --data "$KDATA" init &&
    KIROKU_LANG=en "$KIROKU_BIN/kiroku" --data "$KDATA" demo; } >"$TMP/kiroku-cli.log" 2>&1 ||
    { cat "$TMP/kiroku-cli.log" >&2; die "kiroku init or demo failed"; }
"$KIROKU_BIN/kirokud" --data "$KDATA" --listen "127.0.0.1:$KPORT" --listen-tls "127.0.0.1:$KTLS_PORT" \
    >"$TMP/kirokud.log" 2>&1 &
KIROKU_PID=$!
wait_ready kirokud "$KIROKU_PID" "$KIROKU_URL/login" "$TMP/kirokud.log"

# ---------------------------------------------------------------- the 1,000 files
# Names like 令和7年度_第12回役員会議事録.txt (three 年度), a few lines of Japanese each,
# every one with QUERY in it. Created through WebDAV by suzuki, so that kirokud records
# who wrote them and indexes them as it does for anyone's PC.
note "creating $BIG_DIR with $NFILES files through WebDAV (MKCOL + PUT, 4 at a time)"
mkdir -p "$TMP/src"
python3 - "$TMP/src" "$KIROKU_URL/dav/" "$BIG_DIR" "$NFILES" "$QUERY" "$WRITER:$WRITER_PASS" >"$TMP/put.curlrc" <<'EOF'
import sys, urllib.parse
src, base, folder, n, query, auth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
topics = ["夏祭りの役割分担", "防犯灯の修理の要望", "回覧板の順番の見直し", "公民館の清掃当番",
          "敬老会の記念品", "資源回収の日程", "防災訓練の集合場所", "会費の集め方"]
common = ('user = "%s"\noutput = "/dev/null"\nsilent\nshow-error\n'
          'write-out = "%%{http_code} %%{url_effective}\\n"\n' % auth)
out = []
for i in range(1, n + 1):
    y = 5 + i % 3
    name = "令和%d年度_第%d回役員会議事録.txt" % (y, i)
    text = ("桜ヶ丘自治区 令和%d年度 第%d回役員会 議事録\n"
            "日時：令和%d年%d月%d日（日）午後7時　場所：桜ヶ丘公民館\n"
            "出席：区長 山田、書記 鈴木、会計 ほか%d名\n"
            "議題：\n・ごみ集積所の%sネットの購入について\n・%s\n"
            "決定事項：次回の役員会で改めて確認する。\n") % (
        y, i, y, 1 + i % 12, 1 + i % 28, 3 + i % 7, query, topics[i % len(topics)])
    path = "%s/%d.txt" % (src, i)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out.append('url = "%s%s"\nupload-file = "%s"\n%s'
               % (base, urllib.parse.quote(folder + "/" + name), path, common))
sys.stdout.write("next\n".join(out))
EOF
BIG_ENC=$(urlenc "$BIG_DIR")
curl -sS -o "$TMP/index.json" -u "$WRITER:$WRITER_PASS" "$KIROKU_URL/api/index/status" ||
    die "GET /api/index/status as $WRITER failed"
INDEXED_BEFORE=$(jfield "$TMP/index.json" indexed) || die "GET /api/index/status: no 'indexed' in $(cat "$TMP/index.json")"
code=$(curl -sS -o /dev/null -w '%{http_code}' -u "$WRITER:$WRITER_PASS" -X MKCOL "$KIROKU_URL/dav/$BIG_ENC/") || code=000
[[ "$code" == 201 ]] || die "MKCOL /dav/$BIG_DIR/ as $WRITER answered $code, expected 201"
t0=$(date +%s.%N)
curl -Z --parallel-max 4 -K "$TMP/put.curlrc" >"$TMP/put.status" 2>"$TMP/put.err" ||
    { head -n 20 "$TMP/put.err" >&2; die "curl failed creating the bench files"; }
PUT_SECONDS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
[[ $(wc -l <"$TMP/put.status") -eq $NFILES ]] ||
    { head -n 20 "$TMP/put.err" >&2; die "curl did not report $NFILES PUT statuses"; }
bad=$(awk '$1 !~ /^20[0-9]$/' "$TMP/put.status")
[[ -z "$bad" ]] || { echo "$bad" | head -n 5 >&2; die "kirokud refused to store bench files (statuses above)"; }
note "$NFILES PUTs in $PUT_SECONDS s; waiting for the index"
t0=$(date +%s.%N)
indexed=0
for _ in $(seq 600); do
    curl -sS -o "$TMP/index.json" -u "$WRITER:$WRITER_PASS" "$KIROKU_URL/api/index/status" 2>/dev/null || true
    pending=$(jfield "$TMP/index.json" pending || echo '?')
    indexed=$(jfield "$TMP/index.json" indexed || echo 0)
    [[ "$pending" == 0 && "$indexed" -ge $((INDEXED_BEFORE + NFILES)) ]] && break
    sleep 0.2
done
[[ "$pending" == 0 && "$indexed" -ge $((INDEXED_BEFORE + NFILES)) ]] ||
    die "the index did not catch up within 120 s: $(cat "$TMP/index.json" 2>/dev/null)"
INDEX_SECONDS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
note "index caught up ($indexed documents) $INDEX_SECONDS s after the last PUT"

# ---------------------------------------------------------------- logging in (for wrk)
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

FOLDER_PATH="/files/$BIG_ENC/"
SEARCH_PATH="/search?q=$(urlenc "$QUERY")"
code=$(curl -sS -o "$TMP/folder.html" -w '%{http_code}' -H "$COOKIE_HEADER" "$KIROKU_URL$FOLDER_PATH") || code=000
[[ "$code" == 200 ]] || die "Kiroku: GET $FOLDER_PATH as $VIEWER answered $code, expected 200"
# The folder page shows a page of at most 50 entries (the whole list on request, ?all=1,
# for printing): both must be complete.
K_ROWS=$(grep -o '<td class="name">' "$TMP/folder.html" | wc -l)
PAGE_ROWS=$(( NFILES < 50 ? NFILES : 50 ))
[[ "$K_ROWS" -eq "$PAGE_ROWS" ]] || die "Kiroku: the folder page lists $K_ROWS entries, expected $PAGE_ROWS"
code=$(curl -sS -o "$TMP/folder-all.html" -w '%{http_code}' -H "$COOKIE_HEADER" "$KIROKU_URL$FOLDER_PATH?all=1") || code=000
[[ "$code" == 200 ]] || die "Kiroku: GET $FOLDER_PATH?all=1 answered $code, expected 200"
ALL_ROWS=$(grep -o '<td class="name">' "$TMP/folder-all.html" | wc -l)
[[ "$ALL_ROWS" -eq "$NFILES" ]] || die "Kiroku: the whole folder list shows $ALL_ROWS entries, expected $NFILES"
K_HTML_BYTES=$(wc -c <"$TMP/folder.html")
code=$(curl -sS -o "$TMP/search.html" -w '%{http_code}' -H "$COOKIE_HEADER" "$KIROKU_URL$SEARCH_PATH") || code=000
[[ "$code" == 200 ]] || die "Kiroku: GET $SEARCH_PATH answered $code, expected 200"
S_HITS=$(grep -o '<li class="hit">' "$TMP/search.html" | wc -l)
S_COUNT=$(sed -nE 's/.*<p class="count" role="status">([^<]*)<.*/\1/p' "$TMP/search.html" | head -n 1)
[[ "$S_HITS" -gt 0 ]] || die "Kiroku: the search for $QUERY shows no hits"
note "Kiroku: folder page $K_ROWS entries, $K_HTML_BYTES bytes; search: $S_HITS hits shown ($S_COUNT)"

# ---------------------------------------------------------------- apache
A="$TMP/apache"
mkdir -p "$A/run" "$A/logs" "$A/htdocs/$BIG_DIR"
cp -a "$KDATA/files/$BIG_DIR/." "$A/htdocs/$BIG_DIR/"     # same names, sizes and dates
printf '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>空のページ</title></head><body><p>空のページ</p></body></html>\n' >"$A/blank.html"
APORT=$(free_port)
APACHE_URL="http://127.0.0.1:$APORT"
: >"$A/user.conf"
if [[ $(id -u) -eq 0 ]]; then
    # Apache will not serve as root: its children run as www-data (or nobody).
    run_user=www-data
    id "$run_user" >/dev/null 2>&1 || run_user=nobody
    run_group=$(id -gn "$run_user")
    printf 'User %s\nGroup %s\n' "$run_user" "$run_group" >"$A/user.conf"
    chmod 755 "$TMP" "$A"
    chmod -R a+rX "$A/htdocs" "$A/blank.html"
    chown -R "$run_user:$run_group" "$A/run"
fi
APACHE_HEADER=""
if [[ "$APACHE_AUTH" == basic ]]; then
    htpasswd -b -c -s "$A/htpasswd" "$APACHE_USER" "$APACHE_PASS" 2>/dev/null
    chmod a+r "$A/htpasswd"
    cat >"$A/auth.conf" <<EOF
AuthType Basic
AuthName "Kiroku bench"
AuthBasicProvider file
AuthUserFile "$A/htpasswd"
Require valid-user
EOF
    APACHE_HEADER="Authorization: Basic $(printf '%s:%s' "$APACHE_USER" "$APACHE_PASS" | base64 -w0)"
else
    echo 'Require all granted' >"$A/auth.conf"
fi
sed -e "s|@APACHE_DIR@|$A|g" -e "s|@PORT@|$APORT|g" -e "s|@FILES@|$A/htdocs|g" \
    -e "s|@MODULES@|$APACHE_MODULES|g" -e "s|@ICONS@|$APACHE_ICONS|g" \
    "$here/apache/autoindex.conf.in" >"$A/httpd.conf"
apache2 -t -d "$A" -f "$A/httpd.conf" >"$A/logs/configtest.log" 2>&1 ||
    { cat "$A/logs/configtest.log" >&2; die "Apache rejected its generated config $A/httpd.conf"; }
note "apache2 (mod_autoindex): $APACHE_URL serving a copy of $BIG_DIR"
apache2 -d "$A" -f "$A/httpd.conf" -DFOREGROUND >"$A/logs/stdout.log" 2>&1 &
APACHE_PID=$!
wait_ready apache2 "$APACHE_PID" "$APACHE_URL/blank.html" "$A/logs/error.log"
apache_curl() { if [[ -n "$APACHE_HEADER" ]]; then curl -H "$APACHE_HEADER" "$@"; else curl "$@"; fi; }
code=$(apache_curl -sS -o "$TMP/apache.html" -w '%{http_code}' "$APACHE_URL$FOLDER_PATH") || code=000
[[ "$code" == 200 ]] || die "Apache: GET $FOLDER_PATH answered $code, expected 200"
A_ROWS=$(grep -c '<tr><td valign="top"><img' "$TMP/apache.html" || true)
A_ROWS=$((A_ROWS - 1))   # the first row is the parent directory
[[ "$A_ROWS" -eq "$NFILES" ]] || die "Apache: the listing has $A_ROWS entries, expected $NFILES"
A_HTML_BYTES=$(wc -c <"$TMP/apache.html")
if [[ "$APACHE_AUTH" == basic ]]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' "$APACHE_URL$FOLDER_PATH") || code=000
    [[ "$code" == 401 ]] || die "Apache answered $code without credentials; Basic auth is not in force"
fi
note "Apache: listing $A_ROWS entries, $A_HTML_BYTES bytes"

# ---------------------------------------------------------------- the browser
FILE_PATH="/files/$BIG_ENC/$(urlenc "令和6年度_第1回役員会議事録.txt")"
FILE_Q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$BIG_DIR/令和6年度_第1回役員会議事録.txt")
DEMO_DIR_PATH="/files/$(urlenc 桜ヶ丘自治区)/"
# The config of bench/web-render.mjs: which pages, as whom (values passed through the
# environment, so that no quoting can break the JSON).
V=$VIEWER AD=$ADMIN VP=$VIEWER_PASS ADP=$ADMIN_PASS CHROMIUM=$CHROMIUM KURL=$KIROKU_URL AURL=$APACHE_URL \
AHEADER=$APACHE_HEADER NFILES=$NFILES QUERY=$QUERY FOLDER=$FOLDER_PATH SEARCH=$SEARCH_PATH FILE=$FILE_PATH \
FILE_Q=$FILE_Q DEMO_DIR=$DEMO_DIR_PATH RUNS=$RUNS THROTTLE=$THROTTLE LIMIT=$TARGET_KB TARGET=$TARGET_RENDER_MS \
OUT="$TMP/browser.json" python3 - "$TMP/browser-config.json" <<'EOF'
import json, os, sys
e = os.environ
V, AD, n = e["V"], e["AD"], e["NFILES"]
apache_headers = {"Authorization": e["AHEADER"].split(": ", 1)[1]} if e["AHEADER"] else {}
pages = [
    ("/login", "/login", None),
    ("/ (home)", "/", V),
    ("/files/ (all folders)", "/files/", V),
    ("/files/桜ヶ丘自治区/ (7 entries)", e["DEMO_DIR"], V),
    ("/files/…/千件/ (%s files, 50 a page)" % n, e["FOLDER"], V),
    ("/files/…/千件/?all=1 (all %s, to print)" % n, e["FOLDER"] + "?all=1", V),
    ("/files/…/千件/<file> (file page)", e["FILE"], V),
    ("/versions?path=<file>", "/versions?path=" + e["FILE_Q"], V),
    ("/search?q=" + e["QUERY"], e["SEARCH"], V),
    ("/trash", "/trash", V), ("/settings", "/settings", V), ("/connect", "/connect", V),
]
for p in ("/admin", "/admin/roles", "/admin/people", "/admin/audit"):
    pages += [(p, p, V), (p, p, AD)]
apache_listing = {"name": "Apache mod_autoindex, same folder", "url": e["AURL"] + e["FOLDER"],
                  "headers": apache_headers, "peer": True}
json.dump({
    "chromium": e["CHROMIUM"], "kiroku": e["KURL"],
    "users": {V: e["VP"], AD: e["ADP"]},
    "pages": [{"name": name, "path": path, "as": who} for name, path, who in pages],
    "peers": [apache_listing],
    "render": [
        {"name": "/files/…/千件/ (%s files, 50 a page)" % n, "path": e["FOLDER"], "as": V},
        {"name": "/search?q=" + e["QUERY"], "path": e["SEARCH"], "as": V},
        apache_listing,
        {"name": "empty page (browser's own cost)", "url": e["AURL"] + "/blank.html", "peer": True},
        # The whole list on one page, as printing asks for it: for context, not judged.
        {"name": "/files/…/千件/?all=1 (all %s, to print)" % n, "path": e["FOLDER"] + "?all=1",
         "as": V, "peer": True},
    ],
    "runs": int(e["RUNS"]), "peerRuns": 3, "throttle": int(e["THROTTLE"]),
    "limitKB": int(e["LIMIT"]), "targetMs": int(e["TARGET"]), "out": e["OUT"],
}, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
EOF
LOAD_BROWSER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
note "Chromium: page weight of every page, then render times (${THROTTLE}x CPU throttling, $RUNS runs)"
t0=$(date +%s)
node "$here/web-render.mjs" "$TMP/browser-config.json" >"$TMP/browser.log" ||
    { cat "$TMP/browser.log" >&2; die "the browser measurements failed (bench/web-render.mjs)"; }
note "browser measurements done in $(( $(date +%s) - t0 )) s"

# ---------------------------------------------------------------- wrk runs
LOAD_WRK=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
declare -A RPS P50 P99 REQS ERRS MBS CPU_MS
FAILED=()
# wrk drops an answer slower than its timeout (2 s by default) from the latencies and counts
# it as an error; a slow page is a figure here, not a failure.
WRK_TIMEOUT=30s
CLK_TCK=$(getconf CLK_TCK)
server_pids() {  # server_pids SERVER: kirokud, or Apache's parent and children
    if [[ $1 == kiroku ]]; then echo "$KIROKU_PID"; else echo "$APACHE_PID" $(pgrep -P "$APACHE_PID" 2>/dev/null); fi
}
cpu_ticks() {  # cpu_ticks PID...: user + system CPU time so far, in clock ticks
    local p
    for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}

run_wrk() {  # run_wrk SERVER
    local s=$1 url header out
    if [[ "$s" == kiroku ]]; then
        url="$KIROKU_URL$FOLDER_PATH" header=$COOKIE_HEADER
    else
        url="$APACHE_URL$FOLDER_PATH" header=${APACHE_HEADER:-"X-Bench: none"}
    fi
    if [[ "$WARMUP" -gt 0 ]]; then
        wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout "$WRK_TIMEOUT" -H "$header" "$url" >/dev/null 2>&1 || true
    fi
    note "wrk folder page $s: ${DURATION}s, -c$CONNS -t$THREADS"
    out="$TMP/wrk-$s.txt"
    local ticks0
    # shellcheck disable=SC2046
    ticks0=$(cpu_ticks $(server_pids "$s"))
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency --timeout "$WRK_TIMEOUT" -H "$header" "$url" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed on $s"; }
    local non2xx sock ticks1
    # shellcheck disable=SC2046
    ticks1=$(cpu_ticks $(server_pids "$s"))
    RPS[$s]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
    REQS[$s]=$(awk '/ requests in / {print $1}' "$out")
    MBS[$s]=$(awk '/^Transfer\/sec:/ {print $2}' "$out")
    P50[$s]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    P99[$s]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
    sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
    ERRS[$s]=$(( ${non2xx:-0} + ${sock:-0} ))
    CPU_MS[$s]=$(awk -v t=$((ticks1 - ticks0)) -v hz="$CLK_TCK" -v n="${REQS[$s]:-0}" \
        'BEGIN {if (n > 0) printf "%.1f", t * 1000 / hz / n; else print "?"}')
    if [[ -z "${REQS[$s]}" || "${REQS[$s]}" -eq 0 ]]; then
        cat "$out" >&2
        FAILED+=("$s: wrk completed no requests")
    elif [[ "${ERRS[$s]}" -gt 0 ]]; then
        local msg="$s: ${non2xx:-0} non-2xx/3xx responses and ${sock:-0} socket errors in ${REQS[$s]} requests"
        if awk -v e="${ERRS[$s]}" -v n="${REQS[$s]}" -v m="$MAX_ERR_PCT" 'BEGIN {exit !(e * 100 > n * m)}'; then
            cat "$out" >&2
            FAILED+=("$msg")
        else
            echo "WARNING: $msg" >&2
        fi
    fi
}
for s in kiroku apache; do run_wrk "$s"; done
kill -0 "$KIROKU_PID" 2>/dev/null || FAILED+=("kirokud died during the runs")
# The session is still good after the run (wrk's answers were the page, not the login).
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE_HEADER" "$KIROKU_URL$FOLDER_PATH") || code=000
[[ "$code" == 200 ]] || FAILED+=("Kiroku: the folder page answered $code after the wrk run (session lost?)")

# ---------------------------------------------------------------- report
verdict() { if [[ "$1" == 1 ]]; then echo "meets target"; else echo "MISSED"; fi; }
apache_auth_text="HTTP Basic, htpasswd {SHA} hash, mod_authn_file (checked on every request)"
[[ "$APACHE_AUTH" == none ]] && apache_auth_text="none (BENCH_APACHE_AUTH=none)"

echo
echo "Kiroku web UI benchmark, $(nproc) CPUs, loopback; Chromium $("$CHROMIUM" --version 2>/dev/null | awk '{print $2}'), $(apache2 -v | awk -F': ' '/version/ {print $2}')"
echo "  Load average at the start: $LOAD_START; before the browser runs: $LOAD_BROWSER; before wrk: $LOAD_WRK"
echo "  (the later two include this script's own work; other work on the machine skews the figures)"
echo "  Data: kiroku demo + $BIG_DIR, $NFILES text files (PUT through WebDAV in $PUT_SECONDS s, 4 at a time; index caught up $INDEX_SECONDS s later)"
echo "  Kiroku pages as $VIEWER (区長 of 桜ヶ丘自治区) unless 'as' says $ADMIN (system administrator); Apache: $apache_auth_text"
echo
cat "$TMP/browser.log"
echo
echo "Folder page served to $CONNS clients: GET $FOLDER_PATH ($NFILES files), wrk -t$THREADS -c$CONNS -d${DURATION}s --latency (warm-up ${WARMUP}s)"
printf '%-8s %12s %10s %10s %10s %12s %12s %8s\n' server "requests/s" "p50 ms" "p99 ms" "page KB" "transfer/s" "CPU ms/req" errors
for s in kiroku apache; do
    if [[ $s == kiroku ]]; then label=Kiroku bytes=$K_HTML_BYTES; else label=Apache bytes=$A_HTML_BYTES; fi
    printf '%-8s %12s %10s %10s %10s %12s %12s %8s\n' "$label" "${RPS[$s]:-?}" "${P50[$s]:-?}" "${P99[$s]:-?}" \
        "$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1024}')" "${MBS[$s]:-?}" "${CPU_MS[$s]:-?}" "${ERRS[$s]:-?}"
done
ratio=$(awk -v a="${RPS[kiroku]:-0}" -v b="${RPS[apache]:-0}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')
echo "Kiroku/Apache requests/s = ${ratio}x (no target; for context). CPU ms/req = the server's user + system CPU"
echo "time during the run (/proc/PID/stat; Apache: parent + children) / requests."
if [[ "$APACHE_AUTH" == basic ]]; then apache_check="behind one Basic-auth check"; else apache_check="with no login at all"; fi
echo "Not the same work: Apache lists names, dates and sizes from readdir()/stat() $apache_check."
echo "Kiroku's page looks up the session, checks the person's rights on the folder and on every"
echo "entry, shows each file's kind, 年度 and who last updated it (from its metadata database and"
echo "its search index), and adds the header, navigation, search box and upload form with its CSRF token."
echo

# Targets, from the browser's JSON and the wrk figures.
read -r MAX_NAME MAX_KB MAX_GZ_KB OVER_LIST <<<"$(python3 - "$TMP/browser.json" "$TARGET_KB" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); limit = float(sys.argv[2]) * 1024
own = [w for w in d["weights"] if not w["peer"]]
label = lambda w: w["name"].split(" ")[0] + ("(" + w["as"] + ")" if w["as"] else "")
top = max(own, key=lambda w: w["bytes"])
over = [label(w) for w in own if w["bytes"] > limit]
print(label(top), "%.1f" % (top["bytes"] / 1024), "%.1f" % (max(w["gzipBytes"] for w in own) / 1024),
      ",".join(over) or "-")
EOF
)"
mapfile -t RENDER_MS < <(python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["render"]: print("%.0f" % t["median"]["load"])' "$TMP/browser.json")
target() {  # target OK TEXT
    printf '  %-7s %s\n' "$(if [[ "$1" == 1 ]]; then echo ok; else echo MISSED; fi)" "$2"
}
echo "Targets (Kiroku)"
target "$([[ "$OVER_LIST" == "-" ]] && echo 1 || echo 0)" \
    "every page's first view <= $TARGET_KB KB: heaviest $MAX_NAME, $MAX_KB KB"
[[ "$OVER_LIST" == "-" ]] || echo "          over: ${OVER_LIST//,/, } (every page would be <= $MAX_GZ_KB KB with gzip)"
target "$(awk -v t="${RENDER_MS[0]}" -v g="$TARGET_RENDER_MS" 'BEGIN {print (t < g) ? 1 : 0}')" \
    "folder of $NFILES files renders in < $TARGET_RENDER_MS ms at ${THROTTLE}x CPU throttling: ${RENDER_MS[0]} ms"
target "$(awk -v t="${RENDER_MS[1]}" -v g="$TARGET_RENDER_MS" 'BEGIN {print (t < g) ? 1 : 0}')" \
    "search page renders in < $TARGET_RENDER_MS ms at ${THROTTLE}x CPU throttling: ${RENDER_MS[1]} ms"
target "$(awk -v p="${P99[kiroku]:-999999}" -v g="$TARGET_P99_MS" 'BEGIN {print (p < g) ? 1 : 0}')" \
    "folder page p99 < $TARGET_P99_MS ms at $CONNS clients: ${P99[kiroku]:-?} ms"
echo "Apache mod_autoindex, same folder, for comparison: ${RENDER_MS[2]} ms to render, p99 ${P99[apache]:-?} ms at $CONNS clients;"
echo "an empty page takes ${RENDER_MS[3]} ms to load in the same throttled browser; Kiroku's whole"
echo "list of $NFILES on one page (?all=1, what printing shows) takes ${RENDER_MS[4]} ms."

if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo
    for f in "${FAILED[@]}"; do echo "ERROR: $f" >&2; done
    die "${#FAILED[@]} run(s) failed; the figures above for those runs are not valid"
fi
exit 0
