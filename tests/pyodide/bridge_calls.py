"""Put a list of bridge requests to refundlib.bridge and print the replies, as JSON.

Runs unchanged under CPython and under Pyodide (tests/test_bad_input.py runs it in Node):
usage ``bridge_calls.py REQUESTS.json``, a list of ``{"id", "call", "args"}``; prints the list
of replies ``{"id", "ok", "value" | "error"}``. :func:`call` is the one place that knows how a
request reaches the bridge.
"""

import json
import sys
from pathlib import Path

from refundlib import bridge

# The bridge's JSON entry points, by call name (each takes JSON strings, returns a JSON string).
ENTRY_POINTS = {"evaluate": bridge.evaluate_json, "compare": bridge.compare_json, "chart": bridge.chart_json}


def call(request: dict) -> dict:
    """One request through the bridge, as a dispatch reply ``{"id", "ok", "value" | "error"}``."""
    body = json.loads(ENTRY_POINTS[request["call"]](*request["args"]))
    ok = body.pop("ok")
    if ok:
        return {"id": request["id"], "ok": True, "value": body}
    return {"id": request["id"], "ok": False, "error": body["error"]}


def main() -> None:
    requests = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps([call(request) for request in requests], ensure_ascii=False))


if __name__ == "__main__":
    main()
