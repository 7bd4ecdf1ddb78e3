"""Runs the blocks of a guide between <!-- NAME: begin --> and <!-- NAME: end --> in one
shell, in order: ```sh blocks as written, ```console blocks command by command ("$ "
lines), each command's output (standard output and error together) compared with the
lines the guide shows under it. A line that is only "…" stands for any number of lines.
Other blocks (```properties …) are text, not run.

usage: doc_blocks.py GUIDE NAME WORKDIR OUTDIR [--ignore REGEX]
  WORKDIR  the folder the blocks run in (the guide's "source folder")
  OUTDIR   where each step's output and the generated script are kept
  --ignore lines of output matching REGEX are left out before comparing
Exit status 0 when every command printed what the guide shows and every sh block ran."""
import os, re, subprocess, sys

if len(sys.argv) not in (5, 7):
    sys.exit(__doc__)
doc, name, workdir, outdir = sys.argv[1:5]
ignore = re.compile(sys.argv[6]) if len(sys.argv) == 7 and sys.argv[5] == "--ignore" else None
text = open(doc, encoding="utf-8").read()
m = re.search(r"<!-- %s: begin -->(.*?)<!-- %s: end -->" % (re.escape(name), re.escape(name)), text, re.S)
if not m:
    sys.exit("no %s markers in %s" % (name, doc))
blocks = re.findall(r"^```(\w*)\n(.*?)^```", m.group(1), re.S | re.M)
script = ["cd '%s' || exit 1" % workdir]
steps = []  # (kind, command, expected lines)
for kind, body in blocks:
    if kind == "sh":
        n = len(steps)
        steps.append(("sh", body.strip(), None))
        script.append("{\n%s\n} >'%s/%d.out' 2>&1 </dev/null || { echo 'the sh block %d failed' >>'%s/%d.out'; }"
                      % (body.rstrip(), outdir, n, n, outdir, n))
    elif kind == "console":
        lines = body.rstrip("\n").split("\n")
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                sys.exit("a console block line is neither a command nor under one: " + lines[i])
            cmd = lines[i][2:]
            i += 1
            while cmd.endswith("\\") and i < len(lines):
                cmd = cmd[:-1] + "\n" + lines[i]
                i += 1
            expected = []
            while i < len(lines) and not lines[i].startswith("$ "):
                expected.append(lines[i])
                i += 1
            n = len(steps)
            steps.append(("console", cmd, expected))
            script.append("{\n%s\n} >'%s/%d.out' 2>&1 </dev/null" % (cmd, outdir, n))
script_text = "\n".join(script) + "\n"
open(os.path.join(outdir, "script.sh"), "w", encoding="utf-8").write(script_text)
subprocess.run(["bash", os.path.join(outdir, "script.sh")], timeout=600)

def matches(expected, actual):
    """expected may hold lines that are just "…": any number of actual lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "…":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0].rstrip() == actual[0].rstrip() and matches(expected[1:], actual[1:])

failed = 0
commands = 0
for n, (kind, cmd, expected) in enumerate(steps):
    path = os.path.join(outdir, "%d.out" % n)
    actual = open(path, encoding="utf-8").read().rstrip("\n").split("\n") if os.path.getsize(path) else []
    if ignore:
        actual = [line for line in actual if not ignore.search(line)]
    if kind == "sh":
        if actual and actual[-1].startswith("the sh block"):
            print("FAIL: this block failed:\n%s\n---\n%s" % (cmd, "\n".join(actual)))
            failed += 1
        continue
    commands += 1
    if not matches(expected, actual):
        failed += 1
        print("FAIL: $ %s\n--- the guide shows\n%s\n--- it printed\n%s\n" % (cmd, "\n".join(expected), "\n".join(actual)))
print("%d commands, %d sh blocks, %d differ" % (commands, sum(1 for s in steps if s[0] == "sh"), failed))
sys.exit(1 if failed or commands == 0 else 0)
