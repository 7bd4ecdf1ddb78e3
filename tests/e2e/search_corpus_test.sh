#!/usr/bin/env bash
# The test corpus (tests/corpus) through a real kirokud: every file is uploaded
# over WebDAV, indexed through the kiroku-extract workers, and every query of
# queries.tsv must return exactly the expected files (recall and precision 1.0).
# Then rights: a person sees only hits they may read, and `total` counts only those.
source "$(dirname "$0")/lib.sh"
CORPUS="$(cd "$(dirname "$0")/.." && pwd)/corpus"
[[ -f "$CORPUS/queries.tsv" ]] || fail "the test corpus is missing at $CORPUS"
kiroku_start

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
n=0
while IFS= read -r -d '' f; do
    rel=${f#"$CORPUS"/}
    [[ "$rel" == README.md || "$rel" == queries.tsv ]] && continue
    dir=$(dirname "$rel")
    acc=""
    IFS=/ read -ra parts <<<"$dir"
    for p in "${parts[@]}"; do
        acc="$acc/$(enc "$p")"
        status MKCOL "/dav$acc" >/dev/null
    done
    code=$(status PUT "/dav/$(enc "$rel" | sed 's|%2F|/|g')" -T "$f")
    [[ "$code" == 201 ]] || fail "upload of $rel: $code"
    n=$((n + 1))
done < <(find "$CORPUS" -type f -print0 | sort -z)
echo "ok - uploaded $n corpus files over WebDAV"

# The scans and photos are read (OCR) after the rest: the queries expect their text too.
for _ in $(seq 900); do
    pending=$(dav GET /api/index/status |
        python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["pending"] + s.get("ocrPending", 0))')
    [[ "$pending" == 0 ]] && break
    sleep 0.2
done
[[ "$pending" == 0 ]] || fail "the index queue (with the OCR queue) did not drain"
st=$(dav GET /api/index/status)
echo "ok - queue drained: $st" | cut -c1-200
indexed=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["indexed"])')
expect_eq "every uploaded file is in the index (failed ones by name)" "$n" "$indexed"
echo "$st" | grep -q '破損した議事録.pdf' || fail "the truncated PDF is not recorded as failed"
echo "ok - the truncated PDF is recorded as failed, with a reason"

checked=0
while IFS=$'\t' read -r query expected; do
    [[ -z "$query" ]] && continue
    got=$(curl -sS -G -u "$KIROKU_USER:$KIROKU_PASS" --data-urlencode "q=$query" --data-urlencode limit=200 "$KIROKU_URL/api/search" |
          python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["totalExact"] is True; print(",".join(sorted(h["path"][1:] for h in d["hits"])), d["total"])')
    want=$(echo "$expected" | tr ',' '\n' | sort | paste -sd, -)
    wantn=$(echo "$expected" | tr ',' '\n' | grep -c .)
    [[ "${got% *}" == "$want" ]] || fail "query '$query': expected [$want], got [${got% *}]"
    [[ "${got##* }" == "$wantn" ]] || fail "query '$query': total ${got##* }, expected $wantn"
    checked=$((checked + 1))
done <"$CORPUS/queries.tsv"
echo "ok - all $checked queries of queries.tsv return exactly the expected files"

# Rights: the 区長 of 緑町自治区 searches; nothing of another association may show or count.
kiroku_cli org add みどり市 --kind city >/dev/null
kiroku_cli org add 東山地区 --kind district --parent みどり市 >/dev/null
kiroku_cli org add 緑町自治区 --kind association --parent 東山地区 >/dev/null
kiroku_cli org add 桜ヶ丘自治区 --kind association --parent 東山地区 >/dev/null
printf 'password-123\n' | kiroku_cli user add sato --display 佐藤 >/dev/null
kiroku_cli role assign sato 区長 緑町自治区 --from 2020-04-01 --to 2999-03-31 >/dev/null
sleep 1.2
body=$(curl -sS -G -u sato:password-123 --data-urlencode "q=カーブミラー" "$KIROKU_URL/api/search")
total=$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
paths=$(echo "$body" | python3 -c 'import json,sys; print(" ".join(h["path"] for h in json.load(sys.stdin)["hits"]))')
for p in $paths; do [[ "$p" == /緑町自治区/* || "$p" == /東山地区/共有/* ]] || fail "a hit outside sato's rights: $p"; done
expect_eq "total counts only what the 区長 of 緑町 may read (2 in 緑町自治区, 1 in 東山地区/共有; not the 3 of 桜ヶ丘)" 3 "$total"
echo "$body" | grep -q '<mark>' || fail "snippets carry no highlight"
echo "all passed"
