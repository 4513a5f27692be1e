"""Decode fetched bytes to text: BOM, then HTTP charset, then <meta> charset, then UTF-8, then GB18030."""

from __future__ import annotations

import codecs
import re

import webencodings

# Declared charsets are resolved as browsers resolve them, by the WHATWG Encoding Standard's
# label table (webencodings): a label outside it (rot13, base64, zlib, punycode, undefined) is
# no encoding at all, and is treated as undeclared rather than looked up as a Python codec.
# WHATWG encoding name -> the Python codec that decodes it. The Standard's GBK decoder is its
# GB18030 decoder: GB2312 and GBK pages routinely hold characters outside those sets.
_PYTHON_CODECS = {"gbk": "gb18030", "gb18030": "gb18030", "utf-8": "utf-8"}
# Never taken from a declaration: UTF-16 declared on a byte-oriented page is ignored, as
# browsers do (a real UTF-16 page has a BOM, read first); "replacement" stands for encodings
# the Standard refuses (ISO-2022-KR, HZ …); x-user-defined has no Python codec.
_IGNORED = frozenset({"utf-16le", "utf-16be", "replacement", "x-user-defined"})
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# How far into a page to look for <meta charset>: the HTML spec says 1024 bytes, real gov
# pages put long comments and scripts first.
META_SCAN_BYTES = 4096
# Servers say iso-8859-1 (windows-1252 to the Standard) when they mean "I don't know" (error
# pages, misconfigured CMS): from the HTTP header it is ignored.
_MEANINGLESS_HEADER = frozenset({"cp1252"})


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None when it names no encoding
    (by the WHATWG label table) or one never taken from a declaration (UTF-16)."""
    if not name:
        return None
    encoding = webencodings.lookup(name.strip().strip("\"'"))
    if encoding is None or encoding.name in _IGNORED:
        return None
    return _PYTHON_CODECS.get(encoding.name) or encoding.codec_info.name


def sniff_encoding(data: bytes, content_type: str | None = None) -> str:
    """The encoding to decode `data` with, by the order in the module docstring."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        declared = normalise_charset(m.group(1))
        if declared and declared not in _MEANINGLESS_HEADER:
            return declared
    if mb := _META_CHARSET.search(data[:META_SCAN_BYTES]):
        declared = normalise_charset(mb.group(1).decode("ascii", "replace"))
        if declared:
            return declared
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode to (text, encoding used); undecodable bytes become U+FFFD rather than failing."""
    encoding = sniff_encoding(data, content_type)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        # A declared charset can be wrong; fall back on the data's own evidence.
        for fallback in ("utf-8", "gb18030"):
            try:
                return data.decode(fallback), fallback
            except UnicodeDecodeError:
                continue
        return data.decode(encoding, errors="replace"), encoding
