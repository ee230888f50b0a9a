"""The ambiguity and gap report: expected findings (and deliberate absences) for the shipped policies, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from refundlib.errors import PolicyFileError
from refundlib.lint import Finding, FindingKind, lint
from refundlib.lint_report import lint_to_dict, render_lint
from refundlib.loader import load_policy_text
from refundlib.model import Topic
from refundlib.registry import all_policies, get_policy, vendor_ids

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = tomllib.loads((ROOT / "tests" / "lint_expectations.toml").read_text(encoding="utf-8"))


def _matches(finding: Finding, spec: dict[str, object]) -> bool:
    clauses = {q.clause for q in finding.clauses}
    return (finding.vendor == spec["vendor"] and finding.kind == spec["kind"]
            and spec.get("subject", finding.subject) == finding.subject
            and set(spec.get("refs", [])) <= set(finding.refs)
            and set(spec.get("clauses", [])) <= clauses)


def _findings(vendor: str) -> tuple[Finding, ...]:
    """The vendor's findings, silence judged against the vendors the expectations were written with."""
    others = [get_policy(v) for v in EXPECTATIONS["compared_with"] if v != vendor]
    return lint(get_policy(vendor), others=others)


def _spec_id(spec: dict[str, object]) -> str:
    return f"{spec['vendor']}:{spec['kind']}:{spec.get('subject', '*')}"


@pytest.mark.parametrize("spec", EXPECTATIONS["expected"], ids=_spec_id)
def test_expected_finding(spec: dict[str, object]) -> None:
    FindingKind(spec["kind"])
    found = _findings(str(spec["vendor"]))
    assert any(_matches(f, spec) for f in found), (
        f"expected {_spec_id(spec)} ({spec['why']}); got:\n"
        + "\n".join(f"  {f.kind} {f.subject} refs={list(f.refs)} clauses={[q.clause for q in f.clauses]}"
                    for f in found))


@pytest.mark.parametrize("spec", EXPECTATIONS["absent"], ids=_spec_id)
def test_deliberately_absent_finding(spec: dict[str, object]) -> None:
    FindingKind(spec["kind"])
    wrong = [f for f in _findings(str(spec["vendor"])) if _matches(f, spec)]
    assert not wrong, f"{_spec_id(spec)} should not be reported ({spec['why']}): {[f.message for f in wrong]}"


def test_expectations_name_shipped_vendors_and_cover_every_kind() -> None:
    specs = EXPECTATIONS["expected"] + EXPECTATIONS["absent"]
    assert {s["vendor"] for s in specs} <= set(vendor_ids())  # optional per vendor
    assert set(EXPECTATIONS["compared_with"]) <= set(vendor_ids())
    assert {s["kind"] for s in EXPECTATIONS["expected"]} == set(FindingKind)
    assert all(s.get("why") for s in specs)


def test_every_finding_quotes_real_clauses_and_names_real_ids() -> None:
    for policy in all_policies():
        ids = {item.id for group in (policy.products, policy.facts, policy.exclusions, policy.rules, policy.fees,
                                     policy.requests, policy.timings, policy.notes) for item in group}
        ids |= {q.id for r in policy.rules for q in r.requires if q.id}
        for finding in lint(policy):
            assert finding.vendor == policy.id and finding.message
            for quote in finding.clauses:
                assert policy.clause(quote.clause).text == quote.text
            assert set(finding.refs) <= ids, finding


def test_no_vendor_is_named_in_the_linter() -> None:
    source = (ROOT / "refundlib" / "lint.py").read_text(encoding="utf-8")
    for vendor in vendor_ids():
        assert vendor not in source
    for name in (p.name for p in all_policies()):
        assert not re.search(rf"\b{re.escape(name)}\b", source)


def test_silence_is_judged_against_the_others_given() -> None:
    softdukan = get_policy("softdukan")
    assert any(f.kind == FindingKind.SILENT_TOPIC for f in _findings("softdukan"))
    assert not any(f.kind == FindingKind.SILENT_TOPIC for f in lint(softdukan, others=[]))
    against_recatch = lint(softdukan, others=[get_policy("recatch")])
    assert {f.subject for f in against_recatch if f.kind == FindingKind.SILENT_TOPIC} == {
        "discount_penalty", "fees", "destination"}


def _draft_without_topic(vendor: str, topic: Topic) -> str:
    text = (ROOT / "refundlib" / "policies" / f"{vendor}.toml").read_text(encoding="utf-8")
    block = re.compile(r'\[\[topics\]\]\ntopic = "' + topic + r'"\n(?:(?!\[\[|\[capture\]).*\n)*')
    trimmed, count = block.subn("", text)
    assert count == 1
    return trimmed


def test_a_draft_silent_on_a_topic_every_other_policy_covers() -> None:
    draft = load_policy_text(_draft_without_topic("kino", Topic.HOW_TO_REQUEST), "draft.toml")
    others = [get_policy(v) for v in EXPECTATIONS["compared_with"] if v != "kino"]
    silent = [f for f in lint(draft, others=others) if f.kind == FindingKind.SILENT_TOPIC]
    assert [f.subject for f in silent] == ["how_to_request"]
    assert "every other policy covers" in silent[0].message


def test_report_text_and_json_agree() -> None:
    results = [(p, lint(p)) for p in all_policies()]
    text = render_lint(results)
    data = lint_to_dict(results)
    assert len(data["findings"]) == sum(len(found) for _, found in results)
    for finding in data["findings"]:
        assert set(finding) == {"kind", "vendor", "subject", "message", "clauses", "refs"}
        assert f"[{finding['kind']}] {finding['subject']}" in text
    assert "[non-refundable] “All SoftDukan services" in text


# -- the command line ---------------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refundlib", *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_cli_text_report_for_every_vendor() -> None:
    result = run("lint")
    assert result.returncode == 0, result.stderr
    for policy in all_policies():
        assert f"== {policy.name} ({policy.id}):" in result.stdout
    assert "[inconsistent-statement] response-time" in result.stdout
    assert "[contradicted-absolute] non-refundable" in result.stdout


def test_cli_json_for_one_vendor() -> None:
    result = run("lint", "kino", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [v["vendor"] for v in data["vendors"]] == ["kino"]
    assert data["findings"] == [f.to_dict() for f in lint(get_policy("kino"))]


def test_cli_strict_exits_1_when_there_are_findings() -> None:
    result = run("lint", "softdukan", "--strict")
    assert result.returncode == 1 and "== SoftDukan (softdukan)" in result.stdout


def test_cli_lints_a_draft_file_like_the_shipped_one(tmp_path: Path) -> None:
    draft = tmp_path / "draft.toml"
    draft.write_text((ROOT / "refundlib" / "policies" / "kino.toml").read_text(encoding="utf-8"), encoding="utf-8")
    from_file = run("lint", "--file", str(draft), "--format", "json")
    shipped = run("lint", "kino", "--format", "json")
    assert from_file.returncode == 0, from_file.stderr
    assert json.loads(from_file.stdout)["findings"] == json.loads(shipped.stdout)["findings"]


@pytest.mark.parametrize(("args", "message"), [
    (["lint", "nosuch"], "vendor: unknown vendor 'nosuch'"),
    (["lint", "--file", "/nonexistent/draft.toml"], "/nonexistent/draft.toml: (file): expected a readable UTF-8 file"),
    (["lint", "kino", "--file", "x.toml"], "--file: expected either a vendor or --file"),
    (["lint", "--format", "xml"], "invalid choice: 'xml'"),
], ids=["unknown-vendor", "missing-file", "vendor-and-file", "bad-format"])
def test_cli_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_cli_malformed_draft_exits_2_with_one_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.toml"
    draft.write_text('schema = 1\nid = "draft"\nname = [\n', encoding="utf-8")
    result = run("lint", "--file", str(draft), "--strict")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "expected valid TOML" in result.stderr


# -- a shipped vendor and its text, linted alike ---------------------------------------------------

def test_a_vendor_and_its_file_text_lint_alike() -> None:
    by_id = get_policy("recatch")
    text = (ROOT / "refundlib" / "policies" / "recatch.toml").read_text(encoding="utf-8")
    by_text = load_policy_text(text, "draft")
    assert lint_to_dict([(by_id, lint(by_id))])["findings"] == lint_to_dict([(by_text, lint(by_text))])["findings"]
    with pytest.raises(PolicyFileError):
        load_policy_text('schema = 1\nid = "x"\n', "draft")
