"""The detector registry: one module per type, each defining `DETECTOR`.

Adding a detector is adding its module name to MODULES (and writing the module). Everything
other modules need to know about a type (its label, category, key rank, prose role, whether its
values are shared or self-evident) is read from the detector's declaration through the helpers
below, never listed again elsewhere.
"""

from __future__ import annotations

from importlib import import_module

from bot.scan.detectors.base import Detector

MODULES = (
    "a_number", "ssn", "itin", "passport", "uscis_receipt", "i94", "sevis_id", "email", "phone",
    "credit_card", "iban", "date_of_birth", "person_name", "nationality", "address",
    "custody_location", "medical_record", "ip_address",
)


def _load() -> dict[str, Detector]:
    registry: dict[str, Detector] = {}
    for module_name in MODULES:
        detector = import_module(f"{__name__}.{module_name}").DETECTOR
        registry[detector.type] = detector
    return registry


#: type name -> detector, in the order above (earlier wins when a column could be either)
REGISTRY: dict[str, Detector] = _load()


def get(type_name: str) -> Detector:
    return REGISTRY[type_name]


def all_detectors() -> list[Detector]:
    return list(REGISTRY.values())


def label(type_name: str) -> str:
    """How people read a type, plural and lower case ("A-numbers"); unknown types read plainly."""
    detector = REGISTRY.get(type_name)
    return detector.label if detector else type_name.replace("_", " ").lower() + " values"


def types_where(predicate) -> frozenset[str]:
    """The type names whose detector satisfies `predicate`."""
    return frozenset(d.type for d in REGISTRY.values() if predicate(d))


def ranked(attribute: str) -> tuple[str, ...]:
    """Type names with `attribute` (key_rank, prose_rank) set, in that rank's order."""
    have = [d for d in REGISTRY.values() if getattr(d, attribute) is not None]
    return tuple(d.type for d in sorted(have, key=lambda d: getattr(d, attribute)))
