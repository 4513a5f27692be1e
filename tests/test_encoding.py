"""Decoding fetched bytes: BOM, HTTP charset, <meta> charset, UTF-8, then GB18030."""

from __future__ import annotations

import pytest

from govscrape.encoding import decode_bytes, normalise_charset, sniff_encoding

TEXT = "云泽市教育局2023年政府信息公开工作年度报告"


def test_gbk_page_without_any_charset_is_decoded_as_gb18030():
    text, encoding = decode_bytes(f"<p>{TEXT}</p>".encode("gbk"))
    assert encoding == "gb18030" and TEXT in text


def test_meta_charset_gb2312_is_read_as_its_superset_gb18030():
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>{TEXT}'
    # 镕 is outside GB2312: a strict gb2312 decoder would fail on real pages like this
    page += "朱镕基"
    text, encoding = decode_bytes(page.encode("gb18030"))
    assert encoding == "gb18030" and "朱镕基" in text


def test_an_iso_8859_1_header_is_ignored_as_meaningless():
    data = f"<p>{TEXT}</p>".encode()
    assert sniff_encoding(data, "text/html; charset=ISO-8859-1") == "utf-8"


def test_the_http_header_wins_over_the_meta_tag():
    data = f"<meta charset=utf-8><p>{TEXT}".encode("gbk")
    text, encoding = decode_bytes(data, "text/html; charset=GBK")
    assert encoding == "gb18030" and TEXT in text


def test_a_bom_wins_over_everything():
    data = "\ufeff".encode() + f"<meta charset=gbk>{TEXT}".encode()
    text, encoding = decode_bytes(data, "text/html; charset=gbk")
    assert encoding == "utf-8-sig" and text.endswith(TEXT)


def test_a_wrong_declared_charset_falls_back_on_the_bytes_own_evidence():
    data = f"<meta charset=utf-8><p>{TEXT}".encode("gbk")
    text, encoding = decode_bytes(data)
    assert encoding == "gb18030" and TEXT in text


def test_unknown_charset_names_are_treated_as_undeclared():
    assert normalise_charset("x-no-such-charset") is None
    assert normalise_charset("GB2312") == "gb18030"


@pytest.mark.parametrize("label", ["rot13", "base64", "zlib", "undefined", "punycode", "hex"])
def test_a_charset_naming_a_non_text_codec_is_no_encoding(label):
    assert normalise_charset(label) is None
    page = f"<meta charset={label}><p>{TEXT}</p>".encode()
    text, encoding = decode_bytes(page, f"text/html; charset={label}")
    assert encoding == "utf-8" and TEXT in text


@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_utf16_declaration_on_a_byte_oriented_page_is_ignored(where):
    page = f"<meta charset={'utf-16' if where == 'meta' else 'utf-8'}><p>{TEXT}</p>"
    ctype = "text/html; charset=UTF-16" if where == "header" else None
    text, encoding = decode_bytes(page.encode(), ctype)
    assert encoding == "utf-8" and TEXT in text


def test_labels_resolve_by_the_whatwg_table():
    assert normalise_charset("x-gbk") == normalise_charset("gb_2312-80") == "gb18030"
    assert normalise_charset(" Big5 ") == "big5hkscs"
    assert normalise_charset("latin1") == "cp1252"  # windows-1252, as browsers read it
