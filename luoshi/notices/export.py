"""A 督办单 as .docx and .pdf, in the official layout the bulletins use (`luoshi.bulletins.export`)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.bulletins.export import OfficialDocument, Section, official_docx, official_pdf
from luoshi.core.text import chinese_date
from luoshi.notices.models import Severity, SupervisionNotice
from luoshi.plans.models import TaskStatus

#: The mark's colour per severity (blue, amber, red as printed).
SEVERITY_COLOUR = {Severity.BLUE: "1F4E9E", Severity.YELLOW: "C98A00", Severity.RED: "C00000"}


def notice_document(notice: SupervisionNotice) -> OfficialDocument:
    """What the 督办单 says, in order: the matter, the reason, what is asked, and the answer once given."""
    task = notice.task
    facts = {
        "plan": task.plan.title,
        "task": f"{task.code} {task.title}".strip(),
        "deadline": chinese_date(task.deadline),
        "owner": task.owner.display_name if task.owner else _("未指定"),
        "status": TaskStatus(task.status).label,
    }
    sections = [
        Section(
            _("一、督办事项"),
            [
                _(
                    "《%(plan)s》确定由你单位牵头的“%(task)s”，完成时限为%(deadline)s，责任人%(owner)s，"
                    "目前状态为“%(status)s”。"
                )
                % facts,
            ],
        ),
        Section(_("二、督办事由"), [p for p in notice.reason.splitlines() if p.strip()]),
        Section(
            _("三、办理要求"),
            [
                _(
                    "请你单位高度重视，抓紧推进落实，并于%(date)s前将办理情况（附佐证材料）通过落实系统书面答复%(issuer)s。"
                    "逾期未答复的，将在定期通报中予以说明。"
                )
                % {"date": chinese_date(notice.reply_by), "issuer": notice.issuer_name},
            ],
        ),
    ]
    answered_on, answerer = notice.answered_on, notice.answered_by
    if answered_on is not None and answerer is not None:
        sections.append(
            Section(
                _("四、答复情况"),
                [
                    *(p for p in notice.reply.splitlines() if p.strip()),
                    _("（%(who)s于%(date)s答复，%(state)s。）")
                    % {
                        "who": answerer.display_name,
                        "date": chinese_date(answered_on),
                        "state": notice.answer_state(answered_on).label,
                    },
                ],
            )
        )
    return OfficialDocument(
        masthead=_("督办单"),
        number=notice.document_number,
        title=_("关于“%(task)s”的督办通知") % {"task": task.title},
        addressee=_("%(unit)s：") % {"unit": notice.lead_unit.name},
        sections=sections,
        issuer=notice.issuer_name,
        date=chinese_date(timezone.localdate(notice.issued_at)),
        mark=(str(notice.get_severity_display()), SEVERITY_COLOUR[Severity(notice.severity)]),
    )


FORMATS = {
    "docx": (official_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (official_pdf, "application/pdf"),
}
