#!/usr/bin/env bash
# Security review, finding 6: relevance statistics included documents the person cannot
# read. Two equal files in one's own folder scored 4.20 and 6.25 when one of the names
# also appeared in a hidden roster — a test for whether a name is in it. Now scores come
# from the readable documents only: the same as if the hidden ones did not exist.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
q() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
put() {  # put PATH TEXT (as the administrator)
    printf '%s\n' "$2" >"$KIROKU_TMP/doc.txt"
    expect_eq "PUT $1" 201 "$(status PUT "/dav/$(q "$1")" -T "$KIROKU_TMP/doc.txt")"
}
put "緑町自治区/議事録/第1回.txt" "出席者 山田一郎 会計報告 防犯灯の交換 夏祭りの予算"
put "緑町自治区/議事録/第2回.txt" "出席者 高木花子 会計報告 防犯灯の交換 夏祭りの予算"
put "桜ヶ丘自治区/名簿/会員名簿.txt" "高木花子 0000-00-0001 高木花子 0000-00-0002"
for _ in $(seq 50); do  # wait until the index has all three
    n=$(curl -s -u "$KIROKU_USER:$KIROKU_PASS" -G --data-urlencode q=高木花子 "$KIROKU_URL/api/search" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    [[ "$n" == 2 ]] && break
    sleep 0.2
done
expect_eq "the administrator finds 高木花子 twice" 2 "$n"

score() {  # score WHO NAME: the score of the one hit the person gets
    curl -s -u "$1" -G --data-urlencode "q=$2" "$KIROKU_URL/api/search" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["total"] == 1, r
print("%.9f" % r["hits"][0]["score"])'
}
SATO=sato:midori-kucho-1  # 緑町's 区長: reads 緑町自治区, not 桜ヶ丘's roster
yamada=$(score $SATO 山田一郎)
takagi=$(score $SATO 高木花子)
expect_eq "the two equal minutes score the same for their own names" "$yamada" "$takagi"
echo "ok - scores: 山田一郎 $yamada, 高木花子 $takagi (the roster does not count)"
echo "all passed"
