"""Capitalised runs of words in a line that could be a person's name, and the words that make
a run an official in their role ("Acting Director Jane Smith") or no name at all.

Pure functions of one line; prose.py decides which runs are people (beside an identifier, after a
"Name:" label, with an honorific, or in the shipped name lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.scan.data import fold
from bot.scan.detectors.person_name import PARTICLES

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sr", "sra", "srta", "don", "dona", "mme", "mlle", "m"})
OFFICIAL_TITLES = frozenset({
    "director", "deputy", "secretary", "commissioner", "senator", "representative", "rep", "mayor",
    "governor", "judge", "justice", "officer", "spokesperson", "spokesman", "spokeswoman", "chief",
    "acting", "assistant", "president", "minister", "ambassador", "administrator", "superintendent",
    "sheriff", "warden", "attorney", "general", "press", "field", "office", "executive", "chair",
    "chairman", "chairwoman", "councilmember", "congressman", "congresswoman", "sen", "gov", "supervisor",
    "manager", "coordinator", "agent", "special", "public", "affairs", "directora", "secretaria",
    "secretario", "ministro", "ministra", "juez", "jueza", "alcalde", "alcaldesa", "portavoz", "vocero",
})
#: ", Director of ..." right after a name
_TITLE_AFTER = re.compile(r"\s*,\s*(?:the\s+)?(?:" + "|".join(sorted(OFFICIAL_TITLES)) + r")\b")
#: capitalised words that start sentences or headings, never part of a name
STOPWORDS = frozenset({
    "the", "this", "that", "these", "those", "we", "our", "i", "you", "he", "she", "they", "it", "a", "an",
    "in", "on", "at", "to", "from", "for", "of", "and", "or", "but", "with", "by", "as", "if", "is", "was",
    "please", "below", "above", "team", "thanks", "thank", "subject", "re", "fw", "fwd", "date", "cc", "bcc",
    "hi", "hello", "dear", "regards", "note", "notes", "update", "case", "name", "nombre", "el", "la",
    "los", "las", "un", "una", "en", "con", "por", "para", "del", "de", "y", "originally", "born", "ssn",
    "dob", "ice", "uscis", "cbp", "dhs", "doj", "eoir", "bia", "fbi", "usa", "us", "u", "s", "pm", "am",
    "no", "yes", "total", "all", "each", "every", "some", "volunteers", "hearing", "hearings", "next",
    "meeting", "call", "email", "phone", "tel", "fax", "id", "mon", "tue", "wed", "thu", "fri", "sat",
    "sun", "today", "yesterday", "tomorrow", "also", "after", "before", "when", "while", "then", "there",
    "here", "his", "her", "their", "its", "my", "your", "has", "have", "had", "who", "which", "what",
})


@dataclass
class NameRun:
    start: int
    end: int
    text: str
    tokens: list[str]
    honorific: bool
    official: bool
    comma_form: bool


def name_runs(line: str) -> list[NameRun]:
    """Capitalised runs of words that could be a person's name."""
    runs: list[NameRun] = []
    words = list(WORD.finditer(line))
    index = 0
    while index < len(words):
        word = words[index]
        if not word.group(0)[0].isupper():
            index += 1
            continue
        run = [word]
        j = index + 1
        while j < len(words):
            gap = line[run[-1].end():words[j].start()]
            token = words[j].group(0)
            if gap.strip() not in ("", ",") or "\n" in gap or "  " in gap or "\t" in gap:
                break  # a wide gap separates columns of a fixed-width listing
            if gap.strip() == "," and (not run[-1].group(0).isupper() or "," in line[run[0].start():run[-1].end()]):
                break  # only "LAST, First" may hold a comma
            if token[0].isupper() or (token.lower() in PARTICLES and j + 1 < len(words)):
                run.append(words[j])
                j += 1
            else:
                break
        index = j
        runs.extend(_clean_run(line, run))
    return runs


def _clean_run(line: str, run: list[re.Match]) -> list[NameRun]:
    tokens = [m.group(0) for m in run]
    honorific = official = False
    start = 0
    while start < len(tokens):
        word = fold(tokens[start]).rstrip(".")
        if word in HONORIFICS:
            honorific = True
        elif word in OFFICIAL_TITLES:
            official = True
        elif word not in STOPWORDS:
            break
        start += 1
    end = len(tokens)
    while end > start and (fold(tokens[end - 1]) in STOPWORDS or tokens[end - 1].lower() in PARTICLES):
        end -= 1
    kept = run[start:end]
    words = [m.group(0) for m in kept if m.group(0).lower() not in PARTICLES]
    if len(words) < 2 or len(words) > 6:
        return []
    if any(fold(w).rstrip(".") in STOPWORDS for w in words):
        return []
    text = line[kept[0].start():kept[-1].end()].rstrip(".")
    if not official:  # "..., said Director Jane Smith" / "Jane Smith, Director of ..."
        before = line[max(0, kept[0].start() - 30):kept[0].start()].lower()
        after = line[kept[-1].end():kept[-1].end() + 25].lower()
        official = any(f"{t} " in before[-len(t) - 2:] for t in OFFICIAL_TITLES) or bool(
            _TITLE_AFTER.match(after))
    return [NameRun(kept[0].start(), kept[-1].end(), text, [m.group(0) for m in kept], honorific, official,
                     "," in text)]
