"""The score ledger summed by plan, unit and month (what a ranking over whole months reads), filled from
the daily sums."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import TruncMonth


def fill(apps, schema_editor):
    days, months = apps.get_model("scoring", "UnitDayPoints"), apps.get_model("scoring", "UnitMonthPoints")
    sums = (
        days.objects.annotate(month=TruncMonth("day"))
        .values("plan_id", "unit_id", "month")
        .annotate(p=Sum("points"), g=Sum("gained"), lo=Sum("lost"), n=Sum("entries"))
        .order_by()
    )
    months.objects.bulk_create(
        (
            months(
                plan_id=row["plan_id"],
                unit_id=row["unit_id"],
                month=row["month"],
                points=row["p"],
                gained=row["g"],
                lost=row["lo"],
                entries=row["n"],
            )
            for row in sums.iterator()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_person_work_app_accounts'),
        ('plans', '0006_schedule_days'),
        ('scoring', '0002_unit_day_points'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitMonthPoints',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('points', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='分值')),
                ('gained', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='加分')),
                ('lost', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='扣分')),
                ('entries', models.IntegerField(verbose_name='计分记录数')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.plan', verbose_name='实施方案')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': '单位每月得分',
                'verbose_name_plural': '单位每月得分',
                'indexes': [models.Index(fields=['plan', 'month'], name='unit_month_points_period')],
                'constraints': [models.UniqueConstraint(fields=('plan', 'unit', 'month'), name='unit_month_points_once')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
