import sys
from pathlib import Path

# tests import the project as installed, but also work from a plain checkout
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# the `web_server` fixture (a real HTTP server on 127.0.0.1): see tests/helpers/webserver.py
pytest_plugins = ["tests.helpers.webserver"]
