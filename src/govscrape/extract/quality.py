"""Text quality signals: mojibake (double-decoded UTF-8) and the share of traditional script."""

from __future__ import annotations

import re

from govscrape.model import Finding
from govscrape.parse.labels import T2S

# Common traditional characters with their simplified forms (pairs): enough to measure how
# traditional a page is. Not a converter (label matching has its own, govscrape.parse.labels).
_PAIRS = (
    "總总 體体 況况 動动 開开 處处 請请 復复 議议 訴诉 訟讼 問问 題题 進进 報报 項项 機机 關关 與与"
    " 為为 過过 個个 們们 這这 來来 時时 會会 發发 國国 區区 縣县 鄉乡 鎮镇 務务 資资 數数 條条 規规"
    " 範范 檔档 計计 結结 論论 辦办 單单 對对 當当 變变 實实 應应 專专 確确 產产 業业 歸归 導导 員员"
    " 說说 還还 點点 從从 權权 達达 場场 經经 濟济 農农 職职 責责 構构 選选 擇择 無无 寫写 書书 聯联"
    " 係系 繫系 網网 絡络 電电 話话 號号 碼码 營营 劃划 據据 庫库 圍围 護护 險险 衛卫 廳厅 環环 態态"
    " 歷历 廣广 莊庄 車车 門门 間间 類类 納纳 費费 罰罚 強强 執执 許许 證证 認认 識识 讀读 頁页 標标"
    " 準准 則则 舉举 傳传 訊讯 製制 徵征 稅税 醫医 療疗 藥药 衛卫 財财 審审 軍军 紀纪 訪访 訴诉 類类"
    " 補补 後后 仍仍 團团 體体 勞劳 動动 僅仅 稱称 續续 轉转 繼继 總总 維维 糾纠 駁驳 撤撤 銷销 屬属"
    " 內内 務务 擔担 訂订 級级 縣县 鄉乡 區区 廠厂 銀银 價价 債债 傷伤 險险 災灾 禍祸 辭辞 讓让 議议"
    " 佈布 瀏浏 覽览 閱阅 擊击 編编 輯辑 組组 詞词 鍵键 佈布"
)
# The measuring pairs, completed by the label normaliser's script table (one converter's data
# for both: a traditional form known to either is traditional, not rare or garbled).
TRADITIONAL_TO_SIMPLIFIED: dict[int, str] = {
    **{k: v for k, v in T2S.items() if 0x3400 <= k <= 0x9FFF},
    **{ord(pair[0]): pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]},
}
_TRAD_CHARS = "".join(sorted({chr(k) for k in TRADITIONAL_TO_SIMPLIFIED}))
_SIMP_CHARS = "".join(sorted(set(TRADITIONAL_TO_SIMPLIFIED.values())))
_TRAD_RE = re.compile(f"[{re.escape(_TRAD_CHARS)}]")
_SIMP_RE = re.compile(f"[{re.escape(_SIMP_CHARS)}]")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def has_traditional(text: str) -> bool:
    """Whether the text holds any of the common traditional forms."""
    return _TRAD_RE.search(text) is not None


def traditional_share(text: str) -> float | None:
    """Share of traditional forms among the characters that differ between the scripts."""
    if _TRAD_RE.search(text) is None:  # the common case, found without counting the page
        return 0.0 if _SIMP_RE.search(text) is not None else None
    trad = len(_TRAD_RE.findall(text))
    simp = len(_SIMP_RE.findall(text))
    return trad / (trad + simp)


def _level1_hanzi() -> str:
    """The 3755 most common characters (GB2312 level 1, lead bytes B0-D7)."""
    chars = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def _rare_class() -> str:
    """A regex class of the CJK characters outside GB2312 level 1, as code-point ranges."""
    common = {ord(c) for c in _level1_hanzi()}
    ranges, start = [], None
    for cp in range(0x4E00, 0xA000):
        if cp not in common and start is None:
            start = cp
        elif cp in common and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x9FFF))
    body = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"[\u3400-\u4dbf{body}]"


# UTF-8 bytes read as GBK land all over the code table, mostly on rare characters: official
# simplified prose is ~100% level-1 characters, traditional text ~65%, mojibake ~10-25%.
_RARE_RE = re.compile(_rare_class())
MOJIBAKE_RARE_SHARE = 0.6  # a line with more rare characters than this is mojibake
MOJIBAKE_MIN_CJK = 6  # lines shorter than this carry too little evidence
MOJIBAKE_MIN_RARE = 8  # fewer rare characters on the whole page: nothing to examine
MOJIBAKE_CHUNK_CHARS = 12  # short lines are judged in chunks of at least this many characters


def mojibake_lines(text: str) -> list[str]:
    """The stretches of `text` that look like double-decoded UTF-8 (闂備礁缍婂ḿ褔顢栭崱…).

    Short lines (navigation items) are judged together with their neighbours, so that a
    garbled menu of two-character items is seen as the garbled block it is.
    """
    if len(_RARE_RE.findall(_as_simplified(text))) < MOJIBAKE_MIN_RARE:
        return []
    bad = []
    for chunk in _chunks(text.splitlines()):
        # Traditional script is rare in GB2312 terms but not garbled: judge it as simplified.
        rare = len(_RARE_RE.findall(_as_simplified(chunk)))
        if rare < MOJIBAKE_MIN_CJK // 2:
            continue
        cjk = len(_CJK_RE.findall(chunk))
        if cjk >= MOJIBAKE_MIN_CJK and rare / cjk > MOJIBAKE_RARE_SHARE:
            bad.append(chunk)
    return bad


def _as_simplified(text: str) -> str:
    """The text with its traditional forms simplified. A page without any (the common case)
    is returned as it is: one regex scan instead of a dict lookup per character."""
    if _TRAD_RE.search(text) is None:
        return text
    return text.translate(TRADITIONAL_TO_SIMPLIFIED)


def _chunks(lines: list[str]) -> list[str]:
    """Consecutive lines joined until each chunk holds enough characters to judge."""
    chunks, buf, size = [], [], 0
    for line in lines:
        if not line.strip():
            continue
        buf.append(line.strip())
        size += len(line)
        if size >= MOJIBAKE_CHUNK_CHARS:
            chunks.append(" ".join(buf))
            buf, size = [], 0
    if buf:
        chunks.append(" ".join(buf))
    return chunks


def mojibake_finding(text: str) -> Finding | None:
    """A parse.mojibake warning when stretches of `text` are garbled; the rest is still read."""
    bad = mojibake_lines(text)
    if not bad:
        return None
    return Finding(
        code="parse.mojibake",
        severity="warning",
        message=(
            f"{len(bad)} stretch(es) of text look double-decoded (mojibake); "
            "they were kept as found and the rest of the page was read normally"
        ),
        found=len(bad),
        raw=bad[0][:200],
    )
