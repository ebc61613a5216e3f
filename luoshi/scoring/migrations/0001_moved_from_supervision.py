"""The scoring rules and the score ledger move here from supervision: the tables stay as they are (each model keeps its `db_table`), so
only Django's picture of the models changes (state only); supervision 0007 forgets them there."""

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('supervision', '0006_scored_task'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('orgs', '0002_person_work_app_accounts'),
        ('plans', '0005_task_plan_status_closed_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalScoringRule',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('on_time_points', models.DecimalField(decimal_places=2, default=Decimal('5'), help_text='在完成时限前（含当天）申请办结并通过复核。', max_digits=6, verbose_name='按时办结加分')),
                        ('early_points_per_day', models.DecimalField(decimal_places=2, default=Decimal('0.5'), max_digits=6, verbose_name='提前办结每工作日加分')),
                        ('early_points_cap', models.DecimalField(decimal_places=2, default=Decimal('5'), max_digits=6, verbose_name='提前办结加分上限')),
                        ('overdue_points_per_day', models.DecimalField(decimal_places=2, default=Decimal('1'), max_digits=6, verbose_name='逾期每工作日扣分')),
                        ('returned_points', models.DecimalField(decimal_places=2, default=Decimal('2'), max_digits=6, verbose_name='办结申请被退回扣分')),
                        ('missed_report_points', models.DecimalField(decimal_places=2, default=Decimal('1'), max_digits=6, verbose_name='未按时报送扣分')),
                        ('report_every_days', models.PositiveSmallIntegerField(default=10, help_text='连续这么多个工作日没有报送进度，记一次未按时报送。', verbose_name='报送周期（工作日）')),
                        ('target_exceeded_points', models.DecimalField(decimal_places=2, default=Decimal('3'), max_digits=6, verbose_name='指标超额完成加分')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan', verbose_name='实施方案')),
                    ],
                    options={
                        'verbose_name': 'historical 计分规则',
                        'verbose_name_plural': 'historical 计分规则',
                        'db_table': 'supervision_historicalscoringrule',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ScoredTask',
                    fields=[
                        ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='plans.task', verbose_name='任务')),
                        ('through', models.DateField(verbose_name='计分截至')),
                        ('facts', models.CharField(max_length=32, verbose_name='事实指纹')),
                        ('seen', models.CharField(max_length=40, verbose_name='截至当日的记录数')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.plan', verbose_name='实施方案')),
                    ],
                    options={
                        'verbose_name': '任务计分进度',
                        'verbose_name_plural': '任务计分进度',
                        'db_table': 'supervision_scoredtask',
                    },
                ),
                migrations.CreateModel(
                    name='ScoreEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(editable=False, max_length=100, verbose_name='去重键')),
                        ('reason', models.CharField(choices=[('on_time', '按时办结'), ('early', '提前办结'), ('overdue_day', '逾期'), ('returned', '办结申请被退回'), ('missed_report', '未按时报送'), ('target_exceeded', '指标超额完成')], max_length=20, verbose_name='事由')),
                        ('points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='分值')),
                        ('occurred_on', models.DateField(verbose_name='发生日期')),
                        ('note', models.CharField(max_length=300, verbose_name='说明')),
                        ('source_id', models.PositiveBigIntegerField(verbose_name='依据编号')),
                        ('posted_at', models.DateTimeField(verbose_name='记账时间')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='score_entries', to=settings.AUTH_USER_MODEL, verbose_name='责任人')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='score_entries', to='plans.plan', verbose_name='实施方案')),
                        ('source_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='依据类型')),
                        ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='score_entries', to='plans.task', verbose_name='任务')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='score_entries', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '计分记录',
                        'verbose_name_plural': '计分记录',
                        'db_table': 'supervision_scoreentry',
                        'ordering': ['occurred_on', 'id'],
                        'indexes': [models.Index(fields=['occurred_on', 'unit'], name='score_period_unit'), models.Index(fields=['plan', 'occurred_on'], name='score_plan_period'), models.Index(fields=['source_type', 'source_id'], name='score_source')],
                        'constraints': [models.UniqueConstraint(fields=('key',), name='score_entry_posted_once', violation_error_message='这一事项已经计过分。')],
                    },
                ),
                migrations.CreateModel(
                    name='ScoringRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on_time_points', models.DecimalField(decimal_places=2, default=Decimal('5'), help_text='在完成时限前（含当天）申请办结并通过复核。', max_digits=6, verbose_name='按时办结加分')),
                        ('early_points_per_day', models.DecimalField(decimal_places=2, default=Decimal('0.5'), max_digits=6, verbose_name='提前办结每工作日加分')),
                        ('early_points_cap', models.DecimalField(decimal_places=2, default=Decimal('5'), max_digits=6, verbose_name='提前办结加分上限')),
                        ('overdue_points_per_day', models.DecimalField(decimal_places=2, default=Decimal('1'), max_digits=6, verbose_name='逾期每工作日扣分')),
                        ('returned_points', models.DecimalField(decimal_places=2, default=Decimal('2'), max_digits=6, verbose_name='办结申请被退回扣分')),
                        ('missed_report_points', models.DecimalField(decimal_places=2, default=Decimal('1'), max_digits=6, verbose_name='未按时报送扣分')),
                        ('report_every_days', models.PositiveSmallIntegerField(default=10, help_text='连续这么多个工作日没有报送进度，记一次未按时报送。', verbose_name='报送周期（工作日）')),
                        ('target_exceeded_points', models.DecimalField(decimal_places=2, default=Decimal('3'), max_digits=6, verbose_name='指标超额完成加分')),
                        ('plan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='scoring_rule', to='plans.plan', verbose_name='实施方案')),
                    ],
                    options={
                        'verbose_name': '计分规则',
                        'verbose_name_plural': '计分规则',
                        'db_table': 'supervision_scoringrule',
                        'constraints': [models.CheckConstraint(condition=models.Q(('early_points_cap__gte', 0), ('early_points_per_day__gte', 0), ('missed_report_points__gte', 0), ('on_time_points__gte', 0), ('overdue_points_per_day__gte', 0), ('returned_points__gte', 0), ('target_exceeded_points__gte', 0)), name='scoring_rule_amounts_not_negative', violation_error_message='分值一律填正数，扣分项会自动记为负分。'), models.CheckConstraint(condition=models.Q(('report_every_days__gte', 1)), name='scoring_rule_report_cycle_positive', violation_error_message='报送周期至少 1 个工作日。')],
                    },
                ),
            ],
        ),
    ]
