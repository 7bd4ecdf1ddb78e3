#!/usr/bin/env bash
# OCR benchmark: Kiroku's OCR plugin against the `tesseract` command line and OCRmyPDF on
# the same scanned and photographed documents, side by side.
#
# Documents (ground truth in tests/ocr/truth/):
#   - the corpus's image-only PDF (a 150 dpi scan of a request form) and its photographed
#     notice (tests/corpus/緑町自治区/...);
#   - the derived images of tests/ocr/: the notice photographed tilted 4° and unevenly lit,
#     stored sideways with an Exif orientation, and as HEIC; a page in vertical writing
#     (縦書き) and an English notice;
#   - a 4-page scan made here (the notice's JPEG on every page), for seconds per page.
#
# For each document and tool: character accuracy (1 - edit distance / length of the truth,
# both NFKC without whitespace: bench/ocr/accuracy.py) and seconds per page (wall time of
# the whole command, loading the languages included, median of BENCH_RUNS runs; the runs
# alternate between the tools). The tools:
#   - Kiroku: `kiroku-extract --ocr --print FILE` (what kirokud's OCR worker does);
#   - tesseract: `tesseract IMAGE - -l LANGUAGES` (its defaults: automatic page layout);
#     a PDF is first rendered to 300 dpi grey PNGs with Ghostscript, outside the timing;
#     it cannot read HEIC (n/a) and ignores the Exif orientation;
#   - ocrmypdf: PDFs only, `ocrmypdf -l LANGUAGES --force-ocr --output-type pdf --sidecar
#     TEXT` (the sidecar is the text it read: no pdftotext needed).
# Every tool gets the same languages and OMP_THREAD_LIMIT (one core by default, as
# Kiroku's OCR worker runs), and ocrmypdf as many jobs.
#
# Exit status: 0 once the table is printed; non-zero when Kiroku's OCR is not available
# (kiroku-extract --ocr --check) or tesseract is missing. A missing ocrmypdf or Ghostscript
# is reported and its columns are n/a.
#
# Environment (all optional):
#   BENCH_RUNS=3                  runs of each document and tool
#   BENCH_LANGUAGES=jpn+jpn_vert+eng
#   BENCH_THREADS=1               OMP_THREAD_LIMIT for every tool, ocrmypdf --jobs
#   BENCH_OUT=DIR                 keep every tool's text and the timings in DIR
#   KIROKU_BIN=build/bin          where kiroku-extract and its plugins/ are
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
accuracy="$here/ocr/accuracy.py"

RUNS=${BENCH_RUNS:-3}
LANGUAGES=${BENCH_LANGUAGES:-jpn+jpn_vert+eng}
THREADS=${BENCH_THREADS:-1}
BIN=${KIROKU_BIN:-$root/build/bin}
corpus="$root/tests/corpus"
fixtures="$root/tests/ocr"
truths="$fixtures/truth"

if [[ -n "${BENCH_OUT:-}" ]]; then
    out=$BENCH_OUT
    mkdir -p "$out"
else
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
export OMP_THREAD_LIMIT=$THREADS

[[ -x "$BIN/kiroku-extract" ]] || { echo "no $BIN/kiroku-extract: run make build first" >&2; exit 1; }
check=$("$BIN/kiroku-extract" --ocr --ocr-languages "$LANGUAGES" --check) ||
    { echo "Kiroku: $check" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract is not installed (apt-get install tesseract-ocr)" >&2; exit 1; }
have_gs=1; command -v gs >/dev/null || have_gs=0
have_ocrmypdf=1; command -v ocrmypdf >/dev/null || have_ocrmypdf=0
[[ $have_ocrmypdf == 1 ]] || echo "ocrmypdf is not installed: its columns are n/a (apt-get install ocrmypdf)"
[[ $have_gs == 1 ]] || echo "Ghostscript is not installed: tesseract cannot be given the PDFs (n/a)"

# A scan of `pages` A4 pages, each the same JPEG (1240 x 1754, colour), and no text layer.
make_scan() {  # make_scan JPEG PAGES OUT
    python3 - "$@" <<'EOF'
import sys
jpeg = open(sys.argv[1], "rb").read()
pages, path = int(sys.argv[2]), sys.argv[3]
out, offsets = bytearray(b"%PDF-1.4\n"), []
def obj(body):
    offsets.append(len(out))
    out.extend(b"%d 0 obj\n" % len(offsets) + body + b"\nendobj\n")
obj(b"<< /Type /Catalog /Pages 2 0 R >>")
kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
obj(b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
obj(b"<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceRGB "
    b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpeg) + jpeg +
    b"\nendstream")
content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
for i in range(pages):
    obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << "
        b"/Im0 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
    obj(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
xref = len(out)
out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
for o in offsets:
    out.extend(b"%010d 00000 n \n" % o)
out.extend(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
open(path, "wb").write(out)
EOF
}

notice="$corpus/緑町自治区/回覧/敬老会のご案内.jpg"
make_scan "$notice" 4 "$out/scan-4pages.pdf"
for _ in 1 2 3 4; do cat "$truths/敬老会のご案内.txt"; done >"$out/scan-4pages.truth"

# name|file|truth|pages
documents=(
    "scanned form (PDF, 150 dpi)|$corpus/緑町自治区/申請書/カーブミラー設置要望書（スキャン）.pdf|$truths/カーブミラー設置要望書（スキャン）.txt|1"
    "notice (JPEG)|$notice|$truths/敬老会のご案内.txt|1"
    "notice, tilted 4° and shaded|$fixtures/敬老会のご案内（写真・傾き4度）.jpg|$truths/敬老会のご案内.txt|1"
    "notice, sideways + Exif|$fixtures/敬老会のご案内（横向き・Exif）.jpg|$truths/敬老会のご案内.txt|1"
    "notice (HEIC)|$fixtures/敬老会のご案内.heic|$truths/敬老会のご案内.txt|1"
    "vertical writing (PNG)|$fixtures/縦書きの回覧.png|$truths/縦書きの回覧.txt|1"
    "English notice (PNG)|$fixtures/英語の回覧.png|$truths/英語の回覧.txt|1"
    "4-page scan (PDF)|$out/scan-4pages.pdf|$out/scan-4pages.truth|4"
)

now() { date +%s.%N; }

# Each tool writes its text to $3 and returns non-zero when it cannot read the file.
run_kiroku() {  # run_kiroku FILE OUT
    "$BIN/kiroku-extract" --ocr --ocr-languages "$LANGUAGES" --print "$1" >"$2.raw" 2>"$2.err" || true
    tail -n +2 "$2.raw" >"$2"
    ! head -1 "$2.raw" | grep -q '): error: '
}
run_tesseract() {  # run_tesseract FILE OUT IMAGES_DIR
    local file=$1 text=$2 pages=$3
    case "$file" in
        *.heic) return 1 ;;
        *.pdf)
            [[ $have_gs == 1 ]] || return 1
            : >"$text"
            for page in "$pages"/page-*.png; do
                tesseract "$page" - -l "$LANGUAGES" >>"$text" 2>/dev/null || return 1
            done ;;
        *) tesseract "$file" - -l "$LANGUAGES" >"$text" 2>/dev/null ;;
    esac
}
run_ocrmypdf() {  # run_ocrmypdf FILE OUT
    [[ $have_ocrmypdf == 1 && "$1" == *.pdf ]] || return 1
    ocrmypdf -q -l "$LANGUAGES" --force-ocr --output-type pdf --jobs "$THREADS" \
        --sidecar "$2" "$1" "$2.pdf" 2>"$2.err"
}

results="$out/results.tsv"
: >"$results"
echo "OCR benchmark: $RUNS runs, languages $LANGUAGES, OMP_THREAD_LIMIT=$THREADS; $check"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!documents[@]}"; do
    IFS='|' read -r _ file _ _ <<<"${documents[$i]}"
    mkdir -p "$out/pages-$i"
    if [[ "$file" == *.pdf && $have_gs == 1 ]]; then
        gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pnggray -r300 \
            -sOutputFile="$out/pages-$i/page-%03d.png" "$file"
    fi
done
for run in $(seq "$RUNS"); do
    for i in "${!documents[@]}"; do
        IFS='|' read -r name file truth pages <<<"${documents[$i]}"
        for tool in kiroku tesseract ocrmypdf; do
            text="$out/$tool-$i.txt"
            start=$(now)
            if "run_$tool" "$file" "$text" "$out/pages-$i"; then
                seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
                acc=$(python3 "$accuracy" "$truth" "$text")
            else
                seconds=n/a
                acc=n/a
            fi
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$name" "$tool" "$pages" "$seconds" "$acc" >>"$results"
        done
    done
    echo "run $run of $RUNS done"
done

python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
tools = ["kiroku", "tesseract", "ocrmypdf"]
docs, cells = [], {}
for i, name, tool, pages, seconds, acc in rows:
    if (i, name) not in docs:
        docs.append((i, name))
    cells.setdefault((i, tool), []).append((int(pages), seconds, acc))
def cell(i, tool):
    runs = cells.get((i, tool), [])
    times = [float(s) for _, s, _ in runs if s != "n/a"]
    if not times:
        return None, None
    pages = runs[0][0]
    return float(runs[-1][2]), statistics.median(times) / pages
print()
print(f"{'document':<32} | {'Kiroku':>15} | {'tesseract CLI':>15} | {'ocrmypdf':>15}")
print(f"{'':<32} | {'acc.   s/page':>15} | {'acc.   s/page':>15} | {'acc.   s/page':>15}")
print("-" * 32 + ("-+-" + "-" * 15) * 3)
sums = {t: [] for t in tools}
for i, name in docs:
    line = f"{name:<32}"
    for tool in tools:
        acc, per_page = cell(i, tool)
        if acc is None:
            line += f" | {'n/a':>15}"
        else:
            line += f" | {acc:>6.3f} {per_page:>7.2f} s"
            sums[tool].append((i, acc, per_page))
    print(line)
print("-" * 32 + ("-+-" + "-" * 15) * 3)
shared = set.intersection(*(set(i for i, _, _ in sums[t]) for t in ("kiroku", "tesseract")))
line = f"{'mean where tesseract reads too':<32}"
for tool in tools:
    values = [(a, p) for i, a, p in sums[tool] if i in shared]
    if tool == "ocrmypdf" or not values:
        line += f" | {'':>15}"
    else:
        line += f" | {statistics.mean(a for a, _ in values):>6.3f} {statistics.mean(p for _, p in values):>7.2f} s"
print(line)
EOF
echo
echo "accuracy: 1 - edit distance / length, NFKC, whitespace removed; s/page: median wall time"
echo "of the whole command (loading included) / pages. Texts and timings: ${BENCH_OUT:-(set BENCH_OUT to keep them)}"
