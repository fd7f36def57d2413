"""Links in an HTML page, and what "the same site" means for a crawl.

Pure functions: no network. A crawl follows `a`/`area` href and `link`/`iframe`/`frame`/`embed`
src (and `object` data), resolved against the page's `<base href>` or its final URL, with the
fragment dropped and the query kept.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

#: documents a reader can open (or may be able to): fetched and scanned
DOCUMENT_EXTENSIONS = frozenset(
    {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".pdf", ".json", ".txt", ".zip", ".xml", ".docx"}
)
#: pages: fetched and scanned, and their links followed one level down
PAGE_EXTENSIONS = frozenset({"", ".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".cfm"})
#: never personal data worth a request: styles, scripts, images, fonts, media
ASSET_EXTENSIONS = frozenset(
    {".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp",
     ".tif", ".tiff", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".webm", ".ogg", ".avi",
     ".mov", ".wav", ".flac", ".wasm"}
)

_LINK_ATTRIBUTES = {
    "a": "href", "area": "href", "link": "href", "iframe": "src", "frame": "src", "embed": "src",
    "object": "data",
}


def normalize_url(url: str) -> str | None:
    """Canonical form used for "same site" and for de-duplication; None if not http(s).

    Scheme and host lower-cased, default port dropped, empty path -> "/", fragment dropped,
    query kept (a `?id=3` download link is a different document).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def site_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, the unit of "same site"."""
    normalized = normalize_url(url)
    if normalized is None:
        return None
    parts = urlsplit(normalized)
    return parts.scheme, parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme]


def extension_of(url: str) -> str:
    """Lower-case extension of the URL's last path segment ("" for none or a trailing slash)."""
    path = unquote(urlsplit(url).path)
    if path.endswith("/"):
        return ""
    return posixpath.splitext(posixpath.basename(path))[1].lower()


def link_kind(url: str) -> str:
    """"document", "page", "asset" or "unknown" (fetched, then sniffed), from the URL alone."""
    ext = extension_of(url)
    if ext in DOCUMENT_EXTENSIONS:
        return "document"
    if ext in PAGE_EXTENSIONS:
        return "page"
    if ext in ASSET_EXTENSIONS:
        return "asset"
    return "unknown"


def file_name(url: str) -> str:
    """The last path segment, a reader's hint for the format ("people.csv")."""
    return posixpath.basename(unquote(urlsplit(url).path))


class _LinkParser(HTMLParser):
    def __init__(self, limit: int):
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.raw_links: list[str] = []
        self.limit = limit

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base" and self.base is None:
            self.base = next((v for k, v in attrs if k == "href" and v), None)
            return
        wanted = _LINK_ATTRIBUTES.get(tag)
        if wanted is None or len(self.raw_links) >= self.limit:
            return
        for name, value in attrs:
            if name == wanted and value and value.strip():
                self.raw_links.append(value.strip())

    handle_startendtag = handle_starttag


def raw_links(html: bytes | str, *, limit: int = 5000) -> tuple[list[str], str | None]:
    """The href/src values of a page as written, and its `<base href>` (for local files)."""
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    parser = _LinkParser(limit)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    return parser.raw_links, parser.base


def extract_links(html: bytes | str, base_url: str, *, limit: int = 5000) -> list[str]:
    """Absolute, normalized http(s) links of a page, in page order, without duplicates."""
    found, page_base = raw_links(html, limit=limit)
    base = urljoin(base_url, page_base) if page_base else base_url
    links: dict[str, None] = {}
    for raw in found:
        if raw.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
            continue
        normalized = normalize_url(urljoin(base, raw))
        if normalized:
            links.setdefault(normalized, None)
    return list(links)


def same_site_links(links: list[str], sites: set[tuple[str, str, int]]) -> list[str]:
    """Only the links whose (scheme, host, port) is one of `sites`."""
    return [link for link in links if site_of(link) in sites]
