from django.urls import path  # noqa: F401 - pages are added by the broadcasts issue

app_name = "broadcasts"

urlpatterns: list = []
