"""Starting the same watch twice at once makes one watch (WatchStore.start: the check and the
create in one transaction scoped to the page and channel): two replicas on one PostgreSQL (two
pools, as two bot processes have), or one process's threads on TinyDB. And `/watch` on a page
this channel already watches says so, privately, naming the running watch."""

from __future__ import annotations

import pytest

from bot.store import Store
from bot.watch.store import WatchStore
from commands.watch import on_watch_command
from tests.helpers.threads import run_at_once

URL = "https://example.gov/maintenance/"
STARTS = 12


@pytest.fixture(params=["tinydb", "postgresql"])
def two_replicas(request, tmp_path):
    if request.param == "postgresql":
        yield tuple(WatchStore(store) for store in request.getfixturevalue("postgres_replicas"))
        return
    store = Store(tmp_path / "bot.json")
    yield WatchStore(store), WatchStore(store)
    store.close()


def start(watches: WatchStore, *, url: str = URL, channel: str = "C0MAINT", user: str = "U0A"):
    return watches.start(url=url, channel=channel, user=user, interval_seconds=300, window_seconds=7200)


def test_many_starting_the_same_watch_at_once_make_one(two_replicas):
    one, two = two_replicas
    results: list = []
    run_at_once(lambda n: results.append(start((one, two)[n % 2], user=f"U{n:03d}")), STARTS)
    assert len(results) == STARTS
    assert sum(new for _watch, new in results) == 1
    assert len({watch.number for watch, _new in results}) == 1
    assert len(one.active()) == len(two.active()) == 1


def test_another_channel_or_page_is_another_watch(two_replicas):
    one, two = two_replicas
    first, new = start(one)
    assert new
    again, new = start(two, url="https://EXAMPLE.GOV/maintenance/")  # the same page, spelled otherwise
    assert (again.number, new) == (first.number, False)
    assert start(two, channel="C0OTHER")[1]
    assert start(one, url="https://example.gov/other/")[1]
    assert len(two.active()) == 3


def test_the_command_names_the_watch_already_running(bed):
    bed.services.watches = bed.runner()
    url = bed.web.url("/")
    answers: list[dict] = []
    command = {"user_id": "U0A", "channel_id": "C0MAINT", "text": f"{url} every 5m for 2h"}
    for _ in range(2):
        on_watch_command(lambda **reply: answers.append(reply), command, {"services": bed.services})
    assert [a.get("response_type") for a in answers] == ["in_channel", "ephemeral"]
    assert "started watch #1" in answers[0]["text"]
    assert answers[1]["text"].startswith("This page is already watched here as #1 ")
    assert len(bed.services.watches.watches.active()) == 1
