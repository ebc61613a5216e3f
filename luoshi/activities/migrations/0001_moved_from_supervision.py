"""The activities move here from supervision: the tables stay as they are (each model keeps its `db_table`), so
only Django's picture of the models changes (state only); supervision 0007 forgets them there."""

import django.db.models.deletion
import luoshi.activities.models
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
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('study', '学习研讨'), ('promotion', '宣传推介'), ('liaison_visit', '对接跑办')], max_length=20, verbose_name='类型')),
                        ('held_on', models.DateField(verbose_name='日期')),
                        ('title', models.CharField(max_length=200, verbose_name='主题')),
                        ('participants', models.TextField(blank=True, verbose_name='参加人员')),
                        ('participant_count', models.PositiveIntegerField(default=0, verbose_name='参加人数')),
                        ('counterpart', models.CharField(blank=True, help_text='对接跑办的对方单位，如省财政厅。', max_length=200, verbose_name='对接单位')),
                        ('outcome', models.TextField(verbose_name='成效')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='填报时间')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                        ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='plans.task', verbose_name='关联任务')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '活动',
                        'verbose_name_plural': '活动',
                        'db_table': 'supervision_activity',
                        'ordering': ['-held_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ActivityAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=300, upload_to=luoshi.activities.models.attachment_path, verbose_name='文件')),
                        ('original_name', models.CharField(max_length=255, verbose_name='原文件名')),
                        ('size', models.PositiveBigIntegerField(verbose_name='大小（字节）')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='activities.activity', verbose_name='活动')),
                    ],
                    options={
                        'verbose_name': '活动附件',
                        'verbose_name_plural': '活动附件',
                        'db_table': 'supervision_activityattachment',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalActivity',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('study', '学习研讨'), ('promotion', '宣传推介'), ('liaison_visit', '对接跑办')], max_length=20, verbose_name='类型')),
                        ('held_on', models.DateField(verbose_name='日期')),
                        ('title', models.CharField(max_length=200, verbose_name='主题')),
                        ('participants', models.TextField(blank=True, verbose_name='参加人员')),
                        ('participant_count', models.PositiveIntegerField(default=0, verbose_name='参加人数')),
                        ('counterpart', models.CharField(blank=True, help_text='对接跑办的对方单位，如省财政厅。', max_length=200, verbose_name='对接单位')),
                        ('outcome', models.TextField(verbose_name='成效')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='填报时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                        ('task', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.task', verbose_name='关联任务')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': 'historical 活动',
                        'verbose_name_plural': 'historical 活动',
                        'db_table': 'supervision_historicalactivity',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddIndex(
                    model_name='activity',
                    index=models.Index(fields=['held_on', 'unit', 'kind'], name='activity_period_unit_kind'),
                ),
                migrations.AddConstraint(
                    model_name='activity',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'liaison_visit'), _negated=True), models.Q(('counterpart', ''), _negated=True), _connector='OR'), name='liaison_visit_names_its_counterpart', violation_error_message='对接跑办要写明对接单位。'),
                ),
            ],
        ),
    ]
