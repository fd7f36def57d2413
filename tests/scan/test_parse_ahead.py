"""Parsing a chunk ahead on the second core changes nothing: the 55,000-row people CSV of the
differential test, streamed with the worker forced on (whatever the machine's load), gives the
golden report; and a worker that dies mid-scan is replaced by parsing in this process."""

from __future__ import annotations

from bot.scan import column_parse, parse_ahead, split_scan
from tests.differential import BIG, differences, load, scan_bigfile, scan_local


def test_parsing_ahead_gives_the_golden_report(tmp_path, monkeypatch):
    monkeypatch.setattr(parse_ahead, "worth_it", lambda: True)
    monkeypatch.setattr(split_scan, "start", lambda *args: None)  # a file the second process cannot take
    submitted = []
    real_submit = parse_ahead.ParseAhead.submit
    monkeypatch.setattr(parse_ahead.ParseAhead, "submit",
                        lambda self, spec, columns: submitted.append(1) or real_submit(self, spec, columns))
    rows = BIG["sketch"]
    got = {f"people-{rows}.csv": scan_bigfile(tmp_path, rows, scan_local)}
    assert len(submitted) > 20  # the worker parsed the chunks
    assert not differences(load("sketch"), got), differences(load("sketch"), got)


def test_a_worker_that_fails_is_replaced_by_parsing_here(tmp_path, monkeypatch):
    monkeypatch.setattr(parse_ahead, "worth_it", lambda: True)
    monkeypatch.setattr(split_scan, "start", lambda *args: None)

    def broken(self, future, spec, columns):
        if future is not None:
            future.cancel()
        self.broken = True
        return column_parse.parse_columns(spec, columns)

    monkeypatch.setattr(parse_ahead.ParseAhead, "result", broken)
    rows = BIG["sketch"]
    got = {f"people-{rows}.csv": scan_bigfile(tmp_path, rows, scan_local)}
    assert not differences(load("sketch"), got), differences(load("sketch"), got)
