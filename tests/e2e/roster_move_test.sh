#!/usr/bin/env bash
# Rights and marks sit on folders by id, not by path (issue: a 書記 could MOVE the
# roster under 回覧, where every 会員 read it, and a renamed roster stopped being
# audited). Moving a folder that carries permission entries needs manage rights; a
# moved or renamed roster stays protected, readable by the same roles, and audited.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch

as() { # as USER:PASS METHOD PATH [curl args] -> HTTP status
    local who=$1 method=$2 path=$3; shift 3
    curl -sS -o /dev/null -w '%{http_code}' -u "$who" -X "$method" "$@" "$KIROKU_URL$path"
}
KUCHO=yamada:sakura-kucho-1 SHOKI=suzuki:sakura-shoki-1 KAIIN=ito:sakura-kaiin-1
S=/dav/%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA  # 桜ヶ丘自治区
ROSTER=$S/%E5%90%8D%E7%B0%BF                                     # 名簿
CIRCULAR=$S/%E5%9B%9E%E8%A6%A7                                   # 回覧
FILE=%E5%BD%B9%E5%93%A1%E5%90%8D%E7%B0%BF.txt                    # 役員名簿.txt
LIST=$S/%E4%BC%9A%E5%93%A1%E4%B8%80%E8%A6%A7                      # 会員一覧

expect_eq "the 書記 reads the roster" 200 "$(as $SHOKI GET "$ROSTER/$FILE")"
expect_eq "a 会員 does not" 404 "$(as $KAIIN GET "$ROSTER/$FILE")"
expect_eq "the 書記 (write, not manage) may not move the roster under 回覧" 403 \
    "$(as $SHOKI MOVE "$ROSTER" -H "Destination: $KIROKU_URL$CIRCULAR/%E5%90%8D%E7%B0%BF")"
[[ -f "$KIROKU_DATA/files/桜ヶ丘自治区/名簿/役員名簿.txt" ]] || fail "the refused move moved something"
expect_eq "the 書記 makes a plain folder" 201 \
    "$(as $SHOKI MKCOL "$S/%E8%AD%B0%E4%BA%8B%E9%8C%B2/tmp")"
expect_eq "…and move it (no entries on it)" 201 \
    "$(as $SHOKI MOVE "$S/%E8%AD%B0%E4%BA%8B%E9%8C%B2/tmp" -H "Destination: $KIROKU_URL$S/%E8%AD%B0%E4%BA%8B%E9%8C%B2/tmp2")"

expect_eq "the 区長 (manage) moves the roster under 回覧" 201 \
    "$(as $KUCHO MOVE "$ROSTER" -H "Destination: $KIROKU_URL$CIRCULAR/%E5%90%8D%E7%B0%BF")"
MOVED=$CIRCULAR/%E5%90%8D%E7%B0%BF
expect_eq "a 会員 still cannot read it inside 回覧" 404 "$(as $KAIIN GET "$MOVED/$FILE")"
listing=$(curl -sS -u $KAIIN -X PROPFIND -H 'Depth: 1' "$KIROKU_URL$CIRCULAR/")
[[ "$listing" != *%E5%90%8D%E7%B0%BF* ]] || fail "a 会員 sees the roster in 回覧's listing"
echo "ok - 回覧's listing does not show the roster to a 会員"
expect_eq "the 書記 still reads it (its entries moved with it)" 200 "$(as $SHOKI GET "$MOVED/$FILE")"
kiroku_cli audit --user suzuki --path 桜ヶ丘自治区/回覧/名簿 | grep -q " read " ||
    fail "the read of the moved roster was not audited"
echo "ok - reading the moved roster is audited"

expect_eq "the 区長 renames it to 会員一覧" 201 \
    "$(as $KUCHO MOVE "$MOVED" -H "Destination: $KIROKU_URL$LIST")"
expect_eq "a 会員 cannot read the renamed roster" 404 "$(as $KAIIN GET "$LIST/$FILE")"
expect_eq "the 書記 reads it" 200 "$(as $SHOKI GET "$LIST/$FILE")"
kiroku_cli audit --user suzuki --path 桜ヶ丘自治区/会員一覧 | grep -q " read " ||
    fail "the renamed roster stopped being audited"
echo "ok - the renamed roster is still audited"
kiroku_cli acl show 桜ヶ丘自治区/会員一覧 | grep -q "protected" || fail "the renamed roster lost its protection"
echo "ok - it is still protected"
kiroku_cli check | grep -q "no problems found" || fail "check finds problems"
echo "all passed"
