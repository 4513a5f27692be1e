"""The national format as data: wording the readers rely on is consistent and normalised."""

from __future__ import annotations

from govscrape import template
from govscrape.labels import key_form, normalise

NATIONAL_LINES = (
    *template.SECTIONS,
    *template.APPLICANTS,
    *template.REQUEST_ROWS,
    *(h for heads in template.REQUEST_HEADINGS.values() for h in heads),
    *(line for blocks in template.ACTIVE_DISCLOSURE.values() for b in blocks for line in b.items),
    *(line for blocks in template.ACTIVE_DISCLOSURE.values() for b in blocks for line in b.metrics),
    *template.PROCEEDINGS,
    *template.OUTCOMES,
)


def national_wording() -> list[str]:
    return [normalise(w) for line in NATIONAL_LINES for w in (line.label, *line.keys)]


def test_legacy_markers_are_no_wording_of_the_national_templates():
    wording = national_wording()
    for marker in template.LEGACY_MARKERS:
        assert not [w for w in wording if marker in w], marker


def test_every_report_title_phrase_is_no_legacy_marker():
    title = "荷花县人民政府办公室2021年政府信息公开工作年度报告"
    assert not [m for m in template.LEGACY_MARKERS if m in title]
    assert not [m for m in template.LEGACY_MARKERS if m in "依申请公开"]


def test_template_markers_belong_to_their_own_template_only():
    only = {t: {normalise(w) for w in template.TEMPLATE_MARKERS[t]} for t in template.TEMPLATES}
    for tpl, other in ((template.V2019, template.V2021), (template.V2021, template.V2019)):
        other_lines = [line for line in template.REQUEST_ROWS if other in line.templates]
        other_lines += [
            i for b in template.ACTIVE_DISCLOSURE[other] for i in (*b.items, *b.metrics)
        ]
        other_words = [normalise(w) for line in other_lines for w in (line.label, *line.keys)]
        for marker in only[tpl]:
            assert not [w for w in other_words if marker in w], (tpl, marker)


def test_detection_wording_is_written_normalised():
    words = [
        *template.LEGACY_MARKERS,
        *template.REQUEST_TABLE_MARKERS,
        *(m for marks in template.TEMPLATE_MARKERS.values() for m in marks),
    ]
    assert [w for w in words if key_form(w) != w] == []


def test_vocabulary_substitutions_apply_after_script_conversion():
    assert normalise("規範性檔案") == "规范性文件"
    assert all(normalise(old) == new for old, new in template.VOCABULARY)
