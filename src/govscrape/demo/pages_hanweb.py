"""Page skeletons of the Hanweb-like CMS (the county): table lists, 信息公开元数据, jpage columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from govscrape.demo.pages_common import Host, Item, day_text, esc, index_code, minute_text
from govscrape.demo.report_numbers import DemoReport


def hanweb_head(host: Host, title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" '
        f'content="text/html; charset=utf-8">\n{extra}<title>{esc(title)}</title>\n</head>\n'
        f'<body>\n<div id="header"><h2>{esc(host.name)}</h2></div>\n'
    )


def hanweb_detail(host: Host, report: DemoReport, body: str, attachment: str | None = None) -> str:
    """A Hanweb article: metas, 信息公开元数据 table, title, div#zoom, optional attachment
    (a link to the download module, inside the body as Hanweb's editor puts it)."""
    office, title = report.agency.office, report.title
    if attachment:
        name = f"{title}.{attachment.rsplit('.', 1)[-1]}"  # the download names the file's type
        body += f'\n<p>附件：<a href="{esc(attachment)}" target="_blank">{esc(name)}</a></p>'

    metas = (
        f'<meta name="ArticleTitle" content="{esc(title)}">\n'
        f'<meta name="PubDate" content="{minute_text(report.published)}">\n'
        f'<meta name="ContentSource" content="{esc(office)}">\n'
    )
    meta_table = (
        '<table class="xxgk_yuan"><tr><th colspan="4">信息公开元数据</th></tr>'
        f"<tr><td>索引号</td><td>{index_code(report)}</td><td>发布机构</td><td>{esc(office)}</td></tr>"
        f"<tr><td>生成日期</td><td>{day_text(report.published)}</td><td>公开方式</td><td>主动公开</td></tr>"
        "</table>\n"
    )
    return (
        hanweb_head(host, title, metas)
        + meta_table
        + f'<div class="article"><p class="title">{esc(title)}</p>\n'
        + f'<p class="info">发布日期：{day_text(report.published)} 来源：{esc(office)}</p>\n'
        + f'<div id="zoom">\n{body}\n</div></div>\n'
        + '<div id="footer">青石县人民政府办公室主办</div>\n</body>\n</html>\n'
    )


def hanweb_listing(host: Host, column: str, items: list[Item], pager: str) -> str:
    """A `table.gl_list` column page; `pager` is the ready-made 首页/下一页 HTML."""
    rows = "\n".join(
        f'<tr><td><img src="/images/ico2.jpg"></td><td><a href="{it.href}" target="_blank">'
        f"{esc(it.title)}</a></td><td>{day_text(it.date)}</td></tr>"
        for it in items
    )
    return (
        hanweb_head(host, column)
        + f'<div class="pos">您现在的位置：首页 &gt;&gt; {esc(column)}</div>\n'
        + f'<table class="gl_list">\n{rows}\n</table>\n<div class="pager">{pager}</div>\n'
        + "</body>\n</html>\n"
    )


def hanweb_page(host: Host, title: str, when: datetime, text: str) -> str:
    return (
        hanweb_head(host, title)
        + f'<div class="article"><p class="title">{esc(title)}</p>\n'
        + f'<p class="info">发布日期：{day_text(when)}</p><div id="zoom"><p>{esc(text)}</p></div>'
        + "</div>\n</body>\n</html>\n"
    )


@dataclass(frozen=True, slots=True)
class JpageOptions:
    """What a Hanweb jpage column page tells jpage.js: its column, page size, group, total."""

    unit: int  # the column id
    per_page: int
    group_size: int  # pages per request: the page embeds per_page x group_size records
    total: int

    @property
    def web_unit(self) -> str:
        return f"4038{self.unit % 1000:03d}"


def jpage_record(item: Item) -> str:
    """One <record> of a jpage column: the <li> it renders, in CDATA."""
    return (
        f'<record><![CDATA[\n<li><a href="{item.href}" title="{esc(item.title)}" '
        f'target="_blank">{esc(item.title)}</a><span>{day_text(item.date)}</span></li>\n]]></record>'
    )


def hanweb_datastore_listing(
    host: Host, column: str, options: JpageOptions, records: tuple[str, ...]
) -> str:
    """A Hanweb jcms column page: no list in the markup, its first group of records in a
    <datastore> XML block that jpage.js renders; later groups come from
    /module/web/jpage/dataproxy.jsp (the <nextgroup> link names the column)."""
    nextgroup = (
        f"/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={options.unit}"
        f"&unitid={options.web_unit}&permissiontype=0"
    )
    script = (
        f"$(function(){{$('#{options.web_unit}').jpage({{dataStore: dataStore, "
        f"proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: {options.per_page}, "
        f"groupSize: {options.group_size}, totalRecord: {options.total}, "
        "barPosition: 'bottom'});});"
    )
    return (
        hanweb_head(host, column)
        + f'<div class="pos">您现在的位置：首页 &gt;&gt; {esc(column)}</div>\n'
        + f'<div id="{options.web_unit}"><script type="text/xml">\n<datastore>\n'
        + f'<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>\n'
        + "<recordset>\n"
        + "\n".join(records)
        + "\n</recordset>\n</datastore>\n</script></div>\n"
        + '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n'
        + f'<script type="text/javascript">\n{script}\n</script>\n</body>\n</html>\n'
    )


def hanweb_jpage_xml(records: tuple[str, ...], total: int) -> str:
    """What dataproxy.jsp answers: the requested records and the column's record count."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        + f"<totalrecord>{total}</totalrecord>\n<recordset>\n"
        + "\n".join(records)
        + "\n</recordset>\n</datastore>\n"
    )
