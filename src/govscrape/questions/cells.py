"""Cells of table 三 as the questions read them: applicant columns, zero-like kinds, descriptions."""

from __future__ import annotations

ORG_COLUMNS = ("commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANT_COLUMNS = ("natural_person", *ORG_COLUMNS)
AS_ZERO = frozenset({"blank", "dash", "none_word"})


def describe_cell(kind: str, raw: object) -> str:
    """Why a cell is not a number, for a reader: its kind and the text it held."""
    if kind == "missing":
        return "not in the table as read"
    if kind == "number":
        return f"not a whole number: {raw!r}"
    if kind == "conflict":
        return f"read twice, differently: {raw}"
    return f"{kind} {raw!r}" if raw not in (None, "") else kind


def unpack_cell(cell: tuple | None) -> tuple[int | None, str, object]:
    """(value, kind, raw) of an indexed cell; an absent cell is kind "missing"."""
    if cell is None:
        return None, "missing", None
    value, kind, *rest = cell
    return value, str(kind), rest[0] if rest else None
