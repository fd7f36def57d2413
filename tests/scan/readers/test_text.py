"""Plain text and logs: numbered lines, long lines in bounded pieces."""

from __future__ import annotations

from bot.scan.limits import ReadLimits
from bot.scan.model import TextBlock
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all


def test_lines_keep_their_numbers_across_blank_lines_and_crlf():
    data = b"2024-01-01 INFO started\r\n\r\nuser Testperson Alpha logged in\r\nend\n"
    assert sniff(data) == "text"
    document, [(block, lines)] = read_all(data)
    assert isinstance(block, TextBlock) and block.style == "line"
    assert [number for number, _ in lines] == [1, 3, 4]
    assert fp(lines[1][1]) == fp("user Testperson Alpha logged in")
    assert block.where(3, 4) == "lines 3-4"
    assert document.counters == {"lines": 3}


def test_a_long_line_comes_in_bounded_pieces_with_one_number():
    data = b"short\n" + b"y" * 2500 + b"\nlast\n"
    _, [(_, lines)] = read_all(data, kind="text", limits=ReadLimits(max_text_line_chars=1000))
    assert [(number, len(text)) for number, text in lines] == [(1, 5), (2, 1000), (2, 1000), (2, 500), (3, 4)]


def test_latin1_text_is_decoded():
    data = "Grüße aus Köln\n".encode("latin-1")
    _, [(_, lines)] = read_all(data, kind="text")
    assert lines == [(1, "Grüße aus Köln")]


def test_empty_input_is_an_empty_text_document():
    assert sniff(b"") == "text"
    document, parts = read_all(b"", kind="text")
    assert parts and parts[0][1] == []
