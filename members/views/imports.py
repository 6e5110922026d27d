"""Importing the paper VIP register: upload, the preview's progress and
errors, the commit, and the error report."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import View

from mallservice.exports import csv_response
from mallservice.net import client_ip
from mallservice.pagination import page_of
from mallservice.selectors import request_mall
from mallservice.services import sensitive_access_log
from mallservice.views import DeskView, ServiceActionView, ServiceFormView
from members import forms, imports, selectors
from members.models import MemberImport
from members.permissions import ADD_MEMBERIMPORT, VIEW_MEMBERIMPORT
from members.services.imports import member_import_commit, member_import_upload


class ImportListView(ServiceFormView):
    permission_required = ADD_MEMBERIMPORT
    template_name = "members/import_list.html"
    form_class = forms.ImportUploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = page_of(
            selectors.member_import_list(user=self.request.user).order_by("-created_at"),
            self.request.GET.get("page"),
            20,
        )
        return context

    def perform(self, form) -> HttpResponse:
        mall = request_mall(self.request.user)
        if mall is None:
            raise Http404
        upload = form.cleaned_data["file"]
        record = member_import_upload(
            actor=self.request.user, mall=mall, filename=upload.name, content=upload.read()
        )
        return redirect("members:import_detail", pk=record.pk)


class ImportDetailView(DeskView, View):
    permission_required = VIEW_MEMBERIMPORT

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(selectors.member_import_list(user=request.user), pk=pk)
        errors = [
            {**e, "messages": [imports.error_message(c) for c in e.get("codes", [])]}
            for e in record.errors[:200]
        ]
        template = (
            "members/_import_progress.html"
            if request.headers.get("HX-Request")
            else "members/import_detail.html"
        )
        return render(
            request,
            template,
            {
                "record": record,
                "errors": errors,
                "running": record.status
                in (
                    MemberImport.Status.UPLOADED,
                    MemberImport.Status.CHECKING,
                    MemberImport.Status.IMPORTING,
                ),
            },
        )


class ImportCommitView(ServiceActionView):
    """ "Import the valid rows" of a checked import (the insert runs in Celery)."""

    permission_required = VIEW_MEMBERIMPORT
    success_message = gettext_lazy("The valid rows are being imported.")

    def get_queryset(self):
        return selectors.member_import_list(user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("members:import_detail", args=[self.object.pk])

    def perform(self, obj: MemberImport, data: dict[str, Any]) -> None:
        member_import_commit(actor=self.request.user, record=obj)
        return None


class ImportErrorsView(DeskView, View):
    permission_required = VIEW_MEMBERIMPORT

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(selectors.member_import_list(user=request.user), pk=pk)
        # The report lists the rows' full mobile numbers: every download is
        # logged like an export.
        sensitive_access_log(
            actor=request.user,
            kind="export",
            obj=record,
            field="errors",
            mall=record.mall,
            detail={"what": "members.import_errors", "rows": len(record.errors)},
            ip=client_ip(request),
        )
        return csv_response(
            filename=f"import-{record.pk}-errors.csv", rows=imports.error_report_rows(record)
        )
