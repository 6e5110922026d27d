from django.urls import path  # noqa: F401 - pages are added by the mailroom issue

app_name = "mailroom"

urlpatterns: list = []
