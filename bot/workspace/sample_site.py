"""The sample site to practise on: a small public site on 127.0.0.1 that publishes a roster.

    site = SampleSite(port=0).start()     # a threaded HTTP server on 127.0.0.1
    site.url                              # http://127.0.0.1:PORT/
    site.roster_url / site.clean_url      # the leak (synthetic people, sample.py) and a clean page
    site.take_down() / site.restore()     # what the buttons on its front page do
    site.removed, site.published_at       # state, for the workspace page (and persist.py)

Front page: links to the roster and the clean page, and a "Take the roster down" button; after
it, the roster answers 404 and the bot's re-check proves the takedown. "Publish it again" puts it
back (a new Last-Modified), to practise once more.

Drills (`/incident drill`, DRILL_URL = <site>/drills/): any `/drills/drill-<6 hex>.csv` serves the
same synthetic roster, a fresh file per drill, listed on the front page (the newest MAX_DRILLS)
with its own "Take the drill file down" button. Only GET, HEAD and the two POST forms; every
other request is 404 or 405. The local workspace allows the scanner to fetch exactly this
host:port (SCAN_ALLOW_HOSTS), nothing else on the machine.
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.workspace.sample import ROSTER_NAME, clean_page, roster_csv

ROSTER_PATH = f"/files/{ROSTER_NAME}"
DRILLS_PATH = "/drills/"
MAX_DRILLS = 20
_DRILL_NAME = re.compile(r"^drill-[0-9a-f]{6}\.csv$")
CLEAN_PATH = "/visiting-hours.html"

_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;color:#1d1d1f;
background:#fff}h1{font-size:1.5rem}.note{background:#fff7d6;border:1px solid #8a6d00;padding:.5rem .75rem;
border-radius:6px}button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:2px solid #8b1a1a;
background:#8b1a1a;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#1d1d1f;border-color:#555}
button:focus-visible,a:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}a{color:#1a5fb4}
.gone{color:#555}form.inline{display:inline}li{margin:.5rem 0}"""


class SampleSite:
    def __init__(self, port: int = 0, *, removed: bool = False, published_at: str | None = None,
                 drills: dict[str, dict] | None = None):
        self.removed = removed
        #: drill file name -> {"removed": bool, "published_at": HTTP date}, oldest first
        self.drills: OrderedDict[str, dict] = OrderedDict(drills or {})
        self.published_at = published_at or format_datetime(datetime.now(UTC), usegmt=True)
        self._roster = roster_csv()
        self._clean = clean_page()
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()
        #: called after a takedown or a restore (persist.py saves the state)
        self.on_change = None

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> SampleSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "SampleSite"
            sys_version = ""

            def do_GET(self):
                site._get(self, head=False)

            def do_HEAD(self):
                site._get(self, head=True)

            def do_POST(self):
                site._post(self)

            def log_message(self, format, *args):
                pass

        try:
            self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        except OSError:  # the remembered port is taken now: any free one
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="sample-site", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server, "start() the sample site first"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def roster_url(self) -> str:
        return self.url.rstrip("/") + ROSTER_PATH

    @property
    def clean_url(self) -> str:
        return self.url.rstrip("/") + CLEAN_PATH

    def status(self) -> dict:
        return {"url": self.url, "roster_url": self.roster_url, "clean_url": self.clean_url,
                "removed": self.removed, "published_at": self.published_at, "drills_url": self.url + DRILLS_PATH[1:]}

    # --- what the buttons do --------------------------------------------------------------------------

    def take_down(self, drill: str | None = None) -> None:
        with self._lock:
            if drill is not None:
                if drill in self.drills:
                    self.drills[drill]["removed"] = True
            else:
                self.removed = True
        if self.on_change:
            self.on_change()

    def restore(self) -> None:
        with self._lock:
            self.removed = False
            self.published_at = format_datetime(datetime.now(UTC), usegmt=True)
        if self.on_change:
            self.on_change()

    # --- HTTP ------------------------------------------------------------------------------------------

    def _get(self, request: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = request.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(request, 200, self._front_page(), "text/html; charset=utf-8", head=head)
        elif path == ROSTER_PATH and not self.removed:
            self._send(request, 200, self._roster, "text/csv; charset=utf-8", head=head,
                       extra={"Last-Modified": self.published_at})
        elif path == CLEAN_PATH:
            self._send(request, 200, self._clean, "text/html; charset=utf-8", head=head)
        elif path.startswith(DRILLS_PATH) and _DRILL_NAME.match(path[len(DRILLS_PATH):]):
            drill = self._drill(path[len(DRILLS_PATH):])
            if drill["removed"]:
                self._send(request, 404, b"not found", "text/plain", head=head)
            else:
                self._send(request, 200, self._roster, "text/csv; charset=utf-8", head=head,
                           extra={"Last-Modified": drill["published_at"]})
        else:
            self._send(request, 404, b"<!doctype html><title>Not found</title><h1>Not found</h1>",
                       "text/html; charset=utf-8", head=head)

    def _drill(self, name: str) -> dict:
        """A drill's file, published the first time it is asked for (the bot's first look)."""
        with self._lock:
            if name not in self.drills:
                self.drills[name] = {"removed": False,
                                     "published_at": format_datetime(datetime.now(UTC), usegmt=True)}
                while len(self.drills) > MAX_DRILLS:
                    self.drills.popitem(last=False)
            return dict(self.drills[name])

    def _post(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        form = request.rfile.read(length).decode("ascii", "replace") if 0 < length <= 10_000 else ""
        path = request.path.split("?", 1)[0]
        drill = form.removeprefix("file=") if form.startswith("file=") else ""
        if path == "/takedown" and _DRILL_NAME.match(drill):
            self.take_down(drill)
        elif path == "/takedown":
            self.take_down()
        elif path == "/restore":
            self.restore()
        else:
            self._send(request, 405, b"method not allowed", "text/plain")
            return
        self._send(request, 303, b"", "text/plain", extra={"Location": "/"})

    @staticmethod
    def _send(request, status: int, body: bytes, content_type: str, *, head: bool = False,
              extra: dict | None = None) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            request.send_header(name, value)
        request.end_headers()
        if not head:
            request.wfile.write(body)

    def _front_page(self) -> bytes:
        roster = html.escape(ROSTER_PATH)
        if self.removed:
            document = (f'<p class="gone">The detention roster was taken down. ({html.escape(ROSTER_NAME)} now '
                        'answers "404 Not found".)</p><form method="post" action="/restore">'
                        '<button class="secondary" type="submit">Publish the roster again</button></form>')
        else:
            document = (f'<p><a href="{roster}">Detention roster (CSV)</a>: published by mistake during site '
                        'maintenance.</p><form method="post" action="/takedown">'
                        '<button type="submit">Take the roster down</button></form>')
        drills = ""
        with self._lock:
            listed = list(self.drills.items())
        for name, drill in reversed(listed):
            if drill["removed"]:
                drills += f"<li>{html.escape(name)}: taken down.</li>"
            else:
                # named, not linked: a /watch or /scan --crawl of this site follows links, and a
                # drill's file is the drill's alone
                drills += (f'<li>{html.escape(name)} '
                           '<form method="post" action="/takedown" class="inline">'
                           f'<input type="hidden" name="file" value="{html.escape(name)}">'
                           f'<button type="submit">Take the drill file down</button></form></li>')
        if drills:
            document += f"<h2>Drill files</h2><ul>{drills}</ul>"
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Riverbend County Immigration Services (sample site)</title><style>{_STYLE}</style></head>
<body><main>
<p class="note">A sample site on this machine, for practising with Leakwatch. The people in its roster are
made up: nobody in it exists.</p>
<h1>Riverbend County Immigration Services</h1>
<h2>Public documents</h2>
<p><a href="{CLEAN_PATH}">Visiting hours</a></p>
{document}
</main></body></html>"""
        return page.encode()
