"""The incident service's test world: its settings against the Slack stand-in, a real TinyDB store,
a clock the test moves and takedown observations the test sets (shared by test_service.py and
test_paging_followup.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.incidents.service import IncidentService
from bot.incidents.takedown import Observation
from bot.scan.report import Finding, Report
from bot.slack.client import SlackGateway, make_web_client
from bot.store import Store

START = datetime(2026, 11, 28, 14, 0, 0, tzinfo=UTC)
FPS = [f"{n:064x}" for n in range(1, 31)]
URL = "https://files.example.gov/exports/roster.csv"


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def leak_report(url: str = URL, fps: list[str] = FPS) -> Report:
    report = Report(target=url, kind="csv", records_affected=len(fps), content_sha256="ab" * 32,
                    last_modified="Sat, 28 Nov 2026 09:00:00 GMT", http_status=200, final_url=url,
                    findings=[Finding("A_NUMBER", len(fps), 0.97, ["table 1 column \"A-Number\" rows 2-31"],
                                      ["A•••••0001", "A•••••0002"], list(fps))])
    report.set_severity("critical", "high")
    return report


def settings_for(standin, tmp_path, **extra: str) -> Settings:
    """The bot's settings against `standin`, its store in `tmp_path`: a 10-minute target, a 60 s
    timer, 30 s polls, on-call S0ONCALL; `extra` settings on top."""
    return Settings.from_env({
        "SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": standin.api_url,
        "DATABASE_PATH": str(tmp_path / "data" / "bot.json"), "ONCALL_USERGROUP": "S0ONCALL",
        "TAKEDOWN_TARGET_MINUTES": "10", "TIMER_UPDATE_SECONDS": "60", "TAKEDOWN_POLL_SECONDS": "30",
        "FINGERPRINT_KEY": "k", **extra,
    })


def service_maker(settings: Settings, clock: Clock, observations: dict[str, Observation]):
    """A function making the service as the bot does at start, on the same store each time (a
    restart), its takedown checks answered from `observations` by URL."""
    def make_service() -> IncidentService:
        slack = SlackGateway(make_web_client(settings), settings)
        return IncidentService(settings, slack, Store(settings.database_path), clock=clock,
                               recheck=lambda url, scan_settings, **_: observations[url])
    return make_service


def restart(make_service) -> IncidentService:
    """The bot started again on the same store, its interrupted work resumed."""
    svc = make_service()
    svc.resume()
    return svc


def claim_the_first_reminder(svc: IncidentService, clock: Clock, number: int):
    """The 50% reminder falls due and this process claims it (then, in the test, dies)."""
    clock.advance(minutes=5, seconds=1)
    job = svc.records.job(number, "takedown:reminder:50")
    assert svc.records.claim(job.id, clock())
    return job
