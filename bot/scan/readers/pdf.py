"""PDF -> per page a TextBlock ("page N", style "page") and Tables where columns line up.

pypdf runs under a tight Configuration (decompression output, declared stream length, filter
chains, parsing work; no external jbig2dec), so nested FlateDecode bombs stop with an error.
Text comes from layout-mode extraction (pdf_layout.page_text: text in every direction turned
upright, rotated pages and sideways rosters included, fields at their printed positions): lines whose fields are separated by runs of 2+ spaces,
with the same number of fields on 3 or more consecutive lines, become "page N table M"
(rows yield `(line on the page, cells)`); the other lines form the page's TextBlock. Lines of
`Label: value` fields lined up in columns (a printed form) stay lines, so each label stays
next to its value.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator

import pypdf
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

from bot.errors import LeakwatchError, LimitExceeded
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines, counted_rows, translate
from bot.scan.readers.headers import header_names, labelled_fields, locate_header
from bot.scan.readers.pdf_layout import page_text

_MB = 1_000_000
SAFE_PDF = dict(
    maximum_declared_stream_length=20 * _MB,
    zlib_maximum_output_length=20 * _MB,
    zlib_maximum_recovery_input_length=1 * _MB,
    lzw_maximum_output_length=20 * _MB,
    run_length_maximum_output_length=20 * _MB,
    array_based_stream_maximum_output_length=20 * _MB,
    jbig2_maximum_output_length=20 * _MB,
    brotli_maximum_output_length=20 * _MB,
    image_maximum_buffer_size=20 * _MB,
    stream_filters_maximum_length=4,
    stream_decoding_work_maximum_length=60 * _MB,
    jbig2dec_binary=None,
)

_FIELD_GAP = re.compile(r"\s{2,}")
MIN_TABLE_LINES = 3

# pypdf logs and warns about odd files; that is not for users and may quote content
logging.getLogger("pypdf").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", module=r"pypdf(\..*)?$")


def _configuration():
    return pypdf.apply_configuration(**SAFE_PDF)


def open_pdf(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    with _configuration():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt(reader, ctx)
            page_count = len(reader.pages)
        except LeakwatchError:
            raise
        except LimitReachedError:
            raise LimitExceeded(f"This {ctx.label} expands to more data than a scan unpacks "
                                "(a possible decompression bomb), so it was not read.") from None
        except (DependencyError, FileNotDecryptedError):
            raise ctx.unreadable("it is encrypted and needs a password") from None
        except PdfReadError:
            raise ctx.unreadable("it is damaged or not really a PDF") from None
        except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
            raise translate(ctx, error) from None
    return _pages(reader, page_count, ctx)


def _decrypt(reader: PdfReader, ctx: ReadContext) -> None:
    """Owner-password-only PDFs open with an empty user password; others need one we lack."""
    try:
        if reader.decrypt(""):
            return
    except (DependencyError, NotImplementedError):
        pass
    raise ctx.unreadable("it is encrypted and needs a password")


def _pages(reader: PdfReader, page_count: int, ctx: ReadContext) -> Iterator[Part]:
    limit = ctx.limits.max_pdf_pages
    if page_count > limit:
        ctx.skip(f"past the {limit:,}-page limit of one scan", f"pages {limit + 1:,}-{page_count:,} of {page_count:,}")
    for index in range(min(page_count, limit)):
        ctx.deadline.check(f"Reading the {ctx.label}")
        text = _page_text(reader, index, ctx)
        ctx.add("pages")
        yield from page_parts(text, index + 1, ctx)


def _page_text(reader: PdfReader, index: int, ctx: ReadContext) -> str:
    with _configuration():
        try:
            page = reader.pages[index]
            try:
                return page_text(page)
            except LeakwatchError:
                raise
            except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError):
                # layout mode is pickier about fonts than plain mode
                return page.extract_text()
        except LeakwatchError:
            raise
        except LimitReachedError:
            raise LimitExceeded(f"Page {index + 1} of this {ctx.label} expands to more data than a scan unpacks "
                                "(a possible decompression bomb), so reading stopped.") from None
        except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
            raise translate(ctx, error) from None


def page_parts(text: str, page: int, ctx: ReadContext) -> Iterator[Part]:
    """One page's layout text -> its TextBlock (lines not in a table), then its Tables."""
    lines = text.splitlines()
    tables = find_tables(lines)
    in_table = {number for run in tables for number, _ in run}
    prose = [(number, " ".join(line.split())) for number, line in enumerate(lines, start=1)
             if number not in in_table and line.strip()]
    if prose:
        yield TextBlock(name=f"page {page}", lines=counted_lines(iter(prose), ctx), container=ctx.container,
                        style="page")
    for table_number, run in enumerate(tables, start=1):
        yield _table(run, f"page {page} table {table_number}", ctx)


def find_tables(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    """Runs of 3+ lines (blank lines allowed between) splitting into the same 2+ fields; runs of
    `Label: value` fields (a form) stay lines."""
    return [run for run in _aligned_runs(lines) if not labelled_fields(run)]


def _aligned_runs(lines: list[str]) -> list[list[tuple[int, list[str]]]]:
    tables: list[list[tuple[int, list[str]]]] = []
    run: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = _FIELD_GAP.split(line.strip())
        if len(fields) >= 2 and (not run or len(fields) == len(run[0][1])):
            run.append((number, fields))
            continue
        if len(run) >= MIN_TABLE_LINES:
            tables.append(run)
        run = [(number, fields)] if len(fields) >= 2 else []
    if len(run) >= MIN_TABLE_LINES:
        tables.append(run)
    return tables


def _table(run: list[tuple[int, list[str]]], name: str, ctx: ReadContext) -> Table:
    guess = locate_header(run[:30])
    header = header_row = None
    data = run
    if guess.index is not None:
        header_row, cells = run[guess.index]
        header = header_names(cells)
        data = run[guess.index + 1:]
    return Table(style="table", name=name, header=header, header_row=header_row,
                 rows=counted_rows(iter(data), ctx), title=guess.title, container=ctx.container)
