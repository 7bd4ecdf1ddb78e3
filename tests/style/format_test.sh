#!/usr/bin/env bash
# The C++ sources read one way: every .cpp and .h of the repository is exactly as
# clang-format-14 writes it with the repository's .clang-format. Names the files that
# differ; `make format` rewrites them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
format=${CLANG_FORMAT:-clang-format-14}
command -v "$format" >/dev/null || { echo "FAIL: $format is not installed (make deps installs it)"; exit 1; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
    mapfile -t files < <(find server indexer plugins tests bench web -name '*.cpp' -o -name '*.h' 2>/dev/null | sort)
fi
[[ ${#files[@]} -gt 0 ]] || { echo "FAIL: no sources found under $root"; exit 1; }
mapfile -t differ < <("$format" --dry-run "${files[@]}" 2>&1 | grep -oE '^[^:]+\.(cpp|h):[0-9]+:[0-9]+: (warning|error)' |
    cut -d: -f1 | sort -u)
if [[ ${#differ[@]} -gt 0 ]]; then
    printf 'not formatted: %s\n' "${differ[@]}"
    echo "FAIL: ${#differ[@]} of ${#files[@]} files differ from $format's layout; run: make format"
    exit 1
fi
echo "ok - ${#files[@]} files as $format writes them"
