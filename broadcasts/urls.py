from django.urls import path

from broadcasts import views

app_name = "broadcasts"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("announcements/", views.AnnouncementListView.as_view(), name="announcement_list"),
    path("announcements/new/", views.AnnouncementCreateView.as_view(), name="announcement_create"),
    path(
        "announcements/<int:pk>/",
        views.AnnouncementDetailView.as_view(),
        name="announcement_detail",
    ),
    path(
        "announcements/<int:pk>/approve/", views.announcement_approve, name="announcement_approve"
    ),
    path("announcements/<int:pk>/reject/", views.announcement_reject, name="announcement_reject"),
    path("announcements/<int:pk>/cancel/", views.announcement_cancel, name="announcement_cancel"),
    path("announcements/<int:pk>/air/", views.announcement_air, name="announcement_air"),
    path("routine/<int:pk>/aired/", views.routine_aired, name="routine_aired"),
    path("routine/log/", views.RoutineLogView.as_view(), name="routine_log"),
    path("routine/new/", views.RoutineSlotCreateView.as_view(), name="routine_create"),
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path("templates/new/", views.TemplateFormView.as_view(), name="template_create"),
    path("templates/<int:pk>/", views.TemplateFormView.as_view(), name="template_edit"),
    path("missing/", views.CaseListView.as_view(), name="case_list"),
    path("missing/new/", views.CaseCreateView.as_view(), name="case_create"),
    path("missing/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("missing/<int:pk>/exit/", views.case_watch_exit, name="case_watch_exit"),
    path("missing/<int:pk>/police/", views.case_police_called, name="case_police_called"),
    path("missing/<int:pk>/resolve/", views.case_resolve, name="case_resolve"),
    path("missing/<int:pk>/phone/", views.CaseRevealPhoneView.as_view(), name="case_reveal_phone"),
    path("screens/", views.ScreenListView.as_view(), name="screen_list"),
    path("screens/new/", views.ScreenFormView.as_view(), name="screen_create"),
    path("screens/<int:pk>/", views.ScreenFormView.as_view(), name="screen_edit"),
    path("screens/<int:pk>/rotate/", views.screen_rotate_token, name="screen_rotate_token"),
    path("screens/log/", views.LiveLogView.as_view(), name="live_log"),
    path("messages/", views.MessageListView.as_view(), name="message_list"),
    path("messages/new/", views.MessageCreateView.as_view(), name="message_create"),
    path("messages/<int:pk>/edit/", views.MessageEditView.as_view(), name="message_edit"),
    path(
        "messages/edits/<int:pk>/",
        views.MessageEditDetailView.as_view(),
        name="message_edit_detail",
    ),
    path(
        "messages/edits/<int:pk>/approve/", views.message_edit_approve, name="message_edit_approve"
    ),
    path("messages/edits/<int:pk>/reject/", views.message_edit_reject, name="message_edit_reject"),
    path(
        "messages/edits/<int:pk>/withdraw/",
        views.message_edit_withdraw,
        name="message_edit_withdraw",
    ),
    path("messages/<int:pk>/image/", views.MessageImageView.as_view(), name="message_image"),
    path(
        "messages/edits/<int:pk>/image/",
        views.MessageEditImageView.as_view(),
        name="message_edit_image",
    ),
    path("messages/<int:pk>/approve/", views.message_approve, name="message_approve"),
    path("messages/<int:pk>/reject/", views.message_reject, name="message_reject"),
    path("messages/<int:pk>/withdraw/", views.message_withdraw, name="message_withdraw"),
    path("player/<str:token>/", views.player_page, name="player"),
    path("player/<str:token>/payload.json", views.player_payload_view, name="player_payload"),
    path("player/<str:token>/images/<int:pk>/", views.player_image, name="player_image"),
]
