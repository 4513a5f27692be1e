"""Check the sites of sites.toml: is each listing reachable, and what does it show now?

`govscrape sites check` fetches each site's listing page(s) politely (robots.txt, the per-host
delay, the crawler's own client; nothing is stored) and prints, per site: reachable or not and
why (DNS, TLS, timeout, HTTP 4xx/5xx, a challenge or WAF page, robots.txt), the CMS family
recognised, report items per year, the newest report year, the items the listing states beyond
its static pages (TRS script-paginated columns), and what robots.txt says. This is how a
researcher keeps sites.toml true.

exit status:
  0  every site checked is reachable
  1  some site is not
  2  the configuration is unusable (invalid sites.toml, unknown --site id)

examples:
  govscrape sites check
  govscrape sites check --site mva --format json
"""

from __future__ import annotations

import argparse
import json

from govscrape.cli.common import add_site_selection
from govscrape.crawl.config import load_config
from govscrape.crawl.site_check import SiteCheck, check_sites

HEAD = ("site", "reachable", "family", "newest", "items per year", "beyond", "robots")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="fetch each site's listing(s) now and say what they show",
        description=(__doc__ or "").strip(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    add_site_selection(check, "check")
    check.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    checks = check_sites(config.select(args.sites), config.settings())
    if args.format == "json":
        print(json.dumps([c.as_dict() for c in checks], ensure_ascii=False, indent=2))
    else:
        print(format_table(checks))
    return 0 if all(c.reachable for c in checks) else 1


def format_table(checks: list[SiteCheck]) -> str:
    """One line per site, then why each unreachable site is so."""
    rows = [HEAD] + [_row(c) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for c in checks:
        if not c.reachable:
            lines.append(f"{c.site}: not reachable: {c.why}")
        for listing in c.listings:
            if listing.status != "ok" and c.reachable:
                lines.append(f"{c.site}: {listing.url}: {listing.why}")
    down = sum(not c.reachable for c in checks)
    lines.append(
        f"{len(checks)} site(s): " + (f"{down} not reachable." if down else "all reachable.")
    )
    return "\n".join(lines)


def _row(c: SiteCheck) -> tuple[str, ...]:
    per_year = " ".join(f"{y}:{n}" for y, n in c.years.items()) or "-"
    beyond = "-" if c.beyond_static is None else str(c.beyond_static)
    return (
        c.site, "yes" if c.reachable else "NO", c.family or "?",
        str(c.newest_year or "-"), per_year, beyond, c.robots,
    )  # fmt: skip
