from django.urls import path

from complaints import fault_views, views

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="list"),
    path("new/", views.ComplaintCreateView.as_view(), name="create"),
    path("export/", views.ComplaintExportView.as_view(), name="export"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal-phone/", views.ComplaintRevealPhoneView.as_view(), name="reveal_phone"),
    path("attachments/<int:pk>/", views.AttachmentFileView.as_view(), name="attachment_file"),
    path("<int:pk>/slip/", views.ComplaintSlipView.as_view(), name="slip"),
    path("respond/<str:token>/", views.HandlerRespondView.as_view(), name="respond"),
    path("faults/", fault_views.FaultListView.as_view(), name="fault_list"),
    path("faults/new/", fault_views.FaultCreateView.as_view(), name="fault_create"),
    path("faults/report/", fault_views.FaultReportView.as_view(), name="fault_report"),
    path("faults/<int:pk>/", fault_views.FaultDetailView.as_view(), name="fault_detail"),
    path("faults/<int:pk>/photo/", fault_views.FaultPhotoView.as_view(), name="fault_photo"),
    path("calls/", views.PhoneCallListView.as_view(), name="calls"),
    path("summaries/", views.SummaryListView.as_view(), name="summaries"),
    path("summaries/build/", views.SummaryBuildView.as_view(), name="summary_build"),
    path("summaries/<int:pk>/", views.SummaryDetailView.as_view(), name="summary"),
]
