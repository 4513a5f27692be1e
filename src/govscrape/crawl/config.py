"""Load and validate config/sites.toml into Config / SiteConfig records."""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govscrape.agencies import AGENCY_KINDS, kind_of_agency
from govscrape.crawl.settings import CrawlSettings
from govscrape.encoding import normalise_charset
from govscrape.errors import ConfigError

LEVELS = ("national", "provincial", "prefecture", "county", "township", "devzone")
PAGINATION_MODES = ("auto", "none")
# Lowest sensible value of a [crawl] setting; other whole-number settings need at least 1 and
# durations at least 0.
SETTING_MINIMUM: dict[str, float] = {"max_redirects": 0, "connect_timeout_s": 0.1,
                                     "read_timeout_s": 0.1, "commit_interval_s": 0.01,
                                     "revalidate_days": 0, "revalidate_max": 0}  # fmt: skip
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# One label of a host name: letters of any script (中国 domains), digits, '-' and '_' (some gov
# hosts have one), at most 63 characters (RFC 1035).
HOST_LABEL = re.compile(r"^[\w-]{1,63}$")
YEAR_PLACEHOLDER = "{year}"
# Reports under the 2008 regulation start with the 2008 report year.
FIRST_REPORT_YEAR = 2008
# Keys allowed in a [[site]] table; anything else is a typo the user should hear about.
SITE_KEYS = frozenset(
    {
        "id", "agency", "agency_kind", "province", "city", "county", "level", "listing",
        "reports", "years", "allowed_domains", "link_pattern", "exclude_pattern", "pagination",
        "encoding", "delay_s", "concurrency", "max_pages", "max_requests",
        "attachments_are_report", "robots", "allow_private_addresses", "family", "notes",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """One portal column (or several listing URLs of one agency) to crawl."""

    id: str
    agency: str
    listing_urls: tuple[str, ...]
    agency_kind: str = "other"
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None
    report_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    link_pattern: str | None = None
    exclude_pattern: str | None = None
    pagination: str = "auto"
    encoding: str | None = None
    delay_s: float | None = None
    concurrency: int | None = None
    max_pages: int | None = None
    max_requests: int | None = None
    attachments_are_report: bool = False
    obey_robots: bool = True
    robots_reason: str | None = None
    allow_private_addresses: bool = False
    family: str | None = None
    notes: str | None = None

    def metadata(self) -> dict[str, object]:
        """The entry as plain JSON-able data (CrawlState.upsert_site stores it)."""
        return {
            k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()
        }

    def delay(self, settings: CrawlSettings) -> float:
        return settings.per_host_delay_s if self.delay_s is None else self.delay_s

    def host_concurrency(self, settings: CrawlSettings) -> int:
        return self.concurrency or settings.per_host_concurrency

    def page_limit(self, settings: CrawlSettings) -> int:
        return self.max_pages or settings.max_pages

    def request_limit(self, settings: CrawlSettings) -> int:
        return self.max_requests or settings.max_requests_per_site


@dataclass(frozen=True, slots=True)
class Config:
    """A loaded sites.toml: the sites and optional [crawl] overrides of CrawlSettings."""

    path: Path
    sites: list[SiteConfig]
    crawl: dict[str, Any] = field(default_factory=dict)
    storage: dict[str, str] = field(default_factory=dict)  # [storage]: data and state locations

    def select(self, ids: Iterable[str] | None = None) -> list[SiteConfig]:
        """The sites with these ids, in the order given (all sites when ids is empty/None)."""
        wanted = list(ids or [])
        if not wanted:
            return list(self.sites)
        by_id = {s.id: s for s in self.sites}
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            raise ConfigError(
                f"{self.path}: no site with id {', '.join(map(repr, unknown))}"
                f" (known: {', '.join(sorted(by_id)) or 'none'})"
            )
        return [by_id[i] for i in dict.fromkeys(wanted)]

    def settings(self, base: CrawlSettings | None = None) -> CrawlSettings:
        """`base` (or the defaults) with this file's [crawl] table applied."""
        return dataclasses.replace(base or CrawlSettings(), **self.crawl)


def load_config(path: Path | str) -> Config:
    """Read and validate a sites.toml; ConfigError names the file, the entry and the field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found (use --config PATH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, path)


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Validate already-parsed TOML data (load_config without the file)."""
    unknown = set(data) - {"site", "crawl", "storage"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {sorted(unknown)}; expected [[site]]")
    crawl = _crawl_overrides(data.get("crawl", {}), path)
    storage = _storage(data.get("storage", {}), path)
    entries = data.get("site", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'site' must be an array of tables ([[site]])")
    sites: list[SiteConfig] = []
    seen: dict[str, int] = {}
    max_delay = dataclasses.replace(CrawlSettings(), **crawl).max_host_delay_s
    for index, entry in enumerate(entries, start=1):
        site = _EntryReader(path, index, entry, max_delay).site()
        if site.id in seen:
            raise ConfigError(
                f"{path}: site #{index} (id {site.id!r}): field 'id': duplicate of site"
                f" #{seen[site.id]}"
            )
        seen[site.id] = index
        sites.append(site)
    return Config(path=path, sites=sites, crawl=crawl, storage=storage)


def _crawl_overrides(table: Any, path: Path) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [crawl] must be a table")
    fields = {f.name: f for f in dataclasses.fields(CrawlSettings)}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"{path}: [crawl]: unknown setting {key!r} (known: {sorted(fields)})")
        default = getattr(CrawlSettings(), key)
        if type(default) is float and isinstance(value, int) and not isinstance(value, bool):
            table[key] = value = float(value)
        elif type(value) is not type(default):
            raise ConfigError(
                f"{path}: [crawl]: field {key!r}: expected {type(default).__name__}, got {value!r}"
            )
        minimum = SETTING_MINIMUM.get(key, 1 if type(default) is int else 0.0)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and (not math.isfinite(value) or value < minimum):
            raise ConfigError(
                f"{path}: [crawl]: field {key!r}: must be a finite number >= {minimum},"
                f" got {value!r}"
            )
        if isinstance(value, str) and not value.strip():
            raise ConfigError(f"{path}: [crawl]: field {key!r}: must not be empty")
    settings = dataclasses.replace(CrawlSettings(), **table)
    if settings.per_host_delay_s > settings.max_host_delay_s:
        raise ConfigError(
            f"{path}: [crawl]: field 'per_host_delay_s': {settings.per_host_delay_s:g} s is"
            f" above max_host_delay_s ({settings.max_host_delay_s:g} s)"
        )
    return dict(table)


# [storage]: where a crawl puts its data when --data / --state are not given.
STORAGE_KEYS = {
    "data": "the data folder or a URL a cluster shares (s3://bucket/prefix)",
    "state": "a folder on this machine's disk for the crawl state (needed when data is a URL)",
}


def _storage(table: Any, path: Path) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [storage] must be a table")
    for key, value in table.items():
        if key not in STORAGE_KEYS:
            raise ConfigError(f"{path}: [storage]: unknown key {key!r} (known: data, state)")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f"{path}: [storage]: {key} must be {STORAGE_KEYS[key]}, not {value!r}"
            )
    return dict(table)


def infer_agency_kind(agency: str) -> str:
    """The agency kind suggested by the name's ending (govscrape.agencies), else "other"."""
    return kind_of_agency(agency) or "other"


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched (not a URL, not http(s), no or bad host, bad port), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        return f"not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"must be an http(s) URL, not {parts.scheme or 'schemeless'}"
    if not parts.hostname:
        return "has no host name"
    if port == 0:
        return "port 0 is no port to fetch from"
    return host_problem(parts.hostname)


# Asked for every link a page holds; a crawl meets a few hundred hosts, each asked about often.
@functools.lru_cache(maxsize=4096)
def host_problem(host: str) -> str | None:
    """Why `host` is no host name or address, or None."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return None
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if not all(HOST_LABEL.match(label) for label in labels):
        return f"host {host!r} is not a valid host name"
    return None


def url_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class _EntryReader:
    """Reads one [[site]] table, raising ConfigError that names the entry and field."""

    def __init__(self, path: Path, index: int, entry: Any, max_delay: float) -> None:
        self.path, self.index, self.max_delay = path, index, max_delay
        if not isinstance(entry, dict):
            self.fail("(entry)", "must be a table")
        self.entry: dict[str, Any] = entry

    def fail(self, key: str, message: str) -> None:
        ident = self.entry.get("id") if isinstance(getattr(self, "entry", None), dict) else None
        label = f"site #{self.index}" + (f" (id {ident!r})" if ident else "")
        raise ConfigError(f"{self.path}: {label}: field {key!r}: {message}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.entry.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def choice(self, key: str, options: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value is not None and value not in options:
            self.fail(key, f"must be one of {', '.join(options)}; got {value!r}")
        return value

    def number(
        self, key: str, kind: type, minimum: float, maximum: float = math.inf, why: str = ""
    ) -> Any:
        value = self.entry.get(key)
        if value is None:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < minimum:  # TOML has nan and inf
            self.fail(key, f"must be a finite {kind.__name__} >= {minimum}, got {value!r}")
        if value > maximum:
            self.fail(key, f"must be at most {maximum:g}{why}, got {value!r}")
        return kind(value)

    def flag(self, key: str) -> bool:
        value = self.entry.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.entry.get(key, ())
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            self.fail(key, f"must be a string or a list of strings, got {value!r}")
        return tuple(v.strip() for v in value)

    def regex(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                self.fail(key, f"not a valid regular expression: {exc}")
        return value

    def urls(self, key: str, years: tuple[int, ...]) -> tuple[str, ...]:
        expanded: list[str] = []
        for url in self.strings(key):
            if (problem := url_problem(url.replace(YEAR_PLACEHOLDER, "2000"))) is not None:
                self.fail(key, f"{problem}: {url!r}")
            if YEAR_PLACEHOLDER in url:
                expanded.extend(url.replace(YEAR_PLACEHOLDER, str(y)) for y in years)
            else:
                expanded.append(url)
        return tuple(dict.fromkeys(expanded))

    def years(self) -> tuple[int, ...]:
        value = self.entry.get("years")
        if value is None:
            return tuple(range(FIRST_REPORT_YEAR, date.today().year + 1))
        # "2019-2024", or open-ended "2019-": up to the current year, so a config does not go
        # stale when a new year's reports appear. Reports exist from 2008 on.
        if isinstance(value, list) and value and all(isinstance(y, int) for y in value):
            first, last = min(value), max(value)
        elif isinstance(value, str) and (m := re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})?\s*", value)):
            first, last = int(m.group(1)), int(m.group(2) or date.today().year)
        else:
            first, last = 0, -1
        if FIRST_REPORT_YEAR <= first <= last <= date.today().year + 1:
            return tuple(value) if isinstance(value, list) else tuple(range(first, last + 1))
        self.fail(
            "years",
            f'must be "YYYY-YYYY", "YYYY-" or a list of years from {FIRST_REPORT_YEAR} to next'
            f" year, got {value!r}",
        )
        return ()

    def pagination(self) -> str:
        value = self.text("pagination") or "auto"
        if value not in PAGINATION_MODES and "{n}" not in value:
            self.fail(
                "pagination", f'must be "auto", "none" or a template with {{n}}; got {value!r}'
            )
        return value

    def robots(self) -> tuple[bool, str | None]:
        value = self.entry.get("robots", True)
        if isinstance(value, bool):
            if not value:
                self.fail(
                    "robots", 'opting out needs a reason: robots = { obey = false, reason = "…" }'
                )
            return True, None
        if not isinstance(value, dict) or set(value) - {"obey", "reason"}:
            self.fail("robots", f"must be true or {{ obey = false, reason = ... }}, got {value!r}")
        obey, reason = value.get("obey", True), value.get("reason")
        if not isinstance(obey, bool):
            self.fail("robots", f"obey must be true or false, got {obey!r}")
        if not obey and not (isinstance(reason, str) and len(reason.strip()) >= 10):
            self.fail("robots", "obey = false needs a written reason (at least a sentence)")
        return obey, reason.strip() if isinstance(reason, str) else None

    def site(self) -> SiteConfig:
        unknown = sorted(set(self.entry) - SITE_KEYS)
        if unknown:
            self.fail(unknown[0], f"unknown field (known: {', '.join(sorted(SITE_KEYS))})")
        site_id = self.text("id", required=True) or ""
        if not ID_PATTERN.match(site_id):
            self.fail("id", f"must be lowercase letters, digits, '-' or '_', got {site_id!r}")
        agency = self.text("agency", required=True) or ""
        years = self.years()
        listing, reports = self.urls("listing", years), self.urls("reports", years)
        if not listing and not reports:
            self.fail("listing", "is required (a URL or a list of URLs) unless 'reports' is given")
        obey, reason = self.robots()
        encoding = self.text("encoding")
        if encoding is not None and normalise_charset(encoding) is None:
            self.fail("encoding", f"unknown encoding {encoding!r}")
        domains = tuple(d.lower().lstrip(".") for d in self.strings("allowed_domains"))
        for domain in domains:
            if (problem := host_problem(domain)) is not None:
                self.fail("allowed_domains", f"{problem} (a host name, without http:// or /)")
        return SiteConfig(
            id=site_id,
            agency=agency,
            listing_urls=listing,
            agency_kind=self.choice("agency_kind", AGENCY_KINDS) or infer_agency_kind(agency),
            province=self.text("province"),
            city=self.text("city"),
            county=self.text("county"),
            level=self.choice("level", LEVELS),
            report_urls=reports,
            allowed_domains=domains or tuple(dict.fromkeys(map(url_host, listing + reports))),
            link_pattern=self.regex("link_pattern"),
            exclude_pattern=self.regex("exclude_pattern"),
            pagination=self.pagination(),
            encoding=normalise_charset(encoding) if encoding else None,
            delay_s=self.number(
                "delay_s", float, 0, self.max_delay, " s ([crawl] max_host_delay_s)"
            ),
            concurrency=self.number("concurrency", int, 1),
            max_pages=self.number("max_pages", int, 1),
            max_requests=self.number("max_requests", int, 1),
            attachments_are_report=self.flag("attachments_are_report"),
            obey_robots=obey,
            robots_reason=reason,
            allow_private_addresses=self.flag("allow_private_addresses"),
            family=self.text("family"),
            notes=self.text("notes"),
        )
