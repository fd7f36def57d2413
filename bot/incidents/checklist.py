"""The follow-up checklist: a template kept as data, ticks with who and when, pure logic only.

Ticks from Slack arrive as a `checkboxes` action whose `selected_options` is the element's new
selection *as the clicking person's client saw it*. Replacing the stored state with it would let
two people clicking at once undo each other's ticks, so the change is computed against the
message the client showed (`initial_options` of the same element in `payload.message`) and only
that delta is applied to the stored items.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from bot.errors import LeakwatchError
from bot.model import ChecklistItem

TEMPLATE_PATH = Path(__file__).with_name("checklist_template.json")
#: Slack: at most 10 options in one checkboxes element
OPTIONS_PER_ELEMENT = 10
#: Slack: option text and description at most 75 characters
OPTION_TEXT_MAX = 75
MAX_ITEMS = 40
BLOCK_PREFIX = "checklist"
ACTION_PREFIX = "checklist_toggle"


class BadChecklistItem(LeakwatchError):
    code = "bad_item"


@lru_cache(maxsize=4)
def load_template(path: str = str(TEMPLATE_PATH)) -> tuple[dict, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = data["items"]
    ids = [item["id"] for item in items]
    if len(ids) != len(set(ids)) or not all(item.get("text") for item in items):
        raise ValueError(f"checklist template {path} has duplicate ids or empty items")
    return tuple({"id": item["id"], "text": item["text"], "detail": item.get("detail", "")} for item in items)


def new_items(template: tuple[dict, ...] | None = None) -> list[ChecklistItem]:
    return [ChecklistItem(id=item["id"], text=item["text"], detail=item.get("detail", ""))
            for item in (template or load_template())]


def fill_detail(detail: str, facts: dict[str, str]) -> str:
    """`{records_affected}` and friends from the incident's current facts; unknown names stay."""
    return re.sub(r"\{(\w+)\}", lambda m: str(facts.get(m.group(1), m.group(0))), detail)


def clean_item_text(text: str) -> str:
    """`/checklist add <item>`: one line, printable, short enough for a checkbox."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise BadChecklistItem("Say what to add: /checklist add <item>.")
    if len(cleaned) > OPTION_TEXT_MAX:
        raise BadChecklistItem(f"A checklist item is at most {OPTION_TEXT_MAX} characters; this one has {len(cleaned)}.")
    return cleaned


def add_item(items: list[ChecklistItem], text: str, *, by: str, at: str) -> ChecklistItem:
    if len(items) >= MAX_ITEMS:
        raise BadChecklistItem(f"This checklist already has {MAX_ITEMS} items, the most one message can show.")
    taken = {item.id for item in items}
    number = 1
    while f"custom-{number}" in taken:
        number += 1
    item = ChecklistItem(id=f"custom-{number}", text=clean_item_text(text), detail=f"added by <@{by}>",
                         added_by=by, added_at=at)
    items.append(item)
    return item


def apply_delta(items: list[ChecklistItem], ticked: set[str], unticked: set[str], *, by: str,
                at: str) -> list[tuple[str, bool]]:
    """Tick and untick by item id; returns the changes really made as (id, done)."""
    changes = []
    for item in items:
        if item.id in ticked and not item.done:
            item.done, item.by, item.at = True, by, at
            changes.append((item.id, True))
        elif item.id in unticked and item.done:
            item.done, item.by, item.at = False, by, at
            changes.append((item.id, False))
    return changes


def chunks(items: list[ChecklistItem]) -> list[list[ChecklistItem]]:
    return [items[i:i + OPTIONS_PER_ELEMENT] for i in range(0, len(items), OPTIONS_PER_ELEMENT)] or [[]]


def block_id(incident_number: int, chunk: int) -> str:
    return f"{BLOCK_PREFIX}:{incident_number}:{chunk}"


def parse_block_id(value: str) -> tuple[int, int] | None:
    parts = value.split(":")
    if len(parts) != 3 or parts[0] != BLOCK_PREFIX or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2])


def delta_from_action(action: dict, message: dict | None) -> tuple[set[str], set[str]] | None:
    """(ticked, unticked) item ids from one checkboxes action and the message it was clicked on.

    None when the message (and so what the person saw) is not in the payload; the caller then
    compares the selection with the stored state of the same element instead.
    """
    selected = {opt.get("value") for opt in action.get("selected_options") or [] if isinstance(opt, dict)}
    for block in (message or {}).get("blocks") or []:
        if not isinstance(block, dict) or block.get("block_id") != action.get("block_id"):
            continue
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action.get("action_id"):
                shown = {opt.get("value") for opt in element.get("initial_options") or []}
                options = {opt.get("value") for opt in element.get("options") or []}
                return (selected - shown) & options, (shown - selected) & options
    return None


def delta_from_state(selected: set[str], element_items: list[ChecklistItem]) -> tuple[set[str], set[str]]:
    """Fallback: the element's selection against the stored state of the same items."""
    ids = {item.id for item in element_items}
    done = {item.id for item in element_items if item.done}
    return (selected & ids) - done, (ids - selected) & done
