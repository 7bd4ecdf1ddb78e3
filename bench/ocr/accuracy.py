#!/usr/bin/env python3
"""Character accuracy of OCR output against its ground truth, as bench/ocr.sh reports it.

accuracy.py TRUTH [OUTPUT]  (OUTPUT defaults to stdin) prints 1 - edit distance / length
of the truth, both compared as Unicode NFKC without any whitespace (Kiroku's search drops
whitespace, and Tesseract's spaces between Japanese words are not errors of reading), at
least 0, with four decimals.
"""
import sys
import unicodedata


def normalise(text):
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace())


def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        truth = normalise(f.read())
    if len(sys.argv) > 2:
        with open(sys.argv[2], encoding="utf-8", errors="replace") as f:
            output = normalise(f.read())
    else:
        output = normalise(sys.stdin.read())
    print(f"{max(0.0, 1 - edit_distance(truth, output) / max(len(truth), 1)):.4f}")


if __name__ == "__main__":
    main()
