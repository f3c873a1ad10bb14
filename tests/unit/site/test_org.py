"""handbook/site/org.py: the organisation's details (extra.handbook.org) are checked and the example values found."""

from __future__ import annotations

import pytest

from handbook.site import org
from tests.helpers import ORG

GOOD = ORG


def test_a_complete_setting_is_accepted_and_has_no_placeholders():
    assert org.check_org(GOOD) is GOOD
    assert org.placeholders(GOOD) == []


@pytest.mark.parametrize(("change", "message"), [
    ({"contact": "hiring at acme"}, "extra.handbook.org.contact: must be an email address, got 'hiring at acme'"),
    ({"editor": " "}, "extra.handbook.org.editor: must be a non-empty text"),
    ({"teams": "x"}, "extra.handbook.org: unknown key(s) teams (known: company, contact, editor, whiteboard, process)"),
    ({"process": []}, "extra.handbook.org.process: must be a list of steps"),
    ({"process": [{"step": "A", "about": "b"}]}, "extra.handbook.org.process: exactly one step must be this interview"),
    ({"process": [{"step": "A", "about": "b", "this": True, "minutes": "1h"}]},
     "extra.handbook.org.process[0].minutes: must be a whole number of minutes"),
])
def test_each_mistake_is_named_by_its_key(change, message):
    with pytest.raises(org.OrgError) as refused:
        org.check_org({**GOOD, **change})
    assert str(refused.value).startswith(message)


def test_a_setting_that_is_no_mapping_is_refused():
    with pytest.raises(org.OrgError, match="must be a mapping"):
        org.check_org(["company"])


def test_the_shipped_example_values_are_found():
    shipped = {**GOOD, "company": "Example Corp", "contact": "recruiting@example.com"}
    assert org.placeholders(shipped) == ["company", "contact"]
