"""The reminder rules and reminders move here from supervision: the tables stay as they are (each model keeps its `db_table`), so
only Django's picture of the models changes (state only); supervision 0007 forgets them there."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('supervision', '0006_scored_task'),
        ('messaging', '0001_moved_from_supervision'),
        ('plans', '0005_task_plan_status_closed_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalReminderRule',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('before_deadline', '到期提醒'), ('before_milestone', '节点提醒'), ('overdue', '逾期催办'), ('no_report', '催报进度')], max_length=20, verbose_name='类型')),
                        ('working_days', models.PositiveSmallIntegerField(help_text='到期/节点提醒：提前几个工作日；逾期催办：逾期第几个工作日起，且上一级催办发出（或其后最近一次报送）后又过了与上一级相差的工作日数仍未报送，才升级到本级；催报：连续几个工作日未报送。', verbose_name='工作日数')),
                        ('recipient', models.CharField(choices=[('owner', '责任人'), ('unit_head', '牵头单位负责人'), ('supervising_leader', '分管领导')], default='owner', max_length=20, verbose_name='提醒对象')),
                        ('in_app', models.BooleanField(default=True, verbose_name='站内通知')),
                        ('by_email', models.BooleanField(default=True, verbose_name='电子邮件')),
                        ('by_webhook', models.BooleanField(default=True, verbose_name='群机器人')),
                        ('by_message', models.BooleanField(default=True, help_text='发给本人的企业微信应用消息或钉钉工作通知（已配置企业应用且此人填了账号时）。', verbose_name='企业微信/钉钉消息')),
                        ('active', models.BooleanField(default=True, verbose_name='启用')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan', verbose_name='实施方案')),
                    ],
                    options={
                        'verbose_name': 'historical 催办规则',
                        'verbose_name_plural': 'historical 催办规则',
                        'db_table': 'supervision_historicalreminderrule',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReminderRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('before_deadline', '到期提醒'), ('before_milestone', '节点提醒'), ('overdue', '逾期催办'), ('no_report', '催报进度')], max_length=20, verbose_name='类型')),
                        ('working_days', models.PositiveSmallIntegerField(help_text='到期/节点提醒：提前几个工作日；逾期催办：逾期第几个工作日起，且上一级催办发出（或其后最近一次报送）后又过了与上一级相差的工作日数仍未报送，才升级到本级；催报：连续几个工作日未报送。', verbose_name='工作日数')),
                        ('recipient', models.CharField(choices=[('owner', '责任人'), ('unit_head', '牵头单位负责人'), ('supervising_leader', '分管领导')], default='owner', max_length=20, verbose_name='提醒对象')),
                        ('in_app', models.BooleanField(default=True, verbose_name='站内通知')),
                        ('by_email', models.BooleanField(default=True, verbose_name='电子邮件')),
                        ('by_webhook', models.BooleanField(default=True, verbose_name='群机器人')),
                        ('by_message', models.BooleanField(default=True, help_text='发给本人的企业微信应用消息或钉钉工作通知（已配置企业应用且此人填了账号时）。', verbose_name='企业微信/钉钉消息')),
                        ('active', models.BooleanField(default=True, verbose_name='启用')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_rules', to='plans.plan', verbose_name='实施方案')),
                    ],
                    options={
                        'verbose_name': '催办规则',
                        'verbose_name_plural': '催办规则',
                        'db_table': 'supervision_reminderrule',
                        'ordering': ['plan_id', 'kind', 'working_days', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('retrying', '发送失败，待重试'), ('given_up', '已放弃')], default='pending', max_length=10, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='已尝试次数')),
                        ('last_error', models.TextField(blank=True, verbose_name='最近错误')),
                        ('next_attempt_at', models.DateTimeField(verbose_name='下次尝试时间')),
                        ('created_at', models.DateTimeField(verbose_name='生成时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('key', models.CharField(editable=False, max_length=200, verbose_name='去重键')),
                        ('kind', models.CharField(choices=[('before_deadline', '到期提醒'), ('before_milestone', '节点提醒'), ('overdue', '逾期催办'), ('no_report', '催报进度'), ('notice', '督办单')], max_length=20, verbose_name='类型')),
                        ('recipient_role', models.CharField(choices=[('owner', '责任人'), ('unit_head', '牵头单位负责人'), ('supervising_leader', '分管领导')], max_length=20, verbose_name='提醒对象')),
                        ('due_on', models.DateField(help_text='完成时限、节点日期，或连续未报送满期的那一天。', verbose_name='所涉日期')),
                        ('channel', models.CharField(choices=[('in_app', '站内通知'), ('email', '电子邮件'), ('webhook', '群机器人'), ('wecom', '企业微信应用消息'), ('dingtalk', '钉钉工作通知')], max_length=10, verbose_name='渠道')),
                        ('subject', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(verbose_name='正文')),
                        ('link', models.CharField(max_length=500, verbose_name='任务链接')),
                        ('issued_on', models.DateField(help_text='生成这条催办的那一天。', verbose_name='催办日期')),
                        ('endpoint', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='messaging.webhookendpoint', verbose_name='群机器人')),
                        ('milestone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='plans.milestone', verbose_name='里程碑')),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='收件人')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='plans.task', verbose_name='任务')),
                        ('rule', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reminders', to='reminders.reminderrule', verbose_name='催办规则')),
                    ],
                    options={
                        'verbose_name': '催办',
                        'verbose_name_plural': '催办',
                        'db_table': 'supervision_reminder',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='reminderrule',
                    constraint=models.UniqueConstraint(fields=('plan', 'kind', 'working_days', 'recipient'), name='reminder_rule_once_per_step', violation_error_message='该方案已有相同的催办规则。'),
                ),
                migrations.AddConstraint(
                    model_name='reminderrule',
                    constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['before_deadline', 'before_milestone']), ('working_days__gte', 1), _connector='OR'), name='reminder_rule_waits_at_least_a_day', violation_error_message='逾期催办和催报至少要隔 1 个工作日。'),
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(fields=['state', 'next_attempt_at'], name='reminder_due'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(fields=('key',), name='reminder_goes_out_once', violation_error_message='这条催办已经生成过。'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(condition=models.Q(models.Q(('channel', 'webhook'), _negated=True), models.Q(('kind', 'notice'), _negated=True)), fields=('task', 'channel', 'recipient', 'issued_on'), name='reminder_once_a_day_per_person', violation_error_message='今天已就这项任务提醒过此人。'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(condition=models.Q(('channel', 'webhook'), models.Q(('kind', 'notice'), _negated=True)), fields=('task', 'endpoint', 'issued_on'), name='reminder_once_a_day_per_robot', violation_error_message='今天已就这项任务向该群机器人发过提醒。'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('channel', 'webhook'), ('endpoint__isnull', False)), models.Q(models.Q(('channel', 'webhook'), _negated=True), ('endpoint__isnull', True), ('recipient__isnull', False)), _connector='OR'), name='reminder_has_an_address', violation_error_message='群机器人催办要有机器人，其他渠道要有收件人。'),
                ),
            ],
        ),
    ]
