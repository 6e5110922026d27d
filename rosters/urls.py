from django.urls import path  # noqa: F401 - pages are added by the rosters issue

app_name = "rosters"

urlpatterns: list = []
