"""CREDIT_CARD: a payment card number: 13-19 digits, a known issuer prefix, and the Luhn check.

Spaces or dashes between digit groups are allowed. Speaks for itself when grouped
("4111 1111 1111 1111"); a bare run of digits needs a header or nearby word. Normalized: digits.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import FINANCIAL, Detector

_GROUPED = re.compile(r"\s*(\d{4}(?:[\s-]\d{3,6}){2,4})\s*")
_BARE = re.compile(r"\s*(\d{13,19})\s*")
_SEP = re.compile(r"[\s-]")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def issuer_ok(digits: str) -> bool:
    """Known IIN ranges with the lengths each network issues."""
    length = len(digits)
    two, four, six = int(digits[:2]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":  # Visa
        return length in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # Mastercard
        return length == 16
    if two in (34, 37):  # American Express
        return length == 15
    if digits.startswith("6011") or 644 <= int(digits[:3]) <= 649 or two == 65 or 622126 <= six <= 622925:
        return 16 <= length <= 19  # Discover
    if 3528 <= four <= 3589:  # JCB
        return 16 <= length <= 19
    if two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305:  # Diners Club
        return 14 <= length <= 19
    if two == 62:  # UnionPay
        return 16 <= length <= 19
    if two == 50 or 56 <= two <= 69:  # Maestro
        return 12 <= length <= 19
    return False


#: card numbers the card networks and payment processors publish for testing: nobody's account
TEST_CARDS = frozenset({
    "4111111111111111", "4012888888881881", "4222222222222", "4242424242424242", "4000056655665556",
    "4000000000000002", "4000000000000077", "4000000000000093", "4000000000000127", "4000000000003220",
    "4005519200000004", "4009348888881881", "4012000033330026", "4012000077777777", "4217651111111119",
    "4500600000000061", "4917610000000000", "5555555555554444", "5105105105105100", "2223003122003222",
    "5200828282828210", "5454545454545454", "2223000048400011", "378282246310005", "371449635398431",
    "378734493671000", "6011111111111117", "6011000990139424", "6011000400000000", "3056930009020004",
    "30569309025904", "38520000023237", "36227206271667", "3566002020360505", "3530111333300000",
    "3566111111111113", "6200000000000005", "6759649826438453",
})


class CreditCard(Detector):
    type = "CREDIT_CARD"
    category = FINANCIAL
    label = "card numbers"
    key_rank = 8
    prose_rank = 5
    self_evident = True
    headerless = True
    header_phrases = ("credit card", "card number", "card no", "card #", "cc", "cc number", "pan",
                      "card", "tarjeta", "numero de tarjeta", "tarjeta de credito", "debit card")
    context_words = ("card", "credit card", "debit card", "Visa", "Mastercard", "Amex", "tarjeta",
                     "tarjeta de crédito", "tarjeta de credito")
    text_pattern = re.compile(r"(?<![\w-])(?:\d{4}(?:[\s-]\d{3,6}){2,4}|\d{13,19})(?![\w-])")
    value_only_rate = 0.8
    confidence = 0.9

    def parse(self, text: str, *, context: bool) -> str | None:
        match = _GROUPED.fullmatch(text) or (_BARE.fullmatch(text) if context else None)
        if not match:
            return None
        digits = _SEP.sub("", match.group(1))
        if not 13 <= len(digits) <= 19 or not issuer_ok(digits) or not luhn_ok(digits) or digits in TEST_CARDS:
            return None
        return digits


DETECTOR = CreditCard()
