"""`--crawl` on disk: a build folder or an HTML file and the local files it links to, never
outside the folder given."""

from pathlib import Path

import pytest

from bot.config import ScanSettings
from bot.scan.crawl_local import crawl_path, crawl_target, local_targets
from tests.watch.leaks import harmless_csv, page, roster

SETTINGS = ScanSettings(fingerprint_key="local-crawl-key")
ROSTER = roster(60, seed=8)


@pytest.fixture
def build(tmp_path) -> Path:
    (tmp_path / "outside.csv").write_bytes(ROSTER.csv())  # beside the build, never part of it
    site = tmp_path / "public_html"
    (site / "files").mkdir(parents=True)
    (site / "about").mkdir()
    (site / "index.html").write_bytes(page("Home", [
        "files/roster.csv", "about/", "/contact", "../outside.csv", "missing.csv", "style.css",
        "https://elsewhere.example/x.csv", "mailto:web@example.gov", "#top",
    ]))
    (site / "files" / "roster.csv").write_bytes(ROSTER.csv())
    (site / "about" / "index.html").write_bytes(page("About", ["table.csv", "deeper.html"]))
    (site / "about" / "table.csv").write_bytes(harmless_csv(4))
    (site / "about" / "deeper.html").write_bytes(page("Deeper", []))
    (site / "contact.html").write_bytes(page("Contact", []))
    (site / "style.css").write_bytes(b"body{}")
    return site


def test_links_resolve_inside_the_folder_only(build):
    targets, missing = local_targets(build / "index.html", build)
    names = sorted(str(t.relative_to(build.resolve())) for t in targets)
    assert names == ["about/index.html", "contact.html", "files/roster.csv"]
    assert missing == 2, "../outside.csv and missing.csv"


def test_an_html_file_with_what_it_links_to(build):
    report = crawl_path(str(build / "index.html"), SETTINGS)
    assert report.documents[0].target == str(build / "index.html")
    assert {d.target for d in report.documents[1:]} == {
        "files/roster.csv", "about/index.html", "contact.html", "about/table.csv"}
    assert report.kind == "crawl" and report.incident
    assert report.finding("A_NUMBER").count == 60
    assert any("2 local links" in note for note in report.notes)


def test_a_folder_is_every_file_below_it_and_never_what_is_beside_it(build):
    report = crawl_target(str(build), SETTINGS)
    assert report.kind == "crawl" and report.exit_code == 1
    assert sorted(d.target for d in report.documents) == [
        "about/deeper.html", "about/index.html", "about/table.csv", "contact.html", "files/roster.csv",
        "index.html", "style.css"]
    assert report.finding("A_NUMBER").count == 60, "outside.csv (the same people) is not read"


def test_a_clean_folder_passes(build):
    (build / "files" / "roster.csv").unlink()
    report = crawl_target(str(build), SETTINGS)
    assert report.exit_code == 0 and not report.findings
