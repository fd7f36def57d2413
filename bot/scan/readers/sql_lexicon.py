"""The lexicon of SQL dumps: the regexes and value forms bot/scan/readers/sql.py reads with.

Contract: pure functions and compiled patterns, no reader state. Two dialects: MySQL (strings
take backslash escapes, "..." is a string) and standard SQL (PostgreSQL, SQLite: backslashes are
literal except in E'...', "..." is an identifier). Every pattern is possessive or atomic, so a
failed match never backtracks: an unterminated quote over 60 MB fails in one linear scan.
"""

from __future__ import annotations

import re

MAX_COLUMNS = 1000

def dialect(mysql: bool) -> dict[str, re.Pattern]:
    """The regexes of one dialect: MySQL strings take backslash escapes, standard SQL's do not."""
    identifier = ""
    if mysql:
        string = r"""'(?:[^'\\]++|\\.|'')*+'|"(?:[^"\\]++|\\.|"")*+\""""
        body = {"'": r"(?:[^'\\]++|\\.|'')*+'", '"': r'(?:[^"\\]++|\\.|"")*+"'}
    else:
        string = r"""'(?:[^']++|'')*+'|[eE]'(?:[^'\\]++|\\.|'')*+'"""
        identifier = r'''|"(?:[^"]++|"")*+"'''
        body = {"'": r"(?:[^']++|'')*+'", "e": r"(?:[^'\\]++|\\.|'')*+'"}
    value = (rf"{string}|_\w++\s*+(?:{string})|NULL|null|TRUE|FALSE|true|false|0[xX][0-9A-Fa-f]*+|[xX]'[0-9A-Fa-f]*+'"
             r"|[-+]?(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][-+]?\d++)?")
    skip = (rf"(?:[^;'\"`$\-/#\\]++|{string}{identifier}|`[^`]*+`|--[^\n]*+|/\*.*?\*/|\$(\w*+)\$.*?\$\1\$"
            r"|\\[^'\n]|[$\-/#\\])*+;")
    return {
        "tuple": re.compile(rf"\(\s*+(?:(?:{value})\s*+(?:,\s*+(?:{value})\s*+)*+)?\)", re.S),
        "value": re.compile(value, re.S),
        "skip": re.compile(skip, re.S),
        **{f"body{quote}": re.compile(pattern, re.S) for quote, pattern in body.items()},
    }


MYSQL = dialect(True)
STANDARD = dialect(False)
STANDARD_HINT = re.compile(r"PostgreSQL database dump|standard_conforming_strings\s*=\s*'?on|^PRAGMA\s"
                            r"|^BEGIN TRANSACTION;|^COPY\s", re.I | re.M)
GAP = re.compile(r"(?:\s++|--[^\n]*+|#[^\n]*+|/\*.*?\*/|;|\\[A-Za-z][^\n]*+)*+", re.S)
DATA = re.compile(
    r"(?:(INSERT|REPLACE)(?:\s++(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE|OR\s++\w++))*+\s++INTO\s++"
    r"|(COPY)\s++|(CREATE)\s++(?:(?:GLOBAL|LOCAL)\s++)?(?:(?:TEMPORARY|TEMP|UNLOGGED)\s++)?TABLE\s++"
    r"(?:IF\s++NOT\s++EXISTS\s++)?)", re.I)
PART = r"""(?:`[^`]{0,256}`|"(?:[^"]|""){0,256}"|\[[^\]]{0,256}\]|[\w$]{1,256})"""
NAME = re.compile(rf"{PART}(?:\s*+\.\s*+{PART}){{0,2}}")
NAME_PARTS = re.compile(PART)
VALUES = re.compile(r"\s*+VALUES?\s*+", re.I)
FROM_STDIN = re.compile(r"\s*+FROM\s++stdin\s*+;[ \t\r]*+\n", re.I)
COLUMN_LIST = re.compile(r"\s*+\(([^()'\"]{0,65536}?)\)", re.S)
DEFINITION_TOKEN = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"]|"")*"|`[^`]*`|\(|\)|,|[^'"`(),]+""", re.S)
CONSTRAINT = re.compile(r"(?:PRIMARY|KEY|UNIQUE|INDEX|CONSTRAINT|FOREIGN|CHECK|FULLTEXT|SPATIAL|EXCLUDE|LIKE"
                         r"|PERIOD)\b", re.I)
INT = re.compile(r"-?(?:0|[1-9]\d{0,17})\Z")
WORD = re.compile(r"[A-Za-z_][\w.]*+")
HEX_RUN = re.compile(r"[0-9A-Fa-f]*+")
CAST = re.compile(r"\s*+::\s*+[A-Za-z_][\w .]*?(?:\([\d, ]*\))?(?:\[\])*(?=\s*+[,)])")
MYSQL_ESCAPE = re.compile(r"\\(.)|''", re.S)
COPY_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.S)
ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "Z": "\x1a"}




def hex_text(digits: str) -> str | None:
    """A hex literal as text when it is text (UTF-8, mostly printable); a binary blob is no text."""
    try:
        value = bytes.fromhex(digits[: len(digits) // 2 * 2]).decode("utf-8")
    except ValueError:
        return None
    printable = sum(1 for char in value[:4096] if char.isprintable() or char in "\n\r\t")
    return value if printable >= 0.95 * min(len(value), 4096) else None


def unescape(raw: str, quote: str, backslashes: bool) -> str:
    """A quoted string's body as its value: '' (or "") and, in MySQL, backslash escapes."""
    if backslashes and "\\" in raw:
        return MYSQL_ESCAPE.sub(lambda m: ESCAPES.get(m.group(1), m.group(1)) if m.group(1) else quote, raw)
    doubled = quote * 2
    return raw.replace(doubled, quote) if doubled in raw else raw


def copy_unescape(field: str) -> str:
    """A COPY text-format field: backslash escapes, octal and hex bytes."""
    return COPY_ESCAPE.sub(_copy_escape, field) if "\\" in field else field


def _copy_escape(match: re.Match) -> str:
    octal, hexa, char = match.groups()
    if octal:
        return chr(int(octal, 8))
    if hexa:
        return chr(int(hexa, 16))
    return ESCAPES.get(char, char)


def unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] + name[-1] in ("``", '""', "[]"):
        inner = name[1:-1]
        return inner.replace('""', '"') if name[0] == '"' else inner
    return name


def definition_columns(body: str) -> list[str]:
    """Column names of a CREATE TABLE's parenthesised body (constraints and keys left out)."""
    items: list[list[str]] = [[]]
    depth = 0
    for token in DEFINITION_TOKEN.findall(body[1:]):
        if token == "(":
            depth += 1
        elif token == ")":
            if depth == 0:
                break
            depth -= 1
        elif token == "," and depth == 0:
            items.append([])
            continue
        if depth == 0 and len(items[-1]) < 2:
            items[-1].append(token)
        if len(items) > MAX_COLUMNS:
            break
    columns = []
    for item in items:
        head = "".join(item).strip()
        if not head or CONSTRAINT.match(head):
            continue
        first = NAME_PARTS.match(head)
        if first is not None:
            columns.append(unquote(first.group()))
    return columns
