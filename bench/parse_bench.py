"""Parse speed on one core: govscrape.parse_report vs a straightforward BeautifulSoup reading.

The corpus is the HTML fixtures of tests/fixtures/reports, each padded with realistic page
furniture (navigation, scripts, styles, related-link lists, longer section prose) to about
60 KB, repeated to a few thousand documents. Prints documents/s and MB/s for both, by CPU time
(time.process_time: what one core spends, whatever else runs on the machine) and by wall time.
Then PDF extraction in pages/s (bench/pdf_bench.py's measure): a generated report PDF, and the
real Huai'an 2024 report vendored in tests/fixtures/published.

    .venv/bin/python bench/parse_bench.py [--docs 3000] [--size 60000] [--pdf-seconds 3]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from govscrape import parse_report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
SAMPLE_PDF = ROOT / "tests" / "fixtures" / "published" / "huaian-city-2024.pdf"
HTML_FIXTURES = (
    "qingshan-market-2022.html",
    "baihe-town-2019.html",
    "lishui-education-2023.html",
    "hexi-district-2021.html",
    "dongfang-transport-2022.html",
    "anping-devzone-2023.html",
)

NAV = "".join(
    f'<li><a href="/col/col{i}/index.html" target="_blank">{name}</a></li>'
    for i, name in enumerate(
        [
            "首页",
            "政务公开",
            "政务服务",
            "互动交流",
            "走进本地",
            "政策文件",
            "政策解读",
            "通知公告",
            "人事信息",
            "财政资金",
            "重点领域",
            "建议提案",
            "规划计划",
            "统计信息",
            "应急管理",
        ]
        * 4
    )
)
SCRIPT = (
    '<script type="text/javascript">var _hmt = _hmt || [];(function(){var hm = document.'
    "createElement('script');hm.src = 'https://hm.example.cn/hm.js?0123456789abcdef';var s = "
    "document.getElementsByTagName('script')[0];s.parentNode.insertBefore(hm, s);})();"
    "function fontZoom(size){document.getElementById('zoom').style.fontSize=size+'px';}"
    "</script>\n"
)
STYLE = (
    "<style>"
    + "".join(f".c{i}{{margin:0 {i}px;color:#3{i % 10}3;}}" for i in range(120))
    + "</style>"
)
PROSE = (
    '<p style="text-indent:2em;line-height:1.8"><span style="font-family:仿宋_GB2312;'
    'font-size:16pt">坚持以公开为常态、不公开为例外，围绕优化营商环境、重大建设项目、公共资源配置、'
    "社会公益事业等重点领域，持续加大政府信息主动公开力度，及时回应社会关切，"
    "全年通过门户网站发布各类信息1256条，政务新媒体发布信息987条。</span></p>\n"
)
RELATED = "".join(
    f'<li><a href="/art/2023/1/{i}/art_{i}.html">关于印发某某工作方案的通知（第{i}号）</a>'
    f"<span>2023-01-{i % 28 + 1:02d}</span></li>"
    for i in range(40)
)


def padded(html: str, size: int) -> str:
    """The page with furniture around the report and longer prose, to about `size` bytes."""
    head_extra = STYLE + SCRIPT * 3
    html = html.replace("</head>", head_extra + "</head>", 1)
    html = html.replace("<body>", f'<body><div class="nav"><ul>{NAV}</ul></div>', 1)
    tail = f'<div class="related"><h3>相关文章</h3><ul>{RELATED}</ul></div>' + SCRIPT
    html = html.replace("</body>", tail + "</body>", 1)
    missing = size - len(html.encode("utf-8"))
    if missing > 0:
        at = html.index("<p>五、")
        html = html[:at] + PROSE * (missing // len(PROSE.encode("utf-8")) + 1) + html[at:]
    return html


def corpus(n: int, size: int) -> list[bytes]:
    """`n` pages: the fixtures padded, each copy made distinct (its own sentence in the prose)
    as real documents are, so that no cache holds a whole earlier page."""
    pages = []
    for name in HTML_FIXTURES:
        raw = (FIXTURES / name).read_bytes()
        text = raw.decode("gbk") if b'charset="gbk"' in raw[:300] else raw.decode("utf-8")
        pages.append(padded(text.replace('charset="gbk"', 'charset="utf-8"'), size))
    out = []
    for i in range(n):
        page = pages[i % len(pages)]
        at = page.index("<p>五、")
        unique = f"<p>全年共办理群众来信来访{i}件，均按时办结。</p>\n"
        out.append((page[:at] + unique + page[at:]).encode())
    return out


# --- the BeautifulSoup reference ----------------------------------------------------------------

REFERENCE_LABELS = {
    "本年新收": "new",
    "上年结转": "carried_over",
    "予以公开": "granted",
    "部分公开": "partially_granted",
    "国家秘密": "denied.state_secret",
    "禁止公开": "denied.prohibited_by_law",
    "三安全一稳定": "denied.security_stability",
    "第三方合法权益": "denied.third_party_rights",
    "内部事务": "denied.internal_affairs",
    "过程性信息": "denied.process_info",
    "行政执法案卷": "denied.enforcement_file",
    "行政查询事项": "denied.admin_inquiry",
    "不掌握": "unable.not_held",
    "另行制作": "unable.needs_creation",
    "仍不明确": "unable.unclear",
    "信访举报": "np.complaint",
    "重复申请": "np.duplicate",
    "公开出版物": "np.publication",
    "大量反复": "np.excessive",
    "重新出具": "np.confirm",
    "逾期不补正": "other.no_correction",
    "缴纳费用": "other.unpaid_fee",
    "总计": "total_handled",
    "结转下年度": "carried_forward",
    "规章": "regulation",
    "规范性文件": "normative_document",
    "行政许可": "license",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政事业性收费": "admin_fee",
}


def soup_tables(html: bytes) -> dict[str, list[str]]:
    """A straightforward reading: BeautifulSoup (lxml), spans expanded, labels by keyword."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    found: dict[str, list[str]] = {}
    for table in soup.find_all("table"):
        grid: dict[tuple[int, int], str] = {}
        for r, tr in enumerate(table.find_all("tr")):
            c = 0
            for td in tr.find_all(["td", "th"]):
                while (r, c) in grid:
                    c += 1
                text = td.get_text("", strip=True)
                rs, cs = int(td.get("rowspan", 1) or 1), int(td.get("colspan", 1) or 1)
                for dr in range(min(rs, 50)):
                    for dc in range(min(cs, 50)):
                        grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
                c += cs
        rows: dict[int, list[str]] = {}
        for (r, _c), text in sorted(grid.items()):
            rows.setdefault(r, []).append(text)
        for cells in rows.values():
            label = "".join(x for x in cells if x and not x.replace(".", "").isdigit())
            for key, code in REFERENCE_LABELS.items():
                if key in label:
                    found[code] = [x for x in cells if x.replace(".", "").isdigit()]
                    break
    return found


def measure(name: str, fn, docs: list[bytes]) -> tuple[float, float]:
    """(docs/s of CPU time, docs/s of wall time). CPU time is what this process spends, so
    other processes on a shared machine skew it far less than wall time."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        fn(doc)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    mb = sum(len(d) for d in docs) / 1e6
    print(
        f"  {name:30} {len(docs):5d} docs  "
        f"cpu {cpu:6.2f} s {len(docs) / cpu:7.1f} docs/s {mb / cpu:6.2f} MB/s  "
        f"wall {wall:6.2f} s {len(docs) / wall:7.1f} docs/s"
    )
    return len(docs) / cpu, len(docs) / wall


def pdf_inputs() -> list[tuple[str, bytes]]:
    """A generated v2021 report PDF, and the real Huai'an sample."""
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    import pdf_fixtures

    found = [("generated v2021 report (reportlab, ruled)", pdf_fixtures.report_pdf())]
    found.append(("huaian-city-2024.pdf (real sample)", SAMPLE_PDF.read_bytes()))
    return found


def report_pdf_speed(seconds: float) -> None:
    """PDF pages/s by CPU time, per input (target: >= 20 pages/s per core)."""
    from pdf_bench import page_count, pdf_pages_per_second  # bench/ is on sys.path: a script

    print("PDF extraction, pages/s by CPU time (target >= 20 per core):")
    for name, data in pdf_inputs():
        rate, runs = pdf_pages_per_second(data, seconds)
        print(f"  {rate:8.1f} pages/s  ({page_count(data)} pages x {runs} runs)  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--size", type=int, default=60_000)
    parser.add_argument("--reference-docs", type=int, default=300, help="docs for the BS reference")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best one is reported")
    parser.add_argument(
        "--pdf-seconds", type=float, default=3.0, help="seconds per PDF input (0: skip PDFs)"
    )
    args = parser.parse_args()
    docs = corpus(args.docs, args.size)
    avg = sum(len(d) for d in docs) / len(docs) / 1000
    print(f"corpus: {len(docs)} HTML reports, {avg:.1f} KB on average, one core")
    check = parse_report(docs[0])
    assert check.template == "v2021" and len(check.cells) > 150, "corpus pages must parse fully"
    for d in docs[: len(HTML_FIXTURES)]:  # warm caches as a long run would have them
        parse_report(d)
    ours, ref = [], []
    for i in range(args.rounds):  # interleaved, so both meet the same load on a shared machine
        print(f"round {i + 1}:")
        ours.append(measure("govscrape.parse_report", parse_report, docs))
        ref.append(
            measure("BeautifulSoup(lxml) reference", soup_tables, docs[: args.reference_docs])
        )
    best_ours = max(r[0] for r in ours), max(r[1] for r in ours)
    best_ref = max(r[0] for r in ref), max(r[1] for r in ref)
    print(
        f"best of {args.rounds}: govscrape cpu {best_ours[0]:.1f} docs/s, wall {best_ours[1]:.1f} "
        f"docs/s; reference cpu {best_ref[0]:.1f} docs/s, wall {best_ref[1]:.1f} docs/s"
    )
    print(
        f"speed-up over the reference: cpu {best_ours[0] / best_ref[0]:.1f}x, "
        f"wall {best_ours[1] / best_ref[1]:.1f}x (targets: >= 300 docs/s per core, >= 5x)"
    )
    if args.pdf_seconds > 0:
        report_pdf_speed(args.pdf_seconds)


if __name__ == "__main__":
    main()
