"""HTML skeletons of the three CMS families the demo imitates (portals.md §1.4, §5).

- TRS (the city portal): `ul li a[title]` + `span.date` lists, `var countPage` or
  `createPageHTML(...)` pagers, detail pages with ArticleTitle/PubDate/ContentSource/SiteIDCode
  metas, a 索引号 block and `div.TRS_Editor`;
- Hanweb-like (the county): `table.gl_list` rows, `?page=N` and 下一页 pagers, 信息公开元数据,
  `div#zoom`;
- a legacy GB2312 host (the development zone): table layout, `N.html` pages, `td#fontzoom`,
  one page whose header include is mojibake while its body is clean.

The skeletons are written for this demo; they are not copies of real pages.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from govscrape.demo.data import DemoReport


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a listing page."""

    title: str
    href: str
    date: datetime


@dataclass(frozen=True, slots=True)
class Host:
    """What a demo host prints around its articles."""

    name: str
    domain: str
    site_code: str


CITY_HOST = Host("云泽市人民政府", "www.yunze.gov.cn", "3399000001")
COUNTY_HOST = Host("青石县人民政府", "www.qingshi.gov.cn", "3399120002")
WAF_HOST = Host("青石县卫生健康局", "wjj.qingshi.gov.cn", "3399120031")
ZONE_HOST = Host("云泽高新技术产业开发区", "www.yzgxq.gov.cn", "3399000023")

_e = html.escape


def _day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d")


def _epoch(when: datetime) -> int:
    """Seconds since 1970 of a Beijing wall-clock time (whatever the machine's time zone)."""
    return int(when.replace(tzinfo=timezone(timedelta(hours=8))).timestamp())


def _minute(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def index_code(report: DemoReport) -> str:
    return f"113399{report.doc_id % 100000:05d}M/{report.published.year}-{report.doc_id % 997:05d}"


def home_page(family: str, host: Host, columns: list[tuple[str, str]]) -> str:
    """A portal front page: the nav and links to the report columns."""
    links = "\n".join(f'<li><a href="{href}">{_e(text)}</a></li>' for text, href in columns)
    head = legacy_head(host.name) if family == "legacy" else hanweb_head(host, host.name)
    return (
        f'{head}<div class="nav"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a> '
        f'<a href="/hdjl/">互动交流</a></div>\n<div class="gkml"><h3>政府信息公开</h3><ul>\n'
        f"{links}\n</ul></div>\n</body>\n</html>\n"
    )


# --- TRS (city) -----------------------------------------------------------------------------


def trs_head(host: Host, title: str, column: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="SiteName" content="{_e(host.name)}">\n'
        f'<meta name="SiteDomain" content="{host.domain}">\n'
        f'<meta name="SiteIDCode" content="{host.site_code}">\n'
        f'<meta name="ColumnName" content="{_e(column)}">\n{extra}'
        f"<title>{_e(title)}_{_e(column)}_{_e(host.name)}</title>\n</head>\n<body>\n"
        f'<div class="header"><div class="logo">{_e(host.name)}</div><ul class="nav">'
        '<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li></ul></div>\n'
        '<div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; '
        f'<a href="./" class="CurrChnlCls">{_e(column)}</a></div>\n'
    )


def trs_foot(host: Host) -> str:
    return (
        f'<div class="footer">主办：{_e(host.name)}办公室 网站标识码：{host.site_code} '
        "江ICP备05000000号</div>\n</body>\n</html>\n"
    )


def trs_detail(host: Host, report: DemoReport, body: str, attachment: str | None = None) -> str:
    """A TRS article page: metas, 索引号 block, title, div.TRS_Editor, optional attachment."""
    office, title = report.agency.office, report.title
    metas = (
        f'<meta name="ArticleTitle" content="{_e(title)}">\n'
        f'<meta name="PubDate" content="{_minute(report.published)}">\n'
        f'<meta name="ContentSource" content="{_e(office)}">\n'
    )
    info = "".join(
        f"<li><b>{k}：</b>{_e(v)}</li>"
        for k, v in (
            ("索引号", index_code(report)),
            ("分类", "政府信息公开年报"),
            ("发布机构", office),
            ("成文日期", _day(report.published)),
            ("标题", title),
            ("发布日期", _day(report.published)),
        )
    )
    files = ""
    if attachment:
        files = (
            f'<div class="fj"><p>附件：<a href="{attachment}" title="{_e(title)}.pdf">'
            f"{_e(title)}.pdf</a></p></div>\n"
        )
    return (
        trs_head(host, title, "政府信息公开年报", metas)
        + f'<div class="xxgk_table"><ul>{info}</ul></div>\n'
        + f'<div class="article"><h1 class="title">{_e(title)}</h1>\n'
        + f'<div class="info"><span>发布时间：{_minute(report.published)}</span>'
        + f"<span>来源：{_e(office)}</span><span>字号：[大 中 小]</span></div>\n"
        + f'<div class="TRS_Editor">\n{body}\n</div>\n{files}</div>\n'
        + trs_foot(host)
    )


def trs_listing(
    host: Host, column: str, items: list[Item], page: int, pages: int, pager: str
) -> str:
    """A TRS list page: `ul li a[title]` with `span.date`; `pager` is countPage|createPageHTML."""
    lines = "\n".join(
        f'<li><a href="{it.href}" title="{_e(it.title)}" target="_blank">{_e(it.title)}</a>'
        f'<span class="date">{_day(it.date)}</span></li>'
        for it in items
    )
    if pager == "createPageHTML":
        script = f'createPageHTML({pages}, {page}, "index", "html");'
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
    lines = "\n".join(f'<li><a href="{href}">{_e(text)}</a></li>' for text, href in subcolumns)
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
        f'<meta name="ArticleTitle" content="{_e(title)}">\n'
        f'<meta name="PubDate" content="{_minute(when)}">\n'
    )
    return (
        trs_head(host, title, "政府信息公开年报", metas)
        + f'<div class="article"><h1 class="title">{_e(title)}</h1>\n'
        + f'<div class="TRS_Editor"><p>{_e(text)}</p></div></div>\n'
        + trs_foot(host)
    )


# --- Hanweb-like (county) -------------------------------------------------------------------


def hanweb_head(host: Host, title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" '
        f'content="text/html; charset=utf-8">\n{extra}<title>{_e(title)}</title>\n</head>\n'
        f'<body>\n<div id="header"><h2>{_e(host.name)}</h2></div>\n'
    )


def hanweb_detail(host: Host, report: DemoReport, body: str, attachment: str | None = None) -> str:
    """A Hanweb article: metas, 信息公开元数据 table, title, div#zoom, optional attachment
    (a link to the download module, inside the body as Hanweb's editor puts it)."""
    office, title = report.agency.office, report.title
    if attachment:
        name = f"{title}.{attachment.rsplit('.', 1)[-1]}"  # the download names the file's type
        body += f'\n<p>附件：<a href="{_e(attachment)}" target="_blank">{_e(name)}</a></p>'

    metas = (
        f'<meta name="ArticleTitle" content="{_e(title)}">\n'
        f'<meta name="PubDate" content="{_minute(report.published)}">\n'
        f'<meta name="ContentSource" content="{_e(office)}">\n'
    )
    meta_table = (
        '<table class="xxgk_yuan"><tr><th colspan="4">信息公开元数据</th></tr>'
        f"<tr><td>索引号</td><td>{index_code(report)}</td><td>发布机构</td><td>{_e(office)}</td></tr>"
        f"<tr><td>生成日期</td><td>{_day(report.published)}</td><td>公开方式</td><td>主动公开</td></tr>"
        "</table>\n"
    )
    return (
        hanweb_head(host, title, metas)
        + meta_table
        + f'<div class="article"><p class="title">{_e(title)}</p>\n'
        + f'<p class="info">发布日期：{_day(report.published)} 来源：{_e(office)}</p>\n'
        + f'<div id="zoom">\n{body}\n</div></div>\n'
        + '<div id="footer">青石县人民政府办公室主办</div>\n</body>\n</html>\n'
    )


def hanweb_listing(host: Host, column: str, items: list[Item], pager: str) -> str:
    """A `table.gl_list` column page; `pager` is the ready-made 首页/下一页 HTML."""
    rows = "\n".join(
        f'<tr><td><img src="/images/ico2.jpg"></td><td><a href="{it.href}" target="_blank">'
        f"{_e(it.title)}</a></td><td>{_day(it.date)}</td></tr>"
        for it in items
    )
    return (
        hanweb_head(host, column)
        + f'<div class="pos">您现在的位置：首页 &gt;&gt; {_e(column)}</div>\n'
        + f'<table class="gl_list">\n{rows}\n</table>\n<div class="pager">{pager}</div>\n'
        + "</body>\n</html>\n"
    )


def hanweb_page(host: Host, title: str, when: datetime, text: str) -> str:
    return (
        hanweb_head(host, title)
        + f'<div class="article"><p class="title">{_e(title)}</p>\n'
        + f'<p class="info">发布日期：{_day(when)}</p><div id="zoom"><p>{_e(text)}</p></div>'
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
        f'<record><![CDATA[\n<li><a href="{item.href}" title="{_e(item.title)}" '
        f'target="_blank">{_e(item.title)}</a><span>{_day(item.date)}</span></li>\n]]></record>'
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
        + f'<div class="pos">您现在的位置：首页 &gt;&gt; {_e(column)}</div>\n'
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


# --- gkmlpt (a city department on the city's 政府信息公开 platform) ---------------------------


def gkmlpt_shell(host: Host, name: str) -> str:
    """The /gkmlpt/index single-page app: nothing to read without running its script."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(name)}政府信息公开</title>\n"
        '<script>window._CONFIG = {"SID": "770001", "API": "/gkmlpt/api/all/"};</script>\n'
        '</head>\n<body>\n<div id="app"></div>\n'
        '<script src="/gkmlpt/static/js/app.js"></script>\n</body>\n</html>\n'
    )


def gkmlpt_api(items: list[Item], total: int, page: int, per_page: int) -> str:
    """The JSON page the SPA asks for: `{total, articles[]}` (portals.md §5.3)."""
    import json

    articles = [
        {
            "id": int(it.href.rsplit("_", 1)[-1].removesuffix(".html")),
            "title": it.title,
            "url": it.href,
            "date": _epoch(it.date),
            "display_publish_time": _minute(it.date),
        }
        for it in items
    ]
    body = {"total": total, "page": page, "per_page": per_page, "articles": articles}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def gkmlpt_detail(host: Host, report: DemoReport, body: str) -> str:
    return gkmlpt_page(host, report.title, report.published, body, report.agency.office, True)


def gkmlpt_page(
    host: Host, title: str, when: datetime, body: str, office: str = "", html_body: bool = False
) -> str:
    """A gkmlpt article (`content/post_<id>.html`): window._CONFIG.DETAIL, the 索引号 table
    (`table-classify`) and the body in `div.article-content`."""
    import json

    detail = {"title": title, "publisher": office, "date": _epoch(when)}
    if not html_body:
        body = f"<p>{_e(body)}</p>"
    classify = "".join(
        f"<tr><th>{k}</th><td>{_e(v)}</td></tr>"
        for k, v in (("发布机构", office), ("成文日期", _day(when)), ("名称", title))
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="ArticleTitle" content="{_e(title)}">\n'
        f'<meta name="PubDate" content="{_minute(when)}">\n'
        f"<title>{_e(title)}</title>\n<script>window._CONFIG = "
        f'{{"DETAIL": {json.dumps(detail, ensure_ascii=False)}}};</script>\n</head>\n<body>\n'
        f'<div class="classify"><table class="table-classify">{classify}</table></div>\n'
        f'<div class="article"><h1 class="title">{_e(title)}</h1>\n'
        f'<div class="date-row">发布日期：{_minute(when)}</div>\n'
        f'<div class="article-content">\n{body}\n</div></div>\n'
        f'<div class="footer">{_e(host.name)} 网站标识码：{host.site_code}</div>\n'
        "</body>\n</html>\n"
    )


def challenge_page(cookie: str) -> str:
    """The 加速乐-style 521 stub: set a cookie from JavaScript, then reload."""
    return (
        "<html><body><script>document.cookie='"
        f"{cookie};max-age=3600;path=/';location.href=location.pathname+location.search"
        "</script></body></html>"
    )


# --- Legacy GB2312 host (development zone) --------------------------------------------------

ZONE_NAME = "云泽高新技术产业开发区管理委员会"
ZONE_NAV = ("首页", "新闻中心", "政务公开", "招商引资", "互动交流")


def mojibake(text: str) -> str:
    """`text` as a GB2312 page shows it when its UTF-8 bytes were pasted in unconverted: the
    bytes read as GBK, an unpaired byte turned into "?" by the editor that saved the file."""
    return text.encode("utf-8").decode("gbk", errors="replace").replace("\ufffd", "?")


def legacy_head(title: str, *, garbled: bool = False) -> str:
    """<head>, banner and nav of the legacy host; `garbled`: the template's header include
    was saved as UTF-8 (portals.md §5.5), so title, banner and nav are mojibake on this page."""
    fix = mojibake if garbled else (lambda text: text)
    nav = "　".join(f'<a href="/">{_e(fix(item))}</a>' for item in ZONE_NAV)
    return (
        '<html>\n<head>\n<meta charset="gb2312">\n'
        f"<title>{_e(fix(title + '--云泽高新区'))}</title>\n</head>\n"
        '<body topmargin="0">\n<table width="980" align="center" class="top">'
        f"<tr><td>{_e(fix(ZONE_NAME))}</td></tr></table>\n"
        f'<table width="980" align="center" class="nav"><tr><td>{nav}</td></tr></table>\n'
    )


def legacy_detail(report: DemoReport, body: str, *, garbled: bool = False) -> str:
    """A legacy article laid out with tables, as 2000s ASP sites are: title, byline and body
    each in a full-width one-cell table, the body in `td#fontzoom`."""
    title = report.title
    return (
        legacy_head(title, garbled=garbled)
        + '<table width="980" align="center" class="title">'
        + f'<tr><td class="title" align="center">{_e(title)}</td></tr></table>\n'
        + '<table width="980" align="center" class="info"><tr><td align="center">'
        + f"来源：{_e(report.agency.office)}　　发布日期：{_day(report.published)}"
        + f"　　点击数：{report.doc_id % 977}</td></tr></table>\n"
        + '<table width="980" align="center" class="content" cellpadding="10">'
        + f'<tr><td id="fontzoom">\n{body}\n</td></tr></table>\n'
        + "</body>\n</html>\n"
    )


def legacy_listing(items: list[Item], page: int, pages: int) -> str:
    rows = "\n".join(
        f'<tr><td width="85%">·<a href="{it.href}" target="_blank">{_e(it.title)}</a></td>'
        f'<td width="15%">{_day(it.date)}</td></tr>'
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
        + f'<table width="980" align="center"><tr><td class="title">{_e(title)}</td></tr>'
        + f"<tr><td>发布日期：{_day(when)}</td></tr>"
        + f'<tr><td id="fontzoom">{_e(text)}</td></tr></table>\n</body>\n</html>\n'
    )
