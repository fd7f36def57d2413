"""E-mail (.eml, mbox, Outlook .msg) -> each message's headers, body and every attachment's parts.

A message is parsed with the standard `email` package (policy.default), fed a megabyte at a time
with the deadline checked in between. Each message gives:

- a TextBlock "headers": the From, Sender, Reply-To, To, Cc, Bcc, Subject and Date lines;
- its body: the HTML alternative when there is one (read by the HTML reader as "body.html", so
  tables stay tables), else the plain text ("body", sniffed like any text: a CSV pasted into a
  mail becomes a table);
- every other part decoded (base64, quoted-printable, uuencode) and read as a file of its own
  through `open_nested`, named "attachment <its file name>" (or "attachment part N"); a forwarded
  message (message/rfc822) is read the same way, one level deeper.

An mbox is split on its "From " separator lines (a "From " line followed by a header field;
">From " escapes are undone, mboxrd), one message in memory at a time, each named "message N".
Bounds: limits.max_zip_entries messages per mailbox, MAX_PARTS_PER_MESSAGE parts per message
(the rest recorded with `ctx.skip`), decoded bytes charged to the shared budget, nesting limited by max_zip_depth.
Outlook .msg files are read from their OLE2 streams by outlook.py into the same shape.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.feedparser import BytesFeedParser
from email.header import decode_header, make_header
from email.message import Message

from bot.scan.model import Part, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines
from bot.scan.readers.nested import charge_unpacked, inner_path, open_nested

#: header fields read as the "headers" block, in this order
HEADER_FIELDS = ("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date")
#: fields that name the message's correspondents (read as their own block, see TextBlock.correspondents)
CORRESPONDENT_FIELDS = frozenset({"From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Recipient"})
#: parts read from one message at most (and never more than limits.max_zip_entries): parsing a
#: part costs the email package ~0.3 ms, reading it as a file ~0.5 ms
MAX_PARTS_PER_MESSAGE = 1000
#: multipart/* inside multipart/* deeper than this is not walked
MAX_MULTIPART_DEPTH = 32
_FEED = 1 << 20
_MBOX_FROM = re.compile(rb"^From [^\r\n]*\r?\n", re.MULTILINE)
_HEADER_START = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_UU_BEGIN = re.compile(r"^begin [0-7]{3,4} ([^\r\n]+)$", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def open_eml(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    message = parse_message(data, ctx)
    if not message.keys():
        raise ctx.unreadable("it has no header fields")
    return message_parts(message, ctx)


def open_mbox(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    first = _next_separator(data, 0)
    if first is None:
        raise ctx.unreadable("it holds no message")
    return _mailbox(data, first, ctx)


def open_msg(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    from bot.scan.readers.outlook import open_outlook

    return open_outlook(data, ctx)


def parse_message(data: bytes, ctx: ReadContext) -> Message:
    """One RFC 822 message, parsed a megabyte at a time under the deadline."""
    parser = BytesFeedParser(policy=policy.default)
    for start in range(0, len(data), _FEED):
        ctx.deadline.check(f"Reading the {ctx.label}")
        parser.feed(data[start:start + _FEED])
    return parser.close()


def _mailbox(data: bytes, first: re.Match, ctx: ReadContext) -> Iterator[Part]:
    limit, number, separator = ctx.limits.max_zip_entries, 0, first
    while separator is not None:
        following = _next_separator(data, separator.end())
        number += 1
        if number > limit:
            ctx.skip(f"past the {limit:,}-message limit of one mailbox", f"messages {number:,} and after")
            return
        raw = data[separator.end():following.start() if following else len(data)]
        if b">From " in raw:
            raw = _ESCAPED_FROM.sub(rb"\1", raw)
        message = parse_message(raw, ctx)
        del raw
        ctx.add("messages")
        yield from message_parts(message, replace(ctx, kind="eml", container=inner_path(ctx, f"message {number}")))
        separator = following


def _next_separator(data: bytes, start: int) -> re.Match | None:
    """The next "From " line that a header field follows (a body's own "From " lines are escaped)."""
    for match in _MBOX_FROM.finditer(data, start):
        if _HEADER_START.match(data, match.end()):
            return match
    return None


def message_parts(message: Message, ctx: ReadContext) -> Iterator[Part]:
    """A parsed message's headers, body and attachments (ctx.container names the message)."""
    yield from header_blocks(header_lines(message, ctx), ctx)
    body = _body(message)
    if body is not None:
        yield from _body_parts(body, ctx)
    count, limit = 0, min(MAX_PARTS_PER_MESSAGE, ctx.limits.max_zip_entries)
    for part, content_type in _leaves(message, body, ctx, 0):
        if part is body:
            continue
        count += 1
        if count > limit:
            ctx.skip(f"past the {limit:,}-part limit of one message", "the parts after that")
            return
        ctx.deadline.check(f"Reading the {ctx.label}")
        yield from _attachment(part, content_type, count, ctx)


def header_blocks(lines: list[tuple[int, str]], ctx: ReadContext) -> Iterator[TextBlock]:
    """The header lines as two blocks: the correspondents (From, To...), then the rest (Subject, Date)."""
    people = [line for line in lines if line[1].split(":", 1)[0] in CORRESPONDENT_FIELDS]
    rest = [line for line in lines if line not in people]
    if people:
        yield TextBlock(name="headers", lines=counted_lines(iter(people), ctx), container=inner_path(ctx, "headers"),
                        correspondents=True)
    if rest:
        yield TextBlock(name="headers", lines=counted_lines(iter(rest), ctx), container=inner_path(ctx, "headers"))


def header_lines(message: Message, ctx: ReadContext) -> list[tuple[int, str]]:
    limit = ctx.limits.max_text_line_chars
    lines = []
    for field in HEADER_FIELDS:
        for value in _header_values(message, field):
            lines.append((len(lines) + 1, f"{field}: {value}"[:limit]))
    return lines


def _header_values(message: Message, field: str) -> list[str]:
    try:
        values = [str(value) for value in message.get_all(field) or ()]
    except Exception:  # noqa: BLE001 - a malformed field is read raw rather than lost
        values = []
        for name, raw in message.raw_items():
            if name.lower() == field.lower():
                try:
                    values.append(str(make_header(decode_header(raw))))
                except Exception:  # noqa: BLE001
                    values.append(str(raw))
    return [_CONTROL.sub(" ", value).strip() for value in values if value and value.strip()]


def _body(message: Message) -> Message | None:
    try:
        return message.get_body(preferencelist=("html", "plain"))
    except Exception:  # noqa: BLE001 - no body found is not an error: its parts are still read
        return None


def _body_parts(body: Message, ctx: ReadContext) -> Iterator[Part]:
    payload = _decoded(body)
    if not payload:
        return
    charge_unpacked(ctx, len(payload))
    if body.get_content_subtype() == "html":
        yield from read_inner(payload, "body.html", None, ctx)
        return
    text = _text(payload, body.get_content_charset())
    yield from read_inner(text.encode("utf-8"), "body", None, ctx)
    yield from _uuencoded(text, ctx)


def _attachment(part: Message, content_type: str, number: int, ctx: ReadContext) -> Iterator[Part]:
    filename = _filename(part)
    if content_type.startswith("message/") and isinstance(part.get_payload(), list):
        for inner in part.get_payload():
            if isinstance(inner, Message):
                yield from forwarded(inner, f"attachment {filename or f'forwarded message {number}'}", ctx)
        return
    payload = _decoded(part)
    name = filename or f"part {number}"
    if payload is None:
        ctx.skip("it could not be decoded", f"attachment {name}")
        return
    if not payload.strip():
        return
    charge_unpacked(ctx, len(payload))
    yield from read_inner(payload, f"attachment {name}", filename, ctx)


def forwarded(inner: Message, name: str, ctx: ReadContext) -> Iterator[Part]:
    """A message inside a message: its parts, one level deeper, under `name`."""
    child = ctx.nested(kind="eml", container=inner_path(ctx, name), name=name)
    if child.depth >= ctx.limits.max_zip_depth:
        ctx.skip(f"it is a message nested deeper than {ctx.limits.max_zip_depth} levels", name)
        return
    ctx.add("messages")
    yield from message_parts(inner, child)


def read_inner(content: bytes, name: str, filename: str | None, ctx: ReadContext) -> Iterator[Part]:
    """open_nested under a name of our own making ("attachment roster.xlsx", "body").

    open_nested takes every name it is given as a label from the content, which the report masks
    wherever it shows; only the attachment's own file name came from the content, so the words
    added here ("attachment", "body") are taken back once the inner file is read.
    """
    stems = {posixpath.splitext(component)[0].strip() for component in name.split("/")}
    added = {stem for stem in stems if stem and stem not in ctx.content_labels}
    if filename:
        ctx.content_label(posixpath.splitext(filename)[0])
    yield from open_nested(content, name, ctx)
    if filename:
        added.discard(posixpath.splitext(filename)[0].strip())
    ctx.content_labels.difference_update(added)


def _leaves(part: Message, body: Message | None, ctx: ReadContext, depth: int) -> Iterator[tuple[Message, str]]:
    """The parts that hold content, in order; multipart containers are walked, not returned.

    Of a multipart/alternative that holds the body, only the body's branch is read: the others
    are the same text in another form.
    """
    payload, content_type = part.get_payload(), part.get_content_type()
    if content_type.startswith("multipart/") and isinstance(payload, list):
        if depth >= MAX_MULTIPART_DEPTH:
            ctx.skip(f"parts nested more than {MAX_MULTIPART_DEPTH} levels deep are not read", "deeper parts")
            return
        children = [sub for sub in payload if isinstance(sub, Message)]
        if content_type == "multipart/alternative" and body is not None:
            children = [sub for sub in children if any(inner is body for inner in sub.walk())] or children
        for sub in children:
            yield from _leaves(sub, body, ctx, depth + 1)
        return
    yield part, content_type


def _decoded(part: Message) -> bytes | None:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - an undecodable part is recorded as skipped
        return None
    return payload if isinstance(payload, bytes) else None


def _text(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def _filename(part: Message) -> str | None:
    """The attachment's file name as a label: no folders, no control characters, not too long."""
    try:
        raw = part.get_filename()
    except Exception:  # noqa: BLE001
        return None
    if not raw:
        return None
    name = posixpath.basename(_CONTROL.sub(" ", str(raw)).replace("\\", "/")).strip()
    return name[:200] or None


def _uuencoded(text: str, ctx: ReadContext) -> Iterator[Part]:
    """Files uuencoded into a plain-text body ("begin 644 roster.csv" ... "end")."""
    import binascii

    for number, match in enumerate(_UU_BEGIN.finditer(text), 1):
        if number > ctx.limits.max_zip_entries:
            ctx.skip("past the limit of uuencoded files in one body", "the files after that")
            return
        filename = _safe_name(match.group(1)) or f"uuencoded file {number}"
        end = text.find("\nend", match.end())
        decoded = bytearray()
        for line in text[match.end():end if end >= 0 else len(text)].splitlines():
            if not line.strip():
                continue
            try:
                decoded += binascii.a2b_uu(line)
            except binascii.Error:
                break
        if not decoded:
            continue
        charge_unpacked(ctx, len(decoded))
        yield from read_inner(bytes(decoded), f"attachment {filename}", filename, ctx)


def _safe_name(raw: str) -> str:
    return posixpath.basename(_CONTROL.sub(" ", raw).replace("\\", "/")).strip()[:200]
