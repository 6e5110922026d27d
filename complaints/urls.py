from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="list"),
    path("new/", views.ComplaintCreateView.as_view(), name="create"),
    path("export/", views.ComplaintExportView.as_view(), name="export"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal-phone/", views.ComplaintRevealPhoneView.as_view(), name="reveal_phone"),
    path("<int:pk>/slip/", views.ComplaintSlipView.as_view(), name="slip"),
    path("respond/<str:token>/", views.HandlerRespondView.as_view(), name="respond"),
    path("calls/", views.PhoneCallListView.as_view(), name="calls"),
    path("summaries/", views.SummaryListView.as_view(), name="summaries"),
    path("summaries/build/", views.SummaryBuildView.as_view(), name="summary_build"),
    path("summaries/<int:pk>/", views.SummaryDetailView.as_view(), name="summary"),
]
