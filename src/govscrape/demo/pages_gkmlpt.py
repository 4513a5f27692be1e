"""Page skeletons of the gkmlpt platform: an empty single-page app, its JSON lists, articles."""

from __future__ import annotations

import json
from datetime import datetime

from govscrape.demo.pages_common import Host, Item, day_text, epoch, esc, minute_text
from govscrape.demo.report_numbers import DemoReport


def gkmlpt_shell(host: Host, name: str) -> str:
    """The /gkmlpt/index single-page app: nothing to read without running its script."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(name)}政府信息公开</title>\n"
        '<script>window._CONFIG = {"SID": "770001", "API": "/gkmlpt/api/all/"};</script>\n'
        '</head>\n<body>\n<div id="app"></div>\n'
        '<script src="/gkmlpt/static/js/app.js"></script>\n</body>\n</html>\n'
    )


def gkmlpt_api(items: list[Item], total: int, page: int, per_page: int) -> str:
    """The JSON page the SPA asks for: `{total, articles[]}` (docs/portal-families.md#gkmlpt)."""
    articles = [
        {
            "id": int(it.href.rsplit("_", 1)[-1].removesuffix(".html")),
            "title": it.title,
            "url": it.href,
            "date": epoch(it.date),
            "display_publish_time": minute_text(it.date),
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
    detail = {"title": title, "publisher": office, "date": epoch(when)}
    if not html_body:
        body = f"<p>{esc(body)}</p>"
    classify = "".join(
        f"<tr><th>{k}</th><td>{esc(v)}</td></tr>"
        for k, v in (("发布机构", office), ("成文日期", day_text(when)), ("名称", title))
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="ArticleTitle" content="{esc(title)}">\n'
        f'<meta name="PubDate" content="{minute_text(when)}">\n'
        f"<title>{esc(title)}</title>\n<script>window._CONFIG = "
        f'{{"DETAIL": {json.dumps(detail, ensure_ascii=False)}}};</script>\n</head>\n<body>\n'
        f'<div class="classify"><table class="table-classify">{classify}</table></div>\n'
        f'<div class="article"><h1 class="title">{esc(title)}</h1>\n'
        f'<div class="date-row">发布日期：{minute_text(when)}</div>\n'
        f'<div class="article-content">\n{body}\n</div></div>\n'
        f'<div class="footer">{esc(host.name)} 网站标识码：{host.site_code}</div>\n'
        "</body>\n</html>\n"
    )
