"""The national report format as data: sections, tables, codes, printed labels and variants, rules.

Everything that knows what a 政府信息公开工作年度报告 looks like reads this module: the parser (to
anchor on labels), the validator (the rules at the bottom), the Parquet schema (code dictionaries)
and the generated data dictionary. Adding a wording variant is one string added to a `keys` tuple
here, never an `if` in the parser.

Besides the tables: the wording that tells the templates apart (and pre-2019 reports from
them), the words that make a page a report or a table a report table, the marks a cell may hold
instead of a number, and the vocabulary substitutions of traditional-script mirrors.

Labels are written normalised (half-width brackets and digits, no spaces, simplified script);
`keys` are the distinctive words a normalised printed label must contain (or equal, where
`exact`) for the label to be recognised, the first key being the canonical wording.
"""

from __future__ import annotations

from dataclasses import dataclass

V2019 = "v2019"
V2021 = "v2021"
TEMPLATES: tuple[str, ...] = (V2019, V2021)
BOTH = frozenset(TEMPLATES)
ONLY_2019 = frozenset({V2019})
ONLY_2021 = frozenset({V2021})


@dataclass(frozen=True, slots=True)
class Line:
    """A row or column of a national table (or a section heading)."""

    code: str
    label: str
    keys: tuple[str, ...]
    meaning: str
    templates: frozenset[str] = BOTH
    exact: bool = False  # the normalised label, numbering stripped, must equal a key
    unit: str | None = None  # unit printed in the format itself (e.g. 万元 in a header)


@dataclass(frozen=True, slots=True)
class Block:
    """One 第二十条 block of the active-disclosure table: its items (rows) and metrics (columns)."""

    group: str
    keys: tuple[str, ...]
    items: tuple[Line, ...]
    metrics: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """An arithmetic identity: for each `per` line, sum(lhs) must equal sum(rhs).

    per="column": the identity runs down each column over rows (lhs/rhs are row codes);
    per="row": it runs across each row over columns (lhs/rhs are column codes).
    Blank, dash and none_word cells count as 0 (and the finding says so); not_applicable and
    unread cells make the rule inapplicable for that line. Messages may use {row}/{column},
    {lhs}/{rhs} (the sums) and {lhs_said}: "printed 3", or "left blank (counted as 0)" when the
    one cell of the left side held no number, so a message never quotes a 0 the source lacks.
    """

    code: str
    table: str
    per: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    severity: str
    message: str


# --- Sections -------------------------------------------------------------------------------

SECTIONS: tuple[Line, ...] = (
    Line("overview", "一、总体情况", ("总体情况",), "Overview of the year's disclosure work"),
    Line(
        "active_disclosure",
        "二、主动公开政府信息情况",
        ("主动公开政府信息情况", "行政机关主动公开政府信息情况", "主动公开情况"),
        "Proactive disclosure (table 二)",
    ),
    Line(
        "requests",
        "三、收到和处理政府信息公开申请情况",
        (
            "收到和处理政府信息公开申请情况",
            "行政机关收到和处理政府信息公开申请情况",
            "收到和处理政府信息公开申请",
        ),
        "Requests received and how they were handled (table 三)",
    ),
    Line(
        "review_litigation",
        "四、政府信息公开行政复议、行政诉讼情况",
        (
            "政府信息公开行政复议、行政诉讼情况",
            "政府信息公开行政复议行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "政府信息公开行政复议及行政诉讼情况",
            "行政复议、行政诉讼情况",
        ),
        "Administrative review and litigation over disclosure (table 四)",
    ),
    Line(
        "problems",
        "五、存在的主要问题及改进情况",
        (
            "存在的主要问题及改进情况",
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题和改进措施",
            "存在的主要问题和改进情况",
        ),
        "Main problems and improvements",
    ),
    Line(
        "other_matters",
        "六、其他需要报告的事项",
        ("其他需要报告的事项", "其他需要报告事项"),
        "Other matters (v2021: the 信息处理费 collected)",
    ),
)

# --- Table 三: requests ---------------------------------------------------------------------

APPLICANTS: tuple[Line, ...] = (
    Line("natural_person", "自然人", ("自然人",), "Natural persons"),
    Line("commercial", "商业企业", ("商业企业",), "Legal persons/organisations: businesses"),
    Line("research", "科研机构", ("科研机构",), "Legal persons/organisations: research institutes"),
    Line(
        "social_welfare",
        "社会公益组织",
        ("社会公益组织",),
        "Legal persons/organisations: public-interest organisations",
    ),
    Line(
        "legal_service",
        "法律服务机构",
        ("法律服务机构",),
        "Legal persons/organisations: legal service providers",
    ),
    Line("other_org", "其他", ("其他",), "Legal persons/organisations: others", exact=True),
    Line("total", "总计", ("总计", "合计"), "Total over all applicants", exact=True),
)
# Not in the national grid; kept if a report adds it, checked by `org_subtotal`
# (docs/national-format.md#extra-and-missing-structure).
ORG_SUBTOTAL = Line(
    "org_subtotal", "小计", ("小计",), "Subtotal of the five organisation columns", exact=True
)
APPLICANT_GROUP_LABELS: tuple[str, ...] = ("申请人情况", "法人或其他组织")
BALANCE_NOTE_KEYS: tuple[str, ...] = ("勾稽关系", "第一项加第二项之和")

REQUEST_ROWS: tuple[Line, ...] = (
    Line(
        "new",
        "一、本年新收政府信息公开申请数量",
        ("本年新收政府信息公开申请数量", "本年新收"),
        "New requests received this year",
    ),
    Line(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        ("上年结转政府信息公开申请数量", "上年结转"),
        "Requests carried over from last year",
    ),
    Line("granted", "(一)予以公开", ("予以公开",), "Granted in full"),
    Line(
        "partially_granted",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
        ("部分公开",),
        "Granted in part",
    ),
    Line(
        "denied.state_secret",
        "1.属于国家秘密",
        ("属于国家秘密", "国家秘密"),
        "Denied: state secret",
    ),
    Line(
        "denied.prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        ("其他法律行政法规禁止公开", "法律行政法规禁止公开"),
        "Denied: prohibited by other laws and regulations",
    ),
    Line(
        "denied.security_stability",
        '3.危及"三安全一稳定"',
        ('危及"三安全一稳定"', "三安全一稳定"),
        "Denied: endangers the 'three securities and one stability'",
    ),
    Line(
        "denied.third_party_rights",
        "4.保护第三方合法权益",
        ("保护第三方合法权益", "第三方合法权益"),
        "Denied: protects third-party rights",
    ),
    Line(
        "denied.internal_affairs",
        "5.属于三类内部事务信息",
        ("属于三类内部事务信息", "内部事务信息"),
        "Denied: internal-affairs information",
    ),
    Line(
        "denied.process_info",
        "6.属于四类过程性信息",
        ("属于四类过程性信息", "过程性信息"),
        "Denied: process information",
    ),
    Line(
        "denied.enforcement_file",
        "7.属于行政执法案卷",
        ("属于行政执法案卷", "行政执法案卷"),
        "Denied: administrative enforcement file",
    ),
    Line(
        "denied.admin_inquiry",
        "8.属于行政查询事项",
        ("属于行政查询事项", "行政查询事项"),
        "Denied: administrative inquiry matter",
    ),
    Line(
        "unable.not_held",
        "1.本机关不掌握相关政府信息",
        ("本机关不掌握相关政府信息", "不掌握相关政府信息"),
        "Unable: the agency does not hold the information",
    ),
    Line(
        "unable.needs_creation",
        "2.没有现成信息需要另行制作",
        ("没有现成信息需要另行制作", "需要另行制作"),
        "Unable: would need to be newly created",
    ),
    Line(
        "unable.unclear_after_correction",
        "3.补正后申请内容仍不明确",
        ("补正后申请内容仍不明确", "申请内容仍不明确"),
        "Unable: still unclear after correction",
    ),
    Line(
        "not_processed.complaint",
        "1.信访举报投诉类申请",
        ("信访举报投诉类申请", "信访举报投诉"),
        "Not processed: petition/complaint",
    ),
    Line(
        "not_processed.duplicate", "2.重复申请", ("重复申请",), "Not processed: duplicate request"
    ),
    Line(
        "not_processed.publication",
        "3.要求提供公开出版物",
        ("要求提供公开出版物", "公开出版物"),
        "Not processed: asks for a publication",
    ),
    Line(
        "not_processed.excessive",
        "4.无正当理由大量反复申请",
        ("无正当理由大量反复申请", "大量反复申请"),
        "Not processed: excessive repeated requests",
    ),
    Line(
        "not_processed.confirm_or_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        ("要求行政机关确认或重新出具已获取信息", "确认或重新出具已获取信息"),
        "Not processed: asks to confirm or reissue information already obtained",
    ),
    Line(
        "other",
        "(六)其他处理",
        ("其他处理",),
        "Other handling (v2019: one row). In a v2021 report only where its table prints this "
        "one row instead of the three other.* rows (finding parse.other_as_one_row): then it "
        "holds their sum and other.* stay unread",
        templates=ONLY_2019,
    ),
    Line(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("申请人无正当理由逾期不补正", "逾期不补正"),
        "Other: applicant did not correct the request in time",
        templates=ONLY_2021,
    ),
    Line(
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("申请人逾期未按收费通知要求缴纳费用", "未按收费通知要求缴纳费用", "缴纳费用"),
        "Other: applicant did not pay the fee in time",
        templates=ONLY_2021,
    ),
    Line("other.other", "3.其他", ("其他",), "Other: other", templates=ONLY_2021, exact=True),
    Line(
        "total_handled",
        "(七)总计",
        ("总计",),
        "Total handled (sum of the outcome rows)",
        exact=True,
    ),
    Line(
        "carried_forward",
        "四、结转下年度继续办理",
        ("结转下年度继续办理", "结转下年度"),
        "Carried forward to next year",
    ),
)
# Category labels that stand in the grid without a data row of their own (per template).
REQUEST_HEADINGS: dict[str, tuple[Line, ...]] = {
    V2019: (
        Line("outcomes", "三、本年度办理结果", ("本年度办理结果",), "Outcomes heading"),
        Line("denied", "(三)不予公开", ("不予公开",), "Denied heading", exact=True),
        Line("unable", "(四)无法提供", ("无法提供",), "Unable heading", exact=True),
        Line("not_processed", "(五)不予处理", ("不予处理",), "Not processed heading", exact=True),
    ),
    V2021: (
        Line("outcomes", "三、本年度办理结果", ("本年度办理结果",), "Outcomes heading"),
        Line("denied", "(三)不予公开", ("不予公开",), "Denied heading", exact=True),
        Line("unable", "(四)无法提供", ("无法提供",), "Unable heading", exact=True),
        Line("not_processed", "(五)不予处理", ("不予处理",), "Not processed heading", exact=True),
        Line("other", "(六)其他处理", ("其他处理",), "Other handling heading", exact=True),
    ),
}
OUTCOME_ROWS: tuple[str, ...] = tuple(
    r.code
    for r in REQUEST_ROWS
    if r.code not in ("new", "carried_over", "total_handled", "carried_forward")
)


def request_rows(template: str) -> tuple[Line, ...]:
    """The data rows of table 三 in source order for a template (23 in v2019, 25 in v2021)."""
    return tuple(r for r in REQUEST_ROWS if template in r.templates)


# --- Table 二: active disclosure ------------------------------------------------------------

_PREV = Line(
    "prev_year_count", "上一年项目数量", ("上一年项目数量",), "Number of items the previous year"
)
_CHANGE = Line(
    "change",
    "本年增/减",
    ("本年增/减", "本年增减", "增/减", "增减"),
    "Change this year (may be negative)",
)
_DECISIONS_2019 = Line("decisions", "处理决定数量", ("处理决定数量",), "Number of decisions")
_DECISIONS_2021 = Line(
    "decisions",
    "本年处理决定数量",
    ("本年处理决定数量", "处理决定数量"),
    "Number of decisions this year",
)
_REGULATION = Line("regulation", "规章", ("规章",), "Government rules (规章)", exact=True)

ACTIVE_DISCLOSURE: dict[str, tuple[Block, ...]] = {
    V2019: (
        Block(
            "第二十条第(一)项",
            ("第二十条第(一)项",),
            (
                _REGULATION,
                Line(
                    "normative_document",
                    "规范性文件",
                    ("规范性文件", "规范性档案"),
                    "Normative documents",
                ),
                Line(
                    "other_published_document",
                    "其他主动公开文件",
                    ("其他主动公开文件",),
                    "Other proactively published documents (provincial add-on row)",
                ),
            ),
            (
                Line(
                    "new_made",
                    "本年新制作数量",
                    ("本年新制作数量", "新制作数量"),
                    "Newly made this year",
                ),
                Line(
                    "new_published",
                    "本年新公开数量",
                    ("本年新公开数量", "新公开数量"),
                    "Newly published this year",
                ),
                Line(
                    "total_published",
                    "对外公开总数量",
                    ("对外公开总数量", "公开总数量"),
                    "Total published",
                ),
            ),
        ),
        Block(
            "第二十条第(五)项",
            ("第二十条第(五)项",),
            (
                Line("license", "行政许可", ("行政许可",), "Administrative licences", exact=True),
                Line(
                    "other_admin_service",
                    "其他对外管理服务事项",
                    ("其他对外管理服务事项", "对外管理服务事项"),
                    "Other external management services",
                ),
            ),
            (_PREV, _CHANGE, _DECISIONS_2019),
        ),
        Block(
            "第二十条第(六)项",
            ("第二十条第(六)项",),
            (
                Line("penalty", "行政处罚", ("行政处罚",), "Administrative penalties", exact=True),
                Line(
                    "coercion",
                    "行政强制",
                    ("行政强制",),
                    "Administrative coercive measures",
                    exact=True,
                ),
            ),
            (_PREV, _CHANGE, _DECISIONS_2019),
        ),
        Block(
            "第二十条第(八)项",
            ("第二十条第(八)项",),
            (
                Line(
                    "admin_fee",
                    "行政事业性收费",
                    ("行政事业性收费",),
                    "Administrative fees (number of fee items)",
                ),
            ),
            (_PREV, _CHANGE),
        ),
        Block(
            "第二十条第(九)项",
            ("第二十条第(九)项",),
            (
                Line(
                    "procurement",
                    "政府集中采购",
                    ("政府集中采购",),
                    "Centralised government procurement",
                ),
            ),
            (
                Line(
                    "projects", "采购项目数量", ("采购项目数量",), "Number of procurement projects"
                ),
                Line(
                    "amount",
                    "采购总金额",
                    ("采购总金额",),
                    "Total procurement amount (unit only as the cell states it)",
                ),
            ),
        ),
    ),
    V2021: (
        Block(
            "第二十条第(一)项",
            ("第二十条第(一)项",),
            (
                _REGULATION,
                Line(
                    "normative_document",
                    "行政规范性文件",
                    ("行政规范性文件", "规范性文件", "行政规范性档案", "规范性档案"),
                    "Administrative normative documents",
                ),
                Line(
                    "other_published_document",
                    "其他主动公开文件",
                    ("其他主动公开文件",),
                    "Other proactively published documents (provincial add-on row)",
                ),
            ),
            (
                Line("issued", "本年制发件数", ("本年制发件数", "制发件数"), "Issued this year"),
                Line(
                    "repealed", "本年废止件数", ("本年废止件数", "废止件数"), "Repealed this year"
                ),
                Line(
                    "in_force", "现行有效件数", ("现行有效件数", "有效件数"), "In force at year end"
                ),
            ),
        ),
        Block(
            "第二十条第(五)项",
            ("第二十条第(五)项",),
            (Line("license", "行政许可", ("行政许可",), "Administrative licences", exact=True),),
            (_DECISIONS_2021,),
        ),
        Block(
            "第二十条第(六)项",
            ("第二十条第(六)项",),
            (
                Line("penalty", "行政处罚", ("行政处罚",), "Administrative penalties", exact=True),
                Line(
                    "coercion",
                    "行政强制",
                    ("行政强制",),
                    "Administrative coercive measures",
                    exact=True,
                ),
            ),
            (_DECISIONS_2021,),
        ),
        Block(
            "第二十条第(八)项",
            ("第二十条第(八)项",),
            (
                Line(
                    "admin_fee",
                    "行政事业性收费",
                    ("行政事业性收费",),
                    "Administrative fees collected (amount)",
                ),
            ),
            (
                Line(
                    "amount",
                    "本年收费金额(单位:万元)",
                    ("本年收费金额", "收费金额"),
                    "Fees collected this year",
                    unit="万元",
                ),
            ),
        ),
    ),
}
# Optional items a report may omit without a parse.missing_row finding.
OPTIONAL_ITEMS: frozenset[str] = frozenset({"other_published_document"})
ACTIVE_DISCLOSURE_HEADER_KEYS: tuple[str, ...] = ("信息内容",)

# --- Table 四: review and litigation --------------------------------------------------------

PROCEEDINGS: tuple[Line, ...] = (
    Line("review", "行政复议", ("行政复议",), "Administrative review", exact=True),
    Line(
        "litigation_direct",
        "行政诉讼/未经复议直接起诉",
        ("未经复议直接起诉",),
        "Litigation without prior review",
    ),
    Line(
        "litigation_after_review", "行政诉讼/复议后起诉", ("复议后起诉",), "Litigation after review"
    ),
)
OUTCOMES: tuple[Line, ...] = (
    Line("upheld", "结果维持", ("结果维持",), "Decision upheld"),
    Line("corrected", "结果纠正", ("结果纠正",), "Decision corrected"),
    Line("other", "其他结果", ("其他结果",), "Other result"),
    Line("pending", "尚未审结", ("尚未审结",), "Not yet concluded"),
    Line("total", "总计", ("总计",), "Total", exact=True),
)
REVIEW_HEADER_KEYS: tuple[str, ...] = ("行政复议", "行政诉讼")

# --- Template detection (parse/detect.py documents the order in which these decide) --------

# Wording that occurs in one template only; detection counts these in the document.
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    V2019: (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "采购总金额",
        "其他对外管理服务事项",
    ),
    V2021: (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额",
        "逾期不补正",
        "未按收费通知要求缴纳费用",
    ),
}
# Rows of table 三 that exist in both templates: a table 三 without v2021's (六) sub-rows is v2019.
REQUEST_TABLE_MARKERS: tuple[str, ...] = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请",
)
# Wording of the pre-2019 era that neither national template uses: the indicators of the 2014
# 政府信息公开情况统计表 and the section headings of the 2008 条例 (第三十二条) reports. Never
# words every report carries (政府信息公开工作年度报告, 依申请公开 alone: v2021's overview
# heads a part with it), since a stub page titled with them is no pre-2019 report.
LEGACY_MARKERS: tuple[str, ...] = (
    "政府信息公开情况统计表",
    "统计指标",
    "主动公开政府信息数",
    "主动公开规范性文件数",
    "制发规范性文件总数",
    "政府公报公开政府信息数",
    "政府网站公开政府信息数",
    "收到申请数",
    "申请办结数",
    "申请答复数",
    "同意公开答复数",
    "依申请公开信息收取的费用",
    "概述",
    "依申请公开政府信息情况",
    "依申请公开政府信息和不予公开政府信息",
    "收费及减免",
    "因政府信息公开申请行政复议",
)
# Distinct legacy wordings a document must carry: one could be a stray phrase, a format has more.
LEGACY_MIN_MARKERS = 2

# --- Document wording outside the tables ----------------------------------------------------

# A document whose title or sections carry none of these is not an annual report.
REPORT_WORDS: tuple[str, ...] = ("年度报告", "年报", "政府信息公开")
# A line naming the report (a title candidate), in either script.
REPORT_TITLE_WORDS: tuple[str, ...] = ("报告", "年报", "報告", "年報")
# The words that end a report title printed over several paragraphs (Word documents).
REPORT_TITLE_ENDINGS: tuple[str, ...] = ("年度报告", "工作报告")
# Wording of the national tables: a table (or a text) carrying any is a report table.
STAT_TABLE_MARKERS: tuple[str, ...] = ("第二十条", "自然人", "行政复议", "信息内容", "申请人情况")
# Units printed in table 二's header cells (normalised header text -> the cells' unit).
ACTIVE_DISCLOSURE_HEADER_UNITS: tuple[tuple[str, str], ...] = (("万元", "万元"), ("单位:元", "元"))
# Words that anchor table 四 when they stand in a short line: its headers, or its first cells.
REVIEW_ANCHOR_KEYS: tuple[str, ...] = (*REVIEW_HEADER_KEYS, "结果维持", "复议后起诉")
# Mirrors translate by vocabulary as well as by character (規範性檔案 for 规范性文件); applied
# after the character conversion (labels.py), in this order.
VOCABULARY: tuple[tuple[str, str], ...] = (
    ("档案", "文件"),
    ("资讯", "信息"),
    ("讯息", "信息"),
    ("入口网站", "门户网站"),
)

# --- Cell marks: what a cell may hold besides a number (model.CellKind) ---------------------

# Cells are matched after NFKC and with spaces removed, but not script-converted: hence both
# scripts here.
NOT_APPLICABLE_MARKS: frozenset[str] = frozenset({"/", "不适用", "不適用", "\\"})
DASH_MARKS: frozenset[str] = frozenset({"-", "—", "–", "--", "——", "―", "─", "-/-"})
NONE_WORDS: frozenset[str] = frozenset({"无", "無", "没有", "沒有"})
# Units as printed inside a cell -> the unit kept on the value (never converted).
CELL_UNITS: dict[str, str] = {
    "万元": "万元",
    "萬元": "万元",
    "元": "元",
    "件": "件",
    "项": "项",
    "項": "项",
    "个": "个",
    "個": "个",
    "条": "条",
    "條": "条",
}
# Signs printed before a number (table 二's 本年增/减) -> the factor applied.
CELL_SIGNS: dict[str, int] = {
    "-": -1,
    "+": 1,
    "减少": -1,
    "減少": -1,
    "减": -1,
    "減": -1,
    "增加": 1,
    "增": 1,
}

# --- Consistency rules (docs/national-format.md#consistency-rules) -------------------------

_ORG_COLUMNS = ("commercial", "research", "social_welfare", "legal_service", "other_org")

RULES: tuple[Rule, ...] = (
    Rule(
        "requests.balance",
        "requests",
        "column",
        ("new", "carried_over"),
        ("total_handled", "carried_forward"),
        "error",
        "{column}: new + carried over = {lhs}, but total handled + carried forward = {rhs}",
    ),
    Rule(
        "requests.total_handled",
        "requests",
        "column",
        ("total_handled",),
        OUTCOME_ROWS,
        "error",
        "{column}: (七)总计 {lhs_said}, but the outcome rows sum to {rhs}",
    ),
    Rule(
        "requests.row_total",
        "requests",
        "row",
        ("total",),
        ("natural_person", *_ORG_COLUMNS),
        "error",
        "{row}: 总计 {lhs_said}, but the applicant columns sum to {rhs}",
    ),
    Rule(
        "org_subtotal",
        "requests",
        "row",
        ("org_subtotal",),
        _ORG_COLUMNS,
        "error",
        "{row}: 小计 {lhs_said}, but the five organisation columns sum to {rhs}",
    ),
    Rule(
        "review_litigation.total",
        "review_litigation",
        "row",
        ("total",),
        ("upheld", "corrected", "other", "pending"),
        "error",
        "{row}: 总计 {lhs_said}, but upheld + corrected + other + pending = {rhs}",
    ),
)
