from django.utils.translation import gettext_lazy as _

from complaints.permissions import (
    VIEW_COMPLAINT,
    VIEW_FAULTREPORT,
    VIEW_PHONECALL,
    VIEW_SUMMARY,
)
from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Complaints"), "complaints:list", "exclamation-diamond", VIEW_COMPLAINT),
    MenuEntry(_("Fault reports"), "complaints:fault_list", "tools", VIEW_FAULTREPORT),
    MenuEntry(_("Phone log"), "complaints:calls", "telephone", VIEW_PHONECALL),
    MenuEntry(_("Complaint summaries"), "complaints:summaries", "clipboard-data", VIEW_SUMMARY),
    MenuEntry(_("Legal deadlines"), "complaints:legal_report", "hourglass-split", VIEW_SUMMARY),
]
