"""The local workspace survives a restart: its Slack state and its sample site are kept on disk.

    saver = WorkspaceSaver(path, live, site)    # path: beside the bot's database
    state = load(path)                          # {} when there is none (or it is unreadable)
    saver.start()                               # saves at most once a second after a change
    saver.stop()                                # saves what is left, at shutdown

One JSON file, written atomically (a temporary file renamed over it), readable by its owner only,
like the bot's own database, and the bytes of each file sent in it once, in `workspace-files/`
beside it. It holds what the stand-in holds (channels, messages, pins, files, users) and where the sample site listens and whether its roster was taken down,
so incidents, timers and checklists in the bot's database still point at the right channels and
URLs after a restart. A damaged file is set aside (`.damaged`) and the workspace starts afresh.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
from pathlib import Path

log = logging.getLogger(__name__)

SAVE_EVERY_SECONDS = 1.0
_SAFE_ID = re.compile(r"^F[0-9A-Za-z]{1,40}$")


def files_dir(path: Path) -> Path:
    return path.with_name("workspace-files")


def read_file(path: Path, file_id: str) -> bytes:
    try:
        return (files_dir(path) / file_id).read_bytes() if _SAFE_ID.match(file_id) else b""
    except OSError:
        return b""


def load(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("the local workspace file was unreadable; it was set aside and the workspace starts afresh")
        with contextlib.suppress(OSError):
            path.replace(path.with_suffix(path.suffix + ".damaged"))
        return {}
    return state if isinstance(state, dict) else {}


class WorkspaceSaver:
    def __init__(self, path: Path, live, site):
        self.path, self.live, self.site = path, live, site
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def mark(self) -> None:
        self._dirty.set()

    def start(self) -> WorkspaceSaver:
        self.live.on_change = self.mark
        self.site.on_change = self.mark
        self._thread = threading.Thread(target=self._loop, name="workspace-saver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._dirty.set()
        if self._thread:
            self._thread.join(10)
        self.save()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait()
            if self._stopping.is_set():
                return
            self._stopping.wait(SAVE_EVERY_SECONDS)
            self._dirty.clear()
            self.save()

    def save(self) -> None:
        self._save_files()
        state = {"live": self.live.export_state(),
                 "sample": {"port": self.site.port, "removed": self.site.removed,
                            "published_at": self.site.published_at, "drills": dict(self.site.drills)}}
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(state, handle)
            os.replace(temporary, self.path)
        except OSError as err:
            log.warning("could not save the local workspace: %s", type(err).__name__)

    def _save_files(self) -> None:
        """Each file's bytes once, in its own 0600 file (the state holds only their descriptions)."""
        folder = files_dir(self.path)
        for file_id, content in self.live.file_blobs().items():
            target = folder / file_id
            if not _SAFE_ID.match(file_id) or target.exists():
                continue
            try:
                folder.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(folder / (file_id + ".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(content)
                os.replace(folder / (file_id + ".tmp"), target)
            except OSError as err:
                log.warning("could not save a file of the local workspace: %s", type(err).__name__)
