"""A watch's alert survives a bot killed mid-run, once (bot/watch/alerts.py): the run's write
records the alert as pending, and a bot dying before it went out sends it at its first look after
the restart (not an interval later), while one dying after it went out finds it in the channel and
does not send it again. Slack unreachable at that moment: the alert stays pending, never guessed.

The death is played at the boundaries: the run's `_alert` ends (before or after its real post) in
an exception no one catches in time, and from that point the store refuses every write, as a dead
process writes nothing more. The restart is a new runner over the same store file.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.watch.store import utcnow
from tests.watch.leaks import harmless_csv, page, roster

ROSTER = roster(60, seed=11)


class Killed(BaseException):
    """The process died here (not an Exception: nothing in the run handles it)."""


def _site(web) -> None:
    web.add("/", page("Maintenance", ["/files/budget.csv", "/files/upload.csv"]), content_type="text/html",
            etag='"home-1"')
    web.add("/files/budget.csv", harmless_csv(10), content_type="text/csv", etag='"budget-1"')
    web.add("/files/upload.csv", ROSTER.csv(), content_type="text/csv", etag='"upload-1"')


def _run(runner, now) -> int:
    futures = runner.run_due(now)
    for future in futures:
        future.exception(timeout=60)
    return len(futures)


def _dying_runner(bed, *, after_post: bool):
    """A runner that dies in its first alert: before posting it, or right after."""
    return dying(bed.runner(), after_post=after_post)


def dying(runner, *, after_post: bool):
    """`runner`, made to die in its first alert (before or right after its post)."""
    real_alert, real_modify = runner._alert, runner.watches.modify
    dead: list[bool] = []

    def alert(watch, doc, metadata=None):
        if after_post:
            real_alert(watch, doc, metadata)
        dead.append(True)
        raise Killed

    def modify(*args, **kwargs):
        if dead:
            raise Killed  # a dead process writes nothing more
        return real_modify(*args, **kwargs)

    runner._alert = alert
    runner.watches.modify = modify
    return runner


def _start(bed, runner):
    bed.standin.add_channel("maintenance", channel_id="C0MAINT")  # the bot is in the watch's channel
    watch = runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL",
                                  interval_seconds=3600, window_seconds=4 * 3600)
    now = utcnow()
    _run(runner, now)
    return watch.number, now


def _alerts_posted(bed) -> int:
    return sum(1 for text in bed.posts() if "Personal data found" in text)


@pytest.mark.parametrize("after_post", [False, True], ids=["killed-before-the-post", "killed-after-the-post"])
def test_an_alert_interrupted_by_a_kill_goes_out_once_at_the_restart(bed, after_post):
    _site(bed.web)
    number, now = _start(bed, _dying_runner(bed, after_post=after_post))
    assert _alerts_posted(bed) == (1 if after_post else 0)
    restarted = bed.reopen()
    left = restarted.watches.get(number)
    assert list(left.pending_alerts) == [bed.web.url("/files/upload.csv")] and left.alerted == {}
    # within the hour's interval: the pending alert makes the watch due at once
    assert _run(restarted, now + timedelta(seconds=5)) == 1
    assert _alerts_posted(bed) == 1, "the alert went out exactly once"
    opened = [o[0] for o in bed.services.incidents.opened]
    assert opened == [bed.web.url("/files/upload.csv")], "handed to the incident service once"
    settled = restarted.watches.get(number)
    assert settled.pending_alerts == {} and list(settled.alerted) == [bed.web.url("/files/upload.csv")]
    assert settled.alerts == 1

    assert _run(restarted, now + timedelta(seconds=3610)) == 1  # the next regular run (from the forced one)
    assert _alerts_posted(bed) == 1, "an unchanged leak does not alert again"


def test_a_pending_alert_is_never_guessed_while_slack_cannot_be_asked(bed):
    _site(bed.web)
    number, now = _start(bed, _dying_runner(bed, after_post=False))
    restarted = bed.reopen()
    bed.standin.fail_next("conversations.history", "internal_error")
    assert _run(restarted, now + timedelta(seconds=5)) == 1
    assert _alerts_posted(bed) == 0
    assert list(restarted.watches.get(number).pending_alerts) == [bed.web.url("/files/upload.csv")]
    # asked again only after the lease, not at every tick of the loop
    assert _run(restarted, now + timedelta(seconds=10)) == 0
    assert _run(restarted, now + timedelta(seconds=200)) == 1
    assert _alerts_posted(bed) == 1
    assert restarted.watches.get(number).pending_alerts == {}


def test_an_alert_that_went_out_is_settled_in_the_same_run(bed):
    _site(bed.web)
    runner = bed.runner()
    number, _ = _start(bed, runner)
    assert _alerts_posted(bed) == 1
    stored = runner.watches.get(number)
    assert stored.pending_alerts == {} and stored.alerts == 1
    post = [c for c in bed.standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0MAINT"][0]
    payload = post.params["metadata"]["event_payload"]
    assert payload["job"].startswith(f"watch:{number}:alert:") and "upload" not in payload["job"]


def test_a_pending_alert_for_a_channel_the_bot_cannot_read_is_sent_again_not_lost(bed):
    """The bot is not in the watch's channel: it could not have posted there, so the alert goes
    (again) to the owner's direct message rather than being held forever."""
    _site(bed.web)
    number, now = _start(bed, _dying_runner(bed, after_post=False))
    restarted = bed.reopen()
    bed.standin.fail_next("conversations.history", "not_in_channel")
    bed.standin.fail_next("chat.postMessage", "not_in_channel", where=lambda p: p.get("channel") == "C0MAINT")
    assert _run(restarted, now + timedelta(seconds=5)) == 1
    assert sum(1 for text in bed.posts("D0ONCALL") if "Personal data found" in text) == 1
    assert restarted.watches.get(number).pending_alerts == {}


def test_an_alert_posted_before_a_kill_is_found_after_a_settle_slack_refused_much_later(bed):
    """The search for an interrupted alert starts from when it was decided, not from the last
    claim: a restart half an hour later whose first look Slack refuses, then a look after the lease
    still finds the post made before the kill, and does not send it again."""
    _site(bed.web)
    number, now = _start(bed, _dying_runner(bed, after_post=True))
    assert _alerts_posted(bed) == 1
    restarted = bed.reopen()
    bed.standin.fail_next("conversations.history", "ratelimited")
    assert _run(restarted, now + timedelta(minutes=30)) == 1
    assert list(restarted.watches.get(number).pending_alerts) == [bed.web.url("/files/upload.csv")]
    assert _run(restarted, now + timedelta(minutes=45)) == 1
    assert _alerts_posted(bed) == 1, "the alert posted before the kill is found, not sent again"
    assert [o[0] for o in bed.services.incidents.opened] == [bed.web.url("/files/upload.csv")]
    settled = restarted.watches.get(number)
    assert settled.pending_alerts == {} and settled.alerts == 1
