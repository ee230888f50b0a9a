"""Section 5: ``mkdocs build`` with N generated vendors, against N plain Markdown pages (the floor).

Ours: a temporary copy of the project (refundlib/, site_plugins/, docs/, mkdocs.yml, pyproject.toml,
README.md; node_modules linked) whose ``refundlib/policies`` holds N policy files: the real five,
then copies of them with a new id and name. ``PYTHONPATH`` points at the copy, so the plugin, the
registry and the wheel it builds all see the N policies; nothing in the project is changed.

Floor: the same copy and the same mkdocs config without the ``refund-policies`` plugin, building what
a writer would write by hand for the same site: N Markdown pages, one per generated vendor, each
holding what the generated vendor page shows (facts, terms, the charts' captions, answers and numbers
with the chart as an image file, the decision list, flags, gaps, the policy text with its clauses
anchored, citations as links titled with the clause), in the Markdown a writer reaches for (lists,
nested lists, block quotes, tables, inline code); the compare page's terms as a table with a column
per vendor; the home page's table of vendors; the same nav. Only what needs the plugin's markup or a
script is left out (inline SVG, data attributes, the calculator), so the vendor page's HTML is the
larger: the report gives both sizes.

Each build is a fresh ``python -m mkdocs build`` process, timed from start to exit.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .common import ROOT, ratio_summary, summary

BUDGET = 1.5
LINEAR_SLACK = 1.25


def nav_vendor_limit() -> int:
    """The plugin's nav_vendor_limit default: above it, both builds' navs show one page listing the vendors."""
    from site_plugins.config import RefundPoliciesConfig

    return RefundPoliciesConfig.nav_vendor_limit.default


# Everything in the working tree is copied (mkdocs.yml may name any of it: docs, overrides, ...)
# except environments, caches, outputs and what a build never reads.
NOT_COPIED = {".git", ".venv", ".tools", "node_modules", "site", "build", "dist", "tests", "bench", "scripts",
              ".hypothesis", ".pytest_cache", ".ci", "uv.lock"}


def _ignore(_directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or n.endswith(".pyc")]


def make_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for source in ROOT.iterdir():
        if source.name in NOT_COPIED:
            continue
        if source.is_dir():
            shutil.copytree(source, target / source.name, ignore=_ignore)
        else:
            shutil.copy2(source, target / source.name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def synthetic_policies(count: int) -> list[tuple[str, str]]:
    """(file name, TOML text) for ``count`` vendors: the real five first, then renamed copies of them."""
    real = sorted((ROOT / "refundlib" / "policies").glob("*.toml"))
    out = []
    for index in range(count):
        path = real[index % len(real)]
        text = path.read_text(encoding="utf-8")
        if index < len(real):
            out.append((path.name, text))
            continue
        vendor = f"{path.stem}-{index:04d}"
        text = re.sub(r'^id = "[^"]*"$', f'id = "{vendor}"', text, count=1, flags=re.MULTILINE)
        text = re.sub(r'^name = "([^"]*)"$', lambda m, n=index: f'name = "{m.group(1)} #{n}"', text, count=1,
                      flags=re.MULTILINE)
        out.append((f"{vendor}.toml", text))
    return out


# -- the floor: what a writer would put in Markdown for the same content --------------------------------

def _cites(policy, clause_ids, page: str = "") -> str:
    """Citation links as a writer would write them: ``[\\[3\\]](#clause-id "the sentence")``."""
    numbers = {c.id: i for i, c in enumerate(policy.clauses, 1)}
    return " ".join(f'[\\[{numbers[c]}\\]]({page}#clause-{c} "{policy.clause(c).text.replace(chr(34), "&quot;")}")'
                    for c in clause_ids)


def _quote(policy, clause_id: str, indent: str = "") -> list[str]:
    return [f"{indent}> “{policy.clause(clause_id).text}” {_cites(policy, [clause_id])}", ""]


def _renamed(chart, policy):
    """A copy's chart: its source's series (the same policy data) under the copy's id and name."""
    series = tuple(dataclasses.replace(s, vendor=policy.id, name=policy.name) for s in chart.series)
    return dataclasses.replace(chart, series=series)


def _chart_markdown(chart, policies: dict, *, image: str, first: bool) -> list[str]:
    """A chart as a writer would publish it: the image, the caption, the answers and the numbers as a table."""
    from datetime import timedelta

    from refundlib import words
    from site_plugins import charts

    series_names = [s.name for s in chart.series]
    lines = [f"![Chart: {charts.title(chart)}]({image})", "",
             charts._purchase_sentence(chart), "",
             charts._answers_sentence(chart) if first else "The questions are answered as for the chart above.", ""]
    if first:
        lines += ["For your own purchase and answers, [the calculator](#work-out-your-refund) redraws this chart.", ""]
    lines += ["**The answers charted**", ""]
    for series, scenario, vendor_name in zip(chart.series, chart.scenarios, series_names, strict=False):
        policy = policies[series.vendor]
        indent = ""
        if len(chart.series) > 1:
            lines.append(f"- {vendor_name}:")
            indent = "    "
        for fact in policy.facts:
            if fact.products and series.product not in fact.products:
                continue
            if fact.id in scenario["facts"]:
                said = charts._answer(scenario["facts"][fact.id])
            elif fact.default is not None:
                said = f"{charts._answer(fact.default)} (the policy file's default)"
            else:
                said = "not known"
            lines.append(f"{indent}- {fact.question} **{said}**")
        lines.append("")
    currency = chart.purchase["currency"]
    lines += ["**The chart's numbers**", "",
              "The days where a line changes, and the axis marks. A dash: after the paid term.", "",
              "| Request day | Date | " + " | ".join(f"{n} ({currency})" for n in series_names) + " |",
              "| --- | --- | " + " | ".join("---" for _ in series_names) + " |"]
    start = chart.series[0].purchased_on
    for day in charts.sample_days(chart.series):
        cells = []
        for series in chart.series:
            point = series.points[day] if day <= series.last_day else None
            value = None if point is None else charts.format_amount(point.value)
            cells.append("—" if point is None else words.POINT_KINDS[point.kind].format(amount=value)
                         if value is not None else "not known")
        lines.append(f"| {day} | {(start + timedelta(days=day)).isoformat()} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def plain_page(policy, findings, chart_list: list, images: list[str]) -> str:
    """A vendor page as ordinary Markdown a writer would write, with the same content as the generated page.

    Every section of the generated page is here, in the constructs a writer reaches for: lists
    (nested where the page nests them), block quotes for quoted clauses, a table for a chart's
    numbers, links with titles for the citations, inline code for the tests, the chart as an
    image file. What only a script or the plugin's markup gives (the calculator, inline SVG,
    data attributes) is left out, so the HTML is of similar size, not the same.
    """
    from refundlib import words
    from refundlib.model import Topic
    from site_plugins import vendor_page

    notes = {n.id: n for n in policy.notes}
    lines = [f"# {policy.name}", "",
             f"- **Sells:** {policy.sells}",
             f"- **Policy published at:** <{policy.source_url}>",
             f"- **{words.LAST_UPDATED}:** {policy.last_updated_as_published or words.NO_DATE}",
             "- **Products:**"]
    for product in policy.products:
        billing = " or ".join(words.BILLING.get(b, str(b)) for b in product.billing)
        charged = f"billed {billing}" if product.charged else "never charged: nothing to refund"
        lines.append(f"    - **{product.name}** ({charged}). {product.description} {_cites(policy, product.cites)}")
    lines += ["", "## At a glance", ""]
    for topic in Topic:
        summary = policy.topic(topic)
        said = f"{summary.summary} {_cites(policy, summary.cites)}" if summary else f"*{words.NOT_STATED}*"
        lines.append(f"- **{words.topic_label(topic)}:** {said}")
    lines += ["", "## Refund over time", ""]
    for index, (chart, image) in enumerate(zip(chart_list, images, strict=False)):
        lines += _chart_markdown(chart, {policy.id: policy}, image=image, first=index == 0)
    lines += ["## How the verdict is decided", "",
              "The policy is read as a decision list, checked in this order. A product that is never charged has "
              "nothing to refund; the first exclusion that holds means no refund; otherwise the first rule whose "
              "conditions all hold decides the outcome, the amount and where the money goes; if none holds, nothing "
              "is refunded.", ""]
    for exclusion in policy.exclusions:
        lines += [f"1. **No refund** when: {exclusion.label} {_cites(policy, exclusion.cites)}", ""]
        if exclusion.products:
            lines += [f"    Only for: {', '.join(policy.product(p).name for p in exclusion.products)}.", ""]
        lines += [f"    Test: `{exclusion.when.text}`", ""]
    for rule in policy.rules:
        lines += [f"1. **{rule.label}** {_cites(policy, rule.cites)}", ""]
        if rule.products:
            lines += [f"    Only for: {', '.join(policy.product(p).name for p in rule.products)}.", ""]
        if rule.requires:
            lines += ["    When all of these hold:", ""]
            lines += [f"    - {r.says} {_cites(policy, r.cites)} `{r.test.text}`" for r in rule.requires] + [""]
        else:
            lines += ["    Applies whenever it is reached (no further conditions).", ""]
        lines += [f"    {vendor_page._outcome(rule).replace('<strong>', '**').replace('</strong>', '**')}"
                  .replace("<code>", "`").replace("</code>", "`"), ""]
        if rule.request:
            request = policy.request(rule.request)
            address = f" ({request.address})" if request.address else ""
            lines += [f"    **To request it:** {words.CHANNELS.get(request.channel, str(request.channel))}{address}. "
                      f"{_cites(policy, request.cites)}", ""]
            lines += [f"    {n}. {step}" for n, step in enumerate(request.steps, 1)] + [""] if request.steps else []
            if request.include:
                lines += ["    Include: " + "; ".join(request.include) + ".", ""]
        for timing_id in rule.timings:
            timing = policy.timing(timing_id)
            lines += [f"    **{str(timing.kind).capitalize()}:** {timing.text} {_cites(policy, timing.cites)}", ""]
    lines += ["1. Otherwise: no refund. No clause of the policy grants one.", ""]
    if policy.fees:
        lines += ["**Fees taken from a refund**", ""]
        for fee in policy.fees:
            after = f" The rest is paid {words.DESTINATIONS[fee.destination_after]}." if fee.destination_after else ""
            lines.append(f"- {fee.label}: {(fee.rate * 100).normalize():f}% of a refund paid "
                         f"{words.DESTINATIONS[fee.applies_to]}, when `{fee.when.text}`.{after} "
                         f"{_cites(policy, fee.cites)}")
        lines.append("")
    lines += ["## Flags", ""]
    if policy.notes:
        lines += ["Where the policy is ambiguous, inconsistent or silent, and the readings we chose. The calculator "
                  "shows each of these next to any verdict it touches.", ""]
        for note in policy.notes:
            lines += [f"- *{words.note_kind_label(note.kind)}* {note.text}", f"    {{: #note-{note.id} }}", ""]
            for clause_id in note.cites:
                lines += _quote(policy, clause_id, "    ")
    else:
        lines += ["We found nothing ambiguous, inconsistent or unstated in this policy.", ""]
    lines += ["## Gaps and ambiguities", "", vendor_page.GAPS_INTRO.replace("<code>", "`").replace("</code>", "`"), ""]
    for finding in findings:
        lines += [f"1. *{words.finding_kind_label(finding.kind)}* {finding.message}", ""]
        for quoted in finding.clauses:
            lines += _quote(policy, quoted.clause, "    ")
        involved = [r for r in finding.refs if r not in notes]
        flagged = [notes[r] for r in finding.refs if r in notes]
        if involved:
            lines += ["    Policy data involved: " + ", ".join(f"`{r}`" for r in involved) + ".", ""]
        if flagged:
            lines += ["    Flagged above: " + "; ".join(
                f"[{words.note_kind_label(n.kind)}: {vendor_page._first_words(n.text)}](#note-{n.id})"
                for n in flagged), ""]
        else:
            lines += ["    No flag above says this.", ""]
    lines += ["## Work out your refund", "",
              "The calculator needs JavaScript. Everything else on this page works without it: the terms, the "
              "decision list and the policy text above and below say the same, with their sources.", "",
              "## The policy text", "",
              "The policy exactly as captured. Each sentence the site cites is marked; the citation links above "
              "lead here.", ""]
    capture = policy.capture
    if capture.omitted:
        lines += [f"**Left out of the capture:** {capture.omitted}", ""]
    pieces, position = [], capture.policy_start
    for clause in policy.clauses:  # each cited sentence anchored, as a writer would with an inline <span>
        pieces += [capture.text[position:clause.start],
                   f'<span class="clause" id="clause-{clause.id}">{capture.text[clause.start:clause.end]}</span>']
        position = clause.end
    pieces.append(capture.text[position:capture.policy_end])
    lines += ["".join(pieces).strip(), ""]
    return "\n".join(lines) + "\n"


def plain_compare(policies: list, chart, image: str) -> str:
    """The compare page as a writer would write it: the terms as a table (one column per vendor), the chart."""
    from refundlib import words
    from refundlib.model import Topic

    def link(policy) -> str:
        return f"vendors/{policy.id}.md"

    lines = ["# Compare the refund policies", "",
             "Every term of every policy, side by side. Each cell links to the vendor's own sentences; *not stated* "
             "means the policy is silent on it. Scroll the table sideways on a small screen.", "",
             "## The terms side by side", "",
             "| Term | " + " | ".join(f"[{p.name}]({link(p)})" for p in policies) + " |",
             "| --- | " + " | ".join("---" for _ in policies) + " |"]
    for topic in Topic:
        cells = []
        for policy in policies:
            summary = policy.topic(topic)
            cells.append(f"{summary.summary} {_cites(policy, summary.cites, link(policy))}" if summary
                         else f"*{words.NOT_STATED_SHORT}*")
        lines.append(f"| {words.topic_label(topic)} | " + " | ".join(cells) + " |")
    lines.append(f"| {words.LAST_UPDATED} | " + " | ".join(
        f"{p.last_updated_as_published or words.NO_DATE} [\\[policy text\\]]({link(p)}#policy-text)"
        for p in policies) + " |")
    lines += ["", "## Refund over time", "",
              "One purchase put to every vendor: what it would get back on each day the refund could be requested.", ""]
    lines += _chart_markdown(chart, {p.id: p for p in policies}, image=image, first=True)
    lines += ["## The same situation, every vendor", "",
              "Describe one purchase and see what each vendor's policy gives back, with the reasons.", "",
              "Putting one situation to every vendor needs JavaScript. Everything else works without it: the table "
              "above, and each vendor page's terms, decision list and policy text.", ""]
    return "\n".join(lines) + "\n"


def plain_summary(policies: list) -> str:
    """The home page's table of vendors (the plugin's ``vendor-summary``) as a Markdown table."""
    from refundlib import words
    from refundlib.model import Topic

    def cell(policy, topic) -> str:
        summary = policy.topic(topic)
        return (f"{summary.summary} {_cites(policy, summary.cites, f'vendors/{policy.id}.md')}" if summary
                else f"*{words.NOT_STATED_SHORT}*")

    lines = [f"| Vendor | Sells | Full refund | Where the money goes | {words.LAST_UPDATED} |",
             "| --- | --- | --- | --- | --- |"]
    lines += [f"| [{p.name}](vendors/{p.id}.md) | {p.sells} | {cell(p, Topic.FULL_REFUND)} | "
              f"{cell(p, Topic.DESTINATION)} | {p.last_updated_as_published or words.NO_DATE} "
              f"[\\[policy text\\]](vendors/{p.id}.md#policy-text) |" for p in policies]
    return "\n".join(lines)


def _write_floor(plain: Path, count: int) -> list[tuple[str, str]]:
    """The floor's Markdown: a page per vendor, the compare page, the home page's table. Returns the nav entries.

    Uses refundlib and site_plugins (from the ``ours`` copy, on ``sys.path``) for the data and the words
    only: the floor's build never runs the plugin. A chart's series and SVG are computed once per real
    policy and reused, renamed, for its copies (the same policy data under another id and name); the
    chart is written as an SVG file next to the page, as a writer would add an image.
    """
    from refundlib.chart_svg import render_svg
    from refundlib.lint import lint
    from refundlib.loader import load_policy_text
    from site_plugins import charts as charts_module
    from site_plugins import pages as site_pages
    from site_plugins.config import ANNUAL_PURCHASE, MONTHLY_PURCHASE

    vendors = plain / "docs" / "vendors"
    vendors.mkdir(exist_ok=True)
    policies = [load_policy_text(text, name) for name, text in synthetic_policies(count)]
    charts = charts_module.Charts([ANNUAL_PURCHASE, MONTHLY_PURCHASE])
    real: dict[str, tuple[list, list[str]]] = {}  # source vendor -> its charts, and each chart's SVG
    pages = []
    for index, policy in enumerate(policies):
        source = policies[index % 5] if count >= 5 else policy
        if source.id not in real:
            found = [charts.chart([source], i) for i in range(len(charts.purchases))]
            found = [c for c in found if c.series]
            real[source.id] = (found, [render_svg(c.series,
                                                  title=charts_module.title(c), id_prefix="chart") for c in found])
        chart_list, svgs = real[source.id]
        images = []
        for chart, svg in zip(chart_list, svgs, strict=False):
            image = f"{policy.id}-{chart.purchase['billing']}.svg"
            (vendors / image).write_text(svg, encoding="utf-8")
            images.append(image)
        # The copies' charts carry the source's id (the numbers are the same): answers are looked up by it.
        page = plain_page(policy, lint(policy, [p for p in policies if p.id != policy.id]),
                          [_renamed(c, policy) for c in chart_list], images)
        (vendors / f"{policy.id}.md").write_text(page, encoding="utf-8")
        pages.append((policy.name, f"vendors/{policy.id}.md"))
    annual = [(p, real[(policies[i % 5] if count >= 5 else p).id][0]) for i, p in enumerate(policies)]
    charted = [(p, next(c for c in found if c.index == 0)) for p, found in annual if any(c.index == 0 for c in found)]
    compare = dataclasses.replace(charts.chart([], 0), series=tuple(_renamed(c, p).series[0] for p, c in charted),
                                  scenarios=tuple(c.scenarios[0] for _, c in charted),
                                  not_charted=tuple(p for p, found in annual if not any(c.index == 0 for c in found)))
    (plain / "docs" / "compare.svg").write_text(
        render_svg(compare.series[:5],
                   title=charts_module.title(compare), id_prefix="chart"), encoding="utf-8")
    (plain / "docs" / "compare.md").write_text(plain_compare(policies, compare, "compare.svg"), encoding="utf-8")
    index_md = plain / "docs" / "index.md"
    index_md.write_text(index_md.read_text(encoding="utf-8").replace(
        "<!-- refund-policies:vendor-summary -->", plain_summary(policies)), encoding="utf-8")
    if count > nav_vendor_limit():  # as the plugin does: the nav shows one page listing the vendors
        (vendors / "index.md").write_text(site_pages.vendor_index_markdown(policies), encoding="utf-8")
    return pages


def _plain_config(project: Path, vendor_pages: list[tuple[str, str]]) -> Path:
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "refund-policies"]

    listed = "vendors/index.md" if len(vendor_pages) > nav_vendor_limit() else [{n: src} for n, src in vendor_pages]

    def expand(nav: object) -> object:
        if isinstance(nav, list):
            return [expand(item) for item in nav]
        if isinstance(nav, dict):
            return {k: (listed if v == "vendors/" else expand(v)) for k, v in nav.items()}
        return nav

    config["nav"] = expand(config["nav"])
    path = project / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def prepare(root: Path, count: int) -> tuple[Path, Path]:
    """Two projects for N = ``count``: ours (generated policies) and the plain floor. Returns their configs."""
    ours = make_project(root / "ours")
    policies_dir = ours / "refundlib" / "policies"
    for old in policies_dir.glob("*.toml"):
        old.unlink()
    for name, text in synthetic_policies(count):
        (policies_dir / name).write_text(text, encoding="utf-8")

    plain = make_project(root / "plain")
    sys.path.insert(0, str(ours))
    try:
        pages = _write_floor(plain, count)
    finally:
        sys.path.remove(str(ours))
    return ours / "mkdocs.yml", _plain_config(plain, pages)


def _build(config: Path, site_dir: Path, pycache: Path) -> float:
    shutil.rmtree(site_dir, ignore_errors=True)
    # Bytecode is cached (in a private folder, not in .venv) even where PYTHONDONTWRITEBYTECODE is set:
    # otherwise every build recompiles mkdocs, jinja2, markdown... and that constant swamps the plugin's cost.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(config.parent),
           "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
                           "--site-dir", str(site_dir)], cwd=config.parent, capture_output=True, text=True,
                          env=env, timeout=3600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed for {config}:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return elapsed


def _compile_for_browser(project: Path) -> None:
    """Untimed: the plugin's bytecode step for this copy's wheel, so its result is in the disk cache.

    The wheel holds the N policy files, so each size has its own wheel and its own compile (Node
    starting Pyodide and compiling, about 5 s, once per changed refundlib). The timed builds are the repeated
    builds a writer runs, which find it in the cache (site_plugins/bytecode.py).
    """
    code = ("from pathlib import Path; from site_plugins import assets, bytecode; root = Path.cwd(); "
            "bytecode.compile_for_pyodide(assets.build_wheel(root), root / 'node_modules')")
    subprocess.run([sys.executable, "-c", code], cwd=project, env={**os.environ, "PYTHONPATH": str(project)},
                   check=True, timeout=600)


def _article_bytes(site_dir: Path) -> int:
    sizes = []
    for page in (site_dir / "vendors").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        start, end = text.find("<article"), text.find("</article>")
        sizes.append(end - start if start >= 0 < end else len(text))
    return int(statistics.median(sizes)) if sizes else 0


def _fit(points: list[tuple[int, float]]) -> dict[str, float]:
    """Least-squares line t = a + b*N over every (N, seconds) measurement, with R^2."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in points)
    return {"intercept_s": round(intercept, 3), "slope_ms_per_vendor": round(slope * 1000, 3),
            "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0}


def run(sizes: tuple[int, ...] = (5, 100, 1000), repeats: int | dict[int, int] = 3,
        warm_up: bool = True) -> dict[str, object]:
    """``repeats``: builds of each kind per size (a dict gives it per size); ``warm_up``: one untimed build first."""
    results: dict[str, object] = {"sizes": list(sizes), "budget": BUDGET, "by_n": {},
                                  "repeats": {str(k): v for k, v in repeats.items()} if isinstance(repeats, dict)
                                  else repeats}
    ours_points, plain_points = [], []
    met = True
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        pycache = Path(tmp) / "pycache"
        for count in sizes:
            root = Path(tmp) / f"n{count}"
            ours_config, plain_config = prepare(root, count)
            _compile_for_browser(ours_config.parent)
            if warm_up and count == sizes[0]:  # untimed: fills Python's bytecode cache and the OS file cache
                _build(ours_config, root / "site-ours", pycache)
                _build(plain_config, root / "site-plain", pycache)
            ours_times, plain_times = [], []
            for index in range(repeats[count] if isinstance(repeats, dict) else repeats):
                pair = [("ours", ours_config), ("plain", plain_config)]
                for name, config in pair if index % 2 == 0 else reversed(pair):
                    seconds = _build(config, root / f"site-{name}", pycache)
                    (ours_times if name == "ours" else plain_times).append(seconds)
            ours_points += [(count, t) for t in ours_times]
            plain_points += [(count, t) for t in plain_times]
            ratio = ratio_summary(ours_times, plain_times)
            entry = {
                "ours_s": summary(ours_times, 3),
                "plain_s": summary(plain_times, 3),
                "ratio": ratio,
                "ours_ms_per_vendor": round(statistics.median(ours_times) / count * 1000, 2),
                "plain_ms_per_page": round(statistics.median(plain_times) / count * 1000, 2),
                "ours_vendor_page_bytes": _article_bytes(root / "site-ours"),
                "plain_page_bytes": _article_bytes(root / "site-plain"),
                "met": ratio["median"] <= BUDGET,
            }
            met = met and entry["met"]
            results["by_n"][str(count)] = entry
            shutil.rmtree(root, ignore_errors=True)
    results["ours_fit"] = _fit(ours_points)
    results["plain_fit"] = _fit(plain_points)
    ns = sorted(sizes)
    if len(ns) >= 2:  # marginal cost of one more vendor between consecutive sizes
        by_n = results["by_n"]
        results["ours_marginal_ms_per_vendor"] = {
            f"{a}-{b}": round((by_n[str(b)]["ours_s"]["median"] - by_n[str(a)]["ours_s"]["median"]) / (b - a) * 1000,
                              2)
            for a, b in itertools.pairwise(ns)}
        results["plain_marginal_ms_per_page"] = {
            f"{a}-{b}": round((by_n[str(b)]["plain_s"]["median"] - by_n[str(a)]["plain_s"]["median"]) / (b - a) * 1000,
                              2)
            for a, b in itertools.pairwise(ns)}
        # Linear growth: the cost of one more vendor at the largest sizes is not more than LINEAR_SLACK
        # times what it was at the smaller ones (a build whose every page lists every vendor fails this).
        marginal = list(results["ours_marginal_ms_per_vendor"].values())
        results["linear_slack"] = LINEAR_SLACK
        results["linear"] = all(later <= LINEAR_SLACK * max(earlier, 1e-9)
                                for earlier, later in itertools.pairwise(marginal))
        met = met and results["linear"]
    results["met"] = met
    return results
