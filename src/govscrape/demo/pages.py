"""Portal-wide pages (front page, JS-challenge stub) of the three CMS families the demo imitates.

The families (docs/portal-families.md#families):

- TRS (the city portal): `ul li a[title]` + `span.date` lists, `var countPage` or
  `createPageHTML(...)` pagers, detail pages with ArticleTitle/PubDate/ContentSource/SiteIDCode
  metas, a 索引号 block and `div.TRS_Editor`;
- Hanweb-like (the county): `table.gl_list` rows, `?page=N` and 下一页 pagers, 信息公开元数据,
  `div#zoom`;
- a legacy GB2312 host (the development zone): table layout, `N.html` pages, `td#fontzoom`,
  one page whose header include is mojibake while its body is clean.

pages_trs.py, pages_hanweb.py, pages_gkmlpt.py and pages_legacy.py hold the skeletons (shared
parts in pages_common.py); they are written for this demo, not copied from real pages.
"""

from __future__ import annotations

from govscrape.demo.pages_common import Host, esc
from govscrape.demo.pages_hanweb import hanweb_head
from govscrape.demo.pages_legacy import legacy_head


def home_page(family: str, host: Host, columns: list[tuple[str, str]]) -> str:
    """A portal front page: the nav and links to the report columns."""
    links = "\n".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in columns)
    head = legacy_head(host.name) if family == "legacy" else hanweb_head(host, host.name)
    return (
        f'{head}<div class="nav"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a> '
        f'<a href="/hdjl/">互动交流</a></div>\n<div class="gkml"><h3>政府信息公开</h3><ul>\n'
        f"{links}\n</ul></div>\n</body>\n</html>\n"
    )


def challenge_page(cookie: str) -> str:
    """The 加速乐-style 521 stub: set a cookie from JavaScript, then reload."""
    return (
        "<html><body><script>document.cookie='"
        f"{cookie};max-age=3600;path=/';location.href=location.pathname+location.search"
        "</script></body></html>"
    )
