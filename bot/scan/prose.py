"""Prose: identifiers in running text, and the people they belong to.

Each line is searched with the detectors' text patterns. A form that speaks for itself
("A-123-456-789", "123-45-6789", an email) counts; a bare form (nine digits) counts only with a
context word within WINDOW characters ("A#", "SSN", "born", "passport"...). Lines without a digit
or an "@" cannot hold an identifier and are skipped cheaply (logs and long documents stay fast).

Names in prose count only beside personal data ("Maria Lopez Garcia (A-123-456-789) was
transferred..."), or after a "Name:" label: a capitalised run of 2-6 words, "LAST, First",
ALL-CAPS surnames, with particles (de, van, bin...), that is not a place or an organisation. A
name right next to an identifier is accepted whatever its origin; farther away (within WINDOW)
it must have a word in the name lists. Officials named in their role ("Director Jane Smith",
"said Acting Director ...") are not people exposed. An office's line or press address ("Main
switchboard", "press@") is not a person's contact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.scan.data import country_terms, fold
from bot.scan.detectors import REGISTRY, ranked, types_where
from bot.scan.detectors.base import GOVERNMENT_ID, NETWORK, Detector
from bot.scan.detectors.email import is_role_address
from bot.scan.detectors.person_name import list_score, looks_like_org_or_place
from bot.scan.prose_labels import WINDOW, catalog_label, has_context, org_window, relabel
from bot.scan.prose_names import STOPWORDS, WORD, name_runs
from bot.scan.prose_search import ChunkSearch
from bot.scan.report import normalize_text

#: longest stretch of a line scanned at once (a line without breaks is cut at spaces)
MAX_PIECE = 4000
#: how close (characters) a name must be to an identifier to be accepted without the name lists
ADJACENT = 6
PROSE_TYPES = ranked("prose_rank")
#: found in prose only beside a person
ATTRIBUTE_TYPES = tuple(t for t, d in REGISTRY.items() if d.prose_attribute)
#: facts about a person in prose (not IP addresses: a server log is about machines)
PERSON_TYPES = types_where(lambda d: d.prose_rank is not None and d.category != NETWORK)
IDENTIFYING_TYPES = types_where(lambda d: d.type in PERSON_TYPES and d.identifies_person)
_QUICK = re.compile(r"[\d@]")
_NAME_LABEL_ANYWHERE = re.compile(r"\b(?:name|nombre|detainee|detenid[oa]|patient|paciente)\s*[:=]", re.IGNORECASE)
_NAME_LABEL = re.compile(r"(?:\bname|\bnombre|\bdetainee|\bdetenido|\bdetenida|\bpatient|\bpaciente)\s*[:=]\s*$",
                         re.IGNORECASE)


@dataclass
class ProseHit:
    type: str
    normalized: str
    masked: str
    confidence: float
    start: int = 0
    end: int = 0


@dataclass
class LineResult:
    hits: list[ProseHit] = field(default_factory=list)
    #: one key per person in the line: ("A_NUMBER", normalized) or ("PERSON_NAME", normalized)
    people: list[tuple[str, str]] = field(default_factory=list)
    #: each person's other keys (their other IDs, contacts and name), aligned with `people`
    aliases: list[tuple] = field(default_factory=list)
    #: type -> values of its shape left uncounted: no word near them said what they are
    unlabelled: dict[str, int] = field(default_factory=dict)
    officials: int = 0
    org_contacts: int = 0
    #: the line names an organisation ("HARGROVE & MBEKI LLP", "Red Mesa Field Office")
    organisation: bool = False


def _countries_in(line: str, *, lower_ok: bool = False) -> list[tuple[int, int, str]]:
    """Country names and demonyms in a line (1-3 word phrases); lower case only after a nationality
    word ("de nacionalidad peruana")."""
    terms = country_terms()
    words = list(WORD.finditer(line))
    found = []
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            chunk = words[index:index + size]
            if len(chunk) < size or not (lower_ok or chunk[0].group(0)[0].isupper()):
                continue
            phrase = line[chunk[0].start():chunk[-1].end()]
            if fold(phrase) in terms and fold(phrase) not in STOPWORDS:
                found.append((chunk[0].start(), chunk[-1].end(), phrase))
                index += size - 1
                break
        index += 1
    return found


def _pieces(line: str) -> list[str]:
    """A long line cut at spaces into pieces of at most MAX_PIECE characters."""
    pieces = []
    while len(line) > MAX_PIECE:
        cut = line.rfind(" ", MAX_PIECE // 2, MAX_PIECE)
        cut = cut if cut > 0 else MAX_PIECE
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def _tally_unlabelled(result: LineResult, uncounted: list[tuple[str, int, int]], claimed: list) -> None:
    """Values left uncounted for want of a label, unless the span was counted as another type."""
    for kind, start, end in uncounted:
        if not any(s < end and start < e for s, e in claimed):
            result.unlabelled[kind] = result.unlabelled.get(kind, 0) + 1


def _only_separators(text: str) -> bool:
    return len(text) <= WINDOW and not any(ch.isalnum() for ch in text)


class ProseScanner:
    """Scans lines; keeps nothing between lines but the previous line's text for context."""

    def __init__(self) -> None:
        self.detectors: list[Detector] = [REGISTRY[t] for t in PROSE_TYPES]
        self.attributes: list[Detector] = [REGISTRY[t] for t in ATTRIBUTE_TYPES]
        self.name_detector = REGISTRY["PERSON_NAME"]
        self.search = ChunkSearch(self.detectors, label=_NAME_LABEL_ANYWHERE, max_piece=MAX_PIECE)
        self.screen = self.search.screen
        #: types whose hits in a line are just their candidates when nothing else is there
        self._plain = {d.type: d.confidence for d in self.detectors
                       if d.type not in PERSON_TYPES and not d.always_needs_context and not d.required_char}

    def prefind(self, lines: list[str], *, context: str = "") -> list:
        """The candidates of a chunk of lines (prose_search.ChunkSearch.prefind): per line None
        (nothing to report), a dict for scan(found=...), or PER_LINE."""
        return self.search.prefind(lines, context=context)

    def scan(self, line: str, *, before: str = "", extra_context: str = "", found=None) -> LineResult:
        """Identifiers and people of one line; `before` is the line above (its words are context
        within WINDOW), `extra_context` a header that labels the whole line; `found` is the
        line's entry of prefind() when the chunk was searched at once.

        A very long line (a whole document without line breaks) is scanned in pieces of at most
        MAX_PIECE characters cut at a space, so the work per piece stays bounded.
        """
        if len(line) <= MAX_PIECE:
            return self._scan(line, before=before, extra_context=extra_context,
                              found=found if isinstance(found, dict) else None)
        total = LineResult()
        for piece in _pieces(line):
            part = self._scan(piece, before=before[-WINDOW:], extra_context=extra_context, found=None)
            total.hits += part.hits
            total.people += part.people
            total.aliases += part.aliases
            for kind, count in part.unlabelled.items():
                total.unlabelled[kind] = total.unlabelled.get(kind, 0) + count
            total.officials += part.officials
            total.org_contacts += part.org_contacts
            before = piece
        return total

    def plain(self, line: str, found) -> list[tuple] | None:
        """The hits of a line whose prefind() entry holds only strong candidates of one type about
        no one (IP addresses), as (type, normalized, masked, confidence, start, end): exactly what
        scan() would give, without its name and people steps. None for any other line."""
        if type(found) is not dict or len(found) != 1:
            return None
        (kind, candidates), = found.items()
        confidence = self._plain.get(kind)
        if confidence is None or not all(c.strong for c in candidates) or not _QUICK.search(line):
            return None
        return [(kind, c.normalized, c.masked, confidence, c.start, c.end) for c in candidates]

    def _scan(self, line: str, *, before: str, extra_context: str, found: dict | None) -> LineResult:
        result = LineResult()
        #: a "Name: ..." label in the line (prefind already knows; else looked up when needed)
        labelled = ("label" in found) if found is not None else None
        # no digit and no "@": no identifier can be here; only a "Name: ..." label is worth a look
        if not line or not (_QUICK.search(line) or (labelled if labelled is not None else
                                                     _NAME_LABEL_ANYWHERE.search(line))):
            return result
        plain = self.plain(line, found) if found is not None else None
        if plain is not None:
            result.hits = [ProseHit(kind, normalized, masked, confidence, start, end)
                           for kind, normalized, masked, confidence, start, end in plain]
            return result
        context_text = f"{before} {line}"
        offset = len(before) + 1
        claimed: list[tuple[int, int]] = []
        hits: list[ProseHit] = []
        uncounted: list[tuple[str, int, int]] = []
        lowered = None
        for detector in self.detectors:
            if found is not None and detector.type not in found:
                continue
            if detector.required_char and detector.required_char not in line:
                continue
            if detector.always_needs_context:
                if lowered is None:
                    lowered = f"{context_text} {extra_context}".lower()
                if not detector.may_have_context(lowered):
                    continue  # no word that could say "passport" or "born": its pattern cannot count here
            header_only = 0
            for candidate in (detector.find(line) if found is None else found[detector.type]):
                # one span is one identifier: the label right before it decides ("Passport: A1...")
                if any(s < candidate.end and candidate.start < e for s, e in claimed) and \
                        not relabel(detector, line, candidate, claimed, hits):
                    continue
                if catalog_label(detector, line, candidate.start):
                    continue  # "Part no. A95156744", "Ticket 565-64-7635": the label says what it is
                if not candidate.strong and not has_context(detector, context_text, candidate, offset):
                    # a header above the line ("..., DOB, BOOK-IN") names one field of this type:
                    # the first candidate takes it, later ones (a booking date) do not
                    if header_only or detector.context_same_line or not detector.has_context(extra_context):
                        uncounted.append((detector.type, candidate.start, candidate.end))
                        continue
                    header_only += 1
                if detector.type == "EMAIL" and is_role_address(candidate.normalized):
                    result.org_contacts += 1
                    claimed.append((candidate.start, candidate.end))
                    continue
                if detector.type == "PHONE" and org_window(line, candidate):
                    result.org_contacts += 1
                    claimed.append((candidate.start, candidate.end))
                    continue
                confidence = detector.confidence * (1.0 if candidate.strong else 0.85)
                hits.append(ProseHit(detector.type, candidate.normalized, candidate.masked, confidence,
                                     candidate.start, candidate.end))
                claimed.append((candidate.start, candidate.end))
        personal = [h for h in hits if h.type in PERSON_TYPES]
        if labelled is None:
            labelled = _NAME_LABEL_ANYWHERE.search(line) is not None
        if not personal and not labelled:  # nobody here (an address in a log): nothing more to look at
            result.hits.extend(hits)
            _tally_unlabelled(result, uncounted, claimed)
            return result
        names = self._names(line, personal, result, labelled)
        if result.officials and not names and not any(h.type not in ("EMAIL", "PHONE") for h in personal):
            # "John Doe, Deputy Director, (202) ...": an official's work line, an office's contact
            contacts = {id(h) for h in personal}
            result.org_contacts += len(contacts)
            hits = [h for h in hits if id(h) not in contacts]
            personal = []
        if not names and not any(h.type in IDENTIFYING_TYPES for h in personal):
            # a date of birth belongs to someone named or identified in the same line
            hits = [h for h in hits if h.type != "DATE_OF_BIRTH"]
            personal = [h for h in personal if h.type != "DATE_OF_BIRTH"]
        result.hits.extend(hits)
        result.hits.extend(names)
        if personal or names:
            # a country inside a name ("Salvador", "Jordan") is part of the name, not a nationality
            result.hits.extend(self._attributes(line, claimed + [(n.start, n.end) for n in names]))
        result.people, result.aliases = self._people(line, personal, names, organisation=result.organisation)
        _tally_unlabelled(result, uncounted, claimed)
        return result

    def _names(self, line: str, personal: list[ProseHit], result: LineResult, labelled: bool) -> list[ProseHit]:
        if not personal and not labelled:
            return []
        found = []
        for run in name_runs(line):
            if run.official:
                result.officials += 1
                continue
            if looks_like_org_or_place(run.tokens, run.text):
                result.organisation = True
                continue
            if any(h.start < run.end and run.start < h.end for h in personal):
                continue  # letters inside an identifier ("GB82 WEST 1234 ...") are nobody's name
            gap = min((max(h.start - run.end, run.start - h.end) for h in personal), default=10**6)
            label_before = bool(_NAME_LABEL.search(line[:run.start]))
            near = gap <= WINDOW or label_before
            if not near:
                continue
            if gap > ADJACENT and not label_before and not run.honorific and not run.comma_form \
                    and list_score(run.tokens) < 0.5:
                continue
            normalized = self.name_detector.parse(run.text, context=True)
            if normalized:
                found.append(ProseHit("PERSON_NAME", normalized, self.name_detector.mask_normalized(normalized),
                                      0.8 if gap <= ADJACENT else 0.7, run.start, run.end))
        return found

    def _attributes(self, line: str, claimed: list[tuple[int, int]]) -> list[ProseHit]:
        hits = []
        for detector in self.attributes:
            for candidate in detector.find(line):
                if any(s < candidate.end and candidate.start < e for s, e in claimed):
                    continue
                hits.append(ProseHit(detector.type, candidate.normalized, candidate.masked,
                                     detector.confidence * 0.9, candidate.start, candidate.end))
        nationality = REGISTRY["NATIONALITY"]
        for start, end, phrase in _countries_in(line, lower_ok=nationality.has_context(line)):
            if any(s < end and start < e for s, e in claimed):
                continue
            normalized = normalize_text(phrase)
            hits.append(ProseHit("NATIONALITY", normalized, nationality.mask_normalized(normalized), 0.7, start, end))
        return hits

    @staticmethod
    def _people(line: str, personal: list[ProseHit], names: list[ProseHit], *,
                organisation: bool = False) -> tuple[list, list]:
        """One key per person, and the person's other keys: a name owns the government IDs and
        contacts that follow it (until the next name).

        The key is the person's first government ID, else their name. IDs before any name belong
        to one unnamed person per kind of ID ("A# ..., SSN ..." is one person).
        """
        ids = [h for h in personal if REGISTRY[h.type].category == GOVERNMENT_ID]
        contacts = [h for h in personal if h.type in IDENTIFYING_TYPES and h not in ids]
        events = sorted(names + ids + contacts, key=lambda h: h.start)
        people: list[dict] = []
        current: dict | None = None
        for hit in events:
            if hit.type == "PERSON_NAME":
                if current is not None and current["name"] is None and _only_separators(line[current["end"]:hit.start]):
                    current["name"] = hit.normalized  # "A123456789  LOPEZ, MARIA": the ID came first
                    continue
                current = {"key": None, "name": hit.normalized, "kinds": set(), "end": hit.end, "also": []}
                people.append(current)
                continue
            if hit in contacts:  # a phone or e-mail after a name is theirs too; alone it makes no one here
                if current is not None:
                    current["also"].append((hit.type, hit.normalized))
                continue
            if current is None or hit.type in current["kinds"]:
                current = {"key": (hit.type, hit.normalized), "name": None, "kinds": {hit.type}, "end": hit.end,
                           "also": []}
                people.append(current)
            else:
                current["kinds"].add(hit.type)
                current["end"] = hit.end
                if current["key"] is None:
                    current["key"] = (hit.type, hit.normalized)
                else:
                    current["also"].append((hit.type, hit.normalized))
        if any(p["key"] for p in people):  # a bare name beside someone's ID is not a second person
            people = [p for p in people if p["key"]]
        keys = [p["key"] or ("PERSON_NAME", p["name"]) for p in people]
        aliases = [tuple(p["also"]) + ((("PERSON_NAME", p["name"]),) if p["key"] and p["name"] else ())
                   for p in people]
        if not keys and not organisation:  # a contact on its own is someone's (on a letterhead, the firm's)
            keys.extend((h.type, h.normalized) for h in contacts[:1] if h.type in ("EMAIL", "PHONE"))
            aliases.extend(() for _ in keys)
        return keys, aliases
