"""The shipped policy files: they load, their captures are the vendors' texts, and bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

import refundlib
from refundlib.errors import PolicyFileError
from refundlib.loader import load_policy_text

ROOT = Path(__file__).resolve().parents[1]
POLICY_DIR = ROOT / "refundlib" / "policies"
SHARED = ROOT.parent / "shared" / "policies"
RECATCH = (POLICY_DIR / "recatch.toml").read_text(encoding="utf-8")


def test_every_policy_file_ships_as_a_vendor() -> None:
    files = sorted(p.stem for p in POLICY_DIR.glob("*.toml"))
    assert files and refundlib.vendor_ids() == files


SHARED_CAPTURES = sorted(SHARED.glob("*.txt"))


# With no capture found, one case that fails saying so: a missing ground truth is not a pass.
@pytest.mark.parametrize("original", SHARED_CAPTURES or [SHARED / "(no capture found)"], ids=lambda p: p.name)
def test_each_source_capture_is_embedded_byte_for_byte(original: Path) -> None:
    """The captures in ../shared/policies are the ground truth: each is some vendor's capture, unchanged.

    (A vendor added later embeds its own capture, written by `refundlib new` byte for byte.)
    """
    assert original.is_file(), f"{SHARED} holds no captures: the ground truth (../shared/policies) is missing"
    embedding = [p for p in refundlib.all_policies() if p.capture.file == original.name]
    assert embedding, f"no policy file embeds {original.name}"
    for policy in embedding:
        assert policy.capture.text == original.read_text(encoding="utf-8"), policy.id


@pytest.mark.parametrize("policy", refundlib.all_policies(), ids=lambda p: p.id)
def test_every_clause_is_verbatim_in_the_policy_part(policy: refundlib.Policy) -> None:
    body = policy.capture.policy_text
    for clause in policy.clauses:
        assert policy.capture.text[clause.start:clause.end] == clause.text
        assert clause.text in body
    assert len({c.id for c in policy.clauses}) == len(policy.clauses)


@pytest.mark.parametrize("policy", refundlib.all_policies(), ids=lambda p: p.id)
def test_everything_that_decides_cites_clauses(policy: refundlib.Policy) -> None:
    for item in (*policy.rules, *policy.exclusions, *policy.fees, *policy.notes, *policy.topics):
        assert item.cites, item


def test_non_policy_boilerplate_is_outside_the_policy() -> None:
    assert "Agent Instructions" not in refundlib.get_policy("recatch").capture.policy_text
    assert "Want To Know More?" not in refundlib.get_policy("softdukan").capture.policy_text


def test_a_new_vendor_is_one_file(tmp_path: Path) -> None:
    draft = tmp_path / "example-co.toml"
    draft.write_text(RECATCH.replace('id = "recatch"', 'id = "example-co"')
                     .replace('name = "reCatch"', 'name = "Example Co"'),
                     encoding="utf-8")
    policy = refundlib.load_policy_file(draft)
    decision = refundlib.evaluate(policy.id, {
        "product": "subscription", "billing": "annual", "purchased_on": "2026-01-01", "requested_on": "2026-07-01",
        "amount_paid": "800.00", "list_price": "1000.00", "currency": "USD", "facts": {"one_time_copy_used": True},
    }, policy=policy)
    assert (policy.name, str(decision.amount)) == ("Example Co", "300.00")


BROKEN = [
    ("schema = 1", "schema = 2", "schema: expected 1"),
    ('id = "recatch"', 'id = "Re Catch"', "id: expected lower-case"),
    ("text = 'Criteria for determining usage include:'", "text = 'Criteria include many things.'",
     'clauses["usage-criteria"].text: expected a sentence found verbatim'),
    ('cites = ["partial-whole"]', 'cites = ["no-such-clause"]', 'products["subscription"].cites: expected clause ids'),
    ('test = "not workflows_used"', 'test = "not workflow_used"',
     'rules["full-unused"].requires[3].test: expected a bool expression (unknown name \'workflow_used\''),
    ('test = "days_since_purchase <= 7"', 'test = "days_since_purchase <= "',
     'rules["full-unused"].requires["full-window-7-days"].test: expected a bool expression'),
    ('amount = "amount_paid - list_price * used_fraction"', 'amount = "cash_out"',
     'rules["partial-unused-portion"].amount: expected a number expression'),
    ('outcome = "full"', 'outcome = "complete"', 'rules["full-unused"].outcome: expected one of full, partial'),
    ('rate = "0.10"', 'rate = "ten percent"', 'fees["cash-out-fee"].rate: expected a decimal number'),
    ('id = "cash_out"', 'id = "workflows_used"', 'facts["workflows_used"].id: expected an id not used elsewhere'),
    ('applies_to = ["full-unused"]\n[[notes]]\nid = "full-refund',
     'applies_to = ["nothing"]\n[[notes]]\nid = "full-refund',
     'notes["usage-criteria-open"].applies_to: expected ids defined in this file'),
    ("[[products]]", "[[products]", "(syntax): expected valid TOML"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN, ids=[m for _, _, m in BROKEN])
def test_malformed_file_names_file_field_and_expectation(old: str, new: str, message: str) -> None:
    assert old in RECATCH
    with pytest.raises(PolicyFileError) as raised:
        load_policy_text(RECATCH.replace(old, new, 1), "drafts/recatch.toml")
    assert str(raised.value).startswith("drafts/recatch.toml: ")
    assert message in str(raised.value)
