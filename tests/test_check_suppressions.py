"""tools/check_suppressions.py: which suppressions count as explained (the rule `make lint` applies)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from check_suppressions import unexplained  # tools/ is not a package: importable once on sys.path

CASES = {
    "x = 1  # noqa: E731\n": False,
    "x = 1  # noqa: E731 - a lambda reads better here\n": True,
    "x = 1  # noqa: E731  # a lambda reads better here\n": True,
    "x = 1  # noqa: E731, B023 — both on purpose\n": True,
    "x = 1  # type: ignore[arg-type]\n": False,
    "x = 1  # type: ignore[arg-type]  # the wrong type on purpose\n": True,
    "x = 1  # type: ignore\n": False,
    "x = 1  # noqa\n": False,
    'x = "# noqa: E731"\n': True,  # in a string, not a comment
    "x = 1  # a plain comment\n": True,
}


@pytest.mark.parametrize(("source", "explained"), CASES.items())
def test_a_suppression_needs_its_reason_in_the_same_comment(source: str, explained: bool, tmp_path: Path) -> None:
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    found = list(unexplained(path))
    assert (not found) == explained, found
    if found:
        assert found[0].startswith(f"{path}:1: ")
