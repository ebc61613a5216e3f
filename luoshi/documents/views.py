"""The import pages: a text (upload or paste, review with its sources highlighted, place, accept), an Excel
任务分解表 (upload, preview with per-cell errors, place, accept), and the record of an import, with its undo."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from luoshi.core.access import Action, can, get_for, require
from luoshi.core.types import AuthedRequest
from luoshi.documents.actions import (
    Selection,
    accept_proposal,
    can_undo,
    change_document_year,
    import_steps,
    matching_plan,
    place_to_dict,
    proposal_years,
    propose,
    propose_task_table,
    undo_import,
)
from luoshi.documents.excel import UnreadableTable
from luoshi.documents.excel_views import excel_preview
from luoshi.documents.extract.reading import MAX_FILE_BYTES, InputRejected, read_bytes
from luoshi.documents.extract.render import COMPARATOR_SIGNS
from luoshi.documents.forms import DocumentYearForm, PlacementForm, UploadForm, placement_form
from luoshi.documents.jobs import INLINE_STEPS, NOT_HERE, queue_import, release_stalled
from luoshi.documents.matches import IndicatorMatch, indicator_matches, preselected
from luoshi.documents.models import ImportDraft, ImportKind, ImportState
from luoshi.documents.proposal import ProposedUnit, Target
from luoshi.documents.review_forms import ReviewForms, TargetForm, UnitForm
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit
from luoshi.plans.models import Task

#: What an Excel workbook looks like from its name or its first bytes (a zip holding xl/).
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _is_workbook(name: str, head: bytes) -> bool:
    return name.lower().endswith(EXCEL_SUFFIXES) or (head.startswith(b"PK") and b"xl/" in head[:2000])


@login_required
def import_upload(request: AuthedRequest) -> HttpResponse:
    require(request.user, Action.CREATE, ImportDraft)  # who may not import does not reach the page
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                if upload.size > MAX_FILE_BYTES:
                    raise InputRejected(_("文件超过 20 MB。"))
                data = upload.read()
                if _is_workbook(upload.name, data):
                    return _workbook_dropped(request, form, data, upload.name)
                document = read_bytes(data, upload.name)
            else:
                document = read_bytes(form.cleaned_data["text"].encode("utf-8"), _("粘贴的文本") + ".txt")
        except InputRejected as error:
            form.add_error(None, str(error))
        else:
            draft = propose(request.user, document)
            return redirect("import_review", draft_id=draft.pk)
    return _upload_page(request, form)


def _upload_page(request: AuthedRequest, form: UploadForm) -> HttpResponse:
    drafts = ImportDraft.objects.filter(owner=request.user)[:20]
    return render(request, "documents/import_upload.html", {"form": form, "drafts": drafts})


def _workbook_dropped(request: AuthedRequest, form: UploadForm, data: bytes, name: str) -> HttpResponse:
    """An Excel file dropped on the text page goes to the 任务分解表 path, or says where to go."""
    try:
        draft = propose_task_table(request.user, data, name)
    except UnreadableTable as error:
        form.add_error(
            None,
            _("这是 Excel 文件，按任务分解表读取未成功：%(why)s 文本方案请上传 .txt 或 .docx。")
            % {"why": error},
        )
        return _upload_page(request, form)
    messages.info(request, _("这是 Excel 任务分解表，已转到任务分解表导入。"))
    return redirect("import_review", draft_id=draft.pk)


def _highlighted(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with each item's source marked, so the reviewer sees where it came from."""
    out: list[str] = []
    pos = 0
    for start, end, anchor in sorted(spans):
        if start < pos:
            continue  # overlapping spans: the first one wins
        out.append(escape(text[pos:start]))
        out.append(f'<mark id="src-{anchor}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece of text above is escaped


#: Target kinds as the review page names them.
TARGET_KIND_LABELS = {
    "absolute": gettext_lazy("绝对值"),
    "multiple": gettext_lazy("倍数"),
    "relative": gettext_lazy("相对值"),
    "increment": gettext_lazy("年增量"),
}
ROLE_LABELS = {
    "lead": gettext_lazy("牵头"),
    "support": gettext_lazy("配合"),
    "all": gettext_lazy("全体"),
    "counterpart": gettext_lazy("对接"),
    "mentioned": gettext_lazy("提及"),
}


def _draft_of(request: AuthedRequest, draft_id: int) -> ImportDraft:
    """The draft (its maker's, if they may import); an import whose worker died is failed first, to say so."""
    return release_stalled(get_for(ImportDraft, request.user, draft_id))


@login_required
def import_review(request: AuthedRequest, draft_id: int) -> HttpResponse:
    draft = _draft_of(request, draft_id)
    if draft.accepted_at:
        return _record_page(request, draft)
    if draft.state in (ImportState.QUEUED, ImportState.RUNNING):
        return render(request, "documents/import_running.html", {"draft": draft})
    if draft.kind == ImportKind.EXCEL:
        return excel_preview(request, draft)
    proposal = draft.read_proposal()
    form = placement_form(
        request, proposal.title or draft.source_name.rsplit(".", 1)[0], proposal_years(proposal)
    )
    review = ReviewForms.of(proposal, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not review.is_valid():
            form.add_error(None, _("导入失败，未保存任何内容：") + "；".join(review.error_messages()))
        elif form.is_valid():
            done = _accept(request, draft, form, review.selection())
            if done:
                return done
    spans = [(h.span[0], h.span[1], h.id) for h in proposal.outline]
    spans += [(t.span[0], t.span[1], t.id) for t in proposal.targets]
    matches = indicator_matches(proposal.targets)
    plan_id = form.chosen_plan_id()
    return render(
        request,
        "documents/import_review.html",
        {
            "draft": draft,
            "proposal": proposal,
            "form": form,
            "review": review,
            "units": Unit.objects.all(),
            "year_form": DocumentYearForm(
                initial={"year": proposal.document_date.year if proposal.document_date else None}
            ),
            "failure": draft.failure
            if draft.state == ImportState.FAILED and request.method != "POST"
            else "",
            "text": _highlighted(proposal.text, spans),
            "rows": list(zip(review.rows, review.items.forms, strict=True)),
            "may_create_top_level": can(request.user, Action.CREATE, Task),
            "may_create_units": can(request.user, Action.CREATE, Unit),
            "matched_plan": matching_plan(proposal.title or ""),
            "proposed_units": [
                UnitRow(u, [ROLE_LABELS[role] for role in u.roles], unit_form)
                for u, unit_form in zip(proposal.units, review.units.forms, strict=True)
            ],
            "targets": [
                TargetRow(
                    t,
                    COMPARATOR_SIGNS[t.comparator],
                    TARGET_KIND_LABELS[t.kind],
                    matches[t.id],
                    preselected(matches[t.id], plan_id),
                    target_form,
                )
                for t, target_form in zip(proposal.targets, review.targets.forms, strict=True)
            ],
        },
    )


@dataclass(frozen=True)
class UnitRow:
    unit: ProposedUnit
    role_labels: list[str | Promise]
    form: UnitForm


@dataclass(frozen=True)
class TargetRow:
    target: Target
    sign: str
    kind_label: str | Promise
    matches: list[IndicatorMatch]
    #: The indicator pre-selected to join (in the plan the import goes to, without a conflict).
    joined: Indicator | None
    form: TargetForm


def _accept(
    request: AuthedRequest, draft: ImportDraft, form: PlacementForm, selection: Selection
) -> HttpResponse | None:
    """Import now, or queue a long import for the worker; None (and the form's error) when refused."""
    try:
        steps = import_steps(draft, selection)
        if steps > INLINE_STEPS:
            queue_import(
                request.user,
                draft,
                {"selection": selection.to_dict(), "place": place_to_dict(**form.where())},
                steps,
            )
            return redirect("import_review", draft_id=draft.pk)
        result = accept_proposal(request.user, draft, selection=selection, **form.where())
    except PermissionDenied:
        form.add_error(None, _(NOT_HERE))
    except ValidationError as error:
        form.add_error(None, _("导入失败，未保存任何内容：") + "；".join(error.messages))
    else:
        messages.success(
            request,
            _("已导入任务 %(t)d 项、新单位 %(u)d 个、指标 %(i)d 个。")
            % {"t": len(result.tasks), "u": len(result.units), "i": len(result.indicators)},
        )
        for note in result.notes:
            messages.warning(request, note)
        return redirect("import_review", draft_id=draft.pk)
    return None


@login_required
def import_progress(request: AuthedRequest, draft_id: int) -> HttpResponse:
    """The progress bar of an import running in the worker; once it has ended, the page reloads to say how."""
    draft = _draft_of(request, draft_id)
    if draft.state not in (ImportState.QUEUED, ImportState.RUNNING):
        url = reverse("import_review", args=[draft.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(request, "documents/import_running_progress.html", {"draft": draft})


def _record_page(request: AuthedRequest, draft: ImportDraft) -> HttpResponse:
    """What an accepted import created, where it went, and whether it can still be undone."""
    created = draft.created
    first = Task.objects.filter(pk__in=created.get("tasks", [])[:1]).select_related("parent").first()
    return render(
        request,
        "documents/import_record.html",
        {
            "draft": draft,
            "can_undo": can_undo(draft),
            "counts": {key: len(created.get(key, [])) for key in ("tasks", "units", "indicators", "targets")},
            "new_plan": bool(created.get("plan")),
            "tree_url": f"{reverse('task_list')}?plan={draft.plan_id}" if draft.plan_id else "",
            "first_task": first,
            "under": first.parent if first and first.parent_id not in created.get("tasks", []) else None,
        },
    )


@login_required
@require_POST
def import_year(request: AuthedRequest, draft_id: int) -> HttpResponse:
    """Extract the text again with the year the office gives, when the front matter guessed wrong or found none."""
    draft = _draft_of(request, draft_id)
    form = DocumentYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("import_review", draft_id=draft.pk)
    try:
        change_document_year(request.user, draft, form.cleaned_data["year"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("已按 %(year)d 年重新提取：“今年”“年底前”等按此年份计，之前在本页所做的修改需要重新做。")
            % {"year": form.cleaned_data["year"]},
        )
    return redirect("import_review", draft_id=draft.pk)


@login_required
@require_POST
def import_undo(request: AuthedRequest, draft_id: int) -> HttpResponse:
    draft = _draft_of(request, draft_id)
    try:
        undo_import(request.user, draft)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("您无权撤销这次导入。"))
    else:
        messages.success(
            request,
            _("已撤销导入“%(name)s”：它建立的任务、单位、指标和方案都已删除。") % {"name": draft.source_name},
        )
    return redirect("import_review", draft_id=draft.pk)
