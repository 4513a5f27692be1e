"""The docs: generated blocks filled between their markers, and cross-references that resolve.

Code comments and docs cite a doc's section as `docs/portal-families.md#pagination` (or, inside
docs/, as a Markdown link `national-format.md#blank-as-zero`); every such anchor must name a
heading of that doc, so renaming a heading breaks this test rather than the citations.
Whether the committed docs are up to date is checked in tests/test_schema.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govscrape.cli.docgen import PARTLY_GENERATED, fill_blocks

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS = REPO_ROOT / "docs"
CITING = ("src", "tests", "config", "bench", "docs")
# `docs/<doc>.md#<anchor>` anywhere; inside docs/ also `(<doc>.md#<anchor>)` and `(#<anchor>)`.
CITATION = re.compile(r"docs/([\w-]+\.md)(?:#([\w-]+))?")
DOC_LINK = re.compile(r"\]\((?:([\w-]+\.md))?#([\w-]+)\)")

BLOCKS = {"one": lambda: ["| a |", "|---|", "| 1 |"], "two": lambda: ["- two"]}
TEXT = """# Title

Prose before.

<!-- BEGIN GENERATED one (from somewhere) -->
stale
<!-- END GENERATED one -->

Prose between.

<!-- BEGIN GENERATED two -->
<!-- END GENERATED two -->
"""


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    """Every heading anchor of a Markdown file (headings inside code fences left out)."""
    found: set[str] = set()
    fenced = False
    for line in doc.read_text("utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"#{1,6} (.+)", line)):
            base = slug(m.group(1))
            name, n = base, 0
            while name in found:  # GitHub numbers repeated headings: name, name-1, name-2 …
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def citing_files() -> list[Path]:
    files = [REPO_ROOT / "README.md"]
    for folder in CITING:
        files += [
            p
            for p in sorted((REPO_ROOT / folder).rglob("*"))
            if p.is_file() and p.suffix in (".py", ".md", ".toml")
        ]
    return files


def citations() -> list[tuple[str, str, str | None]]:
    """(where, doc name, anchor or None) for every citation of a doc."""
    out = []
    for path in citing_files():
        text = path.read_text("utf-8")
        where = str(path.relative_to(REPO_ROOT))
        out += [(where, m.group(1), m.group(2)) for m in CITATION.finditer(text)]
        if path.parent == DOCS:
            out += [(where, m.group(1) or path.name, m.group(2)) for m in DOC_LINK.finditer(text)]
    return out


def test_every_cited_doc_and_section_exists():
    found = citations()
    assert any(name == "portal-families.md" and anchor for _, name, anchor in found)
    known = {doc.name: anchors(doc) for doc in DOCS.glob("*.md")}
    broken = [
        f"{where}: docs/{name}" + (f"#{anchor}" if anchor else "")
        for where, name, anchor in found
        if name not in known or (anchor is not None and anchor not in known[name])
    ]
    assert not broken, "citations of a missing doc or heading:\n" + "\n".join(broken)


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Challenges and WAF pages", "challenges-and-waf-pages"),
        ("robots.txt", "robotstxt"),
        ("Table 三: requests", "table-三-requests"),
        ("Section 六: the processing fee", "section-六-the-processing-fee"),
        ("`finding_code`", "finding_code"),
        ("JS-only lists", "js-only-lists"),
    ],
)
def test_slug_follows_github(heading, anchor):
    assert slug(heading) == anchor


def test_fill_blocks_rewrites_only_between_the_markers():
    out = fill_blocks(TEXT, BLOCKS, "t.md")
    assert "stale" not in out
    assert "<!-- BEGIN GENERATED one (from somewhere) -->\n\n| a |\n|---|\n| 1 |\n\n" in out
    assert "<!-- BEGIN GENERATED two -->\n\n- two\n\n<!-- END GENERATED two -->" in out
    assert out.replace("\n", "").startswith("# TitleProse before.")
    assert "Prose between." in out
    assert fill_blocks(out, BLOCKS, "t.md") == out  # filled once, stable


def test_fill_blocks_refuses_unknown_missing_and_repeated_blocks():
    with pytest.raises(ValueError, match="unknown generated block 'three'"):
        fill_blocks(TEXT + "<!-- BEGIN GENERATED three -->\n<!-- END GENERATED three -->\n",
                    BLOCKS, "t.md")  # fmt: skip
    with pytest.raises(ValueError, match=r"missing \['two'\]"):
        fill_blocks(TEXT.split("Prose between.")[0], BLOCKS, "t.md")
    twice = TEXT + "<!-- BEGIN GENERATED two -->\n<!-- END GENERATED two -->\n"
    with pytest.raises(ValueError, match=r"repeated \['two'\]"):
        fill_blocks(twice, BLOCKS, "t.md")


@pytest.mark.parametrize("name", sorted(PARTLY_GENERATED))
def test_every_generated_block_has_content(name):
    for block, generate in PARTLY_GENERATED[name].items():
        lines = generate()
        assert lines and any(line.strip() for line in lines), (name, block)
