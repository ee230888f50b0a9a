"""Run the benchmark suite and write results/latest.json, results/latest.md and the Performance page.

    python -m bench                 # everything, full size (make bench): ~20-30 minutes on 2 cores
    python -m bench --smoke --out DIR   # tiny N, few repeats, into DIR (make bench-smoke, tests)
    python -m bench --only evaluator,series   # some sections (the others are left out of the JSON)
    python -m bench --only browser --merge    # re-run some sections into the existing latest.json

Sections: evaluator (1), series (2), browser (3), weight (4), build (5); see each module.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import common, report

SECTIONS = ("evaluator", "series", "browser", "weight", "build")
FULL = {"evaluator": {"repeats": 41, "loops": 3}, "series": {"repeats": 7, "days": 365},
        "browser": {"repeats": 11}, "weight": {"brotli_quality": 11},
        "build": {"sizes": (5, 100, 1000), "repeats": {5: 5, 100: 3, 1000: 3}}}
SMOKE = {"evaluator": {"repeats": 2, "loops": 1, "instruction_loops": 0}, "series": {"repeats": 1, "days": 20},
         "browser": {"repeats": 1}, "weight": {"brotli_quality": 5}, "build": {"sizes": (1, 3), "repeats": 1,
                                                                              "warm_up": False}}
PAGE = common.ROOT / "docs" / "performance.md"


def _browser_sections(result: dict, wanted: set[str], settings: dict, log) -> None:
    from . import browser, site
    from .server import StaticServer

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        log("building the site")
        site_dir = site.build_site(Path(tmp) / "site")
        site.add_floor(site_dir)
        with StaticServer(site_dir) as server:
            if "browser" in wanted:
                log("browser: cold and warm loads")
                before = common.loadavg()
                result["browser"] = browser.timings(server.url, **settings["browser"],
                                                    bytecode_floor=(site_dir / site.FLOOR_BYTECODE_DIR).is_dir())
                result["browser"]["load"] = {"before": before, "after": common.loadavg()}
                result["browser"]["date"] = result["machine"]["date"]
                result["machine"]["chromium"] = result["browser"]["chromium"]
            if "weight" in wanted:
                log("page weight")
                result["weight"] = browser.weight(site_dir, server, **settings["weight"])
                result["weight"]["date"] = result["machine"]["date"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and one or two repeats (CI)")
    parser.add_argument("--out", type=Path, default=common.BENCH / "results", help="where latest.json/.md go")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run")
    parser.add_argument("--no-page", action="store_true", help="do not update docs/performance.md")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sections of OUT/latest.json (re-run only --only's sections)")
    args = parser.parse_args(argv)
    wanted = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = wanted - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}; known: {', '.join(SECTIONS)}")
    settings = SMOKE if args.smoke else FULL
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    result: dict[str, object] = {"schema": 1, "smoke": args.smoke, "machine": common.machine(),
                                 "revision": common.git_revision(), "load": {"before": common.loadavg()},
                                 "settings": json.loads(json.dumps(settings, default=list))}
    failures = []
    for name in ("evaluator", "series", "build"):
        if name not in wanted:
            continue
        log(name)
        try:
            before = common.loadavg()
            result[name] = importlib.import_module(f"bench.{name}").run(**settings[name])
            result[name]["load"] = {"before": before, "after": common.loadavg()}
            result[name]["date"] = result["machine"]["date"]
        except Exception:  # noqa: BLE001 - report every section, then fail
            failures.append(name)
            traceback.print_exc()
    if wanted & {"browser", "weight"}:
        try:
            _browser_sections(result, wanted, settings, log)
        except Exception:  # noqa: BLE001 - a failed browser section is reported as missed; the others still run
            failures += sorted(wanted & {"browser", "weight"})
            traceback.print_exc()
    result["load"]["after"] = common.loadavg()
    result["seconds"] = round(time.perf_counter() - started, 1)
    merged = False
    if args.merge and (args.out / "latest.json").is_file():
        previous = json.loads((args.out / "latest.json").read_text(encoding="utf-8"))
        if previous.get("smoke") == args.smoke:
            for name in SECTIONS:
                if name not in wanted and name in previous:
                    result[name] = previous[name]
            result["machine"]["chromium"] = result["machine"]["chromium"] or previous["machine"].get("chromium", "")
            result["merged_from"] = previous.get("machine", {}).get("date", "")
            merged = True
    result["budgets"] = {name: result[name]["met"] for name in ("evaluator", "series", "browser", "weight", "build")
                         if isinstance(result.get(name), dict) and "met" in result[name]}

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    table = report.write(result, args.out / "latest.md")
    complete = all(name in result for name in SECTIONS)
    if not args.smoke and not args.no_page and (wanted == set(SECTIONS) or merged) and complete and not failures:
        report.update_page(PAGE, table)
    log(f"wrote {args.out / 'latest.json'} and latest.md")
    print(table, flush=True)  # the table, on standard output (the log goes to standard error)
    if failures:
        log(f"FAILED sections: {', '.join(failures)}")
        return 1
    return 0
