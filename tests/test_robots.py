"""robots.txt rules: text/plain obeyed, HTML or missing files mean no rules, 5xx means stay away."""

from __future__ import annotations

from govscrape.crawl.robots import parse_robots

AGENT = "govscrape/0.1 (+https://example.org)"


def test_plain_text_rules_are_obeyed_for_our_agent():
    body = b"User-agent: *\nDisallow: /private/\n\nUser-agent: govscrape\nDisallow: /nogov/\nCrawl-delay: 7\n"
    rules = parse_robots(200, "text/plain; charset=utf-8", body)
    assert not rules.allows("http://a.gov.cn/nogov/x", AGENT)
    assert rules.allows("http://a.gov.cn/private/x", AGENT)  # our own group applies, not *
    assert rules.crawl_delay(AGENT) == 7.0


def test_html_or_missing_robots_means_no_rules():
    assert parse_robots(200, "text/html", b"<html>Disallow: /</html>").allows("http://a/x", AGENT)
    assert parse_robots(200, "text/plain", b"<!DOCTYPE html><html></html>").allows(
        "http://a/x", AGENT
    )
    assert parse_robots(404, "text/html", None).allows("http://a/x", AGENT)


def test_unreachable_robots_means_stay_away_this_run():
    rules = parse_robots(503, None, None)
    assert not rules.allows("http://a/x", AGENT) and "unreachable" in (rules.unreachable or "")
    assert not parse_robots(None, None, None).allows("http://a/x", AGENT)
