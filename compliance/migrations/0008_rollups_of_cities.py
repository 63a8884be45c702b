"""A roll-up is a district's or a city's (``KeptRollup.division``): the province's and the whole area's boards read
one row per city. The district roll-ups already written stay valid as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0007_kept_rollups"),
        ("core", "0008_community_grid"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="keptrollup", name="compliance_kept_rollup_once"),
        migrations.RenameField(model_name="keptrollup", old_name="district", new_name="division"),
        migrations.AlterField(
            model_name="keptrollup",
            name="division",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.division",
                                    verbose_name="区县或地市"),
        ),
        migrations.AddConstraint(
            model_name="keptrollup",
            constraint=models.UniqueConstraint(fields=("month", "division"), name="compliance_kept_rollup_once"),
        ),
        migrations.AlterModelOptions(
            name="keptrollup",
            options={"verbose_name": "区县和地市指标汇总数", "verbose_name_plural": "区县和地市指标汇总数"},
        ),
    ]
