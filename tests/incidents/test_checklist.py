"""The checklist: template as data, ticks applied as deltas so parallel clicks never undo each other."""

from __future__ import annotations

import pytest

from bot.incidents import checklist
from bot.incidents.checklist import BadChecklistItem

AT = "2026-11-28T14:05:00.000000+00:00"


def test_template_covers_the_breach_follow_up():
    ids = [item["id"] for item in checklist.load_template()]
    assert ids == ["remove-origin", "purge-cdn", "check-mirrors", "search-engines", "web-archive", "preserve-evidence",
                   "privacy-counsel", "legal-clocks", "notify-affected", "monitor-reposts", "root-cause"]
    assert all(len(item["text"]) <= checklist.OPTION_TEXT_MAX for item in checklist.load_template())
    assert "{records_affected}" in next(i for i in checklist.load_template() if i["id"] == "notify-affected")["detail"]


def test_fill_detail():
    assert checklist.fill_detail("{records_affected} people, {unknown}", {"records_affected": "6,252"}) == \
        "6,252 people, {unknown}"


def test_chunks_of_at_most_ten():
    items = checklist.new_items() + [dict(id=f"x{i}", text="t", done=False) for i in range(10)]
    assert [len(c) for c in checklist.chunks(items)] == [10, 10, 1]


def _element_block(items, index=0, number=3):
    options = [{"text": {"type": "mrkdwn", "text": i.text}, "value": i.id} for i in items]
    element = {"type": "checkboxes", "action_id": f"checklist_toggle_{index}", "options": options}
    shown = [o for o, i in zip(options, items, strict=True) if i.done]
    if shown:
        element["initial_options"] = shown
    return {"type": "actions", "block_id": checklist.block_id(number, index), "elements": [element]}


def _action(selected, index=0, number=3):
    return {"type": "checkboxes", "action_id": f"checklist_toggle_{index}", "block_id": checklist.block_id(number, index),
            "selected_options": [{"value": v} for v in selected]}


def test_two_people_clicking_the_same_stale_message_both_count():
    items = checklist.new_items()
    message = {"blocks": [_element_block(items[:10])]}  # both saw nothing ticked
    for user, item in (("U1", "purge-cdn"), ("U2", "web-archive")):
        ticked, unticked = checklist.delta_from_action(_action([item]), message)
        checklist.apply_delta(items, ticked, unticked, by=user, at=AT)
    done = {i.id: i.by for i in items if i.done}
    assert done == {"purge-cdn": "U1", "web-archive": "U2"}


def test_untick_is_only_what_this_person_cleared():
    items = checklist.new_items()
    checklist.apply_delta(items, {"purge-cdn", "web-archive"}, set(), by="U1", at=AT)
    message = {"blocks": [_element_block(items[:10])]}
    ticked, unticked = checklist.delta_from_action(_action(["web-archive"]), message)
    assert (ticked, unticked) == (set(), {"purge-cdn"})
    changes = checklist.apply_delta(items, ticked, unticked, by="U2", at=AT)
    assert changes == [("purge-cdn", False)]
    assert next(i for i in items if i.id == "purge-cdn").by == "U2"


def test_values_not_in_the_element_are_ignored():
    items = checklist.new_items()
    message = {"blocks": [_element_block(items[:10])]}
    ticked, _ = checklist.delta_from_action(_action(["root-cause", "not-an-item"]), message)
    assert ticked == set()  # root-cause is in the second element, not this one


def test_without_the_message_the_stored_state_decides():
    items = checklist.new_items()
    checklist.apply_delta(items, {"purge-cdn"}, set(), by="U1", at=AT)
    assert checklist.delta_from_action(_action(["web-archive"]), None) is None
    ticked, unticked = checklist.delta_from_state({"web-archive"}, items[:10])
    assert (ticked, unticked) == ({"web-archive"}, {"purge-cdn"})


def test_repeated_click_changes_nothing():
    items = checklist.new_items()
    assert checklist.apply_delta(items, {"purge-cdn"}, set(), by="U1", at=AT) == [("purge-cdn", True)]
    assert checklist.apply_delta(items, {"purge-cdn"}, set(), by="U2", at=AT) == []
    assert next(i for i in items if i.id == "purge-cdn").by == "U1"


def test_add_item():
    items = checklist.new_items()
    item = checklist.add_item(items, "  Tell   the  vendor ", by="U9", at=AT)
    assert item.id == "custom-1" and item.text == "Tell the vendor" and items[-1] is item
    assert checklist.add_item(items, "Second", by="U9", at=AT).id == "custom-2"


@pytest.mark.parametrize("text", ["", "   ", "x" * 76])
def test_bad_items_are_one_sentence(text):
    with pytest.raises(BadChecklistItem) as err:
        checklist.add_item(checklist.new_items(), text, by="U1", at=AT)
    assert "\n" not in str(err.value)


def test_item_limit():
    items = checklist.new_items()
    while len(items) < checklist.MAX_ITEMS:
        checklist.add_item(items, "more", by="U1", at=AT)
    with pytest.raises(BadChecklistItem):
        checklist.add_item(items, "one too many", by="U1", at=AT)


def test_block_ids():
    assert checklist.parse_block_id(checklist.block_id(12, 1)) == (12, 1)
    assert checklist.parse_block_id("checklist:x:1") is None
    assert checklist.parse_block_id("other:1:1") is None
