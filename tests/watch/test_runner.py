"""Watch runs driven step by step (no sleeping): alerts, conditional re-fetch, failures said
once, window end, stop, and a restart that carries on with the stored memory."""

from datetime import timedelta
from pathlib import Path

from bot.watch.store import ACTIVE, ENDED, STOPPED, parse_iso, utcnow
from tests.watch.leaks import harmless_csv, page, roster

ROSTER = roster(60, seed=11)


def _site(web, *, with_leak: bool = False):
    docs = ["/files/budget.csv", "/files/schedule.csv"] + (["/files/upload.csv"] if with_leak else [])
    web.add("/", page("Maintenance", docs), content_type="text/html", etag=f'"home-{len(docs)}"')
    web.add("/files/budget.csv", harmless_csv(10), content_type="text/csv", etag='"budget-1"')
    web.add("/files/schedule.csv", harmless_csv(4), content_type="text/csv",
            last_modified="Wed, 21 Oct 2026 07:28:00 GMT")
    if with_leak:
        web.add("/files/upload.csv", ROSTER.csv(), content_type="text/csv", etag='"upload-1"')


def _run(runner, now):
    futures = runner.run_due(now)
    for future in futures:
        future.result(timeout=60)
    return len(futures)


def test_a_leak_added_between_runs_alerts_once_and_opens_the_incident(bed):
    _site(bed.web)
    runner = bed.runner()
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL",
                                  interval_seconds=60, window_seconds=3600)
    now = utcnow()
    assert _run(runner, now) == 1, "the first run is due at once (the baseline)"
    assert bed.posts() == [] and bed.services.incidents.opened == []
    assert _run(runner, now) == 0, "not due again within the interval"

    _site(bed.web, with_leak=True)
    bed.web.clear_requests()
    assert _run(runner, now + timedelta(seconds=61)) == 1

    leak_url = bed.web.url("/files/upload.csv")
    assert [o[:3] for o in bed.services.incidents.opened] == [(leak_url, "U0ONCALL", "C0MAINT")]
    posts = bed.posts()
    assert len(posts) == 1 and f"Watch #{watch.number}" in posts[0]
    assert not any(row[1] in posts[0] for row in ROSTER.rows), "the alert holds no raw A-number"
    # the unchanged documents were asked conditionally and not sent again
    assert [r.status for r in bed.web.requests_for("/files/budget.csv")] == [304]
    assert [r.status for r in bed.web.requests_for("/files/schedule.csv")] == [304]

    bed.web.clear_requests()
    assert _run(runner, now + timedelta(seconds=122)) == 1
    assert len(bed.posts()) == 1, "an unchanged leak does not alert again"
    assert [r.status for r in bed.web.requests_for("/files/upload.csv")] == [304]
    stored = runner.watches.get(watch.number)
    assert (stored.runs, stored.alerts) == (3, 1)


def test_a_leak_taken_down_and_put_back_alerts_again(bed):
    _site(bed.web, with_leak=True)
    runner = bed.runner()
    runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=60, window_seconds=3600)
    now = utcnow()
    _run(runner, now)
    assert len(bed.posts()) == 1
    bed.web.remove("/files/upload.csv")
    _run(runner, now + timedelta(seconds=61))
    assert len(bed.posts()) == 1
    bed.web.add("/files/upload.csv", ROSTER.csv(), content_type="text/csv", etag='"upload-1"')
    _run(runner, now + timedelta(seconds=122))
    assert len(bed.posts()) == 2


def test_a_watch_that_keeps_failing_says_so_once_and_once_when_it_recovers(bed):
    runner = bed.runner()
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL",
                                  interval_seconds=60, window_seconds=3600)
    now = utcnow()
    for step in range(5):  # the page is missing: 404 every time
        _run(runner, now + timedelta(seconds=61 * step))
    posts = bed.posts()
    assert len(posts) == 1, f"{len(posts)} failure messages for 5 failed runs"
    assert "cannot read" in posts[0] and "404" in posts[0]
    assert runner.watches.get(watch.number).failures == 5

    _site(bed.web)
    _run(runner, now + timedelta(seconds=61 * 5))
    _run(runner, now + timedelta(seconds=61 * 6))
    posts = bed.posts()
    assert len(posts) == 2 and "can be read again" in posts[1]
    assert runner.watches.get(watch.number).failures == 0


def test_one_failed_run_is_not_news(bed):
    runner = bed.runner()
    runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=60, window_seconds=3600)
    now = utcnow()
    _run(runner, now)
    _site(bed.web)
    _run(runner, now + timedelta(seconds=61))
    assert bed.posts() == []


def test_the_watch_ends_with_its_window_and_says_so(bed):
    _site(bed.web)
    runner = bed.runner()
    started = utcnow() - timedelta(hours=3)
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL",
                                  interval_seconds=300, window_seconds=7200, now=started)
    _run(runner, utcnow())
    assert runner.watches.get(watch.number).status == ENDED
    assert bed.web.requests == [], "an ended watch fetches nothing"
    posts = bed.posts()
    assert len(posts) == 1 and "has ended after 2h" in posts[0]
    assert _run(runner, utcnow() + timedelta(hours=1)) == 0


def test_a_stopped_watch_does_not_run(bed):
    _site(bed.web)
    runner = bed.runner()
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=60, window_seconds=3600)
    assert runner.watches.finish(watch.number, STOPPED, by="U0ONCALL") is not None
    assert _run(runner, utcnow() + timedelta(seconds=120)) == 0
    assert bed.web.requests == []
    assert runner.watches.finish(watch.number, STOPPED, by="U0ONCALL") is None, "stopping twice is a no-op"


def test_a_restart_carries_on_with_the_stored_schedule_and_memory(bed):
    _site(bed.web)
    runner = bed.runner()
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=60, window_seconds=3600)
    now = utcnow()
    _run(runner, now)
    next_run = parse_iso(runner.watches.get(watch.number).next_run)

    restarted = bed.reopen()
    bed.web.clear_requests()
    assert _run(restarted, next_run - timedelta(seconds=1)) == 0, "not due before its stored time"
    assert _run(restarted, next_run) == 1
    assert {r.path: r.status for r in bed.web.requests} == {"/": 304, "/files/budget.csv": 304, "/files/schedule.csv": 304}
    stored = restarted.watches.get(watch.number)
    assert stored.status == ACTIVE and stored.runs == 2


def test_the_store_holds_no_content_and_no_raw_values(bed):
    _site(bed.web, with_leak=True)
    runner = bed.runner()
    runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=60, window_seconds=3600)
    _run(runner, utcnow())
    bed.services.store.close()
    stored = [p for p in Path(bed.store_path).parent.rglob("*") if p.is_file()]  # every file the store wrote
    assert any(p.name.startswith("watch-") for p in stored)
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in stored)
    leaked = sum(1 for row in ROSTER.rows if row[1] in text or row[0] in text)
    assert leaked == 0, f"{leaked} raw roster values in the store"


def test_an_alert_that_cannot_be_posted_in_the_channel_goes_to_the_watch_owner(bed):
    _site(bed.web, with_leak=True)
    runner = bed.runner()
    runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=60, window_seconds=3600)
    bed.standin.fail_next("chat.postMessage", "not_in_channel", where=lambda p: p.get("channel") == "C0MAINT")
    _run(runner, utcnow())
    direct = bed.posts("D0ONCALL")
    assert len(direct) == 1 and "Personal data found" in direct[0]


def test_the_window_ends_on_time_even_between_runs(bed):
    _site(bed.web)
    runner = bed.runner()
    started = utcnow()
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL",
                                  interval_seconds=600, window_seconds=900, now=started)
    _run(runner, started)
    _run(runner, started + timedelta(seconds=901))  # the next run would only be due at 1200 s
    assert runner.watches.get(watch.number).status == ENDED
    assert "has ended after 15m: 1 scan, no personal data found." in bed.posts()[-1]
