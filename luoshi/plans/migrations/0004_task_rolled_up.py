"""Task.rolled_up: the stored rolled-up progress (see plans/rollup.py), filled from the facts."""

from django.db import migrations, models
from django.db.models import Case, OuterRef, Subquery, Value, When


def fill(apps, schema_editor) -> None:
    from luoshi.plans.rollup import Facts, bottom_up

    Task = apps.get_model("plans", "Task")
    ProgressReport = apps.get_model("progress", "ProgressReport")
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on", "-id").values("percent")[:1]
    for plan_id in Task.objects.values_list("plan_id", flat=True).distinct():
        rows = (Task.objects.filter(plan_id=plan_id).order_by().annotate(latest=Subquery(latest))
                .values_list("pk", "parent_id", "weight", "status", "latest"))
        figures = bottom_up(Facts(pk, parent, weight, status != "draft", status == "closed", percent)
                            for pk, parent, weight, status, percent in rows)
        changed = [(pk, value) for pk, value in figures.items() if value]
        for start in range(0, len(changed), 500):
            part = changed[start:start + 500]
            Task.objects.filter(pk__in=[pk for pk, _ in part]).update(rolled_up=Case(
                *(When(pk=pk, then=Value(value)) for pk, value in part), output_field=models.FloatField()))


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0003_task_starts_when_assigned"),
        ("progress", "0002_report_lowering_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="rolled_up",
            field=models.FloatField(default=0.0, db_default=0.0, editable=False,
                                    help_text="由进度报送、办结和下级任务汇总得出，随每次变化更新，不可手工填写。",
                                    verbose_name="汇总进度"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
