#!/usr/bin/env bash
# Issue 13, years as officers write them, through a real kirokud: 令和5年度's 収支決算書 is
# found by 「R5 決算」, 「R05 決算」, 「2023 決算」 and 「FY2023 決算」 (and the other spellings),
# ranked before a statement of another 年度 that only mentions 2023; 平成5年度 is never
# taken for R5; the 年度 filter reads FY2023 as the index filed the documents.
source "$(dirname "$0")/lib.sh"
kiroku_start

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
put() {  # put PATH TEXT
    printf '%s\n' "$2" >"$KIROKU_TMP/doc.txt"
    local dir acc="" parts
    dir=$(dirname "$1")
    IFS=/ read -ra parts <<<"$dir"
    for p in "${parts[@]}"; do
        acc="$acc/$(enc "$p")"
        status MKCOL "/dav$acc" >/dev/null
    done
    expect_eq "PUT $1" 201 "$(status PUT "/dav$acc/$(enc "$(basename "$1")")" -T "$KIROKU_TMP/doc.txt")"
}
# search QUERY [EXTRA…] -> the hits' paths in rank order, one line
search() {
    local q=$1
    shift
    curl -sS -G -u "$KIROKU_USER:$KIROKU_PASS" --data-urlencode "q=$q" "$@" "$KIROKU_URL/api/search" |
        python3 -c 'import json,sys; print(" ".join(h["path"] for h in json.load(sys.stdin)["hits"]))'
}

R5_NAMED=/桜ヶ丘自治区/会計/令和5年度_収支決算書.txt
R5_FILED=/桜ヶ丘自治区/会計/令和5年度/決算報告.txt
R4=/桜ヶ丘自治区/会計/令和4年度_収支決算書.txt
H5=/桜ヶ丘自治区/会計/平成5年度_収支決算書.txt
MINUTES=/桜ヶ丘自治区/議事録/R5_総会議事録.txt
put "$R5_NAMED" "収入の部 会費 600円。支出の部 防犯灯LED化工事費。以上のとおり決算を報告します。"
put "$R5_FILED" "会計監査の結果、決算は適正でした。"
# Another 年度, which says 決算 more often and mentions 2023 (its last day): found, after.
put "$R4" "決算 決算 決算。期間 2022年4月1日～2023年3月31日。決算の報告、決算書の承認。"
put "$H5" "平成5年度の決算。"
put "$MINUTES" "総会で決算を承認した。"

for _ in $(seq 100); do
    pending=$(dav GET /api/index/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')
    [[ "$pending" == 0 ]] && break
    sleep 0.2
done
expect_eq "the index queue drained" 0 "$pending"

# Filed under 令和5年度: by name, by folder, and the minutes named R5 (決算 in their text).
FILED=$(printf '%s\n' "$R5_FILED" "$R5_NAMED" "$MINUTES" | sort | paste -sd' ')
for q in "R5 決算" "R05 決算" "2023 決算" "FY2023 決算" "R.5 決算" "Ｒ５ 決算" "令和5 決算" \
    "令和５年度 決算" "2023年度 決算" "2023年 決算"; do
    got=$(search "$q")
    first=$(echo "$got" | cut -d' ' -f1-3 | tr ' ' '\n' | sort | paste -sd' ')
    [[ "$first" == "$FILED" ]] || fail "「$q」: 令和5年度's documents do not come first: [$got]"
    [[ "$(echo "$got" | cut -d' ' -f4-)" == "$R4" ]] ||
        fail "「$q」: the 令和4年度 statement (2023年3月31日) is not found after them: [$got]"
    echo "ok - 「$q」 finds 令和5年度's 収支決算書 first, then the 令和4年度 one that mentions 2023"
done

got=$(search "R5")
for p in "$R5_NAMED" "$R5_FILED" "$MINUTES" "$R4"; do
    [[ " $got " == *" $p "* ]] || fail "「R5」 alone does not find $p: [$got]"
done
[[ " $got " != *" $H5 "* ]] || fail "「R5」 alone finds 平成5年度: [$got]"
echo "ok - 「R5」 alone is the year, not the letters"
expect_eq "「H5 決算」 finds 平成5年度 only" "$H5" "$(search "H5 決算")"
expect_eq "「R6.11」 finds no 2023 statement" "" "$(search "R6.11")"

got=$(search "決算" --data-urlencode "year=FY2023" | tr ' ' '\n' | sort | paste -sd' ')
expect_eq "the 年度 filter year=FY2023 keeps what was filed under 令和5年度" "$FILED" "$got"
echo "all passed"
