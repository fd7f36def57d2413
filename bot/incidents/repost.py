"""The same leak again: a later scan whose fingerprints overlap a known incident's.

Every incident keeps every one of its fingerprints (IncidentRecords.fingerprints), never values, so
a re-post of a few rows out of thousands is recognised. Any
later scan (a `/scan`, a watch, a file upload) is compared with every incident; a match
(bot/scan/matching.py decides) is said in that incident's room and on its timeline, with how
much of it came back ("92% of the A-numbers of incident #3"). An incident already taken down or
closed is reopened and follows the new location: its takedown poll checks the new URL, the old
one is kept in `previous_urls`. A scan of the incident's own URL is not a re-post (that is the
"reported again" path of `handle_scan`).
"""

from __future__ import annotations

import logging

from bot.errors import LeakwatchError
from bot.incidents import lifecycle
from bot.incidents.records import url_key
from bot.model import Incident
from bot.scan.matching import Match, find_matches, report_fingerprints
from bot.scan.report import Report

log = logging.getLogger(__name__)


def _documents(report: Report) -> list[Report]:
    """The documents to compare: a crawl's or folder's documents with findings, else the report."""
    docs = [d for d in report.documents if d.findings and not d.error]
    return docs or ([report] if report.findings and not report.error else [])


def _candidates(ctx, exclude_key: str | None) -> list[tuple]:
    found = []
    for incident in ctx.records.all():
        if incident.drill or (exclude_key and incident.url_key == exclude_key):
            continue
        fingerprints = ctx.records.fingerprints(incident.number)
        if not fingerprints:
            continue
        totals = {f.type: f.count for f in incident.findings}
        found.append((incident.number, f"incident #{incident.number}", fingerprints, totals))
    return found


def find(ctx, report: Report) -> list[tuple[Report, Match]]:
    """(document, match) for every incident a document of `report` carries again; no side effects."""
    results: list[tuple[Report, Match]] = []
    seen: set[int] = set()
    for doc in _documents(report):
        fingerprints = report_fingerprints(doc)
        if not fingerprints:
            continue
        own_key = url_key(doc.target) if doc.target.startswith(("http://", "https://")) else None
        for found in find_matches(fingerprints, _candidates(ctx, own_key)):
            if found.key not in seen:
                seen.add(found.key)
                results.append((doc, found))
    return results


def check(ctx, report: Report, *, reporter: str | None, origin_channel: str | None) -> list[dict]:
    """Say every match in its incident's room and timeline; reopen taken-down or closed ones.

    Returns one dict per matched incident: number, channel_id, text, reopened, and url (the new
    location the incident now follows, when it was reopened for a URL).
    """
    answers = []
    for doc, found in find(ctx, report):
        # the person who scanned sees it too (scan results show the report's first notes)
        report.notes.insert(0, f"Known leak seen again: {found.describe_all()}; said in incident #{found.key}'s room.")
        try:
            answers.append(_tell(ctx, doc, found, reporter=reporter))
        except LeakwatchError as err:
            log.warning("incident %s: re-post not said: %s", found.key, err.code)
    return answers


def _tell(ctx, doc: Report, found: Match, *, reporter: str | None) -> dict:
    number = found.key
    now = ctx.clock()
    location = doc.target
    sentence = f"The same data is exposed again at {location}: {found.describe_all()}."
    with ctx.incident_lock(number):
        incident = ctx.records.get(number)
        best = found.best
        follows = ctx.pollable(location)
        reopened = incident.status in ("down", "closed")

        def change(rec: Incident) -> None:
            rec.reposts += 1
            if reopened:
                if rec.url:
                    rec.previous_urls.append(rec.url)
                # the new location is what must come down now (a file upload has no URL to poll)
                rec.url = location if follows else None
                rec.url_key = url_key(location) if follows else None

        # the change, its entry and (down or closed) the reopen are one write: a crash between
        # them left "exposed again" on an incident still following the old URL, or still closed
        entry = {"kind": "repost", "text": sentence, "by": reporter,
                 "data": {"target": location, "type": best.type, "matched": best.matched, "known": best.known,
                          "share": round(best.share, 4)}}
        if reopened:
            incident = lifecycle.write_reopen(ctx, number, sentence, now, also=change, entries=[entry])
            incident = lifecycle.tell_reopened(ctx, incident, sentence)
        else:
            incident = ctx.records.modify_with_event(number, change, entry["kind"], entry["text"], at=now,
                                                     by=reporter, data=entry["data"])
            by = f" Found by <@{reporter}>." if reporter else ""
            ctx.slack.post(incident.channel_id, f":warning: {_escape(sentence)}{by}")
    log.info("incident %s: re-post found type=%s share=%.2f reopened=%s", number, best.type, best.share, reopened)
    return {"number": number, "channel_id": incident.channel_id, "text": sentence, "reopened": reopened,
            "url": location if reopened and follows else None}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
