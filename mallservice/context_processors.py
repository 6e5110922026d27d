from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from mallservice.navigation import flat_links, menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    # The menu bar itself is the `{% nav_menu %}` tag (rendered once per
    # role set); pages that list the user's links (home) read these.
    return {
        "nav_links": flat_links(menu_for(request.user)),
        # The page warns before the idle logout and keeps typed drafts.
        "idle_seconds": int(settings.IDLE_TIMEOUT_MINUTES * 60),
    }
