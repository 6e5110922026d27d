from django.urls import path  # noqa: F401 - pages are added by the complaints issue

app_name = "complaints"

urlpatterns: list = []
