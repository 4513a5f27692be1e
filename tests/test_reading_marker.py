"""The reading marker: which pages a crawl process was reading when it died, read back."""

from __future__ import annotations

from govscrape.crawl.reading_marker import ReadingMarker, pages_being_read


def test_the_marker_names_the_pages_being_read_and_no_others(tmp_path):
    path = tmp_path / "crawl.reading"
    marker = ReadingMarker(path)
    marker.start("a", "http://127.0.0.1/a-rather-long-listing-page/index.html")
    marker.start("b", "http://127.0.0.1/b.html")
    marker.done("http://127.0.0.1/a-rather-long-listing-page/index.html")
    # Shorter content overwrote longer content in place: what follows the NUL is not read.
    assert pages_being_read(path) == [("b", "http://127.0.0.1/b.html")]
    marker.done("http://127.0.0.1/b.html")
    assert pages_being_read(path) == []


def test_a_crawl_that_ends_by_itself_leaves_no_marker(tmp_path):
    marker = ReadingMarker(tmp_path / "crawl.reading")
    marker.start("a", "http://127.0.0.1/a.html")
    marker.close()
    assert not (tmp_path / "crawl.reading").exists()
    assert pages_being_read(tmp_path / "crawl.reading") == []
