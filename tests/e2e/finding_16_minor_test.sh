#!/usr/bin/env bash
# Security review, finding 16 (the minor ones): dead properties of a folder were shown to
# people who may only pass through it; meta.db was created readable by everyone (0644);
# TLS accepted suites without forward secrecy and CBC with SHA-1.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
q() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
ASSOC=$(q 桜ヶ丘自治区)
ITO=ito:sakura-kaiin-1  # 会員: reads 回覧, passes through the association's folder

# --- dead properties of a folder passed through -----------------------------------
patch() {  # patch PATH VALUE: the administrator sets a property
    curl -s -o /dev/null -w '%{http_code}' -u "$KIROKU_USER:$KIROKU_PASS" -X PROPPATCH \
        -H 'Content-Type: application/xml' "$KIROKU_URL/dav/$1" --data-binary \
        "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:k=\"urn:kiroku-test\"><D:set><D:prop><k:note>$2</k:note></D:prop></D:set></D:propertyupdate>"
}
expect_eq "a property on the association's folder" 207 "$(patch "$ASSOC/" secret-folder-note)"
expect_eq "a property on its minutes folder" 207 "$(patch "$ASSOC/$(q 議事録)/" secret-minutes-note)"
expect_eq "a property on 回覧" 207 "$(patch "$ASSOC/$(q 回覧)/" circular-note)"
for depth in 0 1; do
    out=$(curl -s -u $ITO -X PROPFIND -H "Depth: $depth" "$KIROKU_URL/dav/$ASSOC/")
    grep -q "$(q 回覧)\|回覧" <<<"$out" || [[ $depth == 0 ]] || fail "the 会員 does not see 回覧: $out"
    grep -q 'secret-' <<<"$out" && fail "Depth $depth: the 会員 sees a property of a folder only passed through: $out"
    echo "ok - Depth $depth: no properties of what the 会員 only passes through"
done
out=$(curl -s -u $ITO -X PROPFIND -H "Depth: 1" "$KIROKU_URL/dav/$ASSOC/")
grep -q 'circular-note' <<<"$out" || fail "the 会員 does not see the property of 回覧, which they read: $out"
echo "ok - the property of 回覧, which the 会員 reads, is shown"
out=$(curl -s -u $ITO -X PROPFIND -H "Depth: 0" -H 'Content-Type: application/xml' "$KIROKU_URL/dav/$ASSOC/" \
    --data-binary '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:k="urn:kiroku-test"><D:prop><k:note/></D:prop></D:propfind>')
grep -q 'secret-folder-note' <<<"$out" && fail "asked by name, the property is shown: $out"
grep -q '404' <<<"$out" || fail "asked by name, the property is not reported missing: $out"
echo "ok - asked by name, it is reported as missing"
out=$(curl -s -u yamada:sakura-kucho-1 -X PROPFIND -H "Depth: 0" "$KIROKU_URL/dav/$ASSOC/")
grep -q 'secret-folder-note' <<<"$out" || fail "the 区長, who reads the folder, does not see its property: $out"
echo "ok - the 区長 sees it"

# --- a page nested a thousand levels deep ---------------------------------------------
python3 -c "print('<html><body>' + '<div>' * 1000 + '奥深くの灯籠流し' + '</div>' * 1000 + '<p>末尾の餅搗き大会</p></body></html>')" \
    >"$KIROKU_TMP/deep.html"
expect_eq "PUT a deeply nested page" 201 "$(status PUT /dav/deep.html -T "$KIROKU_TMP/deep.html")"
for word in 灯籠流し 餅搗き大会; do
    found=0
    for _ in $(seq 50); do
        n=$(curl -s -u "$KIROKU_USER:$KIROKU_PASS" -G --data-urlencode "q=$word" "$KIROKU_URL/api/search" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
        [[ "$n" == 1 ]] && { found=1; break; }
        sleep 0.2
    done
    [[ $found == 1 ]] || fail "the deep page's $word is not found"
    echo "ok - the deep page's $word is found"
done

# --- file modes -------------------------------------------------------------------
mode() { stat -c %a "$1"; }
expect_eq "meta.db is not world-readable" 640 "$(mode "$KIROKU_DATA/meta.db")"
printf 'x\n' >"$KIROKU_TMP/x.txt"
status PUT /dav/x.txt -T "$KIROKU_TMP/x.txt" >/dev/null
expect_eq "meta.db-wal takes its mode" 640 "$(mode "$KIROKU_DATA/meta.db-wal")"
expect_eq "an uploaded document is not world-readable" 640 "$(mode "$KIROKU_DATA/files/x.txt")"
world=$(find "$KIROKU_DATA" -perm -o=r -not -type l | head -5)
[[ -z "$world" ]] || fail "world-readable in the data folder: $world"
echo "ok - nothing in the data folder is world-readable"

# --- TLS: Mozilla's intermediate profile -------------------------------------------
tls() {  # tls OPTIONS...: 0 when a handshake succeeds
    echo | timeout 10 openssl s_client -connect "127.0.0.1:$KIROKU_TLS_PORT" "$@" >/dev/null 2>&1
}
tls -tls1_3 || fail "TLS 1.3 refused"
echo "ok - TLS 1.3"
tls -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 || fail "TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256 refused"
echo "ok - TLS 1.2 with ECDHE and AES-GCM"
tls -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305 || fail "TLS 1.2 with ChaCha20 refused"
echo "ok - TLS 1.2 with ECDHE and ChaCha20-Poly1305"
for suite in AES128-SHA AES256-GCM-SHA384 ECDHE-RSA-AES128-SHA ECDHE-RSA-AES256-SHA384 DES-CBC3-SHA; do
    tls -tls1_2 -cipher "$suite" && fail "TLS 1.2 with $suite accepted"
    echo "ok - $suite refused"
done
tls -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' && fail "TLS 1.1 accepted"
echo "ok - TLS 1.1 refused"
echo "all passed"
