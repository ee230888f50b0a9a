"""Where policies come from: the TOML files shipped in ``refundlib/policies``.

Adding a vendor is adding one file there; nothing else changes. Each file is read and
checked the first time its policy is asked for, then cached: evaluating one vendor reads
one file (in the browser that is most of the calculator's start-up), ``all_policies()``
reads them all. ``load_policy_file`` reads any other file (a draft, a test fixture).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PolicyFileError, UnknownVendorError
from .loader import load_policy_text
from .model import Policy

if TYPE_CHECKING:  # only for the annotations: importing importlib.resources costs start-up time in the browser
    from importlib.resources.abc import Traversable

POLICY_PACKAGE = "refundlib.policies"
_POLICY_DIR = Path(__file__).parent / "policies"


def load_policy_file(path: str | Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyFileError(str(path), "(file)", f"a readable UTF-8 file ({error.__class__.__name__})") from None
    return load_policy_text(text, str(path))


@cache
def _files() -> dict[str, Traversable]:
    """The shipped policy files by vendor id (the file name without ``.toml``), in file-name order."""
    if _POLICY_DIR.is_dir():  # installed as files (a checkout, an unpacked wheel, Pyodide)
        folder: Traversable = _POLICY_DIR
    else:  # imported from a zip: importlib.resources reads it (and costs an import, so only then)
        from importlib import resources

        folder = resources.files(POLICY_PACKAGE)
    entries = sorted(folder.iterdir(), key=lambda e: e.name)
    return {e.name.removesuffix(".toml"): e for e in entries if e.name.endswith(".toml")}


@cache
def _policy(vendor_id: str) -> Policy:
    entry = _files()[vendor_id]
    source = f"refundlib/policies/{entry.name}"
    policy = load_policy_text(entry.read_text(encoding="utf-8"), source)
    if policy.id != vendor_id:
        raise PolicyFileError(source, "id", f"the file's name without .toml ({vendor_id!r})")
    return policy


def reload() -> None:
    """Forget the cached policies, so the next call re-reads the files (used by `mkdocs serve`)."""
    _files.cache_clear()
    _policy.cache_clear()


def vendor_ids() -> list[str]:
    return list(_files())


def all_policies() -> list[Policy]:
    return [_policy(vendor_id) for vendor_id in _files()]


def get_policy(vendor_id: str) -> Policy:
    if not isinstance(vendor_id, str) or vendor_id not in _files():
        raise UnknownVendorError(vendor_id, vendor_ids())
    return _policy(vendor_id)
