from django.urls import path

from complaints.faults import views as faults
from complaints.views import actions, calls, cases, handler, summaries

app_name = "complaints"

# One URL per action: `<pk>/<verb>/`, a POST from the detail page, named
# by the view's `url_name`.
ACTION_URLS = [
    ("respond", actions.RespondView),
    ("verify", actions.VerifyView),
    ("callback", actions.CallbackView),
    ("close", actions.CloseView),
    ("assign", actions.AssignView),
    ("status", actions.StatusView),
    ("reopen", actions.ReopenView),
    ("merge", actions.MergeView),
    ("note", actions.NoteView),
    ("compensation", actions.CompensationView),
    ("attach", actions.AttachView),
]
FAULT_ACTION_URLS = [
    ("fix", faults.FaultFixView),
    ("close", faults.FaultCloseView),
    ("send-back", faults.FaultSendBackView),
    ("assign", faults.FaultAssignView),
    ("note", faults.FaultNoteView),
]

urlpatterns = [
    path("", cases.ComplaintListView.as_view(), name="list"),
    path("new/", cases.ComplaintCreateView.as_view(), name="create"),
    path("export/", cases.ComplaintExportView.as_view(), name="export"),
    path("units/", cases.UnitOptionsView.as_view(), name="unit_options"),
    path("<int:pk>/", cases.ComplaintDetailView.as_view(), name="detail"),
    *(
        path(f"<int:pk>/{verb}/", view.as_view(), name=view.url_name.removeprefix("complaints:"))
        for verb, view in ACTION_URLS
    ),
    path(
        "compensations/<int:pk>/approve/",
        actions.CompensationApproveView.as_view(),
        name="compensation_approve",
    ),
    path(
        "compensations/<int:pk>/reject/",
        actions.CompensationRejectView.as_view(),
        name="compensation_reject",
    ),
    path("<int:pk>/reveal-phone/", cases.ComplaintRevealPhoneView.as_view(), name="reveal_phone"),
    path("attachments/<int:pk>/", cases.AttachmentFileView.as_view(), name="attachment_file"),
    path("<int:pk>/slip/", cases.ComplaintSlipView.as_view(), name="slip"),
    path("respond/<str:token>/", handler.HandlerRespondView.as_view(), name="respond"),
    path("faults/", faults.FaultListView.as_view(), name="fault_list"),
    path("faults/new/", faults.FaultCreateView.as_view(), name="fault_create"),
    path("faults/report/", faults.FaultReportView.as_view(), name="fault_report"),
    path("faults/<int:pk>/", faults.FaultDetailView.as_view(), name="fault_detail"),
    *(
        path(
            f"faults/<int:pk>/{verb}/",
            view.as_view(),
            name=view.url_name.removeprefix("complaints:"),
        )
        for verb, view in FAULT_ACTION_URLS
    ),
    path("faults/<int:pk>/photo/", faults.FaultPhotoView.as_view(), name="fault_photo"),
    path("calls/", calls.PhoneCallListView.as_view(), name="calls"),
    path("summaries/", summaries.SummaryListView.as_view(), name="summaries"),
    path("legal-deadlines/", summaries.LegalDeadlineReportView.as_view(), name="legal_report"),
    path("summaries/build/", summaries.SummaryBuildView.as_view(), name="summary_build"),
    path("summaries/<int:pk>/", summaries.SummaryDetailView.as_view(), name="summary"),
]
