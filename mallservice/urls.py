from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mallservice import pages as views
from mallservice.workdays import views as calendar_views

admin.site.site_header = _("mallservice administration")
admin.site.site_title = _("mallservice")
admin.site.index_title = _("Management")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/profile/", views.ProfileView.as_view(), name="profile"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/<int:pk>/name/", views.StaffRenameView.as_view(), name="staff_rename"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("reports/", views.DailyReportListView.as_view(), name="daily_reports"),
    path("reports/build/", views.DailyReportBuildView.as_view(), name="daily_report_build"),
    path("reports/<int:pk>/", views.DailyReportDetailView.as_view(), name="daily_report"),
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path("calendar/year/", calendar_views.CalendarYearView.as_view(), name="calendar_year"),
    path("calendar/hours/", calendar_views.MallDayHoursView.as_view(), name="calendar_hours"),
    path(
        "calendar/hours/<int:pk>/remove/",
        calendar_views.MallDayHoursRemoveView.as_view(),
        name="calendar_hours_remove",
    ),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/keepalive/", views.keepalive, name="keepalive"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "history/<str:app_label>/<str:model_name>/<str:pk>/",
        views.history_panel,
        name="history_panel",
    ),
    path("notifications/", include("mallservice.notifications.urls")),
    # Each app of settings.PROJECT_APPS under its own name.
    *[path(f"{app}/", include(f"{app}.urls")) for app in settings.PROJECT_APPS[1:]],
    path("admin/", admin.site.urls),
]

handler403 = "mallservice.pages.error_403"
# No route serves MEDIA_ROOT, not even in development: every stored file is
# answered by a view that checks the user's mall and role (mallservice/files.py).
