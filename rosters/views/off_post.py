"""The off-post log (离岗登记): leaving and coming back, who is at the post
now, and the supervisor's live panel of absences past the limit."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mallservice.views import MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.forms import OffPostForm
from rosters.selectors.attendance import at_post_now
from rosters.selectors.off_post import off_post_list
from rosters.selectors.roster import post_list, staff_of_mall
from rosters.services.off_post import off_post_return, off_post_start
from rosters.views.common import RecordActionView, RosterPage, mall_url


class OffPostView(MallScopedMixin, ServiceFormView):
    permission_required = perms.ADD_OFFPOSTRECORD
    template_name = "rosters/offpost.html"
    form_class = OffPostForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            posts=post_list(user=self.request.user, mall=self.mall),
            colleagues=staff_of_mall(self.mall).exclude(pk=self.request.user.pk),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        records = off_post_list(user=user).filter(mall=self.mall)
        context["open_record"] = records.filter(staff=user, back_at__isnull=True).first()
        context["records"] = records[:50]
        context["now"] = timezone.now()
        context["flagged"] = records.filter(back_at__isnull=True, flagged_at__isnull=False)
        context["at_post"] = at_post_now(user=user, mall=self.mall)
        return context

    def perform(self, form):
        off_post_start(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Off post recorded."))
        return redirect(mall_url("rosters:offpost", self.mall))


class OffPostFlagsView(RosterPage):
    """The live panel the supervisor's page polls (HTMX every 30 s)."""

    permission_required = perms.VIEW_OFFPOSTRECORD
    template_name = "rosters/_offpost_flags.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["flagged"] = off_post_list(user=self.request.user).filter(
            mall=self.mall, back_at__isnull=True, flagged_at__isnull=False
        )
        context["now"] = timezone.now()
        return context


class OffPostBackView(RecordActionView):
    permission_required = perms.ADD_OFFPOSTRECORD
    list_url_name = "rosters:offpost"
    success_message = gettext_lazy("Back on post.")

    def get_queryset(self):
        return off_post_list(user=self.request.user)

    def perform(self, obj, data):
        off_post_return(actor=self.request.user, record=obj)
