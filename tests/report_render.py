"""Render report tables (cell texts as printed) into the input forms portals produce.

Test helper, not a test: the fixture generator and the property tests use it. The national
layouts are written out here by hand (labels, spans, order), independently of template.py, so
a parser that misreads the template cannot agree with itself.
"""

from __future__ import annotations

import html as htmlmod
from dataclasses import dataclass, field

APPLICANT_LABELS = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
]
APPLICANTS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
]
# (code, [label cells from the left: (text, colspan, rowspan) for cells starting on this row])
REQUEST_ROWS_2019 = [
    ("new", "一、本年新收政府信息公开申请数量", None, None),
    ("carried_over", "二、上年结转政府信息公开申请数量", None, None),
    ("granted", "（一）予以公开", "三、本年度办理结果", None),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, None),
    ("denied.state_secret", "1.属于国家秘密", None, "（三）不予公开"),
    ("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", None, None),
    ("denied.security_stability", "3.危及“三安全一稳定”", None, None),
    ("denied.third_party_rights", "4.保护第三方合法权益", None, None),
    ("denied.internal_affairs", "5.属于三类内部事务信息", None, None),
    ("denied.process_info", "6.属于四类过程性信息", None, None),
    ("denied.enforcement_file", "7.属于行政执法案卷", None, None),
    ("denied.admin_inquiry", "8.属于行政查询事项", None, None),
    ("unable.not_held", "1.本机关不掌握相关政府信息", None, "（四）无法提供"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作", None, None),
    ("unable.unclear_after_correction", "3.补正后申请内容仍不明确", None, None),
    ("not_processed.complaint", "1.信访举报投诉类申请", None, "（五）不予处理"),
    ("not_processed.duplicate", "2.重复申请", None, None),
    ("not_processed.publication", "3.要求提供公开出版物", None, None),
    ("not_processed.excessive", "4.无正当理由大量反复申请", None, None),
    ("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", None, None),
    ("other", "（六）其他处理", None, None),
    ("total_handled", "（七）总计", None, None),
    ("carried_forward", "四、结转下年度继续办理", None, None),
]
_OTHER_2021 = [
    (
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        None,
        "（六）其他处理",
    ),
    (
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        None,
        None,
    ),
    ("other.other", "3.其他", None, None),
]
REQUEST_ROWS_2021 = REQUEST_ROWS_2019[:20] + _OTHER_2021 + REQUEST_ROWS_2019[21:]
# Rows whose label spans the two inner label columns (no category of their own).
TWO_COL = {"granted", "partially_granted", "other", "total_handled"}
THREE_COL = {"new", "carried_over", "carried_forward"}
CATEGORY_SIZE = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}

# Active disclosure blocks: (caption, [(header label, colspan)], [(item code, label)], metrics)
AD_2019 = [
    (
        "第二十条第（一）项",
        ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        [("regulation", "规章"), ("normative_document", "规范性文件")],
        ["new_made", "new_published", "total_published"],
    ),
    (
        "第二十条第（五）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        [("license", "行政许可"), ("other_admin_service", "其他对外管理服务事项")],
        ["prev_year_count", "change", "decisions"],
    ),
    (
        "第二十条第（六）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        [("penalty", "行政处罚"), ("coercion", "行政强制")],
        ["prev_year_count", "change", "decisions"],
    ),
    (
        "第二十条第（八）项",
        ["上一年项目数量", "本年增/减"],
        [("admin_fee", "行政事业性收费")],
        ["prev_year_count", "change"],
    ),
    (
        "第二十条第（九）项",
        ["采购项目数量", "采购总金额"],
        [("procurement", "政府集中采购")],
        ["projects", "amount"],
    ),
]
AD_2021 = [
    (
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        [("regulation", "规章"), ("normative_document", "行政规范性文件")],
        ["issued", "repealed", "in_force"],
    ),
    ("第二十条第（五）项", ["本年处理决定数量"], [("license", "行政许可")], ["decisions"]),
    (
        "第二十条第（六）项",
        ["本年处理决定数量"],
        [("penalty", "行政处罚"), ("coercion", "行政强制")],
        ["decisions"],
    ),
    (
        "第二十条第（八）项",
        ["本年收费金额（单位：万元）"],
        [("admin_fee", "行政事业性收费")],
        ["amount"],
    ),
]
PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class Tables:
    """The three tables as printed cell texts ('' = blank cell)."""

    template: str
    requests: dict[str, dict[str, str]]
    active: dict[str, dict[str, str]]
    review: dict[str, dict[str, str]]
    subtotal: dict[str, str] = field(default_factory=dict)  # row -> 小计 text, if a column
    subtotal_first: bool = False  # 小计 printed before 商业企业 rather than after 其他

    def request_rows(self):
        return REQUEST_ROWS_2019 if self.template == "v2019" else REQUEST_ROWS_2021

    def ad_blocks(self):
        return AD_2019 if self.template == "v2019" else AD_2021

    def applicant_texts(self, row: str) -> list[str]:
        texts = [self.requests[row][a] for a in APPLICANTS]
        if self.subtotal:
            texts.insert(1 if self.subtotal_first else 6, self.subtotal[row])
        return texts

    def org_labels(self) -> list[str]:
        """The leaf header labels under 法人或其他组织, in printed order."""
        leaf = APPLICANT_LABELS[1:6]
        if not self.subtotal:
            return leaf
        return ["小计", *leaf] if self.subtotal_first else [*leaf, "小计"]


def plain_tables(template: str, new: int = 0) -> Tables:
    """Printed tables of a report: every cell 0, but `new` requests granted (natural persons)."""
    rows = REQUEST_ROWS_2019 if template == "v2019" else REQUEST_ROWS_2021
    requests = {code: dict.fromkeys(APPLICANTS, "0") for code, *_ in rows}
    for code in ("new", "granted", "total_handled"):
        requests[code] |= {"natural_person": str(new), "total": str(new)}
    blocks = AD_2019 if template == "v2019" else AD_2021
    active = {code: dict.fromkeys(metrics, "0") for _c, _h, items, metrics in blocks
              for code, _l in items}  # fmt: skip
    review = {p: dict.fromkeys(OUTCOMES, "0") for p in PROCEEDINGS}
    return Tables(template, requests, active, review)


# --- HTML -----------------------------------------------------------------------------------


def td(text: str, colspan: int = 1, rowspan: int = 1, style: int = 0) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
        f' rowspan="{rowspan}"' if rowspan > 1 else ""
    )
    body = htmlmod.escape(text) if text else "&nbsp;"
    if style == 1:
        body = f'<p style="text-align:center"><span style="font-size:12pt">{body}</span></p>'
    elif style == 2:
        body = f"<span>{body}</span>"
    return f"<td{attrs}>{body}</td>"


def html_active(t: Tables, style: int = 1) -> list[str]:
    """Rows (<tr>…</tr>) of table 二 in a 4-column grid, as in the national format."""
    rows = []
    for caption, headers, items, metrics in t.ad_blocks():
        rows.append(f"<tr>{td(caption, 4, style=style)}</tr>")
        span = 3 // len(headers) if len(headers) < 3 else 1
        last = 3 - span * (len(headers) - 1)
        cells = [td("信息内容", style=style)]
        for i, h in enumerate(headers):
            cells.append(td(h, last if i == len(headers) - 1 else span, style=style))
        rows.append("<tr>" + "".join(cells) + "</tr>")
        for code, label in items:
            cells = [td(label, style=style)]
            for i, m in enumerate(metrics):
                cells.append(
                    td(t.active[code][m], last if i == len(metrics) - 1 else span, style=style)
                )
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def html_requests_header(
    t: Tables, style: int = 1, spaced: bool = False, spare: bool = False
) -> list[str]:
    """The three header rows; `spare` adds an unmerged empty column before the data."""
    org = len(APPLICANTS) - 2 + (1 if t.subtotal else 0)
    width = org + 2
    leaf = t.org_labels()
    if spaced:
        leaf = [lab[:2] + " " + lab[2:] for lab in leaf]
    gap = td("", style=style) if spare else ""
    return [
        f"<tr>{td(BALANCE_NOTE, 3, 3, style)}{gap}{td('申请人情况', width, style=style)}</tr>",
        f"<tr>{gap}{td('自然人', 1, 2, style)}{td('法人或其他组织', org, style=style)}"
        f"{td('总计', 1, 2, style)}</tr>",
        "<tr>" + gap + "".join(td(x, style=style) for x in leaf) + "</tr>",
    ]


def html_requests_body(t: Tables, style: int = 1, spare: bool = False) -> list[str]:
    rows = []
    outcome_rows = 20 if t.template == "v2019" else 22
    for code, label, vertical, category in t.request_rows():
        cells = []
        if vertical:
            cells.append(td(vertical, 1, outcome_rows, style))
        if category:
            cells.append(td(category, 1, CATEGORY_SIZE[category], style))
        span = 3 if code in THREE_COL else (2 if code in TWO_COL else 1)
        cells.append(td(label, span, style=style))
        if spare:
            cells.append(td("", style=style))
        cells += [td(x, style=style) for x in t.applicant_texts(code)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def html_review(t: Tables, style: int = 1) -> list[str]:
    outcome_cells = "".join(td(x, 1, 2, style) for x in OUTCOME_LABELS)
    return [
        f"<tr>{td('行政复议', 5, style=style)}{td('行政诉讼', 10, style=style)}</tr>",
        f"<tr>{outcome_cells}{td('未经复议直接起诉', 5, style=style)}"
        f"{td('复议后起诉', 5, style=style)}</tr>",
        "<tr>" + "".join(td(x, style=style) for x in OUTCOME_LABELS * 2) + "</tr>",
        "<tr>"
        + "".join(td(t.review[p][o], style=style) for p in PROCEEDINGS for o in OUTCOMES)
        + "</tr>",
    ]


def table(rows: list[str]) -> str:
    return '<table border="1" cellspacing="0">\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


# --- text forms -----------------------------------------------------------------------------


def request_label_cells(t: Tables) -> list[tuple[str, list[str]]]:
    """(code, label cells starting on that row) for table 三, as read row by row."""
    out = []
    for code, label, vertical, category in t.request_rows():
        out.append((code, [x for x in (vertical, category, label) if x]))
    return out


def header_cells_requests(t: Tables) -> list[str]:
    return [BALANCE_NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", *t.org_labels()]


def cells_lines(t: Tables, *, keep_blanks: bool = False, pipe: bool = False) -> list[str]:
    """Cell-per-line text of the three tables (blank cells vanish unless `keep_blanks`)."""
    end = " |" if pipe else ""
    lines: list[str] = ["二、主动公开政府信息情况"]

    def put(text: str) -> None:
        if text or keep_blanks:
            lines.append(f"{text}{end}")

    for caption, headers, items, metrics in t.ad_blocks():
        for x in [caption, "信息内容", *headers]:
            put(x)
        for code, label in items:
            put(label)
            for m in metrics:
                put(t.active[code][m])
    lines.append("三、收到和处理政府信息公开申请情况")
    for x in header_cells_requests(t):
        put(x)
    for code, labels in request_label_cells(t):
        for x in labels:
            put(x)
        for x in t.applicant_texts(code):
            put(x)
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    for x in ["行政复议", "行政诉讼", *OUTCOME_LABELS, "未经复议直接起诉", "复议后起诉"]:
        put(x)
    for x in OUTCOME_LABELS * 2:
        put(x)
    for p in PROCEEDINGS:
        for o in OUTCOMES:
            put(t.review[p][o])
    return lines


def pipe_lines(t: Tables) -> list[str]:
    """One line per grid row, every cell closed by a pipe, merged positions as empty cells."""

    def row(cells: list[str]) -> str:
        return " | ".join(cells) + " |"

    lines = ["二、主动公开政府信息情况"]
    for caption, headers, items, metrics in t.ad_blocks():
        lines.append(f"{caption} | |||")
        pad = [""] * (3 - len(headers)) if len(headers) == 1 else []
        lines.append(row(["信息内容", *headers, *pad]))
        for code, label in items:
            lines.append(row([label, *(t.active[code][m] for m in metrics), *pad]))
    lines.append("三、收到和处理政府信息公开申请情况")
    n = 7 + (1 if t.subtotal else 0)
    lines.append(f"{BALANCE_NOTE} | | | 申请人情况 |" + "|" * (n - 1))
    lines.append("| | | 自然人 | 法人或其他组织 |" + "|" * (n - 3) + " 总计 |")
    lines.append("| | | | " + " | ".join(t.org_labels()) + " | |")
    for code, labels in request_label_cells(t):
        label_cells = labels + [""] * (3 - len(labels))
        lines.append(row([*label_cells, *t.applicant_texts(code)]))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines.append("行政复议 | |||| 行政诉讼 | |||||||||")
    lines.append(" | ".join(OUTCOME_LABELS) + " | 未经复议直接起诉 | |||| 复议后起诉 | ||||")
    lines.append("| | | | | " + " | ".join(OUTCOME_LABELS * 2))
    lines.append(row([t.review[p][o] for p in PROCEEDINGS for o in OUTCOMES]))
    return lines


def wrap(label: str, width: int) -> list[str]:
    return [label[i : i + width] for i in range(0, len(label), width)]


def pdf_lines(
    t: Tables, *, wrap_width: int = 16, page_break_before: str | None = None, page: int = 4
) -> list[str]:
    """Whitespace rows as PDF text extraction gives them: label and numbers on one line,
    long labels wrapped with the numbers on the middle line, the merged vertical labels spread
    a character or two per line between the rows, a page footer and the header repeated."""
    lines = ["二、主动公开政府信息情况"]
    for caption, headers, items, metrics in t.ad_blocks():
        lines.append(caption.replace("第（", " 第（"))
        lines.append("信息内容 " + " ".join(headers))
        for code, label in items:
            vals = [t.active[code][m] for m in metrics]
            lines.append(" ".join([label, *[v for v in vals if v]]))
    lines.append("三、收到和处理政府信息公开申请情况")
    header = [
        "申请人情况",
        "（本列数据的勾稽关系为：第一项加第二项之和， 法人或其他组织",
        "等于第三项加第四项之和）",
        "自然人 总计",
        ("小计 " if t.subtotal and t.subtotal_first else "")
        + "商业企 科研机 社会公益 法律服务"
        + (" 小计" if t.subtotal and not t.subtotal_first else ""),
        "其他",
        "业 构 组织 机构",
    ]
    lines += header
    vertical = list("三、本年度办理结果")
    vertical = ["三、", *vertical[2:]]
    spread: list[str] = []
    for code, label, _v, category in t.request_rows():
        vals = [x for x in t.applicant_texts(code) if x]
        if page_break_before == code:
            lines += [f"- {page} -", *header]
        if category:
            spread = [category[:4], category[4:]]
        prefix = ""
        if code not in THREE_COL and code != "total_handled" and vertical:
            prefix = vertical.pop(0) + " "
        if spread and code not in ("granted",):
            prefix += spread.pop(0) + " "
        parts = wrap(label, wrap_width)
        if len(parts) == 1:
            lines.append(" ".join([prefix + label, *vals]))
        elif len(parts) == 2:  # numbers on a line of their own between the two halves
            lines += [prefix + parts[0], " ".join(vals), parts[1]]
        else:  # numbers on the middle line
            for i, part in enumerate(parts):
                text = (prefix if i == 0 else "") + part
                lines.append(" ".join([text, *vals]) if i == len(parts) // 2 else text)
    lines += vertical
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += [
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        "结果 结果 其他结 尚未",
        "总计",
        "维持 纠正 果 审结 结果 结果 其他 尚未 结果 结果 其他 尚未审",
        "总计 总计",
        "维持 纠正 结果 审结 维持 纠正 结果 结",
    ]
    lines.append(" ".join(x for p in PROCEEDINGS for o in OUTCOMES if (x := t.review[p][o])))
    return lines


# --- surface variants -----------------------------------------------------------------------

# Simplified -> traditional as a mirror site converts (by hand, for the fixture text only).
S2T = dict(
    zip(
        "万业举于会体关决况减务动区单发后报处复国审对属废开强当总执护数无时机权条构没现确稳类系纠纳"
        "组织经结继续维缴罚范获补规计认议许讼访诉询请购费转过这进采问项题额产县级办员网门统来间说"
        "编写图标个为应际设实据导见责监营环场选录证书们广历与两并从优传众华协参台号团坚声备层带态"
        "扩担换断显术杂极样检气汇沟济满热状独电疗码础离种积称简纪约线练细终给络绩综职联节荣视览订"
        "讨让训讯记讲论评识词试话详语误读调谈负财质贯资赔践车软较辖边达运还远违连递邮释里钱银销错"
        "闭闻阶陈险随难领频颁风馆验党制布征注舆适专义习买亲农准划则创别劳势医卫卖变叶启园围圆坏夺"
        "奖妇学宪将届岗师帮库异弃径怀惩战扬拟拥择挂旧暂杀栏树楼残毕汉测温灾点烟爱献矿礼粮紧红纲纷"
        "纸绍绝绿缓缩罢肃胜脱艺苏药虑虽装观触诈诊该诺谁谓谐谢谨贝",
        "萬業舉於會體關決況減務動區單發後報處復國審對屬廢開強當總執護數無時機權條構沒現確穩類係糾納"
        "組織經結繼續維繳罰範獲補規計認議許訟訪訴詢請購費轉過這進採問項題額產縣級辦員網門統來間說"
        "編寫圖標個為應際設實據導見責監營環場選錄證書們廣歷與兩並從優傳眾華協參臺號團堅聲備層帶態"
        "擴擔換斷顯術雜極樣檢氣匯溝濟滿熱狀獨電療碼礎離種積稱簡紀約線練細終給絡績綜職聯節榮視覽訂"
        "討讓訓訊記講論評識詞試話詳語誤讀調談負財質貫資賠踐車軟較轄邊達運還遠違連遞郵釋裡錢銀銷錯"
        "閉聞階陳險隨難領頻頒風館驗黨製佈徵註輿適專義習買親農準劃則創別勞勢醫衛賣變葉啟園圍圓壞奪"
        "獎婦學憲將屆崗師幫庫異棄徑懷懲戰揚擬擁擇掛舊暫殺欄樹樓殘畢漢測溫災點煙愛獻礦禮糧緊紅綱紛"
        "紙紹絕綠緩縮罷肅勝脫藝蘇藥慮雖裝觀觸詐診該諾誰謂諧謝謹貝",
        strict=True,
    )
)
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def to_traditional(text: str) -> str:
    text = text.replace("规范性文件", "規範性檔案").replace("“", "「").replace("”", "」")
    return "".join(S2T.get(ch, ch) for ch in text)


# --- whole documents ------------------------------------------------------------------------


@dataclass
class Page:
    """The prose around the tables: title, byline, section texts."""

    title: str
    agency: str
    published: str
    overview: list[str]
    problems: list[str]
    other: list[str]


def html_document(
    page: Page,
    t: Tables,
    *,
    layout: str = "per_section",
    style: int = 1,
    spaced_header: bool = False,
    split_requests_at: int | None = None,
    charset: str = "utf-8",
    spare_column: bool = False,
) -> str:
    paras = "\n".join(f"<p>{htmlmod.escape(x)}</p>" for x in page.overview)
    head = (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">\n'
        f'<meta name="ArticleTitle" content="{page.title}">\n'
        f'<meta name="PubDate" content="{page.published}">\n'
        f'<meta name="ContentSource" content="{page.agency}">\n'
        f"<title>{page.title}-{page.agency}</title></head>\n<body>\n"
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; 年报</div>\n'
        f'<div class="article"><h1>{page.title}</h1>\n'
        f'<div class="info">发布时间：{page.published} 来源：{page.agency}</div>\n'
        '<div class="TRS_Editor">\n'
        f"<p>一、总体情况</p>\n{paras}\n"
    )
    ad = html_active(t, style)
    req = html_requests_header(t, style, spaced_header, spare_column) + html_requests_body(
        t, style, spare_column
    )
    rl = html_review(t, style)
    h2 = "<p>二、主动公开政府信息情况</p>\n"
    h3 = "<p>三、收到和处理政府信息公开申请情况</p>\n"
    h4 = "<p>四、政府信息公开行政复议、行政诉讼情况</p>\n"
    if layout == "all_in_one":
        rows = [
            f"<tr>{td('二、主动公开政府信息情况', 15)}</tr>",
            *ad,
            f"<tr>{td('三、收到和处理政府信息公开申请情况', 15)}</tr>",
            *req,
            f"<tr>{td('四、政府信息公开行政复议、行政诉讼情况', 15)}</tr>",
            *rl,
        ]
        body = table(rows)
    else:
        if split_requests_at is not None:
            cut = 3 + split_requests_at
            req_html = table(req[:cut]) + "\n<p>　</p>\n" + table(req[cut:])
        else:
            req_html = table(req)
        body = h2 + table(ad) + "\n" + h3 + req_html + "\n" + h4 + table(rl)
    tail = (
        "<p>五、存在的主要问题及改进情况</p>\n"
        + "\n".join(f"<p>{htmlmod.escape(x)}</p>" for x in page.problems)
        + "\n<p>六、其他需要报告的事项</p>\n"
        + "\n".join(f"<p>{htmlmod.escape(x)}</p>" for x in page.other)
        + "\n</div></div>\n"
        '<div class="footer">主办：某某县人民政府办公室 网站标识码：0000000000</div>\n'
        "</body></html>\n"
    )
    return head + body + "\n" + tail


def text_document(page: Page, table_lines: list[str]) -> str:
    top = [
        page.title,
        f"来源：{page.agency} 发布时间：{page.published}",
        "一、总体情况",
        *page.overview,
    ]
    bottom = ["五、存在的主要问题及改进情况", *page.problems, "六、其他需要报告的事项", *page.other]
    return "\n".join(top + table_lines + bottom) + "\n"
