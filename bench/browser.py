"""Sections 3 and 4: the vendor page in headless Chromium (cold and warm), and its page weight.

What is timed (all in-page ``performance.now()``, milliseconds from the start of navigation,
recorded by a MutationObserver added with ``add_init_script``, which the page's CSP does
not apply to; Playwright only waits on locators and then reads the record with
``page.evaluate`` of a function):

- ``policy_text``: ``#policy-text`` is in the document with a non-empty box (static HTML:
  it must not wait on Pyodide); ``fcp``: first contentful paint;
- ``ready``: the calculator's progress bar is hidden, which it does on the worker's
  ``ready`` stage (refundlib imported) -- ``performance.mark("refund:ready")`` is used
  instead when the calculator sets it (embed.js does, when the page receives that stage);
- ``verdict``: ``.refund-verdict`` has a non-empty ``data-outcome`` (the page was opened with
  a ``#s=`` permalink, so this is the first verdict);
- the floor (bench/site.py): ``ready`` when its worker has run one line of Python.

Cold: a fresh user-data directory (empty HTTP cache) and a new browser process per target.
Warm: a second page in that same profile, loading the same URL (HTTP cache primed; the
server's Cache-Control and ETag allow it, see bench/server.py).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

from .common import ratio_summary, summary
from .server import Served, StaticServer

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VENDOR = "recatch"
SCENARIO = {"product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
            "requested_on": "2026-07-01", "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD",
            "first_payment": True, "facts": {"one_time_copy_used": True}}
EXPECTED = ("partial", "300.00")
BUDGET = 1.15  # first verdict / Pyodide alone started with the site's own standard library archive
BYTES_BUDGET, BYTES_STRETCH = 1.00, 0.80  # first-visit bytes until the first verdict / the bare Pyodide page's
TIMEOUT_MS = 180_000

INIT_SCRIPT = """(() => {
  if (window.__bench) return;
  const t = (window.__bench = { marks: {}, stages: {} });
  // The calculator's status line, by stage (site_plugins/assets/refund/calculator.js, STAGE_WORDS).
  const STAGES = [["runtime", "Loading the Python runtime"], ["stdlib", "Loading Python's standard library"],
                  ["wheel", "Loading refundlib"], ["ready", "Calculator ready"]];
  const first = (key) => { if (!(key in t)) t[key] = performance.now(); };
  const check = () => {
    if (!("policy_text" in t)) {
      const text = document.getElementById("policy-text");
      if (text) { const box = text.getBoundingClientRect(); if (box.width > 0 && box.height > 0) first("policy_text"); }
    }
    const status = document.querySelector(".refund-calculator .refund-status__text");
    if (status) {
      const words = status.textContent || "";
      for (const [stage, prefix] of STAGES) {
        if (words.startsWith(prefix) && !(stage in t.stages)) t.stages[stage] = performance.now();
      }
    }
    const bar = document.querySelector(".refund-calculator .refund-status progress");
    if (bar && bar.hidden) first("ready");
    const verdict = document.querySelector(".refund-calculator .refund-verdict");
    if (verdict && verdict.dataset.outcome && !("verdict" in t)) {
      first("verdict"); t.outcome = verdict.dataset.outcome; t.amount = verdict.dataset.amount;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["hidden", "data-outcome"] });
  document.addEventListener("DOMContentLoaded", () => { first("dom_content_loaded"); check(); });
  window.addEventListener("load", () => { first("load"); check(); });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === "first-contentful-paint") t.fcp = e.startTime;
    }).observe({ type: "paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name.startsWith("refund:")) t.marks[e.name] = e.startTime;
    }).observe({ type: "mark", buffered: true });
  } catch (e) { t.observerError = String(e); }
})();"""

READ_VENDOR = "() => ({...window.__bench})"
READ_FLOOR = "() => ({...window.__bench, ready: window.__benchFloor && window.__benchFloor.ready})"


def chromium() -> str:
    exe = os.environ.get("CHROMIUM") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    exe = exe or shutil.which("chromium")
    if not exe:
        raise RuntimeError("Chromium not found: run `make browser-deps` or set CHROMIUM=/path/to/chromium")
    return exe


def permalink(base: str) -> str:
    return f"{base}vendors/{VENDOR}/#s={quote(json.dumps(SCENARIO, separators=(',', ':')), safe='!~*()')}"


def _launch(pw, profile: Path):
    context = pw.chromium.launch_persistent_context(str(profile), executable_path=chromium(), headless=True,
                                                    args=CHROMIUM_ARGS, locale="en-US", timezone_id="UTC")
    context.add_init_script(INIT_SCRIPT)
    return context


def _load(context, url: str, floor: bool) -> dict:
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        if floor:
            page.locator("#floor[data-state=ready]").wait_for(state="attached", timeout=TIMEOUT_MS)
            data = page.evaluate(READ_FLOOR)
        else:
            page.locator(".refund-calculator .refund-verdict:not([data-outcome=''])").wait_for(
                state="attached", timeout=TIMEOUT_MS)
            page.locator("#policy-text").wait_for(state="visible", timeout=TIMEOUT_MS)
            data = page.evaluate(READ_VENDOR)
            marks = data.get("marks") or {}
            data["ready"] = marks.get("refund:ready", data.get("ready"))
            if (data.get("outcome"), data.get("amount")) != EXPECTED:
                raise RuntimeError(f"unexpected verdict {data.get('outcome')!r} {data.get('amount')!r}, "
                                   f"expected {EXPECTED}")
        return data
    finally:
        page.close()


def timings(base: str, repeats: int, bytecode_floor: bool) -> dict[str, object]:
    """``bytecode_floor``: also time the floor that starts Pyodide with the site's standard library with bytecode
    (bench/site.py writes it when the site has one)."""
    from playwright.sync_api import sync_playwright

    targets = {"floor": (f"{base}bench-floor/", True), "vendor": (permalink(base), False)}
    if bytecode_floor:
        targets["floor_bytecode"] = (f"{base}bench-floor-bytecode/", True)
    runs: dict[str, dict[str, list[dict]]] = {name: {"cold": [], "warm": []} for name in targets}
    version = ""
    with sync_playwright() as pw:
        for index in range(repeats):
            turn = index % len(targets)  # each goes first in turn
            order = list(targets)[turn:] + list(targets)[:turn]
            for name in order:
                url, floor = targets[name]
                with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
                    context = _launch(pw, Path(profile))
                    try:
                        version = version or (context.browser.version if context.browser else "")
                        runs[name]["cold"].append(_load(context, url, floor))
                        runs[name]["warm"].append(_load(context, url, floor))
                    finally:
                        context.close()
        if not version:
            browser = pw.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
            version = browser.version
            browser.close()

    result: dict[str, object] = {"chromium": version, "repeats": repeats, "budget": BUDGET, "vendor": VENDOR,
                                 "url": permalink("/")}
    met = True
    for cache in ("cold", "warm"):
        floor = [r["ready"] for r in runs["floor"][cache]]
        vendor = runs["vendor"][cache]
        ready = [r["ready"] for r in vendor]
        verdict = [r["verdict"] for r in vendor]
        part = {
            "floor_ready_ms": summary(floor, 0),
            "ready_ms": summary(ready, 0),
            "verdict_ms": summary(verdict, 0),
            "policy_text_ms": summary([r["policy_text"] for r in vendor], 0),
            "fcp_ms": summary([r.get("fcp") or r["policy_text"] for r in vendor], 0),
            "dom_content_loaded_ms": summary([r.get("dom_content_loaded", 0) for r in vendor], 0),
            "ready_ratio": ratio_summary(ready, floor),
            "verdict_ratio": ratio_summary(verdict, floor),
        }
        # Where the vendor page's time goes: when the worker reached each stage (runtime: the worker started
        # and loads Pyodide; stdlib: the wasm runs, before the interpreter starts; wheel: Pyodide is up and
        # refundlib is being imported), against the floor's whole boot. From the worker's own clock when the
        # calculator marks it ("refund:worker:<stage>", embed.js), else when the status line showed it.
        def stage_time(run: dict, stage: str) -> float | None:
            marked = (run.get("marks") or {}).get(f"refund:worker:{stage}")
            return marked if isinstance(marked, (int, float)) else run.get("stages", {}).get(stage)

        stages = {}
        for stage in ("runtime", "stdlib", "wheel"):
            times = [stage_time(r, stage) for r in vendor]
            if all(isinstance(x, (int, float)) for x in times) and times:
                stages[f"{stage}_ms"] = summary(times, 0)
        if "wheel_ms" in stages:
            stages["wheel_to_ready_ms"] = summary([r["ready"] - stage_time(r, "wheel") for r in vendor], 0)
            stages["pyodide_up_vs_floor"] = ratio_summary([stage_time(r, "wheel") for r in vendor], floor)
        part["stages"] = stages
        if "floor_bytecode" in runs:  # the calculator's own cost, on the same runtime files with the same bytecode
            floor_bytecode = [r["ready"] for r in runs["floor_bytecode"][cache]]
            part["floor_bytecode_ready_ms"] = summary(floor_bytecode, 0)
            part["ready_ratio_bytecode"] = ratio_summary(ready, floor_bytecode)
            part["verdict_ratio_bytecode"] = ratio_summary(verdict, floor_bytecode)
            part["floor_bytecode_vs_floor"] = ratio_summary(floor_bytecode, floor)
            if "wheel_ms" in stages:
                stages["pyodide_up_vs_floor_bytecode"] = ratio_summary([stage_time(r, "wheel") for r in vendor],
                                                                       floor_bytecode)
        # The budget's floor: Pyodide alone with the site's own archive when the site has one, else bare Pyodide.
        budgeted = part.get("verdict_ratio_bytecode", part["verdict_ratio"])
        part["budget_floor"] = "floor_bytecode" if "verdict_ratio_bytecode" in part else "floor"
        part["met"] = budgeted["median"] <= BUDGET
        met = met and part["met"]
        result[cache] = part
    result["met"] = met
    return result


# -- page weight ---------------------------------------------------------------------------------

def _sizes(site: Path, served: list[Served], cache: dict[str, dict[str, int]],
           brotli_quality: int = 11) -> list[dict[str, object]]:
    try:
        import brotli
    except ImportError:
        brotli = None
    files = []
    for item in served:
        if item.status != 200:
            continue
        rel = item.path.lstrip("/")
        path = site / rel
        if path.is_dir() or rel.endswith("/") or rel == "":
            path = path / "index.html"
        if item.path not in cache:
            data = path.read_bytes()
            # What a static host sends: the precompressed sibling the site ships (site_plugins/deploy.py), else
            # what the host's own compression would make of the file.
            siblings = {key: path.with_name(path.name + suffix) for key, suffix in (("gzip", ".gz"), ("brotli", ".br"))}
            entry = {"raw": len(data), "precompressed": siblings["brotli"].is_file(),
                     "gzip": siblings["gzip"].stat().st_size if siblings["gzip"].is_file()
                     else len(gzip.compress(data, compresslevel=9, mtime=0))}
            if siblings["brotli"].is_file():
                entry["brotli"] = siblings["brotli"].stat().st_size
            elif brotli is not None:
                entry["brotli"] = len(brotli.compress(data, quality=brotli_quality))
            cache[item.path] = entry
        files.append({"path": item.path, **cache[item.path]})
    return files


def _total(files: list[dict[str, object]], key: str) -> int | None:
    if any(key not in f for f in files):
        return None
    return sum(int(f[key]) for f in files)


def weight(site: Path, server: StaticServer, brotli_quality: int = 11) -> dict[str, object]:
    """Bytes a first visit to the vendor page transfers: at load, when the calculator is ready, after a verdict.

    ``brotli_quality`` 11 is what a static host's build step uses (slow: about a minute for the wasm);
    the smoke run uses a lower one.
    """
    from playwright.sync_api import sync_playwright

    url = f"{server.url}vendors/{VENDOR}/"
    stages: dict[str, list[Served]] = {}
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context = _launch(pw, Path(profile))
        try:
            page = context.new_page()
            start = server.mark()
            page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
            stages["page_load"] = server.since(start)
            page.locator(".refund-calculator .refund-status progress[hidden]").wait_for(state="attached",
                                                                                         timeout=TIMEOUT_MS)
            stages["calculator_ready"] = server.since(start)
            page.goto(permalink(server.url), timeout=TIMEOUT_MS)  # same document: the hash changes
            page.locator(".refund-calculator .refund-verdict:not([data-outcome=''])").wait_for(
                state="attached", timeout=TIMEOUT_MS)
            stages["first_verdict"] = server.since(start)
        finally:
            context.close()
    cache: dict[str, dict[str, int]] = {}
    result: dict[str, object] = {"url": url, "compression": {"gzip": "gzip -9 (stdlib)",
                                                             "brotli": f"brotli q{brotli_quality}"}}
    for name, served in stages.items():
        files = _sizes(site, served, cache, brotli_quality)
        result[name] = {"requests": len(served), "files": len(files), "raw": _total(files, "raw"),
                        "gzip": _total(files, "gzip"), "brotli": _total(files, "brotli")}
    everything = _sizes(site, stages["first_verdict"], cache, brotli_quality)
    everything.sort(key=lambda f: int(f["raw"]), reverse=True)
    result["largest"] = everything[:8]
    # The floor page's own files plus the Pyodide runtime the site publishes, which loadPyodide() fetches
    # (python_stdlib.zip among them: the vendor page fetches the site's python_stdlib-bytecode.zip instead).
    manifest = json.loads((site / "assets" / "refund" / "manifest.json").read_text(encoding="utf-8"))
    runtime = site / "assets" / "refund" / manifest["pyodide_index_url"]
    floor = [Served(p, 200, 0) for p in ("/bench-floor/", "/bench-floor/floor.js", "/bench-floor/worker.js")]
    floor += [Served(f"/assets/refund/{manifest['pyodide_index_url']}{p.name}", 200, 0)
              for p in sorted(runtime.iterdir()) if p.suffix not in (".br", ".gz")]
    floor_sizes = _sizes(site, floor, cache, brotli_quality)
    result["floor"] = {"files": len(floor_sizes), "raw": _total(floor_sizes, "raw"),
                       "gzip": _total(floor_sizes, "gzip"), "brotli": _total(floor_sizes, "brotli")}
    ours, bare = result["first_verdict"]["brotli"], result["floor"]["brotli"]
    if ours is not None and bare:
        result["bytes_ratio"] = round(ours / bare, 3)
        result["budget"], result["stretch"] = BYTES_BUDGET, BYTES_STRETCH
        result["met"] = result["bytes_ratio"] <= BYTES_BUDGET
        result["stretch_met"] = result["bytes_ratio"] <= BYTES_STRETCH
    return result
