"""The documentation: the README is a newcomer's page (short; reference lives in docs/), no line
of one page is repeated in another, and the README's commands and links point at real things."""

from __future__ import annotations

import re

from tests.helpers.bot_process import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: generated from the real bot; it quotes help texts on purpose
GENERATED = {"slack-transcript.md"}


def test_no_line_is_repeated_across_pages():
    seen: dict[str, str] = {}
    repeated = []
    for page in PAGES:
        if page.name in GENERATED:
            continue
        for line in page.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) < 60 or line.startswith(("|---", "```")):
                continue
            if line in seen and seen[line] != page.name:
                repeated.append(f"{page.name} repeats {seen[line]}: {line[:70]}")
            seen.setdefault(line, page.name)
    assert not repeated, repeated


def test_the_readme_is_short_and_its_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
    assert "python -m bot" in readme and "pytest" in readme


def test_the_architecture_names_every_module():
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    unnamed = []
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "commands").glob("*.py")]):
        stem = path.stem
        if stem == "__init__" or "__pycache__" in path.parts:
            continue
        if not re.search(rf"(?<![\w/]){re.escape(stem)}(\.py)?(?!\w)", doc):
            unnamed.append(str(path.relative_to(ROOT)))
    assert not unnamed, f"docs/ARCHITECTURE.md does not name: {unnamed}"
