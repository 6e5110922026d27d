from django.urls import path

from desk.views import (
    cctv,
    group_purchases,
    incidents,
    invoices,
    parking,
    passes,
    returns,
    walkins,
)

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
    path("invoices/", invoices.InvoiceListView.as_view(), name="invoice_list"),
    path("invoices/new/", invoices.InvoiceCreateView.as_view(), name="invoice_new"),
    path("invoices/<int:pk>/", invoices.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/slip/", invoices.InvoiceSlipView.as_view(), name="invoice_slip"),
    path("invoices/<int:pk>/issue/", invoices.InvoiceIssueView.as_view(), name="invoice_issue"),
    path("invoices/<int:pk>/email/", invoices.InvoiceEmailView.as_view(), name="invoice_email"),
    path("invoices/<int:pk>/refuse/", invoices.InvoiceRefuseView.as_view(), name="invoice_refuse"),
    path("parking/", parking.ParkingListView.as_view(), name="parking_list"),
    path("parking/new/", parking.ParkingCreateView.as_view(), name="parking_new"),
    path("parking/<int:pk>/", parking.ParkingDetailView.as_view(), name="parking_detail"),
    path("parking/<int:pk>/slip/", parking.ParkingSlipView.as_view(), name="parking_slip"),
    path("parking/<int:pk>/send/", parking.ParkingSendView.as_view(), name="parking_send"),
    path("group-purchases/", group_purchases.GroupListView.as_view(), name="group_list"),
    path("group-purchases/new/", group_purchases.GroupCreateView.as_view(), name="group_new"),
    path("group-purchases/month/", group_purchases.GroupMonthView.as_view(), name="group_month"),
    path(
        "group-purchases/month/export/",
        group_purchases.GroupMonthExportView.as_view(),
        name="group_month_export",
    ),
    path(
        "group-purchases/<int:pk>/", group_purchases.GroupDetailView.as_view(), name="group_detail"
    ),
    path(
        "group-purchases/<int:pk>/slip/", group_purchases.GroupSlipView.as_view(), name="group_slip"
    ),
    path(
        "group-purchases/<int:pk>/phone/",
        group_purchases.GroupPhoneRevealView.as_view(),
        name="group_phone",
    ),
    path(
        "group-purchases/<int:pk>/quote/",
        group_purchases.GroupQuoteView.as_view(),
        name="group_quote",
    ),
    path(
        "group-purchases/<int:pk>/order/",
        group_purchases.GroupOrderView.as_view(),
        name="group_order",
    ),
    path(
        "group-purchases/<int:pk>/deliver/",
        group_purchases.GroupDeliverView.as_view(),
        name="group_deliver",
    ),
    path(
        "group-purchases/<int:pk>/paid/", group_purchases.GroupPaidView.as_view(), name="group_paid"
    ),
    path(
        "group-purchases/<int:pk>/cancel/",
        group_purchases.GroupCancelView.as_view(),
        name="group_cancel",
    ),
]
