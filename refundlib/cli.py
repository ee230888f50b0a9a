"""The command line: ``refundlib vendors | show | check | compare | lint | chart | new``.

Output is built whole before anything is printed, so a failure never leaves half an
answer; bad input prints one line naming the field and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .chart import chart_series
from .chart_svg import chart_title, render_svg
from .compare import compare
from .errors import RefundlibError, ScenarioError
from .evaluator import evaluate
from .lint import lint
from .lint_report import lint_to_dict, render_lint
from .registry import all_policies, get_policy, load_policy_file
from .render import render_check, render_comparison, render_policy, render_vendors
from .serialize import policy_to_dict

USAGE_ERROR = 2
PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout holding refundlib/ and tests/
EXAMPLE = """example:
  refundlib check recatch --product subscription --billing annual --purchased-on 2026-01-01 \\
      --requested-on 2026-07-01 --paid 800.00 --list-price 1000.00 --currency USD --fact one_time_copy_used=yes
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise SystemExit(_fail(f"{message} (see: {self.prog} --help)"))


def _fail(message: str) -> int:
    sys.stderr.write(f"refundlib: {message}\n")
    return USAGE_ERROR


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="refundlib", description="Refund policies as cited data, and what you would get back.",
                     epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("vendors", help="list the vendors")
    show = commands.add_parser("show", help="a vendor's products, questions, rules, flags and clauses")
    show.add_argument("vendor")
    show.add_argument("--format", choices=["text", "json"], default="text")

    check = commands.add_parser("check", help="what one purchase gets back from one vendor", epilog=EXAMPLE,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("vendor")
    check.add_argument("--scenario", metavar="FILE|-", help="scenario JSON (flags below override its fields)")
    check.add_argument("--product")
    check.add_argument("--purchased-on", metavar="YYYY-MM-DD")
    check.add_argument("--requested-on", metavar="YYYY-MM-DD")
    check.add_argument("--paid", dest="amount_paid", metavar="AMOUNT", help="amount paid, e.g. 49.00")
    check.add_argument("--list-price", metavar="AMOUNT", help="price before any discount (default: --paid)")
    check.add_argument("--currency", metavar="CODE", help="ISO 4217 code, e.g. USD")
    check.add_argument("--billing", choices=["monthly", "annual", "one_time"])
    check.add_argument("--first-payment", choices=["yes", "no", "unknown"])
    check.add_argument("--fact", action="append", default=[], metavar="ID=VALUE",
                       help="answer a question: yes, no, unknown, or a number (repeatable)")
    check.add_argument("--format", choices=["text", "json"], default="text")

    comparison = commands.add_parser("compare", help="one situation, every vendor")
    comparison.add_argument("--scenario", metavar="FILE|-", required=True)
    comparison.add_argument("--format", choices=["text", "json"], default="text")

    linting = commands.add_parser("lint", help="where a policy is undefined, inconsistent, discretionary or silent")
    linting.add_argument("vendor", nargs="?", help="a vendor id (default: every vendor)")
    linting.add_argument("--file", metavar="DRAFT.toml",
                         help="lint a draft policy file, compared with the shipped ones")
    linting.add_argument("--format", choices=["text", "json"], default="text")
    linting.add_argument("--strict", action="store_true", help="exit with status 1 when there are findings")

    chart = commands.add_parser("chart", help="the refund for each day the refund could be requested")
    chart.add_argument("vendors", nargs="+", metavar="VENDOR")
    chart.add_argument("--scenario", metavar="FILE|-", required=True, help="scenario JSON (requested_on is ignored)")
    chart.add_argument("--format", choices=["svg", "json"], default="svg")

    new = commands.add_parser("new", help="start a vendor: its policy file and case file, from a captured text")
    new.add_argument("vendor_id", metavar="VENDOR_ID", help="lower-case letters, digits and hyphens")
    new.add_argument("capture", metavar="CAPTURE.txt", help="the policy exactly as captured (UTF-8 text)")
    new.add_argument("--name", help="the vendor's display name (default: VENDOR_ID)")
    new.add_argument("--root", metavar="DIR", default=str(PROJECT_ROOT),
                     help="the project folder holding refundlib/policies and tests/cases (default: this checkout)")
    return parser


def _read_scenario(source: str | None) -> object:
    if source is None:
        return {}
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError("--scenario", "a readable JSON file", f"{source}: {error.__class__.__name__}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}: {error.msg}"
        raise ScenarioError("--scenario", f"valid JSON ({where})") from None
    return data  # what it holds is checked by refundlib.purchase, naming the scenario's field


def _answer(text: str, field: str) -> object:
    words = {"yes": True, "true": True, "no": False, "false": False, "unknown": "unknown"}
    return words.get(text.strip().lower(), text.strip())


def _scenario_from_args(args: argparse.Namespace) -> object:
    """The --scenario file's JSON with the flags' fields set (flags given with a scenario that is
    not an object leave it to refundlib.purchase to refuse)."""
    scenario = _read_scenario(args.scenario)
    flags: dict[str, object] = {name: getattr(args, name) for name in
                                ("product", "purchased_on", "requested_on", "amount_paid", "list_price", "currency",
                                 "billing") if getattr(args, name) is not None}
    if args.first_payment is not None:
        flags["first_payment"] = _answer(args.first_payment, "--first-payment")
    answers: dict[str, object] = {}
    for item in args.fact:
        fact_id, sep, value = item.partition("=")
        if not sep or not fact_id:
            raise ScenarioError("--fact", "ID=VALUE, e.g. one_time_copy_used=yes", item)
        answers[fact_id.strip()] = _answer(value, f"facts.{fact_id}")
    if not isinstance(scenario, dict):  # (without --scenario, it is {})
        return scenario
    scenario = {**scenario, **flags}
    if answers:
        facts = scenario.get("facts", {})
        scenario["facts"] = {**facts, **answers} if isinstance(facts, dict) else facts
    return scenario


def _dump(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _new(args: argparse.Namespace) -> str:
    from .scaffold import write_draft

    policy, cases = write_draft(Path(args.root), args.vendor_id, Path(args.capture), args.name)
    return (f"wrote {policy}\nwrote {cases}\nnext: add a [[products]] entry and the rules (see the templates "
            f"in the file and docs/policy-format.md), then run `refundlib lint --strict {args.vendor_id}` "
            "and `make test`\n")


def run(args: argparse.Namespace) -> str:
    if args.command == "new":
        return _new(args)
    if args.command == "vendors":
        return render_vendors(all_policies())
    if args.command == "show":
        policy = get_policy(args.vendor)
        return _dump(policy_to_dict(policy)) if args.format == "json" else render_policy(policy)
    if args.command == "check":
        policy = get_policy(args.vendor)
        # The scenario is JSON as read, typed object: evaluate(), like chart_series() and compare() below,
        # checks what it is given (refundlib.purchase), and refuses it naming the field.
        scenario = _scenario_from_args(args)
        decision = evaluate(policy.id, scenario, explain=True)  # type: ignore[arg-type]  # checked there, see above
        return _dump(decision.to_dict()) if args.format == "json" else render_check(policy, decision)
    if args.command == "chart":
        series = chart_series(args.vendors, _read_scenario(args.scenario))  # type: ignore[arg-type]  # checked there
        return _dump({"series": [s.to_dict() for s in series]}) if args.format == "json" else (
            render_svg(series, title=chart_title(series)))
    scenario = _read_scenario(args.scenario)
    results = compare(scenario)  # type: ignore[arg-type]  # JSON as read: checked there (see "check" above)
    if args.format == "json":
        return _dump({"results": [r.to_dict() for r in results]})
    return render_comparison(results)


def _lint(args: argparse.Namespace) -> tuple[str, int]:
    """The lint report, and the exit status: 1 with --strict when there are findings."""
    if args.file and args.vendor:
        raise ScenarioError("--file", "either a vendor or --file DRAFT.toml, not both")
    policies = ([load_policy_file(args.file)] if args.file else [get_policy(args.vendor)] if args.vendor
                else all_policies())
    results = [(policy, lint(policy)) for policy in policies]
    output = _dump(lint_to_dict(results)) if args.format == "json" else render_lint(results)
    return output, int(args.strict and any(found for _, found in results))


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        output, status = _lint(args) if args.command == "lint" else (run(args), 0)
    except RefundlibError as error:
        return _fail(str(error))
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return status


if __name__ == "__main__":
    sys.exit(main())
