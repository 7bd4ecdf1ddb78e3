#!/usr/bin/env bash
# kiroku backup while kirokud runs and someone keeps saving a file; kiroku restore into
# a fresh folder; a kirokud on the restored data answers every question exactly as the
# original did. A damaged backup is refused and leaves the target untouched.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null

ADMIN=admin:kiroku-admin-1
YAMADA=yamada:sakura-kucho-1
ITO=ito:sakura-kaiin-1
enc() { # enc PATH: percent-encoded, '/' kept
    local LC_ALL=C s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in [a-zA-Z0-9/._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac
    done
    printf '%s' "$out"
}
as() { # as USER:PASS METHOD PATH [curl options...]: prints the body
    local who=$1 method=$2 path=$3; shift 3
    curl -sS -u "$who" -X "$method" "$@" "$KIROKU_URL$path"
}
code() { # code USER:PASS METHOD PATH [curl options...]: prints the HTTP status
    local who=$1 method=$2 path=$3; shift 3
    curl -sS -o /dev/null -w '%{http_code}' -u "$who" -X "$method" "$@" "$KIROKU_URL$path"
}
index_settled() { # index_settled N: waits up to 60 s until N documents are indexed and nothing is pending
    local s
    for _ in $(seq 300); do
        s=$(as "$ADMIN" GET /api/index/status)
        [[ "$s" == *'"indexed":'"$1"','*'"pending":0'* ]] && return 0
        sleep 0.2
    done
    fail "the index did not settle at $1 documents: $s"
}

# ---- make history: versions, trash, a dead property, rights, roles --------------------
MINUTES=桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt
printf '桜ヶ丘自治区 令和7年度 定期総会 議事録（修正版）\n防犯灯のLED化は残り4基。\n' >"$KIROKU_TMP/v2.txt"
printf '桜ヶ丘自治区 令和7年度 定期総会 議事録（最終版）\n防犯灯のLED化は残り2基。集会所の雨漏りは修繕済み。\n' >"$KIROKU_TMP/v3.txt"
expect_eq "yamada overwrites the minutes" 204 "$(code "$YAMADA" PUT "/dav/$(enc "$MINUTES")" -T "$KIROKU_TMP/v2.txt")"
sleep 0.01
expect_eq "and again" 204 "$(code "$YAMADA" PUT "/dav/$(enc "$MINUTES")" -T "$KIROKU_TMP/v3.txt")"
head -c 300000 /dev/urandom >"$KIROKU_TMP/photo.bin"
expect_eq "a binary file" 201 "$(code "$YAMADA" PUT "/dav/$(enc 桜ヶ丘自治区/その他/集会所 写真.bin)" -T "$KIROKU_TMP/photo.bin")"
expect_eq "an empty folder" 201 "$(code "$YAMADA" MKCOL "/dav/$(enc 桜ヶ丘自治区/その他/空のフォルダ)")"
printf '回覧 不要になった案内\n' >"$KIROKU_TMP/old.txt"
expect_eq "a file to delete" 201 "$(code "$YAMADA" PUT "/dav/$(enc 桜ヶ丘自治区/回覧/古い案内.txt)" -T "$KIROKU_TMP/old.txt")"
expect_eq "delete it (trash)" 204 "$(code "$YAMADA" DELETE "/dav/$(enc 桜ヶ丘自治区/回覧/古い案内.txt)")"
expect_eq "a dead property" 207 "$(code "$YAMADA" PROPPATCH "/dav/$(enc "$MINUTES")" -H 'Content-Type: application/xml' \
    --data '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:K="urn:kiroku-test"><D:set><D:prop><K:承認>総会で承認済み</K:承認></D:prop></D:set></D:propertyupdate>')"
kiroku_cli acl grant 東山地区/共有 person:ito read >/dev/null
kiroku_cli role assign ito 班長 桜ヶ丘自治区 --from 2020-04-01 --to 2021-03-31 >/dev/null
sleep 1.1  # kirokud sees changes made by the CLI within a second
status MKCOL /dav/bg-area >/dev/null
status MKCOL /dav/bg-area/bg >/dev/null
DOCS=$(find "$KIROKU_DATA/files" -type f | wc -l)
index_settled "$DOCS"
echo "ok - history made: versions, trash, a dead property, rights, roles; the index has settled"

# ---- record every answer that matters ----------------------------------------------------
record() { # record DIR: every answer into DIR
    local dir=$1 who name q p
    mkdir -p "$dir"
    for who in "$ADMIN" "$YAMADA" "$ITO"; do
        name=${who%%:*}
        as "$who" GET /api/me >"$dir/me-$name.json"
        as "$who" GET /api/orgs >"$dir/orgs-$name.json"
        as "$who" GET /api/roles >"$dir/roles-$name.json"
    done
    for p in 桜ヶ丘自治区 桜ヶ丘自治区/名簿 東山地区/共有; do
        as "$ADMIN" GET "/api/acl?path=$(enc "$p")" >"$dir/acl-${p//\//_}.json"
    done
    # Folders as WebDAV clients see them. Locks live in memory and end with kirokud; their
    # timeouts and tokens are the only fields stripped (none are held here).
    for p in "" 桜ヶ丘自治区/ 桜ヶ丘自治区/議事録/ 桜ヶ丘自治区/その他/ 桜ヶ丘自治区/回覧/ 東山地区/共有/; do
        as "$ADMIN" PROPFIND "/dav/$(enc "$p")" -H 'Depth: 1' |
            sed -e 's|<D:timeout>[^<]*</D:timeout>||g' -e 's|<D:locktoken>.*</D:locktoken>||g' \
                >"$dir/propfind-${p//\//_}.xml"
    done
    as "$ADMIN" PROPFIND "/dav/$(enc "$MINUTES")" -H 'Depth: 0' \
        --data '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>' >"$dir/propfind-minutes.xml"
    # Every document's bytes, through the server.
    (cd "$KIROKU_DATA/files" && find . -type f ! -path './bg-area/*' | sort) | while read -r f; do
        f=${f#./}
        printf '%s %s\n' "$(as "$ADMIN" GET "/dav/$(enc "$f")" | sha256sum | cut -d' ' -f1)" "$f"
    done >"$dir/bytes.txt"
    kiroku_cli trash list >"$dir/trash.txt"
    kiroku_cli versions list "$MINUTES" >"$dir/versions.txt"
}
record_search() { # record_search DIR: search answers (admin sees all, ito only what he may read)
    local dir=$1 who q i=0
    mkdir -p "$dir"
    for q in 防犯灯 議事録 区長 夏祭り 令和7年度 2025年 雨漏り "防犯灯 -修正版" 集会所 回覧; do
        i=$((i + 1))
        for who in "$ADMIN" "$ITO"; do
            curl -sS -G -u "$who" --data-urlencode "q=$q" "$KIROKU_URL/api/search" >"$dir/search-$i-${who%%:*}.json"
        done
    done
    curl -sS -G -u "$ADMIN" --data-urlencode "q=議事録" --data-urlencode "category=議事録" --data-urlencode "sort=date" \
        "$KIROKU_URL/api/search" >"$dir/search-category.json"
}
record "$KIROKU_TMP/before"
record_search "$KIROKU_TMP/before"
as "$ADMIN" GET "/api/audit?limit=10000" >"$KIROKU_TMP/before/audit.json"
grep -q '防犯灯' "$KIROKU_TMP/before/search-1-admin.json" || fail "the search before the backup finds nothing"
grep -q '承認済み' "$KIROKU_TMP/before/propfind-minutes.xml" || fail "the dead property is not there"
[[ $(wc -l <"$KIROKU_TMP/before/versions.txt") -eq 2 ]] || fail "expected 2 versions: $(cat "$KIROKU_TMP/before/versions.txt")"
grep -q '古い案内' "$KIROKU_TMP/before/trash.txt" || fail "the deleted file is not in the trash"
echo "ok - recorded $(ls "$KIROKU_TMP/before" | wc -l) answers"

# ---- back up while kirokud runs and a file keeps being saved ------------------------------
writer() {
    local n=0 c
    while [[ ! -e "$KIROKU_TMP/stop-writer" ]]; do
        n=$((n + 1))
        printf 'counter %d\n' "$n" >"$KIROKU_TMP/counter.txt"
        c=$(code "$KIROKU_USER:$KIROKU_PASS" PUT /dav/bg-area/bg/counter.txt -T "$KIROKU_TMP/counter.txt")
        echo "$n $c" >>"$KIROKU_TMP/writer.log"
    done
}
writer &
WRITER=$!
until [[ -s "$KIROKU_TMP/writer.log" && $(wc -l <"$KIROKU_TMP/writer.log") -ge 5 ]]; do sleep 0.05; done
BACKUP="$KIROKU_TMP/backup"
before=$(wc -l <"$KIROKU_TMP/writer.log")
start_ns=$(date +%s%N)
out=$("$KIROKU_BIN/kiroku" --data "$KIROKU_DATA" backup "$BACKUP")
took_ms=$((($(date +%s%N) - start_ns) / 1000000))
after=$(wc -l <"$KIROKU_TMP/writer.log")
sleep 0.3
touch "$KIROKU_TMP/stop-writer"
wait "$WRITER"
echo "$out"
[[ "$out" == *"backup written and verified"* ]] || fail "no summary: $out"
[[ "$out" != *$'\r'* ]] || fail "progress lines when not on a terminal"
((after > before)) || fail "the writer did not save anything while the backup ran"
if grep -v ' 20[14]$' "$KIROKU_TMP/writer.log"; then fail "a save failed while the backup ran"; fi
[[ -f "$BACKUP/MANIFEST" && -f "$BACKUP/meta.db" && ! -e "$BACKUP/index" && ! -e "$BACKUP/tmp" ]] || fail "backup layout: $(ls -a "$BACKUP")"
expect_eq "the private key keeps its mode" 600 "$(stat -c %a "$BACKUP/tls/server.key")"
# tmp/ holds the running kirokud's own folder (p-…) and nothing the backup staged.
[[ -z "$(ls -A "$KIROKU_DATA/tmp" | grep -v '^p-')" ]] || fail "the backup left something in tmp/: $(ls -A "$KIROKU_DATA/tmp")"
echo "ok - backup of $(du -sh "$BACKUP" | cut -f1) in ${took_ms} ms while $((after - before)) saves went on; none failed"
set +e
err=$("$KIROKU_BIN/kiroku" --data "$KIROKU_DATA" backup "$BACKUP" 2>&1); c=$?
set -e
expect_eq "a backup into a folder that is not empty is refused" 1 "$c"
[[ "$err" == *"空ではありません"*"not empty"* ]] || fail "no clear reason: $err"
set +e
err=$("$KIROKU_BIN/kiroku" --data "$KIROKU_DATA" backup "$KIROKU_DATA/files/backup" 2>&1); c=$?
set -e
expect_eq "a backup inside the data folder is refused" 1 "$c"
[[ ! -e "$KIROKU_DATA/files/backup" ]] || fail "the refused backup left a folder behind"

# ---- restore into a fresh folder, start kirokud on it ---------------------------------------
set +e
err=$("$KIROKU_BIN/kiroku" --data "$KIROKU_DATA" restore "$BACKUP" 2>&1); c=$?
set -e
expect_eq "restoring into a data folder that is not empty needs --force" 1 "$c"
[[ "$err" == *"--force"* ]] || fail "the refusal does not say what to do: $err"
set +e
err=$("$KIROKU_BIN/kiroku" --data "$KIROKU_DATA" restore "$BACKUP" --force 2>&1); c=$?
set -e
expect_eq "restoring over the data of a running kirokud is refused" 1 "$c"
[[ "$err" == *"kirokud"*"stop it first"* ]] || fail "the refusal does not say what to do: $err"
[[ -e "$KIROKU_DATA/index" && -e "$KIROKU_DATA/files/bg-area/bg/counter.txt" ]] || fail "the refused restore changed the data"
kiroku_stop
ORIGINAL=$KIROKU_DATA
KIROKU_DATA="$KIROKU_TMP/restored"
out=$(kiroku_cli restore "$BACKUP")
[[ "$out" == *"restored"*"kirokud"* ]] || fail "restore does not say what to do next: $out"
[[ ! -e "$KIROKU_DATA/index" ]] || fail "restore brought an index"
expect_eq "the restored key keeps its mode" 600 "$(stat -c %a "$KIROKU_DATA/tls/server.key")"
kiroku_launch
index_settled "$(find "$KIROKU_DATA/files" -type f | wc -l)"
echo "ok - restored; kirokud indexed every file at start"

# The file saved during the backup: its content, its versions and the audit log agree, so
# meta.db and the files are from the same moment.
k=$(as "$ADMIN" GET /dav/bg-area/bg/counter.txt | awk '{print $2}')
[[ "$k" =~ ^[0-9]+$ ]] || fail "the file saved during the backup is missing or torn: '$k'"
as "$ADMIN" GET "/api/audit?limit=10000" >"$KIROKU_TMP/audit-after.json"
saves=$(python3 -c 'import json,sys; print(sum(1 for e in json.load(open(sys.argv[1])) if e["path"] == "/bg-area/bg/counter.txt" and e["result"] == "ok" and e["action"] in ("create", "update")))' "$KIROKU_TMP/audit-after.json")
expect_eq "the audit log holds exactly the saves of the restored content" "$k" "$saves"
# Old versions beyond store.keepVersions (20) are pruned in a transaction of their own
# just after a save, so a backup between the two may hold one more.
versions=$(kiroku_cli versions list bg-area/bg/counter.txt | wc -l)
[[ $versions -eq $((k - 1 < 20 ? k - 1 : 20)) || ($k -gt 21 && $versions -eq 21) ]] ||
    fail "save $k with $versions versions"
expect_eq "a file in versions/ for every version in meta.db" "$((versions + 2))" "$(ls "$KIROKU_DATA/versions" | wc -l)"
echo "ok - the file saved during the backup is whole (save $k of $(wc -l <"$KIROKU_TMP/writer.log")), and meta.db agrees"

record "$KIROKU_TMP/after"
# Entries written before the recording ended must be the same; those after it (the saves
# during the backup, and reads of the 名簿 while recording again) are newer.
python3 - "$KIROKU_TMP/before/audit.json" "$KIROKU_TMP/audit-after.json" <<'EOF' || fail "the audit log differs"
import json, sys
before = json.load(open(sys.argv[1]))
last = max(e["id"] for e in before)
after = [e for e in json.load(open(sys.argv[2])) if e["id"] <= last]
if before != after:
    print("audit before:", before[:3], "\naudit after:", after[:3], file=sys.stderr)
    sys.exit(1)
EOF
for f in "$KIROKU_TMP/before"/*; do
    name=$(basename "$f")
    [[ "$name" == audit.json || "$name" == search-* ]] && continue
    diff -u "$f" "$KIROKU_TMP/after/$name" >&2 || fail "$name differs after the restore"
done
echo "ok - $(ls "$KIROKU_TMP/after" | wc -l) answers identical: me, orgs, roles, acl, PROPFIND, every file's bytes, trash, versions; audit up to the backup"

# Search: the restored index holds one more document than when the answers were recorded
# (the file saved during the backup, which no query finds), so BM25's collection
# statistics and with them the scores differ: compare everything but the scores (hits,
# order, totals, snippets). Then remove that file, and the index holds exactly the
# recorded documents again: the answers, scores included, must be identical.
# (kirokud indexed every file in its start-up scan.)
record_search "$KIROKU_TMP/search-with-one-more"
python3 - "$KIROKU_TMP/before" "$KIROKU_TMP/search-with-one-more" <<'EOF' || fail "search hits or order differ after the restore"
import json, os, sys
def unscored(path):
    d = json.load(open(path))
    for h in d["hits"]:
        h.pop("score")
    return d
for name in sorted(os.listdir(sys.argv[2])):
    a, b = unscored(os.path.join(sys.argv[1], name)), unscored(os.path.join(sys.argv[2], name))
    if a != b:
        print(name, a, b, sep="\n", file=sys.stderr)
        sys.exit(1)
EOF
echo "ok - search hits, order and snippets identical with the file saved during the backup indexed too"
expect_eq "remove the file saved during the backup" 204 "$(code "$ADMIN" DELETE /dav/bg-area/bg/counter.txt)"
index_settled "$DOCS"
compare_search() { # compare_search WHEN
    record_search "$KIROKU_TMP/search-$1"
    for f in "$KIROKU_TMP/before"/search-*; do
        diff -u "$f" "$KIROKU_TMP/search-$1/$(basename "$f")" >&2 || fail "$(basename "$f") differs $1"
    done
}
compare_search "after-the-start-scan"
kiroku_cli reindex >/dev/null
index_settled "$DOCS"
compare_search "after-kiroku-reindex"
echo "ok - $(ls "$KIROKU_TMP/search-after-the-start-scan" | wc -l) search answers identical after the start-up scan and after kiroku reindex"

# ---- restore --force over the original data (kirokud stopped): it is the backup again -------
kiroku_stop
"$KIROKU_BIN/kiroku" --data "$ORIGINAL" restore "$BACKUP" --force >/dev/null
expect_eq "restore --force brings back the saved file as it was in the backup" "counter $k" "$(cat "$ORIGINAL/files/bg-area/bg/counter.txt")"
[[ ! -e "$ORIGINAL/index" ]] || fail "restore --force kept the old index"
diff -r "$BACKUP/files" "$ORIGINAL/files" >&2 || fail "restore --force: files/ differs from the backup"
diff -r "$BACKUP/versions" "$ORIGINAL/versions" >&2 || fail "restore --force: versions/ differs from the backup"
echo "ok - restore --force replaces a stopped data folder's contents entirely"

# ---- a damaged backup is refused; the target stays empty ------------------------------------
DAMAGED="$KIROKU_TMP/damaged"
cp -a "$BACKUP" "$DAMAGED"
victim=files/$MINUTES
python3 - "$DAMAGED/$victim" <<'EOF'
import sys
with open(sys.argv[1], "r+b") as f:
    b = f.read(1)
    f.seek(0)
    f.write(bytes([b[0] ^ 0x01]))
EOF
set +e
err=$("$KIROKU_BIN/kiroku" --data "$KIROKU_TMP/from-damaged" restore "$DAMAGED" 2>&1); c=$?
set -e
expect_eq "restoring a damaged backup fails" 1 "$c"
[[ "$err" == *"壊れています"*"$victim"*"damaged"* ]] || fail "no clear message: $err"
[[ ! -e "$KIROKU_TMP/from-damaged" ]] || fail "the target of a refused restore was created: $(ls -A "$KIROKU_TMP/from-damaged")"
mkdir "$KIROKU_TMP/empty-target"
set +e
"$KIROKU_BIN/kiroku" --data "$KIROKU_TMP/empty-target" restore "$DAMAGED" >/dev/null 2>&1; c=$?
set -e
expect_eq "also into an existing empty folder" 1 "$c"
[[ -z "$(ls -A "$KIROKU_TMP/empty-target")" ]] || fail "the empty target was changed: $(ls -A "$KIROKU_TMP/empty-target")"
echo "ok - a flipped byte in $victim is found; nothing is restored"
echo "all passed"
