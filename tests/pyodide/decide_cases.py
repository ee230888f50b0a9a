"""Evaluate every case file's scenario and print the decisions as JSON.

Runs unchanged under CPython and under Pyodide (see tests/test_pyodide_parity.py):
usage ``decide_cases.py CASES_DIR``. Error cases print the library's error instead.
"""

import json
import sys
import tomllib
from pathlib import Path

import refundlib
from refundlib.compare import compare


def main() -> None:
    results = {"python": sys.version_info[:2], "cases": [], "compare": []}
    for path in sorted(Path(sys.argv[1]).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            try:
                outcome = refundlib.evaluate(data["vendor"], case["input"]).to_dict()
            except refundlib.RefundlibError as error:
                outcome = error.to_dict()
            results["cases"].append({"vendor": data["vendor"], "name": case["name"], "result": outcome})
            if "error" not in case:
                shared = {k: v for k, v in case["input"].items() if k != "product"}
                results["compare"].append([r.to_dict() for r in compare(shared)])
    sys.stdout.write(json.dumps(results, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
