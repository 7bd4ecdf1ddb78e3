#!/usr/bin/env bash
# Security review, finding 7: /api/search?path=…/名簿 returned every name and phone number
# of the roster in its snippets without a trace in the audit log, and HEAD was not
# audited either. Now a search hit in a folder whose reads are recorded is recorded,
# and so is a HEAD.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
SHOKI=suzuki:sakura-shoki-1
for _ in $(seq 100); do
    [[ $(curl -s -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/index/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["pending"])') == 0 ]] && break
    sleep 0.2
done
hits=$(curl -s -u $SHOKI "$KIROKU_URL/api/search?q=%E5%8C%BA%E9%95%B7&path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA%2F%E5%90%8D%E7%B0%BF")
grep -q '役員名簿' <<<"$hits" || fail "the search did not find the roster: $hits"
echo "ok - the 書記 finds the roster by searching"
kiroku_cli audit --user suzuki | grep -q " search .*名簿/役員名簿.txt" || fail "the search hit in the roster is not in the audit log"
echo "ok - the hit is in the audit log"
ROSTER_FILE=/dav/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("桜ヶ丘自治区/名簿/役員名簿.txt"))')
expect_eq "HEAD of the roster" 200 "$(curl -s -o /dev/null -w '%{http_code}' -I -u $SHOKI "$KIROKU_URL$ROSTER_FILE")"
kiroku_cli audit --user suzuki | grep -q " read .*名簿/役員名簿.txt" || fail "the HEAD of the roster is not in the audit log"
echo "ok - a HEAD of the roster is in the audit log"
echo "all passed"
