"""The Markdown table of a results JSON (bench/results/latest.md and the Performance page)."""

from __future__ import annotations

import re
from pathlib import Path

BEGIN = "<!-- bench:results:begin (written by `make bench`; edit bench/report.py instead) -->"
END = "<!-- bench:results:end -->"


def _spread(s: dict, unit: str = "", digits: int = 0) -> str:
    def f(x):
        return (f"{x:,.{digits}f}{unit}")
    return f"{f(s['median'])} ({f(s['min'])}–{f(s['max'])})"


def _ratio(s: dict) -> str:
    return f"**{s['median']:.2f}×** (IQR {s['q1']:.2f}–{s['q3']:.2f}; {s['min']:.2f}–{s['max']:.2f})"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _bytes(n: int | None) -> str:
    if n is None:
        return "n/a"
    return f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def _load(r: dict) -> str:
    parts = [f"{name} {r[name]['load']['before'][0]:.1f}→{r[name]['load']['after'][0]:.1f}"
             for name in ("evaluator", "series", "build", "browser")
             if isinstance(r.get(name), dict) and r[name].get("load", {}).get("before")]
    text = "; per section (1-minute load average, start→end): " + ", ".join(parts) if parts else ""
    older = [f"{name} ({r[name]['date'][:16].replace('T', ' ')} UTC)" for name in ("evaluator", "series", "build",
             "browser", "weight") if isinstance(r.get(name), dict) and r[name].get("date", r["machine"]["date"])
             != r["machine"]["date"]]
    return text + ("; sections from an earlier run of the same day: " + ", ".join(older) if older else "")


def machine_line(r: dict) -> str:
    m = r["machine"]
    load = r.get("load", {})
    pyodide_python = r.get("series", {}).get("answered", {}).get("pyodide", {}).get("python", "?")
    return (f"{m['date']} · {m['cores']} cores · {m['memory_gib']} GiB · {m['cpu']} · {m['os']} · "
            f"CPython {m['python']} · Node {m['node'].lstrip('v')} · Pyodide {m['pyodide']} "
            f"(Python {pyodide_python}) · Chromium {m['chromium']} · "
            f"MkDocs {m['mkdocs']} · load average {load.get('before', '?')} before, "
            f"{load.get('after', '?')} after{_load(r)} · "
            f"revision {r.get('revision', '?')}{' · **smoke run: tiny N, few repeats**' if r.get('smoke') else ''}")


def render(r: dict) -> str:
    out = [f"Machine: {machine_line(r)}", ""]
    out += ["Times are medians with (min–max) over the repeats; a ratio is ours / floor, measured back to back in "
            "each repeat, with its inter-quartile range.", ""]
    out += ["| # | What | Ours | Floor | Ratio or total | Budget | |", "| --- | --- | --- | --- | --- | --- | --- |"]
    e = r.get("evaluator")
    if e:
        out.append(f"| 1 | Evaluator, CPython, reCatch cases: `evaluate()` → Decision vs hand-written function "
                   f"(both validate the input) | "
                   f"{_spread(e['us_per_eval_recatch'], ' µs', 1)} | {_spread(e['us_per_call_floor'], ' µs', 1)} | "
                   f"{_ratio(e['ratio'])} | ≤ {e['budget']:g}× | {_met(e['met'])} |")
        out.append(f"| 1 | … same, `evaluate().to_dict()` (what the browser gets) | "
                   f"{_spread(e['us_per_eval_recatch_with_to_dict'], ' µs', 1)} | | {_ratio(e['ratio_with_to_dict'])} "
                   f"| | info |")
        if "ratio_unchecked_floor" in e:
            out.append(f"| 1 | … against the hand-written function without its input checks | | "
                       f"{_spread(e['us_per_call_floor_unchecked'], ' µs', 1)} | {_ratio(e['ratio_unchecked_floor'])} "
                       f"| | info |")
        if e.get("instructions_ratio"):
            n = e["instructions_per_call"]
            out.append(f"| 1 | … counted in instructions (`perf stat`, does not move with the load) | "
                       f"{n['ours'] / 1000:,.0f} k ({n['ours_to_dict'] / 1000:,.0f} k with to_dict) | "
                       f"{n['floor'] / 1000:,.0f} k | **{e['instructions_ratio']:.2f}×** "
                       f"({e['instructions_ratio_with_to_dict']:.2f}× with to_dict"
                       + (f", {e['instructions_ratio_unchecked_floor']:.2f}× against the unchecked function"
                          if e.get("instructions_ratio_unchecked_floor") else "")
                       + f") | ≤ {e['budget']:g}× | "
                       f"{_met(e['instructions_ratio'] <= e['budget'])} |")
        out.append(f"| 1 | Evaluator, CPython, all {e['cases_all']} non-error cases of every vendor | "
                   f"{_spread(e['evals_per_second_all'], '/s')} evaluations | | | | info |")
    s = r.get("series")
    if s:
        for workload, words in (("answered", "questions answered “no” as the site's charts do"),
                                ("unknown", "questions left unknown, verdicts fork")):
            x = s[workload]
            p, c = x["pyodide"], x["cpython"]
            budgeted = workload == s.get("budgeted_workload", "answered")
            out.append(f"| 2 | Pyodide (Node): refund series of every vendor, days 0..{s['days']}, {words} | "
                       f"{_spread(p['total_ms'], ' ms')} | {_spread(p['floor_recatch_ms'], ' ms', 1)} (reCatch only) | "
                       f"reCatch series / floor {_ratio(p['recatch_vs_floor'])} | "
                       + (f"≤ {s['budget_ms']:g} ms total | {_met(s['met'])} |" if budgeted else "| info |"))
            per_vendor = ", ".join(f"{v} {m['median']:,.0f}" for v, m in p["per_vendor_ms"].items())
            out.append("| 2 | … per vendor: " + per_vendor
                       + f" ms; same code in CPython {c['python']}: {_spread(c['total_ms'], ' ms')} "
                       f"(Pyodide / CPython {x['pyodide_vs_cpython']['median']:.2f}×) | | | | | |")
    b = r.get("browser")
    if b:
        for cache in ("cold", "warm"):
            x = b[cache]
            on_bare = x.get("budget_floor", "floor") == "floor"  # the budget's floor, when the site has no archive

            def verdict(ok: bool) -> str:
                return f"≤ {b['budget']:g}× | {_met(ok)}"

            out.append(f"| 3 | Chromium, {cache}: navigation → calculator ready, against bare Pyodide | "
                       f"{_spread(x['ready_ms'], ' ms')} | {_spread(x['floor_ready_ms'], ' ms')} | "
                       f"{_ratio(x['ready_ratio'])} | | info |")
            out.append(f"| 3 | Chromium, {cache}: navigation → first verdict (`#s=` permalink), against bare Pyodide | "
                       f"{_spread(x['verdict_ms'], ' ms')} | {_spread(x['floor_ready_ms'], ' ms')} | "
                       f"{_ratio(x['verdict_ratio'])} | "
                       + (verdict(x["verdict_ratio"]["median"] <= b["budget"]) if on_bare else "| info") + " |")
            if "floor_bytecode_ready_ms" in x:
                out.append(f"| 3 | Chromium, {cache}: first verdict, against Pyodide alone started with the site's own "
                           f"standard library archive (the budget's floor); ready | {_spread(x['verdict_ms'], ' ms')}; "
                           f"{_spread(x['ready_ms'], ' ms')} | {_spread(x['floor_bytecode_ready_ms'], ' ms')} | "
                           f"{_ratio(x['verdict_ratio_bytecode'])}; {_ratio(x['ready_ratio_bytecode'])} | "
                           f"{verdict(x['verdict_ratio_bytecode']['median'] <= b['budget'])} |")
                out.append(f"| 3 | … Pyodide alone: with the site's archive / with its own | "
                           f"{_spread(x['floor_bytecode_ready_ms'], ' ms')} | {_spread(x['floor_ready_ms'], ' ms')} | "
                           f"{_ratio(x['floor_bytecode_vs_floor'])} | | info |")
            st = x.get("stages", {})
            if "wheel_ms" in st:
                against = (f"; against Pyodide alone with the bytecode {_ratio(st['pyodide_up_vs_floor_bytecode'])}"
                           if "pyodide_up_vs_floor_bytecode" in st else "")
                out.append("| 3 | … of which: Pyodide up (status “Loading refundlib”) | "
                           f"{_spread(st['wheel_ms'], ' ms')} "
                           f"| {_spread(x['floor_ready_ms'], ' ms')} | {_ratio(st['pyodide_up_vs_floor'])}{against} "
                           f"| | info |")
                out.append(f"| 3 | … then refundlib fetched, unpacked, imported (to ready) | "
                           f"{_spread(st['wheel_to_ready_ms'], ' ms')} | | | | info |")
            out.append(f"| 3 | Chromium, {cache}: policy text visible (first contentful paint "
                       f"{x['fcp_ms']['median']:,.0f} ms) | {_spread(x['policy_text_ms'], ' ms')} | | | "
                       f"before Pyodide | {_met(x['policy_text_ms']['median'] < x['floor_ready_ms']['median'])} |")
    w = r.get("weight")
    if w and "bytes_ratio" in w:
        out.append("| 4 | First visit to a vendor page, bytes until the first verdict (brotli, as a static host "
                   "serves the site's precompressed files) vs the bare Pyodide page | "
                   f"{_bytes(w['first_verdict']['brotli'])} | "
                   f"{_bytes(w['floor']['brotli'])} | **{w['bytes_ratio']:.2f}×** | ≤ {w['budget']:.2f}× "
                   f"(stretch ≤ {w['stretch']:.2f}×: {'met' if w['stretch_met'] else 'missed'}) | {_met(w['met'])} |")
    if w:
        out += ["", "Page weight of a first visit to a vendor page (what the server sent; what precompressed files "
                "a static host would serve instead):", "",
                f"| Stage | Requests | Uncompressed | gzip -9 | {w['compression']['brotli']} |",
                "| --- | --- | --- | --- | --- |"]
        for key, label in (("page_load", "page loaded (`load` event): HTML, CSS, JS, policy text"),
                           ("calculator_ready", "calculator ready (it starts by itself)"),
                           ("first_verdict", "after the first verdict"),
                           ("floor", "floor: the bare Pyodide page")):
            x = w[key]
            out.append(f"| {label} | {x.get('requests', x.get('files'))} | {_bytes(x['raw'])} | {_bytes(x['gzip'])} "
                       f"| {_bytes(x['brotli'])} |")
        out += ["", "Largest files: " + ", ".join(
            f"`{f['path'].rsplit('/', 1)[-1]}` {_bytes(f['raw'])} (gzip {_bytes(f['gzip'])}"
            + (f", brotli {_bytes(f['brotli'])}" if "brotli" in f else "") + ")" for f in w["largest"][:6]) + "."]
    d = r.get("build")
    if d:
        out += ["", "`mkdocs build` with N vendors (ours) vs N plain Markdown pages, same config without the "
                "plugin (floor):", "",
                "| N | Ours | Floor | Ratio | Ours per vendor | Floor per page | Vendor page / plain page (HTML "
                "article) | Budget ≤ 1.5× |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for n, x in d["by_n"].items():
            out.append(f"| {int(n):,} | {_spread(x['ours_s'], ' s', 2)} | {_spread(x['plain_s'], ' s', 2)} | "
                       f"{_ratio(x['ratio'])} | {x['ours_ms_per_vendor']:.1f} ms | {x['plain_ms_per_page']:.1f} ms | "
                       f"{_bytes(x['ours_vendor_page_bytes'])} / {_bytes(x['plain_page_bytes'])} | {_met(x['met'])} |")
        of, pf = d["ours_fit"], d["plain_fit"]
        out += ["", f"Linear fit over every build, t = a + b·N: ours a = {of['intercept_s']:.2f} s, "
                f"b = {of['slope_ms_per_vendor']:.1f} ms/vendor, R² = {of['r2']:.4f}; floor a = "
                f"{pf['intercept_s']:.2f} s, b = {pf['slope_ms_per_vendor']:.1f} ms/page, R² = {pf['r2']:.4f}."]
        if "ours_marginal_ms_per_vendor" in d:
            out.append("Marginal cost per added vendor (ours / floor): " + "; ".join(
                f"N {k.replace('-', '→')}: {v:.1f} / {d['plain_marginal_ms_per_page'][k]:.1f} ms"
                for k, v in d["ours_marginal_ms_per_vendor"].items()) + ".")
        if "linear" in d:
            out.append(f"Linear growth (budget: the marginal cost per vendor between the largest sizes at most "
                       f"{d.get('linear_slack', 1.25):g}× the one before): {_met(d['linear'])}.")
    return "\n".join(out) + "\n"


def write(r: dict, md_path: Path) -> str:
    text = render(r)
    md_path.write_text("# Benchmark results\n\n" + text, encoding="utf-8")
    return text


def update_page(page: Path, table: str) -> None:
    """Replace the generated block of the Performance page with ``table``."""
    text = page.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{page}: no {BEGIN!r} … {END!r} block")
    page.write_text(pattern.sub(lambda _: f"{BEGIN}\n\n{table}\n{END}", text), encoding="utf-8")
