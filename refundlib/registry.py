"""Where policies come from: the TOML files shipped in ``refundlib/policies``.

Adding a vendor is adding one file there; nothing else changes. Files are read once
and cached. ``load_policy_file`` reads any other file (a draft, a test fixture).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from .errors import PolicyFileError, UnknownVendorError
from .loader import load_policy_text
from .model import Policy

POLICY_PACKAGE = "refundlib.policies"


def load_policy_file(path: str | Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyFileError(str(path), "(file)", f"a readable UTF-8 file ({error.__class__.__name__})") from None
    return load_policy_text(text, str(path))


@cache
def _shipped() -> dict[str, Policy]:
    policies: dict[str, Policy] = {}
    for entry in sorted(resources.files(POLICY_PACKAGE).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"refundlib/policies/{entry.name}"
        policy = load_policy_text(entry.read_text(encoding="utf-8"), source)
        if policy.id != entry.name.removesuffix(".toml"):
            raise PolicyFileError(source, "id", f"the file's name without .toml ({entry.name.removesuffix('.toml')!r})")
        policies[policy.id] = policy
    return policies


def reload() -> None:
    """Forget the cached policies, so the next call re-reads the files (used by `mkdocs serve`)."""
    _shipped.cache_clear()


def vendor_ids() -> list[str]:
    return list(_shipped())


def all_policies() -> list[Policy]:
    return list(_shipped().values())


def get_policy(vendor_id: str) -> Policy:
    try:
        return _shipped()[vendor_id]
    except KeyError:
        raise UnknownVendorError(vendor_id, vendor_ids()) from None
