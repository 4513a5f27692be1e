"""The generated blocks of docs/national-format.md and docs/portal-families.md (see docgen.py).

Each generator returns Markdown lines restating data the code runs on: the national format of
template.py, the deadlines of datasets/crossreport.py, and what the crawler and the extractor
recognise on portals. The prose around the blocks is written by hand in the docs themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from govscrape import agencies, template
from govscrape.crawl import antibot, link_wording, pagination
from govscrape.datasets import crossreport, schema
from govscrape.extract import fields, html_body
from govscrape.findings import CATALOGUE
from govscrape.parse import agency, meta, title

Blocks = Mapping[str, Callable[[], list[str]]]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table, followed by a blank line."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return [*lines, ""]


def cell(text: str) -> str:
    """Text made safe for one table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    return f"`{text}`"


def codes(texts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(code(t) for t in texts)


def matched(line: template.Line) -> str:
    """How a normalised printed label is recognised as this line."""
    keys = " / ".join(line.keys)
    return f"is {keys}" if line.exact else f"contains {keys}"


def _in(line: template.Line, name: str) -> str:
    return "yes" if name in line.templates else "—"


# --- docs/national-format.md ----------------------------------------------------------------


def section_block() -> list[str]:
    rows = [
        [line.label.split("、")[0], code(line.code), line.label, " / ".join(line.keys)]
        for line in template.SECTIONS
    ]
    return table(["#", "code", "heading (normalised)", "a heading matches when it contains"], rows)


def applicant_block() -> list[str]:
    lines = (*template.APPLICANTS, template.ORG_SUBTOTAL)
    rows = [[code(a.code), a.label, matched(a), a.meaning] for a in lines]
    return table(["code", "column header", "a header cell matches when it", "meaning"], rows)


def request_row_block() -> list[str]:
    counts = ", ".join(f"{name} {len(template.request_rows(name))}" for name in template.TEMPLATES)
    v2019, v2021 = template.V2019, template.V2021
    rows = [
        [code(r.code), r.label, _in(r, v2019), _in(r, v2021), matched(r)]
        for r in template.REQUEST_ROWS
    ]
    out = [f"Data rows in source order ({counts}; {len(template.APPLICANTS)} columns each):", ""]
    out += table(["code", "label (normalised)", v2019, v2021, "a row label matches when it"], rows)
    labels = {h.label: h for lines in template.REQUEST_HEADINGS.values() for h in lines}
    headings = [
        [label, ", ".join(t for t, lines in template.REQUEST_HEADINGS.items() if h in lines)]
        for label, h in labels.items()
    ]
    out += ["Category labels that stand in the grid without a data row of their own:", ""]
    return out + table(["label", "templates"], headings)


def active_disclosure_block() -> list[str]:
    items, metrics = [], []
    for name, blocks in template.ACTIVE_DISCLOSURE.items():
        for block in blocks:
            for item in block.items:
                items.append([name, block.group, code(item.code), item.label, matched(item)])
            for m in block.metrics:
                metrics.append([name, block.group, code(m.code), m.label, matched(m), m.unit or ""])
    out = ["Rows (`item`):", ""]
    out += table(["template", "block", "code", "label", "a row label matches when it"], items)
    out += ["Columns (`metric`):", ""]
    header = ["template", "block", "code", "header", "a header matches when it", "unit printed"]
    out += table(header, metrics)
    units = "; ".join(f"{printed} → {u}" for printed, u in template.ACTIVE_DISCLOSURE_HEADER_UNITS)
    optional = codes(sorted(template.OPTIONAL_ITEMS))
    return [
        *out,
        f"Rows a report may leave out without a `parse.missing_row` finding: {optional}.",
        f"A unit in a header cell applies to the cells below it: {units}.",
    ]


def review_block() -> list[str]:
    header = ["code", "header", "a header matches when it", "meaning"]
    proceedings = [[code(p.code), p.label, matched(p), p.meaning] for p in template.PROCEEDINGS]
    outcomes = [[code(o.code), o.label, matched(o), o.meaning] for o in template.OUTCOMES]
    size = len(template.PROCEEDINGS) * len(template.OUTCOMES)
    out = [f"Proceedings (`proceeding`), {size} values in all:", "", *table(header, proceedings)]
    return [*out, "Outcomes (`outcome`):", "", *table(header, outcomes)]


# What each cell kind holds, where no list of marks in template.py says it.
KIND_TEXT = {
    "number": "a number: thousands separators and decimals allowed, full-width digits too, "
    "a sign word before it and a unit after it (both below)",
    "blank": "nothing, or only spaces",
    "text": "anything else; the text is kept and a `parse.unreadable_cell` finding says so",
    "unread": "a value the parser could not place; its `parse.*` finding says why",
    "zero_or_blank": "a cell whose position text lost (blank cells vanished, cells glued): the "
    "table's arithmetic pins it to 0 but cannot tell a printed 0 from a blank; a "
    "`parse.zero_or_blank` finding says so, and validation counts it as 0",
}


def cell_kind_block() -> list[str]:
    marks = {
        "not_applicable": template.NOT_APPLICABLE_MARKS,
        "dash": template.DASH_MARKS,
        "none_word": template.NONE_WORDS,
    }
    rows = [
        [
            code(kind),
            KIND_TEXT.get(kind) or "exactly one of " + codes(sorted(marks[kind]), " "),
            "the number" if kind == "number" else "null",
        ]
        for kind in schema.CODE_LISTS["kind"]
    ]
    units = [[code(printed), u] for printed, u in template.CELL_UNITS.items()]
    signs = [[code(printed), f"{factor:+d}"] for printed, factor in template.CELL_SIGNS.items()]
    out = table(["kind", "the cell holds", "value"], rows)
    out += ["Units printed in a cell (kept in `unit`, never converted):", ""]
    out += table(["printed", "unit"], units)
    return [*out, "Signs printed before a number:", "", *table(["printed", "factor"], signs)]


def _sum(line_codes: Iterable[str]) -> str:
    """Codes joined by +, a run of one family (denied.state_secret, denied.…) as `denied.*`."""
    parts: list[str] = []
    for c in line_codes:
        family = c.split(".")[0] + ".*" if "." in c else c
        if not parts or parts[-1] != family:
            parts.append(family)
    return " + ".join(code(p) for p in parts)


def rule_block() -> list[str]:
    rows = [
        [
            code(r.code),
            code(r.table),
            f"each {r.per}",
            f"{_sum(r.lhs)} = {_sum(r.rhs)}",
            r.severity,
        ]
        for r in template.RULES
    ]
    out = table(["code", "table", "checked along", "identity", "severity"], rows)
    single = {r.code for r in template.RULES}
    across = [
        [code(c), entry.severity, entry.meaning]
        for c, entry in CATALOGUE.items()
        if c not in single and not c.startswith(("parse.", "meta.", "crawl.", "headline."))
    ]
    out += ["Across reports (checked when the datasets are built, datasets/crossreport.py):", ""]
    return out + table(["code", "severity", "rule"], across)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _years(first: int | None, last: int | None) -> str:
    if first is None:
        return "every year" if last is None else f"up to {last}"
    return f"{first} onwards" if last is None else f"{first}–{last}"


def deadline_block() -> list[str]:
    rows = [
        [
            codes(sorted(d.agency_kinds)),
            _years(d.first_year, d.last_year),
            f"{d.day} {MONTHS[d.month - 1]} of the following year",
        ]
        for d in crossreport.DEADLINES
    ]
    covered = {kind for d in crossreport.DEADLINES for kind in d.agency_kinds}
    free = codes(kind for kind in agencies.AGENCY_KINDS if kind not in covered)
    out = [*table(["agency kind", "statistical years", "due"], rows)]
    out += [f"Not covered by the article, so never late: {free}.", ""]
    names = [[code(ending + "$"), code(kind)] for ending, kind in agencies.KIND_BY_ENDING]
    out += ["An agency's kind, by the end of its own name (simplified script, a trailing note "
            "in brackets removed; first match wins; no match: unknown, and for a site in "
            "sites.toml `other`):", ""]  # fmt: skip
    return out + table(["the name matches", "agency kind"], names)


def detection_block() -> list[str]:
    rows = [
        [f"1. wording of {name} only", " · ".join(words)]
        for name, words in template.TEMPLATE_MARKERS.items()
    ]
    rows.append(["2. a row of table 三 both templates share: v2019",
                 " · ".join(template.REQUEST_TABLE_MARKERS)])  # fmt: skip
    rows.append([f"3. at least {template.LEGACY_MIN_MARKERS} pre-2019 wordings: legacy",
                 " · ".join(template.LEGACY_MARKERS)])  # fmt: skip
    return table(["rule", "wording"], rows)


def vocabulary_block() -> list[str]:
    rows = [[mirror, meant] for mirror, meant in template.VOCABULARY]
    return table(["after script conversion", "read as"], rows)


NATIONAL_FORMAT: Blocks = {
    "sections": section_block,
    "requests-columns": applicant_block,
    "requests-rows": request_row_block,
    "active-disclosure": active_disclosure_block,
    "review-litigation": review_block,
    "cell-kinds": cell_kind_block,
    "rules": rule_block,
    "deadlines": deadline_block,
    "detection": detection_block,
    "vocabulary": vocabulary_block,
}

# --- docs/portal-families.md ----------------------------------------------------------------


def body_selector_block() -> list[str]:
    rows = [[family, codes(selectors, " · ")] for family, selectors in html_body.BODY_SELECTORS]
    return table(["family", "selectors, in the order tried"], rows)


def challenge_block() -> list[str]:
    rows = [[label, code(pattern)] for _needles, pattern, label in antibot.CHALLENGE_MARKERS]
    statuses = ", ".join(str(s) for s in antibot.CHALLENGE_STATUSES)
    return [
        *table(["recorded as", "the top of the page matches"], rows),
        f"And `js challenge (HTTP <status>)`: an HTTP {statuses} answer whose body is a script "
        f"stub, or that sets one of the cookies {codes(antibot.CHALLENGE_COOKIES)}, unless its "
        "`Server` header names Cloudflare (whose 521 means the origin is down).",
    ]


def pager_block() -> list[str]:
    return [
        f"- next-page link texts: {codes(pagination.NEXT_PAGE_TEXTS, ' ')}",
        f"- last-page link texts: {codes(pagination.PAGE_LINK_TEXTS, ' ')}",
        f"- page-number query parameters: {codes(pagination.PAGE_PARAMS, ' ')}",
        f"- page-number paths: {code(pagination.PAGE_PATH.pattern)}",
        f"- a JS pager's pages are queued at most {pagination.PAGE_LOOKAHEAD} ahead of the "
        "current one",
    ]


def wording_block() -> list[str]:
    body = " · ".join(link_wording.REPORT_BODY_MARKERS)
    return [
        f"- a report link's text or title matches {code(link_wording.REPORT_TITLE)}",
        f"- and does not match (companions) {code(link_wording.COMPANION_TITLE)}",
        f"- a page carries the report itself when it holds two of: {body}",
        f"- file types a report may be published as: {codes(link_wording.ATTACHMENT_EXTS, ' ')}",
    ]


def metadata_block() -> list[str]:
    return [
        f"- labels of the 信息公开 block and the byline: {' · '.join(fields.FIELD_LABELS)}",
        f"- title: the first of {codes(title.TITLE_KEYS, ' → ')} that names a 报告 or 年报, "
        "else the first present",
        "- agency (`parse/agency.py`): the one the title names; else the first of "
        f"{codes(agency.PUBLISHER_FIELDS, ' → ')}; else the signature at the end (a name on the "
        f"line before a date); else the first of {codes(agency.SOURCE_FIELDS, ' → ')}; else "
        "the site's agency from sites.toml. A value must end like an agency's name.",
        f"- publication date: the first of {codes(meta.PUBLISHED_KEYS, ' → ')} that reads as a "
        "date, else the date in a TRS (`/tYYYYMMDD_`) or Hanweb (`/art/YYYY/M/D/`) URL",
        f"- values that name no agency: {' · '.join(sorted(agency.NOT_AGENCIES))}",
    ]


PORTAL_FAMILIES: Blocks = {
    "body-selectors": body_selector_block,
    "challenges": challenge_block,
    "pager-words": pager_block,
    "link-wording": wording_block,
    "metadata-keys": metadata_block,
}
