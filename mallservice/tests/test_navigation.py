from __future__ import annotations

from django.urls import reverse

from mallservice.navigation import flat_links, menu_for


def test_an_app_with_several_pages_is_one_dropdown_named_after_the_app(desk_user, manager_user):
    menu = menu_for(desk_user)
    dropdowns = {str(item["label"]): item for item in menu if "children" in item}
    assert "Members" in dropdowns or "会员" in dropdowns
    # every link is still reachable, and managers also get the admin
    assert all("url" in link for link in flat_links(menu))
    assert not any(str(item["label"]) in ("Administration", "管理后台") for item in menu)
    assert any(link["url"] == "/admin/" for link in flat_links(menu_for(manager_user)))


def test_desk_staff_do_not_see_the_supervisors_dashboard(desk_user, supervisor_user):
    assert "/dashboard/" not in {link["url"] for link in flat_links(menu_for(desk_user))}
    assert "/dashboard/" in {link["url"] for link in flat_links(menu_for(supervisor_user))}


def _menu_bar(client, url: str, language: str) -> str:
    page = client.get(url, headers={"Accept-Language": language}).content.decode()
    return page.split('id="main-nav"')[1].split('role="search"')[0]


def test_the_menu_bar_marks_the_page_it_is_on_in_the_page_language(client, desk_user):
    # given desk staff
    client.force_login(desk_user)
    members, complaints = reverse("members:search"), reverse("complaints:list")
    # when they open the members page in Chinese, then the bar marks it
    bar = _menu_bar(client, members, "zh-hans")
    assert f'active" href="{members}"' in bar and "会员" in bar
    # a bar rendered once is not reused for another page or language
    bar = _menu_bar(client, complaints, "en")
    assert f'active" href="{complaints}"' in bar and f'active" href="{members}"' not in bar
    assert "Members" in bar and "会员" not in bar
    # and a page outside the menu marks nothing
    assert "active" not in _menu_bar(client, reverse("profile"), "zh-hans")
