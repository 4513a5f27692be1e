"""Page skeletons of the legacy GB2312 host (the development zone): table layout, mojibake."""

from __future__ import annotations

from datetime import datetime

from govscrape.demo.pages_common import Item, day_text, esc
from govscrape.demo.report_numbers import DemoReport

ZONE_NAME = "云泽高新技术产业开发区管理委员会"
ZONE_NAV = ("首页", "新闻中心", "政务公开", "招商引资", "互动交流")


def mojibake(text: str) -> str:
    """`text` as a GB2312 page shows it when its UTF-8 bytes were pasted in unconverted: the
    bytes read as GBK, an unpaired byte turned into "?" by the editor that saved the file."""
    return text.encode("utf-8").decode("gbk", errors="replace").replace("\ufffd", "?")


def legacy_head(title: str, *, garbled: bool = False) -> str:
    """<head>, banner and nav of the legacy host; `garbled`: the template's header include
    was saved as UTF-8, so title, banner and nav are mojibake on this page
    (docs/portal-families.md#encodings)."""
    fix = mojibake if garbled else (lambda text: text)
    nav = "　".join(f'<a href="/">{esc(fix(item))}</a>' for item in ZONE_NAV)
    return (
        '<html>\n<head>\n<meta charset="gb2312">\n'
        f"<title>{esc(fix(title + '--云泽高新区'))}</title>\n</head>\n"
        '<body topmargin="0">\n<table width="980" align="center" class="top">'
        f"<tr><td>{esc(fix(ZONE_NAME))}</td></tr></table>\n"
        f'<table width="980" align="center" class="nav"><tr><td>{nav}</td></tr></table>\n'
    )


def legacy_detail(report: DemoReport, body: str, *, garbled: bool = False) -> str:
    """A legacy article laid out with tables, as 2000s ASP sites are: title, byline and body
    each in a full-width one-cell table, the body in `td#fontzoom`."""
    title = report.title
    return (
        legacy_head(title, garbled=garbled)
        + '<table width="980" align="center" class="title">'
        + f'<tr><td class="title" align="center">{esc(title)}</td></tr></table>\n'
        + '<table width="980" align="center" class="info"><tr><td align="center">'
        + f"来源：{esc(report.agency.office)}　　发布日期：{day_text(report.published)}"
        + f"　　点击数：{report.doc_id % 977}</td></tr></table>\n"
        + '<table width="980" align="center" class="content" cellpadding="10">'
        + f'<tr><td id="fontzoom">\n{body}\n</td></tr></table>\n'
        + "</body>\n</html>\n"
    )


def legacy_listing(items: list[Item], page: int, pages: int) -> str:
    rows = "\n".join(
        f'<tr><td width="85%">·<a href="{it.href}" target="_blank">{esc(it.title)}</a></td>'
        f'<td width="15%">{day_text(it.date)}</td></tr>'
        for it in items
    )
    links = " ".join(
        f"<b>{n}</b>" if n == page else f'<a href="{n}.html">{n}</a>' for n in range(1, pages + 1)
    )
    if page < pages:
        links += f' <a href="{page + 1}.html">下一页</a> <a href="{pages}.html">尾页</a>'

    return (
        legacy_head("政府信息公开年报")
        + f'<table width="980" align="center" class="list">\n{rows}\n</table>\n'
        + f'<div align="center">共{pages}页 第{page}页 {links}</div>\n</body>\n</html>\n'
    )


def legacy_page(title: str, when: datetime, text: str) -> str:
    return (
        legacy_head(title)
        + f'<table width="980" align="center"><tr><td class="title">{esc(title)}</td></tr>'
        + f"<tr><td>发布日期：{day_text(when)}</td></tr>"
        + f'<tr><td id="fontzoom">{esc(text)}</td></tr></table>\n</body>\n</html>\n'
    )
