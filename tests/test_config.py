"""Loading and validating sites.toml: defaults, messages that name file/entry/field, select()."""

from __future__ import annotations

from pathlib import Path

import pytest

from govscrape.crawl.config import infer_agency_kind, load_config
from govscrape.crawl.settings import CrawlSettings
from govscrape.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
MINIMAL = """
[[site]]
id = "mzj"
agency = "某某县民政局"
listing = "http://www.mzj.example.gov.cn/zfxxgk/zfxxgknb/"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return str(info.value)


def test_three_line_entry_gets_sensible_defaults(tmp_path):
    site = load_config(write(tmp_path, MINIMAL)).sites[0]
    assert site.listing_urls == ("http://www.mzj.example.gov.cn/zfxxgk/zfxxgknb/",)
    assert site.allowed_domains == ("www.mzj.example.gov.cn",)
    assert site.agency_kind == "department"
    assert site.obey_robots and not site.allow_private_addresses
    assert site.pagination == "auto" and site.max_pages is None
    assert site.page_limit(CrawlSettings()) == CrawlSettings().max_pages


def test_year_placeholder_expands_over_the_years(tmp_path):
    text = MINIMAL.replace('zfxxgknb/"', 'zfxxgknb/{year}/"\nyears = "2021-2023"')
    site = load_config(write(tmp_path, text)).sites[0]
    assert [u.rsplit("/", 2)[-2] for u in site.listing_urls] == ["2021", "2022", "2023"]


@pytest.mark.parametrize(
    ("agency", "kind"),
    [
        ("湘西土家族苗族自治州人民政府", "government"),
        ("高平市人民政府办公室", "department"),
        ("莘县王庄集镇人民政府", "township"),
        ("绍兴市越城区东湖街道办事处", "township"),
        ("池州高新技术产业开发区管理委员会", "other"),
        ("退役军人事务部", "department"),
        ("湖南省生态环境厅", "department"),
    ],
)
def test_agency_kind_is_inferred_from_the_name(agency, kind):
    assert infer_agency_kind(agency) == kind


def test_missing_field_names_file_entry_and_field(tmp_path):
    message = error_for(
        tmp_path, MINIMAL + '\n[[site]]\nid = "two"\nlisting = "http://a.gov.cn/"\n'
    )
    assert "sites.toml" in message and "site #2" in message and "'two'" in message
    assert "'agency'" in message and "required" in message


def test_bad_url_is_rejected(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("http://www", "ftp://www"))
    assert "site #1 (id 'mzj')" in message and "'listing'" in message and "http(s)" in message


def test_unknown_field_is_a_typo_reported(tmp_path):
    message = error_for(tmp_path, MINIMAL + "max_page = 3\n")
    assert "'max_page'" in message and "unknown field" in message


def test_robots_opt_out_needs_a_written_reason(tmp_path):
    assert "reason" in error_for(tmp_path, MINIMAL + "robots = false\n")
    assert "reason" in error_for(tmp_path, MINIMAL + "robots = { obey = false }\n")
    text = MINIMAL + 'robots = { obey = false, reason = "The webmaster allowed us by email." }\n'
    site = load_config(write(tmp_path, text)).sites[0]
    assert not site.obey_robots and site.robots_reason.startswith("The webmaster")


def test_duplicate_ids_are_rejected(tmp_path):
    message = error_for(tmp_path, MINIMAL + MINIMAL)
    assert "site #2" in message and "duplicate of site #1" in message


def test_invalid_regex_and_wrong_types_are_rejected(tmp_path):
    assert "regular expression" in error_for(tmp_path, MINIMAL + 'link_pattern = "年度(报告"\n')
    assert "'max_pages'" in error_for(tmp_path, MINIMAL + "max_pages = 0\n")
    assert "'level'" in error_for(tmp_path, MINIMAL + 'level = "city"\n')
    assert "'encoding'" in error_for(tmp_path, MINIMAL + 'encoding = "klingon"\n')
    assert "'pagination'" in error_for(tmp_path, MINIMAL + 'pagination = "index.html"\n')


def test_broken_toml_and_missing_file_are_config_errors(tmp_path):
    assert "not valid TOML" in error_for(tmp_path, MINIMAL + "id = \n")
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_crawl_table_overrides_settings(tmp_path):
    config = load_config(write(tmp_path, "[crawl]\nper_host_delay_s = 3\n" + MINIMAL))
    assert config.settings().per_host_delay_s == 3.0
    assert "[crawl]" in error_for(tmp_path, "[crawl]\nspeed = 3\n" + MINIMAL)
    message = error_for(tmp_path, "[crawl]\nmax_tries = 0\n" + MINIMAL)
    assert "sites.toml" in message and "'max_tries'" in message and ">= 1" in message
    assert "'per_host_delay_s'" in error_for(tmp_path, "[crawl]\nper_host_delay_s = -1\n" + MINIMAL)


def test_select_keeps_order_and_rejects_unknown_ids(tmp_path):
    text = MINIMAL + MINIMAL.replace('"mzj"', '"two"')
    config = load_config(write(tmp_path, text))
    assert [s.id for s in config.select(["two", "mzj"])] == ["two", "mzj"]
    assert [s.id for s in config.select(None)] == ["mzj", "two"]
    with pytest.raises(ConfigError, match="'nope'"):
        config.select(["nope"])


def test_shipped_config_is_valid_and_covers_the_candidate_portals():
    config = load_config(REPO_ROOT / "config" / "sites.toml")
    assert len(config.sites) >= 40
    assert all(s.agency and (s.listing_urls or s.report_urls) for s in config.sites)
    assert {s.level for s in config.sites} >= {
        "national",
        "provincial",
        "prefecture",
        "county",
        "township",
        "devzone",
    }
    assert not any(s.allow_private_addresses for s in config.sites)


def test_an_open_ended_year_range_runs_to_this_year(tmp_path):
    from datetime import date

    text = MINIMAL.replace('zfxxgknb/"', 'zfxxgknb/{year}/"\nyears = "2023-"')
    site = load_config(write(tmp_path, text)).sites[0]
    this_year = date.today().year
    assert site.listing_urls[0].endswith("/2023/")
    assert site.listing_urls[-1].endswith(f"/{this_year}/")
    assert len(site.listing_urls) == this_year - 2023 + 1


@pytest.mark.parametrize(
    ("listing", "says"),
    [
        ("http://[::1/x/", "Invalid IPv6 URL"),
        ("http://www.mzj.example.gov.cn:99999/x/", "Port out of range"),
        ("http://www.mzj.example.gov.cn:0/x/", "port 0"),
        ("http:///x/", "no host name"),
        ("ftp://www.mzj.example.gov.cn/x/", "http(s)"),
        ("www.mzj.example.gov.cn/x/", "http(s)"),
        ("http://www.mzj example.gov.cn/x/", "not a valid host name"),
        ("http://www..gov.cn/x/", "not a valid host name"),
    ],
)
def test_a_listing_that_cannot_be_fetched_is_one_line_naming_file_entry_and_field(
    tmp_path, listing, says
):
    message = error_for(
        tmp_path, MINIMAL.replace("http://www.mzj.example.gov.cn/zfxxgk/zfxxgknb/", listing)
    )
    assert message.startswith(f"{tmp_path / 'sites.toml'}: site #1 (id 'mzj'): field 'listing': ")
    assert says in message and listing in message and "\n" not in message


def test_a_chinese_domain_name_is_a_valid_host(tmp_path):
    text = MINIMAL.replace("www.mzj.example.gov.cn", "民政局.某县.政务")
    assert load_config(write(tmp_path, text)).sites[0].allowed_domains == ("民政局.某县.政务",)


@pytest.mark.parametrize(
    ("line", "field", "says"),
    [
        ("delay_s = nan", "delay_s", "finite"),
        ("delay_s = inf", "delay_s", "finite"),
        ("delay_s = -0.5", "delay_s", ">= 0"),
        ("delay_s = 86400", "delay_s", "at most 60"),
        ("concurrency = inf", "concurrency", "int"),
        ('allowed_domains = ["http://www.mzj.example.gov.cn/"]', "allowed_domains", "host name"),
        ('years = "1999-2003"', "years", "from 2008"),
        ('years = "2023-2021"', "years", "list of years"),
        ("years = [2021, 3021]", "years", "list of years"),
    ],
)
def test_values_a_crawl_cannot_use_are_rejected_naming_the_field(tmp_path, line, field, says):
    message = error_for(tmp_path, MINIMAL + line + "\n")
    assert f"site #1 (id 'mzj'): field '{field}'" in message and says in message


def test_crawl_settings_that_cannot_work_are_rejected(tmp_path):
    assert "finite" in error_for(tmp_path, "[crawl]\nper_host_delay_s = nan\n" + MINIMAL)
    assert "finite" in error_for(tmp_path, "[crawl]\nread_timeout_s = inf\n" + MINIMAL)
    assert "must not be empty" in error_for(tmp_path, '[crawl]\nuser_agent = " "\n' + MINIMAL)
    message = error_for(tmp_path, "[crawl]\nper_host_delay_s = 100\n" + MINIMAL)
    assert "'per_host_delay_s'" in message and "max_host_delay_s" in message
    text = "[crawl]\nmax_host_delay_s = 200.0\n" + MINIMAL + "delay_s = 120\n"
    assert load_config(write(tmp_path, text)).sites[0].delay_s == 120.0


def test_the_command_line_says_a_bad_listing_in_one_line_with_exit_status_2(tmp_path, capsys):
    from govscrape.cli.main import main

    path = write(
        tmp_path,
        MINIMAL.replace("http://www.mzj.example.gov.cn/zfxxgk/zfxxgknb/", "http://[::1/x/"),
    )
    assert main(["crawl", "--config", str(path), "--data", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "sites.toml: site #1 (id 'mzj'): field 'listing'" in err


def test_a_storage_table_names_the_data_and_state_locations(tmp_path):
    text = '[storage]\ndata = "s3://bucket/govscrape"\nstate = "/var/lib/govscrape"\n' + MINIMAL
    assert load_config(write(tmp_path, text)).storage == {
        "data": "s3://bucket/govscrape",
        "state": "/var/lib/govscrape",
    }
    assert "unknown key 'raw'" in error_for(tmp_path, '[storage]\nraw = "x"\n' + MINIMAL)
    assert "state must be" in error_for(tmp_path, "[storage]\nstate = 3\n" + MINIMAL)
