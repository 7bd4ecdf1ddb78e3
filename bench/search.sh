#!/usr/bin/env bash
# Japanese full-text search benchmark: Kiroku against Xapian Omega (omindex), Recoll
# and Groonga on the same real Japanese corpus.
#
# Corpus: Debian's manpages-ja + manpages-ja-dev rendered to plain UTF-8 text with
# groff, plus the plain-text Japanese Debian manuals (debian-reference-ja,
# developers-reference-ja, maint-guide-ja, debian-faq-ja) cut into ~16 KB sections:
# about 1,900 files, 17 MiB; 300 of them (spread evenly) stored as Shift_JIS (CP932)
# instead of UTF-8 (files that do not convert are skipped for the next one).
#
# 1. Recall / precision: the queries of bench/search/queries.txt run through Kiroku's
#    GET /api/search (all pages); the reference set of each is computed by
#    bench/search/searchbench.py (NFKC, casefold, katakana -> hiragana, no whitespace,
#    substring; Shift_JIS decoded as CP932) and cross-checked with grep -rlF (UTF-8
#    files) and iconv | grep (Shift_JIS files). Kiroku must return every file grep
#    finds, and every other file it returns must match under the reference matcher.
# 2. Indexing: wall time, peak memory (GNU time -v, and the RSS sum of the process tree
#    sampled every 0.2 s) and index size on disk (du -sb) for Kiroku's reindex,
#    omindex (XAPIAN_CJK_NGRAM=1), recollindex (private config) and Groonga
#    (TokenBigram + NormalizerAuto), with the ratio Kiroku/peer.
# 3. Search latency: wrk -c8 against GET /api/search cycling through the queries, after
#    the recall check (so in the steady state: Kiroku remembers what its checks of long
#    terms found until the index changes); the first time each query was asked is
#    printed as well.
#
# Exit status: 0 once the results are printed (missing a target is not a failure);
# non-zero if a tool is missing and cannot be installed, the corpus cannot be built, a
# peer fails to index, or Kiroku is there but fails to index or to start.
# If Kiroku's binaries (or its reindex command) are not there, the peers' figures are
# printed and Kiroku's are reported as unavailable.
#
# Environment (all optional):
#   BENCH_FILES=N          use N files (spread over the corpus) for a quick run; default all
#   BENCH_SJIS=300         files stored as Shift_JIS
#   BENCH_ONLY=peers|kiroku  run one half only
#   BENCH_CORPUS=DIR       build the corpus in DIR and keep it; reused when it was built
#                          with the same BENCH_FILES/BENCH_SJIS and package versions
#   BENCH_SECONDS=10       duration of the measured wrk run
#   BENCH_WARMUP=2         wrk warm-up seconds (0: none)
#   BENCH_CONNECTIONS=8    wrk -c (concurrent clients)
#   BENCH_THREADS=2        wrk -t
#   BENCH_LIMIT=20         page size of the latency test's searches (the web UI's default)
#   BENCH_GROONGA_INDEX=online   online: index column made before the load (the index is
#                          updated as records arrive, as in Kiroku); static: made after it
#   BENCH_INSTALL=1        apt-get install missing Debian packages (0: fail instead)
#   BENCH_AS=admin         who searches: admin (reads everything: scores from the whole
#                          index), or member (reads the corpus folder through a permission
#                          entry, beside a protected folder of copies they may not read:
#                          scores from the readable documents only, as for every officer)
#   BENCH_OUT=DIR          keep the logs, the reference sets and the raw outputs in DIR
#   KIROKU_BIN=build/bin   where kiroku, kirokud and kiroku-extract are
# shellcheck disable=SC2317  # cleanup/stop_pid run from the EXIT trap
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
helper="$here/search/searchbench.py"

NFILES=${BENCH_FILES:-}
NSJIS=${BENCH_SJIS:-300}
ONLY=${BENCH_ONLY:-}
DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-8}
AS=${BENCH_AS:-admin}
THREADS=${BENCH_THREADS:-2}
LIMIT=${BENCH_LIMIT:-20}
GROONGA_INDEX=${BENCH_GROONGA_INDEX:-online}
INSTALL=${BENCH_INSTALL:-1}
KIROKU_BIN=${KIROKU_BIN:-"$root/build/bin"}
QUERIES="$here/search/queries.txt"

BENCH_USER=bench
BENCH_PASS='pass-1234'
KFOLDER=bench                  # corpus under DATA/files/bench/ = /dav/bench/
# Targets (from the issue)
TARGET_P99_MS=20
TARGET_RSS_MB=150           # MiB
TARGET_INDEX_RATIO=1.5         # index bytes / text bytes
# The issue's figures for the peers, on the machine it was written on (for context).
declare -A ISSUE=([omindex]="31.7 s / 257 MB / 48 MB" [recollindex]="23.8 s / 295 MB / 67 MB"
                  [groonga]="5.0 s / 125 MB / 152 MB")

die() { echo "" >&2; echo "bench/search.sh: ERROR: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "$ONLY" in ""|peers|kiroku) ;; *) die "BENCH_ONLY must be empty, 'peers' or 'kiroku'" ;; esac
case "$GROONGA_INDEX" in online|static) ;; *) die "BENCH_GROONGA_INDEX must be 'online' or 'static'" ;; esac
case "$AS" in admin|member) ;; *) die "BENCH_AS must be 'admin' or 'member'" ;; esac
[[ -z "$NFILES" || "$NFILES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_FILES must be a whole number >= 1"
[[ "$NSJIS" =~ ^[0-9]+$ ]] || die "BENCH_SJIS must be a whole number"
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] || die "BENCH_SECONDS must be a whole number >= 1"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a whole number"
[[ "$LIMIT" =~ ^[0-9]+$ && "$LIMIT" -ge 1 && "$LIMIT" -le 200 ]] || die "BENCH_LIMIT must be 1..200"

# ---------------------------------------------------------------- Debian packages
# package: a command (or file) that shows it is installed
# shellcheck disable=SC2034  # read by install_needed (lib.sh)
declare -A NEED=(
    [manpages-ja]=/usr/share/man/ja/man1/ls.1.gz
    [manpages-ja-dev]=/usr/share/man/ja/man2/open.2.gz
    [debian-reference-ja]=/usr/share/debian-reference/debian-reference.ja.txt.gz
    [developers-reference-ja]=/usr/share/developers-reference/ja/developers-reference.txt.gz
    [maint-guide-ja]=/usr/share/doc/maint-guide-ja/maint-guide.ja.txt.gz
    [debian-faq-ja]=/usr/share/doc/debian/FAQ/debian-faq.ja.txt.gz
    [groff-base]=groff [bsdextrautils]=col [time]=/usr/bin/time
    [curl]=curl [wrk]=wrk [python3]=python3
)
# shellcheck disable=SC2034  # read by install_needed (lib.sh)
if [[ "$ONLY" != kiroku ]]; then
    NEED[xapian-omega]=omindex
    NEED[recoll]=recollindex
    NEED[groonga-bin]=groonga
fi
install_needed NEED "$INSTALL"
for tool in iconv grep du awk; do have "$tool" || die "missing tool: $tool"; done

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d /tmp/kiroku-search-bench.XXXXXX)
KIROKUD_PID=""

cleanup() {
    local rc=$?
    set +e
    stop_pid "$KIROKUD_PID"
    if [[ -n "${BENCH_OUT:-}" ]]; then
        mkdir -p "$BENCH_OUT"
        cp "$TMP"/*.log "$TMP"/*.json "$TMP"/*.txt "$BENCH_OUT"/ 2>/dev/null
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }   # MiB
kb_mb() { awk -v kb="$1" 'BEGIN {printf "%.0f", kb / 1024}'; }
jget() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# ---------------------------------------------------------------- corpus
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
CORPUS_KEY="files=${NFILES:-all} sjis=$NSJIS manpages-ja=$(pkgver manpages-ja) manpages-ja-dev=$(pkgver manpages-ja-dev) debian-reference-ja=$(pkgver debian-reference-ja) developers-reference-ja=$(pkgver developers-reference-ja) maint-guide-ja=$(pkgver maint-guide-ja) debian-faq-ja=$(pkgver debian-faq-ja) groff=$(pkgver groff-base) helper=$(cksum <"$helper" | cut -d' ' -f1)"
CORPUS=${BENCH_CORPUS:-"$TMP/corpus"}
if [[ -f "$CORPUS/manifest.tsv" && -f "$CORPUS/corpus.key" && "$(cat "$CORPUS/corpus.key")" == "$CORPUS_KEY" ]]; then
    note "reusing the corpus in $CORPUS"
else
    [[ ! -e "$CORPUS" || -z "$(ls -A "$CORPUS")" || -f "$CORPUS/corpus.key" ]] ||
        die "BENCH_CORPUS=$CORPUS exists, is not empty and is not a corpus this script built"
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    note "building the corpus in $CORPUS (rendering the man pages with groff)"
    args=(--sjis "$NSJIS")
    [[ -n "$NFILES" ]] && args+=(--files "$NFILES")
    python3 "$helper" corpus "$CORPUS" "${args[@]}" >"$TMP/corpus.log" 2>&1 ||
        { cat "$TMP/corpus.log" >&2; die "building the corpus failed"; }
    echo "$CORPUS_KEY" >"$CORPUS/corpus.key"
fi
FILES_DIR="$CORPUS/files"
N_ALL=$(wc -l <"$CORPUS/manifest.tsv")
N_SJIS=$(awk -F'\t' '$2 == "sjis"' "$CORPUS/manifest.tsv" | wc -l)
TEXT_BYTES=$(awk -F'\t' '{s += $3} END {print s + 0}' "$CORPUS/manifest.tsv")
[[ "$N_ALL" -gt 0 ]] || die "the corpus is empty"
note "corpus: $N_ALL files ($((N_ALL - N_SJIS)) UTF-8, $N_SJIS Shift_JIS), $TEXT_BYTES bytes"

note "reference matcher and grep over $(grep -cvE '^\s*(#|$)' "$QUERIES") queries"
python3 "$helper" reference "$CORPUS" "$QUERIES" "$TMP/reference.json" >"$TMP/reference.log" 2>&1 ||
    { cat "$TMP/reference.log" >&2; die "the reference matcher failed"; }

# ---------------------------------------------------------------- peers
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ENGINES=()
declare -A WALL CPU MAXRSS TREERSS SIZE DETAIL

record() {  # record ENGINE MEASURE_JSON INDEX_PATH...
    local e=$1 j=$2
    shift 2
    WALL[$e]=$(jget "$j" wall)
    CPU[$e]=$(jget "$j" cpu)
    MAXRSS[$e]=$(jget "$j" maxrss_kb)
    TREERSS[$e]=$(jget "$j" tree_peak_kb)
    SIZE[$e]=$(du -scb "$@" | tail -n 1 | cut -f1)
    ENGINES+=("$e")
    note "$e: $(printf '%.1f' "${WALL[$e]}") s, $(kb_mb "${TREERSS[$e]}") MiB peak, $(mb "${SIZE[$e]}") MiB index"
}

if [[ "$ONLY" != kiroku ]]; then
    # Xapian Omega: omindex over the directory, CJK n-grams on.
    mkdir -p "$TMP/omega"
    note "omindex (XAPIAN_CJK_NGRAM=1)"
    XAPIAN_CJK_NGRAM=1 python3 "$helper" measure "$TMP/omindex.json" -- \
        omindex --db "$TMP/omega/db" --url / "$FILES_DIR" >"$TMP/omindex.log" 2>&1 ||
        { tail -n 20 "$TMP/omindex.log" >&2; die "omindex failed"; }
    record omindex "$TMP/omindex.json" "$TMP/omega/db"
    DETAIL[omindex]="xapian-omega $(pkgver xapian-omega); Shift_JIS files taken as UTF-8 (omindex has no charset setting for plain text)"

    # Recoll: private configuration; the Shift_JIS folder declared as CP932.
    mkdir -p "$TMP/recoll"
    cat >"$TMP/recoll/recoll.conf" <<EOF
topdirs = $FILES_DIR
dbdir = $TMP/recoll/xapiandb
logfilename = $TMP/recoll/recoll-internal.log
loglevel = 2

[$FILES_DIR/sjis]
defaultcharset = CP932
EOF
    note "recollindex (private config)"
    RECOLL_CONFDIR="$TMP/recoll" python3 "$helper" measure "$TMP/recollindex.json" -- \
        recollindex -c "$TMP/recoll" >"$TMP/recollindex.log" 2>&1 ||
        { tail -n 20 "$TMP/recollindex.log" >&2; die "recollindex failed"; }
    record recollindex "$TMP/recollindex.json" "$TMP/recoll/xapiandb"
    DETAIL[recollindex]="recoll $(pkgver recoll), default settings; Shift_JIS folder as CP932"

    # Groonga: a command file made beforehand (not timed), loaded by the groonga CLI.
    mkdir -p "$TMP/groonga"
    python3 "$helper" groonga-load "$CORPUS" "$TMP/groonga.grn" "$GROONGA_INDEX" ||
        die "making the Groonga load file failed"
    note "groonga ($GROONGA_INDEX index, TokenBigram + NormalizerAuto)"
    # shellcheck disable=SC2016  # $1/$2 are the inner shell's arguments
    python3 "$helper" measure "$TMP/groonga.json" -- \
        sh -c 'exec groonga -n "$1" < "$2"' groonga "$TMP/groonga/db" "$TMP/groonga.grn" >"$TMP/groonga.log" 2>&1 ||
        { tail -c 2000 "$TMP/groonga.log" >&2; die "groonga failed"; }
    grep -q "^\[\[0,[^]]*\],$N_ALL\]" "$TMP/groonga.log" ||
        { tail -c 2000 "$TMP/groonga.log" >&2; die "groonga did not report loading $N_ALL records"; }
    if grep -q '^\[\[-' "$TMP/groonga.log"; then
        grep '^\[\[-' "$TMP/groonga.log" | head -n 5 >&2; die "a groonga command failed"
    fi
    record groonga "$TMP/groonga.json" "$TMP/groonga"
    DETAIL[groonga]="groonga $(pkgver groonga-bin), $GROONGA_INDEX index build; texts decoded to UTF-8 beforehand"
fi

# ---------------------------------------------------------------- Kiroku
KIROKU_STATE=""        # empty: ran; otherwise why Kiroku's figures are unavailable
KIROKU_FAIL=""         # set when Kiroku is there but failed
KIROKU_INDEX_STATUS=""
WRK_OUT="$TMP/wrk.txt"

kiroku_half() {
    local K="$KIROKU_BIN" D="$TMP/kiroku-data"
    if [[ ! -x "$K/kiroku" || ! -x "$K/kirokud" ]]; then
        KIROKU_STATE="no kiroku/kirokud in $K (run 'make build' or set KIROKU_BIN)"; return
    fi
    if ! "$K/kiroku" --help 2>&1 | grep -qE '^[[:space:]]+reindex'; then
        KIROKU_STATE="$K/kiroku has no 'reindex' command yet (search pipeline not built)"; return
    fi
    [[ -x "$K/kiroku-extract" ]] || echo "WARNING: no $K/kiroku-extract; reindex may fail to extract" >&2

    note "kiroku: data $D"
    local admin=--admin
    [[ "$AS" == member ]] && admin=""
    "$K/kiroku" --data "$D" init >"$TMP/kiroku-cli.log" 2>&1 ||
        { cat "$TMP/kiroku-cli.log" >&2; KIROKU_FAIL="kiroku init failed"; return; }
    printf '%s\n' "$BENCH_PASS" | "$K/kiroku" --data "$D" user add "$BENCH_USER" --display B $admin \
        >>"$TMP/kiroku-cli.log" 2>&1 || { cat "$TMP/kiroku-cli.log" >&2; KIROKU_FAIL="kiroku user add failed"; return; }
    mkdir -p "$D/files/$KFOLDER"
    cp -r "$FILES_DIR/." "$D/files/$KFOLDER/"
    if [[ "$AS" == member ]]; then
        # Every tenth file copied into a folder the member may not read.
        mkdir -p "$D/files/非公開"
        find "$D/files/$KFOLDER" -type f | sort | awk 'NR % 10 == 0' | while read -r f; do
            cp "$f" "$D/files/非公開/$(basename "$f")"
        done
        { "$K/kiroku" --data "$D" acl grant "$KFOLDER" "person:$BENCH_USER" read &&
            "$K/kiroku" --data "$D" acl protect 非公開 on; } >>"$TMP/kiroku-cli.log" 2>&1 ||
            { cat "$TMP/kiroku-cli.log" >&2; KIROKU_FAIL="kiroku acl failed"; return; }
    fi

    note "kiroku reindex"
    if ! python3 "$helper" measure "$TMP/kiroku.json" -- "$K/kiroku" --data "$D" reindex >"$TMP/kiroku-reindex.log" 2>&1; then
        tail -n 20 "$TMP/kiroku-reindex.log" >&2
        KIROKU_FAIL="kiroku reindex failed (exit $(jget "$TMP/kiroku.json" rc 2>/dev/null || echo '?'))"; return
    fi
    "$K/kiroku" --data "$D" index status >"$TMP/kiroku-index-status.txt" 2>&1 || true
    KIROKU_INDEX_STATUS=$(head -n 1 "$TMP/kiroku-index-status.txt")
    note "kiroku index status: $KIROKU_INDEX_STATUS"
    [[ -d "$D/index" ]] || { KIROKU_FAIL="no $D/index after reindex"; return; }
    record kiroku "$TMP/kiroku.json" "$D/index"
    DETAIL[kiroku]="kiroku reindex; peak = kiroku + its kiroku-extract workers (sampled sum); index = du -sb DATA/index"
    du -sb "$D"/* >"$TMP/kiroku-du.txt" 2>/dev/null || true

    local port url
    port=$(free_port)
    url="http://127.0.0.1:$port"
    "$K/kirokud" --data "$D" --listen "127.0.0.1:$port" --listen-tls off >"$TMP/kirokud.log" 2>&1 &
    KIROKUD_PID=$!
    local ok=0
    for _ in $(seq 150); do
        if curl -s -o /dev/null --max-time 2 -X OPTIONS "$url/dav/"; then ok=1; break; fi
        kill -0 "$KIROKUD_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [[ $ok != 1 ]]; then
        tail -n 40 "$TMP/kirokud.log" >&2
        KIROKU_FAIL="kirokud did not start on $url"; return
    fi
    note "kirokud on $url; recall/precision"
    local code
    code=$(curl -s -o "$TMP/sanity.json" -w '%{http_code}' -u "$BENCH_USER:$BENCH_PASS" -G \
        --data-urlencode "q=設定" --data-urlencode "limit=1" "$url/api/search") || code=000
    if [[ "$code" != 200 ]]; then
        head -c 500 "$TMP/sanity.json" >&2 2>/dev/null; echo >&2
        KIROKU_FAIL="GET /api/search?q=設定 answered $code"; return
    fi
    # Each query once, one at a time, before anything could be remembered: Kiroku keeps
    # what its checks of long terms found, so the wrk run below measures the steady state.
    python3 "$helper" wrk-paths "$QUERIES" /api/search "$LIMIT" >"$TMP/wrk-paths.txt"
    local p
    while read -r p; do
        curl -s -o /dev/null -w '%{time_total}\n' -u "$BENCH_USER:$BENCH_PASS" "$url$p" || echo 999
    done <"$TMP/wrk-paths.txt" >"$TMP/first-times.txt"
    python3 "$helper" kiroku-check "$TMP/reference.json" "$url" "$BENCH_USER" "$BENCH_PASS" "$KFOLDER" \
        "$TMP/kiroku-check.json" >"$TMP/kiroku-check.txt" 2>&1 ||
        { cat "$TMP/kiroku-check.txt" >&2; KIROKU_FAIL="the recall/precision check failed"; return; }

    local auth
    auth="Authorization: Basic $(printf '%s:%s' "$BENCH_USER" "$BENCH_PASS" | base64 -w0)"
    if [[ "$WARMUP" -gt 0 ]]; then
        BENCH_PATHS="$TMP/wrk-paths.txt" wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -H "$auth" \
            -s "$here/search/search.lua" "$url" >/dev/null 2>&1 || true
    fi
    LOAD_WRK=$(cut -d' ' -f1-3 /proc/loadavg)
    note "wrk: ${DURATION}s, -c$CONNS -t$THREADS, limit=$LIMIT"
    BENCH_PATHS="$TMP/wrk-paths.txt" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "$auth" \
        -s "$here/search/search.lua" "$url" >"$WRK_OUT" 2>&1 ||
        { cat "$WRK_OUT" >&2; KIROKU_FAIL="wrk failed"; return; }
    KIROKUD_RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$KIROKUD_PID/status" 2>/dev/null || echo 0)
    kill -0 "$KIROKUD_PID" 2>/dev/null || KIROKU_FAIL="kirokud died during the wrk run"
    stop_pid "$KIROKUD_PID"
    KIROKUD_PID=""
}
KIROKUD_RSS_KB=0
LOAD_WRK=""
if [[ "$ONLY" == peers ]]; then
    KIROKU_STATE="not run (BENCH_ONLY=peers)"
else
    kiroku_half
fi

# ---------------------------------------------------------------- report
echo
echo "Kiroku search benchmark, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; load average before indexing: $LOAD_START${LOAD_WRK:+, before wrk: $LOAD_WRK}"
echo "(the load includes this script's own corpus and reference steps; other work on the machine skews the figures)"
echo "Corpus: $N_ALL files ($((N_ALL - N_SJIS)) UTF-8, $N_SJIS Shift_JIS), $(mb "$TEXT_BYTES") MiB of text"
echo "        (manpages-ja $(pkgver manpages-ja) rendered with groff + Japanese Debian manuals in ~16 KB sections)"
echo

echo "1. Recall / precision ($(grep -cvE '^\s*(#|$)' "$QUERIES") queries, bench/search/queries.txt)"
if [[ -f "$TMP/kiroku-check.txt" ]]; then
    sed 's/^/   /' "$TMP/kiroku-check.txt"
    echo "   ref = reference matcher (NFKC, casefold, katakana->hiragana, no whitespace, substring);"
    echo "   grep = grep -rlF / iconv|grep -F; recall = found/ref, precision = hits that match/hits;"
    echo "   grep-found-kept = files grep finds that Kiroku returned (must be all)."
else
    echo "   Kiroku: unavailable: ${KIROKU_FAIL:-$KIROKU_STATE}. Reference sets (ref / grep / Shift_JIS among ref):"
    sed 's/^/   /' "$TMP/reference.log"
fi
echo

echo "2. Indexing the same corpus (page cache warm; one run each)"
printf '   %-12s %7s %7s %11s %11s %10s %7s   %s\n' engine "time s" "CPU s" "peak MiB" "(largest" "index MiB" "index/" "Kiroku/peer: time, memory, index"
printf '   %-12s %7s %7s %11s %11s %10s %7s\n' "" "" "" "(tree sum)" "process)" "" "text"
for e in kiroku omindex recollindex groonga; do
    if [[ -z "${WALL[$e]:-}" ]]; then
        if [[ "$e" == kiroku ]]; then printf '   %-12s unavailable: %s\n' Kiroku "${KIROKU_FAIL:-$KIROKU_STATE}"; fi
        continue
    fi
    ratio=""
    if [[ "$e" != kiroku && -n "${WALL[kiroku]:-}" ]]; then
        ratio=$(awk -v a="${WALL[kiroku]}" -v b="${WALL[$e]}" -v c="${TREERSS[kiroku]}" -v d="${TREERSS[$e]}" \
            -v f="${SIZE[kiroku]}" -v g="${SIZE[$e]}" 'BEGIN {printf "%.2fx, %.2fx, %.2fx", a / b, c / d, f / g}')
    fi
    label=$e; [[ $e == kiroku ]] && label=Kiroku; [[ $e == groonga ]] && label=Groonga
    printf '   %-12s %7.2f %7.1f %11s %11s %10s %7.2f   %s\n' "$label" "${WALL[$e]}" "${CPU[$e]}" "$(kb_mb "${TREERSS[$e]}")" \
        "$(kb_mb "${MAXRSS[$e]}")" "$(mb "${SIZE[$e]}")" "$(awk -v a="${SIZE[$e]}" -v b="$TEXT_BYTES" 'BEGIN {print a / b}')" "$ratio"
done
for e in "${ENGINES[@]}"; do
    extra=""
    [[ -n "${ISSUE[$e]:-}" ]] && extra="; the issue's figures: ${ISSUE[$e]}"
    printf '   %-12s %s%s\n' "${e}:" "${DETAIL[$e]}" "$extra"
done
if [[ -n "$KIROKU_INDEX_STATUS" ]]; then
    echo "   kiroku index status after reindex: $KIROKU_INDEX_STATUS (corpus: $N_ALL files)"
    read -r s_indexed s_pending <<<"$(sed -nE 's/.*indexed ([0-9]+), pending ([0-9]+).*/\1 \2/p' <<<"$KIROKU_INDEX_STATUS")"
    if [[ -n "${s_indexed:-}" && ( "$s_indexed" -lt "$N_ALL" || "${s_pending:-0}" -gt 0 ) ]]; then
        echo "   WARNING: not every corpus file was indexed when reindex returned; its time may be too low"
    fi
    n_failed=$(grep -c 'failed: ' "$TMP/kiroku-index-status.txt" || true)
    if [[ "$n_failed" -gt 0 ]]; then
        echo "   text extraction failed for $n_failed file(s) (indexed by name only), e.g.:"
        grep 'failed: ' "$TMP/kiroku-index-status.txt" | head -n 5 | sed 's/^ */     /'
    fi
fi
echo

echo "3. Search latency (Kiroku GET /api/search as $AS, limit=$LIMIT, wrk -t$THREADS -c$CONNS, ${DURATION}s after ${WARMUP}s warm-up)"
P99=""
if [[ -s "$WRK_OUT" ]] && grep -q 'Requests/sec' "$WRK_OUT"; then
    RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WRK_OUT")
    REQS=$(awk '/ requests in / {print $1}' "$WRK_OUT")
    P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WRK_OUT")")
    P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WRK_OUT")")
    NON2XX=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WRK_OUT")
    SOCK=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$WRK_OUT")
    printf '   %s requests, %s/s; p50 %s ms, p99 %s ms; errors: %s non-2xx, %s socket\n' \
        "$REQS" "$RPS" "$P50" "$P99" "${NON2XX:-0}" "${SOCK:-0}"
    echo "   kirokud VmRSS after the run: $(kb_mb "$KIROKUD_RSS_KB") MiB"
    if [[ -s "$TMP/first-times.txt" ]]; then
        sort -n "$TMP/first-times.txt" | awk '{ t[NR] = $1 * 1000 } END {
            printf "   first time each query was asked (one client, nothing remembered yet): median %.1f ms, slowest %.1f ms\n",
                t[int((NR + 1) / 2)], t[NR] }'
    fi
    if [[ $(( ${NON2XX:-0} + ${SOCK:-0} )) -gt 0 ]]; then
        echo "   WARNING: some requests failed; the latencies include them (BENCH_OUT=DIR keeps wrk.txt)"
    fi
else
    echo "   Kiroku: unavailable: ${KIROKU_FAIL:-${KIROKU_STATE:-no wrk output}}"
fi
echo

verdict() { if [[ "$1" == 1 ]]; then echo "meets"; else echo "MISSES"; fi; }
echo "Targets"
if [[ -n "${WALL[kiroku]:-}" ]]; then
    if [[ -n "${WALL[groonga]:-}" ]]; then
        ok=$(awk -v a="${WALL[kiroku]}" -v b="${WALL[groonga]}" 'BEGIN {print (a < b) ? 1 : 0}')
        printf '   %-44s %s\n' "indexing faster than Groonga ($(printf '%.2f' "${WALL[kiroku]}") s vs $(printf '%.2f' "${WALL[groonga]}") s)" "$(verdict "$ok")"
    fi
    ok=$(awk -v kb="${TREERSS[kiroku]}" -v t="$TARGET_RSS_MB" 'BEGIN {print (kb / 1024 < t) ? 1 : 0}')
    printf '   %-44s %s\n' "peak memory < $TARGET_RSS_MB MiB ($(kb_mb "${TREERSS[kiroku]}") MiB)" "$(verdict "$ok")"
    r=$(awk -v a="${SIZE[kiroku]}" -v b="$TEXT_BYTES" 'BEGIN {printf "%.2f", a / b}')
    ok=$(awk -v r="$r" -v t="$TARGET_INDEX_RATIO" 'BEGIN {print (r <= t) ? 1 : 0}')
    printf '   %-44s %s\n' "index <= ${TARGET_INDEX_RATIO}x the text (${r}x)" "$(verdict "$ok")"
    if [[ -f "$TMP/kiroku-check.json" ]]; then
        read -r rec prec gk <<<"$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))["overall"]
print(d["found"] == d["ref"] and 1 or 0, d["correct"] == d["hits"] and 1 or 0, d["grep_missed"] == 0 and 1 or 0)' "$TMP/kiroku-check.json")"
        printf '   %-44s %s\n' "every file grep finds is returned" "$(verdict "$gk")"
        printf '   %-44s %s\n' "every returned file matches (precision 100%)" "$(verdict "$prec")"
        printf '   %-44s %s\n' "recall 100% against the reference matcher" "$(verdict "$rec")"
    fi
    if [[ -n "$P99" ]]; then
        ok=$(awk -v p="$P99" -v t="$TARGET_P99_MS" 'BEGIN {print (p < t) ? 1 : 0}')
        printf '   %-44s %s\n' "search p99 < $TARGET_P99_MS ms at -c$CONNS ($P99 ms)" "$(verdict "$ok")"
    fi
else
    echo "   Kiroku: unavailable: ${KIROKU_FAIL:-$KIROKU_STATE}"
fi

if [[ -n "$KIROKU_FAIL" ]]; then
    die "Kiroku: $KIROKU_FAIL (logs: BENCH_OUT=DIR keeps them)"
fi
exit 0
