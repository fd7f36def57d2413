"""North American numbers in their common shapes, validated without `phonenumbers.parse`.

`phonenumbers` is exact but costs about 70 µs a value: it extracts, strips and re-checks, and
for a +1 number walks the 25 North American regions compiling patterns as it goes. Most phone
columns hold "(212) 555-7300", "212-555-7300", "212.555.7300" or "+1 212 555 7300": ten digits
whose area code starts with 2-9. For those `nanp_e164()` reads the ten digits with one regular
expression and decides validity with the same rule `phonenumbers.is_valid_number` applies —
the regions of calling code 1 in the library's order, each region's leading digits or its number
types (general description, then premium rate ... fixed line, mobile) — using patterns compiled
once from phonenumbers' own metadata. `international_e164()` does the same for "+44 20 7946
0018": the calling code read as phonenumbers reads it (the shortest prefix that is one), the
national number kept only when the main region's national prefix cannot start it and it has no
leading zero, and the regions of that code tried in the library's order. Anything else returns
`FALLBACK`, and the caller asks phonenumbers. tests/scan/detectors/test_phone_fast.py compares
both ways on random numbers of every area code and calling code.
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

#: "not one of the common shapes": let phonenumbers decide
FALLBACK = object()
_SEP = r"[ .-]?"
#: ten digits, area code 2-9 (a leading 1 is a trunk prefix phonenumbers strips: not handled here)
_COMMON = re.compile(rf"(?:\+1{_SEP})?(?:\(([2-9]\d\d)\)|([2-9]\d\d)){_SEP}(\d\d\d){_SEP}(\d\d\d\d)")
#: the same shapes with an area code starting 0 or 1: never valid (phonenumbers strips the trunk
#: prefix 1 and is left with 9 digits, or keeps a leading 0 no region of +1 takes), except 011,
#: the international call prefix, after which phonenumbers reads another country's number
_NO_AREA = re.compile(rf"(?:\+1{_SEP})?(?:\((?!011)[01][0-9][0-9]\)|(?!011)[01][0-9][0-9]){_SEP}[0-9]{{3}}{_SEP}[0-9]{{4}}")
#: "+" and digit groups with single separators (no parentheses, no extension)
_INTERNATIONAL = re.compile(r"\+\d+(?:[ .-]\d+)*")
_NOT_DIGIT = re.compile(r"\D")
#: number types in the order phonenumbers' _number_type_helper tries them
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
          "fixed_line")
_LENGTH = 10

# the library's own cache of compiled metadata patterns: the fallback stops recompiling them
phonenumbers.re_util.enable_pattern_cache()


def _desc_pattern(desc, length: int = _LENGTH) -> str | None:
    """A number description's pattern when a number of `length` digits can match it (its possible lengths)."""
    if desc is None or not desc.national_number_pattern:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    return desc.national_number_pattern


def _region_patterns(metadata, length: int = _LENGTH) -> tuple[str, list[str]] | None:
    """(general pattern, [number type patterns]) a national number of `length` digits must
    fullmatch (the general one and one of the others), or None when none can."""
    general = _desc_pattern(metadata.general_desc, length)
    names = list(_TYPES)
    if not metadata.same_mobile_and_fixed_line_pattern:
        names.append("mobile")
    kinds = [p for p in (_desc_pattern(getattr(metadata, name, None), length) for name in names) if p]
    return None if general is None or not kinds else (general, kinds)


def _region_check(metadata, length: int = _LENGTH):
    """fullmatch-based `_number_type_helper(nsn, metadata) != UNKNOWN` for numbers of `length` digits."""
    patterns = _region_patterns(metadata, length)
    if patterns is None:
        return lambda nsn: False
    general, kinds = patterns
    general_re = re.compile(general)
    kinds_re = re.compile("|".join(f"(?:{p})" for p in kinds))
    return lambda nsn: general_re.fullmatch(nsn) is not None and kinds_re.fullmatch(nsn) is not None


@cache
def _code_regions(code: int, length: int):
    """(national prefix pattern of the main region, [(leading digits or None, check)]) for a
    calling code and a national number length; None when the fast path does not apply."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(code)
    if not regions or "001" in regions:
        return None  # non-geographic codes: phonenumbers' own way
    main = PhoneMetadata.metadata_for_region(regions[0].upper(), None)
    if main is None:
        return None
    prefix = re.compile(main.national_prefix_for_parsing) if main.national_prefix_for_parsing else None
    checks = []
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            return None
        leading = re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
        checks.append((leading, _region_check(metadata, length)))
    return prefix, checks


def international_e164(text: str):
    """E.164 of a valid "+CC ..." number, None when it is not valid, or FALLBACK."""
    if _INTERNATIONAL.fullmatch(text) is None:
        return FALLBACK
    return international_digits(_NOT_DIGIT.sub("", text))


def international_digits(digits: str):
    """international_e164 of a "+CC ..." number's digits (the number matched _INTERNATIONAL)."""
    if digits[0] == "0":
        return FALLBACK
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return FALLBACK
    national = digits[size:]
    if not 2 <= len(national) <= 17 or national[0] == "0":
        return FALLBACK
    known = _code_regions(code, len(national))
    if known is None:
        return FALLBACK
    prefix, checks = known
    if prefix is not None and prefix.match(national):
        return FALLBACK  # a national prefix phonenumbers may strip
    # one region: phonenumbers takes it without looking; several: the first that fits decides
    valid = checks[0][1](national) if len(checks) == 1 else _first_region_valid(checks, national)
    return f"+{code}{national}" if valid else None


def _first_region_valid(checks: list, nsn: str) -> bool:
    """is_valid_number's rule over a calling code's regions, in the library's order."""
    for leading, check in checks:
        if leading is not None:
            if leading.match(nsn):
                return check(nsn)
        elif check(nsn):
            return True
    return False


@cache
def _regions() -> list:
    """(leading digits or None, validity check) per region of +1, compiled on first use."""
    regions = []
    for code in COUNTRY_CODE_TO_REGION_CODE[1]:
        metadata = PhoneMetadata.metadata_for_region(code.upper(), None)
        if metadata is None:
            continue
        leading = re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
        regions.append((leading, _region_check(metadata)))
    return regions


def nanp_valid(nsn: str) -> bool:
    """phonenumbers.is_valid_number for +1 and this 10-digit national number."""
    return _first_region_valid(_regions(), nsn)


@cache
def _first_region_lines(prefix: str = "") -> re.Pattern[str] | None:
    """The first region of +1 (US, which no leading digits restrict) as one MULTILINE pattern over
    national numbers one a line, each after `prefix`: a line's group is the line when that region
    takes its number, so `_first_region_valid` would answer True without looking further; ""
    otherwise (ask it)."""
    regions = COUNTRY_CODE_TO_REGION_CODE[1]
    metadata = PhoneMetadata.metadata_for_region(regions[0].upper(), None)
    if metadata is None or metadata.leading_digits is not None:
        return None
    patterns = _region_patterns(metadata)
    if patterns is None:
        return None
    general, kinds = patterns
    kinds_any = "|".join(f"(?:{p})" for p in kinds)
    return re.compile(rf"^(?:({re.escape(prefix)}(?=(?:{general})$)(?:{kinds_any}))$|.*$)", re.MULTILINE)


def nanp_e164_lines(lines: str, count: int) -> list[str] | None:
    """For "+1" and a national number one a line (`count` lines): the line where the first region
    of +1 takes its number (valid), "" where it does not (nanp_later decides); None when the
    lines cannot be read so (then nanp_valid_many)."""
    pattern = _first_region_lines("+1")
    found = pattern.findall(lines) if pattern is not None else None
    return found if found is not None and len(found) == count else None


@cache
def _other_regions() -> tuple[re.Pattern[str] | None, list]:
    """The later regions of +1: one pattern of the leading digits of those that have them (the
    Caribbean area codes...) and the checks of those that have none (CA). A number the first
    region does not take and no leading digits start is valid when one of those checks says so."""
    later = _regions()[1:]
    leading = [region[0].pattern for region in later if region[0] is not None]
    combined = re.compile("|".join(f"(?:{pattern})" for pattern in leading)) if leading else None
    return combined, [check for pattern, check in later if pattern is None]


def nanp_valid_many(nsns: list[str]) -> list[bool]:
    """nanp_valid of each 10-digit national number ("": False): the first region's patterns run
    once over them all; a number it does not take is asked one by one only when another region's
    leading digits start it."""
    lines = _first_region_lines()
    found = lines.findall("\n".join(nsns)) if lines is not None and nsns else None
    if found is None or len(found) != len(nsns):
        return list(map(nanp_valid, nsns))
    return [True if taken else nsn != "" and nanp_later(nsn) for taken, nsn in zip(found, nsns, strict=True)]


def nanp_later(nsn: str) -> bool:
    """nanp_valid of a 10-digit national number the first region of +1 does not take."""
    leading, unled = _other_regions()
    if leading is not None and leading.match(nsn) is not None:
        return nanp_valid(nsn)
    return any(check(nsn) for check in unled)


def nanp_e164(text: str):
    """E.164 of a valid common-shape North American number, None when it is not valid, or
    FALLBACK when the text is not one of the common shapes (already stripped of blanks)."""
    match = _COMMON.fullmatch(text)
    if match is None:
        return None if _NO_AREA.fullmatch(text) else FALLBACK
    area = match.group(1) or match.group(2)
    nsn = area + match.group(3) + match.group(4)
    return "+1" + nsn if nanp_valid(nsn) else None
