"""`make bench`: data, in-process page timings, HTTP throughput against a ceiling, and a write load.

    python -m bench.run [--sizes S,M,L] [--seconds 5]
PostgreSQL is measured when PG_ADMIN_URL names a server (make bench starts a throwaway one via .ci/with-postgres.sh).
Writes bench/results.json and prints a table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, delete, text

from bench import generate, http, writes
from coursesite.models import Comment

HERE = Path(__file__).resolve().parent
DATA = Path("/tmp/bench-data")


def _stamp() -> str:
    sources = [HERE / "generate.py", *sorted((HERE.parent / "coursesite" / "models").glob("*.py"))]
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]


def sqlite_data(size: str) -> str:
    """A generated SQLite file per size, kept between runs while the generator and models are unchanged."""
    DATA.mkdir(exist_ok=True)
    path, stamp = DATA / f"{size}.sqlite3", DATA / f"{size}.stamp"
    url = f"sqlite:///{path}"
    if not (path.exists() and stamp.exists() and stamp.read_text() == _stamp()):
        print(f"generating {size} on sqlite: {generate.build(url, size)}", flush=True)
        stamp.write_text(_stamp())
    return url


def postgres_data(size: str) -> str:
    admin = os.environ["PG_ADMIN_URL"]
    name = f"bench_{size.lower()}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    url = admin.rsplit("/", 1)[0] + "/" + name
    print(f"generating {size} on postgresql: {generate.build(url, size)}", flush=True)
    return url


def _forget_bench_comments(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(delete(Comment).where(Comment.body.like(writes.MARK + "%")))
    engine.dispose()


def run(sizes: list[str], seconds: int, write_seconds: int) -> dict:
    databases = {"sqlite": sqlite_data}
    if os.environ.get("PG_ADMIN_URL"):
        databases["postgresql"] = postgres_data
    results: dict = {"pages": [], "http": [], "writes": [], "ceiling": []}
    urls: dict = {}
    for db_name, make in databases.items():
        for size in sizes:
            urls[(db_name, size)] = url = make(size)
            results["pages"] += _pages_measured_apart(url, size, db_name)
            print(f"pages {db_name} {size} done", flush=True)
    largest = sizes[-1]
    student = f"8:{writes_fingerprint(urls[('sqlite', largest)])}"  # student7@bench.test
    results["http"], results["ceiling"] = http.run(urls[("sqlite", largest)], largest, student, seconds)
    print("http done", flush=True)
    for db_name in databases:
        url = urls[(db_name, largest)]
        results["writes"].append(writes.run(url, db_name, largest, write_seconds))
        _forget_bench_comments(url)
    return results


def _pages_measured_apart(url: str, size: str, db_name: str) -> list[dict]:
    """bench.pages.measure in a fresh interpreter: a worker holds one app, not every size measured before."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-m", "bench.pages", url, size, db_name, out.name], check=True)
        return json.loads(Path(out.name).read_text())


def writes_fingerprint(url: str) -> str:
    writes._DB_URL[:] = [url]
    writes._FINGERPRINT.clear()
    return writes._fingerprint()


def table(results: dict) -> str:
    lines = ["| page | size | db | median ms | cold ms | SQL statements |", "|---|---|---|---:|---:|---:|"]
    for row in results["pages"]:
        ms = row["median_ms"] if row["median_ms"] is not None else row.get("note", "-")
        lines.append(f"| {row['page']} | {row['size']} | {row['db']} | {ms} | {row.get('cold_ms', '-')} | "
                     f"{row['queries'] or '-'} |")
    ceiling = {row["page"]: row["rps"] for row in results["ceiling"]}
    lines += ["", "| page | user | front | connections | req/s | p50 ms | p99 ms | errors | of ceiling |",
              "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in results["http"]:
        share = f"{row['rps'] / ceiling[row['page']]:.0%}" if ceiling.get(row["page"]) else "-"
        lines.append(f"| {row['page']} | {row['user']} | {row.get('front', 'app')} | {row['connections']} | "
                     f"{row['rps']} | {row['p50_ms']} | {row['p99_ms']} | {row['errors']} | {share} |")
    runs = {row["page"]: row.get("runs") for row in results["ceiling"]}
    lines += ["", "ceiling (bare Flask, 8 connections; median of the runs around ours): " + ", ".join(
        f"{p} {r} req/s" + (f" ({', '.join(str(x) for x in runs[p])})" if runs[p] else "") for p, r in ceiling.items()),
              "", "| db | accepted | stored | lost | errors | 429 | per s | worker RSS MB |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in results["writes"]:
        lines.append(f"| {row['db']} | {row['accepted']} | {row['stored']} | {row['accepted'] - row['stored']} | "
                     f"{row['errors']} | {row['rate_limited']} | {row['per_s']} | {row['worker_rss_mb']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Coursesite benchmark")
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run")
    parser.add_argument("--write-seconds", type=int, default=30)
    args = parser.parse_args()
    sizes = [s for s in ("S", "M", "L") if s in args.sizes.upper().split(",")]
    started = time.perf_counter()
    results = run(sizes, args.seconds, args.write_seconds)
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s; wrote bench/results.json")


if __name__ == "__main__":
    main()
