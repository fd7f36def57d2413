"""What the fetcher tests share: the settings they fetch with and a small CSV body. Their guard on
connects is the `connects` fixture (tests/scan/conftest.py)."""

from bot.config import ScanSettings

LOCAL = ScanSettings(allow_hosts=("127.0.0.1",), timeout_seconds=5, max_bytes=1_000_000)
STRICT = ScanSettings(timeout_seconds=5, max_bytes=1_000_000)
CSV = b"name,city\nrow one,somewhere\nrow two,elsewhere\n"
