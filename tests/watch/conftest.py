"""A runner wired to real parts: the store on disk, the Slack stand-in, a local web server.

Only the incident service is a recorder here (its own tests and the end-to-end watch test use
the real one): these tests are about when a watch alerts, not about incident rooms.
"""

from dataclasses import dataclass, field

import pytest

from bot.config import Settings
from bot.services import Services
from bot.store import Store
from bot.watch.runner import WatchRunner
from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.webserver import WebServer

KEY = "watch-test-key"


@dataclass
class RecordingIncidents:
    opened: list = field(default_factory=list)

    def handle_scan(self, report, reporter=None, origin_channel=None):
        self.opened.append((report.target, reporter, origin_channel, report.severity))
        return {"channel_id": "CINCIDENT", "number": len(self.opened)}


@dataclass
class Bed:
    web: WebServer
    standin: SlackStandIn
    services: Services
    store_path: str

    def runner(self) -> WatchRunner:
        return WatchRunner(self.services)

    def reopen(self) -> WatchRunner:
        """A new store object over the same file and a new runner: what a restart sees."""
        self.services.store.close()
        self.services.store = Store(self.store_path)
        return WatchRunner(self.services)

    def posts(self, channel: str = "C0MAINT") -> list[str]:
        return [c.params.get("text", "") for c in self.standin.calls_to("chat.postMessage")
                if c.params.get("channel") == channel]


@pytest.fixture
def bed(tmp_path):
    with WebServer() as web, SlackStandIn() as standin:
        settings = Settings.from_env({
            "SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": standin.api_url,
            "DATABASE_PATH": str(tmp_path / "bot.json"), "SCAN_ALLOW_HOSTS": "127.0.0.1",
            "FINGERPRINT_KEY": KEY, "SCAN_TIMEOUT_SECONDS": "15",
        })
        services = Services.build(settings)
        services.store = Store(settings.database_path)
        services.incidents = RecordingIncidents()
        yield Bed(web, standin, services, settings.database_path)
        services.shutdown()
