"""Issue 16 item 12: no list answers 500, whatever its query string.

Every page of the project's apps that opens without a path parameter (the
lists, their exports, reports and forms) is found through the URL resolver
and opened by each role that can see it, with query strings hypothesis
makes up from the page's own form fields and the parameters views read:
huge and negative numbers, impossible dates, unicode, NUL bytes, repeated
keys. Any 5xx fails. A new list is fuzzed without touching this file."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mallservice.roles import Role

SKIPPED_NAMESPACES = {"admin"}
# Not lists: logging out, switching language, the idle keep-alive (POST
# only) and the health probe (its 503 is by design) take no query parameters.
SKIPPED_NAMES = {
    "logout",
    "set_language",
    "healthz",
    "login",
    "password_change_done",
    "keepalive",
}

# The parameters views read from request.GET (grep GET.get), besides the
# fields of each page's own forms.
COMMON_KEYS = [
    "page",
    "q",
    "mall",
    "month",
    "year",
    "date",
    "day",
    "start",
    "end",
    "state",
    "status",
    "pending",
    "show",
    "call",
    "view",
    "template",
    "police",
    "overdue",
    "over",
    "live",
    "exceptions",
    "format",
    "complaint",
    "received_from",
    "received_to",
    "unit",
    "floor",
]

ODD_VALUES = [
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "2147483648",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "",
    " ",
    "٣",
    "１２",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "275760-09-13",
    "2026-W99",
    "2026-99",
    "12/31/2026",
    "true",
    "on",
    "null",
    "[]",
    "{}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\x00",
    "a\x00b",
    "𠮷野家",
    "\u202e",
    "x" * 3000,
]

values = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.text(max_size=30),
)


def query_strings(keys: list[str]):
    return st.dictionaries(
        st.sampled_from(keys) | st.text(min_size=1, max_size=8),
        st.lists(values, min_size=1, max_size=2),
        max_size=6,
    )


def _routes(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns not in SKIPPED_NAMESPACES:
                yield from _routes(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            # Pages of one record (a path parameter) are not lists, nor are
            # actions that only take a POST.
            view_class = getattr(pattern.callback, "view_class", None)
            if (
                pattern.name in SKIPPED_NAMES
                or "<" in route
                or route.startswith("^")
                or (
                    view_class is not None
                    and (
                        not hasattr(view_class, "get") or "get" not in view_class.http_method_names
                    )
                )
            ):
                continue
            yield "/" + prefix + route


LIST_PATHS = sorted(set(_routes()))
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([A-Za-z_][\w-]*)"')
IGNORED_FIELDS = {"csrfmiddlewaretoken"}


def test_the_walk_finds_the_lists():
    for path in ("/complaints/", "/complaints/calls/", "/mailroom/", "/mailroom/found/"):
        assert path in LIST_PATHS
    assert "/broadcasts/announcements/" in LIST_PATHS and "/reports/" in LIST_PATHS


@pytest.mark.parametrize("path", LIST_PATHS)
def test_no_list_answers_500_to_any_query_string(permission_world, path):
    # given a client for each role that can open the page
    clients: dict[str, Client] = {}
    keys = set(COMMON_KEYS)
    for role in Role:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
        client.force_login(permission_world["users"][role.value])
        response = client.get(path)
        assert response.status_code < 500, f"{path} as {role.value}: {response.status_code}"
        if response.status_code == 200:
            clients[role.value] = client
            if response["Content-Type"].startswith("text/html"):
                keys |= set(FIELD_NAME.findall(response.content.decode())) - IGNORED_FIELDS
    assert clients, f"no role can open {path}"
    roles = sorted(clients)

    # when each asks with a made-up query string, then no 5xx
    @hypothesis_settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(role=st.sampled_from(roles), query=query_strings(sorted(keys)))
    @example(role=roles[-1], query={"page": ["99999999999999999999"]})
    @example(role=roles[0], query={"page": ["9223372036854775807"], "q": ["x"]})
    def ask(role: str, query: dict[str, list[str]]) -> None:
        response = clients[role].get(path, data=query)
        assert response.status_code < 500, f"GET {path} {query!r} as {role}"

    ask()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["99999999999999999999", "9223372036854775807", str(10**4000)])
def test_a_page_past_any_list_is_an_empty_page_that_links_back(raw):
    from mallservice.models import Mall
    from mallservice.pagination import page_of

    page = page_of(Mall.objects.order_by("pk"), raw, 30)
    assert list(page) == [] and not page.has_next()
