"""The text import pages: upload or paste, review the proposal with its sources highlighted, accept."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.core.access import can_create_top_level_tasks
from luoshi.core.types import AuthedRequest
from luoshi.documents.actions import Selection, accept_proposal, propose
from luoshi.documents.extract.reading import MAX_FILE_BYTES, InputRejected, read_bytes
from luoshi.documents.extract.render import COMPARATOR_SIGNS
from luoshi.documents.forms import AcceptForm, UploadForm
from luoshi.documents.models import ImportDraft
from luoshi.orgs.models import Unit
from luoshi.plans.models import Plan


@login_required
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                if upload.size > MAX_FILE_BYTES:
                    raise InputRejected(_("文件超过 20 MB。"))
                document = read_bytes(upload.read(), upload.name)
            else:
                document = read_bytes(form.cleaned_data["text"].encode("utf-8"), _("粘贴的文本") + ".txt")
        except InputRejected as error:
            form.add_error(None, str(error))
        else:
            draft = propose(request.user, document)
            return redirect("import_review", draft_id=draft.pk)
    drafts = ImportDraft.objects.filter(owner=request.user)[:20]
    return render(request, "documents/import_upload.html", {"form": form, "drafts": drafts})


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
            if year and not (year.isdigit() and 1900 <= int(year) <= 2200):
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
                    if key.startswith("lead-") and value.isdigit() and Unit.objects.filter(pk=value).exists()},
        merged={t["id"] for t in proposal["tasks"] if post.get(f"merge-{t['id']}")},
        target_edits=_target_edits(post, proposal),
    )


def _review_rows(proposal: dict) -> list[dict]:
    """Headings and the work items under them, in the order of the text, each with its depth."""
    levels = {h["id"]: h["level"] for h in proposal["outline"]}
    rows = [{"kind": "heading", "item": h, "depth": h["level"], "at": h["span"][0]} for h in proposal["outline"]]
    rows += [{"kind": "task", "item": t, "depth": levels.get(t["heading"], 0) + 1, "at": t["span"][0]}
             for t in proposal["tasks"]]
    return sorted(rows, key=lambda row: (row["at"], row["kind"] == "task"))


@login_required
def import_review(request: AuthedRequest, draft_id: int) -> HttpResponse:
    draft = ImportDraft.objects.filter(pk=draft_id, owner=request.user).first()
    if draft is None:
        raise Http404("no such proposal")
    proposal = draft.proposal
    form = AcceptForm(request.POST or None, initial={"plan": Plan.objects.first()})  # the newest plan
    if request.method == "POST":
        if draft.accepted_at:
            messages.error(request, _("这份提取结果已经导入过了。"))
        elif form.is_valid():
            try:
                result = accept_proposal(request.user, draft, plan=form.cleaned_data["plan"],
                                         parent=form.cleaned_data["parent"], selection=_selection(request.POST, proposal))
            except PermissionDenied:
                form.add_error(None, _("您无权在这里导入任务：顶层任务由督查室建立，下级任务须在您能分解的任务之下。"))
            except ValidationError as error:
                form.add_error(None, _("导入失败，未保存任何内容：") + "；".join(error.messages))
            else:
                messages.success(request, _("已导入任务 %(t)d 项、新单位 %(u)d 个、指标 %(i)d 个。")
                                 % {"t": len(result.tasks), "u": len(result.units), "i": len(result.indicators)})
                for note in result.notes:
                    messages.warning(request, note)
                first = result.tasks[0] if result.tasks else None
                return redirect("task_detail", task_id=first.pk) if first else redirect("import_upload")
    spans = [(h["span"][0], h["span"][1], h["id"]) for h in proposal["outline"]]
    spans += [(t["span"][0], t["span"][1], t["id"]) for t in proposal["targets"]]
    return render(request, "documents/import_review.html", {
        "draft": draft, "proposal": proposal, "form": form, "units": Unit.objects.all(),
        "text": _highlighted(proposal["text"], spans), "rows": _review_rows(proposal),
        "may_create_top_level": can_create_top_level_tasks(request.user),
        "proposed_units": [dict(u, role_labels=[ROLE_LABELS[role] for role in u["roles"]]) for u in proposal["units"]],
        "targets": [dict(t, sign=COMPARATOR_SIGNS[t["comparator"]], kind_label=TARGET_KIND_LABELS[t["kind"]])
                    for t in proposal["targets"]],
    })
