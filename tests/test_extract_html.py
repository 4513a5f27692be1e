"""extract/html.py: body location, tables as grids, text lines, page metadata, quality signals."""

from __future__ import annotations

from govscrape.document import Grid
from govscrape.extract.html import extract_html


def _page(body: str, head: str = "", before: str = "", after: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<div class='header'><ul><li><a href='/'>首页</a></li><li>政务公开</li></ul></div>"
        f"<div class='main'><div class='article'>{before}{body}{after}</div></div>"
        f"<div class='footer'>版权所有：松林县人民政府 网站标识码：4399000002</div></body></html>"
    )


def _grids(doc) -> list[Grid]:
    return [b for b in doc.blocks if isinstance(b, Grid)]


def _lines(doc) -> list[str]:
    return [b for b in doc.blocks if isinstance(b, str)]


def _texts(grid: Grid) -> list[list[str]]:
    return [[cell.text for cell in row] for row in grid.rows]


def _origins(grid: Grid) -> list[list[tuple[int, int]]]:
    return [[cell.origin for cell in row] for row in grid.rows]


REQUESTS_HEADER = """
<table border="1">
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
    <td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
    <td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
    <td>3</td><td>&nbsp;</td><td></td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td rowspan="1">（三）不予公开</td><td>1.属于国家秘密</td>
    <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
"""


def test_rowspan_and_colspan_expand_into_a_full_grid_with_origins():
    doc = extract_html(_page(f"<div class='TRS_Editor'>{REQUESTS_HEADER}</div>"))
    (grid,) = _grids(doc)
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert _texts(grid) == [
        [note, note, note] + ["申请人情况"] * 7,
        [note, note, note, "自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [note, note, note, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
         "其他", "总计"],
        ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "1", "0", "0", "0", "0", "6"],
        ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "3", "", "", "0", "0", "0", "3"],
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"] + ["0"] * 7,
    ]  # fmt: skip
    origins = _origins(grid)
    assert origins[0] == [(0, 0)] * 3 + [(0, 3)] * 7
    assert origins[1] == [(0, 0)] * 3 + [(1, 3)] + [(1, 4)] * 5 + [(1, 9)]
    assert origins[2][3] == (1, 3) and origins[2][9] == (1, 9)
    assert origins[2][4:9] == [(2, 4), (2, 5), (2, 6), (2, 7), (2, 8)]
    assert origins[4][:3] == [(4, 0), (4, 1), (4, 1)]
    assert origins[5][0] == (4, 0)  # the vertical label copied down keeps its source
    assert all(len(row) == 10 for row in grid.rows)


def test_blank_cells_stay_blank_and_keep_their_raw_text():
    doc = extract_html(_page(f"<div class='TRS_Editor'>{REQUESTS_HEADER}</div>"))
    row = _grids(doc)[0].rows[4]
    assert row[4].text == "" and row[4].blank and row[4].raw == "\xa0"
    assert row[5].text == "" and row[5].raw == ""


def test_short_rows_are_padded_with_cells_that_were_not_in_the_source():
    table = "<table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>规章</td><td>1</td></tr></table>"
    grid = _grids(extract_html(_page(f"<div id='zoom'>{table}<p>{'文' * 300}</p></div>")))[0]
    assert _texts(grid) == [["a", "b", "c"], ["规章", "1", ""]]
    assert grid.rows[1][2].raw is None and grid.rows[1][2].origin == (1, 2)


def test_cell_markup_is_joined_without_spaces_between_cjk():
    table = (
        "<table><tr>"
        "<td><p class=MsoNormal><span style='mso-bidi-font-family:宋体'>本年新<o:p></o:p></span>"
        "</p><p><span>制作数量<o:p></o:p></span></p></td>"
        "<td>商业<br>企业</td><td>科研 机构</td><td><span lang=EN-US>1</span><span>2</span></td>"
        "<td>ABC<br>DEF</td><td>&nbsp;&nbsp;7&nbsp;</td>"
        "</tr><tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td></tr></table>"
    )
    grid = _grids(extract_html(_page(f"<div class='TRS_Editor'>{table}</div>")))[0]
    assert _texts(grid)[0] == ["本年新制作数量", "商业企业", "科研机构", "12", "ABC DEF", "7"]
    assert grid.rows[0][1].raw == "商业企业"
    assert grid.rows[0][5].raw == "\xa0\xa07\xa0"


def test_a_table_split_over_several_tables_gives_grids_in_order():
    part1 = "<table><tr><td>行政复议</td><td>行政诉讼</td></tr><tr><td>结果维持</td><td>0</td></tr></table>"
    part2 = "<table><tr><td>0</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td><td>5</td></tr></table>"
    doc = extract_html(
        _page(f"<div class='TRS_Editor'><p>四、复议诉讼</p>{part1}{part2}<p>五、问题</p></div>")
    )
    assert [type(b).__name__ for b in doc.blocks] == ["str", "Grid", "Grid", "str"]
    assert _texts(_grids(doc)[1]) == [["0", "1", "2"], ["3", "4", "5"]]


def test_layout_table_around_the_report_is_walked_not_gridded():
    inner = "<table><tr><td>规章</td><td>0</td><td>0</td></tr><tr><td>行政许可</td><td>3</td><td>4</td></tr></table>"
    page = _page(
        f"<table class='layout'><tr><td class='bt_content'><div id='zoom'><p>一、总体情况</p>"
        f"<p>正文。</p>{inner}</div></td></tr></table>"
    )
    doc = extract_html(page)
    assert _lines(doc)[:2] == ["一、总体情况", "正文。"]
    (grid,) = _grids(doc)
    assert _texts(grid) == [["规章", "0", "0"], ["行政许可", "3", "4"]]


def test_nested_table_inside_a_small_wrapper_table_is_found():
    inner = "<table><tr><td>规章</td><td>5</td><td>0</td></tr><tr><td>行政许可</td><td>3</td><td>4</td></tr></table>"
    body = f"<div class='TRS_Editor'><table><tr><td>{inner}</td></tr><tr><td>注：数据截至年底</td></tr></table></div>"
    doc = extract_html(_page(body))
    assert _texts(_grids(doc)[0]) == [["规章", "5", "0"], ["行政许可", "3", "4"]]
    assert "注：数据截至年底" in _lines(doc)


def test_text_lines_follow_block_elements_and_line_breaks():
    body = (
        "<div class='TRS_Editor'><p>一、<span>总体</span><b>情况</b></p>"
        "<p>第一行&nbsp;&nbsp;接着<br/>第二行</p><div>第三行<p>第四行</p>第五行</div>"
        "<p>&nbsp;</p><p>\n  </p><ul><li>甲</li><li>乙</li></ul></div>"
    )
    doc = extract_html(_page(body))
    assert _lines(doc) == [
        "一、总体情况",
        "第一行 接着",
        "第二行",
        "第三行",
        "第四行",
        "第五行",
        "甲",
        "乙",
    ]


def test_page_chrome_is_not_part_of_the_body():
    doc = extract_html(_page("<div class='TRS_Editor'><p>" + "正文" * 120 + "</p></div>"))
    assert all("首页" not in line and "版权所有" not in line for line in _lines(doc))


def test_scripts_and_styles_are_not_text():
    body = "<div class='TRS_Editor'><script>document.write('来源：脚本')</script><style>p{}</style><p>正文</p></div>"
    doc = extract_html(_page(body, before="<div class='info'>来源：松林县水利局</div>"))
    assert _lines(doc) == ["正文"]
    assert doc.meta["来源"] == "松林县水利局"


TRS_HEAD = (
    "<title>松林县水利局2023年政府信息公开工作年度报告_松林县人民政府</title>"
    "<meta name='SiteName' content='松林县人民政府'><meta name='SiteIDCode' content='4399000002'>"
    "<meta name='ArticleTitle' content='松林县水利局2023年政府信息公开工作年度报告'>"
    "<meta name='PubDate' content='2024-01-26 09:30'><meta name='ContentSource' content='松林县水利局'>"
    "<meta name='Keywords' content='年报'>"
)
XXGK_BLOCK = (
    "<div class='xxgk-info'><ul>"
    "<li><b>索引号：</b>430S00/2024-000123</li><li><b>主题分类：</b></li>"
    "<li><b>发布机构：</b>松林县水利局</li><li><b>发文日期：</b>2024-01-25</li>"
    "<li><b>文　　号：</b></li><li><b>名　　称：</b>松林县水利局2023年政府信息公开工作年度报告</li>"
    "</ul></div>"
)


def test_trs_page_metas_block_and_byline_go_to_meta():
    before = (
        XXGK_BLOCK
        + "<div class='docInfo'>发布时间：2024-01-26 09:30　来源：松林县水利局　字体：[大 中 小]</div>"
    )
    doc = extract_html(_page("<div class='TRS_Editor'><p>一、总体情况</p></div>", TRS_HEAD, before))
    meta = doc.meta
    assert doc.title == "松林县水利局2023年政府信息公开工作年度报告"
    assert meta["title"] == "松林县水利局2023年政府信息公开工作年度报告_松林县人民政府"
    assert meta["PubDate"] == "2024-01-26 09:30"
    assert meta["SiteIDCode"] == "4399000002"
    assert meta["ContentSource"] == "松林县水利局"
    assert meta["索引号"] == "430S00/2024-000123"
    assert meta["发布机构"] == "松林县水利局"
    assert meta["发文日期"] == "2024-01-25"
    assert meta["名称"] == "松林县水利局2023年政府信息公开工作年度报告"
    assert meta["发布时间"] == "2024-01-26 09:30"
    assert "主题分类" not in meta and "文号" not in meta
    assert meta["body_selector"] == "trs"


def test_metadata_block_as_a_table_is_read():
    block = (
        "<table class='xxgk'><tr><td>索引号</td><td>014416330/2024-04736</td><td>分类</td>"
        "<td>政府信息公开年报</td></tr><tr><td>发布机构</td><td>松林县水利局</td><td>发文日期</td>"
        "<td>2024-01-30</td></tr></table>"
    )
    doc = extract_html(_page("<div id='zoom'><p>" + "正文" * 120 + "</p></div>", before=block))
    assert doc.meta["索引号"] == "014416330/2024-04736"
    assert doc.meta["发布机构"] == "松林县水利局"
    assert doc.meta["发文日期"] == "2024-01-30"
    assert doc.meta["body_selector"] == "hanweb"


def test_byline_forms_of_real_portals():
    forms = {
        "来源：松林县农业局　发布日期：2020-01-24": {
            "来源": "松林县农业局",
            "发布日期": "2020-01-24",
        },
        "发布时间：2022-12-13 13:34　发布部门：松林县统计局": {
            "发布时间": "2022-12-13 13:34",
            "发布部门": "松林县统计局",
        },
        "发布时间：2025-01-07 10:24 来源：松林高新区管委会 字体：[ ]": {
            "发布时间": "2025-01-07 10:24",
            "来源": "松林高新区管委会",
        },
        "2024年01月26日来源:松林县教育局 [字体: ] 打印": {
            "byline_date": "2024年01月26日",
            "来源": "松林县教育局",
        },
    }
    for byline, expected in forms.items():
        doc = extract_html(
            _page(
                "<div class='TRS_Editor'><p>一、总体情况</p></div>", before=f"<div>{byline}</div>"
            )
        )
        for key, value in expected.items():
            assert doc.meta.get(key) == value, (byline, key)


def test_body_falls_back_to_the_element_holding_the_tables():
    table = "<table><tr><td>规章</td><td>0</td><td>0</td></tr><tr><td>行政许可</td><td>3</td><td>4</td></tr></table>"
    page = _page(
        f"<div class='wenzhang'><p>一、总体情况</p><p>正文。</p>{table}<p>六、其他需要报告的事项</p></div>"
    )
    doc = extract_html(page)
    assert doc.meta["body_selector"] == "tables"
    assert _lines(doc) == ["一、总体情况", "正文。", "六、其他需要报告的事项"]
    assert doc.source_form == "html_table"


def test_page_without_selectors_or_tables_reads_the_whole_body():
    doc = extract_html("<html><body><p>一、总体情况</p><p>正文</p></body></html>")
    assert doc.meta["body_selector"] == "page"
    assert _lines(doc) == ["一、总体情况", "正文"]


def test_a_stub_selector_match_is_skipped_for_a_substantial_one():
    page = _page(
        "<div class='content'>  </div><div id='UCAP-CONTENT'><p>" + "正文" * 150 + "</p></div>"
    )
    assert extract_html(page).meta["body_selector"] == "kaipu"


def test_cell_per_line_paragraphs_are_html_text():
    cells = "".join(f"<p>{c}</p>" for c in ["规章", "0", "0", "0", "行政规范性文件", "1", "0", "5"])
    doc = extract_html(
        _page(f"<div class='TRS_Editor'><p>二、主动公开政府信息情况</p>{cells}</div>")
    )
    assert doc.source_form == "html_text"
    assert _lines(doc)[1:5] == ["规章", "0", "0", "0"]


def test_a_metadata_like_table_in_the_body_is_not_statistical():
    table = "<table><tr><td>联系人</td><td>张三</td></tr><tr><td>地址</td><td>松林县人民路1号</td></tr></table>"
    doc = extract_html(_page(f"<div class='TRS_Editor'><p>{'正文' * 120}</p>{table}</div>"))
    assert doc.source_form == "html_text"


def test_table_with_labels_only_is_still_statistical():
    table = "<table><tr><td>第二十条第（一）项</td><td></td></tr><tr><td>信息内容</td><td>本年制发件数</td></tr></table>"
    doc = extract_html(_page(f"<div class='TRS_Editor'>{table}</div>"))
    assert doc.source_form == "html_table"


def test_mojibake_header_is_a_warning_and_the_body_is_still_read():
    garbled = "首页 政务公开 政府信息公开年报 松林县统计局".encode().decode("gbk", "replace")
    page = _page(
        "<div class='TRS_Editor'><p>一、总体情况</p><p>"
        + "本机关认真落实条例要求。" * 20
        + "</p></div>",
        before=f"<div class='crumb'>{garbled}</div>",
    )
    doc = extract_html(page)
    assert [f.code for f in doc.findings] == ["parse.mojibake"]
    assert doc.findings[0].severity == "warning"
    assert "一、总体情况" in _lines(doc)


def test_clean_and_traditional_pages_are_not_mojibake():
    clean = extract_html(
        _page("<div class='TRS_Editor'><p>" + "本机关认真落实条例要求。" * 30 + "</p></div>")
    )
    assert clean.findings == []
    assert "traditional_share" not in clean.meta
    trad = "二〇二三年，本機關堅持以習近平新時代中國特色社會主義思想為指導，認真貫徹落實政府信息公開條例。"
    doc = extract_html(_page(f"<div class='TRS_Editor'><p>一、總體情況</p><p>{trad * 5}</p></div>"))
    assert doc.findings == []
    assert float(doc.meta["traditional_share"]) > 0.5
    assert "一、總體情況" in _lines(doc)  # the text is kept as found


def test_a_body_found_outside_the_page_body_is_measured_for_traditional_script():
    # A second <title> carrying the body's id: its text is in no <body> the page scan reads.
    page = (
        "<html><head><title>松林县2023年报告</title>"
        '<title id="zoom">松林縣2023年政府資訊公開工作年度報告</title></head>'
        "<body><p>首页</p></body></html>"
    )
    doc = extract_html(page)
    assert _lines(doc) == ["松林縣2023年政府資訊公開工作年度報告"]
    assert float(doc.meta["traditional_share"]) > 0.5


def test_report_table_beside_the_body_container_widens_the_body():
    table = (
        "<table><tr><td>行政复议</td><td>行政诉讼</td></tr><tr><td>0</td><td>1</td></tr>"
        "<tr><td>2</td><td>3</td></tr></table>"
    )
    page = _page(
        f"<div class='TRS_Editor'><p>四、政府信息公开行政复议、行政诉讼情况</p></div>"
        f"<div class='tables'>{table}</div><div class='TRS_Editor2'><p>五、存在的主要问题</p></div>"
    )
    doc = extract_html(page)
    assert doc.meta["body_selector"] == "trs+tables"
    assert [type(b).__name__ for b in doc.blocks] == ["str", "Grid", "str"]


def test_html_text_pages_carry_a_hint_of_their_text_form():
    rows = "".join(f"<p>{r}</p>" for r in ["规章 | 0 | 0 | 0 |"] * 6)
    doc = extract_html(_page(f"<div class='TRS_Editor'>{rows}</div>"))
    assert (doc.source_form, doc.meta["text_form"]) == ("html_text", "text_pipe")


def test_displayed_heading_is_the_title_when_the_page_title_is_generic():
    page = _page(
        "<div class='TRS_Editor'><p>一、总体情况</p></div>",
        head="<title>松林县人民政府门户网站</title>",
        before="<div class='crumb'>首页 &gt; <a>政府信息公开年报</a></div>"
        "<h1>松林县林业局2023年政府信息公开工作年度报告</h1>",
    )
    doc = extract_html(page)
    assert doc.meta["heading"] == "松林县林业局2023年政府信息公开工作年度报告"
    assert doc.title == "松林县林业局2023年政府信息公开工作年度报告"


def test_garbled_navigation_outside_the_body_region_is_still_noticed():
    menu = "".join(
        f"<li>{w.encode().decode('gbk', 'replace')}</li>"
        for w in ["首页", "政务公开", "信息公开", "年报", "互动交流", "办事服务"]
    )
    page = (
        f"<html><body><div class='nav'><ul>{menu}</ul></div><div class='w'><div class='m'>"
        f"<div class='a'><div class='b'><div class='TRS_Editor'><p>一、总体情况</p>"
        f"<p>{'本机关认真落实条例要求。' * 20}</p></div></div></div></div></div></body></html>"
    )
    doc = extract_html(page)
    assert [f.code for f in doc.findings] == ["parse.mojibake"]


# --- legacy pages laid out with tables -----------------------------------------------------------

LEGACY_TITLE = "松溪县林业局2020年政府信息公开工作年度报告"
LEGACY_BYLINE = "发布日期：2021-03-15　来源：松溪县林业局办公室"
CELL_LINES = ["第二十条第（一）项", "信息内容", "本年新制作数量", "规章", "0", "0", "0"]


def _legacy(body: str, nav: str = "") -> str:
    """A GB2312-era page: a three-row layout table (title, byline, body), optional left nav."""
    article = (
        f"<table width='760'><tr><td class='bt'><b>{LEGACY_TITLE}</b></td></tr>"
        f"<tr><td class='xx'>{LEGACY_BYLINE}</td></tr><tr><td class='nr'>{body}</td></tr></table>"
    )
    if nav:
        article = f"<table><tr><td width='200'>{nav}</td><td>{article}</td></tr></table>"
    return (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        f"<title>松溪县人民政府</title></head><body>{article}"
        "<table><tr><td>版权所有：松溪县人民政府</td></tr></table></body></html>"
    )


def test_three_row_layout_table_around_cell_per_line_text_is_walked_as_lines():
    body = "<p>一、总体情况</p>" + "".join(f"<p>{c}</p>" for c in CELL_LINES)
    doc = extract_html(_legacy(body))
    assert _grids(doc) == []
    assert _lines(doc)[:3] == [
        LEGACY_TITLE,
        "发布日期：2021-03-15 来源：松溪县林业局办公室",
        "一、总体情况",
    ]
    assert _lines(doc)[3:10] == CELL_LINES
    assert doc.meta["发布日期"] == "2021-03-15"
    assert doc.title == LEGACY_TITLE
    assert (doc.source_form, doc.meta["text_form"]) == ("html_text", "text_cells")


def test_layout_table_around_pipe_text_is_walked_as_lines():
    rows = "".join(f"<p>{r}</p>" for r in ["规章 | 0 | 0 | 0 |"] * 6)
    doc = extract_html(_legacy(f"<p>二、主动公开政府信息情况</p>{rows}"))
    assert _grids(doc) == []
    assert (doc.source_form, doc.meta["text_form"]) == ("html_text", "text_pipe")
    assert doc.meta["发布日期"] == "2021-03-15" and doc.title == LEGACY_TITLE


def test_layout_table_around_a_real_table_keeps_only_the_data_table_as_a_grid():
    data = "<table><tr><td>规章</td><td>5</td><td>0</td></tr><tr><td>行政许可</td><td>3</td><td>4</td></tr></table>"
    doc = extract_html(_legacy(f"<p>二、主动公开政府信息情况</p>{data}<p>注：无</p>"))
    (grid,) = _grids(doc)
    assert _texts(grid) == [["规章", "5", "0"], ["行政许可", "3", "4"]]
    assert doc.meta["发布日期"] == "2021-03-15" and doc.title == LEGACY_TITLE
    assert doc.source_form == "html_table"


def test_left_navigation_column_beside_the_content_is_layout_not_data():
    nav = (
        "<table>"
        + "".join(f"<tr><td><a href='/{i}'>栏目{i}</a></td></tr>" for i in range(12))
        + "</table>"
    )
    doc = extract_html(_legacy("".join(f"<p>{c}</p>" for c in CELL_LINES), nav=nav))
    assert _grids(doc) == []
    lines = _lines(doc)
    assert lines.index(LEGACY_TITLE) > lines.index("栏目11")  # nav first, then the content
    assert doc.meta["发布日期"] == "2021-03-15" and doc.title == LEGACY_TITLE


def test_navigation_bar_of_link_cells_is_not_a_data_table():
    bar = (
        "<table><tr>"
        + "".join(f"<td><a href='/{i}'>栏目{i}</a></td>" for i in range(8))
        + "</tr></table>"
    )
    body = "".join(f"<p>{c}</p>" for c in CELL_LINES)
    doc = extract_html(
        f"<html><body>{bar}<div class='wz'><p>{LEGACY_TITLE}</p>{body}</div></body></html>"
    )
    assert _grids(doc) == []
    assert doc.meta["body_selector"] == "page"  # the bar does not pass for the report's tables


def test_data_table_with_a_long_footnote_row_stays_a_grid():
    note = "注：" + "本表数据统计期限为本年度1月1日至12月31日，" * 8
    rows = "".join(f"<tr><td>项目{i}</td><td>{i}</td><td>{i + 1}</td></tr>" for i in range(4))
    table = f"<table>{rows}<tr><td colspan='3'>{note}</td></tr></table>"
    doc = extract_html(_page(f"<div class='TRS_Editor'>{table}</div>"))
    (grid,) = _grids(doc)
    assert len(grid.rows) == 5 and grid.rows[4][0].text == note.strip()


def test_national_labels_table_with_paragraph_cells_stays_a_grid():
    cell = "<td><p><span>{}</span></p></td>"
    header = "".join(
        cell.format(x) for x in ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    )
    rows = f"<tr>{header}</tr>" + "".join(
        "<tr>" + "".join(cell.format(x) for x in [label, "", "", ""]) + "</tr>"
        for label in ["规章", "行政规范性文件"]
    )
    doc = extract_html(_page(f"<div class='TRS_Editor'><table>{rows}</table></div>"))
    (grid,) = _grids(doc)
    assert _texts(grid)[0] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]


def test_legacy_fontzoom_body_cell_is_the_body():
    # Without a doctype (quirks mode, as on these portals) ids match in any case; with one,
    # only as written, hence both spellings in the selectors.
    for doctype in ("", "<!DOCTYPE html>"):
        for attrs in ("id='fontzoom'", "id='FontZoom'", "id='Zoom'"):
            body = "".join(f"<p>{c}</p>" for c in CELL_LINES)
            page = doctype + _legacy("").replace(
                "<td class='nr'></td>", f"<td class='nr' {attrs}>{body}</td>"
            )
            doc = extract_html(page)
            assert doc.meta["body_selector"] in ("legacy", "hanweb"), attrs
            assert _lines(doc) == CELL_LINES  # title, byline and footer are chrome
            assert doc.meta["发布日期"] == "2021-03-15" and doc.title == LEGACY_TITLE
