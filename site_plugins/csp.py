"""The Content-Security-Policy every page carries, as a ``<meta http-equiv>`` element.

The site makes no request to any other origin: scripts, styles, fonts, images, the
Pyodide runtime and the wheel all come from the site itself. :func:`policy` builds the
header value (a pure function, so it is easy to adjust and to test); :func:`add_to_page`
hashes the page's inline scripts exactly as rendered and puts the element first in <head>.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable

# <script ...>body</script>; the body of an inline script is everything up to the first "</script".
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"""(?:^|\s)src\s*=""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def policy(script_hashes: Iterable[str] = (), *, inline_scripts: bool = False) -> str:
    """The CSP for one page: everything from the site's own origin, nothing from anywhere else.

    ``script_hashes``: ``'sha256-…'`` sources for the page's inline scripts. ``inline_scripts``:
    allow any inline script instead of hashes (``mkdocs serve`` only, whose live-reload snippet
    changes on every request).
    """
    # 'wasm-unsafe-eval': Pyodide compiles WebAssembly; this allows that and not JS eval().
    scripts = ["'self'", "'wasm-unsafe-eval'"]
    scripts += ["'unsafe-inline'"] if inline_scripts else list(dict.fromkeys(script_hashes))
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        # Material for MkDocs sets style="" attributes from its JavaScript (and in its templates),
        # which CSP counts as inline style: 'unsafe-inline' is needed for styles (not for scripts).
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def inline_scripts(page: str) -> list[str]:
    """The exact text of every inline <script> (one without ``src``) in a rendered page."""
    return [m["body"] for m in _SCRIPT.finditer(page) if not _SRC.search(m["attrs"])]


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def meta_element(value: str) -> str:
    # Only '&', '<', '>' and '"' need escaping in a double-quoted attribute; CSP keeps its single quotes.
    escaped = html.escape(value, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{escaped}">'


def add_to_page(page: str, *, serving: bool = False) -> str:
    """Insert the CSP <meta> as the first element of <head>, hashing the page's inline scripts."""
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("the page has no <head> element")
    hashes = [script_hash(body) for body in inline_scripts(page)]
    value = policy(hashes, inline_scripts=serving)
    return f"{page[:head.end()]}\n    {meta_element(value)}{page[head.end():]}"
