"""Prose in an analysis: TextBlocks, free-text columns and tables that were really lines of text.

Lines are searched a chunk at a time (prose.prefind), each line with candidates is scanned for
people (prose.scan), and what it finds goes into the shared ScanState: accumulators, people,
the part's profile, and the values left uncounted for want of a label (said once in reasons).
"""

from __future__ import annotations

from collections import Counter

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import cell_text
from bot.scan.header_rows import header_line_score
from bot.scan.model import Table, TextBlock
from bot.scan.prose import ProseScanner
from bot.scan.scan_state import ScanState, part_label
from bot.scan.severity import PartProfile

#: lines between two deadline checks in prose, searched together (prose.prefind)
CHECK_EVERY = 2000
#: characters of prose searched together at most (plus one line)
PROSE_CHUNK_CHARS = 1_000_000
def table_as_prose(state: ScanState, prose: ProseScanner, part_index: int, table: Table, rows) -> None:
    """Rows of a wrongly split table read as lines, the header as context for every line."""
    header = " ".join(str(h) for h in table.header or [])
    # the cells were split at a delimiter that belonged to the text ("LAST, First"): put it back
    lines = ((number, ",".join(cell_text(c) or "" for c in cells)) for number, cells in rows)
    block = TextBlock(name=table.name, lines=lines, container=table.container)
    read_text(state, prose, part_index, block, context=header, label=lambda a, b: table.where(0, a, b))


# --- prose ----------------------------------------------------------------------------------------


def read_text(state: ScanState, prose: ProseScanner, part_index: int, block: TextBlock, *, context: str = "",
          label=None) -> None:
    """Lines of prose; a header line of a pasted table ("name, anum, ssn, dob") is context for
    the lines under it until a blank line."""
    profile = PartProfile(where=part_label(block))
    label = label or block.where
    sticky = context
    previous = ""
    for chunk in _line_chunks(block.lines):
        state.deadline.check("Scanning the text")
        state.cells += len(chunk)
        # candidates of the whole chunk at once; lines without any are only looked at as headers
        found = prose.prefind([line for _, line in chunk], context=f"{previous[-80:]}\n{sticky}\n{context}")
        for (number, line), candidates in zip(chunk, found, strict=True):
            if not line.strip():
                sticky = context
            elif len(line) < 200 and header_line_score(line) >= 2:
                sticky = f"{context} {line}"
            elif candidates is not None:
                plain = prose.plain(line, candidates)
                if plain is not None:  # addresses in a log line: counted without the person steps
                    for kind, normalized, masked, confidence, _, _ in plain:
                        acc = state.accumulator(kind)
                        acc.add(normalized, masked, confidence=confidence)
                        acc.place(part_index, -1, number, label)
                        profile.types.add(kind)
                else:
                    # the line above may label a value ("SSN:" then the number on the next line)
                    record_line(state, profile, part_index, number, label,
                                 prose.scan(line, before=previous[-80:], extra_context=sticky, found=candidates),
                                 counts_people=not block.correspondents)
            previous = line
    if profile.types and not block.correspondents:  # who sent a message is not whom it exposes
        state.profiles.append(profile)


def _line_chunks(lines):
    """Lines in chunks of at most CHECK_EVERY lines and about PROSE_CHUNK_CHARS characters."""
    chunk: list[tuple[int, str]] = []
    size = 0
    for item in lines:
        chunk.append(item)
        size += len(item[1])
        if len(chunk) >= CHECK_EVERY or size >= PROSE_CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def record_line(state: ScanState, profile: PartProfile, part_index: int, number: int, label, result,
                 counts_people: bool = True) -> None:
    state.unlabelled.update(result.unlabelled)
    if not result.hits:
        return
    for hit in result.hits:
        acc = state.accumulator(hit.type)
        acc.add(hit.normalized, hit.masked, confidence=hit.confidence)
        acc.place(part_index, -1, number, label)
    profile.types.update(h.type for h in result.hits)
    if result.people and counts_people:
        for person, aliases in zip(result.people, result.aliases, strict=True):
            state.people.add(person, aliases)
        profile.people += len(result.people)


def unlabelled_reasons(unlabelled: Counter) -> list[str]:
    """Once per type: values of its shape in the text that were deliberately not counted."""
    return [f"{count:,} value{'s' if count > 1 else ''} shaped like {REGISTRY[kind].label} "
            f"{'were' if count > 1 else 'was'} not counted: no word near {'them' if count > 1 else 'it'} "
            f"says what {'they are' if count > 1 else 'it is'} (a bare number needs a label such as the "
            f"header or a word like \"{REGISTRY[kind].context_words[0]}\")."
            for kind, count in unlabelled.most_common() if kind in REGISTRY and REGISTRY[kind].context_words]
