from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(
        _("Complaints"), "complaints:list", "exclamation-diamond", "complaints.view_complaint"
    ),
    MenuEntry(_("Fault reports"), "complaints:fault_list", "tools", "complaints.view_faultreport"),
    MenuEntry(_("Phone log"), "complaints:calls", "telephone", "complaints.view_phonecall"),
    MenuEntry(
        _("Complaint summaries"),
        "complaints:summaries",
        "clipboard-data",
        "complaints.view_summary",
    ),
]
