"""The generated pages: which exist, their Markdown sources, the nav entries, and placeholder rendering.

Nothing per vendor is written by hand: ``vendors/<id>.md`` exists for every policy file,
and ``compare.md`` has one column per policy. Hand-written pages may use the site-wide
placeholders too (``docs/index.md`` has ``<!-- refund-policies:vendor-summary -->``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from refundlib.lint import Finding, lint
from refundlib.model import Policy

from . import charts, tables, vendor_page
from .config import ANNUAL_PURCHASE, MONTHLY_PURCHASE
from .html import Links, element, text
from .placeholders import PlaceholderError, marker

VENDOR_DIR = "vendors"
COMPARE_PAGE = "compare.md"
# In mkdocs.yml's nav, this value stands for "one page per vendor, in file order" (or, above
# the plugin's nav_vendor_limit, for VENDOR_INDEX, one page listing them).
NAV_VENDORS = "vendors/"
VENDOR_INDEX = f"{VENDOR_DIR}/index.md"

VENDOR_SECTIONS: dict[str, Callable[[Policy, Links], str]] = {
    "vendor-header": vendor_page.header,
    "vendor-glance": vendor_page.glance,
    "vendor-decision": vendor_page.decision,
    "vendor-flags": vendor_page.flags,
    "vendor-calculator": vendor_page.calculator,
    "vendor-text": vendor_page.policy_text,
}
SITE_SECTIONS: dict[str, Callable[[list[Policy], Links], str]] = {
    "vendor-summary": tables.summary_table,
    "compare-matrix": tables.compare_matrix,
    "compare-calculator": tables.compare_calculator,
}


def vendor_src(vendor_id: str) -> str:
    return f"{VENDOR_DIR}/{vendor_id}.md"


def compare_markdown() -> str:
    return "\n".join([
        "---", "title: Compare", "---", "",
        "# Compare the refund policies", "",
        "Every term of every policy, side by side. Each cell links to the vendor's own sentences; "
        "*not stated* means the policy is silent on it. Scroll the table sideways on a small screen.", "",
        "## The terms side by side", "",
        marker("compare-matrix"), "",
        "## Refund over time", "",
        "One purchase put to every vendor: what it would get back on each day the refund could be requested.", "",
        marker("compare-chart"), "",
        "## The same situation, every vendor", "",
        "Describe one purchase and see what each vendor's policy gives back, with the reasons.", "",
        marker("compare-calculator"), "",
    ])


@dataclass
class Site:
    """The policies and where their pages live, as known after ``on_files``."""

    policies: list[Policy]
    use_directory_urls: bool = True
    vendor_urls: dict[str, str] = field(default_factory=dict)
    # The plugin's chart_scenarios (validated): the purchases drawn as refund-over-time charts.
    chart_purchases: Sequence[Mapping[str, Any]] = (ANNUAL_PURCHASE, MONTHLY_PURCHASE)

    def __post_init__(self) -> None:
        # Per build (on_config makes a new Site): each series is computed once, whichever pages show it.
        self.charts = charts.Charts(list(self.chart_purchases))
        self._findings: dict[str, tuple[Finding, ...]] = {}
        # Built once per build, not per placeholder: with N vendors, a lookup per placeholder that walks the
        # N policies makes the build quadratic in N.
        self.by_id = {p.id: p for p in self.policies}
        self._vendor_sections = self._make_vendor_sections()
        self._site_sections = self._make_site_sections()

    def findings(self, policy: Policy) -> tuple[Finding, ...]:
        """``refundlib.lint`` for one vendor, silence judged against the site's other vendors."""
        if policy.id not in self._findings:
            self._findings[policy.id] = lint(policy, [p for p in self.policies if p.id != policy.id])
        return self._findings[policy.id]

    def vendor_sections(self) -> dict[str, Callable[[Policy, Links], str]]:
        return dict(self._vendor_sections)

    def site_sections(self) -> dict[str, Callable[[list[Policy], Links], str]]:
        return dict(self._site_sections)

    def _make_vendor_sections(self) -> dict[str, Callable[[Policy, Links], str]]:
        return {
            **VENDOR_SECTIONS,
            "vendor-chart": lambda policy, links: charts.vendor_section(
                policy, self.charts, self.by_id, _calculator_link("#work-out-your-refund")),
            "vendor-gaps": lambda policy, links: vendor_page.gaps(policy, links, self.findings(policy)),
        }

    def _make_site_sections(self) -> dict[str, Callable[[list[Policy], Links], str]]:
        return {
            **SITE_SECTIONS,
            "compare-chart": lambda policies, links: charts.compare_section(
                policies, self.charts, _calculator_link("#the-same-situation-every-vendor")),
        }

    @property
    def vendor_url_pattern(self) -> str:
        return f"{VENDOR_DIR}/{{vendor}}/" if self.use_directory_urls else f"{VENDOR_DIR}/{{vendor}}.html"

    def links(self, page_url: str) -> Links:
        return Links(page_url, self.vendor_urls, self.vendor_url_pattern)

    def render(self, page_url: str, kind: str, arg: str | None) -> str:
        links = self.links(page_url)
        vendor_sections, site_sections = self._vendor_sections, self._site_sections
        if kind in vendor_sections:
            policy = self.by_id.get(arg) if arg is not None else None
            if policy is None:
                raise PlaceholderError(f"{kind}: no policy has the id {arg!r}")
            return vendor_sections[kind](policy, links)
        if kind in site_sections and arg is None:
            return site_sections[kind](self.policies, links)
        known = ", ".join([*(f"{k} <vendor>" for k in vendor_sections), *site_sections])
        raise PlaceholderError(f"unknown placeholder {marker(kind, arg)}; known kinds: {known}")


def _calculator_link(fragment: str) -> str:
    return element("a", "the calculator", href=fragment)


def expand_nav(nav: object, policies: list[Policy], limit: int | None = None) -> object:
    """Replace a ``Title: vendors/`` nav entry with one entry per vendor page, or, with more than
    ``limit`` vendors, with the one page listing them (:data:`VENDOR_INDEX`)."""
    if isinstance(nav, list):
        return [expand_nav(item, policies, limit) for item in nav]
    if isinstance(nav, dict):
        listed = VENDOR_INDEX if limit is not None and len(policies) > limit else [
            {text(p.name): vendor_src(p.id)} for p in policies]
        return {title: listed if value == NAV_VENDORS else expand_nav(value, policies, limit)
                for title, value in nav.items()}
    return nav


def vendor_index_markdown(policies: list[Policy]) -> str:
    """The page the nav shows instead of one entry per vendor when there are too many to list."""
    lines = ["---", "title: Vendors", "---", "", "# Vendors", "",
             f"The {len(policies)} refund policies on this site, each with its rules, flags, calculator "
             "and the vendor's own text:", ""]
    lines += [f"- [{text(p.name)}]({p.id}.md): {text(p.sells)}" for p in policies]
    return "\n".join(lines) + "\n"
