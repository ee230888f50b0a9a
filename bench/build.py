"""Section 5: ``mkdocs build`` with N generated vendors, against N plain Markdown pages (the floor).

Ours: a temporary copy of the project (refundlib/, site_plugins/, docs/, mkdocs.yml, pyproject.toml,
README.md; node_modules linked) whose ``refundlib/policies`` holds N policy files: the real five,
then copies of them with a new id and name. ``PYTHONPATH`` points at the copy, so the plugin, the
registry and the wheel it builds all see the N policies; nothing in the project is changed.

Floor: the same copy and the same mkdocs config without the ``refund-policies`` plugin, building N
plain Markdown pages (one per generated vendor, made of the same policy's text, clauses, rules,
notes and topics, so the HTML is of similar size: the report gives both sizes) with the same nav.

Each build is a fresh ``python -m mkdocs build`` process, timed from start to exit.
"""

from __future__ import annotations

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
        text = re.sub(r'^name = "([^"]*)"$', lambda m: f'name = "{m.group(1)} #{index}"', text, count=1,
                      flags=re.MULTILINE)
        out.append((f"{vendor}.toml", text))
    return out


def plain_page(policy) -> str:
    """A plain Markdown page with the text a vendor page shows, quotes included (no plugin involved).

    Headings and paragraphs only (no tables, nested lists or block quotes, which Python-Markdown
    is slow to parse): the cheapest Markdown that gives a page of similar size.
    """
    text = {c.id: c.text for c in policy.clauses}

    def quoted(cites: tuple[str, ...]) -> list[str]:
        return [f"“{text[c]}” ({c})\n" for c in cites]

    lines = [f"# {policy.name}", "", policy.sells, "", f"Source: <{policy.source_url}>", "", "## At a glance", ""]
    for topic in policy.topics:
        lines += [f"**{topic.topic}**: {topic.summary}", ""] + quoted(topic.cites)
    lines += ["## How the decision is made", ""]
    for number, rule in enumerate(policy.rules, 1):
        lines += [f"**{number}. {rule.label}** ({rule.outcome})", ""] + quoted(rule.cites)
        for q in rule.requires:
            lines += [f"Requires {q.says}: `{q.test.text}`.", ""] + quoted(q.cites)
    lines += ["## Worth knowing", ""]
    for note in policy.notes:
        lines += [f"*{note.kind}*: {note.text}", ""] + quoted(note.cites)
    lines += ["## The policy text", "", policy.capture.policy_text.strip(), "", "## Clauses", ""]
    lines += [f"{c.id}: {c.text}\n" for c in policy.clauses]
    return "\n".join(lines) + "\n"


def _plain_config(project: Path, vendor_pages: list[tuple[str, str]]) -> Path:
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "refund-policies"]

    def expand(nav: object) -> object:
        if isinstance(nav, list):
            return [expand(item) for item in nav]
        if isinstance(nav, dict):
            return {k: ([{name: src} for name, src in vendor_pages] if v == "vendors/" else expand(v))
                    for k, v in nav.items()}
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
        from refundlib.loader import load_policy_text

        pages = []
        (plain / "docs" / "vendors").mkdir(exist_ok=True)
        for name, text in synthetic_policies(count):
            policy = load_policy_text(text, name)
            (plain / "docs" / "vendors" / f"{policy.id}.md").write_text(plain_page(policy), encoding="utf-8")
            pages.append((policy.name, f"vendors/{policy.id}.md"))
    finally:
        sys.path.remove(str(ours))
    (plain / "docs" / "compare.md").write_text(
        "# Compare the refund policies\n\n| vendor | sells |\n| --- | --- |\n"
        + "".join(f"| [{n}]({src.removeprefix('vendors/')}) | … |\n".replace("](", "](vendors/", 1)
                  for n, src in pages), encoding="utf-8")
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
            if warm_up and count == sizes[0]:  # untimed: fills the bytecode cache and the OS file cache
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
            results["by_n"][str(count)] = entry  # type: ignore[index]
            shutil.rmtree(root, ignore_errors=True)
    results["ours_fit"] = _fit(ours_points)
    results["plain_fit"] = _fit(plain_points)
    ns = sorted(sizes)
    if len(ns) >= 2:  # marginal cost of one more vendor between consecutive sizes
        by_n = results["by_n"]  # type: ignore[assignment]
        results["ours_marginal_ms_per_vendor"] = {
            f"{a}-{b}": round((by_n[str(b)]["ours_s"]["median"] - by_n[str(a)]["ours_s"]["median"]) / (b - a) * 1000, 2)
            for a, b in zip(ns, ns[1:])}
        results["plain_marginal_ms_per_page"] = {
            f"{a}-{b}": round((by_n[str(b)]["plain_s"]["median"] - by_n[str(a)]["plain_s"]["median"]) / (b - a) * 1000, 2)
            for a, b in zip(ns, ns[1:])}
    results["met"] = met
    return results
