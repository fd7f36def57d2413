"""Text-format writers for the real-world corpus: CSV, SQL dumps, XML exports, HTML tables, e-mail.

Contract: functions return the file's bytes (or text) from plain content, shaped as the tools that
produce such files write them: mysqldump's multi-row INSERT, pg_dump's COPY ... FROM stdin, record
lists in XML with camelCase or PascalCase tags and attributes, HTML tables with two header rows and
colspan/rowspan, MIME messages with base64 and quoted-printable parts, mbox with From_ lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from xml.sax.saxutils import escape, quoteattr

Cell = str | int | float | dt.date | None


def csv_text(header: list[str], rows: list[list[Cell]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


# ---- SQL --------------------------------------------------------------------------------------

def _sql_literal(value: Cell) -> str:
    if value is None or value == "":
        return "NULL"
    if isinstance(value, int | float):
        return str(value)
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mysql_dump(table: str, columns: list[tuple[str, str]], rows: list[list[Cell]], per_insert: int = 50) -> str:
    lines = ["-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)", "--", "-- Host: localhost    Database: casemgmt",
             "-- ------------------------------------------------------", "/*!40101 SET NAMES utf8mb4 */;", "",
             f"DROP TABLE IF EXISTS `{table}`;", f"CREATE TABLE `{table}` ("]
    lines += [f"  `{name}` {kind}," for name, kind in columns]
    lines += [f"  PRIMARY KEY (`{columns[0][0]}`)", ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", "",
              f"LOCK TABLES `{table}` WRITE;", f"/*!40000 ALTER TABLE `{table}` DISABLE KEYS */;"]
    for start in range(0, len(rows), per_insert):
        chunk = rows[start:start + per_insert]
        values = ",".join("(" + ",".join(_sql_literal(v) for v in row) + ")" for row in chunk)
        lines.append(f"INSERT INTO `{table}` VALUES {values};")
    lines += [f"/*!40000 ALTER TABLE `{table}` ENABLE KEYS */;", "UNLOCK TABLES;", "",
              "-- Dump completed on 2024-05-14 22:03:11", ""]
    return "\n".join(lines)


def _copy_field(value: Cell) -> str:
    if value is None or value == "":
        return "\\N"
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def postgres_dump(table: str, columns: list[tuple[str, str]], rows: list[list[Cell]]) -> str:
    names = ", ".join(name for name, _ in columns)
    lines = ["--", "-- PostgreSQL database dump", "--", "", "SET statement_timeout = 0;",
             "SET client_encoding = 'UTF8';", "SET standard_conforming_strings = on;", "",
             f"CREATE TABLE public.{table} ("]
    lines += [f"    {name} {kind}{',' if i < len(columns) - 1 else ''}" for i, (name, kind) in enumerate(columns)]
    lines += [");", "", f"ALTER TABLE public.{table} OWNER TO app;", "", "--",
              f"-- Data for Name: {table}; Type: TABLE DATA; Schema: public; Owner: app", "--", "",
              f"COPY public.{table} ({names}) FROM stdin;"]
    lines += ["\t".join(_copy_field(v) for v in row) for row in rows]
    lines += ["\\.", "", "", "--", "-- PostgreSQL database dump complete", "--", ""]
    return "\n".join(lines)


# ---- XML --------------------------------------------------------------------------------------

def xml_records(root: str, record: str, records: list[dict[str, Cell]], attributes: tuple[str, ...] = (),
                preamble: str = "") -> str:
    """Each dict becomes one element; keys in `attributes` become attributes, the rest child elements.
    A value that is a dict becomes a nested element."""
    def text(value: Cell) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def child(key: str, value) -> str:
        if isinstance(value, dict):
            return f"<{key}>" + "".join(child(k, v) for k, v in value.items()) + f"</{key}>"
        return f"<{key}>{escape(text(value))}</{key}>" if value not in (None, "") else f"<{key}/>"

    out = ['<?xml version="1.0" encoding="UTF-8"?>', preamble, f"<{root}>"] if preamble else \
        ['<?xml version="1.0" encoding="UTF-8"?>', f"<{root}>"]
    for rec in records:
        attrs = "".join(f" {k}={quoteattr(text(v))}" for k, v in rec.items() if k in attributes)
        kids = "".join(child(k, v) for k, v in rec.items() if k not in attributes)
        out.append(f"  <{record}{attrs}>{kids}</{record}>")
    out.append(f"</{root}>")
    return "\n".join(out) + "\n"


# ---- HTML -------------------------------------------------------------------------------------

def html_page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>td,th{{border:1px solid #999;padding:2px 6px}}</style></head><body>\n{body}\n</body></html>\n')


def html_grouped_table(groups: list[tuple[str, list[str]]], rows: list[list[str]], rowspan_col: int | None = None,
                       caption: str = "") -> str:
    """Two header rows: group titles with colspan over their sub-headers. With `rowspan_col`, equal
    consecutive values in that column are merged with rowspan (as spreadsheet exports do)."""
    top = "".join(f'<th colspan="{len(subs)}">{escape(g)}</th>' if len(subs) > 1 else
                  f'<th rowspan="2">{escape(g)}</th>' for g, subs in groups)
    second = "".join(f"<th>{escape(s)}</th>" for g, subs in groups if len(subs) > 1 for s in subs)
    out = [f"<table>{f'<caption>{escape(caption)}</caption>' if caption else ''}<thead><tr>{top}</tr>"
           f"<tr>{second}</tr></thead><tbody>"]
    i = 0
    while i < len(rows):
        span = 1
        if rowspan_col is not None:
            while i + span < len(rows) and rows[i + span][rowspan_col] == rows[i][rowspan_col]:
                span += 1
        for k in range(span):
            cells = []
            for c, value in enumerate(rows[i + k]):
                if c == rowspan_col:
                    if k == 0:
                        cells.append(f'<td rowspan="{span}">{escape(value)}</td>' if span > 1 else f"<td>{escape(value)}</td>")
                    continue
                cells.append(f"<td>{escape(value)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        i += span
    out.append("</tbody></table>")
    return "\n".join(out)


def html_simple_table(header: list[str], rows: list[list[str]]) -> str:
    return ("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead><tbody>\n" +
            "\n".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows) +
            "\n</tbody></table>")


# ---- e-mail -----------------------------------------------------------------------------------

def email_message(*, sender: str, to: str, subject: str, body: str, date: dt.datetime,
                  attachments: list[tuple[str, str, bytes]] = (), qp_body: bool = False, html: str = "",
                  message_id: str = "") -> bytes:
    """An RFC 5322 message. Attachments: (filename, mime type, bytes) sent base64 (text ones as
    quoted-printable when `qp_body`)."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date.strftime("%a, %d %b %Y %H:%M:%S -0500")
    msg["Message-ID"] = message_id or f"<{zlib.crc32((subject + date.isoformat()).encode())}@mail.example.org>"
    msg.set_content(body, cte="quoted-printable" if qp_body else "8bit")
    if html:
        msg.add_alternative(html, subtype="html", cte="quoted-printable")
    for filename, mime, data in attachments:
        maintype, subtype = mime.split("/")
        if maintype == "text":
            msg.add_attachment(data.decode("utf-8"), subtype=subtype, filename=filename,
                               cte="quoted-printable" if qp_body else "base64")
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    if msg.is_multipart():  # a boundary from the content, not from the clock
        msg.set_boundary(f"==rw{zlib.crc32(subject.encode() + date.isoformat().encode()):08x}==")
    return msg.as_bytes()


def mbox(messages: list[tuple[str, dt.datetime, bytes]]) -> bytes:
    """(envelope sender, date, message bytes) -> mbox (mboxrd quoting of From_ lines in bodies)."""
    out = []
    for sender, date, raw in messages:
        out.append(f"From {sender} {date.strftime('%a %b %d %H:%M:%S %Y')}\n".encode())
        for line in raw.replace(b"\r\n", b"\n").split(b"\n"):
            out.append((b">" + line if line.lstrip(b">").startswith(b"From ") else line) + b"\n")
        out.append(b"\n")
    return b"".join(out)
