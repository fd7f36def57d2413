"""`python -m bot`: settings, logging, then HTTP mode (waitress) or Socket Mode.

HTTP mode serves a small WSGI app:
- `POST /slack/events`: the signature and timestamp are checked first (401 otherwise, before the
  body is parsed), then the request is handed to Bolt;
- `GET /healthz`: 200 and a small JSON status.

Socket Mode (SLACK_APP_TOKEN set) runs bot/socket_mode.py and serves only `GET /healthz` on
$PORT (a warning, not a stop, when the port is taken): `mode: "socket"` and `socket_mode` =
ConnectionStatus.snapshot() (connected, since, down_seconds, last_drop, reconnects). While the
connection is down for more than a minute it answers 503 with `ok: false`, so a health check
sees an outage that the bot cannot end by itself. `/slack/events` is not served in Socket Mode:
Bolt does not check signatures there.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import sys
import threading
import time
from http import HTTPStatus

from dotenv import find_dotenv, load_dotenv
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

import commands
from bot.config import Settings
from bot.dedupe import seen_for
from bot.errors import ConfigError
from bot.services import Services

log = logging.getLogger("bot.server")

#: Slack's requests are small (a slash command or a payload); anything bigger is not from Slack
MAX_BODY_BYTES = 1_000_000
EVENTS_PATH = "/slack/events"


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(stream=sys.stderr, level=level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # at DEBUG these log request and response bodies, which can hold scan results
    for noisy in ("slack_bolt", "slack_sdk", "urllib3", "httpx", "httpcore", "websockets"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


def _json(start_response, status: int, payload: dict) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def make_health_app(services: Services, socket_status=None):
    """GET /healthz only (Socket Mode's listener); 404 for anything else."""
    started = time.monotonic()

    def health_app(environ, start_response):
        if environ.get("PATH_INFO", "") != "/healthz" or environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return _json(start_response, 404, {"ok": False, "error": "not_found"})
        status = {"ok": True, "mode": "http" if socket_status is None else "socket",
                  "uptime_seconds": round(time.monotonic() - started, 1),
                  "scans_pending": services.workers.pending}
        if services.store is not None:  # which store, and whether a write can land (docs/deploy.md)
            status["store"] = services.store.health()
            status["ok"] = status["store"]["writable"]
        if socket_status is not None:
            status["socket_mode"] = socket_status.snapshot()
            status["ok"] = status["ok"] and not status["socket_mode"]["long_outage"]
        return _json(start_response, 200 if status["ok"] else 503, status)

    return health_app


def _delivered_before(services: Services, body: str, headers: dict) -> bool:
    """An Events API delivery whose event_id was handled before (Slack retries slow events, also
    across our restart): remembered in the store, so it is acknowledged, not handled again."""
    if "json" not in headers.get("content-type", "") or '"event_id"' not in body:
        return False
    try:
        event_id = json.loads(body).get("event_id")
    except (ValueError, AttributeError):
        return False
    if not isinstance(event_id, str) or not event_id or len(event_id) > 64:
        return False
    seen = seen_for(services)
    if seen is None or seen.first_time(f"event:{event_id}"):
        return False
    log.info("event %s delivered again (retry %s): acknowledged, not handled twice", event_id,
             headers.get("x-slack-retry-num", "?"))
    return True


def make_wsgi_app(bolt_app, services: Services):
    """A WSGI app routing Slack's requests to Bolt, plus /healthz."""
    health = make_health_app(services)
    verifier = SignatureVerifier(services.settings.slack_signing_secret or "")

    def wsgi_app(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return health(environ, start_response)
        if path != EVENTS_PATH:
            return _json(start_response, 404, {"ok": False, "error": "not_found"})
        if method != "POST":
            return _json(start_response, 405, {"ok": False, "error": "method_not_allowed"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            return _json(start_response, 413, {"ok": False, "error": "body_too_large"})
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length else ""
        headers = {key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        headers["content-length"] = str(length)
        # the signature first: an unsigned body is never parsed (a malformed one would raise in
        # BoltRequest before Bolt's own check, a 500 and a traceback for anyone on the internet)
        if not verifier.is_valid_request(body, headers):
            return _json(start_response, 401, {"ok": False, "error": "invalid_signature"})
        if _delivered_before(services, body, headers):  # a Slack retry of an event already handled
            return _json(start_response, 200, {"ok": True})
        try:
            request = BoltRequest(body=body, query=environ.get("QUERY_STRING", ""), headers=headers)
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            log.warning("a signed request could not be read: %s", type(err).__name__)
            return _json(start_response, 400, {"ok": False, "error": "bad_request"})
        response = bolt_app.dispatch(request)
        payload = (response.body or "").encode()
        out_headers = [(name, value) for name, values in response.headers.items() for value in values
                       if name.lower() != "content-length"]
        out_headers.append(("Content-Length", str(len(payload))))
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", out_headers)
        return [payload]

    return wsgi_app


def _attach_parts(services: Services) -> None:
    for module in commands.ALL:
        attach = getattr(module, "attach", None)
        if attach is not None:
            attach(services)


def _detach_parts(services: Services) -> None:
    for module in reversed(commands.ALL):
        detach = getattr(module, "detach", None)
        if detach is not None:
            try:
                detach(services)
            except Exception as err:  # noqa: BLE001 - keep shutting the rest down
                log.warning("detach of %s failed: %s", module.__name__, type(err).__name__)
    services.shutdown()


def _warm_up() -> None:
    """Import the scanner now so the first scan does not pay for it (and a broken one shows at once)."""
    try:
        import bot.scan.pipeline  # noqa: F401
    except Exception as err:  # noqa: BLE001 - the bot still answers; scans will report the failure
        log.error("the scan pipeline could not be loaded: %s", type(err).__name__)


def _serve_http(bolt_app, settings: Settings, services: Services) -> None:
    from waitress import create_server

    host = settings.host
    server = create_server(make_wsgi_app(bolt_app, services), host=host, port=settings.port,
                           threads=settings.http_threads, ident="leakwatch")

    def stop(signum, frame):
        log.info("signal %s: stopping", signum)
        server.close()

    signal.signal(signal.SIGTERM, stop)
    log.info("listening on http://%s:%d%s (HTTP mode)", host, settings.port, EVENTS_PATH)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    except OSError:  # the socket closed under the loop by stop()
        pass


def _start_health_listener(services: Services, settings: Settings, socket_status):
    """Socket Mode's /healthz on $PORT in a thread; None (and a warning) when the port is taken."""
    from waitress import create_server

    host = settings.host
    try:
        server = create_server(make_health_app(services, socket_status), host=host, port=settings.port,
                               threads=2, ident="leakwatch")
    except OSError as err:
        log.warning("/healthz is off: could not listen on %s:%d (%s)", host, settings.port, type(err).__name__)
        return None
    threading.Thread(target=_run_quietly, args=(server,), name="healthz", daemon=True).start()
    log.info("health check on http://%s:%d/healthz (Socket Mode)", host, settings.port)
    return server


def _run_quietly(server) -> None:
    with contextlib.suppress(OSError):  # closed under the loop at shutdown
        server.run()


def _serve_socket_mode(bolt_app, settings: Settings, services: Services) -> None:
    from bot.socket_mode import SocketModeRunner
    from bot.socket_state import ConnectionStatus

    status = ConnectionStatus()
    runner = SocketModeRunner(bolt_app, settings.slack_app_token, api_url=settings.slack_api_url, status=status,
                              seen=seen_for(services))
    health = _start_health_listener(services, settings, status)

    def stop(signum, frame):
        log.info("signal %s: stopping", signum)
        runner.stop()

    signal.signal(signal.SIGTERM, stop)
    log.info("connecting in Socket Mode")
    try:
        runner.run()
    except KeyboardInterrupt:
        pass
    finally:
        runner.stop()
        if health is not None:
            health.close()


def refused_arguments(argv: list[str] | None) -> bool:
    """`python -m bot` takes no arguments (its subcommands are dispatched in bot/__main__.py):
    anything else is one line on stderr, for the bot and for the local workspace alike."""
    if not argv:
        return False
    print(f"leakwatch: unknown argument {argv[0][:40]!r}; `python -m bot --help` lists what it takes.",
          file=sys.stderr)
    return True


def main(argv: list[str] | None = None) -> int:
    if refused_arguments(argv):
        return 2
    load_dotenv(find_dotenv(usecwd=True), override=False)
    try:
        settings = Settings.from_env()
    except ConfigError as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level)
    services = Services.build(settings)
    try:
        _attach_parts(services)
        from bot.app import create_app

        bolt_app = create_app(settings, services)
    except ConfigError as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        services.shutdown()
        return 2
    _warm_up()
    log.info("scan workers=%d auto-scan channels=%d allowed users=%s allowed channels=%s threshold=%s",
             settings.scan_workers, len(settings.auto_scan_channels), len(settings.allowed_users) or "all",
             len(settings.allowed_channels) or "all", settings.scan.threshold)
    try:
        if settings.socket_mode:
            _serve_socket_mode(bolt_app, settings, services)
        else:
            _serve_http(bolt_app, settings, services)
    except ConfigError as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        return 2
    finally:
        _detach_parts(services)
    return 0
