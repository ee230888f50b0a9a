"""The import hook that loads the site's second standard library archive when a module in it is first imported.

Shipped as ``_refund_stdlib`` in the first archive (site_plugins/bytecode.mjs writes :data:`LAZY`, the
modules of the second, in when it builds them). The worker calls :func:`install` with a function that
fetches the second archive, writes it into Pyodide's file system and returns its path; it is called
once, on the first import of a module in :data:`LAZY` (the playground's and the charts' modules), so a
visitor who only asks for a verdict never downloads it.

A standard library module in neither archive is not found, as in any Python, and says so on standard
error (the browser's console): the archives were cut from what the calculator was seen to import
(site_plugins/bytecode.mjs), and a module missing from them is a build to fix, not a silent failure.
"""

from __future__ import annotations

import sys
import zipimport
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nothing more to import at run time, where this runs before the lazy archive is there
    from collections.abc import Callable, Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

LAZY: frozenset[str] = frozenset()


class LazyStdlib:
    """A meta path finder, last in ``sys.meta_path``: asked only for what no other finder found."""

    def __init__(self, load: Callable[[], object]) -> None:
        self._load = load
        self._archive: str | None = None

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname not in LAZY:
            if fullname.partition(".")[0] in sys.stdlib_module_names:
                print(f"refund-policies: the standard library module {fullname} is not in the site's archives "
                      f"(site_plugins/bytecode.mjs lists what the calculator imports)", file=sys.stderr)
            return None
        if self._archive is None:
            self._archive = str(self._load())
        parent = fullname.rpartition(".")[0]
        folder = self._archive + ("/" + parent.replace(".", "/") if parent else "")
        return zipimport.zipimporter(folder).find_spec(fullname)


def install(load: Callable[[], object]) -> None:
    sys.meta_path.append(LazyStdlib(load))
