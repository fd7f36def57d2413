"""Link extraction and "same site": pure functions, no network."""

import pytest

from bot.scan.links import extract_links, link_kind, normalize_url, same_site_links, site_of


@pytest.mark.parametrize(("raw", "normalized"), [
    ("HTTP://Example.GOV:80/a/b.csv#frag", "http://example.gov/a/b.csv"),
    ("https://example.gov:443", "https://example.gov/"),
    ("https://example.gov:8443/x?id=3&y=4#z", "https://example.gov:8443/x?id=3&y=4"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("ftp://example.gov/x", None),
    ("file:///etc/passwd", None),
    ("http://example.gov:99999/", None),
    ("not a url", None),
])
def test_normalize_url(raw, normalized):
    assert normalize_url(raw) == normalized


def test_links_from_every_tag_that_loads_something():
    html = b"""<html><head><link rel=stylesheet href="/s.css"><base href="/docs/"></head><body>
    <a href="people.xlsx">x</a> <a href='../up.csv#p2'>y</a> <a href="people.xlsx#again">dup</a>
    <iframe src="frame.html"></iframe> <embed src="/e.pdf"> <object data="o.json"></object>
    <area href="?page=2"> <a href="mailto:a@example.gov">m</a> <a href="javascript:go()">j</a>
    <a href="https://other.example/x.csv">o</a> <a>no href</a> <a href="  ">blank</a>
    </body></html>"""
    assert extract_links(html, "https://example.gov/index.html") == [
        "https://example.gov/s.css",
        "https://example.gov/docs/people.xlsx",
        "https://example.gov/up.csv",
        "https://example.gov/docs/frame.html",
        "https://example.gov/e.pdf",
        "https://example.gov/docs/o.json",
        "https://example.gov/docs/?page=2",
        "https://other.example/x.csv",
    ]


def test_broken_markup_still_gives_the_links_it_can():
    html = b'<a href="/a.csv">a</a><a href="/b.csv"<<<<div </scr\xff\xfe <a href="/c.csv">'
    assert "https://example.gov/a.csv" in extract_links(html, "https://example.gov/")


def test_link_count_is_bounded():
    html = "".join(f'<a href="/{i}.csv">x</a>' for i in range(100))
    assert len(extract_links(html, "https://example.gov/", limit=10)) == 10


def test_same_site_is_scheme_host_and_port():
    links = ["https://example.gov/a", "http://example.gov/b", "https://example.gov:8443/c", "https://www.example.gov/d"]
    assert same_site_links(links, {site_of("https://EXAMPLE.gov:443/start")}) == ["https://example.gov/a"]


@pytest.mark.parametrize(("url", "kind"), [
    ("https://x.gov/a.XLSX", "document"), ("https://x.gov/a.csv?v=2", "document"), ("https://x.gov/a.pdf", "document"),
    ("https://x.gov/", "page"), ("https://x.gov/about", "page"), ("https://x.gov/a.html", "page"),
    ("https://x.gov/logo.png", "asset"), ("https://x.gov/app.js", "asset"),
    ("https://x.gov/get.ashx?id=1", "unknown"),
])
def test_link_kind(url, kind):
    assert link_kind(url) == kind
