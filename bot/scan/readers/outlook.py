"""Outlook .msg files (OLE2 compound files) -> the same parts as an e-mail (email_reader.py).

Read with olefile, from the MAPI property streams `__substg1.0_<id><type>` (type 001F UTF-16,
001E 8-bit text, 0102 binary) of the message storage:

- "headers": From (0x0C1A name, 0x5D01/0x0C1F/0x0065 address), To/Cc/Bcc (0x0E04/0x0E03/0x0E02),
  one Recipient line per `__recip_version1.0_#…` storage (0x3001 name, 0x39FE/0x3003 address),
  Subject (0x0037) and the Date line of the transport headers (0x007D) when there are some;
- the body: HTML (0x1013) as "body.html" when there is one, else the plain text (0x1000) as "body";
- every `__attach_version1.0_#…` storage: its data (0x3701) read as a file of its own named
  "attachment <0x3707 long name, 0x3704 short name or 0x3001 display name>", or, for an attached
  message (0x3701 is a storage), that message one level deeper.

Bounds: MAX_PARTS_PER_MESSAGE attachments per message, every stream read charged to the shared
unpacked budget, nesting limited by max_zip_depth. Attachments by reference have no data and
are recorded as skipped, like OLE objects that are not a message.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from bot.scan.model import Part
from bot.scan.readers.base import ReadContext, Resource
from bot.scan.readers.email_reader import MAX_PARTS_PER_MESSAGE, header_blocks, read_inner
from bot.scan.readers.nested import charge_unpacked, inner_path

_PROPERTY = "__substg1.0_"
_ATTACHMENT = "__attach_version1.0_#"
_RECIPIENT = "__recip_version1.0_#"
_EMBEDDED = "__substg1.0_3701000D"
_DATE = re.compile(r"^Date:[ \t]*([^\r\n]+)", re.MULTILINE | re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def open_outlook(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        children: dict[tuple[str, ...], set[str]] = {}
        for path in ole.listdir(streams=True, storages=True):
            for depth in range(len(path)):
                children.setdefault(tuple(path[:depth]), set()).add(path[depth])
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001 - olefile's messages may quote the file: one sentence instead
        raise ctx.damaged() from None
    if not any(name.startswith(_PROPERTY) for name in children.get((), ())):
        ole.close()
        raise ctx.unreadable("it holds no message")
    return _read(_Message(ole, children, ctx), ctx)


class _Message:
    """The property streams of one .msg file, read on demand and charged to the budget."""

    def __init__(self, ole, children: dict[tuple[str, ...], set[str]], ctx: ReadContext):
        self.ole, self.children, self.ctx = ole, children, ctx
        self.resource = Resource(ole.close)

    def binary(self, prefix: tuple[str, ...], tag: str) -> bytes | None:
        return self._stream(prefix, f"{_PROPERTY}{tag}0102")

    def text(self, prefix: tuple[str, ...], tag: str) -> str | None:
        raw = self._stream(prefix, f"{_PROPERTY}{tag}001F")
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").rstrip("\x00")
        raw = self._stream(prefix, f"{_PROPERTY}{tag}001E")
        if raw is None:
            return None
        raw = raw.rstrip(b"\x00")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")

    def _stream(self, prefix: tuple[str, ...], name: str) -> bytes | None:
        if name not in self.children.get(prefix, ()):
            return None
        path = [*prefix, name]
        if self.ole.get_type(path) != 2:  # a storage, not a stream
            return None
        charge_unpacked(self.ctx, self.ole.get_size(path))
        return self.ole.openstream(path).read()


def _read(message: _Message, ctx: ReadContext) -> Iterator[Part]:
    try:
        yield from _message(message, (), ctx)
    finally:
        message.resource.close()


def _message(message: _Message, prefix: tuple[str, ...], ctx: ReadContext) -> Iterator[Part]:
    yield from header_blocks(_header_lines(message, prefix, ctx), ctx)
    html = message.binary(prefix, "1013")
    if html is None:
        text = message.text(prefix, "1013")
        html = text.encode("utf-8") if text else None
    if html:
        yield from read_inner(html, "body.html", None, ctx)
    else:
        body = message.text(prefix, "1000")
        if body and body.strip():
            yield from read_inner(body.encode("utf-8"), "body", None, ctx)
    names = sorted(name for name in message.children.get(prefix, ()) if name.startswith(_ATTACHMENT))
    limit = min(MAX_PARTS_PER_MESSAGE, ctx.limits.max_zip_entries)
    for number, name in enumerate(names, 1):
        if number > limit:
            ctx.skip(f"past the {limit:,}-part limit of one message", "the attachments after that")
            return
        ctx.deadline.check(f"Reading the {ctx.label}")
        yield from _attachment(message, (*prefix, name), number, ctx)


def _header_lines(message: _Message, prefix: tuple[str, ...], ctx: ReadContext) -> list[tuple[int, str]]:
    found: list[tuple[str, str]] = []
    sender = message.text(prefix, "0C1A")
    address = message.text(prefix, "5D01") or message.text(prefix, "0C1F") or message.text(prefix, "0065")
    if sender or address:
        found.append(("From", f"{sender or ''} <{address}>" if address else sender or ""))
    for field, tag in (("To", "0E04"), ("Cc", "0E03"), ("Bcc", "0E02")):
        found.append((field, message.text(prefix, tag) or ""))
    recipients = sorted(name for name in message.children.get(prefix, ()) if name.startswith(_RECIPIENT))
    for name in recipients[:MAX_PARTS_PER_MESSAGE]:
        where = (*prefix, name)
        shown, address = message.text(where, "3001"), message.text(where, "39FE") or message.text(where, "3003")
        found.append(("Recipient", f"{shown or ''} <{address}>" if address else shown or ""))
    found.append(("Subject", message.text(prefix, "0037") or ""))
    transport = message.text(prefix, "007D")
    date = _DATE.search(transport) if transport else None
    if date:
        found.append(("Date", date.group(1)))
    limit = ctx.limits.max_text_line_chars
    lines = []
    for field, value in found:
        value = _CONTROL.sub(" ", value).strip()
        if value:
            lines.append((len(lines) + 1, f"{field}: {value}"[:limit]))
    return lines


def _attachment(message: _Message, where: tuple[str, ...], number: int, ctx: ReadContext) -> Iterator[Part]:
    filename = next((_CONTROL.sub(" ", name).replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
                     for name in (message.text(where, tag) for tag in ("3707", "3704", "3001")) if name), None)
    label = f"attachment {filename or f'part {number}'}"
    if _EMBEDDED in message.children.get(where, ()):
        embedded = (*where, _EMBEDDED)
        if not any(name.startswith(_PROPERTY) for name in message.children.get(embedded, ())):
            ctx.skip("it is an embedded object that is not read", label)
            return
        child = ctx.nested(kind="msg", container=inner_path(ctx, label), name=label)
        if child.depth >= ctx.limits.max_zip_depth:
            ctx.skip(f"it is a message nested deeper than {ctx.limits.max_zip_depth} levels", label)
            return
        ctx.add("messages")
        yield from _message(message, embedded, child)
        return
    data = message.binary(where, "3701")
    if data is None:
        ctx.skip("it is a link to a file, not the file itself", label)
        return
    yield from read_inner(data, label, filename, ctx)
