"""Agency names as data: their kinds, their printed variants, and when two names are one agency.

Portals print one agency's name in several ways: with or without spaces and quotes, in full or
half width, traditional on a mirror, abbreviated (发改委, 管委会, 高新区), without 人民政府 after a
place ("松林县2023年…报告" is the county government's report), or without the county in front
("白沙镇人民政府" on 青石县's column). `canonical_name` folds exactly those variants into one name,
from the tables below (a new variant is a data line). It never guesses beyond them: an
abbreviation with two expansions (经开区: 经济开发区 or 经济技术开发区; 教体局) is left as printed,
and 某县人民政府办公室 stays a department of its own, not the county government. `same_agency`
adds one tolerance, for comparing two names of which one is known (a site's configured agency):
a missing place prefix.
"""

from __future__ import annotations

import re
import unicodedata

from govscrape.labels import MARKS, to_simplified

# --- Kinds ------------------------------------------------------------------------------------

# What an agency is. The kind decides the publication deadline (条例 第四十九条 binds
# governments and their departments; courts, procuratorates, public enterprises and
# institutions publish under rules of their own, development zones' 管委会 are "other").
AGENCY_KINDS: tuple[str, ...] = (
    "government",
    "department",
    "township",
    "court",
    "procuratorate",
    "enterprise",
    "institution",
    "other",
)
# Kind by how the name ends (simplified script, no spaces, a trailing note in brackets
# removed), first match wins: the specific endings before the generic 院/会/局.
KIND_BY_ENDING: tuple[tuple[str, str], ...] = (
    (r"(?:乡|镇|街道|苏木)(?:人民政府|政府|办事处|工作委员会)?", "township"),
    (r"街道(?:办事处|工委|党工委)", "township"),
    (r"(?:人民法院|法院|人民法庭|法庭)", "court"),
    (r"(?:人民检察院|检察院)", "procuratorate"),
    (r"(?:公司|集团|企业|厂)", "enterprise"),
    (
        r"(?:医院|卫生院|保健院|卫生服务中心|疾病预防控制中心|大学|学院|学校|中学|小学|幼儿园"
        r"|图书馆|博物馆|纪念馆|文化馆|美术馆|科技馆|研究院|研究所|科学院|党校|电视台|气象台|林场)",
        "institution",
    ),
    (r"(?:管委会|管理委员会|开发区|高新区|保税区|示范区|试验区|合作区|工业园区?|园区)", "other"),
    (r"(?:联合会|妇联|残联|侨联|文联|科协|红十字会)", "other"),  # people's organisations
    (r"(?:人民政府|政府)", "government"),
    (
        r"(?:局|委员会|委|办公室|办公厅|厅|办|室|组|中心|署|院|馆|站|所|队|部|处|社|会|行|司)",
        "department",
    ),
    (r"(?:省|市|自治州|州|县|自治县|区|旗|盟)", "government"),
)
_KIND_RES = tuple((re.compile(ending + "$"), kind) for ending, kind in KIND_BY_ENDING)
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")

# --- Variants ---------------------------------------------------------------------------------

# Abbreviations with exactly one expansion, replaced where the name ends with them.
ABBREVIATED_ENDINGS: tuple[tuple[str, str], ...] = (
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("卫计委", "卫生和计划生育委员会"),
    ("卫计局", "卫生和计划生育局"),
    ("人社局", "人力资源和社会保障局"),
    ("住建局", "住房和城乡建设局"),
    ("市场监管局", "市场监督管理局"),
    ("市监局", "市场监督管理局"),
    ("应急局", "应急管理局"),
    ("医保局", "医疗保障局"),
    ("残联", "残疾人联合会"),
    ("街道办", "街道办事处"),
    ("政府办", "政府办公室"),
)
# Abbreviations replaced wherever they stand (they occur inside names: 湘西高新区管委会办公室).
ABBREVIATED_WORDS: tuple[tuple[str, str], ...] = (
    ("管委会", "管理委员会"),
    ("高新区", "高新技术产业开发区"),
)
# A place alone names its government ("松林县2023年…报告"); a zone, its 管委会; a 街道, its office.
# Endings that look like a place but are not a government of one (a 社区 is a residents'
# committee; 新区 may be a district government or a zone's 管委会: left as printed).
PLACE_ENDING = re.compile(r"(?:省|市|自治州|州|县|自治县|区|旗|盟|乡|镇)$")
NOT_PLACE_ENDING = re.compile(
    r"(?:社区|景区|小区|新区|园区|片区|库区|林区|牧区|校区|院区|开发区|保税区)$"
)
ZONE_ENDING = re.compile(r"(?:开发区|工业园区|产业园区|保税区)$")
_PEOPLE = re.compile(r"(?<!人民)政府(办公室|办公厅)?$")  # 松林县政府 is 松林县人民政府
_QUOTES = "“”„‟〝〞«»「」『』《》〈〉＂\"'‘’`"
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）",
                           "〔": "（", "〕": "）"})  # fmt: skip
_EDGES = " :：,，、.。;；-—_|｜"
_SPACES = re.compile(r"[\s\u3000\xa0]+")
# A place prefix a name may lack ("白沙镇人民政府" for 青石县白沙镇人民政府) ends like this; a
# name starting with a bare level ("市教育局") lacks its place's proper name.
PLACE_PREFIX_ENDING = re.compile(r"(?:省|市|自治州|州|县|自治县|区|旗|盟)$")
BARE_LEVELS = frozenset("省市州县区旗盟")
MIN_UNPREFIXED = 3  # "财政局" may lack its place; "局" alone names nothing
# The office that writes and posts a report for its agency (来源: 松林县财政局办公室).
OFFICE_ENDING = re.compile(
    r"^(.{2,}?)(?:党政综合办公室|党政办公室|综合办公室|党政办|办公室|办公厅)$"
)


def normalise_name(name: str) -> str:
    """A name as printed, without layout: no spaces or quotes, half-width letters and digits,
    brackets as （）, no punctuation at its edges. The script is kept as printed."""
    name = unicodedata.normalize("NFKC", name)
    name = _SPACES.sub("", name).translate(_BRACKETS)
    name = "".join(ch for ch in name if ch not in _QUOTES)
    return name.strip(_EDGES)


def canonical_name(name: str) -> str:
    """The one name every printed variant of an agency maps to (see the module docstring):
    simplified script, unambiguous abbreviations spelled out, a place completed with
    人民政府, a zone with 管理委员会, a 街道 with 办事处."""
    name = to_simplified(normalise_name(name).translate(MARKS)).replace('"', "")
    for short, full in ABBREVIATED_WORDS:
        name = name.replace(short, full)
    for short, full in ABBREVIATED_ENDINGS:
        if name.endswith(short):
            name = name[: -len(short)] + full
            break
    name = _PEOPLE.sub(lambda m: "人民政府" + (m.group(1) or ""), name)
    if ZONE_ENDING.search(name):
        return name + "管理委员会"
    if name.endswith("街道"):
        return name + "办事处"
    if PLACE_ENDING.search(name) and not NOT_PLACE_ENDING.search(name):
        return name + "人民政府"
    return name


def same_agency(a: str | None, b: str | None) -> bool:
    """True when two names are one agency: the same canonical name, or one is the other with
    a place prefix dropped ("白沙镇人民政府" / "青石县白沙镇人民政府", "市教育局" / "云泽市教育局")."""
    if not a or not b:
        return False
    ca, cb = canonical_name(a), canonical_name(b)
    if ca == cb:
        return True
    short, long = sorted((ca, cb), key=len)
    if len(short) < MIN_UNPREFIXED or not long.endswith(short) or kind_of_agency(short) is None:
        return False
    prefix = long[: -len(short)]
    return bool(PLACE_PREFIX_ENDING.search(prefix)) or short[0] in BARE_LEVELS


def office_of(name: str) -> str | None:
    """The agency whose office a name is ("松林县财政局办公室" -> "松林县财政局"), else None."""
    m = OFFICE_ENDING.match(normalise_name(name))
    return m.group(1) if m else None


def kind_of_agency(name: str) -> str | None:
    """The agency kind from how its name ends (see KIND_BY_ENDING); None when no ending fits."""
    name = to_simplified(_TRAILING_NOTE.sub("", normalise_name(name)).translate(MARKS))
    for pattern, kind in _KIND_RES:
        if pattern.search(name):
            return kind
    return None
