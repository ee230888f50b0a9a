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


def call(request: dict[str, object]) -> dict[str, object]:
    """One request through the bridge's one entry point, as the browser's worker sends it (the worker adds the id)."""
    reply: dict[str, object] = json.loads(bridge.dispatch(json.dumps(request, ensure_ascii=False)))
    return {"id": request["id"], **reply}


def main() -> None:
    requests = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps([call(request) for request in requests], ensure_ascii=False))


if __name__ == "__main__":
    main()
