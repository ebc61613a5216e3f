"""The group robots and the shared service state move here from supervision: the tables stay as they are (each model keeps its `db_table`), so
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
                    name='ServiceState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, unique=True, verbose_name='服务')),
                        ('access_token', models.CharField(blank=True, max_length=512, verbose_name='访问令牌')),
                        ('token_expires_at', models.DateTimeField(blank=True, null=True, verbose_name='令牌到期时间')),
                        ('held_until', models.DateTimeField(blank=True, null=True, verbose_name='暂停发送至')),
                        ('held_because', models.CharField(blank=True, max_length=200, verbose_name='暂停原因')),
                    ],
                    options={
                        'verbose_name': '外部服务状态',
                        'verbose_name_plural': '外部服务状态',
                        'db_table': 'supervision_servicestate',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalWebhookEndpoint',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('kind', models.CharField(choices=[('wecom', '企业微信群机器人'), ('dingtalk', '钉钉群机器人')], max_length=10, verbose_name='类型')),
                        ('url', models.URLField(max_length=500, verbose_name='Webhook 地址')),
                        ('message_format', models.CharField(choices=[('markdown', 'Markdown'), ('text', '纯文本')], default='markdown', max_length=10, verbose_name='消息格式')),
                        ('active', models.BooleanField(default=True, verbose_name='启用')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan', verbose_name='实施方案')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': 'historical 群机器人',
                        'verbose_name_plural': 'historical 群机器人',
                        'db_table': 'supervision_historicalwebhookendpoint',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='WebhookEndpoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('kind', models.CharField(choices=[('wecom', '企业微信群机器人'), ('dingtalk', '钉钉群机器人')], max_length=10, verbose_name='类型')),
                        ('url', models.URLField(max_length=500, verbose_name='Webhook 地址')),
                        ('secret', models.CharField(blank=True, help_text='钉钉机器人“加签”安全设置的密钥（SEC 开头）；不用加签则留空。', max_length=200, verbose_name='加签密钥')),
                        ('message_format', models.CharField(choices=[('markdown', 'Markdown'), ('text', '纯文本')], default='markdown', max_length=10, verbose_name='消息格式')),
                        ('active', models.BooleanField(default=True, verbose_name='启用')),
                        ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='webhooks', to='plans.plan', verbose_name='实施方案')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='webhooks', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '群机器人',
                        'verbose_name_plural': '群机器人',
                        'db_table': 'supervision_webhookendpoint',
                        'ordering': ['id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('plan__isnull', True), ('unit__isnull', False)), models.Q(('plan__isnull', False), ('unit__isnull', True)), _connector='OR'), name='webhook_serves_a_unit_or_a_plan', violation_error_message='群机器人要么属于一个单位，要么属于一个实施方案。')],
                    },
                ),
            ],
        ),
    ]
