from django.urls import path  # noqa: F401 - pages are added by the members issue

app_name = "members"

urlpatterns: list = []
