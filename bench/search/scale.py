#!/usr/bin/env python3
"""Helpers for bench/search-scale.sh (search as the corpus grows: 1x, 10x, 50x).

Standard library only; shares the corpus and the recall check with searchbench.py.
Subcommands:

  copies CORPUS N FILES MANIFEST GROONGA.grn TOKENIZER online|static [SJIS_MIRROR]
      Writes N copies of the corpus (searchbench.py corpus) into FILES: copy K of each
      file is FILES/copyK/<its path>, in its own encoding (Shift_JIS stays Shift_JIS),
      with one line 「写し K」 appended, so no two documents are the same. MANIFEST: one
      line a copy (path, encoding, bytes, K). GROONGA.grn: the Groonga command file for
      the same texts decoded to UTF-8 (table Docs, TOKENIZER + NormalizerAuto,
      WITH_POSITION index made before the load: online, or after it: static).
      SJIS_MIRROR: the Shift_JIS copies decoded to UTF-8 there, for grep.
      Prints "FILES BYTES".
  paths QUERIES.tsv OUTDIR LIMIT GROONGA_COLUMNS GROONGA_CACHE
      Reads the queries (kind<TAB>query) and writes OUTDIR/queries.tsv (kind, query,
      Kiroku request path, Groonga request path) and, per kind, OUTDIR/kiroku-KIND.txt
      and OUTDIR/groonga-KIND.txt (request paths for bench/search/search.lua).
  reference MANIFEST FILES SJIS_MIRROR QUERIES.tsv PER_KIND OUT.json
      The reference sets of the first PER_KIND queries of each kind, in the format of
      searchbench.py reference (so searchbench.py kiroku-check takes them): every copy
      whose normalised text or name contains the query (searchbench.py's normalisation:
      NFKC, casefold, katakana -> hiragana, no whitespace), and grep -rlF's files
      (Shift_JIS ones through SJIS_MIRROR). Streams the files on every CPU.
  report RESULTS.tsv QUERIES.tsv
      Prints the tables and the targets from the figures search-scale.sh collected.
"""

import json
import multiprocessing
import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse

sys.dont_write_bytecode = True   # no __pycache__ left in bench/search/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import searchbench  # noqa: E402  (read_manifest, pad)

KINDS = [  # id, label (the table)
    ("rare", "rare words"),
    ("common", "common (indexed bigram)"),
    ("frequent", "frequent bigrams only"),
    ("onechar", "one character"),
    ("ascii", "ASCII"),
]
KIND_LABEL = dict(KINDS)
KIND_SHORT = {"rare": "rare", "common": "common", "frequent": "frequent", "onechar": "one char",
              "ascii": "ASCII"}
# Targets (issue 14), judged at the largest size run.
TARGET_P99_MS = 30.0
TARGET_FIRST_MS = 100.0
TARGET_RSS_MB = 100.0         # MiB, kirokud's VmRSS after the load
TARGET_DOCS_PER_S = 1100.0
TARGET_DOCS = 95000           # "about 95 k documents" (50x)


def die(msg):
    print("scale.py: ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


# ------------------------------------------------------------------ normalisation

_KATA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}
_SPACE = re.compile(r"\s+")   # str patterns: \s is exactly str.isspace()


def normalise(s):
    """searchbench.normalise, in C loops: NFKC, casefold, katakana -> hiragana, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", s).casefold().translate(_KATA))


# ------------------------------------------------------------------ queries

def read_queries(path):
    """[(kind, query)] in file order; '#' starts a comment line."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[1].strip():
                die("%s:%d: expected kind<TAB>query" % (path, n))
            kind, q = parts[0].strip(), parts[1].strip()
            if kind not in KIND_LABEL:
                die("%s:%d: unknown kind %r (one of %s)" % (path, n, kind, ", ".join(KIND_LABEL)))
            if not normalise(q):
                die("%s:%d: the query normalises to nothing" % (path, n))
            out.append((kind, q))
    for kind, _ in KINDS:
        if not any(k == kind for k, _ in out):
            die("%s: no query of kind %s" % (path, kind))
    return out


def cmd_paths(args):
    qfile, outdir, limit, columns, cache = args
    queries = read_queries(qfile)
    os.makedirs(outdir, exist_ok=True)
    per = {}
    with open(os.path.join(outdir, "queries.tsv"), "w", encoding="utf-8") as fh:
        for kind, q in queries:
            kp = "/api/search?" + urllib.parse.urlencode({"q": q, "limit": limit})
            gp = "/d/select?" + urllib.parse.urlencode([
                ("table", "Docs"), ("match_columns", "body"), ("query", q),
                ("sort_keys", "-_score"), ("output_columns", columns), ("limit", limit),
                ("cache", cache)])
            fh.write("%s\t%s\t%s\t%s\n" % (kind, q, kp, gp))
            per.setdefault(kind, []).append((kp, gp))
    for kind, rows in per.items():
        with open(os.path.join(outdir, "kiroku-%s.txt" % kind), "w") as fk, \
                open(os.path.join(outdir, "groonga-%s.txt" % kind), "w") as fg:
            for kp, gp in rows:
                fk.write(kp + "\n")
                fg.write(gp + "\n")


# ------------------------------------------------------------------ copies

def groonga_schema(tokenizer):
    return ("table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer %s "
            "--normalizer NormalizerAuto\n"
            "column_create Terms docs_body COLUMN_INDEX|WITH_POSITION Docs body\n" % tokenizer)


def cmd_copies(args):
    if len(args) not in (7, 8):
        die("copies CORPUS N FILES MANIFEST GROONGA.grn TOKENIZER online|static [SJIS_MIRROR]")
    corpus, n, files, manifest, grn, tokenizer, mode = args[:7]
    mirror = args[7] if len(args) == 8 else None
    n = int(n)
    if mode not in ("online", "static"):
        die("copies: the index mode must be online or static")
    rows = searchbench.read_manifest(corpus)
    base = []
    for path, enc, _, _ in rows:
        with open(os.path.join(corpus, "files", path), "rb") as fh:
            data = fh.read()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        base.append((path, enc, data))
    total_files, total_bytes = 0, 0
    made = set()
    with open(manifest, "w", encoding="utf-8") as man, open(grn, "w", encoding="utf-8") as g:
        g.write("table_create Docs TABLE_HASH_KEY ShortText\n")
        g.write("column_create Docs body COLUMN_SCALAR LongText\n")
        if mode == "online":
            g.write(groonga_schema(tokenizer))
        g.write("load --table Docs\n[\n")
        first = True
        for k in range(1, n + 1):
            for path, enc, data in base:
                codec = "cp932" if enc == "sjis" else "utf-8"
                body = data + ("写し %d\n" % k).encode(codec)
                rel = "copy%d/%s" % (k, path)
                full = os.path.join(files, rel)
                d = os.path.dirname(full)
                if d not in made:
                    os.makedirs(d, exist_ok=True)
                    made.add(d)
                with open(full, "wb") as fh:
                    fh.write(body)
                text = body.decode(codec, errors="replace")
                if mirror and enc == "sjis":
                    m = os.path.join(mirror, rel)
                    os.makedirs(os.path.dirname(m), exist_ok=True)
                    with open(m, "w", encoding="utf-8") as fh:
                        fh.write(text)
                if not first:
                    g.write(",\n")
                first = False
                g.write(json.dumps({"_key": rel, "body": text}, ensure_ascii=False))
                man.write("%s\t%s\t%d\t%d\n" % (rel, enc, len(body), k))
                total_files += 1
                total_bytes += len(body)
        g.write("\n]\n")
        if mode == "static":
            g.write(groonga_schema(tokenizer))
    print(total_files, total_bytes)


# ------------------------------------------------------------------ reference

_WORK = {}


def _init_worker(files, queries):
    _WORK["files"] = files
    _WORK["queries"] = queries


def _match(row):
    path, enc = row
    with open(os.path.join(_WORK["files"], path), "rb") as fh:
        text = normalise(fh.read().decode("cp932" if enc == "sjis" else "utf-8", errors="replace"))
    name = normalise(os.path.basename(path))
    return path, [i for i, nq in enumerate(_WORK["queries"]) if nq in text or nq in name]


def cmd_reference(args):
    manifest, files, mirror, qfile, per_kind, out = args
    per_kind = int(per_kind)
    sample, seen = [], {}
    for kind, q in read_queries(qfile):
        if seen.get(kind, 0) < per_kind:
            sample.append(q)
            seen[kind] = seen.get(kind, 0) + 1
    rows = []
    with open(manifest, encoding="utf-8") as fh:
        for line in fh:
            path, enc, _, _ = line.rstrip("\n").split("\t")
            rows.append((path, enc))
    norm = [normalise(q) for q in sample]
    ref = [[] for _ in sample]
    with multiprocessing.Pool(os.cpu_count() or 2, _init_worker, (files, norm)) as pool:
        for path, hits in pool.imap_unordered(_match, rows, chunksize=64):
            for i in hits:
                ref[i].append(path)
    utf8_dirs = sorted(d for d in os.listdir(files) if os.path.isdir(os.path.join(files, d, "utf8")))
    utf8_dirs = [d + "/utf8" for d in utf8_dirs]
    env = dict(os.environ, LC_ALL="C.UTF-8")
    result = {"files": {p: e for p, e in rows}, "queries": []}
    for q, nq, r in zip(sample, norm, ref):
        grep = []
        for cwd, targets in ((files, utf8_dirs), (mirror, ["."])):
            if not targets or not os.path.isdir(cwd):
                continue
            p = subprocess.run(["grep", "-rlF", "--", q] + targets, cwd=cwd,
                               stdout=subprocess.PIPE, env=env)
            if p.returncode not in (0, 1):
                die("grep failed for " + q)
            for line in p.stdout.decode("utf-8").splitlines():
                if line:
                    grep.append(line[2:] if line.startswith("./") else line)
        r.sort()
        grep.sort()
        not_ref = sorted(set(grep) - set(r))
        result["queries"].append({"q": q, "norm": nq, "ref": r, "grep": grep, "grep_not_ref": not_ref})
        if not_ref:
            print("warning: grep finds %d file(s) for %s that the reference matcher does not: %s"
                  % (len(not_ref), q, ", ".join(not_ref[:3])), file=sys.stderr)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False)
    print("%s %7s %7s %7s" % (searchbench.pad("query", 16), "ref", "grep", "sjis"))
    for qr in result["queries"]:
        print("%s %7d %7d %7d" % (searchbench.pad(qr["q"], 16), len(qr["ref"]), len(qr["grep"]),
                                   sum(1 for p in qr["ref"] if result["files"][p] == "sjis")))


# ------------------------------------------------------------------ report

def fnum(v, fmt="%.1f", missing="-"):
    try:
        return fmt % float(v)
    except (TypeError, ValueError):
        return missing


def cmd_report(args):
    results, qfile = args
    here = os.path.dirname(os.path.abspath(results))   # the recall files sit beside it
    r = {}
    with open(results, encoding="utf-8") as fh:
        for line in fh:
            k, _, v = line.rstrip("\n").partition("\t")
            r[k] = v
    queries = read_queries(qfile)
    scales = [int(s) for s in r["scales"].split()]
    done = [n for n in scales if ("%d.docs" % n) in r]
    mib = lambda b: float(b) / 1048576.0  # noqa: E731
    W = lambda s, w: searchbench.pad(s, w)  # noqa: E731

    print()
    print("Kiroku search as the corpus grows (issue 14), %s CPUs, %s GiB RAM; load average at the start: %s"
          % (r["cpus"], r["ram_gib"], r["load_start"]))
    print("Corpus: bench/search.sh's, {:,} files ({:,} Shift_JIS), {:.1f} MiB, copied N times: copy K of a"
          .format(int(r["corpus_files"]), int(r["corpus_sjis"]), mib(r["corpus_bytes"])))
    print("        file is copyK/<its path>, in its own encoding, with a line 「写し K」 appended")
    print("Queries: %s, %d in %d kinds" % (r["queries_file"], len(queries), len(KINDS)))
    print("Groonga %s: %s + NormalizerAuto, %s index; select --match_columns body"
          % (r["groonga_version"], r["tokenizer"], r["groonga_index"]))
    print("         --query Q --sort_keys -_score --output_columns %s --limit %s --cache %s"
          % (r["groonga_columns"], r["limit"], r["groonga_cache"]))
    print()

    # 1. indexing and memory
    print("1. Indexing and memory (page cache warm; one run each)")
    print("   %-5s %-8s %7s %8s %9s %8s %7s %14s %10s %6s %13s"
          % ("size", "engine", "docs", "text MiB", "index s", "CPU s", "docs/s", "peak MiB", "index MiB",
             "/text", "RSS after MiB"))
    for n in done:
        p = "%d." % n
        docs, text = float(r[p + "docs"]), float(r[p + "text_bytes"])
        for e, label in (("kiroku", "Kiroku"), ("groonga", "Groonga")):
            q = p + e + "."
            if (q + "wall") not in r:
                continue
            wall = float(r[q + "wall"])
            peak = "%.0f (%.0f)" % (float(r[q + "tree_kb"]) / 1024, float(r[q + "maxrss_kb"]) / 1024)
            print("   %-5s %-8s %7d %8.1f %9.2f %8.1f %7.0f %14s %10.1f %6.2f %13s"
                  % ("%dx" % n if e == "kiroku" else "", label, docs, mib(text), wall, float(r[q + "cpu"]),
                     docs / wall if wall > 0 else 0, peak, mib(r[q + "index_bytes"]),
                     float(r[q + "index_bytes"]) / text, fnum(float(r.get(q + "rss_kb", "nan")) / 1024)))
    print("   Kiroku: kiroku reindex after kiroku check --repair (%s); peak = the RSS sum of kiroku and"
          % ", ".join("%dx %s s" % (n, fnum(r.get("%d.check_s" % n), "%.1f")) for n in done))
    print("   its kiroku-extract workers sampled every 0.2 s (largest single process, GNU time, in")
    print("   brackets); index = du -sb DATA/index; RSS after = kirokud's VmRSS after the wrk runs")
    print("   (after its start-up: %s%s)." % (
        ", ".join("%dx %s MiB" % (n, fnum(float(r.get("%d.kiroku.rss_start_kb" % n, "nan")) / 1024)) for n in done),
        "; after the recall check at %dx: %s MiB" % (max(done), fnum(float(r["%d.kiroku.rss_recall_kb" % max(done)]) / 1024))
        if done and ("%d.kiroku.rss_recall_kb" % max(done)) in r else ""))
    print("   Groonga: groonga -n DB < load file (texts decoded beforehand); index = du -sb DB (sparse")
    print("   files: %s on disk); RSS after = the HTTP server's VmRSS after its wrk runs."
          % ", ".join("%dx %.0f MiB" % (n, float(r["%d.groonga.disk_kb" % n]) / 1024) for n in done
                      if ("%d.groonga.disk_kb" % n) in r))
    print()

    # 2. search latency per kind
    print("2. Search latency per kind: wrk -t%s -c%s, %s s per kind and engine after %s s warm-up, cycling"
          % (r["threads"], r["conns"], r["duration"], r["warmup"]))
    print("   through the kind's queries, %s hits a page (Kiroku GET /api/search as an administrator);"
          % r["limit"])
    print("   first = the slowest first time one of the kind's queries was asked (one client, just after the")
    print("   server started); the kinds run in turn, Kiroku then Groonga for each. Load average before")
    print("   the first times: %s." % "; ".join("%dx %s" % (n, r.get("%d.load_wrk" % n, "?")) for n in done))
    busy = [n for n in done if float(r.get("%d.load_wrk" % n, "0").split()[0]) > float(r["cpus"])]
    if busy:
        print("   WARNING: the load average was above the %s CPUs (%s): other work shared the machine, so the"
              % (r["cpus"], ", ".join("%dx" % n for n in busy)))
        print("   latencies, p99 most, are noisy; repeat on an idle machine before judging a target.")
    print("   %-5s %s %3s | %8s %7s %7s %6s | %8s %7s %7s %6s | %s"
          % ("size", W("kind", 23), "qs", "first ms", "p50 ms", "p99 ms", "req/s", "first ms", "p50 ms", "p99 ms",
             "req/s", "Kiroku÷Groonga p99"))
    print("   %-5s %s %3s | %-31s | %-31s |" % ("", W("", 23), "", "Kiroku", "Groonga"))
    for n in done:
        for kind, label in KINDS:
            cells = []
            for e in ("kiroku", "groonga"):
                firsts = [float(r.get("%d.%s.first.%d" % (n, e, i), "nan")) for i, (k, _) in enumerate(queries)
                          if k == kind]
                cells.append("%8s %7s %7s %6s" % (fnum(max(firsts)), fnum(r.get("%d.%s.%s.p50" % (n, e, kind)), "%.2f"),
                                                  fnum(r.get("%d.%s.%s.p99" % (n, e, kind)), "%.2f"),
                                                  fnum(r.get("%d.%s.%s.rps" % (n, e, kind)), "%.0f")))
            ratio = "-"
            try:
                ratio = "%.2f" % (float(r["%d.kiroku.%s.p99" % (n, kind)]) / float(r["%d.groonga.%s.p99" % (n, kind)]))
            except (KeyError, ValueError, ZeroDivisionError):
                pass
            print("   %-5s %s %3d | %s | %s | %s" % ("%dx" % n if kind == KINDS[0][0] else "", W(label, 23),
                                                   sum(1 for k, _ in queries if k == kind), cells[0], cells[1], ratio))
    errs = [(k, v) for k, v in r.items() if k.endswith(".errors") and v not in ("0", "")]
    for k, v in errs:
        print("   WARNING: %s: %s failed requests (non-2xx or socket errors); its latencies include them" % (k[:-7], v))
    print()
    print("   Each query: the first time it was asked and its hits, Kiroku/Groonga")
    head = "   %s %s" % (W("kind", 9), W("query", 14))
    for n in done:
        head += " | %-25s" % ("%dx: first ms, hits" % n)
    print(head)
    for i, (kind, q) in enumerate(queries):
        line = "   %s %s" % (W(KIND_SHORT[kind], 9), W(q, 14))
        for n in done:
            line += " | %9s %15s" % (
                "%s/%s" % (fnum(r.get("%d.kiroku.first.%d" % (n, i)), "%.0f"), fnum(r.get("%d.groonga.first.%d" % (n, i)), "%.0f")),
                "%s/%s" % (r.get("%d.kiroku.hits.%d" % (n, i), "-"), r.get("%d.groonga.hits.%d" % (n, i), "-")))
        print(line)
    print("   (Kiroku's hits also count file names and words broken by a line end, as the reference")
    print("   matcher does; Groonga's count only the text as its tokenizer cuts it)")
    print()

    # 3. recall / precision
    big = max(done) if done else None
    rec_ok = None
    print("3. Recall / precision at the largest size (%s), the first %s queries of each kind"
          % ("%dx" % big if big else "-", r.get("recall_per_kind", "2")))
    if big is not None and r.get("%d.recall_txt" % big):
        with open(os.path.join(here, r["%d.recall_txt" % big]), encoding="utf-8") as fh:
            for line in fh:
                print("   " + line.rstrip("\n"))
        with open(os.path.join(here, r["%d.recall_json" % big]), encoding="utf-8") as fh:
            o = json.load(fh)["overall"]
        rec_ok = (o["found"] == o["ref"], o["correct"] == o["hits"], o["grep_missed"] == 0, o)
        with open(os.path.join(here, r["%d.reference_json" % big]), encoding="utf-8") as fh:
            pages = sum(max(1, -(-len(q["ref"]) // 200)) for q in json.load(fh)["queries"])
        print("   (the check took %s s: about %d requests of 200 hits)" % (r.get("%d.recall_s" % big, "?"), pages))
        print("   ref = reference matcher (searchbench.py's normalisation, substring, text or name) over every")
        print("   copy; grep = grep -rlF (Shift_JIS copies decoded); Kiroku's list is all pages of /api/search.")
    else:
        print("   not run (%s)" % r.get("recall_skip", "no data"))
    print()

    # targets
    if big is None:
        return
    p = "%d." % big
    docs = float(r[p + "docs"])
    print("Targets (Kiroku, at {}x: {:,.0f} documents{})".format(
        big, docs, "" if docs >= 0.9 * TARGET_DOCS else "; the issue's targets are for about 95 k: 50x"))
    print("  (* = missed)")

    def target(ok, text):
        print("  %-7s %s" % ("ok" if ok else "MISSED", text))

    def per_kind(key_fn, good_fn, unit, fmt="%.1f"):
        vals, ok = [], True
        for kind, label in KINDS:
            v = key_fn(kind)
            good = v is not None and good_fn(v)
            ok = ok and good
            vals.append("%s %s%s" % (KIND_SHORT[kind], "-" if v is None else (fmt % v), "" if good else "*"))
        return ok, ", ".join(vals) + " " + unit

    def get(key):
        try:
            return float(r[key])
        except (KeyError, ValueError):
            return None

    ok, s = per_kind(lambda k: get(p + "kiroku.%s.p99" % k), lambda v: v < TARGET_P99_MS, "ms")
    target(ok, "p99 under %.0f ms for every kind at %s clients: %s" % (TARGET_P99_MS, r["conns"], s))

    def first_max(kind):
        v = [get(p + "kiroku.first.%d" % i) for i, (k, _) in enumerate(queries) if k == kind]
        return None if any(x is None for x in v) else max(v)
    ok, s = per_kind(first_max, lambda v: v < TARGET_FIRST_MS, "ms")
    target(ok, "first-time latency under %.0f ms (slowest of each kind): %s" % (TARGET_FIRST_MS, s))

    def ratio(kind):
        a, b = get(p + "kiroku.%s.p99" % kind), get(p + "groonga.%s.p99" % kind)
        return None if a is None or not b else a / b
    ok, s = per_kind(ratio, lambda v: v <= 1.0, "(Kiroku÷Groonga)", "%.2f")
    target(ok, "p99 at or below Groonga's for every kind: %s" % s)
    rss = get(p + "kiroku.rss_kb")
    target(rss is not None and rss / 1024 < TARGET_RSS_MB,
           "kirokud under %.0f MiB after the load: %s MiB VmRSS" % (TARGET_RSS_MB, fnum(None if rss is None else rss / 1024)))
    wall = get(p + "kiroku.wall")
    rate = docs / wall if wall else 0
    target(rate >= TARGET_DOCS_PER_S, "indexing at least {:,.0f} documents/s: {:,.0f} ({:,.0f} in {:.1f} s)".format(
        TARGET_DOCS_PER_S, rate, docs, wall or 0))
    if rec_ok is None:
        target(False, "recall and precision 1.0: not measured (%s)" % r.get("recall_skip", "no data"))
    else:
        o = rec_ok[3]
        target(rec_ok[0] and rec_ok[1] and rec_ok[2],
               "recall and precision 1.0 on the sample: recall %d/%d, precision %d/%d, grep's files kept %d/%d"
               % (o["found"], o["ref"], o["correct"], o["hits"], o["grep"] - o["grep_missed"], o["grep"]))
    if any(n != big for n in scales if n not in done):
        print("  (sizes not run: %s)" % " ".join("%dx" % n for n in scales if n not in done))


def main():
    if len(sys.argv) < 2:
        die("usage: scale.py copies|paths|reference|report ...")
    fn = {"copies": cmd_copies, "paths": cmd_paths, "reference": cmd_reference,
          "report": cmd_report}.get(sys.argv[1])
    if fn is None:
        die("unknown subcommand " + sys.argv[1])
    fn(sys.argv[2:])


if __name__ == "__main__":
    main()
