"""The Excel 任务分解表 pages: upload, a preview of every row with its errors in their cells, place, import."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from luoshi.core.access import Action, require
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.documents.actions import (
    accept_task_table,
    check_task_table,
    place_to_dict,
    propose_task_table,
    table_years,
)
from luoshi.documents.excel import ImportResult, RowError, UnreadableTable
from luoshi.documents.excel.reader import TaskTable, cell_text, read_task_table
from luoshi.documents.forms import ExcelAcceptForm, ExcelUploadForm, placement_form
from luoshi.documents.jobs import INLINE_STEPS, queue_import
from luoshi.documents.models import ImportDraft, ImportKind, ImportState


@login_required
def excel_upload(request: AuthedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, ImportDraft)  # who may not import does not reach the page
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft = propose_task_table(request.user, upload.read(), upload.name)
        except UnreadableTable as error:
            form.add_error("file", str(error))
        else:
            return redirect("import_review", draft_id=draft.pk)
    drafts = ImportDraft.objects.filter(owner=request.user, kind=ImportKind.EXCEL)[:20]
    return render(request, "documents/excel_upload.html", {"form": form, "drafts": drafts})


def _grid(table: TaskTable, errors: list[RowError]) -> tuple[list[str], list[dict], list[RowError]]:
    """The sheet's columns and rows, each cell with the errors found in it; errors of no row apart."""
    columns = sorted(table.columns.values(), key=lambda c: c.index)
    headers = {c.header for c in columns}
    by_cell: dict[tuple[int, str], list[str]] = {}
    for error in errors:
        if error.row:
            by_cell.setdefault((error.row, error.column if error.column in headers else ""), []).append(
                error.message
            )
    rows = [
        {
            "number": row.number,
            "cells": [
                {"text": cell_text(row.value(c.field)), "errors": by_cell.get((row.number, c.header), [])}
                for c in columns
            ],
            "errors": by_cell.get((row.number, ""), []),
        }
        for row in table.rows
    ]
    return [c.header for c in columns], rows, [e for e in errors if not e.row]


def excel_preview(request: AuthedRequest, draft: ImportDraft) -> HttpResponse:
    """Check every row where the office puts it; import all rows or the valid ones, or nothing."""
    data = draft.workbook_bytes()
    form = placement_form(request, draft.source_name.rsplit(".", 1)[0], table_years(data), ExcelAcceptForm)
    result: ImportResult | None = None
    if request.method != "POST" and form.initial.get("placement"):
        form = ExcelAcceptForm(
            {**_as_data(form.initial), "valid_rows_only": "all"}, person=request.user, initial=form.initial
        )  # the defaults, checked straight away
    if form.is_bound and form.is_valid():
        options = {**form.where(), "valid_rows_only": form.cleaned_data["valid_rows_only"]}
        try:
            if request.POST.get("action") == "import" and draft.proposal.get("rows", 0) > INLINE_STEPS:
                queue_import(
                    request.user,
                    draft,
                    {"place": place_to_dict(**form.where()), "valid_rows_only": options["valid_rows_only"]},
                    draft.proposal["rows"],
                )
                return redirect(
                    "import_review", draft_id=draft.pk
                )  # the worker imports it, the page shows how far
            if request.POST.get("action") == "import":
                result = accept_task_table(request.user, draft, **options)
                if result.saved:
                    messages.success(request, result.summary())
                    return redirect("import_review", draft_id=draft.pk)
            else:
                result = check_task_table(request.user, draft, **options)
        except PermissionDenied:
            form.add_error(
                None,
                _("您无权在这里导入任务：新方案和顶层任务由督查室建立，下级任务须在您能分解的任务之下。"),
            )
        except ValidationError as error:
            form.add_error(None, _("导入失败，未保存任何内容：") + one_line(error))
    headers, rows, file_errors = _grid(read_task_table(data), result.errors if result else [])
    return render(
        request,
        "documents/excel_preview.html",
        {
            "draft": draft,
            "form": form,
            "result": result,
            "headers": headers,
            "rows": rows,
            "file_errors": file_errors,
            "warnings": result.warnings if result else [],
            "error_rows": len({e.row for e in result.errors if e.row}) if result else 0,
            "failure": draft.failure
            if draft.state == ImportState.FAILED and request.method != "POST"
            else "",
        },
    )


def _as_data(initial: Mapping[str, Any]) -> dict:
    """Initial values as a form would post them."""
    return {
        key: getattr(value, "pk", None) or (value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in initial.items()
    }
