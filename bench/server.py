"""A small static file server that lets the browser cache, like a real static host, and logs bytes sent.

- ``ETag`` (size and mtime) on every file, and ``304 Not Modified`` for a matching ``If-None-Match``;
- ``Cache-Control: no-cache`` for HTML (revalidated on every load, so a new deploy shows at once) and
  ``Cache-Control: public, max-age=3600`` for everything else (scripts, styles, the Pyodide runtime,
  the wheel, JSON), so a second visit loads them from the HTTP cache without a request;
- no compression on the wire (the page-weight section reports what gzip/brotli files would weigh).

Only 127.0.0.1, an ephemeral port, a daemon thread; :meth:`StaticServer.close` stops it.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass
from pathlib import Path

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip"}


@dataclass(frozen=True)
class Served:
    path: str
    status: int
    bytes: int


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    protocol_version = "HTTP/1.1"  # keep-alive, as any real server

    def __init__(self, *args, log: list[Served], lock: threading.Lock, **kwargs) -> None:
        self._log, self._lock = log, lock
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def _record(self, status: int, size: int) -> None:
        with self._lock:
            self._log.append(Served(self.path.split("?", 1)[0].split("#", 1)[0], status, size))

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the directory redirect
            path = os.path.join(path, "index.html")
        try:
            stat = os.stat(path)
            handle = open(path, "rb")  # noqa: SIM115 - closed by copyfile's caller
        except OSError:
            self._record(404, 0)
            self.send_error(404, "File not found")
            return None
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        cache = "no-cache" if path.endswith(".html") else "public, max-age=3600"
        if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            handle.close()
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache)
            self.end_headers()
            self._record(304, 0)
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", cache)
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        self._record(200, stat.st_size)
        return handle


class StaticServer:
    def __init__(self, root: Path) -> None:
        self.log: list[Served] = []
        self._lock = threading.Lock()
        handler = functools.partial(_Handler, directory=str(root), log=self.log, lock=self._lock)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-http", daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}/"

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
