"""Severity from what is tied to a person, following breach-notification law: the rules are data.

Rules are checked per part (one table, one passage of prose): types count together only when they
sit in the same rows or the same lines. Each type's category (government ID, financial, health…)
comes from its detector's declaration; RULES below says which combinations of categories make a
breach notifiable and under which law, first match wins. The document's severity is the worst
part's, and its reasons name the rule that fired (docs/detection.md shows the same table).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import severity_rank
from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import (
    BIRTH_DATE,
    CONTACT,
    CUSTODY,
    FINANCIAL,
    GOVERNMENT_ID,
    HEALTH,
    NATIONALITY,
    NETWORK,
)


@dataclass(frozen=True)
class Rule:
    severity: str
    #: what the part exposes, in words: "{people} named with {types}"
    says: str
    #: the law or standard that makes it notifiable (or "" for what is not)
    law: str
    #: a person's name must sit in the same part
    named: bool = False
    #: every one of these categories must be there
    all_of: frozenset[str] = frozenset()
    #: at least one of these categories must be there (empty: no condition)
    any_of: frozenset[str] = frozenset()

    def fires(self, named: bool, categories: set[str]) -> bool:
        return ((named or not self.named) and self.all_of <= categories
                and (not self.any_of or bool(self.any_of & categories)))


def _rule(severity: str, says: str, law: str, *, named: bool = False, all_of: tuple[str, ...] = (),
          any_of: tuple[str, ...] = ()) -> Rule:
    return Rule(severity, says, law, named, frozenset(all_of), frozenset(any_of))


#: first match wins; docs/detection.md "Severity" prints this table
RULES: tuple[Rule, ...] = (
    _rule("critical", "{people} named with nationality, government ID ({types}) and custody location",
          "immigration records: identity, status and place of detention (8 CFR 208.6 asylum "
          "confidentiality; GDPR Art. 9 and 10 special categories)",
          named=True, all_of=(GOVERNMENT_ID, NATIONALITY, CUSTODY)),
    _rule("high", "{people} named with {types}",
          "US state breach-notification laws (name with SSN, passport or other government ID); GDPR Art. 87",
          named=True, any_of=(GOVERNMENT_ID,)),
    _rule("high", "{people} named with {types}",
          "US state breach-notification laws (name with a financial account or card number); PCI DSS",
          named=True, any_of=(FINANCIAL,)),
    _rule("high", "{people} named with {types}",
          "HIPAA (protected health information); GDPR Art. 9 special category (health)",
          named=True, any_of=(HEALTH,)),
    _rule("high", "{people} named with nationality and custody location",
          "immigration status (CCPA/CPRA sensitive personal information; GDPR Art. 9 and 10)",
          named=True, all_of=(NATIONALITY, CUSTODY)),
    _rule("high", "government ID numbers ({types}) of {people}",
          "identifiers that single out a person on their own (SSN, A-number): US state breach laws "
          "treat them as notifiable where they enable identity theft",
          any_of=(GOVERNMENT_ID,)),
    _rule("medium", "{types} without names",
          "financial or health identifiers: notifiable with anything that links them to a person",
          any_of=(FINANCIAL, HEALTH)),
    _rule("medium", "{people} named with {types}",
          "GDPR personal data (Art. 4, Art. 33 notification when there is a risk to people)",
          named=True, any_of=(CONTACT, BIRTH_DATE, NATIONALITY, CUSTODY)),
    _rule("low", "names of {people} without other personal data", "", named=True),
    _rule("low", "contact details or dates without names", "", any_of=(CONTACT, BIRTH_DATE)),
    _rule("low", "IP addresses only", "", any_of=(NETWORK,)),
)


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
    rule: Rule | None = None


def categories_of(types: set[str]) -> dict[str, list[str]]:
    """Category -> the part's types in it, sorted (unknown types have none)."""
    found: dict[str, list[str]] = {}
    for type_name in sorted(types):
        detector = REGISTRY.get(type_name)
        if detector is not None:
            found.setdefault(detector.category, []).append(type_name)
    return found


def judge_part(profile: PartProfile) -> Verdict:
    named = "PERSON_NAME" in profile.types
    by_category = categories_of(profile.types)
    categories = set(by_category)
    for rule in RULES:
        if rule.fires(named, categories):
            return Verdict(rule.severity, _reason(rule, profile, by_category), rule)
    return Verdict("none", "")


def _reason(rule: Rule, profile: PartProfile, by_category: dict[str, list[str]]) -> str:
    people = f"{profile.people:,} {'person' if profile.people == 1 else 'people'}"
    types = [t for category in sorted((rule.any_of | rule.all_of) & set(by_category)) for t in by_category[category]]
    said = rule.says.format(people=people, types=", ".join(sorted(types)))
    return f"{profile.where}: {said}" + (f" (notifiable: {rule.law})" if rule.law else "")


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


def rules_table() -> str:
    """RULES as the markdown table docs/detection.md prints (a test keeps the two equal)."""
    lines = ["| severity | tied to a person in one table or passage | why it is notifiable |", "|---|---|---|"]
    for rule in RULES:
        needs = (["a name"] if rule.named else []) + sorted(rule.all_of)
        if rule.any_of:
            needs.append(" or ".join(sorted(rule.any_of)))
        what = " + ".join(needs).replace("_", " ") or "—"
        lines.append(f"| **{rule.severity}** | {what} | {rule.law or '—'} |")
    return "\n".join(lines)
