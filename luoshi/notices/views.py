"""督办单 pages: issuing one from a task (the office), the list, a notice with its answer, its documents."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from luoshi.core import clock, downloads
from luoshi.core.access import Action, can, get_for, get_task_for
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.notices import actions
from luoshi.notices.export import FORMATS, notice_document
from luoshi.notices.forms import AnswerForm, IssueForm
from luoshi.notices.models import AnswerState, Severity, SupervisionNotice
from luoshi.plans.health import healths_of
from luoshi.plans.rollup import progress_of

#: The list shows this many of the latest notices that match.
LIST_SIZE = 200


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, one_line(error))


@login_required
def notice_new(request: AuthedRequest, task_id: int) -> HttpResponse:
    """The 催办 button: the office issues a numbered 督办单 on the task, to its lead unit."""
    task = get_task_for(request.user, task_id)
    if not can(request.user, Action.CREATE, SupervisionNotice(task=task)):
        raise Http404("task not found")  # the 催办 button is not there for anyone but the office
    today = clock.today()
    health = healths_of([task], progress_of([task.pk]), today)[task.pk]
    severity = actions.suggested_severity(task, today)
    reason = _("截至%(date)s，该任务进度%(progress)s%%，序时进度%(expected)s%%，状态为“%(light)s”。") % {
        "date": f"{today.year}年{today.month}月{today.day}日",
        "progress": f"{health.progress:g}",
        "expected": f"{health.expected:g}",
        "light": health.light.label,
    }
    form = IssueForm(
        request.POST or None,
        initial={
            "severity": severity,
            "reason": reason,
            "reply_by": actions.default_reply_by(severity, today),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = actions.issue_notice(request.user, task, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("已签发%(number)s，并发送给牵头单位。") % {"number": notice.document_number}
            )
            return redirect("notice_detail", notice_id=notice.pk)
    return render(
        request,
        "notices/notice_form.html",
        {"task": task, "form": form, "health": health, "reply_days": actions.REPLY_WORKING_DAYS},
    )


class NoticeFilter(forms.Form):
    severity = forms.ChoiceField(
        label=gettext_lazy("督办等级"), choices=[("", "—"), *Severity.choices], required=False
    )
    state = forms.ChoiceField(
        label=gettext_lazy("答复情况"), choices=[("", "—"), *AnswerState.choices], required=False
    )


@login_required
@require_GET
def notice_list(request: AuthedRequest) -> HttpResponse:
    filters = NoticeFilter(request.GET or None)
    notices = SupervisionNotice.objects.visible_to(request.user).select_related("task", "lead_unit")
    data = filters.cleaned_data if filters.is_valid() else {}
    if data.get("severity"):
        notices = notices.filter(severity=data["severity"])
    today = clock.today()
    rows = [(notice, notice.answer_state(today)) for notice in notices[:LIST_SIZE]]
    if data.get("state"):
        rows = [(notice, state) for notice, state in rows if state == data["state"]]
    return render(request, "notices/notice_list.html", {"rows": rows, "filters": filters})


def _notice(person, notice_id: int) -> SupervisionNotice:
    return get_for(
        SupervisionNotice,
        person,
        notice_id,
        rows=SupervisionNotice.objects.select_related(
            "task", "task__plan", "task__owner", "lead_unit", "issued_by", "answered_by"
        ),
    )


@login_required
@require_GET
def notice_detail(request: AuthedRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request.user, notice_id)
    may_answer = notice.answered_at is None and can(request.user, Action.ANSWER, notice)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "state": notice.answer_state(clock.today()),
            "document": notice_document(notice),
            "form": AnswerForm() if may_answer else None,
        },
    )


@login_required
@require_POST
def notice_answer(request: AuthedRequest, notice_id: int) -> HttpResponse:
    """Only the lead unit answers; to anyone else the notice is not there."""
    notice = _notice(request.user, notice_id)
    if not can(request.user, Action.ANSWER, notice):
        raise Http404("notice not found")  # to anyone but the lead unit, there is nothing to answer
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.answer_notice(request.user, notice, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("已答复%(number)s。") % {"number": notice.document_number})
            return redirect("notice_detail", notice_id=notice.pk)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "state": notice.answer_state(clock.today()),
            "document": notice_document(notice),
            "form": form,
        },
        status=400,
    )


@login_required
@require_GET
def notice_download(request: AuthedRequest, notice_id: int, fmt: str) -> HttpResponse:
    notice = _notice(request.user, notice_id)
    return downloads.document(FORMATS, fmt, notice_document(notice), notice.document_number)


@login_required
@require_GET
def notice_evidence(request: AuthedRequest, notice_id: int) -> FileResponse:
    notice = _notice(request.user, notice_id)
    return downloads.stored_file(notice.evidence, notice.evidence_name)
