"""Views: which systems and flows each view selects, and the errors for bad views and ids."""

import pytest
from helpers import inventory

from stackmap.errors import UsageError
from stackmap.analysis.graph import Stack
from stackmap.render.views import select

STACK = """
    capabilities:
      - {id: email-marketing, aliases: [email]}
    systems:
      - {id: crm, name: CRM, owner: sales, roles: [system-of-record], data: [contact]}
      - {id: mailer, name: Mailer, owner: marketing, capabilities: [email], data: [contact]}
      - {id: blaster, name: Blaster, owner: events, capabilities: [email-marketing], data: [contact]}
      - {id: hub, name: Hub, owner: it}
      - {id: cms, name: CMS, owner: marketing, data: [content]}
      - {id: old, name: Old, owner: marketing, lifecycle: retired, data: [contact]}
      - {id: far, name: Far, owner: it}
    flows:
      - {from: crm, to: hub, data: [contact]}
      - {from: hub, to: mailer, data: [contact]}
      - {from: cms, to: mailer, data: [content]}
      - {from: crm, to: old, data: [contact]}
      - {from: far, to: cms, data: [content]}
"""


@pytest.fixture
def stack(tmp_path):
    return Stack(inventory(tmp_path, STACK))


def pairs(view):
    return [(f.from_, f.to) for f in view.flows]


def test_overview_is_every_live_system_and_flow(stack):
    view = select(stack, "overview")
    assert view.systems == ("blaster", "cms", "crm", "far", "hub", "mailer")
    assert pairs(view) == [("cms", "mailer"), ("crm", "hub"), ("far", "cms"), ("hub", "mailer")]


def test_include_retired_adds_retired_systems_and_their_flows(stack):
    view = select(stack, "overview", include_retired=True)
    assert "old" in view.systems
    assert ("crm", "old") in pairs(view)


def test_customer_data_view_keeps_stores_and_the_systems_customer_flows_pass_through(stack):
    view = select(stack, "customer-data")
    assert view.systems == ("blaster", "crm", "hub", "mailer")
    assert pairs(view) == [("crm", "hub"), ("hub", "mailer")]
    assert view.focus == frozenset({"blaster", "crm", "mailer"})
    assert view.customer_only


def test_system_view_depth_one_and_two(stack):
    assert select(stack, "system:hub").systems == ("crm", "hub", "mailer")
    two = select(stack, "system:mailer", depth=2)
    assert two.systems == ("cms", "crm", "far", "hub", "mailer")
    assert select(stack, "system:mailer", depth=0).systems == ("mailer",)


def test_system_view_shows_retired_neighbours_only_when_asked_but_always_the_system_named(stack):
    assert select(stack, "system:crm").systems == ("crm", "hub")
    assert select(stack, "system:crm", include_retired=True).systems == ("crm", "hub", "old")
    assert select(stack, "system:old").systems == ("crm", "old")


def test_capability_view_resolves_aliases_and_puts_providers_side_by_side(stack):
    view = select(stack, "capability:email")
    assert view.name == "capability:email-marketing"
    assert view.side_by_side == ("blaster", "mailer")
    assert view.systems == ("blaster", "cms", "hub", "mailer")
    assert pairs(view) == [("cms", "mailer"), ("hub", "mailer")]


def test_owner_view_has_the_departments_systems_and_flows_in_and_out(stack):
    view = select(stack, "owner:marketing")
    assert view.focus == frozenset({"cms", "mailer"})
    assert view.systems == ("cms", "far", "hub", "mailer")
    assert pairs(view) == [("cms", "mailer"), ("far", "cms"), ("hub", "mailer")]


@pytest.mark.parametrize(("spec", "message"), [
    ("overveiw", "unknown view 'overveiw' (did you mean 'overview'?); valid views: overview, customer-data, "
                 "system:ID, capability:ID, owner:NAME"),
    ("sytem:crm", "unknown view 'sytem:crm' (did you mean 'system:crm'?); valid views:"),
    ("system", "unknown view 'system' (system views name one: system:ID)"),
    ("system:mailr", "no system has the id 'mailr' (did you mean 'mailer'?); systems: blaster, cms, crm, far, "
                     "hub, mailer, old"),
    ("capability:emial", "unknown capability 'emial' (did you mean 'email'?); capabilities: email-marketing"),
    ("owner:sale", "unknown owner 'sale' (did you mean 'sales'?); owners: events, it, marketing, sales"),
])
def test_bad_views_list_valid_choices(stack, spec, message):
    with pytest.raises(UsageError) as error:
        select(stack, spec)
    assert str(error.value).startswith(message)


def test_depth_only_for_system_views(stack):
    with pytest.raises(UsageError, match="--depth applies only to system:ID views"):
        select(stack, "overview", depth=2)
