"""What every demo CMS page shares: listing items, host identities, escaping and date formats."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from govscrape.demo.report_numbers import DemoReport


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a listing page."""

    title: str
    href: str
    date: datetime


@dataclass(frozen=True, slots=True)
class Host:
    """What a demo host prints around its articles."""

    name: str
    domain: str
    site_code: str


CITY_HOST = Host("云泽市人民政府", "www.yunze.gov.cn", "3399000001")
COUNTY_HOST = Host("青石县人民政府", "www.qingshi.gov.cn", "3399120002")
WAF_HOST = Host("青石县卫生健康局", "wjj.qingshi.gov.cn", "3399120031")
ZONE_HOST = Host("云泽高新技术产业开发区", "www.yzgxq.gov.cn", "3399000023")

esc = html.escape


def day_text(when: datetime) -> str:
    return when.strftime("%Y-%m-%d")


def epoch(when: datetime) -> int:
    """Seconds since 1970 of a Beijing wall-clock time (whatever the machine's time zone)."""
    return int(when.replace(tzinfo=timezone(timedelta(hours=8))).timestamp())


def minute_text(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def index_code(report: DemoReport) -> str:
    """The report's 索引号, as the TRS and Hanweb metadata blocks print it."""
    return f"113399{report.doc_id % 100000:05d}M/{report.published.year}-{report.doc_id % 997:05d}"
