"""Task pages: list, detail with history, edit, split, workflow steps, reports and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.core import clock
from luoshi.core.access import Action, allowed_actions, get_task_for
from luoshi.core.concurrency import ConflictError
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Unit
from luoshi.plans import actions
from luoshi.plans.forms import ChildTaskForm, CommentForm, NoteForm, ReportForm, TaskForm
from luoshi.plans.health import task_health
from luoshi.plans.history import task_history
from luoshi.plans.models import ACTIVE_STATUSES, Task, TaskStatus
from luoshi.plans.rollup import progress_of
from luoshi.progress.actions import report_progress

PAGE_SIZE = 100


def _error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


@login_required
def task_list(request: AuthedRequest) -> HttpResponse:
    tasks = Task.objects.visible_to(request.user).select_related("lead_unit", "owner", "plan")
    status = request.GET.get("status", "")
    unit = request.GET.get("unit", "")
    text = request.GET.get("q", "").strip()
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    if unit.isdigit():
        tasks = tasks.filter(Q(lead_unit_id=unit) | Q(support_units=unit)).distinct()
    if text:
        tasks = tasks.filter(Q(title__icontains=text) | Q(code__icontains=text))
    if request.GET.get("overdue") == "1":
        tasks = tasks.overdue(clock.today())
    page = list(tasks.order_by("deadline", "id")[:PAGE_SIZE])
    progress = progress_of(t.pk for t in page)
    today = clock.today()
    rows = [
        (t, task_health(status=t.status, start=t.start_date, deadline=t.deadline,
                        progress=progress.get(t.pk, 0.0), today=today))
        for t in page
    ]
    return render(
        request,
        "plans/task_list.html",
        {"rows": rows, "statuses": TaskStatus.choices, "units": Unit.objects.all(),
         "filters": {"status": status, "unit": unit, "q": text, "overdue": request.GET.get("overdue", "")}},
    )


def _detail_context(request: AuthedRequest, task: Task, **forms) -> dict:
    today = clock.today()
    progress = progress_of([task.pk]).get(task.pk, 0.0)
    allowed = allowed_actions(request.user, task)
    return {
        "task": task,
        "allowed": {a.value for a in allowed},
        "can_report": Action.REPORT in allowed and task.status in ACTIVE_STATUSES,
        "health": task_health(status=task.status, start=task.start_date, deadline=task.deadline,
                              progress=progress, today=today),
        "children": task.children.select_related("lead_unit", "owner"),
        "milestones": task.milestones.all(),
        "reports": task.reports.select_related("author", "unit").prefetch_related("evidence")[:50],
        "transitions": task.transitions.select_related("actor"),
        "comments": task.comments.select_related("author"),
        "history": task_history(task),
        "report_form": forms.get("report_form") or ReportForm(),
        "note_form": NoteForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "steps": [
            (name, label) for name, label in STEP_LABELS.items()
            if actions.TRANSITIONS[name][0] in allowed and task.status in actions.TRANSITIONS[name][1]
        ],
    }


STEP_LABELS = {
    "assign": _("交办"),
    "acknowledge": _("签收"),
    "start": _("开始承办"),
    "request_closing": _("申请办结"),
    "sign_off": _("复核通过（销号）"),
    "return": _("退回"),
}


@login_required
def task_detail(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id)
    return render(request, "plans/task_detail.html", _detail_context(request, task))


@login_required
def task_edit(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.EDIT)
    form = TaskForm(request.POST or None, instance=task)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in actions.EDITABLE_FIELDS if name in data}
        try:
            actions.update_task(request.user, task, expected_version=data["version"], changes=changes,
                                support_units=data["support_units"])
        except ConflictError as error:
            conflict = True
            form.add_error(None, str(error))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("任务已保存。"))
            return redirect("task_detail", task_id=task.pk)
    return render(request, "plans/task_edit.html", {"task": task, "form": form}, status=409 if conflict else 200)


@login_required
def task_split(request: AuthedRequest, task_id: int) -> HttpResponse:
    parent = get_task_for(request.user, task_id, Action.SPLIT)
    form = ChildTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = actions.create_task(
                request.user, plan=parent.plan, parent=parent, title=data["title"], kind=data["kind"],
                lead_unit=data["lead_unit"], support_units=data["support_units"], owner=data["owner"],
                start_date=data["start_date"], deadline=data["deadline"], weight=data["weight"],
            )
        except ValidationError as error:
            for field, errs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("已分解出下级任务。"))
            return redirect("task_detail", task_id=child.pk)
    return render(request, "plans/task_split.html", {"task": parent, "form": form})


@login_required
@require_POST
def task_delete(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.DELETE)
    parent_id = task.parent_id
    try:
        actions.delete_task(request.user, task)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("task_detail", task_id=task.pk)
    messages.success(request, _("任务已删除。"))
    return redirect("task_detail", task_id=parent_id) if parent_id else redirect("task_list")


@login_required
@require_POST
def task_step(request: AuthedRequest, task_id: int, step: str) -> HttpResponse:
    if step not in actions.TRANSITIONS:
        return HttpResponse(status=404)
    task = get_task_for(request.user, task_id, actions.TRANSITIONS[step][0])
    form = NoteForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        actions.STEPS[step](request.user, task, note)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("操作成功：%(step)s") % {"step": STEP_LABELS[step]})
    return redirect("task_detail", task_id=task.pk)


@login_required
@require_POST
def task_report(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.REPORT)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_progress(request.user, task, percent=data["percent"], narrative=data["narrative"],
                            problems=data["problems"], files=data["files"])
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("进度已报送。"))
            return redirect("task_detail", task_id=task.pk)
    return render(request, "plans/task_detail.html", _detail_context(request, task, report_form=form), status=400)


@login_required
@require_POST
def task_comment(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.COMMENT)
    form = CommentForm(request.POST)
    if form.is_valid():
        actions.add_comment(request.user, task, form.cleaned_data["body"])
        return redirect("task_detail", task_id=task.pk)
    return render(request, "plans/task_detail.html", _detail_context(request, task, comment_form=form), status=400)
