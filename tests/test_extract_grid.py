"""Tests for extract/grid.py: lexbor tag ids stand for the tags the HTML reader tells apart."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from govscrape.extract.grid import CELL_TAGS, tag_ids
from govscrape.extract.html import BLOCK_TAGS, SKIP_TAGS


def test_tag_ids_are_the_ids_of_those_tags_in_any_parsed_page():
    names = sorted(BLOCK_TAGS | SKIP_TAGS | CELL_TAGS)
    page = LexborHTMLParser("<body>" + "".join(f"<{n}>x</{n}>" for n in names) + "</body>")
    found = {node.tag: node.tag_id for node in page.root.traverse()}
    for name in names:
        if name in found:  # the parser moves or drops some (head, html) where they cannot stand
            assert tag_ids([name]) == {found[name]}, name


def test_tags_of_no_fixed_id_are_refused():
    # Word's <o:p> gets an id of its own in each page: no set of ids could hold it.
    with pytest.raises(ValueError, match="o:p"):
        tag_ids(["o:p"])
