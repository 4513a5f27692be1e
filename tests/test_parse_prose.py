"""Headline figures from prose: the legacy corpus read report by report, and rules for any input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govscrape.parse import parse_report
from govscrape.parse.numerals import write_chinese
from govscrape.parse.prose import read_prose, read_sentence
from govscrape.parse.prose_wording import MEASURE_CODES, STATUS_EXAMPLES, STATUSES
from govscrape.parse.sentences import Sentence

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
CORPUS = sorted(p for p in LEGACY.iterdir() if p.suffix in (".html", ".txt", ".pdf", ".docx"))


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))


def figures(text: str, year: int = 2017, section: str | None = None) -> dict[str, tuple]:
    """measure -> (status, value, note) for one sentence read as a whole report's prose."""
    found = read_prose([Sentence(text, section)], year)
    return {m: (h.status, h.value, h.note) for m, h in found.items() if h.status != "not_stated"}


# --- the corpus -------------------------------------------------------------------------------


def test_corpus_has_forty_reports_in_every_legacy_form():
    assert len(CORPUS) >= 40
    forms = {expected(p)["form"] for p in CORPUS}
    assert forms == {"html", "txt", "pdf", "docx", "html_gbk_layout"}
    statuses = {h["status"] for p in CORPUS for h in expected(p)["headlines"].values()}
    assert statuses == {"stated_count", "stated_zero", "qualified", "not_stated"}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_report_states_what_a_careful_reader_takes_from_it(path):
    want = expected(path)
    report = parse_report(path.read_bytes())
    assert report.year == want["year"]
    assert report.template in ("legacy", "unknown")
    assert not report.cells, "a prose report never fills the national tables"
    got = {
        h.measure: {"status": h.status, "value": h.value, "evidence": h.evidence}
        for h in report.headlines
    }
    assert got == want["headlines"], want["trap"]


def test_every_headline_names_its_section_when_stated():
    report = parse_report((LEGACY / "lanshan-grain-2010.html").read_bytes())
    sections = {h.measure: h.section for h in report.headlines if h.status != "not_stated"}
    assert sections == {
        "requests_received": "requests",
        "active_disclosure": "active_disclosure",
        "fees_collected": "other_matters",
    }


def test_the_readme_quotes_every_status_example():
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    assert all(sentence in readme for sentence in STATUS_EXAMPLES.values())


def test_status_examples_read_as_documented():
    for status, sentence in STATUS_EXAMPLES.items():
        if status == "table":
            continue
        got = read_prose([Sentence(sentence, "requests")], 2017)["requests_received"]
        assert got.status == status, sentence
    assert set(STATUS_EXAMPLES) == set(STATUSES)


# --- rules ------------------------------------------------------------------------------------


def test_a_qualified_figure_says_why_and_has_no_value():
    found = figures("除1件申请因涉及国家秘密不予公开外，本年度未收到其他政府信息公开申请。")
    status, value, note = found["requests_received"]
    assert (status, value) == ("qualified", None)
    assert "除…外" in note


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("截至2017年11月底，我局共收到政府信息公开申请3件。", "截至"),
        ("2017年上半年共收到政府信息公开申请3件。", "上半年"),
        ("全县共收到政府信息公开申请128件。", "全县"),
        ("全年收到政府信息公开申请约30件。", "约"),
        ("全年收到政府信息公开申请30多件。", "多"),
        ("全年收到政府信息公开申请数件。", "数件"),
        ("全年收到政府信息公开申请三五件。", "三五"),
        ("全年收到政府信息公开申请3件，受理政府信息公开申请5件。", "3, 5"),
        ("本年度未收到涉及征地拆迁的政府信息公开申请。", "涉及"),
    ],
)
def test_a_limit_or_an_estimate_makes_a_statement_qualified(sentence, why):
    status, value, note = figures(sentence)["requests_received"]
    assert (status, value) == ("qualified", None)
    assert why in note


def test_to_the_end_of_december_is_the_whole_year():
    found = figures("截至2017年12月31日，我局共收到政府信息公开申请3件。")
    assert found["requests_received"] == ("stated_count", 3, None)


def test_the_agency_naming_itself_ends_a_total_across_agencies():
    found = figures("全县共收到政府信息公开申请128件，本局收到3件。", section="requests")
    assert found["requests_received"][0] == "qualified"  # both figures quoted, none chosen
    found = figures("县政府本级共受理政府信息公开申请5件。")
    assert found["requests_received"] == ("stated_count", 5, None)


def test_another_years_figure_is_never_read():
    assert figures("2016年共收到政府信息公开申请5件。") == {}
    assert figures("上年共收到政府信息公开申请5件。") == {}
    assert figures("2016年，我局共收到政府信息公开申请5件。", year=2016) == {
        "requests_received": ("stated_count", 5, None)
    }


def test_a_report_without_a_year_reads_no_sentence_naming_one():
    assert figures("2016年共收到政府信息公开申请5件。", year=None) == {}  # type: ignore[arg-type]
    assert figures("本年度共收到政府信息公开申请5件。", year=None) == {  # type: ignore[arg-type]
        "requests_received": ("stated_count", 5, None)
    }


def test_a_change_against_last_year_is_not_a_count():
    assert figures("申请数量同比减少5件。") == {}
    assert figures("与上年相比，申请数量减少5件。") == {}
    assert figures("全年新增主动公开信息120条。")["active_disclosure"] == (
        "stated_count",
        120,
        None,
    )


def test_reviews_and_lawsuits_need_to_be_about_disclosure():
    assert figures("全年共受理行政复议案件50件。") == {}
    in_section = figures("全年共受理行政复议案件50件。", section="review_litigation")
    assert in_section["reviews"] == ("stated_count", 50, None)


def test_each_gives_the_count_to_both_and_a_zero_sum_is_zero_for_both():
    found = figures("被申请行政复议和提起行政诉讼各1件。", section="review_litigation")
    assert found["reviews"][:2] == found["lawsuits"][:2] == ("stated_count", 1)
    found = figures("行政复议和行政诉讼均为0。", section="review_litigation")
    assert found["reviews"][:2] == found["lawsuits"][:2] == ("stated_zero", 0)


def test_ordinals_rules_and_days_are_not_counts():
    assert figures("依据《条例》第十三条，申请人应在15个工作日内收到答复。") == {}
    assert figures("主动公开工作中，我局采取了5条措施。") == {}
    assert figures("对申请人一次性告知需补正的内容。") == {}


def test_a_two_year_comparison_in_the_same_clause_is_cut_off():
    found = figures("我局全年共收到政府信息公开申请8件比上年增加3件。")
    assert found["requests_received"] == ("stated_count", 8, None)


def test_a_zero_and_a_count_in_different_sentences_is_qualified_with_both():
    found = read_prose(
        [Sentence("全年未受理政府信息公开申请。"), Sentence("全年共收到政府信息公开申请2件。")],
        2017,
    )["requests_received"]
    assert found.status == "qualified"
    assert found.evidence == "全年未受理政府信息公开申请。 | 全年共收到政府信息公开申请2件。"


def test_the_same_figure_twice_is_one_plain_figure_quoting_the_first():
    found = read_prose(
        [Sentence("全年共收到政府信息公开申请2件。"), Sentence("共受理政府信息公开申请2件。")], 2017
    )["requests_received"]
    assert (found.status, found.value) == ("stated_count", 2)
    assert found.evidence == "全年共收到政府信息公开申请2件。"


def test_every_measure_is_present_and_not_stated_without_a_statement():
    found = read_prose([Sentence("我局高度重视政府信息公开工作。")], 2017)
    assert list(found) == list(MEASURE_CODES)
    assert {h.status for h in found.values()} == {"not_stated"}


# --- properties -------------------------------------------------------------------------------

_SUBJECTS = st.sampled_from(["", "我局", "本机关", "2017年，我局", "本年度"])
_OTHER_TOPICS = st.sampled_from(
    ["行政复议", "行政诉讼", "复议", "诉讼", "起诉", "政府信息公开咨询", "举报", "群众来信"]
)
_VERBS = st.sampled_from(["收到", "受理", "接到", "未收到", "没有收到", "共收到", "无"])
_COUNTS = st.one_of(
    st.integers(0, 99_999).map(lambda n: f"{n}件"),
    st.integers(0, 99_999).map(lambda n: f"{write_chinese(n)}件"),
    st.sampled_from(["为0", "为零", "：无", ""]),
)


@settings(max_examples=300, deadline=None)
@given(
    _SUBJECTS, _VERBS, _OTHER_TOPICS, _COUNTS, st.sampled_from(["申请", "政府信息公开申请", "案件"])
)
def test_a_clause_about_review_lawsuit_or_consulting_never_yields_a_request_figure(
    subject, verb, topic, count, noun
):
    for sentence in (
        f"{subject}{verb}因政府信息公开{topic}{noun}{count}。",
        f"{subject}{verb}{topic}{noun}{count}。",
        f"{subject}因政府信息公开申请提起{topic}{count}。",
    ):
        readings = read_sentence(Sentence(sentence, "requests"), 2017)
        assert "requests_received" not in {r.measure for r in readings}, sentence


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 99_999), st.sampled_from(["十二", "两", "三"]), st.booleans())
def test_a_plain_statement_reads_the_number_however_it_is_written(number, _, chinese):
    printed = write_chinese(number) if chinese else str(number)
    found = figures(f"全年共收到政府信息公开申请{printed}件。")
    status = "stated_zero" if number == 0 else "stated_count"
    assert found["requests_received"] == (status, number, None)


@settings(max_examples=200, deadline=None)
@given(st.integers(2008, 2018), st.integers(2008, 2018), st.integers(1, 500))
def test_a_figure_of_another_year_is_never_taken_for_the_reports_year(year, said, number):
    found = figures(f"{said}年，我局共收到政府信息公开申请{number}件。", year=year)
    if said == year:
        assert found["requests_received"] == ("stated_count", number, None)
    else:
        assert found == {}
