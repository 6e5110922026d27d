"""The player on an entrance screen's PC: no login, the secret token in
its address is the credential."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from broadcasts import selectors
from broadcasts.playlist import player_payload
from mallservice.files import file_response


@require_GET
def player_page(request: HttpRequest, token: str) -> HttpResponse:
    payload = player_payload(token)
    if payload is None:
        raise Http404
    return render(request, "broadcasts/player.html", {"token": token, "screen": payload["screen"]})


@require_GET
def player_image(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A message's image for the player: only with the token of an active
    screen the approved message is placed on."""
    message = get_object_or_404(selectors.player_message_list(token=token), pk=pk)
    return file_response(
        message.image,
        download_name=f"screen-message-{message.pk}",
        cache_control="private, max-age=300",
    )


@never_cache
@require_GET
def player_payload_view(request: HttpRequest, token: str) -> JsonResponse:
    # The player keeps what it shows on any answer but a 200.
    payload = player_payload(token)
    if payload is None:
        raise Http404
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
