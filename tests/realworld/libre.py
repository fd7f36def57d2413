"""Files produced by a real office suite (LibreOffice, headless), committed, and their ground truth.

Contract:
- `CONVERSIONS` lists (committed name, corpus maker, target filter): the maker writes its source file
  (seeded by `LIBRE_SEED`, at `LIBRE_SCALE`), LibreOffice converts it, the output is committed under
  `tests/realworld/files/`.
- `committed_entries()` rebuilds each committed file's truth in memory, without LibreOffice: it runs
  the same seeded maker into a scratch folder (its bytes are thrown away) and points the truth at the
  committed file. Files not committed yet are left out.
- `python -m tests.realworld.libre` regenerates the committed files (needs `soffice`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.corpus.truth import CorpusFile
from tests.realworld import leaks_docs, leaks_sheets, lookalikes
from tests.realworld.kit import Ctx

FILES = Path(__file__).resolve().parent / "files"
LIBRE_SEED = 2024
LIBRE_SCALE = 0.3

#: committed name -> (maker, LibreOffice --convert-to filter, format, expect_incomplete)
CONVERSIONS = {
    "lo_cadastro_migrantes.xls": (leaks_sheets.make_cadastro_ods, "xls:MS Excel 97", "xls", False),
    "lo_registro_consular.ods": (leaks_sheets.make_registro_consular, "ods", "ods", False),
    "lo_svodka_hidden_sheet.xls": (leaks_sheets.make_hidden_sheet_ods, "xls:MS Excel 97", "xls", False),
    "lo_ghi_chu_ho_so.docx": (leaks_sheets.make_vietnamese_odt, "docx:MS Word 2007 XML", "docx", False),
    "lo_case_notes_2024.odt": (leaks_docs.make_case_notes_docx, "odt", "odt", False),
    "lo_intake_roster.docx": (leaks_docs.make_intake_docx, "docx:MS Word 2007 XML", "docx", False),
    "lo_hearing_docket.pptx": (leaks_docs.make_hearing_pptx, "pptx:Impress MS PowerPoint 2007 XML", "pptx", False),
    "lo_intake_roster_legacy.doc": (leaks_docs.make_intake_docx, "doc:MS Word 97", "doc", True),
    "lo_catalogo_precios.ods": (lookalikes.make_price_list, "ods", "ods", False),
    "lo_presupuesto_2025.xls": (lookalikes.make_budget_ods, "xls:MS Excel 97", "xls", False),
    "lo_privacy_training_deck.pptx": (lookalikes.make_training_deck, "pptx:Impress MS PowerPoint 2007 XML", "pptx", False),
}


def _truth(name: str, scratch: Path) -> CorpusFile:
    maker, _, fmt, incomplete = CONVERSIONS[name]
    entry = maker(Ctx(out=scratch, seed=LIBRE_SEED, scale=LIBRE_SCALE))
    entry.path, entry.format, entry.kinds = FILES / name, fmt, {fmt}
    entry.expect_incomplete = entry.expect_incomplete or incomplete
    entry.what = f"LibreOffice-saved {fmt}: " + entry.what
    return entry


def committed_entries() -> list[CorpusFile]:
    present = [name for name in CONVERSIONS if (FILES / name).is_file()]
    if not present:
        return []
    with tempfile.TemporaryDirectory(prefix="rw-libre-") as tmp:
        return [_truth(name, Path(tmp)) for name in present]


def regenerate() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: install libreoffice-calc, -writer and -impress")
    FILES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rw-libre-src-") as tmp:
        for name, (maker, target, _, _) in CONVERSIONS.items():
            src_dir, out_dir = Path(tmp) / name / "src", Path(tmp) / name / "out"
            src_dir.mkdir(parents=True)
            source = maker(Ctx(out=src_dir, seed=LIBRE_SEED, scale=LIBRE_SCALE)).path
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            target, "--outdir", str(out_dir), str(source)], check=True, timeout=180,
                           capture_output=True)
            produced = next(out_dir.iterdir())
            shutil.copyfile(produced, FILES / name)
            print(f"{name}: {produced.stat().st_size} bytes from {source.name}")


if __name__ == "__main__":
    regenerate()
