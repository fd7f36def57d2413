"""Tests of decoded text that say which text format a sample is (the `text_test`s of formats.py).

Pure functions of a text sample: no reader, no I/O. Each answers one question cheaply on at most
the first 64 KB of the content, decoded. `whole` says the sample is the whole content (a short
file), which lets JSON be parsed completely.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

SAMPLE_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")

#: fixed-width listings: columns split at runs of 2+ spaces; ruler lines (-----, =====) between
FIELD_GAP = re.compile(r"\s{2,}")
RULER = re.compile(r"[\s\-=_+|*.]*\Z")

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|table|div|p|h[1-6]|ul|ol|span|a|meta|title|br|form)[\s/>]",
                         re.IGNORECASE)
_HTML_ANYWHERE = re.compile(r"<(?:html|body|table)[\s>]", re.IGNORECASE)
#: what may come before an XML document's root element: a declaration, comments, PIs, a DOCTYPE
_XML_PROLOG = re.compile(r"(?:<\?xml[^>]{0,1000}\?>|<!--.*?-->|<\?[A-Za-z][^>]{0,1000}\?>"
                         r"|<!DOCTYPE\s+[A-Za-z_][^\[>]{0,1000}(?:\[.*?\]\s*)?>|\s+)*", re.DOTALL)
_XML_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]{0,200})(?:\s[^<>]{0,4000}?)?(/?)>")
_XML_CLOSE = re.compile(r"</[A-Za-z_][\w.:-]{0,200}\s*>")
#: RFC 5322 header fields that start a message; two of them before the first blank line make an e-mail
_MAIL_HEADERS = frozenset({"from", "to", "cc", "subject", "date", "message-id", "mime-version", "received",
                           "return-path", "content-type", "reply-to", "sender", "delivered-to", "x-mailer",
                           "in-reply-to", "references", "thread-topic", "importance"})
#: a header field: a name of printable characters (no space or colon), a colon, a value (may be empty)
_HEADER_LINE = re.compile(r"([!-9;-~]+):")
#: fields only a real message has (prose and "key: value" files do not)
_MAIL_ONLY = frozenset({"message-id", "mime-version", "received", "return-path", "delivered-to", "x-mailer",
                        "dkim-signature", "arc-seal", "arc-message-signature", "authentication-results",
                        "content-transfer-encoding", "x-originating-ip", "thread-topic", "thread-index",
                        "x-ms-exchange-organization-authas", "x-google-smtp-source", "received-spf"})
_ADDRESS_FIELDS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender", "return-path", "delivered-to"})
_ADDRESS = re.compile(r"[^\s@<>\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|undisclosed-recipients", re.IGNORECASE)
#: an mbox separator: "From " and the envelope sender, then (usually) the date
_MBOX_FROM = re.compile(r"From \S+[^\n]*\n")
_SQL_STATEMENT = re.compile(
    r"^\s*(?:INSERT\s+(?:IGNORE\s+)?INTO\s|REPLACE\s+INTO\s|COPY\s+[\w.\"]+(?:\s*\([^)]*\))?\s+FROM\s+stdin"
    r"|CREATE\s+TABLE\s)", re.IGNORECASE | re.MULTILINE)
#: what a dump's lines before its first row are: comments, statements a dump tool writes
_SQL_PREAMBLE = re.compile(r"\s*(?:--|/\*|#|SET\s|USE\s|DROP\s|LOCK\s|UNLOCK\s|BEGIN\b|START\s|COMMIT\b|PRAGMA\s"
                           r"|SELECT\s+pg_catalog|\\(?:connect|restrict|unrestrict)\b|CREATE\s|INSERT\s|REPLACE\s"
                           r"|COPY\s|ALTER\s|COMMENT\s+ON\s|GRANT\s|REVOKE\s|$)", re.IGNORECASE)
#: a dump's first line: a comment or a statement (never prose, never markup)
_SQL_FIRST = re.compile(r"(?:--|/\*|SET\s+(?:[\w@.]+\s*(?:=|TO\b)|NAMES\s)|USE\s+\S+;"
                        r"|DROP\s+(?:TABLE|DATABASE|SCHEMA|VIEW|INDEX|SEQUENCE)\s|LOCK\s+TABLES?\s"
                        r"|BEGIN(?:\s+TRANSACTION)?\s*;|START\s+TRANSACTION|PRAGMA\s+\w+\s*="
                        r"|SELECT\s+pg_catalog|\\(?:connect|restrict)\b|CREATE\s+(?:\w+\s+)?TABLE\s|INSERT\s+(?:\w+\s+)?INTO\s"
                        r"|REPLACE\s+INTO\s|COPY\s)", re.IGNORECASE)


def looks_mbox(text: str, whole: bool = False) -> bool:
    """An mbox file: a "From sender date" line, then a message (looks_email of what follows)."""
    text = text.lstrip("\ufeff")
    first = _MBOX_FROM.match(text)
    return first is not None and looks_email(text[first.end():], whole)


def looks_email(text: str, whole: bool = False) -> bool:
    """An RFC 822 message: header fields from the first line to a blank line, at least two well-known
    ones, and a sign of mail ("key: value" notes and YAML have none): a field only messages carry
    (Received, Message-ID, DKIM-Signature...) or an address field holding an address."""
    known, mail = 0, False
    for index, line in enumerate(text.lstrip("\ufeff").splitlines()[:200]):
        if not line.strip():
            break
        if line[0] in " \t":
            if index == 0:
                return False
            continue  # a folded header line
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        field = match.group(1).lower()
        known += field in _MAIL_HEADERS
        mail = mail or field in _MAIL_ONLY or (field in _ADDRESS_FIELDS and _ADDRESS.search(line) is not None)
    return known >= 2 and mail


def looks_xml(text: str, whole: bool = False) -> bool:
    """XML that is not HTML (HTML is tried first): after the prolog (declaration, comments, a
    DOCTYPE), a root element, and an element closed in the sample (prose with a "<word>" has none)."""
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return False
    if text.startswith("<?xml"):
        return True
    root = _XML_ELEMENT.match(text, _XML_PROLOG.match(text).end())
    if root is None:
        return False
    return root.group(2) == "/" or _XML_CLOSE.search(text, root.end()) is not None


def looks_sql(text: str, whole: bool = False) -> bool:
    """A database dump: it starts with a comment or statement, the lines before its first row
    are SQL, and it holds a CREATE TABLE, INSERT or COPY at the start of a line."""
    text = text.lstrip("\ufeff \t\r\n")
    if _SQL_FIRST.match(text) is None:
        return False
    statement = _SQL_STATEMENT.search(text)
    if statement is None:
        return False
    head = text[:statement.start()].splitlines()[:200]
    return all(_SQL_PREAMBLE.match(line) or line.startswith((" ", "\t", ")", "(")) for line in head)


def looks_json(text: str, whole: bool = False) -> bool:
    text = text.lstrip("\ufeff \t\r\n")
    return bool(text) and text[0] in "[{" and _looks_json(text, complete=whole)


def looks_html(text: str, whole: bool = False) -> bool:
    return _looks_html(text.lstrip("\ufeff \t\r\n"))


def looks_delimited(text: str, whole: bool = False) -> bool:
    return sniff_delimiter(text) is not None


def split_fields(text: str) -> list[str]:
    return FIELD_GAP.split(text.strip())


def _looks_json(text: str, *, complete: bool) -> bool:
    if complete:
        try:
            json.loads(text)
            return True
        except RecursionError:
            return True  # absurdly deep, still JSON: the reader refuses it with a sentence
        except ValueError:
            pass
    first_line = text.split("\n", 1)[0].strip()
    try:
        json.loads(first_line)
        return True  # NDJSON, or JSON whose first line is a whole value
    except (ValueError, RecursionError):
        pass
    # a large document: an opening bracket followed by what JSON allows there
    match = re.match(r'[\[{]\s*(.)', text, re.DOTALL)
    if not match:
        return False
    nxt = match.group(1)
    if text[0] == "{":
        return nxt in '"}'
    return nxt in '[{"]-0123456789tfn'


def _looks_html(text: str) -> bool:
    if text.startswith("<"):
        if text[:5].lower() == "<?xml":
            return bool(_HTML_ANYWHERE.search(text[:4096]))
        return bool(_HTML_START.match(text)) or bool(_HTML_ANYWHERE.search(text[:4096]))
    return bool(_HTML_ANYWHERE.search(text[:1024]))


def sniff_delimiter(text: str, max_lines: int = 50) -> str | None:
    """The delimiter that splits the sample's lines into the same number (≥2) of fields.

    Lines are parsed with the csv module (quotes respected); the last, probably cut, line of the
    sample is dropped. Returns None for prose, logs and single-column text.
    """
    lines = [line for line in text.splitlines()[:max_lines + 1] if line.strip()]
    if len(text) >= SAMPLE_BYTES - 1 and len(lines) > 2:
        lines = lines[:-1]  # probably cut by the sample's end
    lines = lines[:max_lines]
    if len(lines) < 2:
        return None
    best: tuple[float, int, str] | None = None
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in lines):
            continue
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        share_all = Counter(widths).most_common(1)[0][1] / len(widths)
        # title lines above a header have no delimiter: judge the lines below them
        while len(widths) > 2 and widths[0] == 1 and len(lines) - len(widths) < 5:
            widths.pop(0)
        width, agreeing = Counter(widths).most_common(1)[0]
        if width < 2 or (agreeing / len(widths) < 0.8 and not _sections(widths)):
            continue
        score = (share_all, width, delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None or _sentences(lines, best[2]):
        return None
    # a fixed-width listing whose names hold a comma ("DOE, JANE") is aligned text, not CSV
    return None if _fixed_width(lines) > best[1] else best[2]


#: words per field above which "fields" are clauses of sentences (a letter's commas), not cells
SENTENCE_WORDS_PER_FIELD = 5


def _sentences(lines: list[str], delimiter: str) -> bool:
    """Prose whose commas happen to line up: fields of many words, or most lines ending a sentence."""
    fields = [field for line in lines for field in line.split(delimiter) if field.strip()]
    words = sum(len(field.split()) for field in fields)
    ended = sum(1 for line in lines if line.rstrip().endswith((".", "!", "?", ":")))
    return words > SENTENCE_WORDS_PER_FIELD * max(len(fields), 1) or ended * 2 > len(lines)


def _fixed_width(lines: list[str]) -> int:
    """How many columns the lines agree on when split at runs of 2+ spaces (0: they do not)."""
    widths = [len(split_fields(line)) for line in lines if not RULER.match(line)]
    if not widths:
        return 0
    width, agreeing = Counter(widths).most_common(1)[0]
    return width if width >= 3 and agreeing >= 0.6 * len(widths) else 0


def _sections(widths: list[int]) -> bool:
    """Tables one under another: nearly every line split, in a few runs of equal width."""
    split = sum(1 for width in widths if width >= 2)
    changes = sum(1 for before, after in zip(widths, widths[1:], strict=False) if before != after)
    return len(widths) >= 5 and split >= 0.9 * len(widths) and changes <= max(1, len(widths) // 10)
