"""What a static host needs besides the files: a headers file, and each large file precompressed.

- ``_headers`` (Netlify and Cloudflare Pages read it from the site's root): the content-hashed files
  (``assets/refund/immutable/``, and Material's ``*.<hash>.min.{js,css}``) cached for a year as
  immutable; every HTML page revalidated on each visit (``max-age=0, must-revalidate``), so that a new
  deploy shows at once and its pages name only its own hashed files. Every other file keeps the host's
  default, which on both hosts is the same revalidation. Each rule names paths that no other rule
  does: both hosts join the values of a header set by two matching rules.
- ``<file>.br`` and ``<file>.gz`` beside each of the calculator's and the theme's scripts, styles,
  archives and the WebAssembly runtime, for hosts that serve a precompressed sibling (nginx
  ``gzip_static``/``brotli_static``, Caddy ``precompressed``, ``bench/server.py``). Brotli at quality
  11 takes about a minute for the runtime, so the results are kept under
  ``node_modules/.cache/refund-precompressed/``, named by the hash of what was compressed.

README.md ("Deploying") says what to configure on other hosts.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import re
from pathlib import Path

from .assets import ASSET_DIR, IMMUTABLE, AssetError
from .bytecode import write_atomically

HEADERS_FILE = "_headers"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
THEME_HASHED = re.compile(r"assets/(javascripts|stylesheets)/(.+/)?[^/]+\.[0-9a-f]{8,}\.min\.(js|css)")
COMPRESSED = (".js", ".mjs", ".css", ".wasm", ".zip", ".whl", ".json", ".svg")
SMALLEST = 1024  # bytes: below this, a host's dynamic compression is as good
CACHE_FROM = 64 * 1024  # bytes: larger files' brotli is kept in the cache
CACHE_DIR = Path(".cache") / "refund-precompressed"  # under node_modules


def headers(site: Path) -> str:
    """The ``_headers`` file for the built ``site``."""
    lines = ["# Written by the refund-policies plugin (site_plugins/deploy.py); see README.md, Deploying.",
             f"/{ASSET_DIR}/{IMMUTABLE}/*", f"  Cache-Control: {IMMUTABLE_CACHE}"]
    for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.min.*")):
        if THEME_HASHED.fullmatch(path):
            lines += [f"/{path}", f"  Cache-Control: {IMMUTABLE_CACHE}"]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    roots = sorted({page.split("/", 1)[0] for page in pages if "/" in page})
    if any(root == ASSET_DIR.split("/")[0] for root in roots):
        raise AssetError(f"{site}: an HTML page under {ASSET_DIR.split('/')[0]}/ would share the immutable rule")
    patterns = (["/"] if "index.html" in pages else []) + sorted(f"/{p}" for p in pages if "/" not in p) + \
        [f"/{root}/*" for root in roots]
    for pattern in patterns:
        lines += [pattern, f"  Cache-Control: {REVALIDATE}"]
    return "\n".join(lines) + "\n"


def precompress(site: Path, node_modules: Path, brotli_quality: int = 11) -> int:
    """Write ``.br`` and ``.gz`` beside each file :func:`should_compress` picks; return how many files."""
    try:
        import brotli  # type: ignore[import-untyped]  # the brotli package ships no type information
    except ImportError:
        raise AssetError("the brotli package is needed to precompress the site's files; run `make setup`") from None
    cache = node_modules / CACHE_DIR
    count = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or not should_compress(path.relative_to(site).as_posix(), path.stat().st_size):
            continue
        data = path.read_bytes()
        key = hashlib.sha256(data).hexdigest()[:32] + f".q{brotli_quality}.br"
        compressed = None
        if len(data) >= CACHE_FROM:
            with contextlib.suppress(OSError):  # not cached yet
                compressed = (cache / key).read_bytes()
        if compressed is None:
            compressed = brotli.compress(data, quality=brotli_quality)
            if len(data) >= CACHE_FROM:
                write_atomically(cache / key, compressed)
        path.with_name(path.name + ".br").write_bytes(compressed)
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        count += 1
    return count


def should_compress(path: str, size: int) -> bool:
    """The calculator's and the theme's assets (not the per-vendor JSON nor the pages, which grow with N)."""
    if size < SMALLEST or not path.endswith(COMPRESSED) or "/policies/" in path:
        return False
    return path.startswith((f"{ASSET_DIR}/", "assets/javascripts/", "assets/stylesheets/"))
