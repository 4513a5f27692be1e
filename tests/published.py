"""The published reports vendored under tests/fixtures/published (see PROVENANCE.md there)."""

from __future__ import annotations

import json
from pathlib import Path

FOLDER = Path(__file__).parent / "fixtures" / "published"
SEED = FOLDER / "xiangxi-hitech-zone-2020.txt"  # page text, v2019, the seed case (总计 0, 自然人 1)
HUAIAN_PDF = FOLDER / "huaian-city-2024.pdf"  # a real city report as PDF, v2021


def expected(document: Path) -> dict:
    """The hand-read values of a vendored report."""
    return json.loads(document.with_suffix(".expected.json").read_text(encoding="utf-8"))
