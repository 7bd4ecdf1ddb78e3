#!/usr/bin/env bash
# Security review, finding 8: /api/audit?path=東山地区 listed file names and authors inside
# a protected subfolder the caller gets 404 for. Now a manager sees only the history of
# what they may see.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
# A protected folder inside the district, for the district's 区長 only.
kiroku_cli org list >/dev/null
mkdir -p "$KIROKU_DATA/files/東山地区/人事"
kiroku_cli acl protect 東山地区/人事 on >/dev/null
kiroku_cli acl grant 東山地区/人事 role:東山地区/地区会長 manage >/dev/null
kiroku_stop; kiroku_launch
printf '候補者: 高橋\n' >"$KIROKU_TMP/secret.txt"
expect_eq "the administrator files a document in the protected folder" 201 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$KIROKU_USER:$KIROKU_PASS" -T "$KIROKU_TMP/secret.txt" \
        "$KIROKU_URL/dav/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("東山地区/人事/次期役員候補.txt"))')")"
TANAKA=tanaka:higashi-iin-1
expect_eq "the 地区委員 cannot see the protected folder" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u $TANAKA "$KIROKU_URL/dav/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("東山地区/人事/"))')")"
log=$(curl -s -u $TANAKA "$KIROKU_URL/api/audit?path=%E6%9D%B1%E5%B1%B1%E5%9C%B0%E5%8C%BA")
grep -q '共有' <<<"$log" || fail "the 地区委員 does not see the district's own history: $log"
grep -q '次期役員候補\|人事' <<<"$log" && fail "the audit view shows the protected folder: $log"
echo "ok - the district's history shows nothing of the protected folder"
curl -s -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/audit?path=%E6%9D%B1%E5%B1%B1%E5%9C%B0%E5%8C%BA" | grep -q '次期役員候補' ||
    fail "the administrator does not see the protected folder's history"
echo "ok - the administrator sees everything"
echo "all passed"
