"""Look at the site as a person would: screenshots and axe, at two sizes and in both schemes.

Usage: .venv/bin/python tools/look.py [--site DIR] [--out DIR] [--wait-verdict] [PATH[#s=...] ...]

Builds the site into a temporary folder (or serves ``--site DIR``), then for each page
(default: home, compare, every vendor page, playground, embed) takes a full-first-screen
screenshot at 1280x900 and 390x844, in the light and the dark colour scheme, into
``build/look/`` and prints axe-core's serious and critical findings for each. Open the PNGs
with an image viewer: a page is done when it looks right, not when its test passes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => `${v.impact} ${v.id}: ${v.nodes.length} `
    + `(${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`)"""


def default_pages() -> list[str]:
    sys.path.insert(0, str(ROOT))
    import refundlib

    return ["", "compare/", *(f"vendors/{v}/" for v in refundlib.vendor_ids()), "playground/", "embed/"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> str:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def build(site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="site paths, e.g. vendors/kino/ or 'vendors/kino/#s=...'")
    parser.add_argument("--site", type=Path, help="a built site to serve instead of building one")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "look")
    parser.add_argument("--wait-verdict", action="store_true", help="wait for a verdict before the screenshot")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args()
    site = args.site or Path(tempfile.mkdtemp(prefix="look-site-"))
    if not args.site:
        build(site)
    base, pages = serve(site), args.pages or default_pages()
    args.out.mkdir(parents=True, exist_ok=True)
    findings = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        for scheme in SCHEMES:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                              bypass_csp=True)
                # bypass_csp: axe is injected as a script; the tests check the CSP itself.
                for path in pages:
                    page = context.new_page()
                    page.goto(base + path)
                    page.wait_for_load_state("load")
                    if args.wait_verdict:
                        page.wait_for_selector(".refund-verdict:is([data-state=done], [data-state=error])",
                                               timeout=90_000)
                    name = re.sub(r"[^a-z0-9]+", "-", path.split("#")[0].lower()).strip("-") or "home"
                    name += "-permalink" if "#s=" in path else ""
                    shot = args.out / f"{name}-{size}-{scheme}.png"
                    page.screenshot(path=str(shot), full_page=args.full_page)
                    page.add_script_tag(path=str(AXE_JS))
                    found = page.evaluate(AXE_RUN)
                    findings += len(found)
                    shown = shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot
                    print(f"{shown}: axe {'clean' if not found else ''}")
                    for line in found:
                        print("   ", line)
                    page.close()
                context.close()
        browser.close()
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
