#!/usr/bin/env python3
"""Strangers on the LAN try to starve kirokud while an officer works.

From five attacker addresses (127.0.0.10-14) it keeps 300 connections open for
DURATION seconds, each reopened soon after the server closes it:
  - idle connections to the HTTP and HTTPS ports that never send a byte,
  - slow connections that send a request head one byte a second;
and from five more (127.0.0.20-24) it tries 50 logins a second with a wrong password.
Meanwhile the officer, from 127.0.0.2, fetches a document, saves one and searches
over HTTPS with curl, once every two seconds. Prints one line per officer request
and a summary; exits 1 when any of them failed or took 2 s or longer.

usage: connection_flood.py HOST HTTP_PORT HTTPS_PORT USER:PASSWORD DURATION BODY_FILE
"""
import asyncio
import base64
import subprocess
import sys
import time

HOST, HTTP_PORT, HTTPS_PORT, CREDENTIALS, DURATION = (
    sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
ATTACKERS = [f"127.0.0.{n}" for n in range(10, 15)]
GUESSERS = [f"127.0.0.{n}" for n in range(20, 25)]
OFFICER = "127.0.0.2"
LIMIT = 2.0

stats = {"opened": 0, "closed_by_server": 0, "logins": 0, "login_status": {}}


async def connect(source, port):
    reader, writer = await asyncio.open_connection(HOST, port, local_addr=(source, 0))
    stats["opened"] += 1
    return reader, writer


async def idle(source, port, deadline):
    while time.monotonic() < deadline:
        try:
            reader, writer = await connect(source, port)
            # Holds it until the server closes it (or the test ends).
            await asyncio.wait_for(reader.read(65536), deadline - time.monotonic())
            stats["closed_by_server"] += 1
            writer.close()
            await asyncio.sleep(0.1)
        except (asyncio.TimeoutError, OSError):
            await asyncio.sleep(0.2)


async def slow(source, deadline):
    head = b"GET /dav/ HTTP/1.1\r\nHost: kiroku\r\nUser-Agent: slow\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    while time.monotonic() < deadline:
        try:
            reader, writer = await connect(source, HTTP_PORT)
            for byte in head:
                writer.write(bytes([byte]))
                await writer.drain()
                if reader.at_eof():
                    break
                await asyncio.sleep(1)
                if time.monotonic() >= deadline:
                    break
            stats["closed_by_server"] += 1
            writer.close()
            await asyncio.sleep(0.1)
        except OSError:
            await asyncio.sleep(0.2)


async def logins(deadline):
    user = CREDENTIALS.split(":")[0]
    bad = base64.b64encode(f"{user}:wrong-password".encode()).decode()
    i = 0
    while time.monotonic() < deadline:
        source = GUESSERS[i % len(GUESSERS)]
        i += 1
        asyncio.ensure_future(one_login(source, bad))
        await asyncio.sleep(1 / 50)


async def one_login(source, auth):
    try:
        reader, writer = await connect(source, HTTP_PORT)
        writer.write(f"GET /dav/ HTTP/1.1\r\nHost: kiroku\r\nAuthorization: Basic {auth}\r\n"
                     "Connection: close\r\n\r\n".encode())
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 10)
        status = line.split(b" ")[1].decode() if line.count(b" ") >= 2 else "closed"
        writer.close()
    except (OSError, asyncio.TimeoutError):
        status = "error"
    stats["logins"] += 1
    stats["login_status"][status] = stats["login_status"].get(status, 0) + 1


def officer_request(what, args):
    base = f"https://{HOST}:{HTTPS_PORT}"
    cmd = ["curl", "-sk", "--interface", OFFICER, "-u", CREDENTIALS, "-o", "/dev/null",
           "-w", "%{http_code} %{time_total}", "--max-time", "30"] + args
    cmd = [a.replace("BASE", base) for a in cmd]
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True).stdout.split()
    took = time.monotonic() - started
    code = out[0] if out else "000"
    return what, code, took


async def officer(deadline, body_file, results):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(3)  # let the flood build up
    n = 0
    while time.monotonic() < deadline - 2:
        n += 1
        for what, args in (
            ("GET", ["BASE/dav/officer/report.txt"]),
            ("PUT", ["-T", body_file, f"BASE/dav/officer/note-{n}.txt"]),
            ("search", ["-G", "--data-urlencode", "q=議事録", "BASE/api/search"]),
        ):
            what, code, took = await loop.run_in_executor(None, officer_request, what, args)
            ok = code in ("200", "201", "204") and took < LIMIT
            results.append(ok)
            print(f"{'ok' if ok else 'SLOW/FAILED'} - officer {what}: HTTP {code} in {took:.2f} s", flush=True)
        await asyncio.sleep(2)


async def main():
    body_file = sys.argv[6]
    deadline = time.monotonic() + DURATION
    tasks = []
    per = 300 // len(ATTACKERS)  # 60 per address: 20 idle HTTP, 20 idle HTTPS, 20 slow
    for source in ATTACKERS:
        for _ in range(per // 3):
            tasks.append(idle(source, HTTP_PORT, deadline))
            tasks.append(idle(source, HTTPS_PORT, deadline))
            tasks.append(slow(source, deadline))
    tasks.append(logins(deadline))
    results = []
    tasks.append(officer(deadline, body_file, results))
    await asyncio.gather(*tasks)
    await asyncio.sleep(1)
    print(f"attack: {stats['opened']} connections opened, {stats['closed_by_server']} closed by the server, "
          f"{stats['logins']} login attempts {stats['login_status']}", flush=True)
    if not results or not all(results):
        print(f"FAIL: {results.count(False)} of {len(results)} officer requests failed or took {LIMIT} s or more")
        sys.exit(1)
    print(f"ok - all {len(results)} officer requests answered in under {LIMIT} s")


asyncio.run(main())
