"""SQL dump reader: mysqldump, pg_dump (COPY and INSERT) and SQLite dumps become Tables."""

from __future__ import annotations

import random
import sqlite3
import sys
import time

from bot.config import ScanSettings
from bot.scan.pipeline import scan_bytes
from bot.scan.sniff import sniff
from tests.corpus.values import Factory
from tests.scan.readers import fp, read_all, tables, traced_peak

MYSQL_HEAD = """-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: intake
-- ------------------------------------------------------
-- Server version\t8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
"""

MYSQL_TABLE = """
--
-- Table structure for table `{table}`
--

DROP TABLE IF EXISTS `{table}`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `{table}` (
  `id` int NOT NULL AUTO_INCREMENT,
  `full_name` varchar(255) NOT NULL COMMENT 'as booked; (first, last)',
  `alien_number` varchar(12) DEFAULT NULL,
  `ssn` char(11) DEFAULT NULL,
  `birth_date` date DEFAULT NULL,
  `notes` text,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_anum` (`alien_number`),
  KEY `idx_name` (`full_name`(20))
) ENGINE=InnoDB AUTO_INCREMENT={next} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `{table}`
--

LOCK TABLES `{table}` WRITE;
/*!40000 ALTER TABLE `{table}` DISABLE KEYS */;
"""

MYSQL_TAIL = """/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2025-06-15 10:21:07
"""


def _mysql_string(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return f"'{escaped}'"


def roster(count: int, seed: int = 7) -> list[list[object]]:
    factory = Factory(random.Random(seed))
    rows = []
    for index, person in enumerate(factory.people(count), start=1):
        ssn = factory.ssn(min_area=100)
        rows.append([index, person.full_name, f"A{factory.a_number()}", f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}",
                     person.dob.isoformat(), None])
    return rows


def mysqldump(rows: list[list[object]], table: str = "detainees", per_statement: int = 50) -> str:
    """What `mysqldump --extended-insert` writes: one INSERT line per batch of rows."""
    parts = [MYSQL_HEAD, MYSQL_TABLE.format(table=table, next=len(rows) + 1)]
    for start in range(0, len(rows), per_statement):
        batch = rows[start:start + per_statement]
        values = ",".join("(" + ",".join(_mysql_string(cell) for cell in row) + ")" for row in batch)
        parts.append(f"INSERT INTO `{table}` VALUES {values};\n")
    parts.append(f"/*!40000 ALTER TABLE `{table}` ENABLE KEYS */;\nUNLOCK TABLES;\n")
    parts.append(MYSQL_TAIL)
    return "".join(parts)


def pg_dump(rows: list[list[object]]) -> str:
    """What `pg_dump` (plain format) writes: a COPY block per table."""
    def field(value: object) -> str:
        if value is None:
            return "\\N"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    lines = "".join("\t".join(field(cell) for cell in row) + "\n" for row in rows)
    return f"""--
-- PostgreSQL database dump
--

-- Dumped from database version 16.3
-- Dumped by pg_dump version 16.3

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: detainees; Type: TABLE; Schema: public; Owner: intake
--

CREATE TABLE public.detainees (
    id integer NOT NULL,
    full_name text NOT NULL,
    alien_number character varying(12),
    ssn character(11),
    birth_date date,
    notes text
);


ALTER TABLE public.detainees OWNER TO intake;

--
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: intake
--

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.notes := 'it''s; done'; RETURN NEW; END; $$;

--
-- Data for Name: detainees; Type: TABLE DATA; Schema: public; Owner: intake
--

COPY public.detainees (id, full_name, alien_number, ssn, birth_date, notes) FROM stdin;
{lines}\\.


--
-- PostgreSQL database dump complete
--

"""


def sqlite_dump(rows: list[list[object]]) -> str:
    """A real SQLite dump, from Python's sqlite3 iterdump()."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE detainees (id INTEGER PRIMARY KEY, full_name TEXT, alien_number TEXT, "
                       "ssn TEXT, birth_date TEXT, notes TEXT)")
    connection.executemany("INSERT INTO detainees VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    return "\n".join(connection.iterdump()) + "\n"


HEADER = ["id", "full_name", "alien_number", "ssn", "birth_date", "notes"]


def test_real_dumps_sniff_as_sql_and_prose_or_markup_does_not():
    rows = roster(3)
    for dump in (mysqldump(rows), pg_dump(rows), sqlite_dump(rows)):
        assert sniff(dump.encode()) == "sql"
    for other in (b"-- a note\nPlease CREATE TABLE later.\n", b"<html><body>INSERT INTO t VALUES (1);</body></html>",
                  b"We will insert into the table tomorrow.\nINSERT INTO t VALUES (1);\n"):
        assert sniff(other) != "sql"


def test_mysqldump_extended_inserts_give_one_table_with_the_create_table_header():
    rows = roster(120)
    rows[3][5] = "Line one\nline two; it's (x),(y) \\ done"
    rows[4][5] = ""
    dump = mysqldump(rows, per_statement=50)
    document, parts = read_all(dump.encode())
    [(table, got)] = tables(parts)
    assert table.name == "detainees" and table.header == HEADER and table.style == "table"
    assert [fp(cells) for _, cells in got] == [fp(row) for row in rows]
    # row numbers are the source lines of the INSERT statements (50 tuples per line)
    lines = dump.splitlines()
    first_insert = next(number for number, line in enumerate(lines, start=1) if line.startswith("INSERT"))
    assert [number for number, _ in got[::50]] == [first_insert, first_insert + 1, first_insert + 2]
    assert lines[got[0][0] - 1].startswith("INSERT INTO `detainees`")
    assert document.counters["rows"] == 120 and not document.skipped
    assert "detainees" in document.content_labels


def test_pg_dump_copy_block_rows_are_numbered_by_line():
    rows = roster(20)
    rows[2][5] = "tab\there and a newline\nback\\slash"
    dump = pg_dump(rows)
    _, parts = read_all(dump.encode())
    [(table, got)] = tables(parts)
    assert table.name == "public.detainees" and table.header == HEADER
    expected = [[str(cell) if cell is not None else None for cell in row] for row in rows]
    assert [fp(cells) for _, cells in got] == [fp(row) for row in expected]
    lines = dump.splitlines()
    assert all(lines[number - 1].startswith(f"{cells[0]}\t") for number, cells in got)


def test_sqlite_iterdump_reads_every_row():
    rows = roster(30)
    rows[1][5] = "O'Brien said: 1),(2; ok\nsecond line"
    _, parts = read_all(sqlite_dump(rows).encode())
    [(table, got)] = tables(parts)
    assert table.name == "detainees" and table.header == HEADER
    assert [fp(cells) for _, cells in got] == [fp(row) for row in rows]


def test_value_forms_column_lists_and_interleaved_tables():
    dump = b"""-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
# a hash comment
CREATE TABLE `a` (`x` int, `y` varchar(9));
CREATE TABLE `b` (`p` int, `q` blob);
INSERT INTO `a` VALUES (1,'one'),(2,NULL);
INSERT INTO `b` (`p`, `q`) VALUES (1, 0x4A6F), (2, X'4A6F'), (3, _binary 'raw'), (4, -1.5e3), (5, TRUE);
INSERT INTO `a` VALUES (3,'it''s'),(4,'back\\\\slash \\'q\\'');
INSERT IGNORE INTO `a` VALUES (5, unhex('4A6F')) ON DUPLICATE KEY UPDATE y=VALUES(y);
"""
    _, parts = read_all(dump)
    found = [(table.name, table.header, [cells for _, cells in rows]) for table, rows in tables(parts)]
    assert found == [
        ("a", ["x", "y"], [[1, "one"], [2, None]]),
        ("b", ["p", "q"], [[1, "Jo"], [2, "Jo"], [3, "raw"], [4, -1500.0], [5, True]]),
        ("a", ["x", "y"], [[3, "it's"], [4, "back\\slash 'q'"], [5, "4A6F"]]),
    ]


def test_pg_inserts_keep_backslashes_and_casts_are_dropped():
    dump = b"""--
-- PostgreSQL database dump
--
SET standard_conforming_strings = on;
INSERT INTO public.t (id, path, born) VALUES (1, 'C:\\dir\\', '1980-01-02'::date);
INSERT INTO public.t (id, path, born) VALUES (2, E'a\\nb', NULL);
"""
    _, parts = read_all(dump)
    [(table, rows)] = tables(parts)
    assert table.header == ["id", "path", "born"]
    assert [cells for _, cells in rows] == [[1, "C:\\dir\\", "1980-01-02"], [2, "a\nb", None]]


def test_a_60_mb_single_line_value_is_cut_within_bounded_time():
    data = b"-- MySQL dump 10.13\nINSERT INTO `t` VALUES (1,'" + b"A" * 60_000_000 + b"'),(2,'after');\n"
    started = time.perf_counter()
    document, parts = read_all(data)
    assert time.perf_counter() - started < 15
    [(_, rows)] = tables(parts)
    assert [len(cells[1]) for _, cells in rows] == [1_048_576, 5]
    [skipped] = document.skipped
    assert skipped["reason"] == "values longer than 1,048,576 characters were cut to that length"


def test_an_unterminated_quote_ends_the_read_with_one_skip():
    data = b"-- MySQL dump 10.13\nINSERT INTO `t` VALUES (1,'ok');\nINSERT INTO `t` VALUES (2,'" + b"B" * 60_000_000
    started = time.perf_counter()
    document, parts = read_all(data)
    assert time.perf_counter() - started < 15
    [(_, rows)] = tables(parts)
    assert [cells for _, cells in rows] == [[1, "ok"]]
    assert document.skipped == [{"where": "from line 3 to the end",
                                 "reason": "an unterminated quoted value; the rest of the dump was not read"}]


def test_a_dump_streams_rows_instead_of_holding_them():
    text = mysqldump(roster(20_000, seed=3), per_statement=500)
    dump = text.encode()
    # the decoded dump is one str (2 bytes a character: the names are not all ASCII) and decoding
    # it briefly needs the input's size again; rows in flight add little
    assert traced_peak(dump) < sys.getsizeof(text) + 1.5 * len(dump)


def test_end_to_end_a_dumped_roster_is_found():
    rows = roster(60, seed=11)
    for dump in (mysqldump(rows), pg_dump(rows), sqlite_dump(rows)):
        report = scan_bytes(dump.encode(), target="dump.sql", settings=ScanSettings(fingerprint_key="k"))
        counts = {finding.type: finding.count for finding in report.findings}
        assert report.kind == "sql", report.error
        for kind in ("A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH"):
            assert counts.get(kind, 0) >= 55, (kind, counts)
