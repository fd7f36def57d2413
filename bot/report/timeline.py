"""The exposure picture: `timeline_png(facts, downloads) -> bytes`, a PNG readable on a phone.

A pure function of the incident's facts and a downloads summary (same input, same bytes):
1080 x 1350 pixels (portrait, the shape a phone shows whole), large type, two panels on one time
axis in UTC:
- milestones, one per row so no label overlaps another: published (first fetch or Last-Modified),
  first detected, owner notified, the takedown target, taken down; the exposure window shaded;
- requests and complete downloads per hour from the access logs, crawler fetches marked with ▼
  and named below the chart (names and times only: no address ever).
matplotlib runs headless (the Agg backend, chosen before pyplot is imported; no display needed).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402 - after the backend is chosen
from matplotlib.figure import Figure  # noqa: E402

from bot.incidents.clocks import format_duration, format_hours_minutes, from_iso  # noqa: E402
from bot.report.facts import ExposureFacts, published  # noqa: E402

WIDTH_IN, HEIGHT_IN, DPI = 7.2, 9.0, 150      # 1080 x 1350 px
FONT = 15
NOTE_WIDTH = 52          # characters of a note line at FONT on the picture's width
CRAWLERS_NAMED = 4
EXPOSED = "#f4c7c3"
COLORS = {"published": "#b3261e", "detected": "#e8710a", "notified": "#1a73e8", "target": "#5f6368",
          "down": "#188038"}


def _utc(text: str) -> datetime:
    return from_iso(text.replace("Z", "+00:00"))


def milestones(facts: ExposureFacts, downloads: dict | None) -> list[tuple[str, str, datetime]]:
    """(key, label, time) in time order: what the top panel shows, one row each."""
    start, evidence = published(facts, downloads)
    rows = []
    if start is not None:
        rows.append(("published", "Published" + (" (first fetch)" if "fetch" in evidence else
                                                 " (Last-Modified)" if "Last-Modified" in evidence else ""), start))
    if facts.first_detected_at:
        rows.append(("detected", "First detected", facts.first_detected_at))
    rows.append(("notified", "Owner notified" if facts.notified_given else "Incident opened", facts.notified_at))
    rows.append(("target", f"Takedown target ({format_duration(facts.target_minutes * 60)})",
                 facts.notified_at + timedelta(minutes=facts.target_minutes)))
    if facts.taken_down_at:
        rows.append(("down", "Taken down", facts.taken_down_at))
    return sorted(rows, key=lambda r: r[2])


def _span(rows, downloads: dict | None) -> tuple[datetime, datetime]:
    times = [r[2] for r in rows]
    for hour in (downloads or {}).get("per_hour", []):
        times += [_utc(hour["hour"]), _utc(hour["hour"]) + timedelta(hours=1)]
    low, high = min(times), max(times)
    pad = max((high - low) * 0.06, timedelta(minutes=10))
    return low - pad, high + pad


def timeline_png(facts: ExposureFacts, downloads: dict | None) -> bytes:
    rows = milestones(facts, downloads)
    low, high = _span(rows, downloads)
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    grid = figure.add_gridspec(3, 1, height_ratios=(1.0, 1.15, 0.85), hspace=0.12,
                               left=0.11, right=0.97, top=0.9, bottom=0.02)
    top = figure.add_subplot(grid[0])
    bars = figure.add_subplot(grid[1], sharex=top)
    notes = figure.add_subplot(grid[2])
    title = f"Incident #{facts.number}: exposure timeline (UTC)"
    figure.suptitle(title, fontsize=FONT + 5, fontweight="bold", x=0.06, ha="left", y=0.975)
    figure.text(0.06, 0.925, f"{low:%a %d %b %Y}", fontsize=FONT - 1, color="#5f6368")

    start = next((r[2] for r in rows if r[0] == "published"), None)
    end = facts.taken_down_at
    for axis in (top, bars):
        if start is not None:
            axis.axvspan(start, end or high, color=EXPOSED, zorder=0, lw=0)
        axis.set_xlim(low, high)

    # milestones: one row each, label beside the dot, on the side with room
    top.set_ylim(len(rows) - 0.4, -0.6)
    middle = low + (high - low) / 2
    for y, (key, label, when) in enumerate(rows):
        color = COLORS[key]
        dashed = key == "target"
        top.axvline(when, color=color, lw=1.6, ls="--" if dashed else "-", alpha=0.55, zorder=1)
        bars.axvline(when, color=color, lw=1.6, ls="--" if dashed else "-", alpha=0.55, zorder=1)
        top.plot([when], [y], "o", ms=11, color=color, zorder=3, mfc="white" if dashed else color, mew=2.5)
        text = f"{label}  {when:%H:%M}"
        right = when <= middle
        top.annotate(text, (when, y), xytext=(12 if right else -12, 0), textcoords="offset points",
                     ha="left" if right else "right", va="center", fontsize=FONT, color="#202124", zorder=4)
    top.set_yticks([])
    top.tick_params(axis="x", labelbottom=False)
    for side in ("top", "right", "left"):
        top.spines[side].set_visible(False)
    if start is not None:
        top.text(0.99, 1.0, "shaded: exposed", transform=top.transAxes, ha="right", va="bottom",
                 fontsize=FONT - 3, color="#b3261e")

    _downloads_panel(bars, downloads, high)
    bars.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    bars.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
    bars.tick_params(labelsize=FONT - 2)

    notes.axis("off")
    notes.text(0, 1, "\n".join(_note_lines(facts, downloads, start)), va="top", ha="left", fontsize=FONT,
               color="#202124", linespacing=1.35, transform=notes.transAxes)

    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _downloads_panel(axis, downloads: dict | None, high: datetime) -> None:
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    hours = (downloads or {}).get("per_hour", [])
    if not hours:
        axis.set_yticks([])
        axis.text(0.5, 0.5, "No access logs read yet\n(/incident downloads with the log files)",
                  transform=axis.transAxes, ha="center", va="center", fontsize=FONT, color="#5f6368",
                  bbox={"facecolor": "white", "edgecolor": "none"}, zorder=5)
        return
    width = timedelta(hours=1) * 0.9
    starts = [_utc(h["hour"]) + timedelta(minutes=3) for h in hours]
    axis.bar(starts, [h["requests"] for h in hours], width=width, align="edge", color="#9aa0a6",
             label="requests", zorder=2)
    axis.bar(starts, [h["complete"] for h in hours], width=width, align="edge", color="#b3261e",
             label="complete downloads", zorder=3)
    axis.set_ylabel("per hour", fontsize=FONT - 1)
    axis.legend(loc="upper left", fontsize=FONT - 3, frameon=False, ncol=2, borderaxespad=0.1)
    peak = max(h["requests"] for h in hours)
    axis.set_ylim(0, peak * 1.7 + 1)
    for crawler in downloads.get("crawlers", []):
        axis.plot([_utc(crawler["first"])], [peak * 1.25 + 0.5], marker="v", ms=12, color="#6a1b9a", zorder=4)


def _note_lines(facts: ExposureFacts, downloads: dict | None, start: datetime | None) -> list[str]:
    lines = []
    if facts.taken_down_at:
        took = format_duration((facts.taken_down_at - facts.notified_at).total_seconds())
        lines.append(f"{'Notification' if facts.notified_given else 'Incident opened'} → takedown: {took}")
        if start is not None:
            lines.append(f"Exposed for {format_hours_minutes((facts.taken_down_at - start).total_seconds())}")
    else:
        lines.append("Not taken down yet")
    if downloads and not downloads.get("error"):
        lines.append(f"{downloads['downloads_complete']:,} complete downloads, {downloads['downloads_partial']:,} "
                     f"partial, {downloads['clients']:,} clients")
        crawlers = downloads.get("crawlers", [])
        if crawlers:
            lines.append("▼ crawlers (as their user agent claims):")
            named = [f"{c['name']} {_utc(c['first']):%H:%M}" for c in crawlers[:CRAWLERS_NAMED]]
            if len(crawlers) > CRAWLERS_NAMED:
                named.append(f"+{len(crawlers) - CRAWLERS_NAMED} more")
            line = "   "
            for name in named:   # wrapped by hand: a phone shows the picture whole, never scrolled
                if len(line) + len(name) > NOTE_WIDTH and line.strip():
                    lines.append(line.rstrip(" ·"))
                    line = "   "
                line += name + " · "
            lines.append(line.rstrip(" ·"))
    return lines
