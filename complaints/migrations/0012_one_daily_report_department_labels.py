"""The daily summary's own time and recipients go (migration 0011 moved
the recipients to the mall's daily report); departments are the kernel's
one vocabulary; a recorded-only SMS says it was not sent."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0011_desk_defaults_for_every_mall'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='desksettings',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='desksettings',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='desksettings',
            name='delete_delete',
        ),
        migrations.RemoveField(
            model_name='desksettings',
            name='summary_recipients',
        ),
        migrations.RemoveField(
            model_name='desksettings',
            name='summary_time',
        ),
        migrations.RemoveField(
            model_name='desksettingsevent',
            name='summary_recipients',
        ),
        migrations.RemoveField(
            model_name='desksettingsevent',
            name='summary_time',
        ),
        migrations.AlterField(
            model_name='activity',
            name='code',
            field=models.CharField(choices=[('received', 'received'), ('assigned', 'assigned'), ('responded', 'handler responded'), ('verified', 'verified'), ('called_back', 'customer called back'), ('closed', 'closed'), ('reopened', 'reopened'), ('merged', 'merged'), ('status', 'status changed'), ('note', 'internal note'), ('customer_told', 'told the customer'), ('compensation_requested', 'compensation requested'), ('compensation_approved', 'compensation approved'), ('compensation_rejected', 'compensation rejected'), ('attachment', 'attachment added'), ('sms', 'SMS acknowledgement recorded'), ('sla_warning', 'SLA warning'), ('escalated', 'escalated'), ('fixed', 'fix recorded'), ('sent_back', 'sent back: not fixed')], max_length=32, verbose_name='event'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='handler_department',
            field=models.CharField(blank=True, choices=[('customer_service', 'customer-service department'), ('property', 'property management'), ('engineering', 'engineering'), ('security', 'security'), ('cleaning', 'cleaning'), ('marketing', 'marketing'), ('leasing', 'leasing'), ('finance', 'finance'), ('admin', 'administration and HR')], max_length=16, verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='complaintevent',
            name='handler_department',
            field=models.CharField(blank=True, choices=[('customer_service', 'customer-service department'), ('property', 'property management'), ('engineering', 'engineering'), ('security', 'security'), ('cleaning', 'cleaning'), ('marketing', 'marketing'), ('leasing', 'leasing'), ('finance', 'finance'), ('admin', 'administration and HR')], max_length=16, verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='faultreport',
            name='handler_department',
            field=models.CharField(choices=[('customer_service', 'customer-service department'), ('property', 'property management'), ('engineering', 'engineering'), ('security', 'security'), ('cleaning', 'cleaning'), ('marketing', 'marketing'), ('leasing', 'leasing'), ('finance', 'finance'), ('admin', 'administration and HR')], max_length=16, verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='faultreportevent',
            name='handler_department',
            field=models.CharField(choices=[('customer_service', 'customer-service department'), ('property', 'property management'), ('engineering', 'engineering'), ('security', 'security'), ('cleaning', 'cleaning'), ('marketing', 'marketing'), ('leasing', 'leasing'), ('finance', 'finance'), ('admin', 'administration and HR')], max_length=16, verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='faultroute',
            name='department',
            field=models.CharField(choices=[('customer_service', 'customer-service department'), ('property', 'property management'), ('engineering', 'engineering'), ('security', 'security'), ('cleaning', 'cleaning'), ('marketing', 'marketing'), ('leasing', 'leasing'), ('finance', 'finance'), ('admin', 'administration and HR')], max_length=16, verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='faultrouteevent',
            name='department',
            field=models.CharField(choices=[('customer_service', 'customer-service department'), ('property', 'property management'), ('engineering', 'engineering'), ('security', 'security'), ('cleaning', 'cleaning'), ('marketing', 'marketing'), ('leasing', 'leasing'), ('finance', 'finance'), ('admin', 'administration and HR')], max_length=16, verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='state',
            field=models.CharField(choices=[('pending', 'pending'), ('sending', 'sending'), ('recorded', 'recorded, not sent'), ('sent', 'sent'), ('failed', 'failed')], default='pending', max_length=16, verbose_name='state'),
        ),
        migrations.AlterField(
            model_name='outboxmessageevent',
            name='state',
            field=models.CharField(choices=[('pending', 'pending'), ('sending', 'sending'), ('recorded', 'recorded, not sent'), ('sent', 'sent'), ('failed', 'failed')], default='pending', max_length=16, verbose_name='state'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='desksettings',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "complaints_desksettingsevent" ("fault_reference_prefix", "fault_repeat_count", "fault_repeat_days", "id", "mall_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reference_prefix") VALUES (NEW."fault_reference_prefix", NEW."fault_repeat_count", NEW."fault_repeat_days", NEW."id", NEW."mall_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."reference_prefix"); RETURN NULL;', hash='c327526d0725111f239237170ac9c70ca4d7e003', operation='INSERT', pgid='pgtrigger_insert_insert_2de1f', table='complaints_desksettings', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='desksettings',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "complaints_desksettingsevent" ("fault_reference_prefix", "fault_repeat_count", "fault_repeat_days", "id", "mall_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reference_prefix") VALUES (NEW."fault_reference_prefix", NEW."fault_repeat_count", NEW."fault_repeat_days", NEW."id", NEW."mall_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."reference_prefix"); RETURN NULL;', hash='386fd5b551e6fc8e9f8ad071bd0aed157ef0f481', operation='UPDATE', pgid='pgtrigger_update_update_8896e', table='complaints_desksettings', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='desksettings',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "complaints_desksettingsevent" ("fault_reference_prefix", "fault_repeat_count", "fault_repeat_days", "id", "mall_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reference_prefix") VALUES (OLD."fault_reference_prefix", OLD."fault_repeat_count", OLD."fault_repeat_days", OLD."id", OLD."mall_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."reference_prefix"); RETURN NULL;', hash='fa578c3103b3f4888aee47fac46fe8f9fe81b8b7', operation='DELETE', pgid='pgtrigger_delete_delete_e6cc0', table='complaints_desksettings', when='AFTER')),
        ),
    ]
