"""Page skeletons of the TRS CMS (the city portal): lists, pagers, sub-columns, articles."""

from __future__ import annotations

from datetime import datetime

from govscrape.demo.pages_common import Host, Item, day_text, esc, index_code, minute_text
from govscrape.demo.report_numbers import DemoReport


def trs_head(host: Host, title: str, column: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="SiteName" content="{esc(host.name)}">\n'
        f'<meta name="SiteDomain" content="{host.domain}">\n'
        f'<meta name="SiteIDCode" content="{host.site_code}">\n'
        f'<meta name="ColumnName" content="{esc(column)}">\n{extra}'
        f"<title>{esc(title)}_{esc(column)}_{esc(host.name)}</title>\n</head>\n<body>\n"
        f'<div class="header"><div class="logo">{esc(host.name)}</div><ul class="nav">'
        '<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li></ul></div>\n'
        '<div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; '
        f'<a href="./" class="CurrChnlCls">{esc(column)}</a></div>\n'
    )


def trs_foot(host: Host) -> str:
    return (
        f'<div class="footer">主办：{esc(host.name)}办公室 网站标识码：{host.site_code} '
        "江ICP备05000000号</div>\n</body>\n</html>\n"
    )


def trs_detail(host: Host, report: DemoReport, body: str, attachment: str | None = None) -> str:
    """A TRS article page: metas, 索引号 block, title, div.TRS_Editor, optional attachment."""
    office, title = report.agency.office, report.title
    metas = (
        f'<meta name="ArticleTitle" content="{esc(title)}">\n'
        f'<meta name="PubDate" content="{minute_text(report.published)}">\n'
        f'<meta name="ContentSource" content="{esc(office)}">\n'
    )
    info = "".join(
        f"<li><b>{k}：</b>{esc(v)}</li>"
        for k, v in (
            ("索引号", index_code(report)),
            ("分类", "政府信息公开年报"),
            ("发布机构", office),
            ("成文日期", day_text(report.published)),
            ("标题", title),
            ("发布日期", day_text(report.published)),
        )
    )
    files = ""
    if attachment:
        files = (
            f'<div class="fj"><p>附件：<a href="{attachment}" title="{esc(title)}.pdf">'
            f"{esc(title)}.pdf</a></p></div>\n"
        )
    return (
        trs_head(host, title, "政府信息公开年报", metas)
        + f'<div class="xxgk_table"><ul>{info}</ul></div>\n'
        + f'<div class="article"><h1 class="title">{esc(title)}</h1>\n'
        + f'<div class="info"><span>发布时间：{minute_text(report.published)}</span>'
        + f"<span>来源：{esc(office)}</span><span>字号：[大 中 小]</span></div>\n"
        + f'<div class="TRS_Editor">\n{body}\n</div>\n{files}</div>\n'
        + trs_foot(host)
    )


def trs_listing(
    host: Host, column: str, items: list[Item], page: int, pages: int, pager: str, total: int = 0
) -> str:
    """A TRS list page: `ul li a[title]` with `span.date`; `pager` is countPage|createPageHTML,
    or listModel: a "动静结合" column whose script states the `total` items and fetches the pages
    after the first from the portal's search service (robots.txt keeps crawlers out of it)."""
    lines = "\n".join(
        f'<li><a href="{it.href}" title="{esc(it.title)}" target="_blank">{esc(it.title)}</a>'
        f'<span class="date">{day_text(it.date)}</span></li>'
        for it in items
    )
    if pager == "createPageHTML":
        script = f'createPageHTML({pages}, {page}, "index", "html");'
    elif pager == "listModel":
        script = (
            f"listModel({{ pageIndex: {page}, pageSize: {-(-total // max(pages, 1))},"
            f" recordCount: '{total}', url: '/search/list.jsp', target: '.list ul' }});"
        )
    else:
        script = (
            f"var countPage = {pages}//共多少页\nvar currentPage = {page}//所在页从0开始\n"
            "var prevPage = currentPage-1//上一页\nvar nextPage = currentPage+1//下一页\n"
            'document.write("共"+countPage+"页&nbsp;&nbsp;");\n'
            'if (nextPage < countPage) {document.write("<a href=\\"index_"+nextPage+'
            '".html\\">下一页</a>");}'
        )
    return (
        trs_head(host, column, column)
        + f'<div class="list">\n<ul>\n{lines}\n</ul>\n</div>\n'
        + f'<div class="page"><script type="text/javascript">\n{script}\n</script></div>\n'
        + trs_foot(host)
    )


def trs_subcolumns(host: Host, column: str, subcolumns: list[tuple[str, str]]) -> str:
    """A TRS column front page that only lists its year sub-columns."""
    lines = "\n".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in subcolumns)
    return (
        trs_head(host, column, column)
        + f'<div class="sublanm">\n<ul>\n{lines}\n</ul>\n</div>\n'
        + '<div class="page"><script type="text/javascript">\nvar countPage = 1//共多少页\n'
        + "</script></div>\n"
        + trs_foot(host)
    )


def trs_page(host: Host, title: str, when: datetime, text: str) -> str:
    """An ordinary TRS article (news, 解读, 指南) with the same chrome as reports."""
    metas = (
        f'<meta name="ArticleTitle" content="{esc(title)}">\n'
        f'<meta name="PubDate" content="{minute_text(when)}">\n'
    )
    return (
        trs_head(host, title, "政府信息公开年报", metas)
        + f'<div class="article"><h1 class="title">{esc(title)}</h1>\n'
        + f'<div class="TRS_Editor"><p>{esc(text)}</p></div></div>\n'
        + trs_foot(host)
    )
