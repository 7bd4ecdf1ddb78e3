#!/usr/bin/env bash
# The search index follows every change: overwrite, move, delete, files copied onto the
# disk by hand (scan), changes made while kirokud was stopped (the queue resumes),
# reindex while people search, and hostile files that must not stop anything.
source "$(dirname "$0")/lib.sh"
kiroku_start

hits() { # hits QUERY -> sorted paths, one line
    curl -sS -G -u "$KIROKU_USER:$KIROKU_PASS" --data-urlencode "q=$1" "$KIROKU_URL/api/search" |
        python3 -c 'import json,sys; print(" ".join(sorted(h["path"] for h in json.load(sys.stdin)["hits"])))'
}
until_hits() { # until_hits QUERY EXPECTED: waits up to 10 s for the index to catch up
    for _ in $(seq 50); do [[ "$(hits "$1")" == "$2" ]] && return 0; sleep 0.2; done
    fail "search '$1': expected '$2', got '$(hits "$1")'"
}

status MKCOL /dav/minutes >/dev/null
printf '防犯灯のLED化を審議した。' >"$KIROKU_TMP/a.txt"
status PUT /dav/minutes/soukai.txt -T "$KIROKU_TMP/a.txt" >/dev/null
until_hits "防犯灯" "/minutes/soukai.txt"
echo "ok - an upload is searchable within seconds"

printf 'カーブミラーの設置を要望した。' >"$KIROKU_TMP/b.txt"
status PUT /dav/minutes/soukai.txt -T "$KIROKU_TMP/b.txt" >/dev/null
until_hits "カーブミラー" "/minutes/soukai.txt"
until_hits "防犯灯" ""
echo "ok - an overwrite replaces the old text"

status MOVE /dav/minutes -H "Destination: $KIROKU_URL/dav/archive" >/dev/null
until_hits "カーブミラー" "/archive/soukai.txt"
echo "ok - a moved folder is found at its new place only"

status DELETE /dav/archive >/dev/null
until_hits "カーブミラー" ""
echo "ok - a deleted folder leaves the index"

# A file copied into files/ by hand is found by a scan.
mkdir -p "$KIROKU_DATA/files/by-hand"
printf '集会所の雨漏りについて' >"$KIROKU_DATA/files/by-hand/memo.txt"
kiroku_cli index scan | grep -q "updated 1" || fail "the scan did not index the file copied by hand"
until_hits "雨漏り" "/by-hand/memo.txt"
echo "ok - kiroku index scan indexes files copied onto the disk"

# A change made while kirokud is stopped is applied when it starts (the queue resumes).
kiroku_stop
id=$(kiroku_cli trash list | awk '/archive/ {print $1; exit}')
kiroku_cli trash restore "$id" >/dev/null
kiroku_launch
until_hits "カーブミラー" "/archive/soukai.txt"
echo "ok - a restore made while the server was stopped is indexed when it starts"

# reindex while someone searches: every search answers, the results stay right.
( for _ in $(seq 40); do hits "カーブミラー" >>"$KIROKU_TMP/during.txt"; done ) &
searcher=$!
kiroku_cli reindex | grep -q "rebuilt the search index" || fail "reindex failed"
wait "$searcher"
[[ $(grep -cv '^/archive/soukai.txt$' "$KIROKU_TMP/during.txt" || true) -eq 0 ]] ||
    fail "a search during reindex answered wrongly: $(sort "$KIROKU_TMP/during.txt" | uniq -c)"
until_hits "カーブミラー" "/archive/soukai.txt"
echo "ok - searches keep answering rightly while reindex swaps in a new index"

# A reindex of a drive where most documents share words: its sample finds the bigrams
# they share and leaves them out of the index; every search still finds exactly the
# documents that have them, and a name that has them ranks first.
mkdir -p "$KIROKU_DATA/files/回覧"
for i in $(seq 1 90); do
    if ((i % 3)); then text="第${i}回の定例会議の記録"; else text="清掃当番の予定 ${i}"; fi
    printf '%s' "$text" >"$KIROKU_DATA/files/回覧/記録$i.txt"
done
printf '出席者の一覧' >"$KIROKU_DATA/files/回覧/定例会議.txt"
# Longer than the sample keeps (64 KB): extracted again when its turn comes.
{ for _ in $(seq 3000); do printf '町内の清掃と防災訓練の記録。'; done; printf '最後の行に消火器点検'; } \
    >"$KIROKU_DATA/files/回覧/長い記録.txt"
kiroku_cli reindex | grep -q "rebuilt the search index" || fail "reindex failed"
search() { # search QUERY -> "total first-path"
    curl -sS -G -u "$KIROKU_USER:$KIROKU_PASS" --data-urlencode "q=$1" "$KIROKU_URL/api/search" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["hits"][0]["path"] if d["hits"] else "-")'
}
[[ "$(search 定例会議)" == "61 /回覧/定例会議.txt" ]] || fail "定例会議: $(search 定例会議)"
[[ "$(search 会議)" == "61 /回覧/定例会議.txt" ]] || fail "会議: $(search 会議)"
[[ "$(search "会 -会議")" == "1 /by-hand/memo.txt" ]] || fail "会 -会議: $(search "会 -会議")"
[[ "$(search "当番 -会議")" == 30* ]] || fail "当番 -会議: $(search "当番 -会議")"
[[ "$(search "会議 清掃")" == "0 -" ]] || fail "会議 清掃: $(search "会議 清掃")"
[[ "$(search 消火器点検)" == "1 /回覧/長い記録.txt" ]] || fail "消火器点検: $(search 消火器点検)"
kiroku_cli index status | grep -q "^indexed 94," || fail "not every file indexed: $(kiroku_cli index status)"
echo "ok - after a reindex that leaves out shared bigrams, searches find exactly the same"

# Hostile files: junk, a zip bomb, a damaged PDF. Recorded, never blocking the queue.
head -c 200000 /dev/urandom >"$KIROKU_TMP/junk.bin"
status PUT /dav/junk.bin -T "$KIROKU_TMP/junk.bin" >/dev/null
CORPUS="$(cd "$(dirname "$0")/.." && pwd)/corpus/テスト用"
status PUT "/dav/%E5%A4%A7%E9%87%8F%E6%96%87%E5%AD%97.docx" -T "$CORPUS/大量文字.docx" >/dev/null
status PUT "/dav/%E7%A0%B4%E6%90%8D.pdf" -T "$CORPUS/破損した議事録.pdf" >/dev/null
printf '後から来た文書' >"$KIROKU_TMP/c.txt"
status PUT /dav/after.txt -T "$KIROKU_TMP/c.txt" >/dev/null
until_hits "後から来た" "/after.txt"
until_hits "破損" "/破損.pdf"
kiroku_cli index status | grep -q "failed: /破損.pdf" || fail "the damaged PDF is not listed as failed"
kill -0 "$KIROKU_PID" || fail "kirokud died"
echo "ok - hostile files are recorded and found by name; the queue goes on; kirokud is alive"
echo "all passed"
