"""The local workspace as a person starts it: `python -m bot` in an empty folder, no Slack settings.

    ws = WorkspaceProcess(tmp_dir, env={"TAKEDOWN_POLL_SECONDS": "1"}).start()
    ws.url            # http://127.0.0.1:PORT  (from the one line it printed)
    ws.line           # that line
    ws.state()        # GET /api/state as JSON (no waiting)
    ws.post("/api/command", {"channel": "C0GENERAL", "text": "/scan ..."})
    ws.wait(lambda state: ..., what="...")    # polls the state until the condition holds
    ws.stop()

The environment is built from scratch (PATH, HOME, PYTHONPATH and what the test passes), so no
developer .env or Slack setting leaks in; the process runs in its own group and is stopped with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.bot_process import free_port

ROOT = Path(__file__).resolve().parents[2]
QUICK = {"TAKEDOWN_POLL_SECONDS": "1", "TIMER_UPDATE_SECONDS": "1", "SCAN_TIMEOUT_SECONDS": "20"}


class WorkspaceProcess:
    def __init__(self, tmp_dir: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.tmp_dir = Path(tmp_dir)
        self.port = port or free_port()
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.tmp_dir), "LANG": "C.UTF-8",
                    "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "PORT": str(self.port), **(env or {})}
        self.out_path = self.tmp_dir / "stdout.txt"
        self.log_path = self.tmp_dir / "stderr.txt"
        self.process: subprocess.Popen | None = None
        self.line = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 40.0) -> WorkspaceProcess:
        already = self.out_path.stat().st_size if self.out_path.exists() else 0
        with open(self.out_path, "ab") as out, open(self.log_path, "ab") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=self.tmp_dir, env=self.env,
                                            stdout=out, stderr=err, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.out_path.read_bytes()[already:].decode("utf-8", "replace").splitlines()
            if lines:
                self.line = lines[-1]
                return self
            if self.process.poll() is not None:
                raise AssertionError(f"the workspace exited with {self.process.returncode}:\n{self.logs()[-3000:]}")
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"the workspace said nothing within {timeout}s:\n{self.logs()[-3000:]}")

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 15.0) -> int | None:
        if self.process is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # scan children left behind, if any
        return self.process.returncode

    def request(self, path: str, body: bytes | None = None, headers: dict | None = None,
                method: str | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(self.url + path, data=body, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def state(self) -> dict:
        return self.request("/api/state?since=-1")[1]

    def post(self, path: str, payload: dict) -> tuple[int, dict]:
        return self.request(path, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def wait(self, condition, what: str, timeout: float = 40.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = condition(self.state())
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def workspace(tmp_path):
    started: list[WorkspaceProcess] = []

    def start(env: dict[str, str] | None = None, **kw) -> WorkspaceProcess:
        ws = WorkspaceProcess(tmp_path, {**QUICK, **(env or {})}, **kw).start()
        started.append(ws)
        return ws

    yield start
    for ws in started:
        ws.stop()


def incident_channel(state: dict) -> dict | None:
    return next((c for c in state["channels"] if c["name"].startswith("inc-pii")), None)


def texts(state: dict, channel: str) -> list[str]:
    """Every message's text and block texts in a channel, flattened (for assertions on words)."""
    out = []
    for message in state["messages"].get(channel, []):
        out.append((message.get("text") or "") + " " + json.dumps(message.get("blocks") or []))
    return out
