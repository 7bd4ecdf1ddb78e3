#!/usr/bin/env bash
# WebDAV benchmark: kirokud against Apache mod_dav serving the same files.
#
# Starts kirokud (fresh data directory, user "bench") and a private Apache
# (mod_dav + mod_dav_fs, own config in a temp dir), both on free ports on 127.0.0.1,
# creates the bench files through kirokud, points Apache at the same DIR/files, and
# runs wrk against both:
#   get       GET of a 4 KB file
#   propfind  PROPFIND Depth: 1 (allprop) on a folder of 500 files
# Prints requests/s, p50 and p99 per test and server, the Kiroku/Apache ratio of
# requests/s, and kirokud's idle RSS, each next to its target.
#
# Exit status: 0 once the results are printed; non-zero if a server does not start,
# a sanity request fails, or a wrk run has a significant share of errors.
#
# Environment (all optional):
#   BENCH_SECONDS=10      duration of each measured wrk run
#   BENCH_WARMUP=2        warm-up seconds before each measured run (0: none)
#   BENCH_CONNECTIONS=16  wrk -c
#   BENCH_THREADS=2       wrk -t
#   BENCH_FILES=500       files in the PROPFIND folder
#   BENCH_APACHE_AUTH=basic   basic | none (Apache's auth; Kiroku always needs Basic)
#   BENCH_MAX_ERROR_PCT=1 share of non-2xx/socket errors (in %) above which a run fails
#   BENCH_ONLY=apache     run the Apache half only (files made directly on disk)
#   BENCH_OUT=DIR         keep wrk's raw outputs and the server logs in DIR
#   KIROKU_BIN=build/bin  where kirokud and kiroku are
#   APACHE_MODULES=/usr/lib/apache2/modules
# shellcheck disable=SC2317  # cleanup/stop_pid run from the EXIT trap
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
NFILES=${BENCH_FILES:-500}
APACHE_AUTH=${BENCH_APACHE_AUTH:-basic}
MAX_ERR_PCT=${BENCH_MAX_ERROR_PCT:-1}
ONLY=${BENCH_ONLY:-}
KIROKU_BIN=${KIROKU_BIN:-"$root/build/bin"}
APACHE_MODULES=${APACHE_MODULES:-/usr/lib/apache2/modules}

BENCH_USER=bench
BENCH_PASS='bench-Pass-2024'
BENCH_ORG=bench               # the association whose space holds the bench files
DAV_DIR=$BENCH_ORG/work       # /dav/bench/work/ (= DIR/files/bench/work/)
GET_PATH=/dav/$DAV_DIR/get-4k.bin
PROPFIND_PATH=/dav/$DAV_DIR/many/
TARGET_GET=1.0                # Kiroku/Apache requests/s
TARGET_PROPFIND=5.0
TARGET_RSS_MB=30

die() { echo "" >&2; echo "bench/dav.sh: ERROR: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "$ONLY" in ""|apache) ;; *) die "BENCH_ONLY must be empty or 'apache'" ;; esac
case "$APACHE_AUTH" in basic|none) ;; *) die "BENCH_APACHE_AUTH must be 'basic' or 'none'" ;; esac
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] || die "BENCH_SECONDS must be a whole number >= 1"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a whole number"

# ---------------------------------------------------------------- tools
missing=()
for tool in wrk curl apache2 htpasswd base64 awk; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ ${#missing[@]} -eq 0 ]] || die "missing tools: ${missing[*]} (Debian: apt-get install wrk curl apache2 apache2-utils)"
[[ -f "$APACHE_MODULES/mod_dav_fs.so" ]] || die "mod_dav_fs not found in $APACHE_MODULES (set APACHE_MODULES)"
if [[ -z "$ONLY" ]]; then
    [[ -x "$KIROKU_BIN/kirokud" && -x "$KIROKU_BIN/kiroku" ]] ||
        die "no kirokud/kiroku in $KIROKU_BIN (run 'make build', set KIROKU_BIN, or BENCH_ONLY=apache)"
fi

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d /tmp/kiroku-bench.XXXXXX)
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
        cp "$TMP"/wrk-*.txt "$TMP"/kirokud.log "$TMP"/apache/logs/error.log "$BENCH_OUT"/ 2>/dev/null
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


wait_ready() {  # wait_ready NAME PID URL LOG
    local name=$1 pid=$2 url=$3 log=$4
    for _ in $(seq 150); do
        if curl -s -o /dev/null --max-time 2 -X OPTIONS "$url/dav/"; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "--- $log" >&2; tail -n 40 "$log" >&2 || true
            die "$name exited during start-up"
        fi
        sleep 0.1
    done
    echo "--- $log" >&2; tail -n 40 "$log" >&2 || true
    die "$name did not answer OPTIONS $url/dav/ within 15 s"
}

rss_kb() {  # rss_kb PID: VmRSS in kB
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

mb() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }

AUTH_HEADER="Authorization: Basic $(printf '%s:%s' "$BENCH_USER" "$BENCH_PASS" | base64 -w0)"

# ---------------------------------------------------------------- test files
head -c 4096 /dev/urandom >"$TMP/get-4k.bin"
printf 'Kiroku bench file: a small text document for PROPFIND listings.\n' >"$TMP/small.txt"

# Curl config doing MKCOLs/PUTs of every bench file against BASE. curl options are
# per operation ("next" resets them), so each one carries its credentials and write-out.
make_put_config() {  # make_put_config BASE > file
    local base=$1 i common
    common=$(printf 'user = "%s:%s"\noutput = "/dev/null"\nsilent\nshow-error\nwrite-out = "%%{http_code} %%{url_effective}\\n"' \
        "$BENCH_USER" "$BENCH_PASS")
    printf 'url = "%s/dav/%s/"\nrequest = "MKCOL"\n%s\n' "$base" "$DAV_DIR" "$common"
    printf 'next\nurl = "%s/dav/%s/many/"\nrequest = "MKCOL"\n%s\n' "$base" "$DAV_DIR" "$common"
    printf 'next\nurl = "%s%s"\nupload-file = "%s"\n%s\n' "$base" "$GET_PATH" "$TMP/get-4k.bin" "$common"
    for ((i = 1; i <= NFILES; i++)); do
        printf 'next\nurl = "%s/dav/%s/many/f%04d.txt"\nupload-file = "%s"\n%s\n' \
            "$base" "$DAV_DIR" "$i" "$TMP/small.txt" "$common"
    done
}

# ---------------------------------------------------------------- kirokud
KIROKU_URL=""
FILES_DIR=""
RSS_START_KB=0
if [[ -z "$ONLY" ]]; then
    KDATA="$TMP/kiroku-data"
    KPORT=$(free_port)
    KIROKU_URL="http://127.0.0.1:$KPORT"
    note "kirokud: data $KDATA, listening on $KIROKU_URL"
    "$KIROKU_BIN/kiroku" --data "$KDATA" init >"$TMP/kiroku-cli.log" 2>&1 ||
        { cat "$TMP/kiroku-cli.log" >&2; die "kiroku init failed"; }
    printf '%s\n' "$BENCH_PASS" |
        "$KIROKU_BIN/kiroku" --data "$KDATA" user add "$BENCH_USER" --display "Bench" >>"$TMP/kiroku-cli.log" 2>&1 ||
        { cat "$TMP/kiroku-cli.log" >&2; die "kiroku user add failed"; }
    # The bench user is an ordinary 区長 (not an administrator), so every request goes
    # through the real rights check: the files live in the association's space "bench".
    for args in "org add benchcity --kind city" "org add benchdistrict --kind district --parent benchcity" \
                "org add $BENCH_ORG --kind association --parent benchdistrict" \
                "role assign $BENCH_USER 区長 $BENCH_ORG --from 2000-04-01 --to 2999-03-31"; do
        # shellcheck disable=SC2086
        "$KIROKU_BIN/kiroku" --data "$KDATA" $args >>"$TMP/kiroku-cli.log" 2>&1 ||
            { cat "$TMP/kiroku-cli.log" >&2; die "kiroku $args failed"; }
    done
    "$KIROKU_BIN/kirokud" --data "$KDATA" --listen "127.0.0.1:$KPORT" --listen-tls off \
        >"$TMP/kirokud.log" 2>&1 &
    KIROKU_PID=$!
    wait_ready kirokud "$KIROKU_PID" "$KIROKU_URL" "$TMP/kirokud.log"
    sleep 1
    RSS_START_KB=$(rss_kb "$KIROKU_PID")

    note "creating $((NFILES + 1)) files through kirokud (MKCOL + PUT)"
    make_put_config "$KIROKU_URL" >"$TMP/put.curlrc"
    curl -K "$TMP/put.curlrc" >"$TMP/put.status" 2>"$TMP/put.err" ||
        { cat "$TMP/put.err" >&2; die "curl failed creating the bench files"; }
    [[ $(wc -l <"$TMP/put.status") -eq $((NFILES + 3)) ]] ||
        { cat "$TMP/put.err" >&2; die "curl did not report $((NFILES + 3)) MKCOL/PUT statuses"; }
    bad=$(awk '$1 !~ /^20[0-9]$/' "$TMP/put.status")
    [[ -z "$bad" ]] || { echo "$bad" | head -n 5 >&2; die "kirokud refused to create bench files (statuses above)"; }
    FILES_DIR="$KDATA/files"
    [[ -f "$FILES_DIR/$DAV_DIR/get-4k.bin" ]] || die "kirokud did not store $GET_PATH at $FILES_DIR/$DAV_DIR/get-4k.bin"
else
    FILES_DIR="$TMP/files"
    mkdir -p "$FILES_DIR/$DAV_DIR/many"
    cp "$TMP/get-4k.bin" "$FILES_DIR/$DAV_DIR/get-4k.bin"
    for ((i = 1; i <= NFILES; i++)); do cp "$TMP/small.txt" "$(printf '%s/%s/many/f%04d.txt' "$FILES_DIR" "$DAV_DIR" "$i")"; done
fi

# ---------------------------------------------------------------- apache
A="$TMP/apache"
mkdir -p "$A/run" "$A/logs" "$A/lock"
APORT=$(free_port)
APACHE_URL="http://127.0.0.1:$APORT"
: >"$A/user.conf"
if [[ $(id -u) -eq 0 ]]; then
    # Apache will not serve as root: its children run as www-data (or nobody), so
    # they must be able to reach and read the files and write the lock database.
    run_user=www-data
    id "$run_user" >/dev/null 2>&1 || run_user=nobody
    run_group=$(id -gn "$run_user")
    printf 'User %s\nGroup %s\n' "$run_user" "$run_group" >"$A/user.conf"
    chmod 755 "$TMP"
    d=$FILES_DIR
    while [[ "$d" != "$TMP" && "$d" != "/" ]]; do chmod a+x "$d"; d=$(dirname "$d"); done
    chmod -R a+rX "$FILES_DIR"
    chown -R "$run_user:$run_group" "$A/lock" "$A/run"
fi
if [[ "$APACHE_AUTH" == basic ]]; then
    htpasswd -b -c -s "$A/htpasswd" "$BENCH_USER" "$BENCH_PASS" 2>/dev/null
    chmod a+r "$A/htpasswd"
    cat >"$A/auth.conf" <<EOF
AuthType Basic
AuthName "Kiroku bench"
AuthBasicProvider file
AuthUserFile "$A/htpasswd"
Require valid-user
EOF
else
    echo 'Require all granted' >"$A/auth.conf"
fi
sed -e "s|@APACHE_DIR@|$A|g" -e "s|@PORT@|$APORT|g" -e "s|@FILES@|$FILES_DIR|g" \
    -e "s|@MODULES@|$APACHE_MODULES|g" "$here/apache/httpd.conf.in" >"$A/httpd.conf"
apache2 -t -d "$A" -f "$A/httpd.conf" >"$A/logs/configtest.log" 2>&1 ||
    { cat "$A/logs/configtest.log" >&2; die "Apache rejected its generated config $A/httpd.conf"; }
note "apache2 (mod_dav_fs): $APACHE_URL serving $FILES_DIR"
apache2 -d "$A" -f "$A/httpd.conf" -DFOREGROUND >"$A/logs/stdout.log" 2>&1 &
APACHE_PID=$!
wait_ready apache2 "$APACHE_PID" "$APACHE_URL" "$A/logs/error.log"

# ---------------------------------------------------------------- sanity checks
SERVERS=()
[[ -z "$ONLY" ]] && SERVERS+=(kiroku)
SERVERS+=(apache)
url_of() { if [[ $1 == kiroku ]]; then echo "$KIROKU_URL"; else echo "$APACHE_URL"; fi; }
label_of() { if [[ $1 == kiroku ]]; then echo "Kiroku"; else echo "Apache"; fi; }

PROPFIND_BODY='<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'
declare -A PF_COUNT PF_BYTES
for s in "${SERVERS[@]}"; do
    u=$(url_of "$s")
    code=$(curl -sS -o "$TMP/check.get" -w '%{http_code}' -H "$AUTH_HEADER" "$u$GET_PATH") || code=000
    [[ "$code" == 200 ]] || die "$(label_of "$s"): GET $GET_PATH answered $code, expected 200"
    cmp -s "$TMP/check.get" "$TMP/get-4k.bin" || die "$(label_of "$s"): GET $GET_PATH returned different bytes"
    code=$(curl -sS -o "$TMP/check.propfind" -w '%{http_code}' -X PROPFIND -H "$AUTH_HEADER" -H 'Depth: 1' \
        -H 'Content-Type: application/xml; charset="utf-8"' --data-binary "$PROPFIND_BODY" "$u$PROPFIND_PATH") || code=000
    [[ "$code" == 207 ]] || die "$(label_of "$s"): PROPFIND $PROPFIND_PATH answered $code, expected 207"
    PF_COUNT[$s]=$(grep -oE '<([A-Za-z0-9_.-]+:)?response[ >]' "$TMP/check.propfind" | wc -l)
    [[ "${PF_COUNT[$s]}" -eq $((NFILES + 1)) ]] ||
        echo "WARNING: $(label_of "$s") PROPFIND listed ${PF_COUNT[$s]} responses, expected $((NFILES + 1))" >&2
    PF_BYTES[$s]=$(wc -c <"$TMP/check.propfind")
    note "$(label_of "$s"): GET 200 (4096 bytes), PROPFIND 207 (${PF_COUNT[$s]} responses, ${PF_BYTES[$s]} bytes)"
    if [[ "$s" == apache && "$APACHE_AUTH" == basic ]]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' "$u$GET_PATH") || code=000
        [[ "$code" == 401 ]] || die "Apache answered $code without credentials; Basic auth is not in force"
    fi
    if [[ "$s" == kiroku ]]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' "$u$GET_PATH") || code=000
        [[ "$code" == 401 ]] || echo "WARNING: Kiroku answered $code without credentials (expected 401)" >&2
    fi
done

# ---------------------------------------------------------------- wrk runs
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN {exit !(l + 0 > n + 0)}'; then
    echo "WARNING: load average ${LOAD_BEFORE%% *} > $(nproc) CPUs: the machine is busy, figures will be noisy" >&2
fi
declare -A RPS P50 P99 REQS ERRS
FAILED=()


run_wrk() {  # run_wrk TEST SERVER
    local t=$1 s=$2 u args out
    u=$(url_of "$s")
    if [[ "$t" == get ]]; then
        args=("$u$GET_PATH")
    else
        args=(-s "$here/wrk/propfind.lua" "$u$PROPFIND_PATH")
    fi
    if [[ "$WARMUP" -gt 0 ]]; then
        wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -H "$AUTH_HEADER" "${args[@]}" >/dev/null 2>&1 || true
    fi
    note "wrk $t $(label_of "$s"): ${DURATION}s, -c$CONNS -t$THREADS"
    out="$TMP/wrk-$t-$s.txt"
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "$AUTH_HEADER" "${args[@]}" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed for $t on $(label_of "$s")"; }
    local key="$t/$s" non2xx sock
    RPS[$key]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
    REQS[$key]=$(awk '/ requests in / {print $1}' "$out")
    P50[$key]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    P99[$key]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
    sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
    ERRS[$key]=$(( ${non2xx:-0} + ${sock:-0} ))
    if [[ -z "${REQS[$key]}" || "${REQS[$key]}" -eq 0 ]]; then
        cat "$out" >&2
        FAILED+=("$t on $(label_of "$s"): wrk completed no requests")
    elif [[ "${ERRS[$key]}" -gt 0 ]]; then
        local msg
        msg="$t on $(label_of "$s"): ${non2xx:-0} non-2xx responses (wrk: 'Non-2xx or 3xx responses') and ${sock:-0} socket errors in ${REQS[$key]} requests"
        if awk -v e="${ERRS[$key]}" -v n="${REQS[$key]}" -v m="$MAX_ERR_PCT" 'BEGIN {exit !(e * 100 > n * m)}'; then
            cat "$out" >&2
            FAILED+=("$msg")
            echo "ERROR: $msg" >&2
        else
            echo "WARNING: $msg" >&2
        fi
    fi
}

for t in get propfind; do
    for s in "${SERVERS[@]}"; do run_wrk "$t" "$s"; done
done

RSS_END_KB=0
APACHE_RSS_KB=0
sleep 2
[[ -n "$KIROKU_PID" ]] && RSS_END_KB=$(rss_kb "$KIROKU_PID")
for p in "$APACHE_PID" $(pgrep -P "$APACHE_PID" 2>/dev/null); do
    APACHE_RSS_KB=$((APACHE_RSS_KB + $(rss_kb "$p")))
done
if [[ -n "$KIROKU_PID" ]] && ! kill -0 "$KIROKU_PID" 2>/dev/null; then
    FAILED+=("kirokud died during the runs")
fi

# ---------------------------------------------------------------- report
verdict() {  # verdict OK?  -> "meets" / "MISSES"
    if [[ "$1" == 1 ]]; then echo "meets target"; else echo "MISSES target"; fi
}
apache_auth_text="HTTP Basic, htpasswd {SHA} hash, mod_authn_file (checked on every request)"
[[ "$APACHE_AUTH" == none ]] && apache_auth_text="none (BENCH_APACHE_AUTH=none)"

echo
echo "Kiroku WebDAV benchmark: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency (warm-up ${WARMUP}s), $(nproc) CPUs, loopback"
echo "  Load average before the runs: $LOAD_BEFORE (other work on the machine skews the figures)"
echo "  Kiroku: $(if [[ -z "$ONLY" ]]; then echo "kirokud $KIROKU_BIN/kirokud, HTTP Basic (user '$BENCH_USER')"; else echo "not run (BENCH_ONLY=apache)"; fi)"
echo "  Apache: $(apache2 -v | awk -F': ' '/version/ {print $2}') mpm_event + mod_dav_fs, auth: $apache_auth_text"
echo "  Files:  same directory for both; GET $GET_PATH (4096 B); PROPFIND Depth 1 allprop $PROPFIND_PATH ($NFILES files)"
echo
printf '%-9s %-7s %12s %10s %10s %10s\n' test server "requests/s" "p50 ms" "p99 ms" errors
for t in get propfind; do
    for s in "${SERVERS[@]}"; do
        k="$t/$s"
        printf '%-9s %-7s %12s %10s %10s %10s\n' "$t" "$(label_of "$s")" "${RPS[$k]:-?}" "${P50[$k]:-?}" "${P99[$k]:-?}" "${ERRS[$k]:-?}"
    done
done
sizes=()
for s in "${SERVERS[@]}"; do sizes+=("$(label_of "$s") ${PF_BYTES[$s]} bytes (${PF_COUNT[$s]} responses)"); done
joined=$(IFS=';'; echo "${sizes[*]}")
echo "PROPFIND body sizes: ${joined//;/; }"
echo
if [[ -z "$ONLY" ]]; then
    for t in get propfind; do
        if [[ "$t" == get ]]; then target=$TARGET_GET; else target=$TARGET_PROPFIND; fi
        ratio=$(awk -v a="${RPS[$t/kiroku]:-0}" -v b="${RPS[$t/apache]:-0}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')
        ok=$(awk -v r="$ratio" -v g="$target" 'BEGIN {print (r + 0 >= g + 0) ? 1 : 0}')
        printf '%-9s Kiroku/Apache requests/s = %5sx   target >= %.1fx   %s\n' "$t" "$ratio" "$target" "$(verdict "$ok")"
    done
    for phase in start end; do
        if [[ $phase == start ]]; then kb=$RSS_START_KB; what="after start-up"; else kb=$RSS_END_KB; what="idle after runs"; fi
        ok=$(awk -v kb="$kb" -v g="$TARGET_RSS_MB" 'BEGIN {print (kb > 0 && kb / 1024 < g) ? 1 : 0}')
        printf 'kirokud RSS %-16s = %6s MB   target < %d MB     %s\n' "$what" "$(mb "$kb")" "$TARGET_RSS_MB" "$(verdict "$ok")"
    done
fi
printf 'apache2 RSS (parent + children, idle after runs, for context) = %s MB\n' "$(mb "$APACHE_RSS_KB")"

if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo
    for f in "${FAILED[@]}"; do echo "ERROR: $f" >&2; done
    die "${#FAILED[@]} run(s) failed; the figures above for those runs are not valid"
fi
exit 0
