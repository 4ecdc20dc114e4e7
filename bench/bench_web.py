"""Requests per second and latency of POST /api/recommend on loopback, with 1 and 2 workers.

Run: python bench/bench_web.py            (about a minute: at most 3,000 requests or 20 s per setting)
     python bench/bench_web.py --smoke    (a few seconds; checks that the script works)

Starts `recommender serve --port 0 --workers N` itself, sends the shipped profiles round-robin from
a few client threads over keep-alive connections on 127.0.0.1 only, and stops by itself. The
client runs on the same machine, so on 2 cores it takes CPU from the server; the in-process
figure (engine + JSON, no HTTP) from the same run is printed beside it. Needs the web extra.
Nothing here is a test; speed is never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODIES = [p.read_bytes() for p in sorted((ROOT / "profiles").glob("*.yaml"))]


def start(workers: int) -> tuple[subprocess.Popen[str], int, object]:
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, "-m", "recommender", "serve", "--port", "0", "--workers",
                                str(workers)], stdout=subprocess.DEVNULL, stderr=log, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.1)
        log.seek(0)
        found = re.search(r"http://127\.0\.0\.1:(\d+)", log.read())
        if found:
            port = int(found.group(1))
            if _ready(port, workers):
                return process, port, log
    process.kill()
    log.seek(0)
    raise SystemExit(f"recommender serve did not start: {log.read()}")


def _ready(port: int, workers: int) -> bool:
    try:
        for _ in range(workers * 4):  # every worker has loaded its rule book
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            if not ok:
                return False
        return True
    except OSError:
        return False


def load(port: int, total: int, seconds: float, clients: int) -> tuple[float, list[float], int]:
    """(requests per second, latencies in ms, failures), bounded by `total` requests and `seconds`."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    counter = iter(range(total))
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            t0 = time.perf_counter()
            conn.request("POST", "/api/recommend", body=BODIES[n % len(BODIES)],
                         headers={"content-type": "application/json"})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                failures += response.status != 200
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return len(latencies) / wall, latencies, failures


def in_process(seconds: float) -> float:
    """Reports per second from the engine and the JSON renderer alone, on the same profiles."""
    from recommender.book.answers import answers_from_document
    from recommender.book.loader import load_rulebook
    from recommender.book.yamlio import load_text
    from recommender.engine.recommend import recommend
    from recommender.render.json import render_json

    book = load_rulebook(ROOT / "rules")
    texts = [b.decode() for b in BODIES]
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        profile = answers_from_document(load_text(texts[done % len(texts)], "body"), book).profile
        render_json(recommend(book, profile), book)
        done += 1
    return done / (time.perf_counter() - began)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few requests only")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    total, seconds = (40, 5.0) if args.smoke else (3000, 20.0)
    print(f"in process (read answers + engine + JSON): {in_process(1.0 if args.smoke else 5.0):,.0f} reports/s")
    failed = 0
    for workers in (1, 2):
        process, port, log = start(workers)
        try:
            load(port, min(total, 20), 5.0, 1)  # warm-up
            rate, latencies, failures = load(port, total, seconds, args.clients)
        finally:
            process.terminate()
            process.wait(timeout=30)
        failed += failures
        print(f"POST /api/recommend, {workers} worker{'s' if workers > 1 else ''}, {args.clients} clients: "
              f"{rate:,.0f} requests/s, p50 {statistics.median(latencies):.1f} ms, "
              f"p95 {percentile(latencies, 95):.1f} ms ({len(latencies):,} requests, {failures} failed)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
