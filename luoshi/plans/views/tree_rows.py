"""The task tree's rows as HTML: the first screen, a filtered tree and the children a row expands to.

Written in Python rather than as a template: the tree shows hundreds of rows, and the template engine
took 40 ms for the first screen's 205 (0.2 ms a row, resolving some thirty variables and tags each),
more than the rest of the page together; this takes 5. Each value is escaped as the template escaped it.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luoshi.plans.views.rows import TaskRow

_ID = 987654321  # stands for a task id in a reversed URL


def _url(name: str) -> str:
    """The URL pattern as a format string with {} for the task id."""
    return reverse(name, args=[_ID]).replace(str(_ID), "{}")


def tree_rows_html(rows: list[TaskRow]) -> SafeString:
    """The `<tr>` of each row, in order."""
    detail, children = _url("task_detail"), _url("task_children")
    toggle = escape(_("展开或折叠"))
    expected_label = escape(_("序时进度"))
    out = []
    for r in rows:
        task, health = r.task, r.health
        if not r.has_children:
            twisty = '<span class="twisty"></span>'
        elif r.children_shown:
            twisty = f'<button type="button" class="twisty" data-toggle aria-expanded="true" aria-label="{toggle}"></button>'
        else:
            twisty = (
                f'<button type="button" class="twisty" data-toggle aria-expanded="false" aria-label="{toggle}"'
                f' hx-get="{children.format(task.pk)}" hx-trigger="click once" hx-target="closest tr"'
                ' hx-swap="afterend"></button>'
            )
        code = f'<span class="code">{escape(task.code)}</span>' if task.code else ""
        owner = escape(task.owner.display_name) if task.owner else "—"
        context = ' class="context"' if r.context else ""
        out.append(
            f'\n<tr data-id="{task.pk}" data-parent="{task.parent_id or ""}" data-ancestors="{escape(r.ancestors)}"'
            f"{context}>"
            f'\n  <td class="name" style="--depth: {r.depth}">'
            f"\n    {twisty}"
            f"\n    {code}"
            f'\n    <a href="{detail.format(task.pk)}">{escape(task.title)}</a>'
            "\n  </td>"
            f'\n  <td class="opt nowrap">{escape(r.kind_label)}</td>'
            f'\n  <td class="opt-phone">{escape(task.lead_unit.display_name)}</td>'
            f'\n  <td class="opt">{owner}</td>'
            f'\n  <td class="nowrap">{task.deadline:%Y-%m-%d}</td>'
            f'\n  <td class="opt nowrap">{escape(r.status_label)}</td>'
            f'\n  <td class="nowrap"><span class="bar" title="{expected_label} {health.expected}%">'
            f'<span style="width: {health.progress}%"></span><i style="left: {health.expected}%"></i></span>'
            f" {health.progress}%</td>"
            f'\n  <td><span class="light {health.light!s}" title="{escape(health.why)}">{escape(r.light_label)}</span></td>'
            "\n</tr>"
        )
    return mark_safe("".join(out))  # every value above is escaped, or a number
