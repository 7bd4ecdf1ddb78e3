#!/usr/bin/env python3
"""The layout the READMEs describe, checked against what the sources include.

Each rule: files under FOLDER may not include headers of the folders listed. The
protocols (dav/, api/, web/) reach documents only through service/; the lower layers know
nothing of the ones above them; indexer/ knows nothing of server/, and plugins/ only
the extractor interface. Exits 1 and names every include that breaks a rule.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

RULES = {
    "server/dav": ["store", "acl", "audit", "db", "search", "auth", "web"],
    "server/api": ["store", "acl", "audit", "db", "search", "auth", "dav", "web"],
    "server/service": ["dav", "api", "http", "app", "cli", "web"],
    "server/store": ["acl", "audit", "service", "search", "http", "dav", "api", "app", "cli", "web"],
    "server/db": ["store", "acl", "audit", "service", "search", "http", "dav", "api", "app", "cli", "auth", "web"],
    "server/acl": ["service", "search", "http", "dav", "api", "app", "cli", "auth", "web"],
    "server/audit": ["store", "acl", "service", "http", "dav", "api", "app", "cli", "web"],
    "server/search": ["acl", "service", "http", "dav", "api", "app", "cli", "web"],
    "server/http": ["store", "acl", "audit", "db", "service", "dav", "api", "app", "cli", "web"],
    "server/names": ["store", "db", "acl", "service", "http", "dav", "api", "web"],
    "server/core": ["store", "db", "acl", "service", "http", "dav", "api", "names", "web"],
    "server/messages": ["core", "store", "db", "acl", "service", "http", "dav", "api", "web"],
    "server/web": ["store", "acl", "audit", "db", "search", "dav", "api"],
    "server/backup": ["store", "acl", "service", "http", "dav", "api", "search", "web"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def sources(folder):
    for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
        for n in names:
            if n.endswith((".cpp", ".h")):
                yield os.path.join(dirpath, n)


def main():
    broken = []
    for folder, forbidden in RULES.items():
        for path in sources(folder):
            for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
                top = inc.split("/")[0]
                if top in forbidden:
                    broken.append(f"{os.path.relpath(path, ROOT)} includes {inc}")
    for path in sources("indexer"):
        for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
            if inc.split("/")[0] in ("store", "db", "acl", "service", "http", "dav", "api", "app", "cli", "core", "names"):
                broken.append(f"{os.path.relpath(path, ROOT)} includes {inc} (indexer/ knows nothing of server/)")
    for path in sources("plugins"):
        for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
            if not (inc.startswith("kiroku/indexer/Extractor") or inc.startswith("common/") or "/" not in inc):
                broken.append(f"{os.path.relpath(path, ROOT)} includes {inc} (plugins/ see only the extractor interface)")
    for line in broken:
        print("layout: " + line)
    print(f"layout: {len(broken)} includes break the layout" if broken else "layout: every include keeps to the layout")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
