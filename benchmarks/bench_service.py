"""Service latency and throughput of ``petition-nlp serve`` with the default model, on loopback only.

Starts the service in a subprocess on 127.0.0.1, measures the latency of a direct Python call
(``Router.route``) on the same petitions as the baseline, then drives ``POST /v1/route`` at fixed request rates
and reports p50 / p99 latency and the count of 5xx answers per rate. The load comes from `hey` (Debian package
``hey``; one-worker processes started 1/rate apart, so requests are evenly spaced; each waits for its answer,
so a slow server also slows the load) where installed, else from an open-loop
httpx client in this process (which itself costs CPU on a 2-core machine). Finally runs Schemathesis against the OpenAPI spec (where
installed) and reports whether it found any 5xx.

    python benchmarks/bench_service.py [--rates 50 200] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from common import load_corpus


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def drive(url: str, texts: list[str], rate: float, seconds: float) -> tuple[list[float], dict[int, int]]:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    # Requests slower than 10 s count as failed, so that an overloaded run still ends.
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as client:
        async def one(text: str) -> None:
            started = time.perf_counter()
            try:
                response = await client.post("/v1/route", json={"text": text})
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            except httpx.HTTPError:
                statuses[-1] = statuses.get(-1, 0) + 1
            latencies.append(time.perf_counter() - started)

        tasks = []
        start = time.perf_counter()
        total = int(rate * seconds)
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(texts[i % len(texts)])))
        await asyncio.gather(*tasks)
    return latencies, statuses


def drive_with_hey(url: str, text: str, rate: float, seconds: float) -> tuple[list[float], dict[int, int]]:
    """Requests evenly spaced at ``rate`` per second: several `hey` processes of one worker each, started 1/rate
    apart. (One `hey` with several workers fires them all on the same tick, which turns a steady rate into
    bursts that measure the burst, not the rate.)"""
    import csv
    import json
    import tempfile

    workers = max(4, int(rate // 25))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as body:
        json.dump({"text": text}, body, ensure_ascii=False)
    processes = []
    for _ in range(workers):
        processes.append(subprocess.Popen(
            ["hey", "-z", f"{seconds}s", "-c", "1", "-q", f"{rate / workers:.3f}", "-m", "POST", "-T", "application/json",
             "-D", body.name, "-t", "10", "-o", "csv", url + "/v1/route"], stdout=subprocess.PIPE, text=True))
        time.sleep(1 / rate)
    outputs = [p.communicate()[0] for p in processes]
    latencies, statuses = [], {}
    for output in outputs:
        for row in csv.DictReader(output.splitlines()):
            latencies.append(float(row["response-time"]))
            code = int(row["status-code"])
            statuses[code] = statuses.get(code, 0) + 1
    return latencies, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", type=float, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="service worker processes (one per core here)")
    args = parser.parse_args()
    texts = [r["text"] for r in load_corpus("heldout")]

    from petition_nlp.routing import Router

    router = Router()
    router.route(texts[0])
    direct = []
    for text in texts:
        started = time.perf_counter()
        router.route(text)
        direct.append(time.perf_counter() - started)
    print(f"direct Python call (baseline): p50 {np.percentile(direct, 50) * 1e3:.2f} ms, "
          f"p99 {np.percentile(direct, 99) * 1e3:.2f} ms over {len(direct)} petitions")

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"service: petition-nlp serve --workers {args.workers}")
    server = subprocess.Popen([sys.executable, "-m", "petition_nlp", "serve", "--port", str(port), "--workers",
                               str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        for rate in args.rates:
            if shutil.which("hey"):
                latencies, statuses = drive_with_hey(url, texts[0], rate, args.seconds)
            else:
                latencies, statuses = asyncio.run(drive(url, texts, rate, args.seconds))
            errors = sum(n for code, n in statuses.items() if code >= 500 or code < 0)
            p50, p99 = np.percentile(latencies, 50) * 1e3, np.percentile(latencies, 99) * 1e3
            print(f"{rate:>5.0f} req/s for {args.seconds:.0f} s: {len(latencies)} requests ({len(latencies) / args.seconds:.0f}/s achieved), p50 {p50:.2f} ms, p99 {p99:.2f} ms "
                  f"({p99 / (np.percentile(direct, 99) * 1e3):.1f}x the direct call's p99), 5xx or failed: {errors}, "
                  f"statuses {statuses}")
        schemathesis = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
        if Path(schemathesis).exists():
            run = subprocess.run([schemathesis, "run", url + "/openapi.json", "--checks", "not_a_server_error",
                                  "--max-examples", "200"], capture_output=True, text=True)
            tail = [line for line in run.stdout.splitlines() if line.strip()][-3:]
            print(f"schemathesis (not_a_server_error, 200 examples per operation): exit {run.returncode}; " + " | ".join(tail))
        else:
            print("schemathesis is not installed: property-based run skipped")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
