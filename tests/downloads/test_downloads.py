"""`python -m bot downloads` against generated logs whose truth is known (tests/downloads/loggen.py)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.downloads.crawlers import crawler_for
from bot.downloads.reader import needle_for
from bot.downloads.summary import downloads_report
from tests.downloads.loggen import CRAWLERS, END, SIZE, START, URL, Event, scenario, truth
from tests.downloads.logwriters import WRITERS, write_logs

ROOT = Path(__file__).resolve().parents[2]
FMT = "%Y-%m-%dT%H:%M:%SZ"


def run_downloads(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot", "downloads", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("logs")
    events, background = scenario()
    known = write_logs(folder, events, background)
    return folder, events, known


def assert_matches_truth(report: dict, expected: dict) -> None:
    for key, value in expected.items():
        if key == "crawlers":
            got = {c["name"]: (c["requests"], c["first"], c["complete"]) for c in report["crawlers"]}
            assert got == value
        else:
            assert report[key] == value, key


def test_every_format_in_one_folder_gives_the_true_counts(logs, tmp_path):
    folder, events, known = logs
    export = tmp_path / "clients.csv"
    done = run_downloads(str(folder), "--url", URL, "--from", START.strftime(FMT), "--to", END.strftime(FMT),
                         "--json", "--export", str(export))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert_matches_truth(report, truth(events))
    assert report["lines"] == known["lines"]
    assert report["lines_unread"] == known["lines_unread"]
    assert report["formats"] == known["formats"]
    assert report["files"] == known["files"]
    assert [p["reason"] for p in report["files_unread"]] == ["not a text log (binary content)"]
    assert report["window"] == {"from": START.strftime(FMT), "to": END.strftime(FMT)}
    assert report["size"] == SIZE
    assert all(c["claimed_only"] for c in report["crawlers"])
    assert report["error"] is None
    with export.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len({(r["client"], r["user_agent"]) for r in rows})
    assert sum(int(r["complete"]) for r in rows) == report["downloads_complete"]
    assert sum(int(r["requests"]) for r in rows) == report["requests"]
    assert report["downloads_complete_external"] == sum(int(r["complete"]) for r in rows if r["internal"] == "False")


def test_text_output_shows_counts_and_crawlers_but_no_client(logs):
    folder, events, _ = logs
    done = run_downloads(str(folder), "--url", URL, "--from", START.strftime(FMT), "--to", END.strftime(FMT))
    assert done.returncode == 0, done.stderr
    expected = truth(events)
    assert f"{expected['downloads_complete']} complete" in done.stdout
    for name in expected["crawlers"]:
        assert name in done.stdout
    for event in events:
        assert event.client not in done.stdout, "a client address reached the text output"
    assert "Mozilla" not in done.stdout


def test_without_a_window_every_request_counts(logs):
    folder, events, _ = logs
    report = downloads_report([str(folder)], URL)
    inside = truth(events)["requests"]
    outside = sum(1 for e in events if e.method == "GET" and not START <= e.time <= END
                  and e.host == "example.gov")
    assert report["requests"] == inside + outside
    assert report["window"] == {"from": None, "to": None}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_each_format_alone(fmt, tmp_path):
    events, _ = scenario(seed=3)
    if fmt == "common":   # no user agent, no host in the common format
        events = [e for e in events if e.agent not in CRAWLERS.values() and e.host == "example.gov"]
    elif fmt == "combined":
        events = [e for e in events if e.host == "example.gov"]
    text = "\n".join(WRITERS[fmt](e) for e in events) + "\n"
    if fmt == "cloudfront":
        from tests.downloads.logwriters import CLOUDFRONT_FIELDS
        text = "#Version: 1.0\n#Fields: " + " ".join(CLOUDFRONT_FIELDS) + "\n" + text
    if fmt == "iis":
        from tests.downloads.logwriters import IIS_FIELDS
        text = "#Fields: " + " ".join(IIS_FIELDS) + "\n" + text
    (tmp_path / "access.log").write_text(text, encoding="utf-8")
    report = downloads_report([str(tmp_path)], URL, start=START, end=END)
    expected = truth(events)
    if fmt in ("combined", "common", "s3", "alb", "cloudflare"):   # 206 offsets unrecorded: byte counts decide
        for key in ("downloads_complete", "downloads_partial"):
            expected.pop(key)
        assert report["downloads_complete"] + report["downloads_partial"] > 0
    if fmt == "common":
        expected.pop("clients")
    assert_matches_truth(report, expected)
    assert report["lines_unread"] == 0


def test_the_file_size_decides_complete_downloads(logs):
    folder, events, _ = logs
    smaller = downloads_report([str(folder)], URL, start=START, end=END, size=1024)
    default = downloads_report([str(folder)], URL, start=START, end=END)
    assert smaller["downloads_complete"] > default["downloads_complete"]
    assert smaller["downloads_complete"] + smaller["downloads_partial"] >= default["downloads_complete"]


def test_nothing_readable_exits_2_with_one_sentence(tmp_path):
    missing = run_downloads(str(tmp_path / "nope.log"), "--url", URL, "--json")
    assert missing.returncode == 2
    report = json.loads(missing.stdout)
    assert report["error"] and "no such file" in report["error"]
    (tmp_path / "notes.txt").write_text("Maintenance window at 22:00.\nNothing else.\n", encoding="utf-8")
    prose = run_downloads(str(tmp_path / "notes.txt"), "--url", URL)
    assert prose.returncode == 2 and "Traceback" not in prose.stderr + prose.stdout


def test_garbage_cut_gzip_and_an_endless_line_are_counted_not_fatal(tmp_path):
    good = WRITERS["combined"](Event(START.replace(hour=15), "203.0.113.5", "curl/8.5.0"))
    (tmp_path / "a.log").write_bytes(b"x" * (3 << 20) + b"liste(v2).xlsx\n" + good.encode() + b"\n\xff\xfe\n")
    whole = gzip.compress(("\n".join([good] * 5000) + "\n").encode())
    (tmp_path / "b.log.gz").write_bytes(whole[: len(whole) // 2])
    report = downloads_report([str(tmp_path)], URL)
    assert report["error"] is None
    assert report["requests"] >= 2
    assert report["lines_unread"] >= 1
    assert any("part" in p["reason"] for p in report["files_unread"])


@pytest.mark.parametrize("logged", ["/files/d%C3%A9tenus%20liste(v2).xlsx", "/files/d%c3%a9tenus%20liste%28v2%29.xlsx",
                                    "/files/détenus liste(v2).xlsx", "/files/d\\xc3\\xa9tenus+liste(v2).xlsx",
                                    "/files/d%C3%A9tenus%20liste(v2).xlsx?dl=1"])
def test_every_spelling_of_the_path_holds_the_filter_bytes(logged):
    from urllib.parse import unquote_to_bytes, urlsplit

    needle = needle_for(unquote_to_bytes(urlsplit(URL).path))
    assert needle and needle in logged.encode("utf-8")


def test_crawler_table_names_the_bots_own_unfurls_and_archives():
    slack = crawler_for(CRAWLERS["Slack unfurl (Slackbot-LinkExpanding)"])
    assert slack.name == "Slack unfurl (Slackbot-LinkExpanding)" and slack.own and slack.kind == "social"
    assert crawler_for(CRAWLERS["Internet Archive"]).kind == "archive"
    assert crawler_for(CRAWLERS["Googlebot"]).kind == "search"
    assert crawler_for("Slackbot 1.0 (+https://api.slack.com/robots)").own is False
    assert crawler_for(CRAWLERS["OpenAI GPTBot"]).kind == "ai"
    assert crawler_for("Mozilla/5.0 (Windows NT 10.0) Firefox/133.0") is None


def test_small_blocks_give_the_same_report(logs, monkeypatch):
    """Lines cut by block and window edges (mmap windows for plain files, buffers for gzip)."""
    import bot.downloads.stream as stream

    folder, events, known = logs
    whole = downloads_report([str(folder)], URL, start=START, end=END)
    monkeypatch.setattr(stream, "WINDOW", 2 * 4096)
    monkeypatch.setattr(stream, "BLOCK", 4096 + 17)
    monkeypatch.setattr(stream, "HEAD", 4096)
    small = downloads_report([str(folder)], URL, start=START, end=END)
    assert small == whole
    assert_matches_truth(small, truth(events))
    assert small["lines"] == known["lines"]


def test_gzip_of_several_members_is_read_whole(tmp_path):
    lines = [WRITERS["nginx_json"](Event(START.replace(hour=15, minute=m), f"203.0.113.{m + 1}", "curl/8.5.0"))
             for m in range(40)]
    parts = [gzip.compress(("\n".join(lines[i:i + 10]) + "\n").encode()) for i in range(0, 40, 10)]
    (tmp_path / "access.log.1.gz").write_bytes(b"".join(parts))
    report = downloads_report([str(tmp_path)], URL)
    assert (report["lines"], report["requests"], report["downloads_complete"]) == (40, 40, 40)
    assert report["files_unread"] == []


def test_memory_bounds_pool_clients_and_say_so(logs, monkeypatch):
    import bot.downloads.tally as tally

    folder, events, _ = logs
    whole = downloads_report([str(folder)], URL, start=START, end=END)
    assert whole["capped"] is False
    monkeypatch.setattr(tally, "MAX_CLIENTS", 5)
    monkeypatch.setattr(tally, "MAX_CONTENT", 20)
    capped = downloads_report([str(folder)], URL, start=START, end=END)
    assert capped["capped"] is True
    assert capped["requests"] == whole["requests"]          # every request is still counted
    assert capped["clients"] <= 6 and capped["downloads_complete"] <= whole["downloads_complete"]
    assert sum(1 for c in capped["top_clients"] if c["client"] == "(more clients)") == 1
