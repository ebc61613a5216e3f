"""The commitments move here from supervision: the tables stay as they are (each model keeps its `db_table`), so
only Django's picture of the models changes (state only); supervision 0007 forgets them there."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('supervision', '0006_scored_task'),
        ('orgs', '0002_person_work_app_accounts'),
        ('plans', '0005_task_plan_status_closed_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Commitment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('generated_at', models.DateTimeField(verbose_name='生成时间')),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                        ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认人')),
                        ('generated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commitments', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '工作承诺',
                        'verbose_name_plural': '工作承诺',
                        'db_table': 'supervision_commitment',
                        'ordering': ['-year', 'unit__order', 'unit_id'],
                    },
                ),
                migrations.CreateModel(
                    name='CommitmentItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('lead', '牵头'), ('support', '配合')], max_length=10, verbose_name='承担方式')),
                        ('plan_title', models.CharField(max_length=200, verbose_name='实施方案')),
                        ('code', models.CharField(blank=True, max_length=30, verbose_name='序号')),
                        ('title', models.CharField(max_length=300, verbose_name='任务名称')),
                        ('owner_name', models.CharField(blank=True, max_length=50, verbose_name='责任人')),
                        ('start_date', models.DateField(verbose_name='开始日期')),
                        ('deadline', models.DateField(verbose_name='完成时限')),
                        ('order', models.PositiveIntegerField(verbose_name='排序')),
                        ('commitment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='commitments.commitment', verbose_name='工作承诺')),
                        ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitment_items', to='plans.task', verbose_name='任务')),
                    ],
                    options={
                        'verbose_name': '承诺事项',
                        'verbose_name_plural': '承诺事项',
                        'db_table': 'supervision_commitmentitem',
                        'ordering': ['commitment_id', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCommitment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('generated_at', models.DateTimeField(verbose_name='生成时间')),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('acknowledged_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认人')),
                        ('generated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': 'historical 工作承诺',
                        'verbose_name_plural': 'historical 工作承诺',
                        'db_table': 'supervision_historicalcommitment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='commitment',
                    constraint=models.UniqueConstraint(fields=('unit', 'year'), name='one_commitment_per_unit_and_year', violation_error_message='该单位该年度的工作承诺已经存在。'),
                ),
                migrations.AddConstraint(
                    model_name='commitment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('acknowledged_at__isnull', True), ('acknowledged_by__isnull', True)), models.Q(('acknowledged_at__isnull', False), ('acknowledged_by__isnull', False)), _connector='OR'), name='commitment_acknowledged_by_someone_at_a_time', violation_error_message='确认时间和确认人要同时填写。'),
                ),
            ],
        ),
    ]
