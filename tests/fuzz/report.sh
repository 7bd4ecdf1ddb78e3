#!/usr/bin/env bash
# Prints what the last `make fuzz` did, one Markdown row per harness, from the logs in
# WORK (default build-san/fuzz-work): seconds, executions, executions per second, the
# coverage reached (edges, features), the corpus it ended with, peak memory, and the
# inputs it saved as findings (crash-*, leak-*, timeout-*, oom-*).
set -uo pipefail
work=${1:-build-san/fuzz-work}
echo "| harness | seconds | executions | exec/s | edges | features | corpus | peak RSS | findings |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for dir in "$work"/*/; do
    name=$(basename "$dir")
    log=$dir/fuzz.log
    [[ -f $log ]] || continue
    stat() { grep -m1 "^stat::$1:" "$log" | awk '{print $2}'; }
    runs=$(stat number_of_executed_units)
    speed=$(stat average_exec_per_sec)
    rss=$(stat peak_rss_mb)
    seconds=$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' "$log" | awk '{print $5}')
    [[ -n $seconds ]] || seconds=$(( ${runs:-0} / (${speed:-1} > 0 ? ${speed:-1} : 1) ))
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    edges=$(grep -oE 'cov: [0-9]+' <<<"$last" | awk '{print $2}')
    features=$(grep -oE 'ft: [0-9]+' <<<"$last" | awk '{print $2}')
    corpus=$(ls "$dir/corpus" 2>/dev/null | wc -l)
    findings=$(ls "$dir" | grep -E '^(crash|leak|timeout|oom)-' | sed 's/-[0-9a-f]*$//' | sort | uniq -c |
        awk '{printf "%s%d %s", (NR > 1 ? ", " : ""), $1, $2}')
    echo "| \`$name\` | ${seconds:-?} | ${runs:-?} | ${speed:-?} | ${edges:-?} | ${features:-?} | $corpus | ${rss:-?} MB | ${findings:-none} |"
done
