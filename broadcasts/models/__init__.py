"""The broadcast room (播音室): script templates, the routine daily schedule,
ad-hoc announcements with their repeat plan, missing-person cases and the
entrance display screens (大门显示屏). One module per sub-domain; every
model is imported here (Django and the migrations find them as
`broadcasts.models.<Name>`)."""

from broadcasts.models.announcements import Announcement, AnnouncementAiring
from broadcasts.models.missing import ExitWatch, MissingPersonCase
from broadcasts.models.routine import RoutineAiring, RoutineSlot
from broadcasts.models.screens import (
    SCREEN_MESSAGE_CONTENT,
    SCREEN_PRIORITIES,
    WEEKDAYS,
    Screen,
    ScreenLiveRecord,
    ScreenMessage,
    ScreenMessageContent,
    ScreenMessageEdit,
    ScreenPlacement,
    new_screen_token,
)
from broadcasts.models.scripts import (
    KIND_URGENCY,
    KINDS_NEEDING_APPROVAL,
    PLACEHOLDER,
    SCRIPT_FIELDS,
    AnnouncementKind,
    ScriptTemplate,
    render_script,
    template_placeholders,
)
from mallservice import workflow

# Old migrations name this base class.
StateMachine = workflow.StateMachineMixin

__all__ = [
    "KIND_URGENCY",
    "KINDS_NEEDING_APPROVAL",
    "PLACEHOLDER",
    "SCREEN_MESSAGE_CONTENT",
    "SCREEN_PRIORITIES",
    "SCRIPT_FIELDS",
    "WEEKDAYS",
    "Announcement",
    "AnnouncementAiring",
    "AnnouncementKind",
    "ExitWatch",
    "MissingPersonCase",
    "RoutineAiring",
    "RoutineSlot",
    "Screen",
    "ScreenLiveRecord",
    "ScreenMessage",
    "ScreenMessageContent",
    "ScreenMessageEdit",
    "ScreenPlacement",
    "ScriptTemplate",
    "StateMachine",
    "new_screen_token",
    "render_script",
    "template_placeholders",
]
