#!/usr/bin/env python3
"""Helpers for bench/search.sh (Japanese full-text search benchmark).

Standard library only. Subcommands:

  corpus OUT [--files N] [--sjis M]
      Build the corpus: Debian's manpages-ja(-dev) rendered to UTF-8 text with groff,
      plus the plain-text Japanese Debian manuals split into ~16 KB sections;
      M of the files (spread evenly) stored as Shift_JIS (CP932) instead of UTF-8,
      skipping files that do not convert. Layout: OUT/files/utf8/..., OUT/files/sjis/...,
      OUT/manifest.tsv (relpath, encoding, bytes, source).
  reference CORPUS QUERIES OUT.json
      Reference match sets (NFKC, casefold, katakana->hiragana, no whitespace,
      substring, in the content or the name) and grep -rlF sets (UTF-8 files; the
      Shift_JIS files through iconv -f CP932) for every query.
  kiroku-check REF.json URL USER PASS PREFIX OUT.json
      Runs every query through GET /api/search (paging with limit=200), compares with
      the reference and grep sets; prints the per-query table and recall/precision per
      encoding and overall; writes the figures to OUT.json.
  measure OUT.json -- CMD...
      Runs CMD under /usr/bin/time -v and samples the RSS of its whole process tree
      every 0.2 s; writes wall and CPU (user + system, GNU time) seconds, the largest
      single-process max RSS (GNU time)
      and the peak RSS sum of the tree (sampled) in kB.
  groonga-load CORPUS OUT.grn [online|static]
      Groonga command file: the Docs table and its TokenBigram + NormalizerAuto index
      (made before the load: online, or after it: static), the texts loaded as JSON
      (Shift_JIS files decoded as CP932).
  wrk-paths QUERIES PREFIX LIMIT
      One request path a line (percent-encoded) for the wrk Lua script.
  groonga-check GROONGA DB QUERY
      (debug) number of Groonga hits for QUERY.
"""

import concurrent.futures
import gzip
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
import base64

MAN_ROOT = "/usr/share/man/ja"
# Plain-text Japanese Debian manuals (package: file); split into sections.
DOC_TEXTS = [
    ("debian-reference-ja", "/usr/share/debian-reference/debian-reference.ja.txt.gz"),
    ("developers-reference-ja", "/usr/share/developers-reference/ja/developers-reference.txt.gz"),
    ("maint-guide-ja", "/usr/share/doc/maint-guide-ja/maint-guide.ja.txt.gz"),
    ("debian-faq-ja", "/usr/share/doc/debian/FAQ/debian-faq.ja.txt.gz"),
]
DOC_CHUNK = 16 * 1024          # target section size in bytes (UTF-8)
MIN_TEXT = 64                  # rendered pages shorter than this are dropped
RENDER = ("preconv -e UTF-8 | tbl | groff -mandoc -Tutf8 -rLL=78n -rHY=0 2>/dev/null | col -bx")


def die(msg):
    print("searchbench.py: ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


# ------------------------------------------------------------------ normalisation

def normalise(s):
    """The reference normalisation: NFKC, casefold, katakana -> hiragana, no whitespace."""
    s = unicodedata.normalize("NFKC", s).casefold()
    out = []
    for ch in s:
        c = ord(ch)
        if 0x30A1 <= c <= 0x30F6:
            out.append(chr(c - 0x60))
        elif ch.isspace():
            continue
        else:
            out.append(ch)
    return "".join(out)


def sanitise_name(name):
    """A file name Kiroku accepts: NFC, no control chars, no <>:"|?*\\, no trailing dot/space."""
    name = unicodedata.normalize("NFC", name)
    name = "".join("_" if (ord(c) < 0x20 or ord(c) == 0x7F or c in '<>:"|?*\\/') else c
                   for c in name)
    name = name.rstrip(". ")
    return name or "_"


def pad(s, width):
    """S padded with spaces to WIDTH terminal columns (East Asian wide = 2)."""
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    return s + " " * max(0, width - w)


# ------------------------------------------------------------------ corpus

def read_roff(path, depth=0):
    """The page's roff source; a page that is only `.so OTHER` is OTHER's source."""
    with gzip.open(os.path.join(MAN_ROOT, path), "rb") as fh:
        data = fh.read()
    lines = [l for l in data.splitlines() if l.strip() and not l.startswith(b'.\\"')]
    if depth < 3 and len(lines) == 1 and lines[0].startswith(b".so "):
        target = lines[0][4:].strip().decode("utf-8", "replace")
        for cand in (target + ".gz", target):
            if os.path.isfile(os.path.join(MAN_ROOT, cand)):
                return read_roff(cand, depth + 1) if cand.endswith(".gz") else open(
                    os.path.join(MAN_ROOT, cand), "rb").read()
    return data


def render_man(path):
    r = subprocess.run(["sh", "-c", RENDER], cwd=MAN_ROOT, input=read_roff(path),
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        text = r.stdout.decode("utf-8")
    except UnicodeDecodeError:
        text = r.stdout.decode("utf-8", errors="replace")
    return text


def split_doc(text, size):
    """Sections of about SIZE bytes, cut at blank lines."""
    paras = re.split(r"(\n\s*\n)", text)
    chunks, cur, cur_len = [], [], 0
    for p in paras:
        cur.append(p)
        cur_len += len(p.encode("utf-8"))
        if cur_len >= size and p.strip() == "":
            chunks.append("".join(cur))
            cur, cur_len = [], 0
    if "".join(cur).strip():
        chunks.append("".join(cur))
    return [c.strip("\n") + "\n" for c in chunks if c.strip()]


def gunzip_text(path):
    r = subprocess.run(["zcat", "--", path], stdout=subprocess.PIPE, check=True)
    return r.stdout.decode("utf-8", errors="replace")


def spread(n_total, n_pick):
    """n_pick indices spread evenly over range(n_total)."""
    if n_pick >= n_total:
        return list(range(n_total))
    return sorted({(i * n_total) // n_pick for i in range(n_pick)})


def cmd_corpus(args):
    out = args[0]
    nfiles = None
    nsjis = 300
    i = 1
    while i < len(args):
        if args[i] == "--files":
            nfiles = int(args[i + 1]); i += 2
        elif args[i] == "--sjis":
            nsjis = int(args[i + 1]); i += 2
        else:
            die("corpus: unknown argument " + args[i])
    if not os.path.isdir(MAN_ROOT):
        die(MAN_ROOT + " missing (apt-get install manpages-ja manpages-ja-dev)")

    # Sources: (relpath, kind, source) ; kind "man" renders, "doc" carries its text.
    sources = []
    for d in sorted(os.listdir(MAN_ROOT)):
        dp = os.path.join(MAN_ROOT, d)
        if not (d.startswith("man") and os.path.isdir(dp)):
            continue
        for f in sorted(os.listdir(dp)):
            fp = os.path.join(dp, f)
            if f.endswith(".gz") and os.path.isfile(fp) and not os.path.islink(fp):
                rel = d + "/" + sanitise_name(f[:-3] + ".txt")
                sources.append((rel, "man", d + "/" + f))
    for pkg, path in DOC_TEXTS:
        if not os.path.isfile(path):
            die(path + " missing (apt-get install " + pkg + ")")
        for k, chunk in enumerate(split_doc(gunzip_text(path), DOC_CHUNK), 1):
            sources.append(("doc/" + sanitise_name("%s-%03d.txt" % (pkg, k)), "doc", chunk))
    if nfiles is not None:
        sources = [sources[k] for k in spread(len(sources), nfiles)]

    texts = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        futs = {ex.submit(render_man, s[2]): s[0] for s in sources if s[1] == "man"}
        for fut in concurrent.futures.as_completed(futs):
            texts[futs[fut]] = fut.result()
    for rel, kind, src in sources:
        if kind == "doc":
            texts[rel] = src
    kept = [(rel, kind, src) for rel, kind, src in sources if len(texts[rel].strip()) >= MIN_TEXT]

    # Shift_JIS: every k-th file; a file that does not convert is replaced by the next.
    want = set(spread(len(kept), min(nsjis, len(kept))))
    sjis = set()
    carry = 0
    for k, (rel, _, _) in enumerate(kept):
        if k in want:
            carry += 1
        if carry == 0:
            continue
        try:
            texts[rel].encode("cp932")
        except UnicodeEncodeError:
            continue
        sjis.add(rel)
        carry -= 1

    seen = set()
    rows = []
    for rel, kind, src in kept:
        enc = "sjis" if rel in sjis else "utf8"
        path = enc + "/" + rel
        if path.lower() in seen:
            die("duplicate name " + path)
        seen.add(path.lower())
        full = os.path.join(out, "files", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        data = texts[rel].encode("cp932" if enc == "sjis" else "utf-8")
        with open(full, "wb") as fh:
            fh.write(data)
        rows.append((path, enc, len(data), src if kind == "man" else "doc"))
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write("%s\t%s\t%d\t%s\n" % r)
    n_sj = sum(1 for r in rows if r[1] == "sjis")
    print("%d files (%d UTF-8, %d Shift_JIS), %d bytes" %
          (len(rows), len(rows) - n_sj, n_sj, sum(r[2] for r in rows)))


def read_manifest(corpus):
    rows = []
    with open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") as fh:
        for line in fh:
            path, enc, size, src = line.rstrip("\n").split("\t")
            rows.append((path, enc, int(size), src))
    return rows


def read_queries(path):
    qs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                qs.append(line)
    return qs


def decode_file(corpus, path, enc):
    with open(os.path.join(corpus, "files", path), "rb") as fh:
        data = fh.read()
    return data.decode("cp932" if enc == "sjis" else "utf-8", errors="replace")


# ------------------------------------------------------------------ reference

def cmd_reference(args):
    corpus, qfile, out = args
    rows = read_manifest(corpus)
    queries = read_queries(qfile)
    norm = {}
    for path, enc, _, _ in rows:
        norm[path] = (normalise(decode_file(corpus, path, enc)),
                      normalise(os.path.basename(path)))
    # grep's view of the Shift_JIS files: an iconv'd UTF-8 mirror.
    mirror = os.path.join(corpus, "grep-sjis")
    for path, enc, _, _ in rows:
        if enc != "sjis":
            continue
        dst = os.path.join(mirror, path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(os.path.join(corpus, "files", path), "rb") as src, open(dst, "wb") as fh:
            r = subprocess.run(["iconv", "-f", "CP932", "-t", "UTF-8"], stdin=src, stdout=fh)
            if r.returncode != 0:
                die("iconv -f CP932 failed on " + path)
    result = {"files": {p: e for p, e, _, _ in rows}, "queries": []}
    for q in queries:
        nq = normalise(q)
        if not nq:
            die("query normalises to nothing: " + q)
        ref = sorted(p for p, (body, name) in norm.items() if nq in body or nq in name)
        grep = []
        for base, prefix in ((os.path.join(corpus, "files", "utf8"), "utf8/"), (os.path.join(mirror, "sjis"), "sjis/")):
            if not os.path.isdir(base):
                continue
            r = subprocess.run(["grep", "-rlF", "--", q, "."], cwd=base, stdout=subprocess.PIPE,
                               env=dict(os.environ, LC_ALL="C.UTF-8"))
            if r.returncode not in (0, 1):
                die("grep failed for " + q)
            grep += [prefix + l[2:] for l in r.stdout.decode("utf-8").splitlines() if l]
        grep.sort()
        not_in_ref = sorted(set(grep) - set(ref))
        result["queries"].append({"q": q, "norm": nq, "ref": ref, "grep": grep,
                                  "grep_not_ref": not_in_ref})
        if not_in_ref:
            print("warning: grep finds %d file(s) for %s that the reference matcher does not: %s"
                  % (len(not_in_ref), q, ", ".join(not_in_ref[:3])), file=sys.stderr)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False)
    # A short table for the log.
    print("%s %6s %6s %6s" % (pad("query", 28), "ref", "grep", "sjis"))
    for qr in result["queries"]:
        print("%s %6d %6d %6d" % (pad(qr["q"], 28), len(qr["ref"]), len(qr["grep"]),
                                     sum(1 for p in qr["ref"] if result["files"][p] == "sjis")))


# ------------------------------------------------------------------ Kiroku check

def api_get(url, user, password, timeout=60):
    req = urllib.request.Request(url)
    tok = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    req.add_header("Authorization", "Basic " + tok)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode("utf-8"))


def kiroku_search(base, user, password, q):
    """All hit paths for q, paging with limit=200; returns (paths, total, pages).

    Past 10,000 matches the total is a lower bound (totalExact false) and more follow the
    page: paging goes on until a page is short; the last page's total is exact."""
    paths, offset, total, pages = [], 0, 0, 0
    while True:
        qs = urllib.parse.urlencode({"q": q, "limit": 200, "offset": offset})
        data = api_get(base + "/api/search?" + qs, user, password)
        pages += 1
        total = int(data.get("total", 0))
        exact = data.get("totalExact", True)
        hits = data.get("hits", [])
        paths += [h["path"] for h in hits]
        offset += len(hits)
        if not hits or len(hits) < 200 or (exact and offset >= total) or pages > 1000:
            break
    return paths, total, pages


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "n/a"


def cmd_kiroku_check(args):
    reff, base, user, password, prefix, out = args
    with open(reff, encoding="utf-8") as fh:
        ref = json.load(fh)
    files = ref["files"]
    prefix = "/" + prefix.strip("/") + "/"
    stats = {e: {"ref": 0, "found": 0, "hits": 0, "correct": 0, "grep": 0, "grep_missed": 0}
             for e in ("utf8", "sjis")}
    problems = []
    n_foreign = 0
    print("%s %6s %6s %7s %6s %6s %6s" % (pad("query", 28), "ref", "grep", "kiroku", "total", "missed", "wrong"))
    for qr in ref["queries"]:
        q = qr["q"]
        try:
            got, total, _ = kiroku_search(base, user, password, q)
        except Exception as e:  # noqa: BLE001 - report and go on
            problems.append("%s: request failed: %s" % (q, e))
            got, total = [], 0
        rel = []
        foreign = []
        for p in got:
            if p.startswith(prefix) and p[len(prefix):] in files:
                rel.append(p[len(prefix):])
            else:
                foreign.append(p)
        dup = len(rel) - len(set(rel))
        got_set = set(rel)
        ref_set = set(qr["ref"])
        grep_set = set(qr["grep"])
        missed = sorted(ref_set - got_set)
        wrong = sorted(got_set - ref_set)
        grep_missed = sorted(grep_set - got_set)
        ref_only_missed = sorted(set(missed) - grep_set)
        for e in ("utf8", "sjis"):
            s = stats[e]
            s["ref"] += sum(1 for p in ref_set if files[p] == e)
            s["found"] += sum(1 for p in ref_set & got_set if files[p] == e)
            s["hits"] += sum(1 for p in got_set if files[p] == e)
            s["correct"] += sum(1 for p in got_set & ref_set if files[p] == e)
            s["grep"] += sum(1 for p in grep_set if files[p] == e)
            s["grep_missed"] += sum(1 for p in grep_missed if files[p] == e)
        n_foreign += len(set(foreign))
        print("%s %6d %6d %7d %6d %6d %6d" % (pad(q, 28), len(ref_set), len(grep_set),
                                             len(got_set) + len(set(foreign)), total, len(missed),
                                             len(wrong) + len(set(foreign))))
        if total != len(got):
            problems.append("%s: total %d but %d hits returned over the pages" % (q, total, len(got)))
        if dup:
            problems.append("%s: %d duplicate hit(s) across pages" % (q, dup))
        if foreign:
            problems.append("%s: %d hit(s) that are no corpus file, e.g. %s" % (q, len(set(foreign)), foreign[0]))
        if grep_missed:
            problems.append("%s: misses %d file(s) that grep finds, e.g. %s" %
                            (q, len(grep_missed), ", ".join(prefix + p for p in grep_missed[:3])))
        if ref_only_missed:
            problems.append("%s: misses %d file(s) that only the reference matcher finds, e.g. %s" %
                            (q, len(ref_only_missed), ", ".join(prefix + p for p in ref_only_missed[:3])))
        if wrong:
            problems.append("%s: %d hit(s) that do not contain it, e.g. %s" %
                            (q, len(wrong), ", ".join(prefix + p for p in wrong[:3])))
    print()
    print("%-10s %10s %10s %16s %14s" % ("encoding", "recall", "precision", "grep-found-kept", "(found/ref)"))
    tot = {k: sum(stats[e][k] for e in stats) for k in stats["utf8"]}
    tot["hits"] += n_foreign          # hits that are no corpus file count as wrong
    tot["foreign"] = n_foreign
    for name, s in (("UTF-8", stats["utf8"]), ("Shift_JIS", stats["sjis"]), ("overall", tot)):
        print("%-10s %10s %10s %16s %14s" % (name, pct(s["found"], s["ref"]), pct(s["correct"], s["hits"]),
                                             "%d/%d" % (s["grep"] - s["grep_missed"], s["grep"]),
                                             "%d/%d" % (s["found"], s["ref"])))
    if problems:
        print()
        print("problems:")
        for p in problems:
            print("  - " + p)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"stats": stats, "overall": tot, "problems": problems}, fh, ensure_ascii=False)


# ------------------------------------------------------------------ measure

def proc_table():
    """pid -> (ppid, rss_kb) for every process."""
    table = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d, "rb") as fh:
                st = fh.read().decode("latin-1")
            ppid = int(st[st.rindex(")") + 2:].split()[1])
            with open("/proc/%s/statm" % d) as fh:
                rss_pages = int(fh.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        table[int(d)] = (ppid, rss_pages * (os.sysconf("SC_PAGE_SIZE") // 1024))
    return table


def tree_rss(root):
    table = proc_table()
    kids = {}
    for pid, (ppid, _) in table.items():
        kids.setdefault(ppid, []).append(pid)
    total, procs, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        if pid in table and pid != root:  # root is /usr/bin/time itself
            total += table[pid][1]
            procs += 1
        stack += kids.get(pid, [])
    return total, procs


def cmd_measure(args):
    out = args[0]
    if len(args) < 3 or args[1] != "--":
        die("measure OUT.json -- CMD...")
    cmd = args[2:]
    tfile = out + ".time"
    t0 = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile] + cmd)
    peak, peak_procs = 0, 0
    while p.poll() is None:
        rss, procs = tree_rss(p.pid)
        if rss > peak:
            peak, peak_procs = rss, procs
        time.sleep(0.2)
    wall = time.monotonic() - t0
    maxrss, cpu = 0, 0.0
    with open(tfile, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
            if m:
                maxrss = int(m.group(1))
            m = re.search(r"(User|System) time \(seconds\): ([0-9.]+)", line)
            if m:
                cpu += float(m.group(2))
            # GNU time's own wall clock: the loop above only notices the end within 0.2 s.
            m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([0-9.]+)", line)
            if m:
                wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    res = {"rc": p.returncode, "wall": wall, "cpu": cpu, "maxrss_kb": maxrss,
           "tree_peak_kb": max(peak, maxrss), "tree_peak_procs": peak_procs}
    with open(out, "w") as fh:
        json.dump(res, fh)
    sys.exit(p.returncode)


# ------------------------------------------------------------------ Groonga

def cmd_groonga_load(args):
    corpus, out = args[0], args[1]
    mode = args[2] if len(args) > 2 else "online"
    if mode not in ("online", "static"):
        die("groonga-load: mode must be online or static")
    rows = read_manifest(corpus)
    index = ("table_create Terms TABLE_PAT_KEY ShortText "
             "--default_tokenizer TokenBigram --normalizer NormalizerAuto\n"
             "column_create Terms docs_body COLUMN_INDEX|WITH_POSITION Docs body\n")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("table_create Docs TABLE_HASH_KEY ShortText\n")
        fh.write("column_create Docs body COLUMN_SCALAR LongText\n")
        if mode == "online":      # the index is updated as each record is loaded
            fh.write(index)
        fh.write("load --table Docs\n[\n")
        for k, (path, enc, _, _) in enumerate(rows):
            rec = {"_key": path, "body": decode_file(corpus, path, enc)}
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write(",\n" if k + 1 < len(rows) else "\n")
        fh.write("]\n")
        if mode == "static":      # static index construction over the loaded records
            fh.write(index)


def cmd_groonga_check(args):
    groonga, db, q = args
    cmd = 'select Docs --match_columns body --query %s --output_columns _key --limit 0' % json.dumps(q, ensure_ascii=False)
    r = subprocess.run([groonga, db, cmd], stdout=subprocess.PIPE, check=True)
    data = json.loads(r.stdout.decode("utf-8"))
    print(data[1][0][0][0])


# ------------------------------------------------------------------ wrk

def cmd_wrk_paths(args):
    qfile, prefix, limit = args
    for q in read_queries(qfile):
        print("%s?%s" % (prefix, urllib.parse.urlencode({"q": q, "limit": limit})))


def main():
    if len(sys.argv) < 2:
        die("usage: searchbench.py corpus|reference|kiroku-check|measure|groonga-load|wrk-paths ...")
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = {"corpus": cmd_corpus, "reference": cmd_reference, "kiroku-check": cmd_kiroku_check,
          "measure": cmd_measure, "groonga-load": cmd_groonga_load, "groonga-check": cmd_groonga_check,
          "wrk-paths": cmd_wrk_paths}.get(cmd)
    if fn is None:
        die("unknown subcommand " + cmd)
    fn(args)


if __name__ == "__main__":
    main()
