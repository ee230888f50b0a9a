"""The bad-input corpus (tests/bad_input/cases.json) refused alike by the Python API, the CLI and Pyodide.

Every case, for every vendor's base scenario and every call it applies to (see
tests/bad_input/README.md), must be refused naming the case's field:

- the Python API: ``evaluate``, ``compare`` and ``chart_series`` raise the library's own error
  (a ``RefundlibError`` whose ``.field`` is the field, whose ``to_dict()`` has the documented keys);
- the CLI as a subprocess (``check``, ``compare`` or ``chart``): exit status 2, nothing on stdout,
  exactly one line on stderr naming the field, no traceback. One subprocess per case (vendors and
  calls taken in turn), run a few at a time;
- Pyodide in Node, through ``refundlib.bridge``: every item in one run (Pyodide starts slowly),
  each reply ``ok`` false with ``error.field`` the field and a message naming no Python exception.
"""

from __future__ import annotations

import builtins
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bad_input_cases import CALLS, BadInput, bad_inputs, bridge_request, call_api, load_corpus
from refundlib.errors import ErrorKind, RefundlibError

ROOT = Path(__file__).resolve().parents[1]
ITEMS = bad_inputs()
ERROR_KEYS = {"error", "field", "kind", "expected", "given", "message"}
PYTHON_EXCEPTIONS = re.compile(r"\b(Traceback|{})\b".format("|".join(
    sorted({name for name, value in vars(builtins).items() if isinstance(value, type)
            and issubclass(value, BaseException)} | {"InvalidOperation", "JSONDecodeError", "DecimalException"}))))


def test_the_corpus_covers_what_the_issue_lists() -> None:
    cases = load_corpus()
    fields = {c["field"] for c in cases}
    assert {"amount_paid", "list_price", "purchased_on", "requested_on", "currency", "product", "billing",
            "first_payment", "facts", "facts.@fact", "zzz", "products", "products.@vendor", ""} <= fields
    assert len({item.vendor for item in ITEMS}) >= 2 and {item.call for item in ITEMS} == set(CALLS)


@pytest.mark.parametrize("item", ITEMS, ids=[item.id for item in ITEMS])
def test_the_python_api_raises_the_library_error_naming_the_field(item: BadInput) -> None:
    with pytest.raises(RefundlibError) as caught:
        call_api(item)
    error = caught.value
    assert error.field == item.field, str(error)
    shape = error.to_dict()
    assert set(shape) >= ERROR_KEYS and shape["kind"] in set(ErrorKind), shape
    assert "\n" not in shape["message"] and shape["message"].isprintable(), shape["message"]
    assert shape["message"].startswith(f"{item.field or 'scenario'}: "), shape["message"]


def _cli_command(item: BadInput) -> list[str]:
    if item.call == "evaluate":
        return ["check", item.vendor, "--scenario", "-"]
    if item.call == "compare":
        return ["compare", "--scenario", "-"]
    return ["chart", item.vendor, "--scenario", "-"]


def _one_per_case() -> list[BadInput]:
    """One item per case, vendors and calls taken in turn (so every vendor and call is run)."""
    by_case: dict[str, list[BadInput]] = {}
    for item in ITEMS:
        by_case.setdefault(item.case, []).append(item)
    return [options[index % len(options)] for index, options in enumerate(by_case.values())]


CLI_ITEMS = _one_per_case()


@pytest.fixture(scope="module")
def cli_results() -> dict[str, subprocess.CompletedProcess[str]]:
    def run(item: BadInput) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "refundlib", *_cli_command(item)],
                              input=json.dumps(item.scenario, ensure_ascii=False), capture_output=True, text=True,
                              cwd=ROOT, timeout=120, check=False)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip((item.id for item in CLI_ITEMS), pool.map(run, CLI_ITEMS), strict=True))


@pytest.mark.parametrize("item", CLI_ITEMS, ids=[item.id for item in CLI_ITEMS])
def test_the_cli_exits_2_with_one_line_naming_the_field(
        item: BadInput, cli_results: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = cli_results[item.id]
    assert result.returncode == 2 and result.stdout == "", (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"refundlib: {item.field or 'scenario'}: "), result.stderr


@pytest.fixture(scope="module")
def pyodide_replies(shipped: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    wheel, stdlib, lazy = shipped
    node = shutil.which("node")
    assert node, "node is required (Node 20+)"
    folder = tmp_path_factory.mktemp("bad_input")
    (folder / "requests.json").write_text(json.dumps([bridge_request(item, n) for n, item in enumerate(ITEMS)],
                                                     ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "run_python.mjs"), "--wheel", str(wheel), "--stdlib", str(stdlib),
         "--lazy", str(lazy), "--script", str(ROOT / "tests" / "pyodide" / "bridge_calls.py"),
         "--mount", f"{folder}:/requests",
         "--arg", "/requests/requests.json"], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    replies = json.loads(result.stdout)
    assert [reply["id"] for reply in replies] == list(range(len(ITEMS)))
    return replies


def test_pyodide_refuses_every_item_through_the_bridge_naming_the_field(
        pyodide_replies: list[dict[str, Any]]) -> None:
    problems = []
    for item, reply in zip(ITEMS, pyodide_replies, strict=True):
        error = reply.get("error") or {}
        if reply["ok"] or error.get("field") != item.field:
            problems.append(f"{item.id}: {reply}")
        elif not ERROR_KEYS.issubset(error) or PYTHON_EXCEPTIONS.search(error["message"]):
            problems.append(f"{item.id}: {error}")
    assert not problems, f"{len(problems)} of {len(ITEMS)}:\n" + "\n".join(problems[:20])


def test_pyodide_and_the_python_api_refuse_with_the_same_error(pyodide_replies: list[dict[str, Any]]) -> None:
    for item, reply in zip(ITEMS, pyodide_replies, strict=True):
        with pytest.raises(RefundlibError) as caught:
            call_api(item)
        assert reply.get("error") == caught.value.to_dict(), item.id


def test_no_python_exception_name_in_a_message_of_the_api() -> None:
    names = set()
    for item in ITEMS:
        try:
            call_api(item)
        except RefundlibError as error:
            names.update(PYTHON_EXCEPTIONS.findall(str(error)))
    assert not names
