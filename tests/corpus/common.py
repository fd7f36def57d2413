"""Small helpers shared by the document makers."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from tests.corpus.names import FACILITY_KINDS, STATES, TOWNS


def scaled(base: int, scale: float, minimum: int) -> int:
    return max(minimum, round(base * scale))


def facility_places(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """Distinct fictional facilities: (name, town, state)."""
    places: dict[str, tuple[str, str, str]] = {}
    while len(places) < count:
        town = rng.choice(TOWNS)
        name = f"{town} {rng.choice(FACILITY_KINDS)}"
        places.setdefault(name, (name, town, rng.choice(STATES)))
    return [places[name] for name in sorted(places)]


def facilities(rng: random.Random, count: int) -> list[str]:
    return [name for name, _, _ in facility_places(rng, count)]


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def moment_between(rng: random.Random, first: date, last: date) -> datetime:
    day = day_between(rng, first, last)
    return datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))


def street_address(rng: random.Random) -> str:
    return (f"{rng.randint(100, 9899)} {rng.choice(('Industrial', 'Old Mill', 'Ranch Road', 'Harbor', 'Commerce', 'Sheriff'))} "
            f"{rng.choice(('Pkwy', 'Rd', 'Blvd', 'Dr', 'Way'))}")
