"""The plugin's logic without a build: loading policies, placeholders, escaping, nav, labels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import refundlib
from refundlib import words
from refundlib.chart import PointKind
from refundlib.lint import FindingKind
from refundlib.model import Billing, Channel, Destination, NoteKind, Outcome, Topic, TopicSummary
from site_plugins import pages, tables, vendor_page
from site_plugins.placeholders import PlaceholderError, marker, substitute
from site_plugins.plugin import load_policies

POLICY_DIR = Path(refundlib.__file__).parent / "policies"


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (POLICY_DIR / "recatch.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "recatch.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_broken_policy_stops_the_build_naming_file_and_field(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, 'outcome = "full"', 'outcome = "everything"')
    with pytest.raises(PluginError) as error:
        load_policies(lambda: [refundlib.load_policy_file(path)])
    assert str(path) in str(error.value) and 'rules["full-unused"].outcome' in str(error.value)


def test_a_policy_citing_a_missing_clause_stops_the_build(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, 'cites = ["partial-whole"]', 'cites = ["no-such-clause"]')
    with pytest.raises(PluginError, match=r'recatch\.toml: products\["subscription"\]\.cites: .*\'no-such-clause\''):
        load_policies(lambda: [refundlib.load_policy_file(path)])


def test_clause_ids_must_be_usable_as_anchors(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, 'id = "full-window"', 'id = "full window"')
    text = path.read_text(encoding="utf-8").replace('"full-window"', '"full window"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PluginError, match=r'recatch\.toml: clauses\["full window"\]\.id: expected lower-case letters'
                                          r'.*page anchors\); \'full window\' is not'):
        load_policies(lambda: [refundlib.load_policy_file(path)])


def test_note_ids_must_be_usable_as_anchors(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, 'id = "usage-criteria-open"', 'id = "usage criteria open"')
    text = path.read_text(encoding="utf-8").replace('"usage-criteria-open"', '"usage criteria open"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PluginError, match=r'recatch\.toml: notes\["usage criteria open"\]\.id: '
                                          r'expected lower-case letters.*page anchors'):
        load_policies(lambda: [refundlib.load_policy_file(path)])


def test_shipped_policies_load() -> None:
    assert [p.id for p in load_policies()] == refundlib.vendor_ids()


# -- placeholders ------------------------------------------------------------------------------

def test_substitute_replaces_bare_and_paragraph_wrapped_markers() -> None:
    source = f"<h2>A</h2>\n{marker('vendor-glance', 'x')}\n<p>{marker('compare-matrix')}</p>"
    out = substitute(source, lambda kind, arg: f"[{kind}|{arg}]")
    assert out == "<h2>A</h2>\n[vendor-glance|x]\n[compare-matrix|None]"


def test_unknown_placeholder_is_an_error() -> None:
    site = pages.Site(refundlib.all_policies())
    with pytest.raises(PlaceholderError, match="unknown placeholder"):
        site.render("", "no-such-kind", None)
    with pytest.raises(PlaceholderError, match="no policy has the id 'nobody'"):
        site.render("", "vendor-glance", "nobody")


# -- policy text is data, never markup -----------------------------------------------------------------

def hostile_policy() -> refundlib.Policy:
    policy = refundlib.get_policy("recatch")
    topics = (TopicSummary(Topic.FULL_REFUND, "<script>alert(1)</script> & more", ("full-window",)),)
    return dataclasses.replace(policy, name='Evil <img src=x onerror="alert(1)">', sells="<b>bold</b>",
                               source_url="javascript:alert(1)", topics=topics)


def test_policy_data_is_escaped_everywhere() -> None:
    policy = hostile_policy()
    site = pages.Site([policy], vendor_urls={policy.id: "vendors/recatch/"})
    links = site.links("vendors/recatch/")
    rendered = "".join(section(policy, links) for section in site.vendor_sections().values())
    assert "<svg" in rendered and 'class="refund-finding"' in rendered  # the chart and the gap report too
    rendered += "".join(section([policy], site.links("compare/")) for section in site.site_sections().values())
    rendered += tables.compare_matrix([policy], site.links("compare/"))
    rendered += tables.summary_table([policy], site.links(""))
    assert "<script>alert" not in rendered and "<img src=x" not in rendered and "<b>bold" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in rendered
    assert 'href="javascript:' not in rendered and "javascript:alert(1)" in rendered


def test_generated_markdown_carries_no_policy_text() -> None:
    policy = hostile_policy()
    source = vendor_page.markdown(policy)
    assert "<img" not in source and "<b>" not in source
    assert source.startswith("---\ntitle: ")


# -- links with and without directory URLs -----------------------------------------------------------

@pytest.mark.parametrize(("directory_urls", "page", "expected"), [
    (True, "compare/", "../vendors/recatch/#clause-full-window"),
    (True, "", "vendors/recatch/#clause-full-window"),
    (True, "vendors/recatch/", "#clause-full-window"),
    (True, "vendors/kino/", "../recatch/#clause-full-window"),
    (False, "compare.html", "vendors/recatch.html#clause-full-window"),
    (False, "index.html", "vendors/recatch.html#clause-full-window"),
    (False, "vendors/recatch.html", "#clause-full-window"),
])
def test_clause_links(directory_urls: bool, page: str, expected: str) -> None:
    url = "vendors/recatch/" if directory_urls else "vendors/recatch.html"
    site = pages.Site(refundlib.all_policies(), use_directory_urls=directory_urls, vendor_urls={"recatch": url})
    assert site.links(page).clause("recatch", "full-window") == expected


def test_compare_clause_prefix() -> None:
    assert pages.Site([]).links("compare/").clause_prefix() == "../vendors/{vendor}/#clause-"
    site = pages.Site([], use_directory_urls=False)
    assert site.links("compare.html").clause_prefix() == "vendors/{vendor}.html#clause-"


# -- nav and labels ---------------------------------------------------------------------------------

def test_nav_entry_expands_to_one_page_per_vendor() -> None:
    policies = refundlib.all_policies()
    nav = [{"Home": "index.md"}, {"Vendors": "vendors/"}, {"Method": "method.md"}]
    expanded = pages.expand_nav(nav, policies)
    assert expanded[1] == {"Vendors": [{p.name: f"vendors/{p.id}.md"} for p in policies]}
    assert expanded[0] == nav[0] and expanded[2] == nav[2]
    assert pages.expand_nav(nav, policies, len(policies)) == expanded  # up to the limit: every vendor listed


def test_above_the_limit_the_nav_shows_one_page_listing_the_vendors() -> None:
    policies = refundlib.all_policies()
    nav = [{"Home": "index.md"}, {"Vendors": "vendors/"}]
    assert pages.expand_nav(nav, policies, len(policies) - 1) == [{"Home": "index.md"}, {"Vendors": "vendors/index.md"}]
    listing = pages.vendor_index_markdown(policies)
    for policy in policies:
        assert f"[{policy.name}]({policy.id}.md)" in listing


@pytest.mark.parametrize(("labels", "enum"), [
    (words.TOPICS, Topic), (words.NOTE_KINDS, NoteKind), (words.OUTCOMES, Outcome), (words.CHANNELS, Channel),
    (words.BILLING, Billing), (words.DESTINATIONS, Destination), (words.BILLED, Billing),
    (words.FINDING_KINDS, FindingKind), (words.POINT_KINDS, PointKind)])
def test_every_enumeration_value_has_a_label(labels: dict, enum: type) -> None:
    assert set(enum) <= set(labels)
