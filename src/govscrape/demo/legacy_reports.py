"""The demo's reports on 2017: prose, as every report before 2019 is (no national table).

One states in a sentence that no request was received, one states a count in Chinese numerals,
one describes how requests are handled and says only that no review or lawsuit was filed: it
states no number of requests at all, so it is no zero. What a reader takes from each is
written beside it (`EXPECTED`); the end-to-end test and the README rely on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from govscrape.demo.agencies import AGENCY_BY_SITE
from govscrape.demo.report_numbers import DemoReport

LEGACY_YEAR = 2017


@dataclass(frozen=True, slots=True)
class Statement:
    """What a report's text states about requests received: status, value, the sentence."""

    status: str  # stated_zero | stated_count | not_stated
    value: int | None
    sentence: str | None


# site id -> (published, page id, the text: headings and paragraphs, what it states)
_TEXTS: dict[str, tuple[datetime, int, tuple[str, ...], Statement]] = {
    "yunze-gxq": (
        datetime(2018, 1, 19, 10),
        4_590_117,
        (
            "一、概述",
            "2017年，我委认真贯彻落实《中华人民共和国政府信息公开条例》，积极推进园区政务信息公开。",
            "二、主动公开政府信息情况",
            "全年主动公开政府信息42条，其中通过门户网站公开38条。",
            "三、依申请公开政府信息情况",
            "2017年，我委未收到公民、法人或其他组织提出的政府信息公开申请。",
            "四、政府信息公开的收费及减免情况",
            "本年度未收取任何费用。",
            "五、因政府信息公开申请提起行政复议、行政诉讼的情况",
            "本年度未发生因政府信息公开申请提起的行政复议和行政诉讼。",
            "六、存在的主要问题和改进措施",
            "信息公开的及时性有待提高，下一步将加强业务培训。",
        ),
        Statement(
            "stated_zero", 0, "2017年，我委未收到公民、法人或其他组织提出的政府信息公开申请。"
        ),
    ),
    "qingshi-czj": (
        datetime(2018, 1, 26, 15),
        4_590_241,
        (
            "一、概述",
            "2017年，县财政局按照县委、县政府的部署，扎实做好政府信息公开工作。",
            "二、主动公开政府信息情况",
            "全年主动公开政府信息一百零五条，重点公开了预决算和财政资金信息。",
            "三、依申请公开政府信息情况",
            "全年共受理政府信息公开申请五件，其中同意公开三件，部分公开一件，不予公开一件，"
            "均在法定期限内答复。",
            "四、因政府信息公开申请提起行政复议、行政诉讼的情况",
            "全年未发生因政府信息公开引起的行政复议、行政诉讼。",
            "五、存在的主要问题和改进措施",
            "部分信息公开不够及时，今后将进一步规范工作流程。",
        ),
        Statement(
            "stated_count",
            5,
            "全年共受理政府信息公开申请五件，其中同意公开三件，部分公开一件，不予公开一件，"
            "均在法定期限内答复。",
        ),
    ),
    "qingshi-bsz": (
        datetime(2018, 2, 9, 9),
        4_590_388,
        (
            "一、概述",
            "2017年，白沙镇坚持以公开为常态、不公开为例外，认真做好政府信息公开工作。",
            "二、依申请公开政府信息情况",
            "我镇明确了依申请公开的受理机构，申请人可通过当面、信函等方式提出申请，"
            "我镇按规定时限予以答复。",
            "三、因政府信息公开申请提起行政复议、行政诉讼的情况",
            "本年度未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
            "四、存在的主要问题和改进措施",
            "公开内容还不够全面，下一步将加大公开力度。",
        ),
        Statement("not_stated", None, None),
    ),
}  # fmt: skip


def legacy_reports() -> list[DemoReport]:
    """The 2017 reports as the portal serves them: pages of prose, no table."""
    return [
        DemoReport(
            AGENCY_BY_SITE[site], LEGACY_YEAR, published, "prose", doc_id, {}, {}, {}, prose=text
        )
        for site, (published, doc_id, text, _said) in _TEXTS.items()
    ]


EXPECTED: dict[tuple[str, int], Statement] = {
    (site, LEGACY_YEAR): said for site, (*_rest, said) in _TEXTS.items()
}
