"""How fast `python -m bot downloads` reads access logs, against `grep -c` of the path (printed).

Generates a mixed log of about --mb megabytes into a temporary folder under /tmp (never in the
repository): vhost-combined (Apache/nginx), nginx JSON, CloudFront (W3C, tab-separated), ALB and
S3 server access files, plain text, where 0.1% of the lines are requests for the leaked path.
Then, in the same run and over the same files, warm in the page cache:
  - `grep -c -F <path>` over the files (the baseline: a byte search that parses nothing);
  - the downloads report in a fresh interpreter: wall seconds, MB/s and its own peak RSS (VmHWM).
Prints throughput of each and the ratio ours / grep's. Goals: >= 1/3 of grep's speed, <= 100 MB.

Run: .venv/bin/python bench/downloads.py [--mb 1024] [--runs 3] [--keep]
All data is synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = "/files/detained-roster-2026.xlsx"
URL = "https://example.gov" + PATH
SIZE = 311_874
OTHER = ["/", "/index.html", "/static/app.js", "/static/site.css", "/files/annual-report.pdf", "/news/2026/11/",
         "/images/logo.png", "/api/search?q=visa", "/files/forms/i-589.pdf", "/contact"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5.0"]


def _line(fmt: str, rng: random.Random, when: datetime, path: str) -> str:
    ip = f"{rng.choice([203, 198, 45, 81])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    agent = rng.choice(AGENTS)
    status, sent = (200, SIZE) if path == PATH else (rng.choice([200, 200, 304, 404]), rng.randrange(200, 90_000))
    if fmt == "combined":
        return (f'example.gov:443 {ip} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "GET {path} HTTP/1.1" {status} {sent} '
                f'"https://example.gov/" "{agent}"')
    if fmt == "json":
        return json.dumps({"time_iso8601": when.isoformat(), "remote_addr": ip, "request": f"GET {path} HTTP/2.0",
                           "status": status, "body_bytes_sent": sent, "http_user_agent": agent, "host": "example.gov"})
    if fmt == "cloudfront":
        return "\t".join([f"{when:%Y-%m-%d}", f"{when:%H:%M:%S}", "FRA56-P1", str(sent), ip, "GET",
                          "d111111abcdef8.cloudfront.net", path.split("?")[0], str(status), "-",
                          agent.replace(" ", "%20"), "-", "-", "Hit", "xyz==", "example.gov", "https", "380", "0.002"])
    if fmt == "alb":
        return (f"https {when:%Y-%m-%dT%H:%M:%S}.186641Z app/lb/50dc {ip}:2817 10.0.0.1:80 0.000 0.048 0.000 "
                f'{status} {status} 412 {sent} "GET https://example.gov:443{path} HTTP/1.1" "{agent}" '
                f"ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:tg \"Root=1-5833\" \"example.gov\"")
    return (f"79a59df900b949e5 example-gov [{when:%d/%b/%Y:%H:%M:%S} +0000] {ip} - 3E57427F3EXAMPLE REST.GET.OBJECT "
            f'{path.lstrip("/") or "-"} "GET {path} HTTP/1.1" {status} - {sent} {SIZE} 25 12 "-" "{agent}" - '
            f"s9lzHYrFp76ZVxRcpX9= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader example.gov TLSv1.2 - -")


HEADERS = {"cloudfront": "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) "
           "cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
           "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken\n"}


def generate(folder: Path, megabytes: int, seed: int = 5) -> dict:
    """Writes the files; returns how many lines and matching lines were written."""
    rng = random.Random(seed)
    formats = ["combined", "json", "cloudfront", "alb", "s3"]
    per_file = megabytes * (1 << 20) // len(formats)
    start = datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    lines = matches = 0
    for fmt in formats:
        pool = [_line(fmt, rng, start + timedelta(seconds=rng.randrange(86_400)), rng.choice(OTHER)) + "\n"
                for _ in range(4000)]
        hits = [_line(fmt, rng, start + timedelta(seconds=rng.randrange(86_400)), PATH) + "\n" for _ in range(400)]
        written = 0
        with (folder / f"{fmt}.log").open("w", encoding="utf-8") as out:
            out.write(HEADERS.get(fmt, ""))
            while written < per_file:
                chunk = [rng.choice(pool) for _ in range(999)] + [rng.choice(hits)]
                rng.shuffle(chunk)
                text = "".join(chunk)
                out.write(text)
                written += len(text)
                lines += 1000
                matches += 1
        lines += HEADERS.get(fmt, "").count("\n")
    return {"lines": lines, "matches": matches}


_CHILD = """
import json, sys, time
sys.argv = ["downloads"] + {args!r}
from bot.downloads.cli import main
started = time.perf_counter()
import contextlib, io
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
elapsed = time.perf_counter() - started
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
report = json.loads(out.getvalue())
print(json.dumps({{"seconds": elapsed, "peak_mb": int(hwm[0].split()[1]) / 1024, "code": code,
                  "requests": report["requests"], "lines": report["lines"]}}))
"""


def ours(files: list[str]) -> dict:
    args = [*files, "--url", URL, "--json"]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD.format(args=args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    result = json.loads(done.stdout)
    result["wall"] = time.perf_counter() - started
    return result


def grep(files: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(["grep", "-c", "-F", PATH, *files], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    return elapsed, sum(int(line.rsplit(":", 1)[1]) for line in done.stdout.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="leakwatch-downloads-bench-", dir="/tmp"))
    try:
        made = generate(folder, args.mb)
        files = sorted(str(p) for p in folder.iterdir())
        total = sum(os.path.getsize(f) for f in files)
        subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)   # both read from the page cache
        greps, runs = [], []
        for _ in range(args.runs):   # interleaved, best of each
            greps.append(grep(files))
            runs.append(ours(files))
        grep_s = min(g[0] for g in greps)
        best = min(runs, key=lambda r: r["seconds"])
        mb = total / (1 << 20)
        print(f"logs: {mb:,.0f} MB in {len(files)} files, {made['lines']:,} lines, {made['matches']:,} for the path "
              f"({made['matches'] / made['lines']:.2%})")
        print(f"grep -c -F: {grep_s:.2f} s ({mb / grep_s:,.0f} MB/s), {greps[0][1]:,} lines")
        print(f"downloads: {best['seconds']:.2f} s in the command ({mb / best['seconds']:,.0f} MB/s), "
              f"{best['wall']:.2f} s with interpreter start; {best['requests']:,} requests, {best['lines']:,} lines; "
              f"peak RSS {max(r['peak_mb'] for r in runs):.0f} MB")
        print(f"speed ours / grep's: {grep_s / best['seconds']:.2f} (goal >= 0.33); "
              f"with interpreter start {grep_s / best['wall']:.2f}")
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
