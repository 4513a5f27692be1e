"""Decode fetched bytes to text: BOM, then HTTP charset, then <meta> charset, then UTF-8, then GB18030."""

from __future__ import annotations

import codecs
import re

# GB2312 and GBK pages routinely contain characters outside those sets; GB18030 is a superset.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
}
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


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when unknown or useless."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _ALIASES.get(codec, codec)


def sniff_encoding(data: bytes, content_type: str | None = None) -> str:
    """The encoding to decode `data` with, by the order in the module docstring."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        declared = normalise_charset(m.group(1))
        # Servers say iso-8859-1 when they mean "I don't know" (error pages, misconfigured CMS).
        if declared and declared not in ("latin-1", "iso8859-1", "ascii"):
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
