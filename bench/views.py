"""The per-request ceiling: the same middleware, settings and gunicorn as
the product, with the least possible work (TechEmpower-style)."""

import random

from django.http import HttpRequest, HttpResponse, JsonResponse

from mallservice.models import Unit


def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


def single_query(request: HttpRequest) -> JsonResponse:
    # One primary-key query on a populated table, as an authenticated page
    # would do after its session and user lookups.
    ids = getattr(single_query, "_ids", None)
    if ids is None:
        ids = single_query._ids = list(Unit.objects.values_list("pk", flat=True))
    unit = Unit.objects.only("id", "name", "code").get(pk=random.choice(ids))
    return JsonResponse({"id": unit.pk, "name": unit.name, "code": unit.code})
