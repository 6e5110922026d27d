from django.urls import path

from rosters import meal_views, views

app_name = "rosters"

urlpatterns = [
    path("", views.MyScheduleView.as_view(), name="my"),
    path("week/", views.WeekView.as_view(), name="week"),
    path("week/<str:action>/", views.WeekActionView.as_view(), name="week_action"),
    path("weeks/<int:pk>/print/", views.WeekPrintView.as_view(), name="week_print"),
    path("swaps/", views.SwapListView.as_view(), name="swaps"),
    path("swaps/<int:pk>/<str:action>/", views.SwapActionView.as_view(), name="swap_action"),
    path("leave/", views.LeaveListView.as_view(), name="leave"),
    path("leave/<int:pk>/sick-note/", views.SickNoteView.as_view(), name="sick_note"),
    path("leave/<int:pk>/<str:action>/", views.LeaveActionView.as_view(), name="leave_action"),
    path("clock/", views.ClockView.as_view(), name="clock"),
    path("clock/pin/", views.PinClockView.as_view(), name="clock_pin"),
    path("clock/set-pin/", views.PinSetView.as_view(), name="pin_set"),
    path("attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("report/", views.MonthlyReportView.as_view(), name="report"),
    path("report/export/", views.MonthlyReportExportView.as_view(), name="report_export"),
    path("off-post/", views.OffPostView.as_view(), name="offpost"),
    path("off-post/flags/", views.OffPostFlagsView.as_view(), name="offpost_flags"),
    path("off-post/<int:pk>/back/", views.OffPostBackView.as_view(), name="offpost_back"),
    path("inspections/", views.InspectionView.as_view(), name="inspections"),
    path("training/", views.TrainingView.as_view(), name="training"),
    path("handovers/", views.HandoverListView.as_view(), name="handovers"),
    path("handovers/<int:pk>/", views.HandoverDetailView.as_view(), name="handover"),
    path(
        "handovers/<int:pk>/acknowledge/",
        views.HandoverAcknowledgeView.as_view(),
        name="handover_acknowledge",
    ),
    path("supplies/", views.SupplyListView.as_view(), name="supplies"),
    path("supplies/usage/", views.SupplyUsageView.as_view(), name="supply_usage"),
    path("supplies/<int:pk>/<str:action>/", views.SupplyActionView.as_view(), name="supply_action"),
    path("meals/", meal_views.MealOrderView.as_view(), name="meals"),
    path("meals/list/", meal_views.MealListView.as_view(), name="meal_list"),
    path("meals/list/print/", meal_views.MealPrintView.as_view(), name="meal_print"),
    path("meals/list/send/", meal_views.MealSendView.as_view(), name="meal_send"),
    path("meals/counts/", meal_views.MealCountsView.as_view(), name="meal_counts"),
    path("meals/counts/export/", meal_views.MealCountsExportView.as_view(), name="meal_export"),
    path(
        "meals/changes/<int:pk>/<str:action>/",
        meal_views.MealChangeActionView.as_view(),
        name="meal_change_action",
    ),
]
