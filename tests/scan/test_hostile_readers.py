"""Every hostile file, through sniff + read_document, ends in one plain sentence, fast and small.

Each file is generated here, written to a temp file, and read in a fresh subprocess so its peak
memory (interpreter + the file's bytes + reading) can be measured on its own. The child prints
one JSON line; a traceback or any non-Leakwatch exception fails the test.

Peak memory is the child's VmHWM (/proc/self/status). Its ru_maxrss is not used: on Linux the
value survives execve, so a child spawned from a big pytest process would report the parent's
peak instead of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scan.hostile_files import CONTENT_MARKERS, HOSTILE

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 300
TIME_BUDGET_SECONDS = 10

_CHILD = """
import json, resource, sys, time
from bot.errors import LeakwatchError
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import Table
from bot.scan.readers import read_document
from bot.scan.sniff import sniff

data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
outcome = {"error": None}
try:
    kind = sniff(data)
    document = read_document(data, name=sys.argv[2], limits=ReadLimits(), deadline=Deadline(float(sys.argv[3])),
                             kind=kind)
    for part in document.parts:
        for _ in (part.rows if isinstance(part, Table) else part.lines):
            pass
except LeakwatchError as error:
    outcome = {"error": type(error).__name__, "message": str(error)}
outcome["kind"] = kind
outcome["seconds"] = time.perf_counter() - started
outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/status") as status:
        hwm = [line for line in status if line.startswith("VmHWM:")]
    outcome["peak_mb"] = int(hwm[0].split()[1]) / 1024
except (OSError, IndexError):
    pass  # not Linux: ru_maxrss it is
print(json.dumps(outcome))
"""


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_ends_in_one_plain_sentence(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), name, str(TIME_BUDGET_SECONDS)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, f"child failed with exit {result.returncode} ({len(result.stderr)} bytes on stderr)"
    assert "Traceback" not in result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["error"] in ("LimitExceeded", "UnreadableContent"), outcome.get("error")
    message = outcome["message"]
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith(".") and message[0].isupper() and len(message) < 240
    leaked = [marker for marker in CONTENT_MARKERS if marker.lower() in message.lower()]
    assert not leaked, f"{len(leaked)} content markers in the message"
    assert outcome["seconds"] < TIME_BUDGET_SECONDS
    assert outcome["peak_mb"] < MAX_RSS_MB, f"peak {outcome['peak_mb']:.0f} MB"
