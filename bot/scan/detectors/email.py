"""EMAIL: an e-mail address. Speaks for itself.

An organisation's role address (info@, press@, media@, contact@...) is contact at an office, not
a person's data: `is_role_address()` lets the analyzer leave it out. Normalized: lower case,
surrounding space removed.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import CONTACT, Detector, full_pattern, line_pattern
from bot.scan.detectors.plain import found_in

#: letters of any script in the local part and the domain (josé@correo.españa.es); the top-level
#: domain is letters or its xn-- form
_ADDRESS = r"[\w.%+'-]{1,64}@[\w-]+(?:\.[\w-]+)*\.(?:[^\W\d_]{2,24}|xn--[\w-]{2,59})"
#: an address (no leading dot, no ".."), optionally after "mailto:"
_BODY = rf"(?:mailto:)?(?!\.)(?![^\n]*\.\.){_ADDRESS}"
_EMAIL, _EMAIL_LINES = full_pattern(_BODY), line_pattern(_BODY)
ROLE_LOCAL_PARTS = frozenset({
    "info", "press", "media", "contact", "contacto", "contactenos", "help", "support", "admin",
    "office", "webmaster", "web", "noreply", "no-reply", "donotreply", "communications", "comms",
    "foia", "publicaffairs", "public.affairs", "inquiries", "enquiries", "hr", "jobs", "careers",
    "sales", "hello", "team", "news", "newsroom", "privacy", "security", "abuse", "postmaster",
    "prensa", "informacion", "oficina", "ayuda", "atencion", "mail", "service", "customerservice",
    "reception", "frontdesk", "general", "feedback", "questions", "hotline", "tips", "ombudsman",
    "pressoffice", "press.office", "media.relations", "mediarelations", "public", "outreach",
})


_ROLE_BODY = r"^(?:" + "|".join(sorted(map(re.escape, ROLE_LOCAL_PARTS | {p.replace(".", "_") for p in
                                                                         ROLE_LOCAL_PARTS}),
                                        key=len, reverse=True)) + r")@"
_ROLE_LINE = re.compile(_ROLE_BODY, re.MULTILINE)
#: the same search for RE2 (literal words at a line's start: the same lines whichever engine)
_ROLE_LINE_RE2 = "(?m)" + _ROLE_BODY
#: a plain address (ASCII): 1-64 characters before the "@" not starting with a dot, labels of
#: letters, digits and hyphens, a top-level domain of 2-24 letters; no ".." (checked per chunk)
_PLAIN = r"[A-Za-z0-9_%+'-][A-Za-z0-9_.%+'-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"


def is_role_address(normalized: str) -> bool:
    local = normalized.split("@", 1)[0]
    return local in ROLE_LOCAL_PARTS or local.replace("_", ".") in ROLE_LOCAL_PARTS


class Email(Detector):
    type = "EMAIL"
    category = CONTACT
    label = "email addresses"
    key_rank = 10
    prose_rank = 10
    self_evident = True
    headerless = True
    header_phrases = ("email", "e mail", "mail", "email address", "correo", "correo electronico",
                      "electronic mail", "emails", "e mail address",
        "courriel", "adresse e mail", "adresse électronique", "imel", "электронная почта", "эл почта",
        "почта", "електронна пошта", "البريد الإلكتروني", "البريد", "thư điện tử", "ईमेल", "电子邮件",
        "邮箱", "メール", "이메일", "e posta", "surel", "barua pepe",
    )
    context_words = ("email", "e-mail", "correo", "correo electrónico", "mail")
    text_pattern = re.compile(rf"(?<![\w.%+'-]){_ADDRESS}(?![\w-])")
    #: the line screen (RE2, whose \w is ASCII only): an "@" between two non-blank characters
    screen_pattern = r"[^\s@]@[^\s@]"
    value_only_rate = 0.7
    required_char = "@"
    #: ".." anywhere in a line is not an address (the plain line leaves it to this)
    plain_never = ".."
    confidence = 0.99

    def parse(self, text: str, *, context: bool) -> str | None:
        if "@" not in text:
            return None
        match = _EMAIL.fullmatch(text)
        return _finish(match.group(1)) if match else None

    def batch_kernel(self, *, context: bool):
        return _EMAIL_LINES, _finish_all

    def plain_line(self, *, context: bool) -> str | None:
        return _PLAIN

    def drop_organisational(self, normalized: list[str | None]) -> list[str | None]:
        """The chunk without role addresses; one search over the chunk when there are none (usual)."""
        joined = "\n".join(filter(None, normalized))
        found = found_in(_ROLE_LINE_RE2, joined)
        if not (_ROLE_LINE.search(joined) is not None if found is None else found):
            return normalized
        return [None if v is None or is_role_address(v) else v for v in normalized]


#: domains reserved for documentation and tests (RFC 2606, RFC 6761) and for private networks
#: (`.internal`, ICANN 2024: a host such as the `password@db.internal` of a database URL): nobody's mailbox
_RESERVED_DOMAIN = re.compile(r"@(?:[\w-]+\.)*(?:example\.(?:com|net|org)|example|test|invalid|localhost|internal)$")


def _finish(matched: str) -> str | None:
    address = matched.lower()
    address = address[7:] if address.startswith("mailto:") else address
    return None if _RESERVED_DOMAIN.search(address) else address


def _finish_all(matched: list[str], texts: list[str]) -> list[str | None]:
    joined = "\n".join(matched)
    lowered = joined.lower()  # one call for the chunk; addresses hold no line break
    if "mailto:" in lowered or "example" in lowered or ".test" in lowered or ".invalid" in lowered \
            or "localhost" in lowered or ".internal" in lowered:
        return [_finish(m) if m else None for m in matched]
    # already lower case (usual): the matches themselves, no new strings
    return [m or None for m in (matched if lowered == joined else lowered.split("\n"))]


DETECTOR = Email()
