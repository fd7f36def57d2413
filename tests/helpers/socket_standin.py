"""A Slack Socket Mode stand-in: a WebSocket server on 127.0.0.1, written on plain sockets so a
test can drop a connection the ways networks do (a FIN, a RST, a peer that goes silent).

    with SlackStandIn() as web, SocketModeStandIn() as sm:
        sm.attach(web)                      # apps.connections.open(app token) -> sm's ws:// URL
        bot = BotProcess(web, tmp, env={"SLACK_APP_TOKEN": sm.app_token}).start()
        link = sm.wait_connection(1)        # the 1st connection the bot opened, hello sent
        eid = sm.slash("/scan", "help", response_url=web.response_url())
        ack = sm.wait_ack(eid)              # Ack(envelope_id, payload, at, connection)
        eid = sm.block_action("checklist_toggle_1", response_url=...)
        sm.refresh()                        # a `disconnect` (refresh_requested) on the current link
        sm.drop("fin" | "rst" | "silent" | "deaf")
                                            # no close frame: FIN; SO_LINGER 0: RST; "silent":
                                            # nothing answered or sent (pings unanswered); "deaf":
                                            # envelopes still sent, the bot's pongs and acks lost
        sm.redeliver(eid)                   # the same envelope again (retry_attempt + 1)

Like Slack, an envelope not yet acknowledged when its connection ends is sent again on the next
connection (after hello), with `retry_attempt` counted up. Every delivery is in `deliveries`,
every acknowledgement in `acks`. Frames are parsed as RFC 6455 says (client frames masked).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import os
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from tests.helpers.slack_requests import block_actions_payload, slash_command_body

APP_TOKEN = "xapp-1-A0LEAKWATCH-1-standin"
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


@dataclass
class Ack:
    envelope_id: str
    payload: dict | None
    at: float
    connection: int


class ServerLink:
    """The server's side of one WebSocket connection."""

    def __init__(self, standin: SocketModeStandIn, sock: socket.socket, number: int):
        self.standin, self.sock, self.number = standin, sock, number
        self.opened_at = time.monotonic()
        self.hello_at: float | None = None
        self.closed_at: float | None = None
        self.deaf = False   # what the bot sends is lost: no pongs, no acknowledgements
        self.mute = False   # nothing reaches the bot
        self.pings = 0
        self._buffer = b""
        self._send_lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self.closed_at is None and not self.mute

    # --- framing -------------------------------------------------------------------------------

    def _read(self, count: int) -> bytes:
        while len(self._buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def _frame(self) -> tuple[int, bytes]:
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read(8))
        mask = self._read(4) if second & 0x80 else b"\0\0\0\0"
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(length)))
        return first & 0x0F, data

    def send_frame(self, opcode: int, data: bytes) -> bool:
        header = bytes([0x80 | opcode])
        if len(data) < 126:
            header += bytes([len(data)])
        elif len(data) < 65536:
            header += bytes([126]) + struct.pack("!H", len(data))
        else:
            header += bytes([127]) + struct.pack("!Q", len(data))
        with self._send_lock:
            if not self.open:
                return False
            try:
                self.sock.sendall(header + data)
                return True
            except OSError:
                return False

    def send_json(self, message: dict) -> bool:
        return self.send_frame(TEXT, json.dumps(message).encode())

    # --- life ----------------------------------------------------------------------------------

    def serve(self) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = self.sock.recv(4096)
                if not chunk:
                    raise EOFError
                request += chunk
            request, self._buffer = request.split(b"\r\n\r\n", 1)
            headers = dict(line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line)
            key = {k.lower(): v for k, v in headers.items()}["sec-websocket-key"].strip()
            accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
            self.sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
            self.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "standin"},
                            "connection_info": {"app_id": "A0LEAKWATCH"}})
            self.hello_at = time.monotonic()
            self.standin._hello(self)
            while True:
                opcode, data = self._frame()
                if self.deaf:
                    continue  # a half-open peer: nothing is answered, nothing recorded
                if opcode == PING:
                    self.pings += 1
                    self.send_frame(PONG, data)
                elif opcode == TEXT:
                    self.standin._received(self, data)
                elif opcode == CLOSE:
                    self.send_frame(CLOSE, data[:2])
                    break
        except (EOFError, OSError, KeyError, ValueError):
            pass
        finally:
            self._end()

    def _end(self) -> None:
        with self._send_lock:
            if self.closed_at is None:
                self.closed_at = time.monotonic()
            with contextlib.suppress(OSError):
                self.sock.close()

    def drop(self, kind: str) -> None:
        if kind in ("silent", "deaf"):
            self.deaf, self.mute = True, kind == "silent"
            return
        with self._send_lock:
            if kind == "rst":  # close with SO_LINGER 0: the kernel sends a RST, not a FIN
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.sock.shutdown(socket.SHUT_RD)  # wakes our reader without sending anything
            else:  # "fin": the TCP connection closed without a WebSocket close frame
                self.sock.shutdown(socket.SHUT_RDWR)
            self.closed_at = time.monotonic()
        self._end()


@dataclass
class SocketModeStandIn:
    app_token: str = APP_TOKEN
    links: list[ServerLink] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    #: (envelope_id, connection number, retry_attempt, monotonic time) for every delivery
    deliveries: list[tuple] = field(default_factory=list)
    tickets_issued: int = 0

    def __post_init__(self):
        self._lock = threading.RLock()
        self._envelopes: dict[str, dict] = {}
        self._where: dict[str, int] = {}  # envelope id -> connection it was last sent on
        self._acked: set[str] = set()
        self._numbers = itertools.count(1)
        self._server: socket.socket | None = None

    def start(self) -> SocketModeStandIn:
        self._server = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, name="socket-standin", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for link in list(self.links):
            link._end()

    def __enter__(self) -> SocketModeStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def attach(self, web_standin) -> SocketModeStandIn:
        web_standin.socket_mode = self
        return self

    def new_url(self) -> str:
        with self._lock:
            self.tickets_issued += 1
            return f"ws://127.0.0.1:{self._server.getsockname()[1]}/link/?ticket={self.tickets_issued}&app_id=A0LEAKWATCH"

    def _accept(self) -> None:
        server = self._server
        while True:
            try:
                sock, _ = server.accept()
            except OSError:
                return
            link = ServerLink(self, sock, next(self._numbers))
            with self._lock:
                self.links.append(link)
            threading.Thread(target=link.serve, name=f"socket-standin-{link.number}", daemon=True).start()

    # --- what the bot sees ---------------------------------------------------------------------

    @property
    def current(self) -> ServerLink | None:
        with self._lock:
            live = [link for link in self.links if link.open and link.hello_at is not None]
        return live[-1] if live else None

    def wait_connection(self, count: int, timeout: float = 15.0) -> ServerLink:
        """The `count`-th connection that got hello (1-based), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                greeted = [link for link in self.links if link.hello_at is not None]
            if len(greeted) >= count:
                return greeted[count - 1]
            time.sleep(0.01)
        raise AssertionError(f"{len(greeted)} Socket Mode connections within {timeout}s, expected {count}")

    def send(self, kind: str, payload: dict, *, accepts_response_payload: bool = False) -> str:
        envelope_id = os.urandom(16).hex()
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": accepts_response_payload}
        if kind == "events_api":
            envelope.update(retry_attempt=0, retry_reason="")
        with self._lock:
            self._envelopes[envelope_id] = envelope
        self._deliver(envelope_id)
        return envelope_id

    def slash(self, command: str, text: str, *, response_url: str, user_id: str = "U0ASKER",
              channel_id: str = "C0GENERAL") -> str:
        body = slash_command_body(command, text, user_id=user_id, channel_id=channel_id, response_url=response_url)
        return self.send("slash_commands", dict(parse_qsl(body, keep_blank_values=True)), accepts_response_payload=True)

    def block_action(self, action_id: str, value: str = "", *, response_url: str, user_id: str = "U0ASKER",
                     channel_id: str = "C0GENERAL", **kw) -> str:
        payload = block_actions_payload(action_id, value, user_id=user_id, channel_id=channel_id,
                                        response_url=response_url, **kw)
        return self.send("interactive", payload)

    def redeliver(self, envelope_id: str) -> None:
        """Send an envelope again (as Slack does when it thinks it was not acknowledged)."""
        self._deliver(envelope_id, again=True)

    def _deliver(self, envelope_id: str, again: bool = False) -> None:
        link = self.current
        with self._lock:
            envelope = self._envelopes[envelope_id]
            if again:
                envelope["retry_attempt"] = envelope.get("retry_attempt", 0) + 1
                envelope["retry_reason"] = "timeout"
            if link is None:
                return  # sent when a connection says hello
            self._where[envelope_id] = link.number
            self.deliveries.append((envelope_id, link.number, envelope.get("retry_attempt", 0), time.monotonic()))
            message = dict(envelope)
        link.send_json(message)

    def _hello(self, link: ServerLink) -> None:
        """A new connection: re-send what was never acknowledged and whose connection is gone."""
        with self._lock:
            open_numbers = {other.number for other in self.links
                            if other.open and not other.deaf and other is not link}
            waiting = [eid for eid in self._envelopes
                       if eid not in self._acked and self._where.get(eid) not in open_numbers]
        for envelope_id in waiting:
            self._deliver(envelope_id, again=envelope_id in self._where)

    def _received(self, link: ServerLink, data: bytes) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            return
        envelope_id = message.get("envelope_id")
        if envelope_id:
            with self._lock:
                self.acks.append(Ack(envelope_id, message.get("payload"), time.monotonic(), link.number))
                self._acked.add(envelope_id)

    def acks_for(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return [ack for ack in self.acks if ack.envelope_id == envelope_id]

    def wait_ack(self, envelope_id: str, timeout: float = 15.0, count: int = 1) -> Ack:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.acks_for(envelope_id)
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.01)
        raise AssertionError(f"no acknowledgement #{count} of envelope {envelope_id[:8]} within {timeout}s")

    # --- disturbances --------------------------------------------------------------------------

    def refresh(self, reason: str = "refresh_requested") -> ServerLink:
        link = self.current
        assert link is not None, "no live connection to refresh"
        link.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "standin"}})
        return link

    def drop(self, kind: str) -> ServerLink:
        """End the current connection: "fin", "rst", "silent" (stops answering and sending, stays
        open) or "deaf" (still sends envelopes, but what the bot sends, pongs and acks, is lost)."""
        assert kind in ("fin", "rst", "silent", "deaf"), kind
        link = self.current
        assert link is not None, "no live connection to drop"
        link.drop(kind)
        return link
