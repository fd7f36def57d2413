"""The committed reader-test files under files/, written by LibreOffice (soffice) from files the
libraries make: an .xls with cell notes and a hidden sheet, an .odt with a tracked deletion, an .odp
with speaker notes and a hidden slide. Run by hand where soffice is installed:

    python -m tests.scan.readers.libreoffice_files
"""

from __future__ import annotations

from tests.scan.readers.odf_files import ods
from tests.scan.readers.office_files import ROSTER_HEADER, pptx_roster, roster, tracked_docx


def _convert(source: bytes, name: str, target: str, folder: str) -> bytes:
    import pathlib
    import subprocess

    path = pathlib.Path(folder, name)
    path.write_bytes(source)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", target, "--outdir", folder, str(path)], check=True, capture_output=True)
    return path.with_suffix("." + target).read_bytes()


def _regenerate() -> None:  # pragma: no cover - run by hand when soffice is installed
    import pathlib
    import tempfile

    here = pathlib.Path(__file__).parent / "files"
    here.mkdir(exist_ok=True)
    source = ods({"Roster": [ROSTER_HEADER, *roster(6, seed=11)], "Archive": [ROSTER_HEADER, *roster(3, seed=12)]},
                 hidden={"Archive"}, annotations={("Roster", 2, 0): "Checked by the front desk"})
    with tempfile.TemporaryDirectory() as folder:
        (here / "roster_notes.xls").write_bytes(_convert(source, "roster_notes.ods", "xls", folder))
        (here / "roster_tracked.odt").write_bytes(_convert(tracked_docx(), "roster_tracked.docx", "odt", folder))
        slides = pptx_roster(roster(5, seed=14), notes="Speaker notes: confirm with Luis Perez", hidden_second=True)
        (here / "roster_slides.odp").write_bytes(_convert(slides, "roster_slides.pptx", "odp", folder))


if __name__ == "__main__":  # pragma: no cover
    _regenerate()
