"""A stand-in Word 97-2003 (.doc) file for the demo: an OLE compound file no reader here opens.

Many county offices still publish their report as a .doc. govscrape does not read the format
(binary Word needs a converter such as LibreOffice), so the demo only needs bytes that look like
one: a valid OLE compound-file header, a FAT, a directory naming a `WordDocument` stream, and a
stream that starts with Word's FIB magic and carries the title as UTF-16 text. Built in memory
from the report, byte-identical on every run (so the portal's ETag never changes).
"""

from __future__ import annotations

import struct

from govscrape.demo.report_numbers import DemoReport

SECTOR = 512
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
STREAM_SECTORS = 8  # 4096 bytes: at the mini-stream cutoff, so the stream lives in sectors
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
WORD_FIB_MAGIC = 0xA5EC


def build_doc(report: DemoReport) -> bytes:
    """The report "as a .doc": header, FAT (sector 0), directory (1), WordDocument (2…9)."""
    return _header() + _fat() + _directory() + _word_stream(report)


def _header() -> bytes:
    head = OLE_SIGNATURE + bytes(16)
    head += struct.pack("<HHHHH6x", 0x003E, 0x0003, 0xFFFE, 9, 6)  # v3, 512-byte sectors
    head += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    head += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108  # DIFAT: the FAT is sector 0
    return head


def _fat() -> bytes:
    chain = [FAT_SECTOR, END] + [3 + i for i in range(STREAM_SECTORS - 1)] + [END]
    return struct.pack(f"<{SECTOR // 4}I", *chain, *[FREE] * (SECTOR // 4 - len(chain)))


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NO_STREAM, NO_STREAM, child)
        + bytes(16 + 4 + 16)  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def _directory() -> bytes:
    root = _entry("Root Entry", 5, child=1, start=END, size=0)
    word = _entry("WordDocument", 2, child=NO_STREAM, start=2, size=STREAM_SECTORS * SECTOR)
    empty = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", *[NO_STREAM] * 3)
    empty = empty.ljust(128, b"\0")
    return root + word + empty + empty


def _word_stream(report: DemoReport) -> bytes:
    text = f"{report.title}\r{report.agency.office}\r{report.published:%Y年%m月%d日}\r"
    fib = struct.pack("<HHHH", WORD_FIB_MAGIC, 0x00C1, 0, 0x0804)  # Word 97, language zh-CN
    return (fib + bytes(0x600 - len(fib)) + text.encode("utf-16-le")).ljust(
        STREAM_SECTORS * SECTOR, b"\0"
    )
