"""Task.rolled_up: the stored rolled-up progress (see plans/rollup.py), filled from the facts."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


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
        with schema_editor.connection.cursor() as cursor:  # one statement, sent many times (pipelined by psycopg)
            cursor.executemany(f"UPDATE {Task._meta.db_table} SET rolled_up = %s WHERE id = %s",
                               [(value, pk) for pk, value in figures.items() if value])


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
