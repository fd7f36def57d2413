"""Which known robot, archive or link preview a user agent claims to be (`crawler_for`).

The table is data (`crawlers.json`): name, the token its user agent carries, a kind (search,
archive, ai, social, seo) and `own` for the bot's own Slack unfurls. A user agent is only a
claim: anyone can send `Googlebot`. Verifying one needs its address checked against the
operator's published ranges or reverse-then-forward DNS, which cannot be done from logs offline,
so every match is reported with `claimed_only: true`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KINDS = {
    "search": "search engine",
    "archive": "web archive",
    "ai": "AI crawler",
    "social": "link preview",
    "seo": "SEO crawler",
}


@dataclass(frozen=True)
class Crawler:
    name: str
    token: str
    kind: str
    own: bool = False


@cache
def table() -> tuple[Crawler, ...]:
    data = json.loads((Path(__file__).with_name("crawlers.json")).read_text(encoding="utf-8"))
    return tuple(Crawler(c["name"], c["token"], c["kind"], bool(c.get("own"))) for c in data["crawlers"])


@cache
def _lowered() -> tuple[tuple[str, Crawler], ...]:
    return tuple((c.token.lower(), c) for c in table())


def crawler_for(user_agent: str) -> Crawler | None:
    """The first known crawler whose token the user agent carries (case-insensitive), or None."""
    if not user_agent:
        return None
    agent = user_agent.lower()
    for token, crawler in _lowered():
        if token in agent:
            return crawler
    return None
