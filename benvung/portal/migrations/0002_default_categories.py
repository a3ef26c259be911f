"""The portal's standing news categories, present on every installation."""

from django.db import migrations

CATEGORIES = [
    ("tin-hoat-dong-nganh", "Tin hoạt động ngành", 1),
    ("thong-bao", "Thông báo", 2),
    ("van-ban", "Văn bản", 3),
    ("san-xuat-tieu-dung-ben-vung", "Sản xuất và tiêu dùng bền vững", 4),
]


def create(apps, schema_editor):
    Category = apps.get_model("portal", "Category")
    for slug, name, order in CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
