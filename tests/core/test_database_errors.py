"""A database error in a form is a Chinese message, never a traceback; nothing half-written."""

import pytest
from django.db.models.signals import pre_save
from django.urls import reverse

from volunteers.models import Team

pytestmark = pytest.mark.django_db


def test_a_code_taken_between_the_forms_check_and_its_save_is_a_chinese_message(city, adam, as_user, caplog):
    def someone_else_takes_the_code(sender, instance, **kwargs):
        if instance.pk is None and not Team.objects.filter(code=instance.code).exists():
            Team.objects.bulk_create([Team(code=instance.code, name="别人的队", community=city["community_a"])])

    pre_save.connect(someone_else_takes_the_code, sender=Team, dispatch_uid="race")
    try:
        response = as_user(adam).post(reverse("admin:volunteers_team_add"), {
            "code": "ZY9", "name": "我的队", "community": city["community_a"].pk, "member_count": 1,
            "leader": "", "phone": "", "meeting_place": "", "how_to_join": "",
            "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0,
            "servicerecord_set-TOTAL_FORMS": 0, "servicerecord_set-INITIAL_FORMS": 0,
            "member_set-TOTAL_FORMS": 0, "member_set-INITIAL_FORMS": 0,
            "records-TOTAL_FORMS": 0, "records-INITIAL_FORMS": 0, "_save": "1",
        }, follow=True)
    finally:
        pre_save.disconnect(dispatch_uid="race", sender=Team)
    page = response.content.decode()
    assert response.status_code == 200
    assert "保存失败：数据库拒绝了这次写入" in page
    assert "duplicate" not in page.lower() and "UNIQUE constraint" not in page and "Traceback" not in page
    assert not Team.objects.exists()  # the other save was in the same rolled-back transaction here
    assert any("failed in the database" in record.getMessage() for record in caplog.records)
