"""The demo's main job: start the portal, crawl it, build the datasets, answer a question.

The portal's ports are remembered in DATA/demo-portal.json and reused by the next run, so the
URLs in the crawl state stay valid and the second run is incremental (conditional requests,
nothing unchanged fetched again). If those ports are taken, the run stops with a message
rather than crawling the same reports again under new URLs.
"""

from __future__ import annotations

import json
import signal
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from govscrape.crawl.config import load_config
from govscrape.crawl.crawler import run_crawl
from govscrape.datasets import build_datasets
from govscrape.demo.agencies import REPORTING
from govscrape.demo.server import HOST_KEYS, DemoPortal, Hit
from govscrape.errors import GovscrapeError
from govscrape.questions.findings import findings
from govscrape.questions.render import render
from govscrape.questions.zero_requests import zero_requests

CONFIG_NAME = "demo-sites.toml"
PORTS_NAME = "demo-portal.json"
HOST_ROLES = {
    "city": "云泽市 city portal (TRS, plus a gkmlpt JSON API): the city and four departments",
    "county": "青石县 county portal (Hanweb): the county government, a town, two departments, "
    "and a 部门年报 column shared by two more departments and a township",
    "waf": "青石县卫生健康局 (behind a 521 JavaScript challenge)",
    "zone": "云泽高新区 development zone (legacy GB2312 host)",
}
Echo = Callable[[str], None]
MESSAGE_WIDTH = 150  # longer finding messages are elided in the demo's table, not elsewhere
TROUBLE = """\
trouble on the portal, by design: a report answering 500 once (retried), a host behind a 521
JavaScript challenge (recorded as blocked, never parsed), robots.txt disallowing an old copy
(/lsbb/), a GB2312 host without a charset header (table layout; one page's header is
mojibake), reports published only as a PDF or a Word attachment (one PDF's table 三 prints
labels damaged: a character missing, group-label characters interleaved, a label wrapped over
two rows; its rows are aligned to the template by order and similarity, each label no lookup
finds named by a parse.fuzzy_label info finding), one only as a Word 97 .doc
(kept raw and flagged: govscrape does not read .doc), a Hanweb column whose older items come
only from jpage's dataproxy.jsp, news and 解读 items, a 部门年报 column whose reports name their
own agencies (one abbreviated, "青石县发改局2019政府…", without 年; one naming none in its title:
its 发布机构 and signature do), three reports on 2017 in prose (no national table: their
figures are read from their sentences, and one that states none is no zero)."""


@dataclass(slots=True)
class DemoRun:
    """What one demo run produced (the CLI prints it; the end-to-end test inspects it)."""

    data_dir: Path
    config_path: Path
    crawl: object  # govscrape.crawl.crawler.CrawlSummary
    build: object  # govscrape.datasets.BuildSummary
    zero: object  # pandas.DataFrame from govscrape.questions.zero_requests
    hits: list[Hit]  # every request the portal answered during the crawl


def open_portal(data_dir: Path, port: int | None = None) -> DemoPortal:
    """Start the portal on `port`.., on the ports this data folder used before, or on free ones."""
    remembered = _remembered_ports(data_dir)
    wanted = list(range(port, port + len(HOST_KEYS))) if port else None
    if wanted and remembered and sorted(remembered.values()) != wanted:
        raise GovscrapeError(
            f"{data_dir} holds a crawl of the demo portal on ports {sorted(remembered.values())};"
            " other ports would crawl every report again under new URLs. Drop --port, or use"
            " another --data folder."
        )
    portal = DemoPortal(port=port) if port else DemoPortal(ports=remembered)
    try:
        portal.start()
    except OSError as exc:
        if remembered:
            raise GovscrapeError(
                f"cannot start the demo portal on ports {sorted(remembered.values())} ({exc}):"
                f" the crawl state in {data_dir} refers to them; free them, or use another"
                " --data folder."
            ) from None
        raise GovscrapeError(f"cannot start the demo portal on ports {wanted}: {exc}") from None
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / PORTS_NAME).write_text(json.dumps({"ports": portal.ports}, indent=1) + "\n")
    return portal


def _remembered_ports(data_dir: Path) -> dict[str, int] | None:
    try:
        ports = json.loads((data_dir / PORTS_NAME).read_text())["ports"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {str(k): int(v) for k, v in ports.items()}


def write_config(portal: DemoPortal, data_dir: Path) -> Path:
    path = data_dir / CONFIG_NAME
    path.write_text(portal.config_text(), encoding="utf-8")
    return path


def describe_portal(portal: DemoPortal, config_path: Path, echo: Echo) -> None:
    echo(f"demo portal: {len(REPORTING)} fictional agencies on {len(portal.urls)} hosts")
    for key, url in portal.urls.items():
        echo(f"  {url:<24}  {HOST_ROLES[key]}")
    echo(f"config: {config_path}")


def run_demo(data_dir: Path, *, port: int | None = None, echo: Echo = print) -> DemoRun:
    """Portal up → crawl (real crawler) → datasets → zero-requests answer → portal down."""

    with open_portal(data_dir, port) as portal:
        config_path = write_config(portal, data_dir)
        describe_portal(portal, config_path, echo)
        echo("\n== 1. crawl (a second run fetches nothing unchanged) ==")
        crawl = run_crawl(load_config(config_path), data_dir)
        echo(crawl.format().rstrip())
        hits = list(portal.hits)
        tally = Counter(h.status for h in hits)
        echo("portal answered: " + ", ".join(f"{n} x HTTP {s}" for s, n in sorted(tally.items())))
        echo(TROUBLE)
    echo("\n== 2. datasets ==")
    build = build_datasets(data_dir)
    echo(build.format().rstrip())
    echo("what the checks found in the reports (govscrape findings, errors and warnings):")
    echo(format_findings(data_dir))
    echo("\n== 3. which agencies reported zero requests? ==")
    zero = zero_requests(data_dir)
    echo(format_zero(zero))
    return DemoRun(data_dir, config_path, crawl, build, zero, hits)


def format_findings(data_dir: Path) -> str:
    """Error and warning findings, one line each: what a fact-checker looks at first."""

    found = findings(data_dir)
    found = found[found["severity"] != "info"]
    if found.empty:
        return "(none)"
    found = found.assign(message=found["message"].map(elide))
    return render(found[["year", "agency", "code", "message"]], "table").rstrip()


def elide(text: str, width: int = MESSAGE_WIDTH) -> str:
    """`text` cut in the middle to `width` characters: what it says and what it names (a URL,
    a file) both stay visible; `govscrape findings` prints it whole."""
    if len(text) <= width:
        return text
    keep = (width - 3) // 2
    return f"{text[:keep]} … {text[len(text) - keep :]}"


def format_zero(zero) -> str:  # zero: pandas.DataFrame
    """The zero-requests answer as an aligned table (the `govscrape zero-requests` columns)."""

    if zero.empty:
        return "(none)"
    return render(zero[["year", "agency", "status", "detail"]], "table").rstrip()


def serve(data_dir: Path, *, port: int | None = None, echo: Echo = print) -> None:
    """Keep the portal running until Ctrl-C, with a ready-to-paste crawl command."""
    with open_portal(data_dir, port) as portal:
        config_path = write_config(portal, data_dir)
        describe_portal(portal, config_path, echo)
        echo("\nCrawl it by hand (in another terminal):")
        echo(f"  govscrape crawl --config {config_path} --data {data_dir}")
        echo("Press Ctrl-C to stop the portal.")
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())  # `kill`, systemd, docker stop
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        echo("\nportal stopped")
