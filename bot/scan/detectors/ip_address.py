"""IP_ADDRESS: an IPv4 or IPv6 address (public addresses only; loopback, private and documentation
ranges are skipped). Low severity on its own: logs are full of them.
Normalized: the address in its canonical text form.
"""

from __future__ import annotations

import ipaddress
import re

from bot.scan.detectors.base import NETWORK, Detector

_V4 = re.compile(r"\s*((?:\d{1,3}\.){3}\d{1,3})\s*")
_V6 = re.compile(r"\s*([0-9A-Fa-f:]{2,39}:(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3}))\s*")
#: a compressed IPv6 address ("2001:4860::8888", "::ffff:203.0.113.9"): hex groups around one "::"
_V6_COMPRESSED = r"(?:[0-9A-Fa-f]{1,4}:){0,6}(?:[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){0,6}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})"


#: the three dots and last numbers of an IPv4 address, for narrow_spans()
_V4_TAIL = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w.:])", re.ASCII)


class IpAddress(Detector):
    type = "IP_ADDRESS"
    category = NETWORK
    label = "IP addresses"
    prose_rank = 13
    shared_values = True
    headerless = True
    identifies_person = False
    header_phrases = ("ip", "ip address", "client ip", "remote ip", "remote addr", "source ip",
                      "ip addr", "direccion ip", "ipv4", "ipv6", "x forwarded for")
    context_words = ("IP", "IP address", "dirección IP", "direccion IP", "from", "client")
    text_pattern = re.compile(rf"(?<![\w.:])(?:{_V6_COMPRESSED}|(?:\d{{1,3}}\.){{3}}\d{{1,3}}|(?:[0-9A-Fa-f]{{1,4}}:){{2,7}}[0-9A-Fa-f]{{1,4}})(?![\w.:])")
    #: for the line screen (bot/scan/screen.py): IPv4, IPv6 in 8 groups, or anything with a "::"
    screen_pattern = (r"(?:^|[^\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4})(?:$|[^\w.:])"
                      r"|(?:^|[^\w.:])[0-9A-Fa-f:]*::")
    full_screen = r"(?:^|[^\w.:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?:$|[^\w.:])|(?:^|[^\w.:])[0-9A-Fa-f:]*::"
    #: IPv4 alone, the first digit first (fast to look for): a shorter IPv6-looking match of the
    #: text pattern is never accepted, and no IPv4 match can start inside one
    narrow_pattern = re.compile(r"\d(?<![\w.:]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\w.:])")
    value_only_rate = 0.8
    confidence = 0.9

    def narrow_spans(self, line: str) -> list[tuple[int, int]]:
        """The spans narrow_pattern finds in an ASCII line, found faster from the dots.

        An IPv4 match is a whole token: its first number is the whole digit run before the first
        dot (1-3 digits, after a character other than a word character, "." or ":"), and the
        rest follows the first dot. The dots are found by a literal first character.
        """
        spans = []
        for match in _V4_TAIL.finditer(line):
            dot = match.start()
            start = dot
            while start > dot - 4 and start > 0 and "0" <= line[start - 1] <= "9":
                start -= 1
            if start == dot or dot - start > 3:
                continue
            if start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_.:"):
                continue
            spans.append((start, match.end()))
        return spans

    def parse(self, text: str, *, context: bool) -> str | None:
        match = _V4.fullmatch(text) or _V6.fullmatch(text)
        if not match:
            return None
        try:
            address = ipaddress.ip_address(match.group(1))
        except ValueError:
            return None
        mapped = getattr(address, "ipv4_mapped", None)
        address = mapped or address  # ::ffff:203.0.113.9 is the IPv4 client it carries
        if not address.is_global:
            return None
        return str(address)


DETECTOR = IpAddress()
