"""Slash commands, shortcuts and event listeners: one module per surface.

Each module in ALL has `register(app)` (adds its Bolt listeners). It may also have
`attach(services)`, called once at start-up before the app is built (set `services.incidents`,
start a sweep thread...), and `detach(services)`, called at shutdown. Append new modules to ALL.

Bolt runs only the FIRST listener that matches a request: commands/files.py owns the generic
`message` and `file_shared` events, so other modules should match something narrower (a command,
an action_id, a callback_id) or extend files.py.
"""

from commands import checklist, checklist_actions, files, home, incident, scan, watch

# scan after incident: its attach scans again what a stopped bot left, which may open incidents
ALL = [files, watch, incident, scan, checklist, checklist_actions, home]
