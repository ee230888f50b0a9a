"""Adding a vendor as a contributor would: `refundlib new`, fill in the draft, and the suite runs it.

The checkout's library and vendor-agnostic tests are copied to a temporary folder; a synthetic
vendor is made there from tests/data/new-vendor-capture.txt with `refundlib new`, given a
product, two rules and a case file, and the copied tests must pass with no other file touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from refundlib.scaffold import split_clauses

ROOT = Path(__file__).resolve().parents[1]
CAPTURE = Path(__file__).parent / "data" / "new-vendor-capture.txt"
VENDOR = "synth-cloud"
# The tests that hold for any vendor (the others test chosen vendors' pages, charts and browsers).
VENDOR_AGNOSTIC = ["test_case_coverage.py", "test_cases.py", "test_policies.py", "test_policy_errors.py",
                   "test_lint.py", "test_cli.py"]


def files_under(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def copied_tree(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "refundlib", repo / "refundlib", ignore=ignore)
    shutil.copytree(ROOT / "tests", repo / "tests", ignore=shutil.ignore_patterns(
        "__pycache__", "browser", "site", "pyodide", "test_new_vendor.py", "test_bench_smoke.py"))
    (repo / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "policy-format.md", repo / "docs")
    shutil.copy(ROOT / "pyproject.toml", repo)
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared", target_is_directory=True)
    return repo


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def clause_id(starting: str) -> str:
    return next(c.id for c in split_clauses(CAPTURE.read_text(encoding="utf-8")) if c.text.startswith(starting))


def rule(rule_id: str, label: str, outcome: str, test: str, says: str, clause: str) -> str:
    return (f'[[rules]]\nid = "{rule_id}"\nlabel = "{label}"\noutcome = "{outcome}"\ncites = ["{clause}"]\n'
            f'  [[rules.requires]]\n  test = "{test}"\n  says = "{says}"\n  cites = ["{clause}"]\n\n')


def fill_in(repo: Path) -> None:
    """What the author writes after `refundlib new`: a product, the two rules the capture states, and cases."""
    window, after = clause_id("If you ask within 14 days"), clause_id("After 14 days")
    policy = repo / "refundlib" / "policies" / f"{VENDOR}.toml"
    entries = f'''
[[products]]
id = "plan"
name = "Synth Cloud plan"
billing = ["monthly"]
cites = ["{window}"]

''' + rule("full-14-days", "Full refund within 14 days of purchase", "full", "days_since_purchase <= 14",
                                   "requested within 14 days of purchase", window)
    entries += rule("after-14-days", "No refund after 14 days", "none", "days_since_purchase > 14",
                    "requested more than 14 days after purchase", after)
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("\n[capture]\n", entries + "[capture]\n", 1), encoding="utf-8")
    purchase = ('product = "plan", billing = "monthly", purchased_on = "2026-03-01", amount_paid = "20.00", '
                'currency = "USD"')
    cases = repo / "tests" / "cases" / f"{VENDOR}.toml"
    cases.write_text(cases.read_text(encoding="utf-8").replace("cases = []\n", f"""
[[cases]]
name = "day 14: the last day of the window"
input = {{ {purchase}, requested_on = "2026-03-15" }}
output = {{ outcome = "full", amount = "20.00", rule = "full-14-days" }}

[[cases]]
name = "day 15: too late"
input = {{ {purchase}, requested_on = "2026-03-16" }}
output = {{ outcome = "none", rule = "after-14-days" }}
""", 1), encoding="utf-8")


def test_a_new_vendor_needs_only_its_policy_and_case_files(copied_tree: Path) -> None:
    repo = copied_tree
    before = files_under(repo)
    made = run(repo, "-m", "refundlib", "new", VENDOR, str(CAPTURE), "--name", "Synth Cloud", "--root", str(repo))
    assert made.returncode == 0, made.stderr
    added = files_under(repo) - before
    assert added == {Path("refundlib/policies/synth-cloud.toml"), Path("tests/cases/synth-cloud.toml")}
    assert files_under(repo) >= before

    unfinished = run(repo, "-m", "refundlib", "lint", "--strict", VENDOR)
    assert unfinished.returncode == 2 and "products: expected at least one product" in unfinished.stderr

    again = run(repo, "-m", "refundlib", "new", VENDOR, str(CAPTURE), "--root", str(repo))
    assert again.returncode == 2 and "exists" in again.stderr

    fill_in(repo)
    checked = run(repo, "-m", "refundlib", "check", VENDOR, "--product", "plan", "--billing", "monthly",
                  "--purchased-on", "2026-03-01", "--requested-on", "2026-03-10", "--paid", "20.00",
                  "--currency", "USD")
    assert checked.returncode == 0, checked.stderr
    assert "20.00" in checked.stdout and "we’ll refund your payment in" in checked.stdout  # the clause, quoted

    suite = run(repo, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-o", "addopts=",
                *(f"tests/{name}" for name in VENDOR_AGNOSTIC))
    assert suite.returncode == 0, suite.stdout[-4000:] + suite.stderr[-2000:]
    assert VENDOR in suite.stdout  # its cases and checks ran, not only the others'


def test_an_uncovered_rule_fails_the_suite_naming_it(copied_tree: Path) -> None:
    repo = copied_tree
    assert run(repo, "-m", "refundlib", "new", VENDOR, str(CAPTURE), "--root", str(repo)).returncode == 0
    fill_in(repo)
    cases = repo / "tests" / "cases" / f"{VENDOR}.toml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text[:text.index('\n[[cases]]\nname = "day 15')] + "\n", encoding="utf-8")
    suite = run(repo, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests/test_case_coverage.py")
    assert suite.returncode == 1
    assert "tests/cases/synth-cloud.toml: no case is decided by after-14-days" in suite.stdout
    assert "tests/cases/synth-cloud.toml: no case on " in suite.stdout and "full-14-days: day 15" in suite.stdout
