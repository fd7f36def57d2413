"""Socket Mode: one WebSocket to Slack, replaced within seconds when it drops, with no busy loop.

Built on the `websockets` threading client (why, in docs/socket-mode.md): each connection has a
reader thread blocked in `recv()`, which ends at once on a FIN (EOF) or a RST, and a keepalive
thread that pings every PING_INTERVAL seconds and fails the connection when no pong comes within
PING_TIMEOUT (a half-open socket). A supervisor thread (`run()`, the main thread) sleeps on an
event until a connection ends or Slack asks for a new one, then opens the next connection
(`apps.connections.open` with the app token, then the WebSocket, then Slack's `hello`), backing
off 0.5 s .. 10 s while Slack cannot be reached. Nothing polls while the connection is healthy.

Contracts:

    runner = SocketModeRunner(bolt_app, app_token, api_url=settings.slack_api_url,
                              status=ConnectionStatus())
    runner.run()        # blocks until stop(); raises ConfigError when Slack refuses the app
                        # token at start-up (one sentence naming SLACK_APP_TOKEN)
    runner.stop()       # from a signal handler or another thread

- `disconnect` from Slack (refresh_requested, warning, ...): the new connection is opened while
  the old one still reads; the old one is closed once the new one said hello (no gap).
- Every envelope is handed to Bolt on a thread pool (`run_bolt_app`), and acknowledged with
  Bolt's answer on the connection it came on, or the current one if that is gone.
- An envelope delivered again (Slack re-sends unacknowledged ones after a reconnect) is
  acknowledged with the first delivery's answer and not handled again (bot/socket_state.py).
- `status` (ConnectionStatus) says up/down and since when, for the log and `/healthz`.

Logs name envelope types, connection numbers and reasons, never payload text.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web import WebClient
from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.sync.client import ClientConnection, connect

from bot.errors import ConfigError
from bot.socket_state import ConnectionStatus, EnvelopeDedupe, durable_key, envelope_keys

log = logging.getLogger("bot.socket_mode")


def _not_keepalive_failure(record: logging.LogRecord) -> bool:
    # a half-open connection ends in "keepalive ping failed" with a traceback; the runner logs it
    # in one line with its reason instead
    return not record.getMessage().startswith("keepalive ping failed")


#: the websockets library's own log: warnings only (at DEBUG it would print frames, i.e. payloads)
_WS_LOG = logging.getLogger("bot.socket_mode.websockets")
_WS_LOG.setLevel(logging.WARNING)
_WS_LOG.addFilter(_not_keepalive_failure)

PING_INTERVAL = 2.5      # seconds between our pings
PING_TIMEOUT = 2.5       # no pong within this: the connection is dead (half-open)
CLOSE_TIMEOUT = 1.0      # how long a closing handshake may take before the socket is just closed
OPEN_TIMEOUT = 5.0       # TCP + TLS + WebSocket handshake
HELLO_TIMEOUT = 5.0      # from the handshake to Slack's hello
BACKOFF = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0)
#: a re-sent envelope waits this long for the first delivery's answer before a bare ack
DUPLICATE_WAIT = 2.5
ENVELOPE_THREADS = 16
MAX_MESSAGE_BYTES = 4_000_000
#: apps.connections.open answers meaning the app token itself is wrong (stop at start-up)
TOKEN_REFUSED = {"invalid_auth", "not_authed", "not_allowed_token_type", "missing_scope", "token_revoked",
                 "token_expired", "account_inactive", "invalid_token"}


class _Link:
    """One WebSocket connection and the thread that reads it."""

    def __init__(self, runner: SocketModeRunner, ws: ClientConnection, number: int):
        self.runner, self.ws, self.number = runner, ws, number
        self.hello = threading.Event()
        self.ended = threading.Event()
        self.settled = threading.Event()  # hello came, or the connection ended first
        self.reason = "closed"
        self.thread = threading.Thread(target=self._read, name=f"socket-mode-{number}", daemon=True)

    def start(self) -> _Link:
        self.thread.start()
        return self

    def _read(self) -> None:
        try:
            for raw in self.ws:  # blocks; ends on a close frame, raises on a lost connection
                self.runner._on_message(self, raw)
            self.reason = "closed by the server"
        except ConnectionClosedError as err:
            self.reason = _why_closed(err)
        except Exception as err:  # noqa: BLE001 - any end of the reader is an end of the connection
            self.reason = f"reader stopped: {type(err).__name__}"
        finally:
            self.ended.set()
            self.settled.set()
            self.runner._wake()

    def send(self, text: str) -> bool:
        if self.ended.is_set():
            return False
        try:
            self.ws.send(text)
            return True
        except (ConnectionClosed, OSError, RuntimeError):
            return False

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception as err:  # noqa: BLE001 - closing a dead socket may fail in many ways
            log.debug("closing connection %s: %s", self.number, type(err).__name__)


def _why_closed(err: ConnectionClosedError) -> str:
    if err.sent is not None and "keepalive" in (err.sent.reason or ""):
        return f"no answer to pings within {PING_TIMEOUT:g} s"
    if err.rcvd is None:
        cause = err.__cause__ or err.__context__
        if isinstance(cause, ConnectionResetError):
            return "connection reset (RST)"
        return "closed without a close frame (FIN)"
    return f"closed by the server with code {err.rcvd.code}"


class SocketModeRunner:
    def __init__(self, app, app_token: str, *, api_url: str, status: ConnectionStatus | None = None,
                 ping_interval: float = PING_INTERVAL, ping_timeout: float = PING_TIMEOUT, seen=None):
        self.app = app
        # the store's memory of handled deliveries (bot/dedupe.py), so an envelope handled just
        # before a restart whose acknowledgement was lost is not handled again by the next process
        self.seen = seen
        self.app_token = app_token
        self.status = status or ConnectionStatus()
        self.ping_interval, self.ping_timeout = ping_interval, ping_timeout
        self.dedupe = EnvelopeDedupe()
        self._web = WebClient(base_url=api_url, timeout=OPEN_TIMEOUT)
        self._pool = ThreadPoolExecutor(max_workers=ENVELOPE_THREADS, thread_name_prefix="envelope")
        self._numbers = itertools.count(1)
        self._current: _Link | None = None
        self._stop = threading.Event()
        self._wakeup = threading.Event()
        self._refresh = threading.Event()

    # --- the supervisor ---------------------------------------------------------------------------

    def run(self) -> None:
        first, failures = True, 0
        while not self._stop.is_set():
            current = self._current
            if current is not None and current.ended.is_set():
                self._current = None
                self.status.down(current.reason)
                current.close()
                continue
            if current is not None and not self._refresh.is_set():
                self._wakeup.wait()  # a reader ending, Slack's disconnect, or stop()
                self._wakeup.clear()
                continue
            try:
                link = self._open(first)
            except ConfigError:
                raise
            except Exception as err:  # noqa: BLE001 - any failure to connect is retried
                if self._stop.is_set():
                    break
                self._connect_failed(err, failures)
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                until_error = self.status.seconds_until_error()
                self._stop.wait(delay if until_error is None else min(delay, until_error))
                self.status.check()
                continue
            first, failures = False, 0
            self._refresh.clear()
            old, self._current = self._current, link
            if old is not None:  # Slack asked for a new connection and the old one still counted
                self.status.refreshed(str(link.number))
                threading.Thread(target=old.close, name="socket-mode-close", daemon=True).start()
            else:
                self.status.up(str(link.number))
        if self._current is not None:
            self._current.close()

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        link = self._current
        if link is not None:
            threading.Thread(target=link.close, name="socket-mode-close", daemon=True).start()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _wake(self) -> None:
        self._wakeup.set()

    def _connect_failed(self, err: Exception, failures: int) -> None:
        reason = _describe(err)
        if self._current is None:
            self.status.down(f"reconnect failed: {reason}")
        # the first failure of a run of failures is worth a line; the rest until it works are not
        (log.warning if failures == 0 else log.debug)("Socket Mode: could not connect (%s); retrying", reason)

    def _open(self, first: bool) -> _Link:
        url = self._issue_url(first)
        ws = connect(url, open_timeout=OPEN_TIMEOUT, ping_interval=self.ping_interval,
                     ping_timeout=self.ping_timeout, close_timeout=CLOSE_TIMEOUT, max_size=MAX_MESSAGE_BYTES,
                     logger=_WS_LOG)
        link = _Link(self, ws, next(self._numbers)).start()
        link.settled.wait(HELLO_TIMEOUT)
        if not link.hello.is_set() or link.ended.is_set():
            link.close()
            raise ConnectionError("no hello from Slack" if not link.ended.is_set() else link.reason)
        return link

    def _issue_url(self, first: bool) -> str:
        try:
            response = self._web.apps_connections_open(app_token=self.app_token)
        except SlackApiError as err:
            code = (err.response.data or {}).get("error", "unknown_error") if err.response is not None else "unknown_error"
            if first and code in TOKEN_REFUSED:
                raise ConfigError(f"Slack refused SLACK_APP_TOKEN ({code}); it needs the connections:write scope.") from None
            raise
        return response["url"]

    # --- envelopes ----------------------------------------------------------------------------------

    def _on_message(self, link: _Link, raw) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.warning("Socket Mode: a message that is not JSON (%d bytes) was ignored", len(raw))
            return
        if not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "hello":
            link.hello.set()
            link.settled.set()
            return
        if kind == "disconnect":
            log.info("Socket Mode: Slack asked for a new connection (%s)", str(message.get("reason"))[:40])
            self._refresh.set()
            self._wake()
            return
        if not message.get("envelope_id") or not isinstance(message.get("payload"), dict):
            log.debug("Socket Mode: ignored a %s message without an envelope", str(kind)[:40])
            return
        future, first = self.dedupe.claim(envelope_keys(message))
        try:
            if first:
                self._pool.submit(self._handle, link, message, future)
            else:
                self._pool.submit(self._ack_again, link, message, future)
        except RuntimeError:  # stopping: Slack sends it again to the next process
            pass

    def _handle(self, link: _Link, message: dict, future: Future) -> None:
        answer = None
        if self._handled_before_restart(message):
            future.set_result(None)
            self._ack(link, message, None)
            return
        try:
            request = SocketModeRequest.from_dict(message)
            response = run_bolt_app(self.app, request)
            answer = _ack_payload(response)
        except Exception as err:  # noqa: BLE001 - acknowledged all the same, so Slack does not re-send
            log.error("Socket Mode: a %s envelope failed: %s", str(message.get("type"))[:40], type(err).__name__)
        finally:
            future.set_result(answer)
        self._ack(link, message, answer)

    def _handled_before_restart(self, message: dict) -> bool:
        if self.seen is None:
            return False
        try:
            first = self.seen.first_time(durable_key(message))
        except Exception as err:  # noqa: BLE001 - the store's trouble must not drop an envelope
            log.warning("Socket Mode: delivery memory unavailable (%s)", type(err).__name__)
            return False
        if not first:
            log.info("Socket Mode: a %s envelope handled before a restart came again (retry %s); "
                     "acknowledged, not handled twice", str(message.get("type"))[:40], message.get("retry_attempt", "-"))
        return not first

    def _ack_again(self, link: _Link, message: dict, future: Future) -> None:
        try:
            answer = future.result(timeout=DUPLICATE_WAIT)
        except FutureTimeout:
            answer = None
        log.info("Socket Mode: a %s envelope came again (retry %s); acknowledged, not handled twice",
                 str(message.get("type"))[:40], message.get("retry_attempt", "-"))
        self._ack(link, message, answer)

    def _ack(self, link: _Link, message: dict, answer: dict | None) -> None:
        ack = {"envelope_id": message["envelope_id"]}
        if answer:
            ack["payload"] = answer
        text = json.dumps(ack)
        current = self._current
        if link.send(text) or (current is not None and current is not link and current.send(text)):
            return
        log.info("Socket Mode: could not acknowledge a %s envelope (no connection); Slack sends it again",
                 str(message.get("type"))[:40])


def _ack_payload(response) -> dict | None:
    """Bolt's answer as Slack wants it in an acknowledgement (as slack_bolt's own adapter does)."""
    if response.status != 200 or not response.body:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.startswith("application/json"):
        return json.loads(response.body)
    return {"text": response.body}


def _describe(err: Exception) -> str:
    if isinstance(err, SlackApiError):
        data = err.response.data if err.response is not None else {}
        return f"apps.connections.open: {(data or {}).get('error', 'error')}"
    if type(err) is ConnectionError:  # ours: no hello, or the reason the new connection ended
        return str(err)
    return type(err).__name__
