#!/usr/bin/env bash
# kill -9 of kirokud in the middle of PUTs leaves the old file or the new one, never a
# torn one; the metadata stays consistent and leftovers are cleaned on restart.
source "$(dirname "$0")/lib.sh"
kiroku_start

md5() { md5sum "$1" | cut -d' ' -f1; }
printf '元の内容 (version 1)\n' >"$KIROKU_TMP/v1.txt"
head -c 6000000 /dev/urandom >"$KIROKU_TMP/big.bin"
expect_eq "setup: original file" 201 "$(status PUT /dav/minutes.txt -T "$KIROKU_TMP/v1.txt")"

# 1. A slow upload over an existing file, killed half-way.
curl -sS -o /dev/null -u "$KIROKU_USER:$KIROKU_PASS" --limit-rate 500k -T "$KIROKU_TMP/big.bin" "$KIROKU_URL/dav/minutes.txt" 2>/dev/null &
client=$!
for _ in $(seq 100); do
    partial=$(find "$KIROKU_DATA/tmp" -type f -size +100k | head -1)
    [[ -n "$partial" ]] && break
    sleep 0.1
done
[[ -n "$partial" ]] || fail "upload never started"
kill -9 "$KIROKU_PID"; wait "$KIROKU_PID" 2>/dev/null || true; KIROKU_PID=""
wait "$client" 2>/dev/null || true
echo "ok - killed kirokud with $(stat -c %s "$partial") bytes of the upload received"
expect_eq "the file still has its old content" "$(md5 "$KIROKU_TMP/v1.txt")" "$(md5 "$KIROKU_DATA/files/minutes.txt")"

# 2. A new file killed half-way does not appear at all.
kiroku_launch
curl -sS -o /dev/null -u "$KIROKU_USER:$KIROKU_PASS" --limit-rate 500k -T "$KIROKU_TMP/big.bin" "$KIROKU_URL/dav/new.bin" 2>/dev/null &
client=$!
for _ in $(seq 100); do [[ -n "$(find "$KIROKU_DATA/tmp" -type f -size +100k)" ]] && break; sleep 0.1; done
kill -9 "$KIROKU_PID"; wait "$KIROKU_PID" 2>/dev/null || true; KIROKU_PID=""
wait "$client" 2>/dev/null || true
[[ ! -e "$KIROKU_DATA/files/new.bin" ]] || fail "a torn new file appeared"
echo "ok - an interrupted new upload leaves no file"
kiroku_launch
[[ -z "$(find "$KIROKU_DATA/tmp" -type f -name 'upload-*')" ]] || fail "restart did not clean the interrupted uploads"
echo "ok - restart removes interrupted uploads from tmp/"
expect_eq "GET after restart gives the old content" "$(cat "$KIROKU_TMP/v1.txt")" "$(dav GET /dav/minutes.txt)"

# 3. Kills at random moments during full-speed overwrites: every outcome is a whole version.
declare -A known
for i in 1 2 3 4; do
    head -c $((1000000 + i * 1000)) /dev/urandom >"$KIROKU_TMP/c$i.bin"
    known[$(md5 "$KIROKU_TMP/c$i.bin")]=$i
done
known[$(md5 "$KIROKU_TMP/v1.txt")]=0
for round in $(seq 8); do
    ( for i in 1 2 3 4; do curl -sS -o /dev/null -u "$KIROKU_USER:$KIROKU_PASS" -T "$KIROKU_TMP/c$i.bin" "$KIROKU_URL/dav/minutes.txt" 2>/dev/null; done ) &
    client=$!
    sleep "0.0$((RANDOM % 9 + 1))"
    kill -9 "$KIROKU_PID"; wait "$KIROKU_PID" 2>/dev/null || true; KIROKU_PID=""
    wait "$client" 2>/dev/null || true
    sum=$(md5 "$KIROKU_DATA/files/minutes.txt")
    [[ -n "${known[$sum]:-}" ]] || fail "round $round: torn file (md5 $sum, $(stat -c %s "$KIROKU_DATA/files/minutes.txt") bytes)"
    for v in "$KIROKU_DATA"/versions/*; do
        [[ -e "$v" ]] || continue
        [[ -n "${known[$(md5 "$v")]:-}" ]] || fail "round $round: torn version $v"
    done
    integrity=$(python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0])" "$KIROKU_DATA/meta.db")
    [[ "$integrity" == ok ]] || fail "round $round: meta.db integrity: $integrity"
    kiroku_launch
done
echo "ok - 8 random kills during overwrites: the file and every version are always whole, meta.db intact"
expect_eq "the server still serves the file" 200 "$(status GET /dav/minutes.txt)"
echo "all passed"
