"""gzip, bzip2, xz and tar: the file inside read by its own reader, bombs refused, cut streams partly read."""

from __future__ import annotations

import bz2
import functools
import gzip
import io
import lzma
import random
import tarfile
import time
import tracemalloc
import zlib

import pytest

from bot.config import ScanSettings
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.corpus.values import Factory
from tests.scan.readers import read_all, tables

ROSTER_HEADER = ["Name", "A-Number", "SSN", "Date of Birth"]


def roster_rows(count: int, seed: int = 5) -> list[list[str]]:
    factory = Factory(random.Random(seed))
    rows = []
    for person in factory.people(count):
        ssn = factory.ssn(min_area=100)
        rows.append([person.full_name, f"A{factory.a_number()}", f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}",
                     person.dob.isoformat()])
    return rows


def roster_csv(count: int = 40, seed: int = 5) -> bytes:
    lines = [",".join(ROSTER_HEADER)] + [",".join(row) for row in roster_rows(count, seed)]
    return ("\n".join(lines) + "\n").encode()


def counts(report) -> dict[str, int]:
    return {finding.type: finding.count for finding in report.findings}


def assert_roster_found(report, at_least: int) -> None:
    found = counts(report)
    for kind in ("A_NUMBER", "SSN", "PERSON_NAME"):
        assert found.get(kind, 0) >= at_least, (kind, found, report.error)


def make_tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@functools.cache
def gzip_bomb() -> bytes:
    """1 GB of zeros, gzip'd (about 1 MB)."""
    compressor, zeros = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(1 << 20)
    return b"".join(compressor.compress(zeros) for _ in range(1024)) + compressor.flush()


def test_a_gzipd_csv_is_sniffed_and_read_under_its_own_name():
    data = gzip.compress(roster_csv(20))
    assert sniff(data) == "gzip"
    document, parts = read_all(data, name="people.csv.gz")
    [(table, rows)] = tables(parts)
    assert table.container == "people.csv" and table.header == ROSTER_HEADER and len(rows) == 20
    assert table.where(1, 2, 3) == 'people.csv › table 1 column "A-Number", rows 2-3'
    assert document.skipped == [] and document.counters["files"] == 1


def test_the_name_in_the_gzip_header_wins_and_no_name_reads_as_content():
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="roster.csv", mode="wb", fileobj=buffer) as handle:
        handle.write(roster_csv(3))
    _, parts = read_all(buffer.getvalue(), name="download.gz")
    assert [part.container for part, _ in parts] == ["roster.csv"]
    _, parts = read_all(gzip.compress(roster_csv(3)))
    assert [part.container for part, _ in parts] == ["content"]


@pytest.mark.parametrize(("compress", "kind", "name"), [
    (bz2.compress, "bzip2", "people.csv.bz2"), (lzma.compress, "xz", "people.csv.xz")])
def test_bzip2_and_xz_files(compress, kind, name):
    data = compress(roster_csv(15))
    assert sniff(data) == kind
    _, parts = read_all(data, name=name)
    [(table, rows)] = tables(parts)
    assert table.container == "people.csv" and len(rows) == 15


def test_concatenated_gzip_members_are_all_read():
    first, second = roster_csv(5, seed=1), b"".join(roster_csv(5, seed=2).splitlines(keepends=True)[1:])
    _, parts = read_all(gzip.compress(first) + gzip.compress(second) + bytes(512), name="x.csv.gz")
    [(_, rows)] = tables(parts)
    assert len(rows) == 10


def test_a_cut_gzip_is_read_as_far_as_it_goes_and_the_rest_is_listed():
    whole = gzip.compress(roster_csv(2000), 9)
    document, parts = read_all(whole[: len(whole) // 2], name="people.csv.gz")
    [(_, rows)] = tables(parts)
    assert 100 < len(rows) < 2000
    assert document.skipped == [{"where": "people.csv",
                                 "reason": "the compressed data is damaged or cut short; what came before was read"}]


def test_damaged_from_the_start_is_one_sentence():
    with pytest.raises(UnreadableContent, match=r"^This gzip file could not be read: it is damaged"):
        read_document(b"\x1f\x8b\x08\x00" + bytes(6) + b"\xff" * 100, limits=ReadLimits(), deadline=Deadline(5))
    with pytest.raises(UnreadableContent, match=r"^This xz file could not be read"):
        read_document(b"\xfd7zXZ\x00" + b"\x00" * 50, limits=ReadLimits(), deadline=Deadline(5))


def test_a_gzip_bomb_stops_early_in_bounded_time_and_memory():
    bomb = gzip_bomb()
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded, match="expands to more than 200 times its size") as caught:
            read_all(bomb, name="zeros.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 40 << 20, peak  # a few MB of output, never the gigabyte
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("compressor", [bz2.BZ2Compressor, lzma.LZMACompressor])
def test_bzip2_and_xz_bombs_stop_early(compressor):
    maker, zeros = compressor(), bytes(1 << 20)
    bomb = b"".join(maker.compress(zeros) for _ in range(64)) + maker.flush()
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match="compression bomb"):
        read_all(bomb)
    assert time.perf_counter() - started < 5


def test_the_shared_budget_stops_a_plain_large_file():
    data = gzip.compress(roster_csv(3000))
    with pytest.raises(LimitExceeded, match="expand to more than"):
        read_all(data, limits=ReadLimits(max_unzipped_bytes=50_000))


def test_a_tar_gz_of_a_folder_of_csvs(tmp_path):
    folder = tmp_path / "export"
    (folder / "2024").mkdir(parents=True)
    (folder / "a.csv").write_bytes(roster_csv(10, seed=1))
    (folder / "2024" / "b.csv").write_bytes(roster_csv(12, seed=2))
    (folder / "link.csv").symlink_to(folder / "a.csv")
    path = tmp_path / "export.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.add(folder, arcname="export")
    data = path.read_bytes()
    assert sniff(data) == "gzip"
    document, parts = read_all(data, name="export.tar.gz")
    by_container = {part.container: len(rows) for part, rows in tables(parts)}
    assert by_container == {"export.tar › export/a.csv": 10, "export.tar › export/2024/b.csv": 12}
    assert document.skipped == [] and document.counters["files"] == 3  # the tar and two CSVs


def test_tar_names_are_labels_only_and_links_are_not_followed():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in {"../../etc/people.csv": roster_csv(2), "/abs/x.csv": roster_csv(3)}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        link = tarfile.TarInfo("passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
        hard = tarfile.TarInfo("hard")
        hard.type, hard.linkname = tarfile.LNKTYPE, "abs/x.csv"
        archive.addfile(hard)
    document, parts = read_all(buffer.getvalue())
    assert [part.container for part, _ in parts] == ["etc/people.csv", "abs/x.csv"]
    assert document.counters["tar_entries_not_files"] == 2 and document.skipped == []


def test_tar_member_count_is_bounded_and_the_rest_listed():
    data = make_tar({f"f{index}.txt": b"note\n" for index in range(30)})
    document, parts = read_all(data, limits=ReadLimits(max_zip_entries=10))
    assert len(parts) == 10
    assert document.skipped == [{"where": "the entries after that", "reason": "past the 10-entry limit of one archive"}]


def test_a_tar_bomb_is_stopped_by_the_shared_budget():
    data = gzip.compress(make_tar({f"big{index}.txt": b"y" * 200_000 for index in range(20)}))
    with pytest.raises(LimitExceeded, match="expand to more than"):
        read_all(data, limits=ReadLimits(max_unzipped_bytes=1_000_000))


def test_a_tar_member_with_a_huge_declared_size():
    info = tarfile.TarInfo("huge.csv")
    info.size = 50 * 10**9
    huge = info.tobuf(tarfile.GNU_FORMAT) + b"a,b\n1,2\n" * 100
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match="expand to more than"):
        read_all(huge)
    assert time.perf_counter() - started < 2
    info.size = 1_000_000  # within the budget, but the data is not there
    document, parts = read_all(make_tar({"ok.csv": b"a,b\n1,2\n"})[:1024] + info.tobuf() + b"a,b\n" * 10)
    assert [part.container for part, _ in parts] == ["ok.csv"]
    assert document.skipped == [{"where": "huge.csv", "reason": "it is cut short or damaged inside the archive"}]


def test_thirty_nested_gzips_stop_at_the_depth_limit():
    data = roster_csv(3)
    for _ in range(30):
        data = gzip.compress(data)
    document, parts = read_all(data, name="deep.gz", limits=ReadLimits(max_zip_depth=4))
    assert parts == []
    [skipped] = document.skipped
    assert skipped["reason"] == "it is an archive nested deeper than 4 levels"
    assert skipped["where"] == "deep › deep › deep › deep"


def test_end_to_end_a_gzipd_roster_is_found():
    report = scan_bytes(gzip.compress(roster_csv(40)), target="roster.csv.gz", name="roster.csv.gz",
                        settings=ScanSettings(fingerprint_key="k"))
    assert report.kind == "gzip" and report.complete, (report.error, report.skipped)
    assert_roster_found(report, 35)


def test_end_to_end_tar_xz_with_a_cut_member_is_partly_read():
    members = make_tar({"roster.csv": roster_csv(40), "more.csv": roster_csv(40, seed=9)})
    cut = members[: members.index(b"more.csv") + 600]
    report = scan_bytes(lzma.compress(cut), target="export.tar.xz", name="export.tar.xz",
                        settings=ScanSettings(fingerprint_key="k"))
    assert_roster_found(report, 35)
    assert not report.complete
    [skipped] = report.skipped  # the archive's own name is masked in places ("export.tar" may be a value)
    assert skipped["where"].endswith(".tar › more.csv")
    assert skipped["reason"] == "it is cut short or damaged inside the archive"
