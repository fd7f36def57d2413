"""Start `python -m bot` as a real process wired to the Slack stand-in.

    with SlackStandIn() as standin:
        bot = BotProcess(standin, tmp_dir, env={"AUTO_SCAN_CHANNELS": "C0AUTO"}).start()
        bot.url                   # http://127.0.0.1:PORT
        bot.logs()                # everything it wrote to stdout/stderr so far
        bot.restart(); bot.stop()

    # or the whole stack at once, e.g. in a module-scoped fixture:
    with running_bot(tmp_dir, env={...}) as stack:
        stack.slack.slash("/scan", url); stack.standin.wait_for("response_url"); stack.wait_scans_done(1)

The environment is built from scratch (no developer .env or shell settings leak in; the process
runs in `tmp_dir`, where python-dotenv looks for `.env`): the stand-in's URL and token, the test
signing secret, a free port, `DATABASE_PATH` in tmp_dir, `SCAN_ALLOW_HOSTS=127.0.0.1`, plus `env`.
The bot runs in its own process group so its scan children are stopped with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.slack_requests import SIGNING_SECRET, SlackRequests
from tests.helpers.slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    def __init__(self, standin, tmp_dir: Path | str, env: dict[str, str] | None = None,
                 signing_secret: str = SIGNING_SECRET):
        self.standin = standin
        self.tmp_dir = Path(tmp_dir)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log_path = self.tmp_dir / "bot.log"
        self.database_path = self.tmp_dir / "data" / "bot.json"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.tmp_dir),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "SLACK_BOT_TOKEN": standin.bot_token,
            "SLACK_SIGNING_SECRET": signing_secret,
            "SLACK_API_URL": standin.api_url,
            "DATABASE_PATH": str(self.database_path),
            "SCAN_ALLOW_HOSTS": "127.0.0.1",
            "SCAN_TIMEOUT_SECONDS": "20",
            "TAKEDOWN_POLL_SECONDS": "1",
            "TIMER_UPDATE_SECONDS": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> BotProcess:
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - kept open while the bot runs
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=self.tmp_dir, env=self.env,
            stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_healthy(timeout)
        return self

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the bot exited with {self.process.returncode}; log tail:\n{self.logs()[-3000:]}")
            if self.health():
                return
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"the bot did not answer /healthz within {timeout}s; log tail:\n{self.logs()[-3000:]}")

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def _signal_group(self, sig: int, even_if_exited: bool = False) -> None:
        if self.process and (even_if_exited or self.process.poll() is None):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)  # the group this bot leads (start_new_session)

    def stop(self, timeout: float = 10.0) -> int | None:
        if self.process is None:
            return None
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(5)
        self._signal_group(signal.SIGKILL, even_if_exited=True)  # scan children left behind, if any
        if self._log_file:
            self._log_file.close()
        return self.process.returncode

    def kill(self) -> None:
        self._signal_group(signal.SIGKILL)
        if self.process:
            self.process.wait(5)
        if self._log_file:
            self._log_file.close()

    def restart(self, timeout: float = 30.0) -> BotProcess:
        self.stop()
        return self.start(timeout)


@dataclass
class BotStack:
    """A stand-in, the bot process wired to it, and a signed-request sender."""

    standin: SlackStandIn
    bot: BotProcess
    slack: SlackRequests

    def scans_done(self) -> int:
        """How many scans the bot has finished (it logs one line per scan, without values)."""
        return self.bot.logs().count("scan done ")

    def wait_scans_done(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.scans_done() < count:
            if time.monotonic() >= deadline:
                raise AssertionError(f"{self.scans_done()} scans finished within {timeout}s, expected {count}")
            time.sleep(0.02)


@contextmanager
def running_bot(tmp_dir: Path | str, env: dict[str, str] | None = None):
    """`with running_bot(tmp_path_factory.mktemp("bot"), env) as stack:` for a module fixture."""
    with SlackStandIn() as standin:
        bot = BotProcess(standin, tmp_dir, env).start()
        try:
            yield BotStack(standin, bot, SlackRequests(bot.url, standin=standin))
        finally:
            bot.stop()


@contextmanager
def replica_bots(standin, tmp_dir: Path | str, env: dict[str, str], names=("a", "b")):
    """Bot processes ("a", "b") sharing the PostgreSQL in `env`'s DATABASE_URL, one stack each."""
    bots = [BotProcess(standin, Path(tmp_dir) / name, env).start() for name in names]
    try:
        yield [BotStack(standin, bot, SlackRequests(bot.url, standin=standin)) for bot in bots]
    finally:
        for bot in bots:
            bot.stop()


def wait_until(condition, timeout: float, what: str):
    """Poll `condition` until it returns something truthy; fail naming `what` (never a value)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def database(stack) -> dict:
    """The bot's store as it is on disk, as {table: {"id": document}}, read the way a command-line
    tool reads beside a running bot (read-only, no lock)."""
    url = stack.bot.env.get("DATABASE_URL")
    if url:  # replicas: the shared PostgreSQL database
        import psycopg

        with psycopg.connect(url) as conn:
            tables: dict = {}
            for name, doc_id, body in conn.execute("SELECT tbl, id, body FROM leakwatch_documents ORDER BY tbl, id"):
                tables.setdefault(name, {})[str(doc_id)] = body
            return tables
    from bot.store import Store

    return Store(stack.bot.database_path, read_only=True).snapshot()
