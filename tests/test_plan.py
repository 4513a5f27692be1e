"""Planning a build: each unit's key fingerprints everything its rows depend on."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from govscrape.datasets.parsing import MissingDoc, ReportUnit, SourceDoc
from govscrape.datasets.plan import code_fingerprint, unit_key


def _unit(**changes) -> ReportUnit:
    unit = ReportUnit(
        report_id="0123456789abcdef",
        site="site-a",
        page=SourceDoc("http://a.gov.cn/1.html", "a" * 64, "text/html", "2024-01-01", "2024-01-02"),
        attachments=(SourceDoc("http://a.gov.cn/1.pdf", "b" * 64, "application/pdf"),),
        link_title="甲局2023年报",
        site_meta={"agency": "甲局", "province": "湖南省"},
        missing=(MissingDoc("http://a.gov.cn/2.pdf", "failed", 404, "HTTP 404"),),
    )
    return dataclasses.replace(unit, **changes)


def test_unit_key_is_the_fingerprint_of_every_fact_of_the_unit():
    unit = _unit()
    facts = dataclasses.asdict(unit) | {"key": None, "code": code_fingerprint()}
    blob = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    assert unit_key(unit) == hashlib.sha1(blob.encode("utf-8")).hexdigest()


def test_any_changed_fact_changes_the_key():
    base = unit_key(_unit())
    changed = [
        _unit(page=SourceDoc("http://a.gov.cn/1.html", "c" * 64)),
        _unit(attachments=()),
        _unit(link_title="乙局2023年报"),
        _unit(site_meta={"agency": "乙局"}),
        _unit(missing=()),
    ]
    assert all(unit_key(u) != base for u in changed)
