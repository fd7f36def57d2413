"""XML reader: repeated records become Tables, other text lines; entities are refused."""

from __future__ import annotations

import random
import time
import xml.etree.ElementTree as ET

import pytest

from bot.config import ScanSettings
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.pipeline import scan_bytes
from bot.scan.readers.xml_reader import record_paths
from bot.scan.sniff import sniff
from tests.corpus.values import Factory
from tests.scan.readers import fp, read_all, tables, texts, traced_peak

NS = "urn:example:detention:export"


def export(count: int, seed: int = 5, facilities: int = 3) -> tuple[bytes, list[dict[str, str]]]:
    """An export as ElementTree writes it: a namespace, a header, detainee records, facilities."""
    ET.register_namespace("dx", NS)
    factory = Factory(random.Random(seed))
    root = ET.Element(f"{{{NS}}}Export", {"generated": "2025-06-15T10:00:00Z"})
    header = ET.SubElement(root, f"{{{NS}}}Header")
    ET.SubElement(header, "Agency").text = "Example Processing Center"
    ET.SubElement(header, "PreparedBy").text = "Records Unit"
    detainees = ET.SubElement(root, f"{{{NS}}}Detainees")
    truth = []
    for index, person in enumerate(factory.people(count), start=1):
        ssn = factory.ssn(min_area=100)
        record = {"@id": str(index), "fullName": person.full_name, "AlienNumber": f"A{factory.a_number()}",
                  "SSN": f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}", "birth_date": person.dob.isoformat(),
                  "Address/@type": "home", "Address/City": "Springfield", "Aliases/Alias": f"{person.given}; X"}
        truth.append(record)
        element = ET.SubElement(detainees, f"{{{NS}}}Detainee", {"id": record["@id"]})
        for key in ("fullName", "AlienNumber", "SSN", "birth_date"):
            ET.SubElement(element, f"{{{NS}}}{key}").text = record[key]
        address = ET.SubElement(element, "Address", {"type": "home"})
        ET.SubElement(address, "City").text = "Springfield"
        aliases = ET.SubElement(element, "Aliases")
        ET.SubElement(aliases, "Alias").text = person.given
        ET.SubElement(aliases, "Alias").text = "X"
    places = ET.SubElement(root, "Facilities")
    for number in range(facilities):
        ET.SubElement(ET.SubElement(places, "Facility", {"code": f"F{number}"}), "Name").text = f"Center {number}"
    ET.SubElement(root, "Footer").text = f"Total records: {count}"
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), truth


def test_an_export_sniffs_as_xml_and_prose_with_angle_brackets_does_not():
    data, _ = export(3)
    assert sniff(data) == "xml"
    assert sniff(b"<Records>\n  <Record><Name>x</Name></Record>\n") == "xml"  # cut short, still XML
    assert sniff(b"<Name> wrote that 3 < 4 and asked for <more> soon.\n") != "xml"
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"


def test_records_become_a_table_with_field_names_and_nested_paths():
    data, truth = export(40)
    document, parts = read_all(data)
    found = {table.name: (table, rows) for table, rows in tables(parts)}
    assert list(found) == ["/Export/Detainees/Detainee", "/Export/Facilities/Facility"]
    table, rows = found["/Export/Detainees/Detainee"]
    assert table.style == "table"
    assert table.header == ["@id", "fullName", "AlienNumber", "SSN", "birth_date", "Address/@type",
                            "Address/City", "Aliases/Alias"]
    assert [fp(cells) for _, cells in rows] == [fp([record[key] for key in table.header]) for record in truth]
    # rows are numbered by the source line where each record starts
    lines = data.decode().splitlines()
    assert all("<dx:Detainee " in lines[number - 1] for number, _ in rows)
    assert table.where(2, rows[0][0], rows[-1][0]).startswith('/Export/Detainees/Detainee column "AlienNumber", rows ')
    facility, facility_rows = found["/Export/Facilities/Facility"]
    assert facility.header == ["@code", "Name"] and len(facility_rows) == 3
    text = [line for _, items in texts(parts) for _, line in items]
    assert text == ["Export@generated: 2025-06-15T10:00:00Z", "Agency: Example Processing Center",
                    "PreparedBy: Records Unit", "Footer: Total records: 40"]
    assert document.counters["rows"] == 43 and not document.skipped


def test_record_choice_prefers_the_outer_record_but_not_a_section_of_rows():
    # detainees with two aliases each: the detainee is the record
    assert record_paths({"/E": [1, 1, 0], "/E/D": [100, 100, 500], "/E/D/Alias": [200, 200, 400]}) == {"/E/D"}
    # sections of many rows: the rows are the records
    assert record_paths({"/R": [1, 1, 0], "/R/S": [3, 3, 3], "/R/S/Row": [150, 150, 450]}) == {"/R/S/Row"}
    # one element of its kind is no table
    assert record_paths({"/R": [1, 1, 0], "/R/Person": [1, 1, 5]}) == set()


def test_billion_laughs_is_refused_before_parsing():
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>'.encode()
    assert sniff(data) == "xml"
    started = time.perf_counter()
    with pytest.raises(UnreadableContent) as caught:
        read_all(data)
    assert time.perf_counter() - started < 2
    assert str(caught.value) == ("This XML file declares entities, which can expand without bound or pull in "
                                 "other files, so it was not read.")


def test_external_entities_are_refused_and_an_external_dtd_is_never_fetched():
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><a>&x;</a></r>'
    with pytest.raises(UnreadableContent, match="declares entities"):
        read_all(xxe)
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'.encode("utf-16")
    with pytest.raises(UnreadableContent, match="declares entities"):
        read_all(utf16, kind="xml")
    remote = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r><a>1</a><a>2</a></r>'
    _, parts = read_all(remote)
    assert [line for _, items in texts(parts) for _, line in items] == ["a: 1", "a: 2"]


def test_nesting_past_the_depth_limit_is_one_sentence():
    data = b"<?xml version='1.0'?>" + b"<a>" * 100_000 + b"</a>" * 100_000
    with pytest.raises(LimitExceeded, match="nested more than"):
        read_all(data)


def test_a_cut_off_export_keeps_its_records_and_says_the_rest_was_not_read():
    data, truth = export(30)
    cut = data[: data.index(b"<dx:Detainee id=\"21\"")] + b"<dx:Detainee id=\"21\"><dx:fullName>Trun"
    document, parts = read_all(cut)
    [(_, rows)] = tables(parts)
    assert len(rows) == 20
    [skipped] = document.skipped
    assert skipped["reason"] == "the XML is not well-formed from here on"
    with pytest.raises(UnreadableContent, match="not well-formed"):
        read_all(b"<?xml version='1.0'?><r><a>1</b></r>")


def test_an_export_streams_instead_of_being_held():
    data, _ = export(8_000, seed=9, facilities=0)
    assert traced_peak(data) < 0.5 * len(data)


def test_end_to_end_an_xml_roster_is_found():
    data, _ = export(60, seed=13)
    report = scan_bytes(data, target="export.xml", settings=ScanSettings(fingerprint_key="k"))
    counts = {finding.type: finding.count for finding in report.findings}
    assert report.kind == "xml", report.error
    for kind in ("A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH"):
        assert counts.get(kind, 0) >= 55, (kind, counts)
