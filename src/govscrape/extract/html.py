"""Read a report page's HTML into a Document: body text lines, tables as grids, page metadata."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govscrape.document import Block, Document, Grid
from govscrape.extract.fields import scan_fields
from govscrape.extract.grid import build_grid, is_statistical, tag_ids
from govscrape.extract.html_body import contains, find_body, table_shapes
from govscrape.extract.limits import Budget, limit
from govscrape.extract.normalise import normalise_text
from govscrape.extract.quality import mojibake_finding, page_quality, traditional_share
from govscrape.extract.text import is_title_like, text_form
from govscrape.findings import finding
from govscrape.model import Finding

# Elements whose content is not page text.
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "map",
    ]
)
NON_TEXT_TAGS = ("script", "style", "noscript", "template")  # removed before text is read
# Elements that start and end a line of text.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "aside",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "center",
        "form",
        "fieldset",
        "legend",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "hr",
        "body",
        "html",
    ]
)
# Lines near the top of the body that may still carry the byline.
BODY_FIELD_LINES = 40
# Read as a whole (no container found), a page's body lines start with its header and
# navigation (a legacy layout's left column) before the title and byline.
PAGE_FIELD_LINES = 150
HEADING_SCAN_PIECES = 60  # the displayed title stands among the first text pieces near the body
_SENTENCE = re.compile("[。，；]")  # a line with these is prose mentioning the report, not a title
# How far above the body the title, byline and 信息公开 block are looked for.
CHROME_LEVELS = 4


@dataclass(slots=True)
class _Collector:
    """Accumulates blocks in document order while the tree is walked once."""

    blocks: list[Block] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    layout: frozenset[int] = frozenset()  # mem_ids of the page's layout tables
    budget: Budget | None = None  # the document's, for the cells its grids may fill
    texts: dict[int, str] = field(default_factory=dict)  # see text_of

    def flush(self) -> None:
        if self.pieces:
            line = normalise_text("".join(self.pieces))
            self.pieces.clear()
            if line:
                self.blocks.append(line)

    def lines(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    def text_of(self, node: LexborNode) -> str:
        """The node's text, a newline between pieces, read once: the region around the body
        is mostly the page's whole <body>, which the quality checks read as well."""
        text = self.texts.get(node.mem_id)
        if text is None:
            text = self.texts[node.mem_id] = node.text(deep=True, separator="\n")
        return text


def _node_ids() -> tuple[int, int]:
    """Lexbor's ids of text and comment nodes (tag names -text and -comment)."""
    probe = LexborHTMLParser("<p>text<!-- comment --></p>").css_first("p")
    assert probe is not None
    text, comment = (node.tag_id for node in probe.iter(include_text=True))
    return text, comment


# The tags _walk tells apart, by lexbor's ids: read faster than names, for every node.
_TEXT_ID, _COMMENT_ID = _node_ids()
_SKIP_IDS = tag_ids(SKIP_TAGS) | {_COMMENT_ID}
_TABLE_ID = next(iter(tag_ids(["table"])))
_BREAK_IDS = tag_ids(["br", "hr"])
_BLOCK_IDS = tag_ids(BLOCK_TAGS)


def _walk(node: LexborNode, out: _Collector) -> None:
    """Walk the children in order: text into lines, data tables into grids."""
    pieces = out.pieces  # flush() empties it in place: the same list throughout
    for child in node.iter(include_text=True):
        tag = child.tag_id
        if tag == _TEXT_ID:
            pieces.append(child.text_content or "")
        elif tag in _SKIP_IDS:
            continue
        elif tag == _TABLE_ID:
            if pieces:
                out.flush()
            _table(child, out)
        elif tag in _BREAK_IDS:
            if pieces:
                out.flush()
        elif tag in _BLOCK_IDS:
            if pieces:
                out.flush()
            _walk(child, out)
            if pieces:
                out.flush()
        else:
            _walk(child, out)


def _table(node: LexborNode, out: _Collector) -> None:
    """A data table becomes a Grid; a layout table is walked for its content."""
    if node.mem_id in out.layout:
        _walk(node, out)
        out.flush()
    elif (grid := build_grid(node, out.budget)) is not None:
        out.blocks.append(grid)


def _metas(tree: LexborHTMLParser) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and (text := normalise_text(title.text(deep=True))):
        meta["title"] = text
    for node in tree.css("meta"):
        attrs = node.attributes
        name = attrs.get("name") or attrs.get("property")
        content = attrs.get("content")
        if name and content and (value := normalise_text(content)):
            meta.setdefault(name.strip(), value)
    return meta


# Elements that close themselves or are closed by their next sibling (p, li, td …): open tags
# of these do not make a page deep, so the depth scan skips them.
_SHALLOW = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "td",
        "th",
        "tr",
        "dt",
        "dd",
        "option",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rt",
        "rp",
        "optgroup",
    ]
)
_TAG_EDGE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_BREAKS = re.compile(r"<(?:br|/?(?:p|div|tr|li|h[1-6]|table))\b[^<>]*>", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")


def nesting_depth(text: str, encoded: bytes | None = None) -> int:
    """How deep the page's elements nest, counted from its tags in one pass (an upper bound:
    an element never closed counts as open to the end). Pages with few unclosed tags, all
    real reports, are let through on two counts, made on `encoded` (the text in UTF-8, where
    counting is faster; no multi-byte character holds a `<` or `/` byte) when given."""
    if encoded is not None:
        unclosed = encoded.count(b"<") - 2 * encoded.count(b"</")
    else:
        unclosed = text.count("<") - 2 * text.count("</")
    if unclosed < limit("nesting"):
        return 0
    depth = deepest = 0
    for m in _TAG_EDGE.finditer(text):
        if m.group(3) or m.group(2).lower() in _SHALLOW:
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _deep_page(text: str, budget: Budget) -> Document:
    """A page nested too deeply to parse in time: its text by tags stripped, one pass."""
    budget.reach("nesting", "the page was read as flat text, without its markup")
    text = html_lib.unescape(_ANY_TAG.sub(" ", _BREAKS.sub("\n", text)))
    lines = [line for raw in text.split("\n") if (line := normalise_text(raw))]
    return Document(source_form="html_text", blocks=list(lines), findings=budget.findings)


def extract_html(text: str, budget: Budget | None = None) -> Document:
    """Parse the page once, walk it once: body blocks, chrome lines for fields, metas."""
    budget = budget or Budget()
    # The bytes the parser is fed (it encodes text so itself), encoded once for both.
    encoded = text.encode("utf-8", errors="ignore")
    if nesting_depth(text, encoded) > limit("nesting"):
        return _deep_page(text, budget)
    tree = LexborHTMLParser(encoded)
    meta = _metas(tree)
    tree.strip_tags(list(NON_TEXT_TAGS))
    findings = budget.findings
    tables = tree.css("table")
    if len(tables) > limit("tables"):  # counted by lexbor, before any is looked at
        # Too many tables to weigh each (nested ones cost the square of their number): the
        # page is read as flat text, like markup too deeply nested to walk.
        budget.reach("tables", "the page's tables were read as text lines, not grids")
        chrome: list[str] = []
        body, family, inner = None, "page", _flat_text(tree.body or tree.root)
        walked = tree.body or tree.root
    else:
        shapes = table_shapes(tree, tables)
        body, family = find_body(tree, shapes)
        layout = frozenset(key for key, (_, shape) in shapes.items() if shape.layout)
        walked = body or tree.body or tree.root
        try:
            chrome, inner = _collect(tree, body, layout, budget)
        except RecursionError:  # pathologically nested markup: fall back on flat text
            chrome, inner = [], _flat_text(body or tree.root)
            walked = body or tree.root
            findings.append(_flat_finding())
    meta["body_selector"] = family
    body_lines = inner.lines()
    top = body_lines[: PAGE_FIELD_LINES if family == "page" else BODY_FIELD_LINES]
    for key, value in scan_fields(chrome + top).items():
        meta.setdefault(key, value)
    # A page read as a whole has no chrome: its title (an <h1>, a legacy layout's title row) is
    # among its own first lines; otherwise the title stands in the chrome above the body.
    places = (top, chrome) if family == "page" or not chrome else (chrome, top)
    if heading := next((h for lines in places if (h := _heading(lines))), None):
        meta.setdefault("heading", heading)
    doc = Document(
        source_form=_form(inner.blocks),
        blocks=inner.blocks,
        title=meta.get("ArticleTitle") or meta.get("heading") or meta.get("title"),
        meta=meta,
        findings=findings,
    )
    if doc.source_form == "html_text":
        # How the tables' cells stand in the lines (cell per line, pipes, rows): a hint.
        doc.meta["text_form"] = text_form(body_lines)
    _quality(doc, tree, inner, body_lines, walked)
    return doc


def _collect(
    tree: LexborHTMLParser, body: LexborNode | None, layout: frozenset[int], budget: Budget
) -> tuple[list[str], _Collector]:
    """(chrome lines near the body, report body blocks)."""
    inner = _Collector(layout=layout, budget=budget)
    page = tree.body if tree.body is not None else tree.root
    if page is None:
        return [], inner
    if body is None or body.mem_id == page.mem_id:
        _walk(page, inner)
        inner.flush()
        return [], inner
    _walk(body, inner)
    inner.flush()
    return _chrome_lines(_chrome_root(body), body, inner), inner


def _chrome_lines(region: LexborNode, body: LexborNode, out: _Collector) -> list[str]:
    """Text pieces of the region around the body, the body cut out. Pieces, not lines: the
    field scanner only needs label and value apart, which separate text nodes already are."""
    text = out.text_of(region)
    inner = body.text(deep=True, separator="\n")
    at = text.find(inner) if inner and not inner.isspace() else -1  # not blank
    if at >= 0:
        text = text[:at] + "\n" + text[at + len(inner) :]
    return [line for raw in text.split("\n") if (line := normalise_text(raw))]


def _chrome_root(body: LexborNode) -> LexborNode:
    """The body's ancestor up to CHROME_LEVELS up: where title, byline and the 信息公开 block
    stand, mostly without the site's navigation and footer."""
    node = body.parent or body
    for _ in range(CHROME_LEVELS - 1):
        parent = node.parent
        if node.tag in ("body", "html") or parent is None or parent.tag in ("html", "-document"):
            break
        node = parent
    return node


def _flat_text(node: LexborNode | None) -> _Collector:
    out = _Collector()
    text = node.text(deep=True, separator="\n") if node is not None else ""
    out.blocks.extend(line for raw in text.split("\n") if (line := normalise_text(raw)))
    return out


def _flat_finding() -> Finding:
    return finding(
        "parse.flattened_html",
        "markup nested too deeply to walk; the page was read as flat text (tables as text "
        "lines, not grids)",
    )


def _heading(lines: list[str]) -> str | None:
    """The report title as displayed above the body (h1, a title div or table row)."""
    return next(
        (
            line
            for line in lines[:HEADING_SCAN_PIECES]
            if is_title_like(line) and not _SENTENCE.search(line)
        ),
        None,
    )


def _form(blocks: list[Block]) -> str:
    return (
        "html_table"
        if any(isinstance(b, Grid) and is_statistical(b) for b in blocks)
        else "html_text"
    )


def _within(node: LexborNode, page: LexborNode) -> bool:
    return node.mem_id == page.mem_id or contains(page, node)


def _quality(
    doc: Document,
    tree: LexborHTMLParser,
    inner: _Collector,
    body_lines: list[str],
    walked: LexborNode | None,
) -> None:
    """Mojibake anywhere on the page (often only its header), and how traditional the body is
    (its lines were read from `walked`)."""
    page = doc.meta.get("title", "") + "\n"
    if tree.body is not None:
        page += inner.text_of(tree.body)
    body = "".join(body_lines)
    if walked is not None and tree.body is not None and _within(walked, tree.body):
        finding, share = page_quality(page, body)  # the body's text is the page's: one scan
    else:
        finding, share = mojibake_finding(page), traditional_share(body)
    if finding:
        doc.findings.append(finding)
    if share is not None and share > 0:
        doc.meta["traditional_share"] = f"{share:.2f}"
