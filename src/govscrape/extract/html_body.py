"""Locate the element of a report page that holds the report: CMS body containers, else tables."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govscrape.extract.grid import STAT_MIN_NUMBERS, TableShape, table_shape
from govscrape.template import STAT_TABLE_MARKERS

# Where the report body sits, per CMS family, most specific first
# (docs/portal-families.md#where-the-body-sits). The first selector with a substantial match
# wins; otherwise the element holding the tables does.
BODY_SELECTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "trs",
        (
            "div.TRS_Editor",
            "div.trs_editor_view",
            ".TRS_UEDITOR",
            "div.Custom_UnionStyle",
            "div.pages_content",
        ),
    ),
    ("hanweb", ("#zoom",)),
    ("kaipu", ("#UCAP-CONTENT",)),
    (
        "other",
        (
            "div.article-content",
            ".my_doccontent",
            "div.xl_main.articleBox",
            "div.article_content_01",
            "div.con1_text",
            "#contentText",
            "div.wz_con",
            "div.news_cont_d_wrap",
        ),
    ),
    # Legacy table-laid-out portals: the body cell or div carries the font-zoom id the page's
    # 字体[大 中 小] script resizes (ids are case-sensitive in standards mode, so both cases).
    (
        "legacy",
        (
            "#fontzoom",
            "#FontZoom",
            "#Zoom",
            "#zoomcon",
            "div.zoom",
            "div.article_con",
            "#article_content",
            "#ArticleContent",
        ),
    ),
    ("generic", ("div.content", "#content", "article")),
)
# CMS body containers are trusted when they hold any text; generic names (div.content) are
# also used for navigation boxes, so they must hold a table or this much text.
GENERIC_FAMILIES = frozenset(("generic",))
BODY_MIN_CHARS = 200  # a selector match with less text (and no table) is a template stub


def contains(ancestor: LexborNode, node: LexborNode) -> bool:
    """Whether `node` stands within `ancestor` (below it, not the node itself)."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def table_shapes(
    tree: LexborHTMLParser, tables: list[LexborNode] | None = None
) -> dict[int, tuple[LexborNode, TableShape]]:
    """Every table of the page (`tables`, when already queried) by mem_id, with what its cells
    hold."""
    return {
        t.mem_id: (t, table_shape(t)) for t in (tree.css("table") if tables is None else tables)
    }


def find_body(
    tree: LexborHTMLParser, shapes: dict[int, tuple[LexborNode, TableShape]] | None = None
) -> tuple[LexborNode | None, str]:
    """The element holding the report and the name of the CMS family that located it.

    A report table standing outside the selected container (a sibling block) widens the body
    to hold it; without a container, the report tables (else tables of numbers) locate it.
    """
    shapes = table_shapes(tree) if shapes is None else shapes
    data_tables = [(t, shape) for t, shape in shapes.values() if not shape.layout]
    report_tables = [t for t, _ in data_tables if _names_report_table(t)]
    body, family = _selected_body(tree)
    if body is not None:
        outside = [t for t in report_tables if not contains(body, t)]
        return (
            (_common_ancestor([body, *outside]), f"{family}+tables") if outside else (body, family)
        )
    numeric = [t for t, shape in data_tables if shape.numbers >= STAT_MIN_NUMBERS]
    if report_tables or numeric:
        return _common_ancestor(report_tables or numeric), "tables"
    return tree.body, "page"


def _selected_body(tree: LexborHTMLParser) -> tuple[LexborNode | None, str]:
    # One query per selector: lexbor runs a single simple selector far faster than a long list.
    for family, selectors in BODY_SELECTORS:
        for selector in selectors:
            best = _best_match(tree.css(selector))
            if best is not None and _substantial(best, family in GENERIC_FAMILIES):
                return best, family
    return None, "page"


def _names_report_table(table: LexborNode) -> bool:
    text = table.text(deep=True)
    return any(marker in text for marker in STAT_TABLE_MARKERS)


def _best_match(nodes: list[LexborNode]) -> LexborNode | None:
    if len(nodes) <= 1:  # the common case: no text to measure
        return nodes[0] if nodes else None
    return max(nodes, key=lambda n: len(n.text(deep=True)))


def _substantial(node: LexborNode, generic: bool) -> bool:
    if node.css_first("table") is not None:
        return True
    text = node.text(deep=True).strip()
    return len(text) >= BODY_MIN_CHARS if generic else bool(text)


def _common_ancestor(nodes: list[LexborNode]) -> LexborNode:
    chain = _ancestors(nodes[0])
    ids = [n.mem_id for n in chain]
    depth = len(chain) - 1
    for node in nodes[1:]:
        seen = {n.mem_id for n in _ancestors(node)}
        while depth > 0 and ids[depth] not in seen:
            depth -= 1
    common = chain[depth]
    # A lone table is the body only if nothing else around it is report text.
    return common.parent if common.tag == "table" and common.parent is not None else common


def _ancestors(node: LexborNode) -> list[LexborNode]:
    chain = [node]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return chain[::-1]
