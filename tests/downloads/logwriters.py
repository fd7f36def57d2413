"""Writes generated `Event`s as the log lines of each format, the way each server writes them.

One function per format, `line(event) -> str`, plus `write_logs(folder, events, background)` that
lays out a folder of mixed logs: each client's requests in one file, the same path on other
sites only in formats that record the host, some files gzip'd, one in a subfolder, an IIS file
whose layout changes midway, a binary file, garbage lines (some holding the path's bytes).
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from urllib.parse import quote, unquote

from tests.downloads.loggen import CRAWLERS, FORMATS, HOST_RECORDED, Event


def _fields(header: str) -> list[str]:
    """The names of a #Fields: line, as the header reads."""
    return header.split()


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
IIS_FIELDS = _fields("date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
              "c-ip cs-version cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status "
              "sc-bytes cs-bytes time-taken")
IIS_FIELDS_AFTER_RESTART = _fields("date time c-ip cs-username s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status "
                            "sc-bytes cs-host cs(User-Agent) time-taken")
CLOUDFRONT_FIELDS = _fields("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
                     "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
                     "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
                     "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
                     "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
                     "sc-range-start sc-range-end")


def _clf(e: Event, zone_hours: int = 0) -> str:
    from datetime import timedelta, timezone

    t = e.time.astimezone(timezone(timedelta(hours=zone_hours)))
    sign = "-" if zone_hours < 0 else "+"
    return f"{t.day:02d}/{MONTHS[t.month - 1]}/{t.year}:{t:%H:%M:%S} {sign}{abs(zone_hours):02d}00"


def _apache_escape(path: str) -> str:
    """Apache writes bytes outside printable ASCII in the request line as \\xhh."""
    return "".join(ch if ord(ch) < 128 else "".join(f"\\x{b:02x}" for b in ch.encode()) for ch in path)


def combined(e: Event, vhost: bool = False, common: bool = False) -> str:
    bytes_ = str(e.sent) if e.sent else "-"
    head = f"{e.host}:443 " if vhost else ""
    line = (f'{head}{e.client} - - [{_clf(e, -5)}] "{e.method} {_apache_escape(e.path)}{e.query} HTTP/1.1" '
            f"{e.status} {bytes_}")
    if common:
        return line
    return line + f' "https://search.example.net/?q=liste" "{e.agent}" rt=0.012 "-"'


def iis(e: Event, fields=IIS_FIELDS) -> str:
    values = {
        "date": f"{e.time:%Y-%m-%d}", "time": f"{e.time:%H:%M:%S}", "s-sitename": "W3SVC1",
        "s-computername": "WEB01", "s-ip": "10.0.0.5", "cs-method": e.method,
        "cs-uri-stem": unquote(e.path).replace(" ", "+"), "cs-uri-query": e.query.lstrip("?") or "-",
        "s-port": "443", "cs-username": "-", "c-ip": e.client, "cs-version": "HTTP/1.1",
        "cs(User-Agent)": e.agent.replace(" ", "+"), "cs(Referer)": "-", "cs-host": e.host,
        "sc-status": str(e.status), "sc-substatus": "0", "sc-win32-status": "0", "sc-bytes": str(e.sent),
        "cs-bytes": "412", "time-taken": "15",
    }
    return " ".join(values[f] for f in fields)


def cloudfront(e: Event) -> str:
    values = {
        "date": f"{e.time:%Y-%m-%d}", "time": f"{e.time:%H:%M:%S}", "x-edge-location": "FRA56-P1",
        "sc-bytes": str(e.sent), "c-ip": e.client, "cs-method": e.method, "cs(Host)": "d111111abcdef8.cloudfront.net",
        "cs-uri-stem": quote(e.path, safe="/()"), "sc-status": str(e.status), "cs(Referer)": "-",
        "cs(User-Agent)": quote(e.agent, safe="/;:()+,."), "cs-uri-query": e.query.lstrip("?") or "-",
        "cs(Cookie)": "-", "x-edge-result-type": "Hit", "x-edge-request-id": "5Zk9Q0x==", "x-host-header": e.host,
        "cs-protocol": "https", "cs-bytes": "380", "time-taken": "0.002", "x-forwarded-for": "-",
        "ssl-protocol": "TLSv1.3", "ssl-cipher": "TLS_AES_128_GCM_SHA256", "x-edge-response-result-type": "Hit",
        "cs-protocol-version": "HTTP/2.0", "fle-status": "-", "fle-encrypted-fields": "-", "c-port": "53312",
        "time-to-first-byte": "0.001", "x-edge-detailed-result-type": "Hit",
        "sc-content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "sc-content-len": str(e.sent), "sc-range-start": str(e.range[0]) if e.range else "-",
        "sc-range-end": str(e.range[1]) if e.range else "-",
    }
    return "\t".join(values[f] for f in CLOUDFRONT_FIELDS)


def s3(e: Event) -> str:
    op = "REST.HEAD.OBJECT" if e.method == "HEAD" else "REST.GET.OBJECT"
    key = quote(unquote(e.path).lstrip("/")) or "-"
    return (f"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be example-gov-files [{_clf(e)}] "
            f"{e.client} - 3E57427F3EXAMPLE {op} {key} \"{e.method} {e.path}{e.query} HTTP/1.1\" {e.status} - "
            f"{e.sent if e.sent else '-'} 48213 25 12 \"-\" \"{e.agent}\" - "
            f"s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 "
            f"ECDHE-RSA-AES128-GCM-SHA256 AuthHeader {e.host} TLSv1.2 - -")


def alb(e: Event) -> str:
    return (f"https {e.time:%Y-%m-%dT%H:%M:%S}.186641Z app/my-lb/50dc6c495c0c9188 {e.client}:2817 10.0.0.1:80 "
            f"0.000 0.048 0.000 {e.status} {e.status} 412 {e.sent} "
            f'"{e.method} https://{e.host}:443{e.path}{e.query} HTTP/1.1" "{e.agent}" ECDHE-RSA-AES128-GCM-SHA256 '
            f'TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 '
            f'"Root=1-58337281-1d84f3d73c47ec4e58577259" "{e.host}" "-" 0 {e.time:%Y-%m-%dT%H:%M:%S}.100000Z '
            f'"forward" "-" "-" "10.0.0.1:80" "{e.status}" "-" "-" TID_1234')


def cloudflare(e: Event) -> str:
    return json.dumps({"ClientIP": e.client, "ClientRequestHost": e.host, "ClientRequestMethod": e.method,
                       "ClientRequestURI": e.path + e.query, "EdgeEndTimestamp": int(e.time.timestamp() * 1e9) + 5000,
                       "EdgeResponseBytes": e.sent, "EdgeResponseStatus": e.status,
                       "EdgeStartTimestamp": int(e.time.timestamp() * 1e9), "RayID": "7c0a1b2c3d4e5f60",
                       "ClientRequestUserAgent": e.agent}, ensure_ascii=False)


def nginx_json(e: Event) -> str:
    return json.dumps({"time_iso8601": e.time.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "remote_addr": e.client,
                       "request": f"{e.method} {e.path}{e.query} HTTP/2.0", "status": str(e.status),
                       "body_bytes_sent": str(e.sent), "http_referer": "", "http_user_agent": e.agent,
                       "host": e.host, "http_range": f"bytes={e.range[0]}-{e.range[1]}" if e.range else "",
                       "request_time": "0.004"})


WRITERS = {
    "combined": combined, "vhost_combined": lambda e: combined(e, vhost=True),
    "common": lambda e: combined(e, common=True), "iis": iis, "cloudfront": cloudfront, "s3": s3, "alb": alb,
    "cloudflare": cloudflare, "nginx_json": nginx_json,
}
LABELS = {"combined": "combined", "vhost_combined": "combined", "common": "common", "iis": "iis",
          "cloudfront": "cloudfront", "s3": "s3", "alb": "alb", "cloudflare": "cloudflare", "nginx_json": "json"}
GZIPPED = {"cloudfront", "alb", "common"}


def garbage(rng: random.Random, with_path: bool) -> str:
    if with_path:
        return rng.choice(['203.0.113.9 - - [03/Nov/2026:15:0 "GET /files/d%C3%A9tenus%20liste(v2).xlsx',
                           '{"ClientRequestURI": "/files/d%C3%A9tenus%20liste(v2).xlsx", "Edge',
                           "liste(v2).xlsx liste(v2).xlsx ############"])
    return "".join(rng.choice("abc xyz{}[]\"'%/\\:;") for _ in range(rng.randrange(5, 90)))


def write_logs(folder: Path, events: list[Event], background: list[Event], seed: int = 11) -> dict:
    """Writes one file per format under `folder`; returns what the writer knows (lines, files)."""
    rng = random.Random(seed)
    per_format: dict[str, list[Event]] = {f: [] for f in FORMATS}
    owner: dict[tuple[str, str], str] = {}
    for e in events + background:
        choices = sorted(HOST_RECORDED) if e.host != "example.gov" else FORMATS
        if e.agent in CRAWLERS.values():   # the common format records no user agent
            choices = [f for f in choices if f != "common"]
        key = (e.client, e.agent)
        if key not in owner or owner[key] not in choices:
            owner[key] = rng.choice(choices)
        per_format[owner[key]].append(e)
    lines_total = unread_with_path = 0
    formats: dict[str, int] = {}
    (folder / "archive").mkdir(parents=True, exist_ok=True)
    for fmt, mine in per_format.items():
        mine.sort(key=lambda e: e.time)
        if fmt == "iis":
            half = len(mine) // 2
            lines = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
                     "#Date: 2026-11-03 00:00:00", "#Fields: " + " ".join(IIS_FIELDS)]
            lines += [iis(e) for e in mine[:half]]
            lines += ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
                      "#Fields: " + " ".join(IIS_FIELDS_AFTER_RESTART)]
            lines += [iis(e, IIS_FIELDS_AFTER_RESTART) for e in mine[half:]]
        elif fmt == "cloudfront":
            lines = ["#Version: 1.0", "#Fields: " + " ".join(CLOUDFRONT_FIELDS)] + [cloudfront(e) for e in mine]
        else:
            lines = [WRITERS[fmt](e) for e in mine]
        for _ in range(3):   # garbage: some lines hold the path's bytes, some do not
            at = rng.randrange(len(lines) // 2, len(lines))
            with_path = rng.random() < 0.5
            unread_with_path += with_path
            lines.insert(at, garbage(rng, with_path))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        lines_total += len(lines)
        formats[LABELS[fmt]] = formats.get(LABELS[fmt], 0) + 1
        where = folder / ("archive" if fmt in ("s3", "cloudflare") else "") / f"{fmt}-access.log"
        if fmt in GZIPPED:
            where.with_suffix(".log.gz").write_bytes(gzip.compress(data))
        else:
            where.write_bytes(data)
    (folder / "archive" / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    return {"lines": lines_total, "lines_unread": unread_with_path, "formats": formats, "files": len(FORMATS)}
