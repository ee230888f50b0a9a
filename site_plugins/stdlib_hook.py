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

import sys
import zipimport

LAZY: frozenset[str] = frozenset()


class LazyStdlib:
    """A meta path finder, last in ``sys.meta_path``: asked only for what no other finder found."""

    def __init__(self, load) -> None:  # noqa: ANN001 - a JavaScript function in the browser
        self._load = load
        self._archive: str | None = None

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
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


def install(load) -> None:  # noqa: ANN001
    sys.meta_path.append(LazyStdlib(load))
