"""manifest.json asks for exactly the bot scopes the code uses: each Web API method the bot calls
(`.call("method", ...)` anywhere in bot/ and commands/, the local stand-in aside) and each event it
subscribes to needs a scope; a scope nothing needs is refused (least privilege), and so is a call
whose scope the manifest lacks."""

from __future__ import annotations

import json
import re

from tests.helpers.bot_process import ROOT

#: Slack's documented scope for each method the bot may call (a tuple: public and private channels)
METHOD_SCOPES = {
    "auth.test": (), "apps.connections.open": (),  # app-level token / no scope
    "chat.postMessage": ("chat:write",), "chat.update": ("chat:write",), "chat.postEphemeral": ("chat:write",),
    "chat.delete": ("chat:write",),
    "conversations.create": ("channels:manage", "groups:write"),
    "conversations.invite": ("channels:manage", "groups:write"),
    "conversations.setTopic": ("channels:manage", "groups:write"),
    "conversations.info": ("channels:read", "groups:read"),
    "conversations.members": ("channels:read", "groups:read"),
    "conversations.history": ("channels:history", "groups:history"),
    "conversations.open": ("im:write",),
    "conversations.join": ("channels:join",),
    "pins.add": ("pins:write",), "bookmarks.add": ("bookmarks:write",),
    "usergroups.users.list": ("usergroups:read",), "users.info": ("users:read",),
    "users.conversations": ("channels:read", "groups:read"),
    "files.info": ("files:read",), "files.list": ("files:read",),
    "files.getUploadURLExternal": ("files:write",), "files.completeUploadExternal": ("files:write",),
    "views.publish": (), "views.open": (), "views.update": (),
    "reactions.add": ("reactions:write",),
}
EVENT_SCOPES = {"message.im": ("im:history",), "file_shared": ("files:read",), "app_home_opened": ()}
#: the file downloads (url_private_download) need files:read; slash commands need commands
ALWAYS = {"commands", "files:read"}


def _called_methods() -> set[str]:
    found = set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "commands").rglob("*.py")]:
        if "workspace" in path.relative_to(ROOT).parts:  # the stand-in answers methods, it does not call them
            continue
        found |= set(re.findall(r'call\(\s*"([a-z]+\.[A-Za-z.]+)"', path.read_text(encoding="utf-8")))
    return found


def test_the_manifest_asks_for_exactly_the_scopes_used():
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    methods = _called_methods()
    unknown = methods - set(METHOD_SCOPES)
    assert not unknown, f"add the scope of {unknown} to METHOD_SCOPES"
    needed = set(ALWAYS)
    for method in methods:
        needed |= set(METHOD_SCOPES[method])
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needed |= set(EVENT_SCOPES[event])
    asked = set(manifest["oauth_config"]["scopes"]["bot"])
    assert asked - needed == set(), "asked for but unused"
    assert needed - asked == set(), "used but not asked for"
    assert "bookmarks:write" not in asked
