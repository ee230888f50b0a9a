"""The lint report as text (for the CLI) and as JSON-ready data (for the CLI, the browser and embedders)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from .lint import Finding
from .model import Policy

Results = Sequence[tuple[Policy, tuple[Finding, ...]]]


def lint_to_dict(results: Results) -> dict[str, object]:
    return {"vendors": [{"vendor": p.id, "name": p.name, "file": p.file, "count": len(found)} for p, found in results],
            "findings": [f.to_dict() for _, found in results for f in found]}


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent]


def render_lint(results: Results) -> str:
    """The report as text: per vendor, each finding with the clauses it quotes and what it refers to."""
    lines: list[str] = []
    for policy, found in results:
        plural = "finding" if len(found) == 1 else "findings"
        lines.append(f"== {policy.name} ({policy.id}): {len(found) or 'no'} {plural}")
        notes = {n.id for n in policy.notes}
        for index, finding in enumerate(found, 1):
            lines += _wrap(f"{index}. [{finding.kind}] {finding.subject}: {finding.message}", "  ")
            for quote in finding.clauses:
                lines += _wrap(f"[{quote.clause}] “{quote.text}”", "       ")
            items = [r for r in finding.refs if r not in notes]
            noted = [r for r in finding.refs if r in notes]
            if items:
                lines += _wrap("refs: " + ", ".join(items), "     ")
            if noted:
                lines += _wrap("notes: " + ", ".join(noted), "     ")
        lines.append("")
    return "\n".join(lines)
