"""Import every refundlib module and print, as JSON, which modules Python compiled from source.

Run under Pyodide with what the site ships (site_plugins/bytecode.py: the wheel with refundlib's
pycs, and ``--stdlib`` the standard library zip with pycs added):

- ``compiled_from_source``: refundlib modules whose shipped pyc was not used;
- ``stdlib_from_source_at_start``: standard library modules loaded from source (zipimport found no
  usable pyc beside them) by the time this script runs: Pyodide's start-up, and this harness;
- ``stdlib_from_source_by_refundlib``: the same, for the modules importing refundlib loaded.
"""

import importlib
import json
import pkgutil
import sys
import time
import zipimport


def stdlib_from_source(names: set[str] | None = None) -> list[str]:
    found = []
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        if spec is not None and isinstance(spec.loader, zipimport.zipimporter) and (spec.origin or "").endswith(".py"):
            found.append(name)
    return sorted(n for n in found if names is None or n in names)


at_start = set(sys.modules)
from_source_at_start = stdlib_from_source()
compiled: list[str] = []
# importlib.machinery's SourceFileLoader, without importing importlib.machinery (the site does not ship it).
SourceFileLoader = importlib._bootstrap_external.SourceFileLoader
original = SourceFileLoader.source_to_code


def source_to_code(self, data, path, *args, **kwargs):
    compiled.append(path)
    return original(self, data, path, *args, **kwargs)


SourceFileLoader.source_to_code = source_to_code
start = time.perf_counter()
import refundlib  # noqa: E402  # imported after the hook on purpose: this import is what is recorded

names = ["refundlib"] + [f"refundlib.{m.name}" for m in pkgutil.iter_modules(refundlib.__path__)
                         if m.name not in ("__main__", "cli")]  # the command line: never run in a browser
for name in names:
    importlib.import_module(name)
elapsed = time.perf_counter() - start
print(json.dumps({"python": list(sys.version_info[:2]), "modules": names,
                  "compiled_from_source": [p.split("site-packages/", 1)[-1] for p in compiled],
                  "stdlib_from_source_at_start": from_source_at_start,
                  "stdlib_from_source_by_refundlib": stdlib_from_source(set(sys.modules) - at_start),
                  "import_ms": round(elapsed * 1000, 1)}))
