"""The detector registry: one module per type, each defining `DETECTOR`.

Adding a detector is adding its module name to MODULES (and writing the module).
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
