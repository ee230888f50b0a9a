"""JSON in, JSON out: the entry points the browser (Pyodide) and embedders call.

Every function returns a JSON string ``{"ok": true, ...}`` or ``{"ok": false, "error": {...}}``
so that JavaScript never has to interpret a Python exception: input errors carry the
field and what was expected; anything else is reported as an internal error.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .errors import RefundlibError
from .evaluator import evaluate
from .registry import get_policy, vendor_ids

# The calculator's first verdict waits on this module's imports (under Pyodide every module costs
# compiling it): what only some calls need is imported by them.


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
    return _respond(lambda: {"decision": evaluate(vendor_id, _load(scenario_json), explain=True).to_dict()})  # type: ignore[arg-type]


def compare_json(scenario_json: str) -> str:
    from .compare import compare

    return _respond(lambda: {"results": [r.to_dict() for r in compare(_load(scenario_json))]})  # type: ignore[arg-type]


def policy_json(vendor_id: str) -> str:
    from .serialize import policy_to_dict

    return _respond(lambda: {"policy": policy_to_dict(get_policy(vendor_id))})


def vendors_json() -> str:
    return _respond(lambda: {"vendors": vendor_ids()})


def lint_json(vendor_or_toml: str) -> str:
    """The lint findings for a shipped vendor (given its id) or for a draft policy (given its TOML text)."""
    from .lint import lint
    from .lint_report import lint_to_dict
    from .loader import load_policy_text

    def work() -> dict[str, object]:
        text = vendor_or_toml.strip()
        is_id = bool(text) and "\n" not in text and "=" not in text
        policy = get_policy(text) if is_id else load_policy_text(vendor_or_toml, "draft")
        return lint_to_dict([(policy, lint(policy))])

    return _respond(work)


def chart_json(vendors_json: str, scenario_json: str, width: int = 760, height: int = 420) -> str:
    """The refund-by-day series for a JSON list of vendor ids and one scenario, and their SVG drawing."""
    from .chart import chart_series
    from .chart_svg import chart_title, render_svg
    from .errors import ScenarioError

    def work() -> dict[str, object]:
        try:
            vendors = json.loads(vendors_json)
        except json.JSONDecodeError:
            vendors = None
        if not isinstance(vendors, list) or not all(isinstance(v, str) for v in vendors):
            raise ScenarioError("vendors", 'a JSON list of vendor ids, such as ["kino", "recatch"]', vendors_json)
        series = chart_series(vendors, _load(scenario_json))  # type: ignore[arg-type]
        return {"series": [s.to_dict() for s in series],
                "svg": render_svg(series, width=width, height=height, title=chart_title(series))}

    return _respond(work)


def policy_source_json(vendor_id: str) -> str:
    """The shipped TOML text of a published policy (``{"source": ...}``); ``""`` gives the blank template."""
    from .playground import policy_source

    return _respond(lambda: {"source": policy_source(vendor_id)})


def playground_json(toml_text: str, scenario_json: str = "null") -> str:
    """A draft policy checked, linted, compared and charted beside the published ones (see refundlib.playground).

    A draft that does not load is not an error of the call: ``{"ok": true, "valid": false, "error": {...}}``.
    A scenario that is not JSON is reported in the chart (``chart.error``), like any other bad purchase.
    """
    from .playground import playground

    def work() -> dict[str, object]:
        try:
            scenario: object = json.loads(scenario_json) if scenario_json else None
        except json.JSONDecodeError:
            scenario = scenario_json  # not an object: the chart says so
        return playground(toml_text, scenario)

    return _respond(work)
