#!/usr/bin/env bash
# kiroku import SRC --to PATH: an old PC's folder tree (Japanese names, some in CP932
# bytes as an unpacked Windows ZIP leaves them, 年度 written five ways, the junk a PC
# and a Mac leave behind, a file already in the drive) comes into a running drive:
# the dry run changes nothing, the import keeps modification times, the index files
# each document under the 年度 its name gives, and a second run imports nothing twice.
source "$(dirname "$0")/lib.sh"
kiroku_start

src="$KIROKU_TMP/usb"
sjis() { printf '%s' "$1" | iconv -f UTF-8 -t CP932; }
mkdir -p "$src/令和5年度/議事録" "$src/R4" "$src/$(sjis 平成30年度)" "$src/H29_会計" "$src/2023年度" \
    "$src/System Volume Information" "$src/古い書類"
printf '令和5年度 総会の議事録。防犯灯の交換を決めた。' >"$src/令和5年度/議事録/総会.txt"
printf '会計報告 R4 の収支。' >"$src/R4/会計報告.txt"
printf '平成30年度の引継ぎ。金庫の鍵は会長宅。' >"$src/$(sjis 平成30年度)/$(sjis 引継ぎ書).txt"
printf '平成29年度の予算書。' >"$src/H29_会計/予算.txt"
printf '2023年度の回覧板の控え。' >"$src/2023年度/回覧.txt"
printf '日付のない古い名簿。' >"$src/古い書類/名簿.txt"
printf '様式第1号 行事申請書。' >"$src/古い書類/様式.txt"
printf 'x' >"$src/Thumbs.db"; printf 'x' >"$src/desktop.ini"; printf 'x' >"$src/.DS_Store"
printf 'x' >"$src/R4/._会計報告.txt"; printf 'x' >"$src/令和5年度/議事録/~\$総会.docx"
printf 'x' >"$src/System Volume Information/IndexerVolumeGuid"
ln -s /etc/passwd "$src/link-to-passwd"
touch -d '2019-02-10 09:30:00' "$src/$(sjis 平成30年度)/$(sjis 引継ぎ書).txt"
touch -d '2015-06-01 12:00:00' "$src/古い書類/名簿.txt"

# A document already in the drive whose content the stick holds again under another name.
status MKCOL /dav/様式集 >/dev/null
status PUT /dav/様式集/行事申請書.txt --data-binary '様式第1号 行事申請書。' >/dev/null

dest=/桜台自治会/取り込み
set +e
out=$(kiroku_cli import "$src" --to "$dest" --dry-run 2>&1); code=$?
set -e
expect_eq "the parent of --to must exist" 1 "$code"
[[ "$out" == *"does not exist"* ]] || fail "no reason for the missing parent: $out"
status MKCOL /dav/桜台自治会 >/dev/null

out=$(kiroku_cli import "$src" --to "$dest" --dry-run)
echo "$out" | grep -q "a dry run: nothing was changed" || fail "no dry-run notice: $out"
expect_eq "a dry run makes nothing" 404 "$(status PROPFIND /dav/桜台自治会/取り込み -H 'Depth: 0')"
echo "$out" | grep -q "to add: 7, to update: 0, new folders: 7" || fail "dry-run summary: $out"
echo "$out" | grep -q "computer's own files 6, unreadable names 0, names taken 0, not plain files 1" ||
    fail "junk not counted: $out"
echo "$out" | grep -q -- "-> $dest/平成30年度/引継ぎ書.txt  FY2018 (from the name)" ||
    fail "the CP932 names are not read: $out"
echo "$out" | grep -q "the same content is already at /様式集/行事申請書.txt" ||
    fail "the duplicate is not reported: $out"
echo "$out" | grep -q -- "-> $dest/古い書類/名簿.txt  FY2015 (from the date changed)" ||
    fail "a name without a year does not fall back to its date: $out"
for y in "FY2023: 2 / 0" "FY2022: 1 / 0" "FY2018: 1 / 0" "FY2017: 1 / 0"; do
    echo "$out" | grep -q "$y" || fail "no '$y' in the years: $out"
done
echo "ok - the dry run reports names, years, junk and the duplicate, and changes nothing"

kiroku_cli import "$src" --to "$dest" >"$KIROKU_TMP/run1.txt"
grep -q "added 7, updated 0, made 8 folders" "$KIROKU_TMP/run1.txt" || fail "import: $(cat "$KIROKU_TMP/run1.txt")"
expect_eq "a CP932-named file is in under its Japanese name" '平成30年度の引継ぎ。金庫の鍵は会長宅。' \
    "$(dav GET "/dav/桜台自治会/取り込み/平成30年度/引継ぎ書.txt")"
lm=$(curl -sS -I -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/dav/桜台自治会/取り込み/平成30年度/引継ぎ書.txt" |
    tr -d '\r' | sed -n 's/^Last-Modified: //Ip')
expect_eq "its modification time is kept" "$(TZ=UTC date -d '2019-02-10 09:30:00' '+%a, %d %b %Y %H:%M:%S GMT')" "$lm"
for junk in Thumbs.db desktop.ini .DS_Store "R4/._会計報告.txt" "令和5年度/議事録/~\$総会.docx" \
    "System Volume Information" link-to-passwd; do
    [[ ! -e "$KIROKU_DATA/files/桜台自治会/取り込み/$junk" ]] || fail "$junk was imported"
done
echo "ok - the junk stays out"

year_of() { # year_of QUERY -> "path year" of the first hit
    curl -sS -G -u "$KIROKU_USER:$KIROKU_PASS" --data-urlencode "q=$1" "$KIROKU_URL/api/search" |
        python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(h[0]["path"], h[0]["year"]) if h else print("")'
}
until_year() { # until_year QUERY EXPECTED: waits up to 20 s for the index
    for _ in $(seq 100); do [[ "$(year_of "$1")" == "$2" ]] && return 0; sleep 0.2; done
    fail "search '$1': expected '$2', got '$(year_of "$1")'"
}
until_year 防犯灯 "$dest/令和5年度/議事録/総会.txt 2023"
until_year 収支 "$dest/R4/会計報告.txt 2022"
until_year 金庫 "$dest/平成30年度/引継ぎ書.txt 2018"
until_year 予算書 "$dest/H29_会計/予算.txt 2017"
until_year 回覧板 "$dest/2023年度/回覧.txt 2023"
until_year 名簿 "$dest/古い書類/名簿.txt 2015"
echo "ok - the index files each document under the year of its name (or its date)"

out=$(kiroku_cli import "$src" --to "$dest")
echo "$out" | grep -q "nothing to import" || fail "the second run imports again: $out"
echo "$out" | grep -q "left out: already in 7" || fail "the second run does not see what is in: $out"
expect_eq "the second run made no version" "" "$(kiroku_cli versions list "$dest/R4/会計報告.txt")"
echo "ok - a second run imports nothing twice"

# The stick's copy changed since: it comes in as the new content, the old one a version.
printf '会計報告 R4 の収支 (訂正版)。' >"$src/R4/会計報告.txt"
touch -d '+1 hour' "$src/R4/会計報告.txt"
out=$(kiroku_cli import "$src" --to "$dest" --skip-duplicates)
echo "$out" | grep -q "added 0, updated 1, made 0 folders" || fail "the changed file: $out"
expect_eq "the changed file is current" '会計報告 R4 の収支 (訂正版)。' "$(dav GET "/dav/桜台自治会/取り込み/R4/会計報告.txt")"
[[ "$(kiroku_cli versions list "$dest/R4/会計報告.txt" | wc -l)" == 1 ]] || fail "no version of the old content"
echo "ok - a changed file updates, its old content kept as a version"

# Clear errors that change nothing.
set +e
err=$(kiroku_cli import "$KIROKU_TMP/nope" --to "$dest" 2>&1); code=$?
expect_eq "a missing source fails" 1 "$code"
[[ "$err" == *"not a folder that can be read"* ]] || fail "no reason: $err"
err=$(kiroku_cli import "$src" 2>&1); code=$?
expect_eq "missing --to is a usage error" 2 "$code"
err=$(kiroku_cli import "$src" --to "$dest/R4/会計報告.txt" 2>&1); code=$?
expect_eq "--to a file fails" 1 "$code"
set -e
kiroku_cli audit --path "$dest" --limit 100 | grep -c "kiroku-cli" | grep -qx 16 ||
    fail "the audit log does not hold every import step: $(kiroku_cli audit --path "$dest" --limit 100)"
echo "ok - every step is in the audit log"
