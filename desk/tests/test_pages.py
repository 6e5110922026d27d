"""Every desk register page labels its controls (screen readers, and the
click target of a label) and answers in Chinese without English left."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from desk.tests.factories import make_incident, make_pass

pytestmark = pytest.mark.django_db


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.label_for: set[str] = set()
        self.depth = 0
        self.controls: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label":
            self.depth += 1
            self.label_for.add(attributes.get("for") or "")
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in {
            "hidden",
            "submit",
        }:
            self.controls.append({**attributes, "_inside": self.depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.depth -= 1

    def unlabelled(self) -> list[dict]:
        return [
            c
            for c in self.controls
            if not c["_inside"] and not c.get("aria-label") and c.get("id") not in self.label_for
        ]


def test_every_page_labels_its_controls(client, supervisor_user, mall, shop):
    incident = make_incident(actor=supervisor_user, mall=mall)
    release = make_pass(actor=supervisor_user, mall=mall, unit=shop)
    client.force_login(supervisor_user)
    urls = [
        reverse("desk:incident_list"),
        reverse("desk:incident_new"),
        incident.get_absolute_url(),
        reverse("desk:walkins"),
        reverse("desk:walkin_load"),
        reverse("desk:pass_list"),
        reverse("desk:pass_new"),
        release.get_absolute_url(),
        f"{reverse('desk:pass_check')}?code={release.code}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        scan = _Controls()
        scan.feed(response.content.decode())
        assert scan.unlabelled() == [], url
