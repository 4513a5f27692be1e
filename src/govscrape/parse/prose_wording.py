"""The wording the prose reader knows, as data: measures, their words, and what voids a figure.

Reports on 2008-2018 have no national table; their figures stand in sentences. Each entry here
is a regular expression over normalised text (NFKC, simplified script, no spaces; full-width
，：；（） become , : ; ( )) with the reason it means what the reader takes it to mean. A new
wording is a line here, never an `if` in parse/prose.py. The reader's rules are in its docstring.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class W:
    """One wording: a regular expression and why it means what the reader takes it to mean."""

    pattern: str
    reason: str


@dataclass(frozen=True, slots=True)
class TableSource:
    """Where a national table holds the measure: rows (a trailing `.` is every row of that
    block, summed) of one column of one table; a sum of several cells is derived."""

    table: str
    rows: tuple[str, ...]
    column: str


@dataclass(frozen=True, slots=True)
class Measure:
    """A headline figure: what it counts, the words that make a clause about it, its units.

    `triggers` make a clause about the measure on their own. `nouns` do so only beside one of
    the `verbs` (申请 is a request only where one is received: 收到…申请) or after a negation (无
    …申请); in the measure's own `section` a verb alone does (受理3件 under 依申请公开情况).
    `handling` words void the `triggers` when no verb stands beside them (办理依申请公开3件 is
    requests handled, not received). `elsewhere` words make the clause about something else.
    """

    code: str
    meaning: str
    units: tuple[str, ...]
    triggers: tuple[W, ...]
    elsewhere: tuple[W, ...] = ()
    nouns: tuple[W, ...] = ()
    verbs: tuple[W, ...] = ()
    handling: tuple[W, ...] = ()
    section: str | None = None
    about_disclosure: bool = False  # the sentence must speak of 公开, or stand in `section`
    table: TableSource | None = None
    unit: str = "件"  # the unit a value is kept in when the figure prints none (为0)


# --- Units ------------------------------------------------------------------------------------

REQUEST_UNITS = (
    "件",
    "宗",
    "份",
    "例",
    "起",
)  # 个/项/次 count other things too often (个工作日, 一次性)
ITEM_UNITS = ("条", "件", "篇", "项", "份", "则")
CASE_UNITS = ("件", "起", "宗", "例", "次")
MONEY_UNITS = ("万元", "元")

# --- Words shared by several measures ----------------------------------------------------------

CONSULTING = W("咨询", "a consultation is not a request (counted in 人次, often beside requests)")
COMPLAINTS = W("举报|投诉|信访|来信|来访|来电|信件|12345|热线|留言", "complaints, letters, calls")
WEBSITE = W("网站访问|访问量|点击量|浏览量|页面浏览", "website traffic, not disclosure")
REVIEW = W("复议", "an administrative review, counted apart")
LAWSUIT = W("诉讼|起诉|应诉", "a lawsuit, counted apart")
FEES = W("收费|费用|收取", "fees, counted apart")
PROPOSALS = W("建议|提案", "deputies' proposals (人大建议、政协提案) are not disclosure requests")
CORRECTION = W("补正", "material sent to complete a request, not a request")

MEASURES: tuple[Measure, ...] = (
    Measure(
        "requests_received",
        "Requests received in the year (the 一、本年新收 总计 of table 三)",
        REQUEST_UNITS,
        triggers=(
            W(r"依申请公开(?:政府信息)?(?:的)?(?:事项|件数|数量|总数|申请|信息)?",
                "依申请公开 as a noun: disclosure on request, counted by requests"),
            W(r"(?:政府信息)?公开申请(?:数量|总数|件数|数|量)?",
                "the disclosure request (政府信息公开申请) as a noun"),
            W(r"申请(?:数量|总数|件数|数|量)", "the number of requests, named as such"),
        ),
        nouns=(
            W(r"申请(?!人|者|方式|渠道|程序|流程|条件|材料|表格|时|前|后)",
              "申请 as a noun; 申请人 (applicant), 申请方式 (how to apply) are not requests"),
        ),
        verbs=(
            W(r"收到|受理|接到|接收|收悉|新收|提出|提交|递交",
              "receiving (or, from the applicant's side, submitting) a request"),
        ),
        handling=(
            W(r"办理|办结|答复|处理|回复", "handling or answering: requests handled, not received"),
        ),
        elsewhere=(CONSULTING, COMPLAINTS, WEBSITE, REVIEW, LAWSUIT, FEES, PROPOSALS, CORRECTION,
                   W(r"主动公开", "proactive disclosure, counted apart"),
                   W(r"结转", "carried over from, or to, another year")),
        section="requests",
        table=TableSource("requests", ("new",), "total"),
    ),
    Measure(
        "requests_carried_over",
        "Requests carried over from the year before (上年结转 总计 of table 三)",
        REQUEST_UNITS,
        triggers=(
            W(r"(?:从|由)?上(?:一)?年(?:度)?(?:未办结)?(?:的)?结转|上年(?:度)?遗留",
              "carried over from the year before; 结转 alone may mean carried to next year"),
        ),
        elsewhere=(CONSULTING, COMPLAINTS, REVIEW, LAWSUIT, FEES),
        table=TableSource("requests", ("carried_over",), "total"),
    ),
    Measure(
        "requests_granted",
        "Requests granted in full ((一)予以公开 总计 of table 三)",
        REQUEST_UNITS,
        triggers=(
            W(r"同意公开|予以公开|准予公开|全部公开|全部予以公开",
              "granted; 不予公开 and 部分公开 are read first as the longer words"),
        ),
        elsewhere=(CONSULTING, COMPLAINTS, REVIEW, LAWSUIT, FEES,
                   W(r"主动公开", "proactive disclosure, not an answer to a request")),
        table=TableSource("requests", ("granted",), "total"),
    ),
    Measure(
        "requests_partly_granted",
        "Requests granted in part ((二)部分公开 总计 of table 三)",
        REQUEST_UNITS,
        triggers=(W(r"部分同意公开|同意部分公开|部分公开|部分予以公开", "granted in part"),),
        elsewhere=(CONSULTING, COMPLAINTS, REVIEW, LAWSUIT, FEES),
        table=TableSource("requests", ("partially_granted",), "total"),
    ),
    Measure(
        "requests_refused",
        "Requests refused (the (三)不予公开 rows of table 三, summed)",
        REQUEST_UNITS,
        triggers=(W(r"不予公开|不同意公开|不予以公开|未予公开|拒绝公开|不公开", "refused"),),
        elsewhere=(CONSULTING, COMPLAINTS, REVIEW, LAWSUIT, FEES),
        table=TableSource("requests", ("denied.",), "total"),
    ),
    Measure(
        "active_disclosure",
        "Items disclosed proactively (主动公开信息X条); no national table holds this total",
        ITEM_UNITS,
        triggers=(W(r"主动公开", "proactive disclosure"),),
        elsewhere=(CONSULTING, COMPLAINTS, WEBSITE, REVIEW, LAWSUIT,
                   W(r"依申请|申请", "disclosure on request, counted apart")),
        unit="条",
    ),
    Measure(
        "fees_collected",
        "Fees collected for disclosure on request (元 or 万元, as printed)",
        MONEY_UNITS,
        triggers=(
            W(r"收取[^,;]{0,10}?费|收费|费用|检索费|复制费|邮寄费|工本费|信息处理费",
              "a fee charged or collected"),
        ),
        elsewhere=(
            W(r"行政事业性|收费项目|收费标准|收费依据|收费目录", "published fee schedules, not fees collected"),
            W(r"减免|免收|免除|免费", "fees waived, not collected"),
            REVIEW, LAWSUIT,
        ),
        section="other_matters",
        about_disclosure=True,
        unit="元",
    ),
    Measure(
        "reviews",
        "Administrative reviews over disclosure (行政复议 总计 of table 四)",
        CASE_UNITS,
        triggers=(W(r"行政复议|复议(?!机关|机构)", "an administrative review"),),
        elsewhere=(CONSULTING, COMPLAINTS, FEES),
        section="review_litigation",
        about_disclosure=True,
        table=TableSource("review_litigation", ("review",), "total"),
    ),
    Measure(
        "lawsuits",
        "Lawsuits over disclosure (行政诉讼 总计 of table 四, both rows summed)",
        CASE_UNITS,
        triggers=(W(r"行政诉讼|诉讼|起诉", "a lawsuit"),),
        elsewhere=(CONSULTING, COMPLAINTS, FEES),
        section="review_litigation",
        about_disclosure=True,
        table=TableSource(
            "review_litigation", ("litigation_direct", "litigation_after_review"), "total"
        ),
    ),
)  # fmt: skip
MEASURE_CODES: tuple[str, ...] = tuple(m.code for m in MEASURES)

# Words that own a count without being a measure: a count after them is not the measure's
# (主动公开规范性文件5件 counts normative documents, not all items disclosed).
OWNERS: tuple[W, ...] = (
    W(r"规范性文件|文件|政策解读|解读", "a kind of document: a count of it is a part"),
    W(r"人次|工作人员|人员|部门|单位|乡镇|街道|村", "people or bodies, not items or requests"),
    W(
        r"网站|公报|微博|微信|客户端|报刊|广播|电视|新闻发布会|发布会|公开栏|查阅点",
        "a channel: its count is a part of the total",
    ),
    W(r"会议|培训|讲座|活动", "meetings and training, not disclosure"),
    CONSULTING,
    COMPLAINTS,
    WEBSITE,
    PROPOSALS,
    CORRECTION,
)

# --- Zero statements ---------------------------------------------------------------------------

NEGATION = W(
    r"(?:均|也|亦|并|尚|暂|从|都)?(?:未|没有|没(?!有)|无)(?!予|能|按|经|及时|作|在|对|向|法|偿|需|论|关|误|条件|障碍|纸化|缝|意)",
    "none: 未/没有/无, but not 未予 (not granted), 未按 (not on time), 无法 (unable) and the like",
)
NEGATED_VERBS = W(
    r"(?:曾|再|有)?(?:收到|接到|受理|接收|收悉|发生|出现|产生|提起|提出|提交|递交|申请|收取|收)",
    "what did not happen: receiving, occurring, filing, collecting",
)
# A negation may stand this far before its verb when a subject comes between (没有公民…提出).
NEGATION_REACH = 40
SUBJECT_NEGATIONS = W(r"没有|无", "没有/无 + someone + a verb: 没有公民提出申请, 无人提起复议")
# Between a negation and its noun: modifiers only (无政府信息公开申请, 没有任何复议).
NOUN_MODIFIERS = W(
    r"(?:任何|相关|有关|此类|因)?(?:政府)?(?:信息)?(?:公开)?(?:工作)?(?:的)?",
    "a modifier of the noun, no verb: the negation still bears on the noun",
)
# After a trigger, at the end of the clause: 依申请公开情况：无 / 为零 / 为0.
NONE_AT_END = W(r"(?:为|是|:)?无$", "the figure given as 无 (none)")
ZERO_BEFORE = W(r"零(?=申请|依申请|复议|诉讼|收费)", "零申请: zero requests as one word")
# Between a negated verb and a trigger, words that narrow the statement to a kind of request
# (没有超期答复的申请 says nothing about requests received).
NARROWING = W(
    r"答复|办理|办结|处理|超期|逾期|延期|补正|不予|撤回|驳回",
    "a kind of request or answer: the negation is about that, not about receiving",
)

# --- What voids a figure -----------------------------------------------------------------------

# Numbers that are not counts of anything the year: ordinals, rates, each-one.
NOT_A_COUNT_BEFORE = W(
    r"[第每逐同单唯其\d.]", "第3件 (an ordinal), 每一件 (each), 同一件 (the same)"
)
APPROXIMATE_BEFORE = W(r"约|近|逾|超过|将近|不足|不到|大约", "约100条: an estimate, not a figure")
APPROXIMATE_AFTER = W(r"余|多|来", "100余条, 100多条: an estimate")
APPROXIMATE_UNIT_AFTER = W(r"左右|以上|以下|之多", "100条左右: an estimate")
ESTIMATE_WORDS = W(
    r"(?:几|数|若干|十几|几十|数十|上百|上千)(?:件|条|宗|份|起|例|篇|项|次|元)",
    "几件, 数十条: no figure at all",
)

# Words after a count that say it counts something else (采取3条措施, 15个工作日).
NOT_COUNTED_AFTER = W(
    r"措施|制度|规定|办法|意见|通知|方案|规则|细则|要求|标准|目录|指南|工作日|实事|举措|渠道|途径|"
    r"专栏|栏目|期|批|名|人|家|户|场|会|项目|个月|天|日|小时|分钟|性|年|月|号",
    "3条措施, 5件实事, 一次性: a count of measures, days or the like, not of the figure",
)
# Qualifiers: a figure standing with one of these is `qualified`, never a plain figure.
EXCEPTION_START = W(
    r"(?<![删撤免排解清消拆废剔根])除", "除…外: a figure with an exception (not 删除, 免除)"
)
EXCEPTION_END = W(r"外|以外|之外", "the end of a 除…外 exception")
OTHER = W(
    r"其他(?!组织|社会组织)|其它(?!组织)|其余(?=申请)",
    "未收到其他申请: other than something said before; 其他组织 is part of 法人或其他组织",
)
NARROWED = W(r"涉及", "涉及…的申请: requests of one kind only")
PERIOD_LIMITS: tuple[W, ...] = (
    W(r"截至|截止", "截至X月: up to a date; a plain figure only when it is 12月/年底"),
    W(
        r"(?:[1-9]|1[01]|[一二三四五六七八九十]|十一)月(?:份)?(?:\d{1,2}日)?(?:至|到|-|~|—)(?:\d{4}年)?(?:[1-9]|1[01]|[一二三四五六七八九十]|十一)月",
        "1-11月: months that are not the year",
    ),
    W(
        r"(?:[2-9]|1[0-2]|[二三四五六七八九十]|十一|十二)月(?:份)?(?:\d{1,2}日)?(?:至|到|-|~|—)",
        "from a month after January: part of the year",
    ),
    W(
        r"(?<!\d)(?:[1-9]|1[01])(?:-|~|—|至|到)(?:[1-9]|1[01])月|(?<!\d)(?:[2-9]|1[0-2])(?:-|~|—|至|到)(?:[1-9]|1[0-2])月",
        "1-10月, 3-12月: months that are not the year",
    ),
    W(r"上半年|下半年|季度|前三季|月份以来", "part of the year"),
    W(r"累计|以来|历年|多年来|近年来|近几年|近三年|近五年", "a period longer than the year"),
    W(r"自(?:\d{4}年)?(?:[2-9]|1[0-2]|[二三四五六七八九十])月", "from a month after January"),
)
FULL_YEAR_END = W(r"12月|十二月|年底|年末|年终", "截至12月/年底: the whole year")
# A total across several agencies (a county's report adding up its departments).
SCOPES: tuple[W, ...] = (
    W(
        r"全(?:县|市|区|省|州|盟|旗)|(?:我|本)(?:县|市|区|省)(?!政府|人民政府|委|局|办)",
        "the whole county/city: every agency of it, not the reporting one alone",
    ),
    W(
        r"各(?:部门|单位|乡镇|乡|镇|街道|级|地|县|区|市)|(?:县|市|区)直|全系统|系统内|汇总|合并",
        "several agencies added up",
    ),
)
SELF_SCOPES = W(
    r"本机关|本单位|我单位|本部门|我部门|(?:我|本)(?:局|委|办|室|中心|站|所|院|馆|镇|乡|街道|厅|处)|本级",
    "the reporting agency itself: a total across agencies before it ends here",
)
# Years: a clause about another year gives no figure for this one.
EXPLICIT_YEAR = W(
    r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年", "a year named: 2016年, 二〇一六年"
)
OTHER_YEARS = W(r"上(?:一)?年(?:度)?|去年|前年|往年|上一个年度", "the year before")
THIS_YEAR = W(r"本年(?:度)?|今年|全年|当年|年内|本报告期", "the report's own year")
CHANGE_BEFORE = W(
    r"(?<!新)(?:增加|减少|增长|下降|上升|提高|降低|增|减|多|少)了?",
    "减少5件: a difference against another year, not a count",
)
COMPARATIVES = W(
    r"比上(?:一)?年(?:度)?|较上(?:一)?年(?:度)?|比去年|较去年|同比|环比|与上(?:一)?年(?:度)?相比|与去年相比|比(?:19|20)\d{2}年|较(?:19|20)\d{2}年",
    "a change against another year: its number is a difference, not a count",
)
# Clauses that say what should or may happen, not what happened.
PROCEDURAL = W(
    r"应当|应该|必须|须|需要|可以|凡是|凡|一律|视为|如需|如果|一旦|若|将会|将要",
    "what must or may happen: a rule, not a figure",
)
# Wording that joins two measures so one count covers both (行政复议和行政诉讼共2件).
CONJUNCTION = W(
    r"(?:和|及|与|、|或|以及|或者|及其)(?:被)?(?:提起|提出|申请)?(?:的)?",
    "and/or between two measures: a count after them covers both",
)
DISTRIBUTIVE = W(r"各|均|分别|都", "各1件: each measure has the count, not their sum")
# Sentence and clause boundaries.
SENTENCE_END = "。!?！？"
CLAUSE_BREAK = W(
    r"(?<!\d),|,(?!\d{3}(?!\d))|;|!|\?|。|\(|\)|其中|另外|此外|同时",
    "a clause ends at , ; ( ) and at 其中 (of which: a part follows)",
)

# --- Headings of pre-2019 reports -------------------------------------------------------------

# Headings of the 2008 条例 (第三十二条) reports, which number their parts freely; each maps to
# the national section holding the same content (fees: section 六, where the national format
# reports them). Checked in this order; a heading is a short line ending in one of ENDINGS.
LEGACY_HEADINGS: tuple[tuple[str, W], ...] = (
    ("review_litigation", W(r"复议|诉讼", "因政府信息公开申请行政复议和提起行政诉讼的情况")),
    ("other_matters", W(r"收费|减免", "政府信息公开的收费及减免情况 (section 六 in the national format)")),
    ("requests", W(r"依申请|申请公开|收到和处理", "依申请公开政府信息情况")),
    ("active_disclosure", W(r"主动公开", "主动公开政府信息情况")),
    ("problems", W(r"问题|改进|不足", "存在的主要问题和改进措施")),
    ("overview", W(r"概述|概况|基本情况|总体情况", "概述")),
    ("other_matters", W(r"其他", "其他需要报告的事项")),
)  # fmt: skip
LEGACY_HEADING_ENDINGS = W(
    r"(?:情况|概述|概况|措施|事项|问题|工作|举措)$", "how a section heading ends"
)
LEGACY_HEADING_NUMBERING = W(
    r"^(?:第[一二三四五六七八九十]{1,2}部分|[一二三四五六七八九十]{1,2}[、.]|[1-9][、.](?!\d))",
    "top-level numbering: 一、 第一部分 1、 (sub-headings such as (一) stay in their section)",
)
MAX_HEADING_CHARS = 30  # normalised; a heading is short
MAX_SENTENCE_CHARS = 600  # longer is no sentence (a flattened table): not read

# --- Statuses ---------------------------------------------------------------------------------

STATUSES: dict[str, str] = {
    "stated_count": "a number stated for the year (Arabic, full-width or Chinese numerals)",
    "stated_zero": "an explicit statement that there was none (未收到…申请, …为0)",
    "qualified": "a statement with an exception or a limit (除…外, 截至X月, 其他, a total across "
    "agencies, an estimate, two different figures): not a plain figure; value left null",
    "not_stated": "the report says nothing countable about it (describing how requests are "
    "handled, or that no review was filed, states no number of requests)",
    "table": "taken from the report's national table (reports on 2019 onwards)",
}
# One sentence per status, as it reads for requests_received in a report on 2017 (a test reads
# each and checks; README.md and the data dictionary quote them).
STATUS_EXAMPLES: dict[str, str] = {
    "stated_count": "2017年，我局共受理政府信息公开申请十二件，均已按期答复。",
    "stated_zero": "本年度我局未收到公民、法人或其他组织提出的政府信息公开申请。",
    "qualified": "除1件申请因涉及国家秘密不予公开外，未收到其他政府信息公开申请。",
    "not_stated": "申请人可通过网上、信函等方式提出申请，全年未发生行政复议、行政诉讼。",
    "table": "table 三 (requests), column total: new '3'",
}
