"""A policy as JSON-ready data: for `refundlib show --format json`, the site and the browser form."""

from __future__ import annotations

from typing import Protocol

from .model import Policy


class _Cited(Protocol):
    """Any part of a policy that cites clauses."""

    @property
    def cites(self) -> tuple[str, ...]: ...


def policy_to_dict(policy: Policy) -> dict[str, object]:
    def cited(item: _Cited) -> list[str]:
        return list(item.cites)

    return {
        "id": policy.id,
        "name": policy.name,
        "sells": policy.sells,
        "source_url": policy.source_url,
        "last_updated": policy.last_updated_as_published,
        "last_updated_iso": None if policy.last_updated is None else policy.last_updated.isoformat(),
        "capture": {"file": policy.capture.file, "omitted": policy.capture.omitted},
        "clauses": [{"id": c.id, "text": c.text} for c in policy.clauses],
        "products": [{"id": p.id, "name": p.name, "description": p.description, "billing": [str(b) for b in p.billing],
                      "charged": p.charged, "cites": cited(p)} for p in policy.products],
        "facts": [{"id": f.id, "question": f.question, "type": f.type, "help": f.help,
                   "default": f.default if f.default is None or isinstance(f.default, bool) else f"{f.default:f}",
                   "products": list(f.products), "cites": cited(f)} for f in policy.facts],
        "exclusions": [{"id": e.id, "label": e.label, "when": e.when.text, "products": list(e.products),
                        "cites": cited(e)} for e in policy.exclusions],
        "rules": [{"id": r.id, "label": r.label, "products": list(r.products), "outcome": str(r.outcome),
                   "requires": [{"test": q.test.text, "says": q.says, "cites": list(q.cites)} for q in r.requires],
                   "amount": None if r.amount is None else r.amount.text,
                   "amount_max": None if r.amount_max is None else r.amount_max.text,
                   "destination": None if r.destination is None else str(r.destination), "automatic": r.automatic,
                   "request": r.request, "timings": list(r.timings), "cites": cited(r)} for r in policy.rules],
        "fees": [{"id": f.id, "label": f.label, "when": f.when.text, "rate": f"{f.rate:f}",
                  "applies_to": str(f.applies_to), "cites": cited(f)} for f in policy.fees],
        "requests": [{"id": r.id, "channel": str(r.channel), "address": r.address, "steps": list(r.steps),
                      "include": list(r.include), "cites": cited(r)} for r in policy.requests],
        "timings": [{"id": t.id, "kind": str(t.kind), "text": t.text, "cites": cited(t)} for t in policy.timings],
        "notes": [{"id": n.id, "kind": str(n.kind), "text": n.text, "cites": cited(n),
                   "applies_to": list(n.applies_to)} for n in policy.notes],
        "topics": [{"topic": str(t.topic), "summary": t.summary, "cites": cited(t)} for t in policy.topics],
    }
