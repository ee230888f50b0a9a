"""Small HTML building blocks shared by the generated pages.

Every piece of policy data goes through :func:`text` (``html.escape``) or :func:`attr`:
policy text is data, never markup. Links between pages are computed by :class:`Links`
from the page's own URL, so they hold with and without ``use_directory_urls``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs.utils import get_relative_url

from refundlib.model import Policy


def text(value: str) -> str:
    """Escape a string for element content."""
    return html.escape(value, quote=False)


def attr(value: str) -> str:
    """Escape a string for a double-quoted attribute value."""
    return html.escape(value, quote=True)


def element(tag: str, content: str, **attributes: str | None) -> str:
    """``<tag a="v">content</tag>``; ``content`` must already be HTML, attribute values are escaped.

    Attribute names use ``_`` for ``-`` (``data_vendor`` is ``data-vendor``), and a trailing
    ``_`` is dropped (``class_`` is ``class``). ``None`` leaves an attribute out.
    """
    rendered = "".join(f' {name.rstrip("_").replace("_", "-")}="{attr(value)}"'
                       for name, value in attributes.items() if value is not None)
    return f"<{tag}{rendered}>{content}</{tag}>"


def join(parts: Iterable[str], separator: str = "\n") -> str:
    return separator.join(p for p in parts if p)


def external_link(url: str) -> str:
    """A link to a vendor's page, or the bare (escaped) text when it is not an http(s) URL."""
    if url.startswith(("https://", "http://")):
        return element("a", text(url), href=url, class_="refund-source", rel="external noopener noreferrer")
    return text(url)


def clause_anchor(clause_id: str) -> str:
    return f"clause-{clause_id}"


@dataclass(frozen=True)
class Links:
    """Relative URLs from one rendered page (``page_url``, as mkdocs' ``Page.url``) to the others."""

    page_url: str
    vendor_urls: dict[str, str]  # vendor id -> its page's URL (as File.url)
    vendor_url_pattern: str  # the same with "{vendor}" for the id, e.g. "vendors/{vendor}/"

    def to(self, url: str) -> str:
        return get_relative_url(url, self.page_url)

    def vendor(self, vendor_id: str) -> str:
        return self.to(self.vendor_urls[vendor_id])

    def on_vendor_page(self, vendor_id: str) -> bool:
        return self.vendor_urls.get(vendor_id) == self.page_url

    def clause(self, vendor_id: str, clause_id: str) -> str:
        fragment = "#" + clause_anchor(clause_id)
        return fragment if self.on_vendor_page(vendor_id) else self.vendor(vendor_id) + fragment

    def clause_prefix(self, vendor_id: str | None = None) -> str:
        """The ``data-clause-href`` of the calculator: append a clause id to get its link."""
        if vendor_id is None:
            return self.to(self.vendor_url_pattern) + "#clause-"
        return self.clause(vendor_id, "")

    def asset(self, path: str) -> str:
        return self.to(path)


def clause_number(policy: Policy, clause_id: str) -> int:
    return next(i for i, c in enumerate(policy.clauses, 1) if c.id == clause_id)


def cites(policy: Policy, clause_ids: Iterable[str], links: Links) -> str:
    """Citation links to the clauses, labelled by their number in the policy text."""
    anchors = []
    for clause_id in clause_ids:
        number = clause_number(policy, clause_id)
        anchors.append(element(
            "a", f"[{number}]", href=links.clause(policy.id, clause_id), class_="refund-cite",
            title=policy.clause(clause_id).text, aria_label=f"{policy.name}, clause {number}",
            data_clause=clause_id))
    return element("span", " ".join(anchors), class_="refund-cites") if anchors else ""


def quote(policy: Policy, clause_id: str, links: Links) -> str:
    """A clause quoted in full, with its citation link."""
    clause = policy.clause(clause_id)
    return element("blockquote", element("p", f"“{text(clause.text)}” {cites(policy, [clause_id], links)}"),
                   class_="refund-quote")
