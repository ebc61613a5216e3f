"""The score ledger summed by plan, unit and day (what a unit ranking reads), filled from the ledger."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_person_work_app_accounts'),
        ('plans', '0006_schedule_days'),
        ('scoring', '0001_moved_from_supervision'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitDayPoints',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='发生日期')),
                ('points', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='分值')),
                ('gained', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='加分')),
                ('lost', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='扣分')),
                ('entries', models.IntegerField(verbose_name='计分记录数')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.plan', verbose_name='实施方案')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': '单位每日得分',
                'verbose_name_plural': '单位每日得分',
                'indexes': [models.Index(fields=['plan', 'day'], name='unit_day_points_period')],
                'constraints': [models.UniqueConstraint(fields=('plan', 'unit', 'day'), name='unit_day_points_once')],
            },
        ),
        migrations.RunSQL(
            """
            INSERT INTO scoring_unitdaypoints (plan_id, unit_id, day, points, gained, lost, entries)
            SELECT plan_id, unit_id, occurred_on, SUM(points),
                   SUM(CASE WHEN points > 0 THEN points ELSE 0 END),
                   SUM(CASE WHEN points < 0 THEN points ELSE 0 END),
                   COUNT(*)
            FROM supervision_scoreentry
            GROUP BY plan_id, unit_id, occurred_on
            """,
            migrations.RunSQL.noop,
        ),
    ]
