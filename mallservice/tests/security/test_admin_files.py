"""Stored files in the admin: no link to the public media URL (there is
none), no upload past `upload_check`; the file is served by the admin's
own view through its mall-scoped queryset."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mailroom.tests.factories import make_found_item
from mallservice.roles import Role
from mallservice.tests.factories import image_upload, make_staff


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def found(desk_user, mall):
    return make_found_item(actor=desk_user, mall=mall, photo=image_upload("p.jpg", fmt="JPEG"))


def test_the_admin_links_a_photo_to_its_scoped_file_view_and_serves_it(client, manager_user, found):
    # given a manager on the found item's admin page
    client.force_login(manager_user)
    page = client.get(reverse("admin:mailroom_founditem_change", args=[found.pk]))
    html = page.content.decode()
    file_url = reverse("admin:mailroom_founditem_file", args=[found.pk, "photo"])
    # then the photo links to the admin's file view, never to /media/
    assert file_url in html
    assert "/media/" not in html
    # and no file input stores an upload past the checks
    assert 'type="file"' not in html
    # when they open it, it is the photo with the safe headers
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_malls_manager_gets_404_for_the_file(client, other_mall, found):
    outsider = make_staff(role=Role.MANAGER, mall=other_mall, username="outsider")
    client.force_login(outsider)
    url = reverse("admin:mailroom_founditem_file", args=[found.pk, "photo"])
    assert client.get(url).status_code == 404


def test_a_field_that_is_not_a_file_is_404(client, manager_user, found):
    client.force_login(manager_user)
    url = reverse("admin:mailroom_founditem_file", args=[found.pk, "description"])
    assert client.get(url).status_code == 404


def test_desk_staff_outside_the_admin_are_sent_to_log_in(client, desk_user, found):
    client.force_login(desk_user)
    url = reverse("admin:mailroom_founditem_file", args=[found.pk, "photo"])
    assert client.get(url).status_code == 302
