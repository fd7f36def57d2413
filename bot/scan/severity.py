"""Severity from what is tied to a person (docs/detection.md has the same rules as a table).

Rules are checked per part (one table, one passage of prose): types count together only when they
sit in the same rows or the same lines. The document's severity is the worst part's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import severity_rank

GOVERNMENT_IDS = frozenset({"A_NUMBER", "SSN", "ITIN", "PASSPORT", "I94", "SEVIS_ID", "USCIS_RECEIPT"})
FINANCIAL_OR_HEALTH = frozenset({"CREDIT_CARD", "IBAN", "MEDICAL_RECORD"})
CONTACT = frozenset({"EMAIL", "PHONE", "ADDRESS"})


@dataclass
class PartProfile:
    """What one table or passage exposes about people."""

    where: str
    types: set[str] = field(default_factory=set)
    people: int = 0


@dataclass
class Verdict:
    severity: str
    reason: str


def judge_part(profile: PartProfile) -> Verdict:
    types = profile.types
    named = "PERSON_NAME" in types
    ids = sorted(types & GOVERNMENT_IDS)
    money_health = sorted(types & FINANCIAL_OR_HEALTH)
    people = f"{profile.people:,} {'person' if profile.people == 1 else 'people'}"
    if named and ids and "NATIONALITY" in types and "CUSTODY_LOCATION" in types:
        return Verdict("critical", f"{profile.where}: {people} named with nationality, government ID "
                                   f"({', '.join(ids)}) and custody location")
    if named and (ids or money_health):
        return Verdict("high", f"{profile.where}: {people} named with {', '.join(ids + money_health)}")
    if ids:
        return Verdict("high", f"{profile.where}: government ID numbers ({', '.join(ids)}) of {people}")
    if money_health:
        return Verdict("medium", f"{profile.where}: {', '.join(money_health)} without names")
    details = sorted(types & (CONTACT | {"DATE_OF_BIRTH", "NATIONALITY"}))
    if named and details:
        return Verdict("medium", f"{profile.where}: {people} named with {', '.join(details)}")
    if named:
        return Verdict("low", f"{profile.where}: names of {people} without other personal data")
    if types & CONTACT or "DATE_OF_BIRTH" in types:
        return Verdict("low", f"{profile.where}: contact details or dates without names")
    if "IP_ADDRESS" in types:
        return Verdict("low", f"{profile.where}: IP addresses only")
    return Verdict("none", "")


def judge(profiles: list[PartProfile]) -> tuple[str, list[str]]:
    """The document's severity and its reasons, worst first (no values, only types and counts)."""
    verdicts = [judge_part(p) for p in profiles]
    verdicts = [v for v in verdicts if v.severity != "none"]
    if not verdicts:
        return "none", []
    verdicts.sort(key=lambda v: -severity_rank(v.severity))
    reasons = []
    for verdict in verdicts:
        if verdict.reason not in reasons:
            reasons.append(verdict.reason)
    return verdicts[0].severity, reasons[:10]
