#!/usr/bin/env bash
# Security review, finding 1: .html/.xml/.svg uploads were served inline as text/html on
# the same origin as /api/, without Content-Disposition, CSP or nosniff: 緑町's 区長 put
# an HTML file in 東山地区/共有 whose script made the administrator's browser grant him
# manage on 桜ヶ丘's roster. Now every user file is sandboxed and not sniffed, pages
# and images that run are downloaded, and text says its charset.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
SATO=sato:midori-kucho-1
SHARED=/dav/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("東山地区/共有"))')
cat >"$KIROKU_TMP/evil.html" <<'HTML'
<html><body><script>fetch('/api/acl',{method:'POST',body:JSON.stringify({path:'桜ヶ丘自治区/名簿',principal:'role:緑町自治区/区長',rights:'manage'})})</script></body></html>
HTML
printf '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' >"$KIROKU_TMP/evil.svg"
printf '<?xml version="1.0"?><x:html xmlns:x="http://www.w3.org/1999/xhtml"><x:script>alert(1)</x:script></x:html>' >"$KIROKU_TMP/evil.xml"
for f in evil.html evil.svg evil.xml; do
    expect_eq "the 区長 of 緑町 uploads $f to 共有" 201 "$(curl -s -o /dev/null -w '%{http_code}' -u $SATO -T "$KIROKU_TMP/$f" "$KIROKU_URL$SHARED/$f")"
done
for f in evil.html evil.svg evil.xml; do
    h=$(curl -s -D - -o /dev/null -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL$SHARED/$f" | tr -d '\r')
    grep -qi '^content-disposition: attachment' <<<"$h" || fail "$f is served inline: $h"
    grep -qi '^x-content-type-options: nosniff' <<<"$h" || fail "$f may be sniffed"
    grep -qi '^content-security-policy: sandbox' <<<"$h" || fail "$f is not sandboxed"
    echo "ok - $f is downloaded, sandboxed and not sniffed"
done
printf '回覧です\n' >"$KIROKU_TMP/note.txt"
printf '\x89\xf1\x97\x97\x82\xc5\x82\xb7\n' >"$KIROKU_TMP/sjis.txt"  # 回覧です in Shift_JIS
curl -s -o /dev/null -u $SATO -T "$KIROKU_TMP/note.txt" "$KIROKU_URL$SHARED/note.txt"
curl -s -o /dev/null -u $SATO -T "$KIROKU_TMP/sjis.txt" "$KIROKU_URL$SHARED/sjis.txt"
expect_eq "UTF-8 text says its charset" "text/plain; charset=utf-8" \
    "$(curl -s -o /dev/null -w '%{content_type}' -u $SATO "$KIROKU_URL$SHARED/note.txt")"
expect_eq "Shift_JIS text says its charset" "text/plain; charset=shift_jis" \
    "$(curl -s -o /dev/null -w '%{content_type}' -u $SATO "$KIROKU_URL$SHARED/sjis.txt")"
h=$(curl -s -D - -o /dev/null -u $SATO "$KIROKU_URL$SHARED/note.txt" | tr -d '\r')
grep -qi '^content-security-policy: sandbox' <<<"$h" || fail "text is not sandboxed"
grep -qi '^content-disposition' <<<"$h" && fail "plain text is forced to download"
echo "ok - plain text is shown, sandboxed"
echo "all passed"
