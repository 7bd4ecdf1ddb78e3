#!/usr/bin/env bash
# Security review, finding 9: a 会計 without rights on 名簿 took LOCK Depth: infinity on
# the association's folder, and the 区長 and 書記 got 423 on the roster for a day. Now a
# lock with depth infinity needs write rights on everything below it.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
printf 'kaikei-password-1\n' | kiroku_cli user add kaikei --display "会計" >/dev/null
kiroku_cli role assign kaikei 会計 桜ヶ丘自治区 --term "$(date +%Y)" >/dev/null 2>&1 ||
    kiroku_cli role assign kaikei 会計 桜ヶ丘自治区 --from 2000-01-01 --to 2999-12-31 >/dev/null
kiroku_stop; kiroku_launch
S=/dav/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("桜ヶ丘自治区"))')
lockinfo='<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>'
expect_eq "the 会計 cannot lock the whole association (名簿 is not theirs)" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u kaikei:kaikei-password-1 -X LOCK -H 'Depth: infinity' -H 'Content-Type: application/xml' --data "$lockinfo" "$KIROKU_URL$S/")"
ROSTER=/dav/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("桜ヶ丘自治区/名簿/役員名簿.txt"))')
printf 'x\n' >"$KIROKU_TMP/x.txt"
expect_eq "the 書記 still writes the roster" 204 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u suzuki:sakura-shoki-1 -T "$KIROKU_TMP/x.txt" "$KIROKU_URL$ROSTER")"
expect_eq "the 会計 may lock a folder that is all theirs" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u kaikei:kaikei-password-1 -X LOCK -H 'Depth: infinity' -H 'Content-Type: application/xml' --data "$lockinfo" "$KIROKU_URL$S/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("会計"))')/")"
echo "all passed"
