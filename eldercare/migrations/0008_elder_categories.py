"""Several categories per special-difficulty elder, and three more (特困、孤寡、失智): rules version 2.

The one category each elder had becomes their first entry in ``categories`` before the column goes.
"""

from django.db import migrations, models

CATEGORIES = [
    "alone", "empty_nest", "left_behind", "disabled", "severely_handicapped",
    "very_old", "family_planning", "extreme_poverty", "widowed_childless", "dementia",
]


def load(apps, schema_editor):
    """The closed list (idempotent: the browser tests load it again after emptying the tables)."""
    ElderCategory = apps.get_model("eldercare", "ElderCategory")
    for position, code in enumerate(CATEGORIES):
        ElderCategory.objects.update_or_create(code=code, defaults={"ordering": position})


def copy_categories(apps, schema_editor):
    ElderCategory = apps.get_model("eldercare", "ElderCategory")
    Elder = apps.get_model("eldercare", "Elder")
    ids = {category.code: category for category in ElderCategory.objects.all()}
    Through = Elder.categories.through
    links = [
        Through(elder_id=elder_id, eldercategory_id=ids[code].pk)
        for elder_id, code in Elder.objects.values_list("pk", "category").iterator() if code in ids
    ]
    Through.objects.bulk_create(links, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('eldercare', '0007_facility_care_grid'),
    ]

    operations = [
        migrations.CreateModel(
            name='ElderCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('alone', '独居'), ('empty_nest', '空巢'), ('left_behind', '留守'), ('disabled', '失能'), ('severely_handicapped', '重残'), ('very_old', '高龄'), ('family_planning', '计划生育特殊家庭'), ('extreme_poverty', '特困'), ('widowed_childless', '孤寡'), ('dementia', '失智')], max_length=25, unique=True, verbose_name='代码')),
                ('ordering', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
            ],
            options={
                'verbose_name': '特殊困难老年人类别',
                'verbose_name_plural': '特殊困难老年人类别',
                'ordering': ['ordering'],
            },
        ),
        migrations.AddField(
            model_name='elder',
            name='categories',
            field=models.ManyToManyField(help_text='可多选：一位老人可以同时是独居、失能、高龄等。', related_name='elders', to='eldercare.eldercategory', verbose_name='类别'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(copy_categories, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='elder',
            name='category',
        ),
        migrations.RemoveField(
            model_name='historicalelder',
            name='category',
        ),
    ]
