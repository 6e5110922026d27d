from __future__ import annotations

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
