"""JSON in, JSON out: the entry points the browser (Pyodide) and embedders call.

Every function returns a JSON string ``{"ok": true, ...}`` or ``{"ok": false, "error": {...}}``
so that JavaScript never has to interpret a Python exception: input errors carry the
field and what was expected; anything else is reported as an internal error.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .compare import compare
from .errors import RefundlibError
from .evaluator import evaluate
from .registry import get_policy, vendor_ids
from .serialize import policy_to_dict


def _respond(work: Callable[[], dict[str, object]]) -> str:
    try:
        body = {"ok": True, **work()}
    except RefundlibError as error:
        body = {"ok": False, "error": error.to_dict()}
    except Exception as error:  # noqa: BLE001 - reported to the page, never swallowed silently
        body = {"ok": False, "error": {"error": "InternalError", "message": f"{type(error).__name__}: {error}"}}
    return json.dumps(body, ensure_ascii=False)


def _load(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RefundlibError(f"scenario: expected valid JSON ({error.msg})") from None


def evaluate_json(vendor_id: str, scenario_json: str) -> str:
    return _respond(lambda: {"decision": evaluate(vendor_id, _load(scenario_json)).to_dict()})  # type: ignore[arg-type]


def compare_json(scenario_json: str) -> str:
    return _respond(lambda: {"results": [r.to_dict() for r in compare(_load(scenario_json))]})  # type: ignore[arg-type]


def policy_json(vendor_id: str) -> str:
    return _respond(lambda: {"policy": policy_to_dict(get_policy(vendor_id))})


def vendors_json() -> str:
    return _respond(lambda: {"vendors": vendor_ids()})
