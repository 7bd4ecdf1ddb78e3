#!/usr/bin/env bash
# Search as a district's drive grows (issue 14): Kiroku's indexing, search latency and
# memory on the same Japanese corpus at 1x, 10x and 50x (about 95 k documents), beside
# Groonga on the same texts and queries.
#
# Corpus: bench/search.sh's (Debian manpages-ja rendered with groff + the Japanese Debian
# manuals in ~16 KB sections: 1,899 files, 17 MiB, 300 of them Shift_JIS), built by
# bench/search/searchbench.py into BENCH_CORPUS and reused from there (the same cache key
# as bench/search.sh, so either script can build it for the other). At size N, copy K
# (1..N) of every file is files/bench/copyK/<its path>, in its own encoding, with a line
# 「写し K」 appended, so no two documents are the same (bench/search/scale.py copies).
#
# For each size, on a fresh data directory:
#   Kiroku   the copies are written straight into DATA/files/bench/ (as bench/handover.sh
#            does), `kiroku check --repair` gives them their ids (timed apart), then
#            `kiroku reindex` runs under bench/search/searchbench.py measure: wall time,
#            CPU (user + sys, GNU time), peak memory (the RSS sum of kiroku and its
#            kiroku-extract workers sampled every 0.2 s; GNU time's largest process),
#            index size (du -sb DATA/index) and its ratio to the text.
#   Groonga  the same texts decoded to UTF-8, loaded by `groonga -n DB < load file` (table
#            Docs, BENCH_GROONGA_TOKENIZER + NormalizerAuto, WITH_POSITION index), measured
#            the same way, for comparison.
# Then kirokud (127.0.0.1, HTTP only, admin user by Basic auth; started once nothing is
# pending and it is idle after its start-up scan) and Groonga's HTTP server
# (`groonga -s --protocol http`, 127.0.0.1) run side by side:
#   first    each query of bench/search/scale-queries.tsv asked once with curl, one at a
#            time, the first asks after each server started (Kiroku: GET /api/search?q=Q;
#            Groonga: /d/select?table=Docs&match_columns=body&query=Q&sort_keys=-_score);
#   load     per kind (rare words, common words with an indexed bigram, words made only
#            of frequent bigrams, one character, ASCII), wrk -t2 -c8 --latency cycling
#            through the kind's queries with bench/search/search.lua, BENCH_LIMIT (20)
#            hits a page, BENCH_WARMUP s of warm-up then BENCH_SECONDS s measured:
#            Kiroku then Groonga for each kind in turn; p50, p99, requests/s;
#   memory   kirokud's VmRSS (and the Groonga server's) after the load.
# At the largest size, the recall and precision of the first BENCH_RECALL_PER_KIND (2)
# queries of each kind: the reference sets (searchbench.py's matcher: NFKC, casefold,
# katakana -> hiragana, no whitespace, substring of the text or the name) and grep -rlF's
# sets over every copy (bench/search/scale.py reference), against all pages of Kiroku's
# /api/search (searchbench.py kiroku-check).
#
# Groonga's match semantics: TokenBigramSplitSymbolAlphaDigit (the default here) cuts
# ASCII into bigrams as TokenBigram cuts Japanese, so `ls` finds every text containing
# "ls", as Kiroku does; with TokenBigram (bench/search.sh's, BENCH_GROONGA_TOKENIZER=
# TokenBigram) an ASCII query finds whole words only. Japanese is tokenised the same by
# both. Groonga's result cache is off (cache=no): a cached select measures no search;
# so is Kiroku's ranking of a search's first hits (index.rememberedHits = 0). With
# BENCH_GROONGA_CACHE=yes both are on.
# Groonga returns each hit's key and score only (no snippet, where Kiroku's hits carry
# one): the stricter comparison for Kiroku.
#
# Printed: a table per size (reindex wall and CPU s, documents/s, peak MiB, index MiB
# and ÷ text, RSS after the load, Groonga beside), a table per kind and size (first-time
# ms, p50, p99, requests/s for both, Kiroku ÷ Groonga p99), each query's first time and
# hits, the recall/precision table, and the issue's targets (at 95 k documents on this
# 2-core machine: p99 < 30 ms for every kind at 8 clients, first time < 100 ms, every
# kind at or below Groonga's p99, kirokud < 100 MiB after the load, indexing >= 1,100
# documents/s, recall and precision 1.0), judged at the largest size run, as "ok" or
# "MISSED" lines.
#
# Exit status: 0 once the results are printed (a missed target is not a failure);
# non-zero, saying why, if a package is missing and cannot be installed, there is not
# enough disk space, the corpus cannot be built, indexing fails, a server does not start
# or a first search does not answer.
#
# Environment (all optional):
#   BENCH_SCALES="1 10 50"   sizes (copies of the corpus); "1 2" for a quick run
#   BENCH_SECONDS=10         measured wrk seconds per kind and engine
#   BENCH_WARMUP=2           wrk warm-up seconds per kind and engine (0: none)
#   BENCH_CONNECTIONS=8      wrk -c (concurrent clients)
#   BENCH_THREADS=2          wrk -t
#   BENCH_LIMIT=20           hits a page
#   BENCH_RECALL_PER_KIND=2  queries of each kind in the recall sample (0: no recall check)
#   BENCH_QUERIES=bench/search/scale-queries.tsv   kind<TAB>query
#   BENCH_CORPUS=DIR         build the corpus in DIR and keep it (reused when built with the
#                            same BENCH_SJIS and package versions, by this script or search.sh)
#   BENCH_SJIS=300           corpus files stored as Shift_JIS
#   BENCH_GROONGA_TOKENIZER=TokenBigramSplitSymbolAlphaDigit   or TokenBigram (ASCII: words)
#   BENCH_GROONGA_INDEX=online   online: the index column made before the load; static: after
#   BENCH_GROONGA_COLUMNS=_key,_score   what a select returns per hit ('_key,_score,snippet_html(body)':
#                            with snippets, as Kiroku's hits have; many times slower in Groonga)
#   BENCH_GROONGA_CACHE=no   Groonga's result cache and Kiroku's remembered rankings (yes: on)
#   BENCH_INSTALL=1          apt-get install missing Debian packages (0: fail instead)
#   BENCH_OUT=DIR            keep the logs, wrk outputs, reference sets and figures in DIR
#   TMPDIR=/tmp              where the data of one size at a time goes (50x: about 8 GiB)
#   KIROKU_BIN=build/bin     where kiroku, kirokud and kiroku-extract are
# shellcheck disable=SC2317  # cleanup runs from the EXIT trap
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
helper="$here/search/searchbench.py"
scale="$here/search/scale.py"

SCALES=${BENCH_SCALES:-"1 10 50"}
DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-2}
LIMIT=${BENCH_LIMIT:-20}
RECALL_PER_KIND=${BENCH_RECALL_PER_KIND:-2}
QUERIES=${BENCH_QUERIES:-"$here/search/scale-queries.tsv"}
NSJIS=${BENCH_SJIS:-300}
G_TOKENIZER=${BENCH_GROONGA_TOKENIZER:-TokenBigramSplitSymbolAlphaDigit}
G_INDEX=${BENCH_GROONGA_INDEX:-online}
G_COLUMNS=${BENCH_GROONGA_COLUMNS:-"_key,_score"}
G_CACHE=${BENCH_GROONGA_CACHE:-no}
INSTALL=${BENCH_INSTALL:-1}
KIROKU_BIN=${KIROKU_BIN:-"$root/build/bin"}

BENCH_USER=bench
BENCH_PASS='pass-1234'
KFOLDER=bench                  # the copies under DATA/files/bench/ = /dav/bench/

die() { echo "" >&2; echo "bench/search-scale.sh: ERROR: $*" >&2; exit 1; }
note() { printf '== [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

read -r -a SIZES <<<"$SCALES"
[[ ${#SIZES[@]} -gt 0 ]] || die "BENCH_SCALES is empty"
for n in "${SIZES[@]}"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SCALES: '$n' is not a whole number >= 1"; done
LARGEST=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -n 1)
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] || die "BENCH_SECONDS must be a whole number >= 1"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a whole number"
[[ "$CONNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a whole number >= 1"
[[ "$THREADS" =~ ^[1-9][0-9]*$ && "$THREADS" -le "$CONNS" ]] || die "BENCH_THREADS must be 1..BENCH_CONNECTIONS"
[[ "$LIMIT" =~ ^[0-9]+$ && "$LIMIT" -ge 1 && "$LIMIT" -le 200 ]] || die "BENCH_LIMIT must be 1..200"
[[ "$RECALL_PER_KIND" =~ ^[0-9]+$ ]] || die "BENCH_RECALL_PER_KIND must be a whole number"
[[ "$NSJIS" =~ ^[0-9]+$ ]] || die "BENCH_SJIS must be a whole number"
[[ -f "$QUERIES" ]] || die "no query file $QUERIES"
case "$G_TOKENIZER" in TokenBigram*) ;; *) die "BENCH_GROONGA_TOKENIZER must be one of Groonga's TokenBigram tokenizers" ;; esac
case "$G_INDEX" in online|static) ;; *) die "BENCH_GROONGA_INDEX must be 'online' or 'static'" ;; esac
case "$G_CACHE" in yes|no) ;; *) die "BENCH_GROONGA_CACHE must be 'yes' or 'no'" ;; esac
[[ -x "$KIROKU_BIN/kiroku" && -x "$KIROKU_BIN/kirokud" ]] ||
    die "no kiroku/kirokud in $KIROKU_BIN (run 'make build' or set KIROKU_BIN)"
[[ -x "$KIROKU_BIN/kiroku-extract" ]] || echo "WARNING: no $KIROKU_BIN/kiroku-extract; reindex may fail to extract" >&2

# ---------------------------------------------------------------- Debian packages
# package: a command (or file) that shows it is installed (as in bench/search.sh)
# shellcheck disable=SC2034  # read by install_needed (lib.sh)
declare -A NEED=(
    [manpages-ja]=/usr/share/man/ja/man1/ls.1.gz
    [manpages-ja-dev]=/usr/share/man/ja/man2/open.2.gz
    [debian-reference-ja]=/usr/share/debian-reference/debian-reference.ja.txt.gz
    [developers-reference-ja]=/usr/share/developers-reference/ja/developers-reference.txt.gz
    [maint-guide-ja]=/usr/share/doc/maint-guide-ja/maint-guide.ja.txt.gz
    [debian-faq-ja]=/usr/share/doc/debian/FAQ/debian-faq.ja.txt.gz
    [groff-base]=groff [bsdextrautils]=col [time]=/usr/bin/time
    [curl]=curl [wrk]=wrk [python3]=python3 [groonga-bin]=groonga
)
install_needed NEED "$INSTALL"
for tool in iconv grep du df awk base64; do have "$tool" || die "missing tool: $tool"; done

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN {exit !(l + 0 > n + 0)}'; then
    echo "WARNING: load average ${LOAD_START%% *} > $(nproc) CPUs: the machine is busy, figures will be noisy" >&2
fi

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiroku-search-scale.XXXXXX")
LOGS="$TMP/logs"                 # what BENCH_OUT keeps
mkdir -p "$LOGS"
KIROKUD_PID=""
GROONGA_PID=""

cleanup() {
    local rc=$?
    set +e
    stop_pid "$KIROKUD_PID"
    stop_pid "$GROONGA_PID"
    if [[ -n "${BENCH_OUT:-}" ]]; then
        mkdir -p "$BENCH_OUT"
        cp -r "$LOGS"/. "$BENCH_OUT"/ 2>/dev/null
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

RESULTS="$LOGS/results.tsv"
: >"$RESULTS"
put() { printf '%s\t%s\n' "$1" "$2" >>"$RESULTS"; }   # put KEY VALUE
jget() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
status_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null; }   # status_kb PID VmRSS
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo x; }

wait_idle() {  # wait_idle PID: until it uses < 4% of a CPU for 1 s (its start-up work done), 10 min at most
    local pid=$1 prev now calm=0
    prev=$(cpu_ticks "$pid")
    for _ in $(seq 1200); do
        sleep 0.5
        now=$(cpu_ticks "$pid")
        [[ "$now" == x ]] && return 1
        if [[ $((now - prev)) -le 2 ]]; then calm=$((calm + 1)); else calm=0; fi
        [[ $calm -ge 2 ]] && return 0
        prev=$now
    done
    return 1
}

# ---------------------------------------------------------------- corpus
# The same key as bench/search.sh (all files, BENCH_SJIS), so the two share BENCH_CORPUS.
CORPUS_KEY="files=all sjis=$NSJIS manpages-ja=$(pkgver manpages-ja) manpages-ja-dev=$(pkgver manpages-ja-dev) debian-reference-ja=$(pkgver debian-reference-ja) developers-reference-ja=$(pkgver developers-reference-ja) maint-guide-ja=$(pkgver maint-guide-ja) debian-faq-ja=$(pkgver debian-faq-ja) groff=$(pkgver groff-base) helper=$(cksum <"$helper" | cut -d' ' -f1)"
CORPUS=${BENCH_CORPUS:-"$TMP/corpus"}
if [[ -f "$CORPUS/manifest.tsv" && -f "$CORPUS/corpus.key" && "$(cat "$CORPUS/corpus.key")" == "$CORPUS_KEY" ]]; then
    note "reusing the corpus in $CORPUS"
else
    [[ ! -e "$CORPUS" || -z "$(ls -A "$CORPUS")" || -f "$CORPUS/corpus.key" ]] ||
        die "BENCH_CORPUS=$CORPUS exists, is not empty and is not a corpus bench/search.sh or this script built"
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    note "building the corpus in $CORPUS (rendering the man pages with groff; about 20 s on an idle 2-core machine)"
    python3 "$helper" corpus "$CORPUS" --sjis "$NSJIS" >"$LOGS/corpus.log" 2>&1 ||
        { cat "$LOGS/corpus.log" >&2; die "building the corpus failed"; }
    echo "$CORPUS_KEY" >"$CORPUS/corpus.key"
fi
N_BASE=$(wc -l <"$CORPUS/manifest.tsv")
N_BASE_SJIS=$(awk -F'\t' '$2 == "sjis"' "$CORPUS/manifest.tsv" | wc -l)
BASE_BYTES=$(awk -F'\t' '{s += $3} END {print s + 0}' "$CORPUS/manifest.tsv")
BASE_DISK_KB=$(du -sk "$CORPUS/files" | cut -f1)
[[ "$N_BASE" -gt 0 ]] || die "the corpus is empty"
note "corpus: $N_BASE files ($N_BASE_SJIS Shift_JIS), $BASE_BYTES bytes; sizes: ${SIZES[*]}"

# Disk: per size N, the copies (as much disk as the corpus, N times), Kiroku's index
# (~1.3x the text), the Groonga load file (~1.1x) and database (~3.5x on disk, more
# allocated but sparse), the Shift_JIS mirror for grep: about 7x the text besides the
# copies, and 256 MiB to spare. One size at a time is on disk.
need_kb() { echo $(( $1 * (BASE_DISK_KB + BASE_BYTES * 7 / 1024) + 262144 )); }
check_disk() {  # check_disk N
    local need free
    need=$(need_kb "$1")
    free=$(df -Pk "$TMP" | awk 'NR == 2 {print $4}')
    [[ "$free" -ge "$need" ]] ||
        die "the ${1}x size needs about $((need / 1048576 + 1)) GiB in $(dirname "$TMP") (the copies, Kiroku's index, Groonga's load file and database), but only $((free / 1024)) MiB are free: set TMPDIR to a roomier disk or leave $1 out of BENCH_SCALES"
}
check_disk "$LARGEST"

# ---------------------------------------------------------------- queries
python3 "$scale" paths "$QUERIES" "$TMP/paths" "$LIMIT" "$G_COLUMNS" "$G_CACHE" || die "reading $QUERIES failed"
KINDS=(rare common frequent onechar ascii)
mapfile -t Q_KIND < <(cut -f1 "$TMP/paths/queries.tsv")
mapfile -t Q_TEXT < <(cut -f2 "$TMP/paths/queries.tsv")
mapfile -t Q_KPATH < <(cut -f3 "$TMP/paths/queries.tsv")
mapfile -t Q_GPATH < <(cut -f4 "$TMP/paths/queries.tsv")
cp "$QUERIES" "$LOGS/queries.tsv"

AUTH="Authorization: Basic $(printf '%s:%s' "$BENCH_USER" "$BENCH_PASS" | base64 -w0)"

put scales "${SIZES[*]}"
put cpus "$(nproc)"
put ram_gib "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
put load_start "$LOAD_START"
put corpus_files "$N_BASE"
put corpus_sjis "$N_BASE_SJIS"
put corpus_bytes "$BASE_BYTES"
put queries_file "${QUERIES#"$root"/}"
put tokenizer "$G_TOKENIZER"
put groonga_index "$G_INDEX"
put groonga_cache "$G_CACHE"
put groonga_columns "$G_COLUMNS"
put groonga_version "$(pkgver groonga-bin)"
put duration "$DURATION"
put warmup "$WARMUP"
put conns "$CONNS"
put threads "$THREADS"
put limit "$LIMIT"
put recall_per_kind "$RECALL_PER_KIND"

# ---------------------------------------------------------------- one size
measure() {  # measure OUT.json LOG CMD...: searchbench.py measure (wall, CPU, peaks)
    local out=$1 log=$2
    shift 2
    python3 "$helper" measure "$out" -- "$@" >"$log" 2>&1
}
record() {  # record PREFIX MEASURE.json
    local k
    for k in wall cpu maxrss_kb; do put "$1.$k" "$(jget "$2" "$k")"; done
    put "$1.tree_kb" "$(jget "$2" tree_peak_kb)"
}

wrk_run() {  # wrk_run ENGINE N KIND URL PATHS: warm-up, then the measured run; records p50/p99
    local e=$1 n=$2 kind=$3 url=$4 paths=$5 out="$LOGS/wrk-${2}x-$1-$3.txt" hdr=()
    [[ "$e" == kiroku ]] && hdr=(-H "$AUTH")
    if [[ "$WARMUP" -gt 0 ]]; then
        BENCH_PATHS="$paths" wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "${hdr[@]}" \
            -s "$here/search/search.lua" "$url" >/dev/null 2>&1 || true
    fi
    BENCH_PATHS="$paths" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${hdr[@]}" \
        -s "$here/search/search.lua" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed ($e, ${n}x, $kind)"; }
    grep -q 'Requests/sec' "$out" || { cat "$out" >&2; die "no figures from wrk ($e, ${n}x, $kind)"; }
    put "$n.$e.$kind.p50" "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
    put "$n.$e.$kind.p99" "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
    put "$n.$e.$kind.rps" "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    local non2xx sock
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
    sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
    put "$n.$e.$kind.errors" "$(( ${non2xx:-0} + ${sock:-0} ))"
    note "  $e $kind: p50 $(awk '$1 == "50%" {print $2}' "$out"), p99 $(awk '$1 == "99%" {print $2}' "$out")"
}

hit_count() {  # hit_count kiroku|groonga RESPONSE: Kiroku's "total", Groonga's select count (0 = success)
    local v
    if [[ "$1" == kiroku ]]; then
        v=$(grep -o '"total": *[0-9]*' "$2" | head -n 1 | grep -o '[0-9]*$')
    else
        v=$(head -c 200 "$2" | sed -n 's/^\[\[0,[^]]*\],\[\[\[\([0-9]*\)\].*/\1/p')
    fi
    [[ -n "$v" ]] && echo "$v"
}

first_times() {  # first_times ENGINE N URL: each query once, in order, one client
    local e=$1 n=$2 url=$3 i code t resp="$TMP/resp.json" hits path auth=()
    [[ "$e" == kiroku ]] && auth=(-H "$AUTH")
    for i in "${!Q_TEXT[@]}"; do
        if [[ "$e" == kiroku ]]; then path=${Q_KPATH[$i]}; else path=${Q_GPATH[$i]}; fi
        read -r code t < <(curl -s -o "$resp" -w '%{http_code} %{time_total}\n' "${auth[@]}" "$url$path" || echo "000 0")
        [[ "$code" == 200 ]] || { head -c 500 "$resp" >&2 2>/dev/null; echo >&2; die "$e (${n}x): ${Q_TEXT[$i]} answered $code"; }
        hits=$(hit_count "$e" "$resp") || { head -c 500 "$resp" >&2; echo >&2; die "$e (${n}x): no hit count for ${Q_TEXT[$i]}"; }
        put "$n.$e.first.$i" "$(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')"
        put "$n.$e.hits.$i" "$hits"
        printf '%s\t%s\t%s\t%s ms\t%s hits\n' "$e" "${Q_KIND[$i]}" "${Q_TEXT[$i]}" "$(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')" "$hits" \
            >>"$LOGS/first-${n}x.txt"
    done
}

run_size() {  # run_size N
    local n=$1 S="$TMP/x$1" D files docs bytes mirror="" kport gport kurl gurl kind
    D="$S/data"
    files="$D/files/$KFOLDER"
    check_disk "$n"
    mkdir -p "$files"
    note "${n}x: writing $((N_BASE * n)) copies into $files and the Groonga load file"
    local recall=0
    if [[ "$n" == "$LARGEST" && "$RECALL_PER_KIND" -gt 0 ]]; then recall=1; mirror="$S/grep-sjis"; fi
    read -r docs bytes < <(python3 "$scale" copies "$CORPUS" "$n" "$files" "$S/manifest.tsv" "$S/load.grn" \
        "$G_TOKENIZER" "$G_INDEX" ${mirror:+"$mirror"}) || die "writing the ${n}x copies failed"
    put "$n.docs" "$docs"
    put "$n.text_bytes" "$bytes"

    if [[ $recall == 1 ]]; then
        note "${n}x: reference sets (matcher and grep over every copy)"
        python3 "$scale" reference "$S/manifest.tsv" "$files" "$mirror" "$QUERIES" "$RECALL_PER_KIND" \
            "$LOGS/reference-${n}x.json" >"$LOGS/reference-${n}x.txt" 2>&1 ||
            { cat "$LOGS/reference-${n}x.txt" >&2; die "the reference matcher failed"; }
        rm -rf "$mirror"
    fi

    # Kiroku: the data folder around the files, user, ids for the files, reindex.
    "$KIROKU_BIN/kiroku" --data "$D" init >"$LOGS/kiroku-cli-${n}x.log" 2>&1 ||
        { cat "$LOGS/kiroku-cli-${n}x.log" >&2; die "kiroku init failed"; }
    printf '%s\n' "$BENCH_PASS" | "$KIROKU_BIN/kiroku" --data "$D" user add "$BENCH_USER" --display B --admin \
        >>"$LOGS/kiroku-cli-${n}x.log" 2>&1 || { cat "$LOGS/kiroku-cli-${n}x.log" >&2; die "kiroku user add failed"; }
    # No periodic disk scan while measuring (the scan at start still runs, and is waited for).
    printf 'index.scanMinutes = 100000\n' >"$D/kiroku.properties"
    # Remembered rankings as Groonga's result cache: both off, or both on.
    [ "$G_CACHE" = yes ] || printf 'index.rememberedHits = 0\n' >>"$D/kiroku.properties"
    note "${n}x: kiroku check --repair"
    local t0
    t0=$(date +%s.%N)
    "$KIROKU_BIN/kiroku" --data "$D" check --repair >>"$LOGS/kiroku-cli-${n}x.log" 2>&1 ||
        { tail -n 20 "$LOGS/kiroku-cli-${n}x.log" >&2; die "kiroku check --repair failed"; }
    put "$n.check_s" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')"
    note "${n}x: kiroku reindex ($docs documents)"
    measure "$S/kiroku.json" "$LOGS/kiroku-reindex-${n}x.log" "$KIROKU_BIN/kiroku" --data "$D" reindex ||
        { tail -n 20 "$LOGS/kiroku-reindex-${n}x.log" >&2; die "kiroku reindex failed (${n}x)"; }
    record "$n.kiroku" "$S/kiroku.json"
    put "$n.kiroku.index_bytes" "$(du -sb "$D/index" | cut -f1)"
    "$KIROKU_BIN/kiroku" --data "$D" index status >"$LOGS/kiroku-index-status-${n}x.txt" 2>&1 || true
    note "${n}x: kiroku: $(jget "$S/kiroku.json" wall) s; $(head -n 1 "$LOGS/kiroku-index-status-${n}x.txt")"

    # Groonga: the same texts.
    note "${n}x: groonga -n (load file $(du -m "$S/load.grn" | cut -f1) MiB, $G_TOKENIZER, $G_INDEX index)"
    mkdir -p "$S/groonga"
    # shellcheck disable=SC2016  # $1..$3 are the inner shell's arguments
    measure "$S/groonga.json" "$LOGS/groonga-load-${n}x.log" \
        sh -c 'exec groonga --log-path "$3" -n "$1" < "$2"' groonga "$S/groonga/db" "$S/load.grn" "$LOGS/groonga-${n}x.log" ||
        { tail -c 2000 "$LOGS/groonga-load-${n}x.log" >&2; die "groonga failed to load the ${n}x texts"; }
    grep -q "^\[\[0,[^]]*\],$docs\]" "$LOGS/groonga-load-${n}x.log" ||
        { tail -c 2000 "$LOGS/groonga-load-${n}x.log" >&2; die "groonga did not report loading $docs records"; }
    if grep -q '^\[\[-' "$LOGS/groonga-load-${n}x.log"; then
        grep '^\[\[-' "$LOGS/groonga-load-${n}x.log" | head -n 5 >&2; die "a groonga command failed"
    fi
    rm -f "$S/load.grn"
    record "$n.groonga" "$S/groonga.json"
    put "$n.groonga.index_bytes" "$(du -sb "$S/groonga" | cut -f1)"
    put "$n.groonga.disk_kb" "$(du -sk "$S/groonga" | cut -f1)"
    note "${n}x: groonga: $(jget "$S/groonga.json" wall) s"

    # Both servers.
    kport=$(free_port)
    kurl="http://127.0.0.1:$kport"
    "$KIROKU_BIN/kirokud" --data "$D" --listen "127.0.0.1:$kport" --listen-tls off >"$LOGS/kirokud-${n}x.log" 2>&1 &
    KIROKUD_PID=$!
    local ok=0 pending='?'
    for _ in $(seq 600); do
        if curl -s -o /dev/null --max-time 2 -X OPTIONS "$kurl/dav/"; then ok=1; break; fi
        kill -0 "$KIROKUD_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ $ok == 1 ]] || { tail -n 40 "$LOGS/kirokud-${n}x.log" >&2; die "kirokud did not start on $kurl"; }
    for _ in $(seq 3000); do
        curl -s -o "$TMP/index.json" -H "$AUTH" "$kurl/api/index/status" 2>/dev/null || true
        pending=$(jget "$TMP/index.json" pending 2>/dev/null || echo '?')
        [[ "$pending" == 0 ]] && break
        sleep 0.2
    done
    [[ "$pending" == 0 ]] || die "kirokud's index still has work pending after 10 minutes: $(cat "$TMP/index.json" 2>/dev/null)"
    wait_idle "$KIROKUD_PID" || die "kirokud did not settle after its start (${n}x)"
    put "$n.kiroku.rss_start_kb" "$(status_kb "$KIROKUD_PID" VmRSS)"
    note "${n}x: kirokud on $kurl, settled at $(( $(status_kb "$KIROKUD_PID" VmRSS) / 1024 )) MiB"

    gport=$(free_port)
    gurl="http://127.0.0.1:$gport"
    groonga -s --protocol http --bind-address 127.0.0.1 --port "$gport" --log-path "$LOGS/groonga-${n}x.log" \
        --query-log-path "$S/groonga-query.log" "$S/groonga/db" >"$LOGS/groonga-server-${n}x.log" 2>&1 &
    GROONGA_PID=$!
    ok=0
    for _ in $(seq 300); do
        if curl -s -o /dev/null --max-time 2 "$gurl/d/status"; then ok=1; break; fi
        kill -0 "$GROONGA_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ $ok == 1 ]] || { tail -n 20 "$LOGS/groonga-${n}x.log" >&2; die "groonga's HTTP server did not start on $gurl"; }
    note "${n}x: groonga on $gurl; first times"

    put "$n.load_wrk" "$(cut -d' ' -f1-3 /proc/loadavg)"
    first_times kiroku "$n" "$kurl"
    first_times groonga "$n" "$gurl"
    for kind in "${KINDS[@]}"; do
        note "${n}x: wrk $kind (${WARMUP} + ${DURATION} s each)"
        wrk_run kiroku "$n" "$kind" "$kurl" "$TMP/paths/kiroku-$kind.txt"
        wrk_run groonga "$n" "$kind" "$gurl" "$TMP/paths/groonga-$kind.txt"
    done
    kill -0 "$KIROKUD_PID" 2>/dev/null || die "kirokud died during the load (${n}x)"
    kill -0 "$GROONGA_PID" 2>/dev/null || die "groonga died during the load (${n}x)"
    put "$n.kiroku.rss_kb" "$(status_kb "$KIROKUD_PID" VmRSS)"
    put "$n.kiroku.hwm_kb" "$(status_kb "$KIROKUD_PID" VmHWM)"
    put "$n.groonga.rss_kb" "$(status_kb "$GROONGA_PID" VmRSS)"
    stop_pid "$GROONGA_PID"
    GROONGA_PID=""

    if [[ $recall == 1 ]]; then
        note "${n}x: recall/precision (all pages of /api/search)"
        t0=$(date +%s.%N)
        python3 "$helper" kiroku-check "$LOGS/reference-${n}x.json" "$kurl" "$BENCH_USER" "$BENCH_PASS" "$KFOLDER" \
            "$LOGS/recall-${n}x.json" >"$LOGS/recall-${n}x.txt" 2>&1 ||
            { cat "$LOGS/recall-${n}x.txt" >&2; die "the recall/precision check failed"; }
        put "$n.recall_s" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')"
        put "$n.reference_json" "reference-${n}x.json"
        put "$n.recall_txt" "recall-${n}x.txt"
        put "$n.recall_json" "recall-${n}x.json"
        put "$n.kiroku.rss_recall_kb" "$(status_kb "$KIROKUD_PID" VmRSS)"
    fi
    stop_pid "$KIROKUD_PID"
    KIROKUD_PID=""
    rm -rf "$S"
}

[[ "$RECALL_PER_KIND" -gt 0 ]] || put recall_skip "BENCH_RECALL_PER_KIND=0"
for n in "${SIZES[@]}"; do
    run_size "$n"
done

python3 "$scale" report "$RESULTS" "$QUERIES"
exit 0
