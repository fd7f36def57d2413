"""Every format the scanner knows, declared once: the one table `sniff` and `read_document` share.

A Format says what a kind is called in a sentence, how its bytes are recognised (leading magic
bytes, a member of a zip, a stream of an OLE2 compound file, or a test of its decoded text), and
which reader opens it (`module:function` under bot.scan.readers; every opener takes
`(data, ctx)` and returns an iterator of parts). Formats with no reader are recognised only to
say what they are ("a legacy Word .doc file") instead of "binary data"; `media` formats carry no
text at all (images, fonts, sound), which is not an error.

Adding a format is one entry here plus its reader module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.scan import textshape


@dataclass(frozen=True)
class Format:
    kind: str
    #: how a person names it: "Excel file (.xlsx)", or for what is not read, "a legacy Word .doc file"
    label: str
    #: "module:function" under bot.scan.readers; None when the format is recognised but not read
    reader: str | None = None
    #: leading bytes (any of them), looked for at `magic_at`
    magic: tuple[bytes, ...] = ()
    magic_at: int = 0
    #: looked for anywhere in the first `magic_within` bytes instead of at one offset (PDF)
    magic_within: int = 0
    #: zip-based formats: bytes found in the zip's central directory or its first entry's head
    zip_marker: bytes | None = None
    #: OLE2 compound files (legacy Office, Outlook): a stream name in the file's directory
    ole_stream: str | None = None
    #: text formats: a test of the decoded sample, tried in table order
    text_test: Callable[[str], bool] | None = None
    #: images, fonts, sound and video: no text to read, nothing found, and not an error
    media: bool = False
    #: how the list of what is read names it ("Excel", "e-mail"); formats of one family share it
    family: str = ""
    #: holds other files (archives, mail): its nesting counts against the depth limit
    container: bool = False

    @property
    def readable(self) -> bool:
        return self.reader is not None


_ARCHIVES = "archives (zip, tar, gzip, bzip2, xz)"
_EMAIL = "e-mail (.eml, mbox, Outlook .msg)"


def _media(kind: str, label: str, *magic: bytes) -> Format:
    return Format(kind, label, magic=magic, media=True)


#: zip-based documents before the plain zip; OLE2 streams in the order they are told apart
FORMATS: tuple[Format, ...] = (
    # --- zip-based -----------------------------------------------------------------------------
    Format("xlsx", "Excel file (.xlsx)", "xlsx:open_xlsx", zip_marker=b"xl/workbook.xml", family="Excel"),
    Format("xlsb", "an Excel binary workbook (.xlsb)", zip_marker=b"xl/workbook.bin"),
    Format("docx", "Word document (.docx)", "docx:open_docx", zip_marker=b"word/document.xml", family="Word .docx"),
    Format("pptx", "PowerPoint file (.pptx)", "pptx:open_pptx", zip_marker=b"ppt/presentation.xml", family="PowerPoint .pptx"),
    Format("ods", "OpenDocument spreadsheet (.ods)", "opendocument:open_opendocument",
           zip_marker=b"application/vnd.oasis.opendocument.spreadsheet", family="OpenDocument"),
    Format("odt", "OpenDocument text (.odt)", "opendocument:open_opendocument",
           zip_marker=b"application/vnd.oasis.opendocument.text", family="OpenDocument"),
    Format("odp", "OpenDocument presentation (.odp)", "opendocument:open_opendocument",
           zip_marker=b"application/vnd.oasis.opendocument.presentation", family="OpenDocument"),
    Format("zip", "zip archive", "archive:open_archive", magic=(b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"), family=_ARCHIVES, container=True),
    # --- OLE2 compound files (legacy Office, Outlook) --------------------------------------------
    Format("encrypted-office", "a password-protected Office file", ole_stream="EncryptedPackage"),
    Format("xls", "Excel 97-2003 file (.xls)", "xls:open_xls", ole_stream="Workbook", family="Excel"),
    Format("xls", "Excel 97-2003 file (.xls)", "xls:open_xls", ole_stream="Book", family="Excel"),
    Format("msg", "Outlook message (.msg)", "email_reader:open_msg", ole_stream="__substg1.0_", family=_EMAIL, container=True),
    Format("doc", "a legacy Word .doc file (save it as .docx to scan it)", ole_stream="WordDocument"),
    Format("ppt", "a legacy PowerPoint .ppt file (save it as .pptx to scan it)", ole_stream="PowerPoint Document"),
    Format("ole", "a legacy Office file of a kind that is not read", magic=(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    # --- other binary documents and containers ---------------------------------------------------
    Format("pdf", "PDF", "pdf:open_pdf", magic=(b"%PDF-",), magic_within=1024, family="PDF"),
    Format("gzip", "gzip file", "compressed:open_gzip", magic=(b"\x1f\x8b",), family=_ARCHIVES, container=True),
    Format("bzip2", "bzip2 file", "compressed:open_bzip2", magic=(b"BZh",), family=_ARCHIVES, container=True),
    Format("xz", "xz file", "compressed:open_xz", magic=(b"\xfd7zXZ\x00",), family=_ARCHIVES, container=True),
    Format("tar", "tar archive", "compressed:open_tar", magic=(b"ustar",), magic_at=257, family=_ARCHIVES, container=True),
    Format("7z", "a 7-Zip archive", magic=(b"7z\xbc\xaf",)),
    Format("rar", "a RAR archive", magic=(b"Rar!",)),
    Format("program", "a program", magic=(b"\x7fELF",)),
    Format("sqlite", "an SQLite database", magic=(b"SQLite format 3\x00",)),
    Format("rtf", "a rich-text (.rtf) document", magic=(b"{\\rtf",)),
    _media("png", "a PNG image", b"\x89PNG\r\n\x1a\n"),
    _media("jpeg", "a JPEG image", b"\xff\xd8\xff"),
    _media("gif", "a GIF image", b"GIF87a", b"GIF89a"),
    _media("icon", "an icon", b"\x00\x00\x01\x00"),
    _media("font", "a web font", b"wOFF", b"wOF2"),
    _media("font", "a font", b"\x00\x01\x00\x00", b"OTTO"),
    _media("mp3", "an MP3 file", b"ID3"),
    _media("wasm", "a WebAssembly module", b"\x00asm"),
    # --- text, tried in this order on the decoded sample ----------------------------------------
    Format("json", "JSON file", "json_reader:open_json", text_test=textshape.looks_json, family="JSON"),
    Format("mbox", "mailbox (mbox)", "email_reader:open_mbox", text_test=textshape.looks_mbox, family=_EMAIL, container=True),
    Format("eml", "e-mail message (.eml)", "email_reader:open_eml", text_test=textshape.looks_email, family=_EMAIL, container=True),
    Format("html", "HTML page", "html:open_html", text_test=textshape.looks_html, family="HTML"),
    Format("xml", "XML file", "xml_reader:open_xml", text_test=textshape.looks_xml, family="XML"),
    Format("sql", "SQL dump", "sql:open_sql", text_test=textshape.looks_sql, family="SQL dumps"),
    Format("csv", "CSV file", "delimited:open_delimited", text_test=textshape.looks_delimited, family="CSV"),
    Format("text", "text file", "text:open_text", text_test=lambda text, whole: True, family="text"),
)

UNSUPPORTED = Format("unsupported", "file")

#: kind -> its first declaration (labels and readers; several entries may share a kind)
BY_KIND: dict[str, Format] = {}
for _format in FORMATS:
    BY_KIND.setdefault(_format.kind, _format)
BY_KIND[UNSUPPORTED.kind] = UNSUPPORTED

#: kinds a reader opens, in table order: what docs/scanner.md lists
READABLE_KINDS: tuple[str, ...] = tuple(dict.fromkeys(f.kind for f in FORMATS if f.readable))


def get(kind: str) -> Format:
    return BY_KIND.get(kind) or Format(kind, f"{kind} file")


def label(kind: str) -> str:
    return get(kind).label


def readable_list() -> str:
    """What the scanner reads, for the sentence that refuses anything else."""
    return ", ".join(dict.fromkeys(f.family for f in FORMATS if f.readable))
