from django.urls import path

from desk.views import cctv, incidents, passes, returns, walkins

app_name = "desk"

urlpatterns = [
    path("incidents/", incidents.IncidentListView.as_view(), name="incident_list"),
    path("incidents/new/", incidents.IncidentCreateView.as_view(), name="incident_new"),
    path("incidents/<int:pk>/", incidents.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/slip/", incidents.IncidentSlipView.as_view(), name="incident_slip"),
    path(
        "incidents/<int:pk>/follow-up/",
        incidents.IncidentFollowUpView.as_view(),
        name="incident_follow_up",
    ),
    path("incidents/<int:pk>/close/", incidents.IncidentCloseView.as_view(), name="incident_close"),
    path("walk-ins/", walkins.TallyView.as_view(), name="walkins"),
    path("walk-ins/<int:pk>/tally/", walkins.TallyRecordView.as_view(), name="walkin_tally"),
    path("walk-ins/load/", walkins.LoadView.as_view(), name="walkin_load"),
    path("passes/", passes.PassListView.as_view(), name="pass_list"),
    path("passes/new/", passes.PassRequestView.as_view(), name="pass_new"),
    path("passes/check/", passes.PassCheckView.as_view(), name="pass_check"),
    path("passes/<int:pk>/", passes.PassDetailView.as_view(), name="pass_detail"),
    path("passes/<int:pk>/slip/", passes.PassSlipView.as_view(), name="pass_slip"),
    path("passes/<int:pk>/approve/", passes.PassApproveView.as_view(), name="pass_approve"),
    path("passes/<int:pk>/refuse/", passes.PassRefuseView.as_view(), name="pass_refuse"),
    path("passes/<int:pk>/use/", passes.PassUseView.as_view(), name="pass_use"),
    path("returns/", returns.ReturnListView.as_view(), name="return_list"),
    path("returns/new/", returns.ReturnCreateView.as_view(), name="return_new"),
    path("returns/<int:pk>/", returns.ReturnDetailView.as_view(), name="return_detail"),
    path("returns/<int:pk>/slip/", returns.ReturnSlipView.as_view(), name="return_slip"),
    path("returns/<int:pk>/step/", returns.ReturnStepView.as_view(), name="return_step"),
    path("returns/<int:pk>/settle/", returns.ReturnSettleView.as_view(), name="return_settle"),
    path(
        "returns/<int:pk>/complaint/", returns.ReturnEscalateView.as_view(), name="return_escalate"
    ),
    path("returns/<int:pk>/phone/", returns.ReturnRevealPhoneView.as_view(), name="return_phone"),
    path("cctv/", cctv.FootageListView.as_view(), name="footage_list"),
    path("cctv/new/", cctv.FootageRequestView.as_view(), name="footage_new"),
    path("cctv/<int:pk>/", cctv.FootageDetailView.as_view(), name="footage_detail"),
    path("cctv/<int:pk>/slip/", cctv.FootageSlipView.as_view(), name="footage_slip"),
    path("cctv/<int:pk>/approve/", cctv.FootageApproveView.as_view(), name="footage_approve"),
    path("cctv/<int:pk>/refuse/", cctv.FootageRefuseView.as_view(), name="footage_refuse"),
    path("cctv/<int:pk>/viewing/", cctv.FootageViewingView.as_view(), name="footage_viewing"),
    path("cctv/<int:pk>/copy/", cctv.FootageCopyView.as_view(), name="footage_copy"),
    path("cctv/<int:pk>/phone/", cctv.FootageRevealPhoneView.as_view(), name="footage_phone"),
]
