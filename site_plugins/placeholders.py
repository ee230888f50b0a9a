"""Placeholders: where generated HTML goes in a page, out of Markdown's reach.

A page's Markdown holds ``<!-- refund-policies:KIND -->`` or ``<!-- refund-policies:KIND ARG -->``
on a line of its own (an HTML comment, which Markdown passes through untouched). After
Markdown has run, :func:`substitute` replaces each one with the HTML its renderer returns,
so generated markup (and the policy text inside it) is never read as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PREFIX = "refund-policies:"
PATTERN = re.compile(r"<!-- refund-policies:(?P<kind>[a-z][a-z-]*)(?: (?P<arg>[a-z0-9][a-z0-9-]*))? -->")


class PlaceholderError(ValueError):
    """A placeholder names an unknown kind or argument."""


def marker(kind: str, arg: str | None = None) -> str:
    text = f"<!-- {PREFIX}{kind}{'' if arg is None else ' ' + arg} -->"
    if not PATTERN.fullmatch(text):
        raise ValueError(f"not a valid placeholder: {text}")
    return text


def substitute(html: str, render: Callable[[str, str | None], str]) -> str:
    """Replace every placeholder in ``html`` with ``render(kind, arg)``.

    Markdown may wrap a lone comment in ``<p>…</p>``; the wrapper goes with it.
    """
    def replace(match: re.Match[str]) -> str:
        return render(match["kind"], match["arg"])

    wrapped = re.compile(rf"<p>\s*{PATTERN.pattern}\s*</p>")  # PATTERN's groups, kind and arg, inside the wrapper
    html = wrapped.sub(replace, html)
    return PATTERN.sub(replace, html)


def kinds_in(source: str) -> list[tuple[str, str | None]]:
    return [(m["kind"], m["arg"]) for m in PATTERN.finditer(source)]
