"""Entered indicators and their values.

An indicator may be entered (``source = "entered"``) rather than counted from records: it says
which period each value covers (``entry_period``), may sum amounts without a currency, and has
its values (``OutcomeValue``: one per indicator, period, municipality and category among those
not voided, from a named source document).
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0004_dqa_reviewer_in_each_language'),
        ('places', '0003_population_note_in_each_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OutcomeValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('voided_at', models.DateTimeField(blank=True, db_index=True, editable=False, null=True, verbose_name='voided')),
                ('void_reason', models.TextField(blank=True, editable=False, verbose_name='reason for voiding')),
                ('period_key', models.CharField(max_length=10, verbose_name='period')),
                ('period_start', models.DateField(verbose_name='period start')),
                ('period_end', models.DateField(verbose_name='period end')),
                ('cell', models.JSONField(blank=True, default=dict, verbose_name='category')),
                ('cell_key', models.CharField(blank=True, editable=False, max_length=200, verbose_name='category')),
                ('value', models.DecimalField(decimal_places=2, max_digits=16, validators=[django.core.validators.MinValueValidator(Decimal('0'), message='A value cannot be negative.')], verbose_name='value')),
                ('source_document', models.TextField(error_messages={'blank': 'Name the document the figure comes from, so that it can be checked.'}, help_text='Where the figure comes from, so that anyone can check it: for example “Municipal finance department, annual report 2016, table 3”.', verbose_name='source document')),
                ('entered_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='entered')),
            ],
            options={
                'verbose_name': 'entered value',
                'verbose_name_plural': 'entered values',
                'ordering': ['indicator', 'period_start', 'municipality', 'cell_key'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='indicator',
            name='indicator_amount_has_currency',
        ),
        migrations.AddField(
            model_name='indicator',
            name='entry_period',
            field=models.CharField(blank=True, choices=[('calendar_year', 'Calendar year'), ('fiscal_year', 'Fiscal year'), ('quarter', 'Fiscal quarter')], help_text='For an entered indicator: the period each value covers. Empty for an indicator counted from the records.', max_length=16, verbose_name='entry period'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='source',
            field=models.CharField(choices=[('activities', 'Activities'), ('attendance', 'Attendance (rosters and tallies)'), ('grants', 'Grants'), ('plans', 'Capacity development plans'), ('projects', 'Infrastructure projects'), ('entered', 'Entered values')], max_length=16, verbose_name='records counted'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('unit', 'amount'), _negated=True), models.Q(('currency', ''), _negated=True), ('source', 'entered'), _connector='OR'), name='indicator_amount_has_currency', violation_error_message='An amount indicator needs a currency.'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source', 'entered'), ('entry_period__in', ['calendar_year', 'fiscal_year', 'quarter'])), models.Q(models.Q(('source', 'entered'), _negated=True), ('entry_period', '')), _connector='OR'), name='indicator_entry_period_when_entered', violation_error_message='An entered indicator says which period each value covers; an indicator counted from the records has no entry period.'),
        ),
        migrations.AddField(
            model_name='outcomevalue',
            name='entered_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by'),
        ),
        migrations.AddField(
            model_name='outcomevalue',
            name='indicator',
            field=models.ForeignKey(limit_choices_to={'source': 'entered'}, on_delete=django.db.models.deletion.PROTECT, related_name='entered_values', to='indicators.indicator', verbose_name='indicator'),
        ),
        migrations.AddField(
            model_name='outcomevalue',
            name='municipality',
            field=models.ForeignKey(blank=True, help_text='Empty for a value of the whole program.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.municipality', verbose_name='municipality'),
        ),
        migrations.AddField(
            model_name='outcomevalue',
            name='voided_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='voided by'),
        ),
        migrations.AddConstraint(
            model_name='outcomevalue',
            constraint=models.UniqueConstraint(condition=models.Q(('municipality__isnull', False), ('voided_at__isnull', True)), fields=('indicator', 'period_key', 'municipality', 'cell_key'), name='outcome_value_one_per_place', violation_error_message='This indicator already has a value for this period, municipality and category; correct that value instead.'),
        ),
        migrations.AddConstraint(
            model_name='outcomevalue',
            constraint=models.UniqueConstraint(condition=models.Q(('municipality__isnull', True), ('voided_at__isnull', True)), fields=('indicator', 'period_key', 'cell_key'), name='outcome_value_one_program_wide', violation_error_message='This indicator already has a program-wide value for this period and category; correct that value instead.'),
        ),
        migrations.AddConstraint(
            model_name='outcomevalue',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='outcome_value_not_negative', violation_error_message='A value cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='outcomevalue',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='outcome_value_period_in_order'),
        ),
        migrations.AddConstraint(
            model_name='outcomevalue',
            constraint=models.CheckConstraint(condition=models.Q(('source_document', ''), _negated=True), name='outcome_value_has_source_document', violation_error_message='Name the document the figure comes from, so that it can be checked.'),
        ),
    ]
