"""The seeded synthetic corpus: leaks and look-alikes, each with its ground truth.

`generate_corpus(out_dir, seed, scale)` writes every file and returns the truth in memory. Each
file draws from its own random source (seed + file name), so a file's bytes depend only on the
seed and the scale, never on which other files were generated. `scale` shrinks every file except
the original leak's shape, which always has its 6,252 people.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from tests.corpus import leaks, leaks_docs, leaks_layouts, leaks_more, lookalikes, lookalikes_docs
from tests.corpus.truth import CorpusFile

Maker = Callable[[Path, random.Random, float], CorpusFile]

#: file name -> maker; the name says what the file is (no values)
LEAKS: dict[str, Maker] = {
    "detained_population_fy2025.xlsx": leaks.original_leak,
    "housing_roster_hidden_sheet.xlsx": leaks.hidden_sheet,
    "intake_export_cp1252.csv": leaks.cp1252_csv,
    "padron_detenidos_es.csv": leaks.spanish_headers,
    "transfer_manifest_no_header.xlsx": leaks.headerless_sheet,
    "alien_ssn_numeric_cells.xlsx": leaks.numeric_ids,
    "hr_export_ssn_email.csv": leaks.hr_export,
    "case_notes_email.txt": leaks_docs.case_notes_email,
    "casework_update_prose.html": leaks_docs.casework_update_html,
    "benefits_correction_three_ssn.html": leaks_docs.few_records_html,
    "housing_roster_table.html": leaks_docs.roster_html,
    "hearing_docket.pdf": leaks_docs.docket_pdf,
    "detainee_api_dump.json": leaks_docs.api_dump_json,
    "nightly_export.zip": leaks_docs.export_zip,
    "custody_moves_repeat_people.csv": leaks_layouts.repeated_people_moves,
    "unit_report_roster_below_summary.xlsx": leaks_layouts.roster_below_summary,
    "detainee_listing_fixed_width.txt": leaks_layouts.fixed_width_report,
    "carta_consular_es.pdf": leaks_more.spanish_letter_pdf,
    "case_search_snake_case.json": leaks_more.snake_case_json,
    "rosters_one_sheet_per_facility.xlsx": leaks_more.rosters_by_sheet,
    "visitation_hidden_a_number_column.xlsx": leaks_more.hidden_column,
    "paste_site_csv_in_pre.html": leaks_more.pasted_csv_html,
}

LOOKALIKES: dict[str, Maker] = {
    "stats_by_country_and_facility.xlsx": lookalikes.stats_workbook,
    "facility_population_stats.csv": lookalikes.facility_stats_csv,
    "parts_catalog.csv": lookalikes.parts_catalog,
    "invoice_ledger.xlsx": lookalikes.invoice_ledger,
    "office_directory.html": lookalikes.office_directory,
    "press_release.txt": lookalikes.press_release,
    "web_access.log": lookalikes.access_log,
    "facility_locator.json": lookalikes.facilities_json,
    "custody_policy_memo.pdf": lookalikes.policy_memo_pdf,
    "shipment_tracking.csv": lookalikes.tracking_csv,
    "public_stats_release.zip": lookalikes.public_release_zip,
    "book_ins_facility_by_country.csv": lookalikes.crosstab_csv,
    "intake_form_blank.pdf": lookalikes.blank_form_pdf,
    "data_dictionary.csv": lookalikes_docs.data_dictionary,
    "ssn_format_help.html": lookalikes_docs.ssn_help_page,
}

MAKERS: dict[str, Maker] = {**LEAKS, **LOOKALIKES}


def corpus_names() -> list[str]:
    """Every file name, without generating anything (for test parametrization)."""
    return list(MAKERS)


def generate_corpus(out_dir: Path, seed: int = 7, scale: float = 1.0,
                    only: Iterable[str] | None = None) -> list[CorpusFile]:
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = list(MAKERS) if only is None else list(only)
    unknown = [name for name in wanted if name not in MAKERS]
    if unknown:
        raise ValueError(f"no such corpus file: {unknown}")
    files = []
    for name in wanted:
        rng = random.Random(f"{seed}:{name}")
        files.append(MAKERS[name](out_dir / name, rng, scale))
    return files
