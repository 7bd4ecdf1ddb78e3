#!/usr/bin/env bash
# Handovers from the command line and the API: the demo's 区長 handover opens on March 1,
# is listed and shown, and is exported as one ZIP that unzip, Python's zipfile and bsdtar
# all read with their Japanese names (the UTF-8 flag and the Info-ZIP Unicode Path field
# 0x7075 on every entry), written to the name asked for only when whole, and audited.
# Through /api/handovers the 区長 writes and hands it over, a member cannot see it, and
# the appointed successor receives it.
source "$(dirname "$0")/lib.sh"
for tool in unzip bsdtar python3; do
    command -v "$tool" >/dev/null || fail "$tool is missing (Debian: unzip, libarchive-tools, python3)"
done
export KIROKU_TODAY=2027-03-05 KIROKU_LANG=ja
kiroku_start
KIROKU_LANG=en kiroku_cli demo >/dev/null || fail "kiroku demo failed"

out=$(kiroku_cli handover list) || fail "handover list failed: $out"
[[ "$out" == *"令和8年度"*"件"* ]] || fail "handover list heading: $out"
[[ "$out" == *"桜ヶ丘自治区 区長  yamada"*"準備中"* ]] || fail "the 区長's handover is not listed: $out"
echo "ok - the terms ending in 令和8年度 have their handovers from March 1"

out=$(kiroku_cli handover show 桜ヶ丘自治区 区長) || fail "handover show failed: $out"
[[ "$out" == *"/桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt"* ]] || fail "inventory: $out"
echo "ok - show lists what the role can write"

set +e
kiroku_cli handover export 桜ヶ丘自治区 区長 >/dev/null 2>&1; code=$?
expect_eq "export without --output is a usage error" 2 "$code"
kiroku_cli handover show 桜ヶ丘自治区 会計 >/dev/null 2>&1; code=$?
expect_eq "a role without a handover is refused" 1 "$code"
set -e

zip="$(dirname "$KIROKU_DATA")/引継ぎ.zip"
out=$(kiroku_cli handover export 桜ヶ丘自治区 区長 --output "$zip") || fail "export failed: $out"
[[ -f "$zip" && ! -e "$zip.part" ]] || fail "no archive at $zip (or a .part left behind)"
unzip -tq "$zip" >/dev/null || fail "unzip -t: the archive is damaged"
names=$(unzip -Z1 "$zip")
for want in 引継ぎ書.html 目次.txt kiroku.css "書類/桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt"; do
    grep -qxF "$want" <<<"$names" || fail "unzip: $want missing from: $names"
done
[[ $(bsdtar -tf "$zip" | sort) == $(sort <<<"$names") ]] || fail "bsdtar lists other names than unzip"
python3 - "$zip" "$KIROKU_DATA/files" <<'PY' || fail "python zipfile check failed"
import struct, sys, zipfile, zlib, os
path, files = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
assert z.testzip() is None
for info in z.infolist():
    assert info.flag_bits & 0x800, f"no UTF-8 flag on {info.filename}"
    extra, found = info.extra, None
    while len(extra) >= 4:
        tag, size = struct.unpack('<HH', extra[:4])
        if tag == 0x7075:
            found = extra[4:4 + size]
        extra = extra[4 + size:]
    assert found is not None, f"no 0x7075 field on {info.filename}"
    assert found[0] == 1 and found[5:].decode('utf-8') == info.filename, info.filename
    if info.filename.startswith('書類/'):
        with open(os.path.join(files, info.filename[len('書類/'):]), 'rb') as f:
            assert z.read(info) == f.read(), f"content differs: {info.filename}"
html = z.read('引継ぎ書.html').decode('utf-8')
assert '令和8年度 桜ヶ丘自治区 区長' in html and '<form' not in html
print('ok - python zipfile: every entry flagged UTF-8 with a 0x7075 field, contents equal')
PY
echo "ok - the export is one ZIP that unzip, bsdtar and python read, Japanese names intact"

out=$(kiroku_cli audit --limit 5)
[[ "$out" == *"handover-export"* ]] || fail "the export is not in the audit log: $out"
echo "ok - the export is audited"
# Regression (an administrator's export took 0.7 s per 1,000 files): the CLI reads as an
# administrator, and its export is one audit row, not one row per file read.
rows() { kiroku_cli audit --limit 100000 | wc -l; }
before=$(rows)
kiroku_cli handover export 桜ヶ丘自治区 区長 --output "$zip" >/dev/null || fail "second export failed"
expect_eq "a second export adds one audit row" $((before + 1)) "$(rows)"

# ---- the API, as yamada (outgoing 区長), ito (会員) and suzuki (the demo's 区長 for R9)
api() {  # api USER:PASS METHOD PATH [JSON]: prints the status, the body to $KIROKU_TMP/api.json
    curl -sS -o "$KIROKU_TMP/api.json" -w '%{http_code}' -u "$1" -X "$2" \
        -H 'Content-Type: application/json' ${4:+--data "$4"} "$KIROKU_URL$3"
}
YAMADA=yamada:sakura-kucho-1 ITO=ito:sakura-kaiin-1 SUZUKI=suzuki:sakura-shoki-1
expect_eq "GET /api/handovers?term=R8" 200 "$(api "$YAMADA" GET '/api/handovers?term=R8')"
id=$(python3 -c 'import json,sys; print(next(h["id"] for h in json.load(open(sys.argv[1])) if h["role"] == "区長" and h["org"] == "桜ヶ丘自治区"))' "$KIROKU_TMP/api.json")
expect_eq "PUT the note" 200 "$(api "$YAMADA" PUT "/api/handovers/$id/note" '{"note":"鍵は区長宅にあります。"}')"
expect_eq "POST an item" 201 "$(api "$YAMADA" POST "/api/handovers/$id/items" '{"name":"区長印","quantity":1,"place":"金庫"}')"
expect_eq "an item without a name is refused" 400 "$(api "$YAMADA" POST "/api/handovers/$id/items" '{"name":"","quantity":1}')"
expect_eq "a member cannot see it (as if it were not there)" 404 "$(api "$ITO" GET "/api/handovers/$id")"
expect_eq "the successor does not see the draft before it is handed over" 404 "$(api "$SUZUKI" POST "/api/handovers/$id/receive")"
expect_eq "POST submit" 200 "$(api "$YAMADA" POST "/api/handovers/$id/submit")"
expect_eq "the note cannot change once handed over" 409 "$(api "$YAMADA" PUT "/api/handovers/$id/note" '{"note":"x"}')"
expect_eq "the successor receives it" 200 "$(api "$SUZUKI" POST "/api/handovers/$id/receive")"
python3 - "$KIROKU_TMP/api.json" <<'PY' || fail "the received record: $(cat "$KIROKU_TMP/api.json")"
import json, sys
h = json.load(open(sys.argv[1]))
assert h["status"] == "received" and h["receivedBy"] == "suzuki", h
assert h["note"] == "鍵は区長宅にあります。", h
assert h["items"] and all(i["receivedBy"] == "suzuki" for i in h["items"]), h
assert any(f["path"] == "/桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt" for f in h["inventory"]), h
PY
echo "ok - through the API: written, handed over, hidden from a member, received by the successor"
