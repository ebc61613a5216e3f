"""The import pages: a text (upload or paste, review with its sources highlighted, place, accept), an Excel
任务分解表 (upload, preview with per-cell errors, place, accept), and the record of an import, with its undo."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.core.access import Action, can, get_for, require
from luoshi.core.types import AuthedRequest
from luoshi.documents.actions import (
    Selection,
    accept_proposal,
    can_undo,
    is_proposed_unit,
    matching_plan,
    proposal_years,
    propose,
    propose_task_table,
    undo_import,
)
from luoshi.documents.excel import UnreadableTable
from luoshi.documents.excel_views import excel_preview
from luoshi.documents.extract.reading import MAX_FILE_BYTES, InputRejected, read_bytes
from luoshi.documents.extract.render import COMPARATOR_SIGNS
from luoshi.documents.forms import UploadForm, placement_form
from luoshi.documents.matches import indicator_matches, preselected
from luoshi.documents.models import ImportDraft, ImportKind
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
        form.add_error(None, _("这是 Excel 文件，按任务分解表读取未成功：%(why)s 文本方案请上传 .txt 或 .docx。")
                       % {"why": error})
        return _upload_page(request, form)
    messages.info(request, _("这是 Excel 任务分解表，已转到任务分解表导入。"))
    return redirect("import_review", draft_id=draft.pk)


def _highlighted(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with each item's source marked, so the reviewer sees where it came from."""
    out, pos = [], 0
    for start, end, anchor in sorted(spans):
        if start < pos:
            continue  # overlapping spans: the first one wins
        out.append(escape(text[pos:start]))
        out.append(f'<mark id="src-{anchor}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece of text above is escaped


#: Target kinds as the review page names them.
TARGET_KIND_LABELS = {"absolute": gettext_lazy("绝对值"), "multiple": gettext_lazy("倍数"), "relative": gettext_lazy("相对值"),
                      "increment": gettext_lazy("年增量")}
ROLE_LABELS = {"lead": gettext_lazy("牵头"), "support": gettext_lazy("配合"), "all": gettext_lazy("全体"),
               "counterpart": gettext_lazy("对接"), "mentioned": gettext_lazy("提及")}


def _target_edits(post, proposal: dict) -> dict[str, dict]:
    """The reviewer's corrections to targets, checked: a name, a number, a year or nothing."""
    edits: dict[str, dict] = {}
    for target in proposal["targets"]:
        key = target["id"]
        change: dict = {}
        name = post.get(f"tind-{key}", "").strip()
        if name and name != target["indicator"]:
            change["indicator"] = name[:200]
        value = post.get(f"tval-{key}", "").strip().replace(",", "")
        if value and value != str(target["value"]):
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise ValidationError(_("目标“%(name)s”的数值“%(value)s”不是数字。") % {"name": name or target["indicator"],
                                                                                     "value": value}) from None
            if not number.is_finite():
                raise ValidationError(_("目标“%(name)s”的数值不是有限的数。") % {"name": name or target["indicator"]})
            change["value"] = float(number)
        year = post.get(f"tyear-{key}")
        if year is not None and year.strip() != str(target["year"] or ""):
            year = year.strip()
            if year and not (year.isdecimal() and 1900 <= int(year) <= 2200):
                raise ValidationError(_("目标“%(name)s”的年份“%(year)s”应为四位年份，或留空。")
                                      % {"name": name or target["indicator"], "year": year})
            change["year"] = int(year) if year else None
        if change:
            edits[key] = change
    return edits


def _selection(post, proposal: dict) -> Selection:
    return Selection(
        headings={h["id"] for h in proposal["outline"] if post.get(f"keep-{h['id']}")},
        tasks={t["id"] for t in proposal["tasks"] if post.get(f"keep-{t['id']}")},
        targets={t["id"] for t in proposal["targets"] if post.get(f"keep-{t['id']}")},
        new_units={u["name"] for u in proposal["units"] if post.get(f"unit-{u['name']}")},
        titles={key[6:]: value.strip() for key, value in post.items() if key.startswith("title-") and value.strip()},
        lead_units={key[5:]: int(value) for key, value in post.items()
                    if key.startswith("lead-") and value.isdecimal() and Unit.objects.filter(pk=value).exists()},
        merged={t["id"] for t in proposal["tasks"] if post.get(f"merge-{t['id']}")},
        target_edits=_target_edits(post, proposal),
        indicators={t["id"]: int(post[f"tjoin-{t['id']}"]) for t in proposal["targets"]
                    if post.get(f"tjoin-{t['id']}", "").isdecimal()
                    and Indicator.objects.filter(pk=post[f"tjoin-{t['id']}"]).exists()},
    )


def _review_rows(proposal: dict) -> list[dict]:
    """Headings and the work items under them, in the order of the text, each with its depth."""
    levels = {h["id"]: h["level"] for h in proposal["outline"]}
    rows = [{"kind": "heading", "item": h, "depth": h["level"], "at": h["span"][0]} for h in proposal["outline"]]
    rows += [{"kind": "task", "item": t, "depth": levels.get(t["heading"], 0) + 1, "at": t["span"][0]}
             for t in proposal["tasks"]]
    return sorted(rows, key=lambda row: (row["at"], row["kind"] == "task"))


def _draft_of(request: AuthedRequest, draft_id: int) -> ImportDraft:
    return get_for(ImportDraft, request.user, draft_id)  # its maker's, if they may import


@login_required
def import_review(request: AuthedRequest, draft_id: int) -> HttpResponse:
    draft = _draft_of(request, draft_id)
    if draft.accepted_at:
        return _record_page(request, draft)
    if draft.kind == ImportKind.EXCEL:
        return excel_preview(request, draft)
    proposal = draft.proposal
    form = placement_form(request, proposal.get("title") or draft.source_name.rsplit(".", 1)[0],
                          proposal_years(proposal))
    if request.method == "POST" and form.is_valid():
        try:
            result = accept_proposal(request.user, draft, selection=_selection(request.POST, proposal), **form.where())
        except PermissionDenied:
            form.add_error(None, _("您无权在这里导入任务：新方案和顶层任务由督查室建立，下级任务须在您能分解的任务之下。"))
        except ValidationError as error:
            form.add_error(None, _("导入失败，未保存任何内容：") + "；".join(error.messages))
        else:
            messages.success(request, _("已导入任务 %(t)d 项、新单位 %(u)d 个、指标 %(i)d 个。")
                             % {"t": len(result.tasks), "u": len(result.units), "i": len(result.indicators)})
            for note in result.notes:
                messages.warning(request, note)
            return redirect("import_review", draft_id=draft.pk)
    spans = [(h["span"][0], h["span"][1], h["id"]) for h in proposal["outline"]]
    spans += [(t["span"][0], t["span"][1], t["id"]) for t in proposal["targets"]]
    matches = indicator_matches(proposal["targets"])
    plan_id = form.chosen_plan_id()
    return render(request, "documents/import_review.html", {
        "draft": draft, "proposal": proposal, "form": form, "units": Unit.objects.all(),
        "text": _highlighted(proposal["text"], spans), "rows": _review_rows(proposal),
        "may_create_top_level": can(request.user, Action.CREATE, Task),
        "may_create_units": can(request.user, Action.CREATE, Unit),
        "matched_plan": matching_plan(proposal.get("title") or ""),
        "proposed_units": [dict(u, role_labels=[ROLE_LABELS[role] for role in u["roles"]],
                                proposed=is_proposed_unit(u)) for u in proposal["units"]],
        "targets": [dict(t, sign=COMPARATOR_SIGNS[t["comparator"]], kind_label=TARGET_KIND_LABELS[t["kind"]],
                         matches=matches[t["id"]],
                         joined=preselected(matches[t["id"]], plan_id))
                    for t in proposal["targets"]],
    })


def _record_page(request: AuthedRequest, draft: ImportDraft) -> HttpResponse:
    """What an accepted import created, where it went, and whether it can still be undone."""
    created = draft.created
    first = Task.objects.filter(pk__in=created.get("tasks", [])[:1]).select_related("parent").first()
    return render(request, "documents/import_record.html", {
        "draft": draft, "can_undo": can_undo(draft),
        "counts": {key: len(created.get(key, [])) for key in ("tasks", "units", "indicators", "targets")},
        "new_plan": bool(created.get("plan")),
        "tree_url": f"{reverse('task_list')}?plan={draft.plan_id}" if draft.plan_id else "",
        "first_task": first,
        "under": first.parent if first and first.parent_id not in created.get("tasks", []) else None,
    })


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
        messages.success(request, _("已撤销导入“%(name)s”：它建立的任务、单位、指标和方案都已删除。")
                         % {"name": draft.source_name})
    return redirect("import_review", draft_id=draft.pk)
