"""Column classification: decide once per column what it holds, from its header and a sample.

A header word is context for the whole column (as Macie and Google DLP do): "A-Number" above a
column of bare 9-digit numbers makes them A-numbers; "SKU" or "Invoice #" above the same numbers
makes them nothing. Each column gets a plan, then every value of the column is checked only by
the plan's detectors (the fast path in analyze.py).

Order of decisions for one column:
1. Header words of aggregates (Total, Count, Population, Percent, Fiscal Year...) or of catalogs
   and ledgers (SKU, Part No, Invoice, Order, Account, Tracking, Zip...) without a positive
   header word: the column is not personal data.
2. Detectors whose header phrases match: the column is theirs if at least half the sample
   parses with context.
3. No header (or a header that says nothing): only forms that speak for themselves (A-prefixed
   A-numbers, dashed SSNs, emails, IBANs...) decide, at 80% of the sample. Names and countries
   are decided from values only in headerless tables.
4. Long texts with spaces (notes, comments): scanned as prose, cell by cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.scan.data import first_names, fold, surnames
from bot.scan.detectors import REGISTRY, Detector, types_where
from bot.scan.detectors.base import SENSITIVE_CATEGORIES, cell_text, has_phrase, header_text
from bot.scan.detectors.person_name import looks_like_org_or_place, name_tokens
from bot.scan.detectors.phone import ORG_CONTEXT
from bot.scan.model import Cell

SAMPLE_SIZE = 200
HEADER_HIT_RATE = 0.5
#: columns classified per table; a wider table is read in its first MAX_COLUMNS columns
MAX_COLUMNS = 1024
#: cells of a row looked at when searching for a header inside a table
MAX_HEADER_CELLS = 64

AGGREGATE_WORDS = ("total", "totals", "count", "counts", "population", "percent", "percentage", "pct",
                   "%", "share", "fiscal", "fiscal year", "fy", "average", "avg", "mean", "median",
                   "sum", "rate", "ratio", "adp", "alos", "capacity", "number of", "book ins",
                   "removals", "occupied", "available", "guaranteed minimum", "cantidad", "porcentaje",
                   "promedio", "ano fiscal")
CATALOG_WORDS = ("sku", "part", "part no", "invoice", "order", "account", "acct", "tracking", "zip",
                 "zipcode", "postal", "postcode", "serial", "model", "barcode", "upc", "ean", "isbn",
                 "ticket", "transaction", "txn", "batch", "lot", "product", "item", "catalog", "stock",
                 "inventory", "price", "amount", "cost", "qty", "quantity", "balance", "case count",
                 "factura", "pedido", "cuenta", "codigo postal", "producto", "record id", "employee id",
                 "policy", "form", "version", "page", "line")
#: header words of the split-name columns; joined per row into one PERSON_NAME (a role is taken only
#: when the values read as names, so "Family size" or "Given date" stay what they are)
FIRST_NAME_PHRASES = tuple(map(header_text, (
    "first name", "first", "given name", "given names", "forename", "fname", "first nm", "primer nombre",
    "nombres", "prénom", "prénoms", "nome", "primeiro nome", "prenon", "имя", "ім'я", "الاسم الأول",
    "vorname", "名", "first_name", "given")))
MIDDLE_NAME_PHRASES = tuple(map(header_text, (
    "middle name", "middle", "middle initial", "segundo nombre", "отчество", "по батькові")))
LAST_NAME_PHRASES = tuple(map(header_text, (
    "last name", "last", "surname", "surnames", "family name", "lname", "last nm", "apellido", "apellidos",
    "primer apellido", "segundo apellido", "apellido paterno", "apellido materno", "nom de famille",
    "sobrenome", "apelido", "siyati", "фамилия", "прізвище", "اسم العائلة", "اللقب", "nachname",
    "familienname", "cognome", "姓", "soyad", "soyadı", "last_name", "family")))
#: "Nombre" is a first name when a surname column sits beside it, else a full name
AMBIGUOUS_FIRST = ("nombre",)
#: "Nom" (French) and "Non" (Haitian Creole) are the surname beside a first-name column, else a full name
AMBIGUOUS_LAST = ("nom", "non")
#: a "name" header about something else than a person
NOT_PERSON_NAME = ("facility", "country", "office", "company", "product", "file", "user", "host",
                   "domain", "department", "agency", "organization", "organisation", "business",
                   "program", "street", "city", "county", "state", "field", "item", "brand", "vendor",
                   "supplier", "school", "institution", "center", "project", "event", "course", "team",
                   "site", "location", "district", "region", "unit", "account", "sheet", "table",
                   "column", "display", "screen", "username", "carrier", "airline", "bank", "employer",
                   "facilidad", "pais", "oficina", "empresa", "ciudad", "centro", "agencia")
#: headers that mark a table as an organisation directory (offices, staff in their roles)
ROLE_WORDS = ("title", "job title", "position", "role", "office", "department", "division", "agency",
              "hours", "fax", "cargo", "puesto", "oficina", "departamento", "horario", "visitation",
              "capacity", "switchboard")
#: values-only detectors for columns with an unhelpful header (forms that speak for themselves)
SELF_EVIDENT = tuple(t for t, d in REGISTRY.items() if d.self_evident)
#: values-only detectors in headerless tables (adds names, countries, phones, facilities)
HEADERLESS = SELF_EVIDENT + tuple(t for t, d in REGISTRY.items() if d.headerless and not d.self_evident)
TEXT_MIN_AVERAGE = 30
_ONE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass
class ColumnPlan:
    index: int
    header: str
    #: detectors tried in order on every value (one, or a few for "SSN/ITIN")
    detectors: list[Detector] = field(default_factory=list)
    #: "value", "first", "middle", "last" (parts of one name), "text" (prose), None (skip)
    role: str | None = None
    #: whether values were accepted with header context (unlocks bare forms)
    context: bool = False
    hit_rate: float = 0.0
    #: the header says this is an organisation's line (Main Phone, Press, Fax)
    org_contact: bool = False

    @property
    def types(self) -> list[str]:
        return [d.type for d in self.detectors]


@dataclass
class TablePlan:
    columns: list[ColumnPlan]
    headerless: bool
    #: offices, facilities, staff in their roles: contacts there are an organisation's
    organisation: bool = False


def column_samples(rows: list[list[Cell]], width: int) -> list[list[str]]:
    samples: list[list[str]] = [[] for _ in range(width)]
    for cells in rows:
        for index, cell in enumerate(cells[:width]):
            text = cell_text(cell)
            if text is not None and text.strip() and len(samples[index]) < SAMPLE_SIZE:
                samples[index].append(text.strip())
    return samples


def _hit_rate(detector: Detector, values: list[str], *, context: bool, needed: float = 0.0) -> float:
    """Share of the sample the detector accepts; stops early (returning 0) once `needed` is out of
    reach, so a wide table of unrelated columns is classified quickly."""
    if not values:
        return 0.0
    total, hits = len(values), 0
    misses_allowed = total - needed * total
    for index, value in enumerate(values, start=1):
        if detector.parse(value, context=context) is not None:
            hits += 1
        elif index - hits > misses_allowed:
            return 0.0
    return hits / total


def name_part_role(header: str, all_headers: list[str]) -> str | None:
    if not header or has_phrase(header, NOT_PERSON_NAME):
        return None
    first, last = has_phrase(header, FIRST_NAME_PHRASES), has_phrase(header, LAST_NAME_PHRASES)
    if first and last:  # "Name (Last, First)" is one column holding the whole name
        return None
    if last:
        return "last"
    if has_phrase(header, MIDDLE_NAME_PHRASES):
        return "middle"
    if first:
        return "first"
    full = has_phrase(header, ("completo", "complet", "y apellido", "y apellidos", "et prenom", "ak siyati"))
    if has_phrase(header, AMBIGUOUS_FIRST) and not full and any(
            has_phrase(h, LAST_NAME_PHRASES) for h in all_headers if h != header):
        return "first"
    if header in AMBIGUOUS_LAST and any(
            has_phrase(h, FIRST_NAME_PHRASES) for h in all_headers if h != header):
        return "last"
    return None


def _looks_like_prose(values: list[str]) -> bool:
    if not values:
        return False
    average = sum(len(v) for v in values) / len(values)
    spaced = sum(1 for v in values if v.count(" ") >= 3)
    return average >= TEXT_MIN_AVERAGE and spaced >= len(values) / 2


def _org_values(values: list[str]) -> bool:
    """Most values are organisations or places ("Red Mesa Processing Center", "Harlan Gap Field Office")."""
    if not values:
        return False
    orgs = 0
    for value in values:
        tokens = name_tokens(value)
        if tokens is not None and looks_like_org_or_place(tokens, value):
            orgs += 1
    return orgs >= 0.6 * len(values)


def classify_column(index: int, header: str, values: list[str], *, headerless: bool,
                    all_headers: list[str]) -> ColumnPlan:
    plan = ColumnPlan(index=index, header=header)
    if not values:
        return plan
    aggregate = has_phrase(header, AGGREGATE_WORDS)
    positive = [d for d in REGISTRY.values() if d.header_matches(header)]
    if aggregate or (has_phrase(header, CATALOG_WORDS) and not positive):
        return plan

    role = name_part_role(header, all_headers)
    if role:
        rate = _hit_rate(REGISTRY["PERSON_NAME"], values, context=True, needed=HEADER_HIT_RATE)
        if rate >= HEADER_HIT_RATE:
            plan.role, plan.detectors, plan.context, plan.hit_rate = role, [REGISTRY["PERSON_NAME"]], True, rate
            return plan

    if positive:
        if has_phrase(header, NOT_PERSON_NAME) or _single_words_nobody_is_called(values):
            positive = [d for d in positive if d.type != "PERSON_NAME"]
        rated = sorted(((_hit_rate(d, values, context=True), d) for d in positive),
                       key=lambda pair: -pair[0])
        chosen = [d for rate, d in rated if rate > 0.02]
        if chosen and _union_rate(chosen, values) >= HEADER_HIT_RATE:
            plan.role, plan.detectors, plan.context = "value", chosen, True
            plan.hit_rate = _union_rate(chosen, values)
            plan.org_contact = _org_header(header)
            return plan

    # values first: a header no detector knows (another language, an abbreviation) says nothing
    candidates = HEADERLESS
    best: tuple[float, Detector] | None = None
    for type_name in candidates:
        detector = REGISTRY[type_name]
        if detector.value_only_rate is None:
            continue
        rate = _hit_rate(detector, values, context=False, needed=detector.value_only_rate)
        if rate >= detector.value_only_rate and (best is None or rate > best[0]):
            best = (rate, detector)
    if best:
        plan.role, plan.detectors, plan.hit_rate = "value", [best[1]], best[0]
        return plan

    if not has_phrase(header, EVENT_DATE_WORDS) and _birth_dates_by_values(values):
        plan.role, plan.detectors, plan.context, plan.hit_rate = "value", [REGISTRY["DATE_OF_BIRTH"]], True, 0.8
        return plan

    if _looks_like_prose(values):
        plan.role = "text"
    return plan


#: header words of dates that are events, not births (a hire or sign-up date spreads over years
#: too); a header that just says "date" is an event's date (a birth date's header says birth)
EVENT_DATE_WORDS = tuple(map(header_text, (
    "date", "dates", "dated", "fecha", "datum", "data", "time", "timestamp", "when", "day", "year", "month",
    "period", "since", "signup", "sign up", "joined", "registered", "registration", "enrolled", "member since",
    "hire", "hired", "start", "end", "admission", "admitted", "adm", "discharge", "disch", "hearing",
    "booking", "book in", "arrival", "arrived", "entry", "expiry", "expiration", "expires", "issue",
    "issued", "created", "updated", "modified", "due", "paid", "payment", "invoice", "order", "ship",
    "shipped", "event", "visit", "appointment", "release", "released", "deadline", "filed", "opened",
    "closed", "published", "last", "next", "review", "renewal", "effective", "termination")))
#: a birth-date column read from its values: ages spread over this many years at least
BIRTH_YEARS_SPREAD = 15


def _birth_dates_by_values(values: list[str]) -> bool:
    """Dates whose header says nothing, that read as births: nearly all parse as past dates, the
    people are 0-110 years old, and the years spread over decades (event dates cluster)."""
    if len(values) < 5:
        return False
    dob = REGISTRY["DATE_OF_BIRTH"]
    years = []
    for value in values:
        iso = dob.parse(value, context=True)
        if iso is not None:
            years.append(int(iso[:4]))
    if len(years) < 0.8 * len(values):
        return False
    this_year = date.today().year
    ages = sorted(this_year - year for year in years)
    return ages[0] >= 0 and ages[-1] <= 110 and ages[-1] - ages[0] >= BIRTH_YEARS_SPREAD


def _union_rate(detectors: list[Detector], values: list[str]) -> float:
    hits = sum(1 for v in values if any(d.parse(v, context=True) is not None for d in detectors))
    return hits / len(values) if values else 0.0


def _org_header(header: str) -> bool:
    """"Main Phone", "Press line", "Fax": an organisation's contact column."""
    return bool(ORG_CONTEXT.search(header))


def classify_table(header: list[str] | None, rows: list[list[Cell]], *, column_keys: list[str] | None = None) -> TablePlan:
    """Plan every column of a table from its header (or JSON key paths) and its first rows."""
    names = column_keys or header or []
    width = min(MAX_COLUMNS, max([len(names)] + [len(r) for r in rows]) if rows or names else 0)
    headers = [header_text(names[i]) if i < len(names) else "" for i in range(width)]
    headerless = not any(headers)
    samples = column_samples(rows, width)
    columns = [classify_column(i, headers[i], samples[i], headerless=headerless, all_headers=headers)
               for i in range(width)]
    _name_parts_by_values(columns, samples)
    _resolve_name_columns(columns)
    organisation = _is_organisation(columns, headers, samples)
    return TablePlan(columns=columns, headerless=headerless, organisation=organisation)


def _single_words_nobody_is_called(values: list[str]) -> bool:
    """A "name" column of single words that are no one's names: departments, products, categories."""
    if not values or sum(1 for v in values if _ONE_WORD.fullmatch(v)) < 0.8 * len(values):
        return False
    firsts, lasts = first_names(), surnames()
    known = sum(1 for v in values if fold(v) in firsts or fold(v) in lasts)
    return known < 0.3 * len(values)


def _single_name_role(values: list[str]) -> str | None:
    """"first" or "last" for a column of one-word names ("LOPEZ" | "Maria"), decided by the lists."""
    if not values or sum(1 for v in values if _ONE_WORD.fullmatch(v)) < 0.8 * len(values):
        return None
    firsts, lasts = first_names(), surnames()
    folded = [fold(v) for v in values]
    given = sum(1 for v in folded if v in firsts)
    family = sum(1 for v in folded if v in lasts)
    if max(given, family) < 0.6 * len(values):
        return None
    return "first" if given > family else "last"


def _name_parts_by_values(columns: list[ColumnPlan], samples: list[list[str]]) -> None:
    """Name columns no header named (no header, or one in a language no list knows).

    A surname column beside a given-name column is one name per row, decided by the name lists
    (an unquoted "LOPEZ, Maria" split by a CSV reader, a roster with two name columns). In a table
    that already identifies people (an A-number, SSN, phone... column), names the lists do not know
    (other scripts, other origins) are recognised by shape: words of letters only, nearly all
    different, next to each other (given and family name) or 2-4 words in one column.
    """
    free = [c for c in columns if c.role is None]
    roles = {c.index: _single_name_role(samples[c.index]) for c in free}
    if not ("first" in roles.values() and "last" in roles.values()):
        roles = {}
        if any(c.role == "value" and any(d.identifies_person for d in c.detectors) for c in columns):
            roles = _name_roles_by_shape(free, samples)
    for column in columns:
        if roles.get(column.index):
            column.role, column.detectors, column.context = roles[column.index], [REGISTRY["PERSON_NAME"]], True
            column.hit_rate = 0.8


_LETTER_WORDS = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*(?:\s+[^\W\d_]+(?:['’.-][^\W\d_]+)*){0,3}")


def _name_roles_by_shape(free: list[ColumnPlan], samples: list[list[str]]) -> dict[int, str]:
    """Adjacent one-word columns -> "first" and "last"; a lone column of 2-4 words -> "value"."""
    def shaped(values: list[str], words: range) -> bool:
        fitting = [v for v in values if _LETTER_WORDS.fullmatch(v) and len(v.split()) in words]
        # given names repeat (Mohammed, Maria); a column of a few repeated words is a category
        distinct = len(set(values))
        return len(values) >= 5 and len(fitting) >= 0.9 * len(values) and distinct >= min(0.3 * len(values), 40) \
            and distinct >= min(len(values), 5)

    single = [c.index for c in free if shaped(samples[c.index], range(1, 2))]
    roles: dict[int, str] = {}
    for left, right in zip(single, single[1:], strict=False):
        if right == left + 1 and left not in roles:
            roles[left], roles[right] = "first", "last"
    if not roles:
        for column in free:
            if shaped(samples[column.index], range(2, 5)) and not _org_values(samples[column.index]):
                roles[column.index] = "value"
                break
    return roles


def _resolve_name_columns(columns: list[ColumnPlan]) -> None:
    """A lone first- or last-name column is a name column on its own."""
    parts = [c for c in columns if c.role in ("first", "middle", "last")]
    if parts and not any(c.role == "first" for c in parts) or parts and not any(c.role == "last" for c in parts):
        for column in parts:
            column.role = "value"


def _is_organisation(columns: list[ColumnPlan], headers: list[str], samples: list[list[str]]) -> bool:
    """Offices, facilities or staff in their roles, with no identifier of a person beside them."""
    sensitive = types_where(lambda d: d.category in SENSITIVE_CATEGORIES)
    if any(set(c.types) & sensitive for c in columns):
        return False
    if any(has_phrase(h, ROLE_WORDS) for h in headers):
        return True
    # a name-like column whose values are organisations or places ("name": "Red Mesa Processing Center")
    for header, values in zip(headers, samples, strict=False):
        if has_phrase(header, ("name", "nombre", "facility", "office")) and _org_values(values):
            return True
    # a column that names the lines ("Main office", "Fax", "Press") beside the numbers: a phone list
    return any(values and sum(bool(ORG_CONTEXT.search(v)) for v in values) * 2 >= len(values)
               for values in samples)
