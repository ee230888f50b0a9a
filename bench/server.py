"""A small static file server that serves the built site as a static host does, and logs bytes sent.

- the site's ``_headers`` file (Netlify and Cloudflare Pages; site_plugins/deploy.py writes it) is
  honoured: its ``Cache-Control`` for the paths it names (the content-hashed files are immutable for a
  year), and for every other path those hosts' default, ``public, max-age=0, must-revalidate``;
- ``ETag`` (size and mtime) on every file, and ``304 Not Modified`` for a matching ``If-None-Match``;
- a precompressed sibling (``<file>.br``, else ``<file>.gz``) when the request accepts its encoding,
  with ``Content-Encoding`` and ``Vary: Accept-Encoding``; other files as they are. :class:`Served`
  records the bytes sent (``bytes``) and the encoding;
- :attr:`StaticServer.root` may be changed while it runs: a new deploy on the same origin.

Only 127.0.0.1, an ephemeral port, a daemon thread; :meth:`StaticServer.close` stops it.
"""

from __future__ import annotations

import fnmatch
import http.server
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip"}


DEFAULT_CACHE = "public, max-age=0, must-revalidate"  # what Netlify and Cloudflare Pages send without a rule
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


@dataclass(frozen=True, slots=True)
class Served:
    path: str
    status: int
    bytes: int
    encoding: str = ""  # "br", "gzip" or "" (as it is)


def read_headers_file(root: Path) -> list[tuple[str, dict[str, str]]]:
    """``root/_headers`` as (path pattern, headers) in file order; none if there is no such file."""
    rules: list[tuple[str, dict[str, str]]] = []
    try:
        lines = (root / "_headers").read_text(encoding="utf-8").splitlines()
    except OSError:
        return rules
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" and rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
        elif line[0] not in " \t":
            rules.append((line.strip(), {}))
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], url_path: str) -> dict[str, str]:
    """The headers of every rule whose pattern matches (``*`` matches anything, ``/`` included)."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern == url_path or ("*" in pattern and fnmatch.fnmatchcase(url_path, pattern)):
            for name, value in headers.items():
                found[name] = f"{found[name]}, {value}" if name in found else value  # both hosts join them
    return found


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    protocol_version = "HTTP/1.1"  # keep-alive, as any real server

    def __init__(self, *args, server_state: StaticServer, **kwargs) -> None:
        self._state = server_state
        super().__init__(*args, directory=str(server_state.root), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self, status: int, size: int, encoding: str = "") -> None:
        self._state.record(Served(self.path.split("?", 1)[0].split("#", 1)[0], status, size, encoding))

    def send_head(self):
        path = self.translate_path(self.path)
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                return super().send_head()  # the directory redirect
            path = os.path.join(path, "index.html")
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        encoding, sent = "", path
        for name, suffix in ENCODINGS:
            if name in accepted and os.path.isfile(path + suffix):
                encoding, sent = name, path + suffix
                break
        try:
            stat = os.stat(sent)
            handle = open(sent, "rb")  # noqa: SIM115 - closed by copyfile's caller
        except OSError:
            self._record(404, 0)
            self.send_error(404, "File not found")
            return None
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}{"-" + encoding if encoding else ""}"'
        extra = {"Cache-Control": DEFAULT_CACHE} | headers_for(self._state.rules, url_path)
        if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            handle.close()
            self.send_response(304)
            self.send_header("ETag", etag)
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self._record(304, 0)
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(stat.st_size))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", etag)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        self._record(200, stat.st_size, encoding)
        return handle


class StaticServer:
    def __init__(self, root: Path) -> None:
        self.log: list[Served] = []
        self._lock = threading.Lock()
        self.root = root

        def handler(*args: object, **kwargs: object) -> _Handler:
            return _Handler(*args, server_state=self, **kwargs)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-http", daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}/"

    @property
    def root(self) -> Path:
        return self._root

    @root.setter
    def root(self, root: Path) -> None:
        """Serve ``root`` from now on (a new deploy), with its own headers file."""
        rules = read_headers_file(root)
        with self._lock:
            self._root, self.rules = root, rules

    def record(self, served: Served) -> None:
        with self._lock:
            self.log.append(served)

    def mark(self) -> int:
        with self._lock:
            return len(self.log)

    def since(self, mark: int) -> list[Served]:
        with self._lock:
            return list(self.log[mark:])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
