"""robots.txt rules by RFC 9309: groups, wildcards, `$`, longest match, ties; what is no robots file."""

from __future__ import annotations

import pytest

from govscrape.crawl.robots import PARSE_LIMIT_BYTES, RobotsAnswer, parse_robots, product_token

AGENT = "govscrape/0.1 (+https://example.org; research crawler)"
SITE = "http://a.gov.cn"


def rules_of(text: str, content_type: str | None = "text/plain; charset=utf-8"):
    return parse_robots(RobotsAnswer(200, content_type, text.encode("utf-8")))


def allowed(text: str, path: str) -> bool:
    return rules_of(text).allows(SITE + path, AGENT)


def test_plain_text_rules_are_obeyed_for_our_agent():
    body = "User-agent: *\nDisallow: /private/\n\nUser-agent: govscrape\nDisallow: /nogov/\nCrawl-delay: 7\n"
    rules = rules_of(body)
    assert not rules.allows(SITE + "/nogov/x", AGENT)
    assert rules.allows(SITE + "/private/x", AGENT)  # our own group applies, not *
    assert rules.crawl_delay(AGENT) == 7.0


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/zwgk/2023/report.pdf", False),  # `*` matches any run of characters, `$` the end
        ("/zwgk/2023/report.pdf?x=1", True),  # the `$` rule needs the path to end in .pdf
        ("/zwgk/report.pdfx", True),
        ("/search/index.jsp?searchword=年报", False),  # `*` then a query
        ("/search/index.jsp?page=2", True),
    ],
)
def test_wildcard_and_end_anchor_rules_are_obeyed(path, expected):
    robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?searchword=\n"
    assert allowed(robots, path) is expected


def test_the_longest_matching_rule_wins_not_the_first():
    robots = "User-agent: *\nDisallow: /\nAllow: /zwgk/\n"
    assert allowed(robots, "/zwgk/zfxxgknb/index.html")  # urllib.robotparser said no
    assert not allowed(robots, "/xwzx/index.html")
    robots = "User-agent: *\nAllow: /zwgk/\nDisallow: /zwgk/nb/\n"
    assert not allowed(robots, "/zwgk/nb/2023.html")  # longer Disallow beats earlier Allow


def test_an_allow_and_a_disallow_of_equal_length_tie_to_allow():
    # RFC 9309 §2.2.2: on a tie the least restrictive rule, Allow, should be used.
    assert allowed("User-agent: *\nDisallow: /nb/\nAllow: /nb/\n", "/nb/2023.html")
    assert allowed("User-agent: *\nAllow: /nb/\nDisallow: /nb/\n", "/nb/2023.html")


def test_groups_match_our_product_token_only_not_words_of_the_comment():
    robots = "User-agent: research\nDisallow: /\n\nUser-agent: GOVSCRAPE\nDisallow: /x/\n"
    assert allowed(robots, "/y/")  # "research" is in our User-Agent's comment, not its token
    assert not allowed(robots, "/x/")  # product tokens match case-insensitively
    assert product_token(AGENT) == "govscrape"


def test_a_robots_file_served_with_another_type_is_still_read():
    rules = parse_robots(
        RobotsAnswer(200, "application/octet-stream", b"User-agent: *\nDisallow: /a/")
    )
    assert not rules.allows(SITE + "/a/b", AGENT)
    rules = parse_robots(RobotsAnswer(200, "text/html", b"User-agent: *\nDisallow: /a/\n"))
    assert not rules.allows(SITE + "/a/b", AGENT)


def test_rules_past_the_parsing_limit_are_not_read():
    filler = "# " + "x" * 1000 + "\n"
    robots = "User-agent: *\nDisallow: /early/\n" + filler * (PARSE_LIMIT_BYTES // len(filler) + 1)
    rules = rules_of(robots + "Disallow: /late/\n")
    assert not rules.allows(SITE + "/early/", AGENT) and rules.allows(SITE + "/late/", AGENT)


def test_html_or_missing_robots_means_no_rules():
    html = parse_robots(RobotsAnswer(200, "text/html", b"<html>Disallow: /</html>"))
    assert html.allows(SITE + "/x", AGENT)
    doctype = parse_robots(RobotsAnswer(200, "text/plain", b"<!DOCTYPE html><html></html>"))
    assert doctype.allows(SITE + "/x", AGENT)
    assert parse_robots(RobotsAnswer(404, "text/html", None)).allows(SITE + "/x", AGENT)
    assert parse_robots(RobotsAnswer(403, "text/html", None)).allows(SITE + "/x", AGENT)


def test_unreachable_robots_means_stay_away_this_run():
    rules = parse_robots(RobotsAnswer(503))
    assert not rules.allows(SITE + "/x", AGENT) and "unreachable" in (rules.unreachable or "")
    assert rules.refusal_status == "robots"
    gone = parse_robots(RobotsAnswer(None, error="connection refused"))
    assert not gone.allows(SITE + "/x", AGENT) and gone.refusal_status == "failed"


def test_a_challenge_in_place_of_robots_txt_blocks_the_host_naming_the_challenge():
    rules = parse_robots(RobotsAnswer(521, challenge="js challenge (HTTP 521)"))
    assert not rules.allows(SITE + "/x", AGENT)
    assert rules.refusal_status == "blocked"
    assert rules.unreachable == "blocked on robots.txt: js challenge (HTTP 521)"
