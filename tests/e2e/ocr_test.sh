#!/usr/bin/env bash
# OCR end to end: a scanned request form (an image-only PDF) and a photographed notice
# uploaded over WebDAV to a running kirokud are found by their names at once and by words
# that appear only in their images within a minute; a text file uploaded while OCR works
# is searchable as quickly as ever; the preview says what OCR read; the status shows it.
source "$(dirname "$0")/lib.sh"
corpus="$(cd "$(dirname "$0")/../corpus" && pwd)"
kiroku_start

hits() { # hits QUERY -> sorted paths, one line
    curl -sS -G -u "$KIROKU_USER:$KIROKU_PASS" --data-urlencode "q=$1" "$KIROKU_URL/api/search" |
        python3 -c 'import json,sys; print(" ".join(sorted(h["path"] for h in json.load(sys.stdin)["hits"])))'
}
# until_hits QUERY EXPECTED SECONDS: waits for the index; prints how long it took.
until_hits() {
    local start=$SECONDS
    for _ in $(seq $(($3 * 5))); do
        if [[ "$(hits "$1")" == "$2" ]]; then echo "$((SECONDS - start))"; return 0; fi
        sleep 0.2
    done
    fail "search '$1': expected '$2' within $3 s, got '$(hits "$1")'"
}

status=$(curl -sS -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/index/status")
[[ "$status" == *'"ocr":true'* ]] ||
    fail "OCR is not running (are tesseract-ocr-jpn and the ocr plugin installed?): $status"

status MKCOL /dav/申請書 >/dev/null
status MKCOL /dav/回覧 >/dev/null
scan="$corpus/緑町自治区/申請書/カーブミラー設置要望書（スキャン）.pdf"
photo="$corpus/緑町自治区/回覧/敬老会のご案内.jpg"
expect_eq "the scan uploads" 201 "$(status PUT "/dav/申請書/要望書スキャン.pdf" -T "$scan")"
expect_eq "the photo uploads" 201 "$(status PUT "/dav/回覧/掲示板の写真.jpg" -T "$photo")"
until_hits 要望書スキャン "/申請書/要望書スキャン.pdf" 10 >/dev/null
until_hits 掲示板の写真 "/回覧/掲示板の写真.jpg" 10 >/dev/null
echo "ok - both are found by their names at once"

# While OCR reads them, an ordinary upload is searchable within seconds.
printf '防犯パトロールの当番表です。' >"$KIROKU_TMP/当番.txt"
status PUT "/dav/回覧/当番表.txt" -T "$KIROKU_TMP/当番.txt" >/dev/null
t=$(until_hits 防犯パトロール "/回覧/当番表.txt" 10)
echo "ok - a text upload during OCR was searchable in ${t} s"

t1=$(until_hits 道路維持課 "/申請書/要望書スキャン.pdf" 60)
echo "ok - the scanned PDF is found by a word only in its image (${t1} s)"
t2=$(until_hits 長寿 "/回覧/掲示板の写真.jpg" 60)
echo "ok - the photographed notice is found by a word only in its image (${t2} s more)"

pending=$(curl -sS -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/index/status" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["ocrPending"])')
expect_eq "nothing waits for OCR" 0 "$pending"
out=$(kiroku_cli index status)
[[ "$out" == *"OCR (scans and photos): 0 waiting (jpn"* ]] || fail "index status: $out"
echo "ok - kiroku index status shows OCR and its languages"

# The preview says the text was read by OCR (the web pages, logged in).
JAR="$KIROKU_TMP/jar"
curl -s -c "$JAR" -o /dev/null --data-urlencode "name=$KIROKU_USER" \
    --data-urlencode "password=$KIROKU_PASS" "$KIROKU_URL/login"
page=$(curl -s -b "$JAR" "$KIROKU_URL/files/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("回覧/掲示板の写真.jpg"))')")
[[ "$page" == *"読み取った文字（OCR）"* && "$page" == *"長寿"* ]] || fail "the preview does not show the OCR text"
echo "ok - the preview shows 読み取った文字（OCR）"

# An image bomb (a PNG that says it is 100000 x 100000) and a broken JPEG: refused with a
# reason, kirokud and the ordinary queue unharmed.
python3 - "$KIROKU_TMP" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
open(sys.argv[1] + "/bomb.png", "wb").write(png)
open(sys.argv[1] + "/broken.jpg", "wb").write(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + b"\x13" * 500)
PY
status PUT "/dav/回覧/爆弾.png" -T "$KIROKU_TMP/bomb.png" >/dev/null
status PUT "/dav/回覧/壊れた写真.jpg" -T "$KIROKU_TMP/broken.jpg" >/dev/null
printf '資源回収の日程。' >"$KIROKU_TMP/資源.txt"
status PUT "/dav/回覧/資源回収.txt" -T "$KIROKU_TMP/資源.txt" >/dev/null
until_hits 資源回収 "/回覧/資源回収.txt" 10 >/dev/null
for _ in $(seq 150); do
    failures=$(kiroku_cli index status)
    [[ "$failures" == *"爆弾.png"*"OCR:"* || "$failures" == *"OCR:"*"爆弾.png"* ]] &&
        [[ "$failures" == *"壊れた写真.jpg"* ]] && break
    sleep 0.4
done
[[ "$failures" == *"/回覧/爆弾.png  (OCR: "* ]] || fail "the image bomb is not refused with a reason: $failures"
[[ "$failures" == *"/回覧/壊れた写真.jpg  (OCR: "* ]] || fail "the broken JPEG is not refused with a reason: $failures"
expect_eq "kirokud still answers" 207 "$(status PROPFIND /dav/ -H 'Depth: 0')"
until_hits 爆弾 "/回覧/爆弾.png" 5 >/dev/null
echo "ok - an image bomb and a broken image are refused with a reason, found by name, and harm nothing"
