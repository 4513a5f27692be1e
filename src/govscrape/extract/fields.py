"""Labelled metadata fields on report pages: the 信息公开 block (索引号…) and the byline (来源…)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from govscrape.labels import has_traditional, to_simplified

# Labels as printed (docs/portal-families.md#metadata-fields), longest first where one contains
# another. Stop labels (字体, 浏览次数 …) are kept too: they end the value of the label before them.
FIELD_LABELS: tuple[str, ...] = (
    "索引号",
    "主题分类",
    "题裁分类",
    "体裁分类",
    "组配分类",
    "分类",
    "发布机构",
    "发布部门",
    "发文机关",
    "发文机构",
    "公开方式",
    "公开范围",
    "成文日期",
    "发文日期",
    "发布日期",
    "发布时间",
    "生成日期",
    "归档时间",
    "发文字号",
    "文号",
    "名称",
    "标题",
    "主题词",
    "关键词",
    "有效性",
    "信息来源",
    "文章来源",
    "来源",
    "作者",
    "责任编辑",
    "浏览次数",
    "点击数",
    "阅读次数",
    "访问量",
    "字体大小",
    "字体",
    "字号",
    "网站标识码",
)
# Labels whose value never stands on the next line (page furniture such as 字体：[大 中 小]).
INLINE_ONLY = frozenset(
    ("字体大小", "字体", "字号", "浏览次数", "点击数", "阅读次数", "访问量", "作者")
)
BYLINE_DATE = "byline_date"  # a date standing unlabelled before a byline's first label
VALUE_MAX_CHARS = 100
LINE_MAX_CHARS = 400  # longer lines are prose
LABEL_MAX_CHARS = 12  # a label standing alone (its value in the next cell) is this short  # a longer "value" on the next line is prose, not a field value

_GAP = "[ \u3000\xa0]*"
_LABEL_ALT = "|".join(_GAP.join(map(re.escape, label)) for label in FIELD_LABELS)
# A label starts a line or follows a space, a bracket, a separator or a date ("…26日来源:").
_LABEL_RE = re.compile(
    rf"(?<![^\s|｜】\]）)：:;；，,、\d日])(?P<label>{_LABEL_ALT}){_GAP}(?:[:：]|$)"
)
_FIRST_CHARS = frozenset(label[0] for label in FIELD_LABELS)
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_VALUE_END = re.compile(r"[\[【]")
_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)


def _clean(value: str) -> str:
    value = _VALUE_END.split(value, maxsplit=1)[0]
    return _SPACES.sub(" ", value).strip(" |｜")


def _may_hold_label(line: str) -> bool:
    """Cheap filter: a field has a colon, or its label stands alone on the line."""
    if len(line) > LINE_MAX_CHARS:
        return False
    if "：" in line or ":" in line:
        return True
    return len(line) <= LABEL_MAX_CHARS and line[0] in _FIRST_CHARS


def scan_fields(lines: Iterable[str]) -> dict[str, str]:
    """Label → value for every labelled field found, first occurrence winning."""
    fields: dict[str, str] = {}
    pending: str | None = None  # a label whose value is on the next line
    lines = list(lines)
    traditional = has_traditional("\n".join(lines))
    for line in lines:
        # Labels are found in simplified script (發布時間 is 发布时间); values are cut from the
        # line as printed, so a conversion that changed the line's length is not used.
        probe = line
        if traditional and ("：" in line or ":" in line or len(line) <= LABEL_MAX_CHARS):
            simplified = to_simplified(line)
            probe = simplified if len(simplified) == len(line) else line
        matches = list(_LABEL_RE.finditer(probe)) if _may_hold_label(probe) else []
        if pending and not matches and len(line) <= VALUE_MAX_CHARS:
            fields.setdefault(pending, _clean(line))
        pending = None
        if not matches:
            continue
        head = _DATE.search(line[: matches[0].start()])
        if head:
            fields.setdefault(BYLINE_DATE, head.group(0))
        for i, m in enumerate(matches):
            label = _SPACES.sub("", m.group("label"))
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = _clean(line[m.end() : end])
            if value:
                fields.setdefault(label, value)
            elif i + 1 == len(matches) and label not in INLINE_ONLY:
                pending = label
    return fields
