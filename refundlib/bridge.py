"""JSON in, JSON out: the one entry point the browser's worker (Pyodide) calls.

:func:`dispatch` takes a request ``{"call": <name>, "args": {...}}`` and answers
``{"ok": true, "value": ...}`` or ``{"ok": false, "error": {...}}``. An error is the library's
own value (``RefundlibError.to_dict()``: the field as the user knows it, what was expected, what
was given, one message); anything else is a generic ``internal`` error, so that no Python
exception text ever reaches a page (its traceback goes to stderr, the browser's console).

The calls (docs/site-contract.md, "Worker protocol"):

- ``evaluate {vendor, scenario}``: the Decision, with its explanation (``Decision.to_dict()``);
- ``compare {scenario}``: one result per vendor (``ComparisonResult.to_dict()``);
- ``chart {vendors, scenario}``: ``{series, svg, purchase}``, refund over time at the site's size,
  and the purchase in words for the caption;
- ``policy_source {vendor}``: the shipped TOML text of a policy (``""``: the blank template);
- ``playground {toml, scenario}``: a draft checked, linted, compared and charted (refundlib.playground).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Mapping

from .errors import RefundlibError, ScenarioError
from .evaluator import evaluate

# The calculator's first verdict waits on this module's imports (under Pyodide every module costs
# compiling it): what only some calls need is imported by them.

INTERNAL_ERROR = {
    "error": "internal", "field": "", "kind": "internal", "expected": "", "given": "",
    "message": "Something went wrong inside the calculator (a bug, not your answers). Reload the page to try again.",
}


def _text(args: Mapping[str, object], name: str, default: str | None = None) -> str:
    value = args.get(name, default)
    if not isinstance(value, str):
        raise ScenarioError(name, "a string", json.dumps(value))
    return value


def _evaluate(args: Mapping[str, object]) -> object:
    scenario = args.get("scenario")
    return evaluate(_text(args, "vendor"), scenario, explain=True).to_dict()  # type: ignore[arg-type]  # checked there


def _compare(args: Mapping[str, object]) -> object:
    from .compare import compare

    return [r.to_dict() for r in compare(args.get("scenario"))]  # type: ignore[arg-type]  # compare checks the type itself


def _chart(args: Mapping[str, object]) -> object:
    from .chart import chart_series
    from .chart_svg import chart_title, render_svg
    from .words import purchase_words

    vendors = args.get("vendors")
    if not isinstance(vendors, list) or not all(isinstance(v, str) for v in vendors):
        raise ScenarioError("vendors", 'a list of vendor ids, such as ["kino", "recatch"]', json.dumps(vendors))
    scenario = args.get("scenario")
    series = chart_series(vendors, scenario)  # type: ignore[arg-type]  # checked by chart_series
    first = series[0].to_dict() if series else None
    purchase = None
    if first is not None and isinstance(scenario, Mapping):
        purchase = purchase_words({**first, "first_payment": scenario.get("first_payment"),
                                   "list_price": scenario.get("list_price")})
    return {"series": [s.to_dict() for s in series], "purchase": purchase,
            "svg": render_svg(series, title=chart_title(series)) if series else ""}


def _policy_source(args: Mapping[str, object]) -> object:
    from .playground import policy_source

    return policy_source(_text(args, "vendor", ""))


def _playground(args: Mapping[str, object]) -> object:
    from .playground import playground

    return playground(_text(args, "toml", ""), args.get("scenario"))


CALLS: dict[str, Callable[[Mapping[str, object]], object]] = {
    "evaluate": _evaluate,
    "compare": _compare,
    "chart": _chart,
    "policy_source": _policy_source,
    "playground": _playground,
}


def _request(request_json: str) -> tuple[Callable[[Mapping[str, object]], object], Mapping[str, object]]:
    try:
        request = json.loads(request_json)
    except (TypeError, json.JSONDecodeError):
        raise ScenarioError("request", "a JSON object {call, args}", str(request_json)[:80]) from None
    if not isinstance(request, Mapping):
        raise ScenarioError("request", "a JSON object {call, args}", json.dumps(request)[:80])
    call = CALLS.get(request.get("call"))  # type: ignore[arg-type]  # any JSON value: not found unless a name
    if call is None:
        raise ScenarioError("call", f"one of {', '.join(CALLS)}", json.dumps(request.get("call")))
    args = request.get("args", {})
    if not isinstance(args, Mapping):
        raise ScenarioError("args", "a JSON object", json.dumps(args)[:80])
    return call, args


def dispatch(request_json: str) -> str:
    """Answer one request (see the module's docstring); never raises."""
    try:
        call, args = _request(request_json)
        body: dict[str, object] = {"ok": True, "value": call(args)}
    except RefundlibError as error:
        body = {"ok": False, "error": error.to_dict()}
    except Exception:  # noqa: BLE001 - a bug: the page gets the generic error, the console the traceback
        traceback.print_exc(file=sys.stderr)
        body = {"ok": False, "error": dict(INTERNAL_ERROR)}
    return json.dumps(body, ensure_ascii=False)
