from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/plaintext/", views.plaintext),
    path("bench/db/", views.single_query),
    path("", include("mallservice.urls")),
]
