from django.urls import path

from broadcasts.views import (
    announcements,
    missing,
    player,
    queue,
    screen_messages,
    screens,
    scripts,
)

app_name = "broadcasts"

urlpatterns = [
    path("", queue.QueueView.as_view(), name="queue"),
    # ad-hoc announcements: one URL per action
    path("announcements/", announcements.AnnouncementListView.as_view(), name="announcement_list"),
    path(
        "announcements/new/",
        announcements.AnnouncementCreateView.as_view(),
        name="announcement_create",
    ),
    path(
        "announcements/<int:pk>/",
        announcements.AnnouncementDetailView.as_view(),
        name="announcement_detail",
    ),
    path(
        "announcements/<int:pk>/approve/",
        announcements.AnnouncementApproveView.as_view(),
        name="announcement_approve",
    ),
    path(
        "announcements/<int:pk>/reject/",
        announcements.AnnouncementRejectView.as_view(),
        name="announcement_reject",
    ),
    path(
        "announcements/<int:pk>/cancel/",
        announcements.AnnouncementCancelView.as_view(),
        name="announcement_cancel",
    ),
    path(
        "announcements/<int:pk>/air/",
        announcements.AnnouncementAirView.as_view(),
        name="announcement_air",
    ),
    # the routine schedule and script templates
    path("routine/<int:pk>/aired/", queue.RoutineAiredView.as_view(), name="routine_aired"),
    path("routine/log/", queue.RoutineLogView.as_view(), name="routine_log"),
    path("routine/new/", scripts.RoutineSlotCreateView.as_view(), name="routine_create"),
    path("templates/", scripts.TemplateListView.as_view(), name="template_list"),
    path("templates/new/", scripts.TemplateFormView.as_view(), name="template_create"),
    path("templates/<int:pk>/", scripts.TemplateFormView.as_view(), name="template_edit"),
    # missing persons
    path("missing/", missing.CaseListView.as_view(), name="case_list"),
    path("missing/new/", missing.CaseCreateView.as_view(), name="case_create"),
    path("missing/<int:pk>/", missing.CaseDetailView.as_view(), name="case_detail"),
    path("missing/<int:pk>/exit/", missing.CaseWatchExitView.as_view(), name="case_watch_exit"),
    path(
        "missing/<int:pk>/police/",
        missing.CasePoliceCalledView.as_view(),
        name="case_police_called",
    ),
    path("missing/<int:pk>/resolve/", missing.CaseResolveView.as_view(), name="case_resolve"),
    path(
        "missing/<int:pk>/phone/", missing.CaseRevealPhoneView.as_view(), name="case_reveal_phone"
    ),
    # the entrance screens
    path("screens/", screens.ScreenListView.as_view(), name="screen_list"),
    path("screens/new/", screens.ScreenFormView.as_view(), name="screen_create"),
    path("screens/<int:pk>/", screens.ScreenFormView.as_view(), name="screen_edit"),
    path(
        "screens/<int:pk>/rotate/",
        screens.ScreenRotateTokenView.as_view(),
        name="screen_rotate_token",
    ),
    path("screens/log/", screens.LiveLogView.as_view(), name="live_log"),
    # screen messages and changes waiting for approval
    path("messages/", screen_messages.MessageListView.as_view(), name="message_list"),
    path("messages/new/", screen_messages.MessageCreateView.as_view(), name="message_create"),
    path("messages/<int:pk>/edit/", screen_messages.MessageEditView.as_view(), name="message_edit"),
    path(
        "messages/edits/<int:pk>/",
        screen_messages.MessageEditDetailView.as_view(),
        name="message_edit_detail",
    ),
    path(
        "messages/edits/<int:pk>/approve/",
        screen_messages.MessageEditApproveView.as_view(),
        name="message_edit_approve",
    ),
    path(
        "messages/edits/<int:pk>/reject/",
        screen_messages.MessageEditRejectView.as_view(),
        name="message_edit_reject",
    ),
    path(
        "messages/edits/<int:pk>/withdraw/",
        screen_messages.MessageEditWithdrawView.as_view(),
        name="message_edit_withdraw",
    ),
    path(
        "messages/<int:pk>/image/",
        screen_messages.MessageImageView.as_view(),
        name="message_image",
    ),
    path(
        "messages/edits/<int:pk>/image/",
        screen_messages.MessageEditImageView.as_view(),
        name="message_edit_image",
    ),
    path(
        "messages/<int:pk>/approve/",
        screen_messages.MessageApproveView.as_view(),
        name="message_approve",
    ),
    path(
        "messages/<int:pk>/reject/",
        screen_messages.MessageRejectView.as_view(),
        name="message_reject",
    ),
    path(
        "messages/<int:pk>/withdraw/",
        screen_messages.MessageWithdrawView.as_view(),
        name="message_withdraw",
    ),
    # the player (no login: the secret token is the credential)
    path("player/<str:token>/", player.player_page, name="player"),
    path("player/<str:token>/payload.json", player.player_payload_view, name="player_payload"),
    path("player/<str:token>/images/<int:pk>/", player.player_image, name="player_image"),
]
