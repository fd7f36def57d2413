"""JSON reader: record arrays as Tables with flattened key paths, scalars as path lines, NDJSON, depth."""

from __future__ import annotations

import json
import time

import pytest

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
from bot.scan.readers.json_reader import max_depth
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, tables, texts

NESTED = {
    "meta": {"title": "Export", "count": 2, "ok": True, "none": None},
    "data": {
        "people": [
            {"person": {"fullName": "Testperson Alpha"}, "a_num": "A000000001", "tags": ["x", "y"]},
            {"person": {"fullName": "Testperson Beta"}, "a_num": "A000000002", "age": 41},
        ]
    },
    "codes": [1, 2],
}


def test_nested_records_become_a_table_named_by_its_path():
    data = json.dumps(NESTED, indent=2).encode()
    assert sniff(data) == "json"
    document, parts = read_all(data)
    [(table, rows)] = tables(parts)
    assert table.style == "json" and table.name == "$.data.people"
    assert table.column_keys == ["person.fullName", "a_num", "tags", "age"]
    assert table.header_row is None
    assert [index for index, _ in rows] == [0, 1]
    assert [fp(cells) for _, cells in rows] == [fp(["Testperson Alpha", "A000000001", "x; y", None]),
                                               fp(["Testperson Beta", "A000000002", None, 41])]
    assert table.where(1, 0, 1) == "$.data.people[*].a_num"
    assert table.where(0, 0, 1) == "$.data.people[*].person.fullName"
    assert document.counters["rows"] == 2


def test_other_values_are_lines_with_their_paths_and_source_lines():
    data = json.dumps(NESTED, indent=2).encode()
    _, parts = read_all(data)
    lines = [line for _, items in texts(parts) for line in items]
    assert [text for _, text in lines] == [
        "$.meta.title: Export", "$.meta.count: 2", "$.meta.ok: true", "$.meta.none: null",
        "$.codes[0]: 1", "$.codes[1]: 2",
    ]
    source = data.decode().splitlines()
    for number, text in lines:
        value = text.split(": ", 1)[1]
        assert value.strip('"') in source[number - 1].replace('"', ""), number


def test_root_array_of_records_and_odd_keys():
    data = json.dumps([{"first name": "Testperson Alpha", "id": 1}, {"first name": "Testperson Beta", "id": 2}]).encode()
    _, [(table, rows)] = read_all(data)
    assert table.name == "$"
    assert table.column_keys == ["first name", "id"]
    assert table.where(1, 0, 1) == "$[*].id"
    assert len(rows) == 2


def test_columns_first_seen_after_the_peek_are_added():
    records = [{"id": index} for index in range(120)] + [{"id": 120, "late": "value"}]
    _, [(table, rows)] = read_all(json.dumps(records).encode())
    assert table.column_keys == ["id", "late"]
    assert rows[-1] == (120, [120, "value"])
    assert rows[0] == (0, [0])


def test_a_table_left_half_read_does_not_derail_the_rest():
    doc = {"a": [{"id": index} for index in range(200)], "after": "tail"}
    document = read_document(json.dumps(doc).encode(), limits=ReadLimits(), deadline=Deadline(10))
    table = next(document.parts)
    next(table.rows)
    block = next(document.parts)
    assert list(block.lines) == [(1, "$.after: tail")]


def test_ndjson_is_a_table_numbered_by_line():
    data = b'{"name": "Testperson Alpha", "id": 1}\n\n{"name": "Testperson Beta", "id": 2}\nnot json\n'
    assert sniff(data) == "json"
    document, [(table, rows)] = read_all(data)
    assert table.name == "$" and table.column_keys == ["name", "id"]
    assert [number for number, _ in rows] == [1, 3]
    assert document.notes == ["1 line of the JSON-lines file was not valid JSON and skipped."]


def test_deep_nesting_is_refused_quickly():
    data = b"[" * 100_000 + b"]" * 100_000
    assert sniff(data) == "json"
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match="nested 100,000 levels deep"):
        read_document(data, limits=ReadLimits(), deadline=Deadline(10))
    assert time.perf_counter() - started < 2


def test_depth_ignores_brackets_inside_strings():
    assert max_depth('{"a": "[[[[[[", "b": [{"c": "\\"]]]"}]}') == 3
    assert max_depth('"just a string"') == 0


def test_invalid_json_is_a_sentence():
    document = read_document(b'{"a": [1, 2', kind="json", limits=ReadLimits(), deadline=Deadline(5))
    with pytest.raises(UnreadableContent) as caught:
        for part in document.parts:
            list(part.rows if hasattr(part, "rows") else part.lines)
    assert str(caught.value).startswith("This JSON file could not be read")


def test_array_of_arrays_is_a_plain_table():
    doc = {"draw": 1, "data": [["Name", "A-Number"], ["Testperson Alpha", "A000000001"], ["Testperson Beta", "A000000002"]]}
    _, parts = read_all(json.dumps(doc).encode())
    [(table, rows)] = tables(parts)
    assert table.style == "table" and table.name == "$.data"
    assert table.header == ["Name", "A-Number"] and table.header_row == 0
    assert [index for index, _ in rows] == [1, 2]
    assert table.where(1, 1, 2) == '$.data column "A-Number", rows 1-2'
    [(_, lines)] = texts(parts)
    assert [text for _, text in lines] == ["$.draw: 1"]


def test_a_huge_string_value_comes_in_bounded_pieces():
    data = json.dumps({"blob": "z" * 2500}).encode()
    _, [(_, lines)] = read_all(data, limits=ReadLimits(max_text_line_chars=1000))
    assert [(number, len(text)) for number, text in lines] == [(1, 1000), (1, 1000), (1, 508)]


# --- keys that are data --------------------------------------------------------------------------


def test_an_object_keyed_by_identifiers_is_a_table_with_a_key_column():
    doc = {"meta": {"n": 2}, "cases": {"A000000001": {"name": "Testperson Alpha", "facility": "North"},
                                       "A000000002": {"name": "Testperson Beta"}}}
    _, parts = read_all(json.dumps(doc).encode())
    [(table, rows)] = tables(parts)
    assert table.name == "$.cases" and table.column_keys == ["(key)", "name", "facility"]
    assert [fp(cells) for _, cells in rows] == [fp(["A000000001", "Testperson Alpha", "North"]),
                                               fp(["A000000002", "Testperson Beta", None])]
    assert [index for index, _ in rows] == [0, 1]
    assert table.where(0, 0, 1) == "$.cases[*].(key)"
    assert [text for _, items in texts(parts) for _, text in items] == ["$.meta.n: 2"]


def test_an_object_mapping_identifiers_to_values_is_key_value_rows():
    doc = {"000-00-0001": "1990-01-02", "000-00-0002": "1991-02-03", "x@example.test": "Testperson"}
    _, [(table, rows)] = read_all(json.dumps(doc).encode())
    assert table.name == "$" and table.column_keys == ["(key)", "(value)"]
    assert [fp(cells) for _, cells in rows] == [fp(["000-00-0001", "1990-01-02"]), fp(["000-00-0002", "1991-02-03"]),
                                               fp(["x@example.test", "Testperson"])]
    assert table.where(0, 0, 2) == "$[*].(key)"


def test_records_whose_keys_change_every_record_are_read_as_key_value_text():
    records = [{f"A00000000{i}": f"Testperson {i}", f"000-00-000{i}": f"199{i}-01-02"} for i in range(1, 5)]
    _, [(table, rows)] = read_all(json.dumps({"index": records}).encode())
    assert table.name == "$.index" and table.column_keys == ["(entries)"]
    assert len(rows) == 4 and rows[0][0] == 0
    assert fp(rows[0][1]) == fp(["A000000001: Testperson 1; 000-00-0001: 1991-01-02"])


def test_one_pair_records_keyed_by_names_are_key_value_rows():
    records = [{f"Testperson {name}": f"A00000000{i}"} for i, name in enumerate(["Alpha", "Beta", "Gamma"])]
    _, [(table, rows)] = read_all(json.dumps(records).encode())
    assert table.column_keys == ["(key)", "(value)"]
    assert [number for number, _ in rows] == [0, 1, 2]
    assert fp(rows[1][1]) == fp(["Testperson Beta", "A000000001"])


def test_ordinary_field_names_stay_columns():
    records = [{"name": f"Testperson {i}", "address2": "x", "id": i} for i in range(5)]
    _, [(table, _)] = read_all(json.dumps(records).encode())
    assert table.column_keys == ["name", "address2", "id"]


def test_a_list_holding_one_object_is_read_as_that_object():
    records = [{"name": [{"family": "Testperson", "given": "Alpha"}], "identifier": [{"v": 1}, {"v": 2}]}] * 3
    _, parts = read_all(json.dumps(records).encode())
    [(table, rows)] = tables(parts)
    assert table.column_keys == ["name.family", "name.given", "identifier"]  # two objects stay one text cell
    assert rows[0][1][2].startswith("[{")
