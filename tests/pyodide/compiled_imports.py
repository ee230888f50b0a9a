"""Import every refundlib module and print, as JSON, which ones Python compiled from source.

Run under Pyodide with the wheel the site ships (site_plugins.bytecode): an empty list means every
module's shipped pyc was valid for this interpreter and used, so the browser compiles nothing.
"""

import importlib
import importlib.machinery
import json
import pkgutil
import sys
import time

compiled: list[str] = []
original = importlib.machinery.SourceFileLoader.source_to_code


def source_to_code(self, data, path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    compiled.append(path)
    return original(self, data, path, *args, **kwargs)


importlib.machinery.SourceFileLoader.source_to_code = source_to_code
start = time.perf_counter()
import refundlib  # noqa: E402

names = ["refundlib"] + [f"refundlib.{m.name}" for m in pkgutil.iter_modules(refundlib.__path__)
                        if m.name != "__main__"]  # the CLI: importing it runs it
for name in names:
    importlib.import_module(name)
elapsed = time.perf_counter() - start
print(json.dumps({"python": list(sys.version_info[:2]), "modules": names,
                  "compiled_from_source": [p.split("site-packages/", 1)[-1] for p in compiled],
                  "import_ms": round(elapsed * 1000, 1)}))
