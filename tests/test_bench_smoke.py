"""The benchmark suite still runs: `python -m bench --smoke` (tiny sizes, one or two repeats).

No timing is asserted here (CI machines are noisy and shared): only that every section ran
and wrote the fields the report and the Performance page are made from. The real numbers come
from `make bench` (see docs/performance.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("evaluator", "series", "browser", "weight", "build")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-6000:]
    assert "| # | What | Ours | Floor |" in proc.stdout  # the table is printed, not only written
    return (json.loads((out / "latest.json").read_text(encoding="utf-8")),
            (out / "latest.md").read_text(encoding="utf-8"))


def test_every_section_is_in_the_json(smoke: tuple[dict, str]) -> None:
    result, _ = smoke
    assert result["smoke"] is True
    for section in SECTIONS:
        assert isinstance(result.get(section), dict), f"section {section} missing"
    machine = result["machine"]
    for key in ("date", "cores", "memory_gib", "cpu", "python", "node", "pyodide", "chromium"):
        assert machine.get(key), f"machine.{key} missing"
    assert set(result["budgets"]) == {"evaluator", "series", "browser", "weight", "build"}


def test_sections_have_medians_spreads_and_ratios(smoke: tuple[dict, str]) -> None:
    result, _ = smoke
    evaluator = result["evaluator"]
    # every reCatch case: the verdicts agree, and each bad scenario is refused on the same field
    assert evaluator["floor_agrees_on_cases"] > evaluator["cases_recatch"] > 0
    for stat in (evaluator["ratio"], evaluator["us_per_eval_recatch"], evaluator["evals_per_second_all"]):
        assert {"median", "min", "max", "q1", "q3", "n"} <= set(stat)
    series = result["series"]
    for workload in ("answered", "unknown"):
        part = series[workload]
        assert set(part["pyodide"]["per_vendor_ms"]) == set(part["scenarios"]) == set(part["cpython"]["per_vendor_ms"])
        assert part["pyodide"]["python"].startswith("3.") and "median" in part["pyodide"]["total_ms"]
    for cache in ("cold", "warm"):
        part = result["browser"][cache]
        for key in ("ready_ratio", "verdict_ratio", "policy_text_ms", "floor_ready_ms"):
            assert "median" in part[key], f"browser.{cache}.{key}"
    weight = result["weight"]
    for stage in ("page_load", "calculator_ready", "first_verdict", "floor"):
        assert weight[stage]["raw"] > 0 and weight[stage]["gzip"] > 0
    assert any(f["path"].endswith("pyodide.asm.wasm") for f in weight["largest"])
    # Bytes as a static host serves the site: its precompressed files, against the bare Pyodide page.
    assert weight["bytes_ratio"] > 0 and {"met", "stretch_met"} <= set(weight)
    assert all(f["precompressed"] for f in weight["largest"] if "/immutable/" in f["path"])
    build = result["build"]
    assert set(build["by_n"]) == {str(n) for n in build["sizes"]}
    assert {"slope_ms_per_vendor", "r2"} <= set(build["ours_fit"])


def test_markdown_table_names_every_measurement(smoke: tuple[dict, str]) -> None:
    _, table = smoke
    for words in ("Evaluator, CPython", "Pyodide (Node)", "Chromium, cold", "Chromium, warm", "Page weight",
                  "bytes until the first verdict", "standard library archive (the budget's floor)",
                  "mkdocs build", "Machine:"):
        assert words in table


def test_performance_page_has_the_generated_block_and_is_in_the_nav() -> None:
    from bench import report

    page = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert report.BEGIN in page and report.END in page
    assert "performance.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
