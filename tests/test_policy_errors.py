"""Each mistake in tests/policy_errors.toml gives one message that names the entry and says what was meant."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from refundlib import PolicyFileError, load_policy_text

POLICY_DIR = Path(__file__).parents[1] / "refundlib" / "policies"
CASES: list[dict[str, Any]] = tomllib.loads((Path(__file__).parent / "policy_errors.toml").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_policy_mistake_is_named(case: dict[str, Any]) -> None:
    text = (POLICY_DIR / f"{case['vendor']}.toml").read_text(encoding="utf-8")
    assert case["old"] in text, f"{case['name']}: the text to edit is no longer in {case['vendor']}.toml"
    with pytest.raises(PolicyFileError) as raised:
        load_policy_text(text.replace(case["old"], case["new"], 1), f"drafts/{case['vendor']}.toml")
    message = str(raised.value)
    assert message.startswith(f"drafts/{case['vendor']}.toml: ")
    assert "\n" not in message
    for part in case["says"]:
        assert part in message


def test_every_key_the_loader_accepts_is_documented() -> None:
    from refundlib.policy_keys import TABLE_KEYS

    doc = (Path(__file__).parents[1] / "docs" / "policy-format.md").read_text(encoding="utf-8")
    spans = re.findall(r"`([^`]+)`", doc)  # `key`, `[[rules]]`, `{test, says, cites}`
    words = {word for span in spans for word in re.findall(r"[a-z_]+", span)}
    missing = sorted({key for keys in TABLE_KEYS.values() for key in keys} - words)
    assert not missing, f"docs/policy-format.md does not describe: {missing}"
