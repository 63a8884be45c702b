"""The admin speaks a clerk's Chinese (locale/zh_Hans overrides), sums up a form's errors with links, and its
breadcrumbs and history buttons lead only where the clerk may go."""

import re

from django.urls import reverse

from volunteers.models import Team


def test_change_list_title_and_actions_read_naturally(as_user, alice, city):
    Team.objects.create(code="ZYD1", name="老队", community=city["community_a"], member_count=3)
    html = as_user(alice).get(reverse("admin:volunteers_team_changelist")).content.decode()
    assert "选择 志愿服务队 来修改" not in html and "来修改" not in html
    assert "动作" not in html and "---------" not in html
    assert "请选择要执行的操作" in html and "对勾选的记录" in html
    assert "以 " not in re.sub(r"<script.*?</script>", "", html, flags=re.S).split('id="changelist-filter"')[-1][:2000]
    assert "按党员骨干" in html or "按 党员骨干" in html


def test_the_add_page_says_add_in_plain_words(as_user, alice):
    html = as_user(alice).get(reverse("admin:volunteers_team_add")).content.decode()
    assert "新增志愿服务队" in html and "增加 志愿服务队" not in html


def test_a_form_with_errors_starts_with_a_summary_linking_to_each_field(as_user, adam, city):
    response = as_user(adam).post(reverse("admin:volunteers_team_add"), {
        "code": "=1", "name": "", "community": city["community_a"].pk, "member_count": "-3",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0", "records-TOTAL_FORMS": "0",
        "records-INITIAL_FORMS": "0",
    })
    html = response.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_name"' in summary and 'href="#id_code"' in summary and 'href="#id_member_count"' in summary
    assert summary.index("这一页有") < summary.index("id_name")


def test_clerk_sees_no_history_button_but_the_bureau_does(as_user, alice, rita, city):
    team = Team.objects.create(code="ZYD1", name="老队", community=city["community_a"], member_count=3)
    url = reverse("admin:volunteers_team_change", args=[team.pk])
    history = reverse("admin:volunteers_team_history", args=[team.pk])
    assert history not in as_user(alice).get(url).content.decode()
    assert as_user(alice).get(history).status_code == 403  # the page itself stays the bureau's
    assert history in as_user(rita).get(url).content.decode()


def test_clerks_drill_page_names_the_district_without_a_link_to_a_404(as_user, alice, rita, city):
    url = reverse("compliance:drill", args=["F1", city["street_a"].code])
    district = reverse("compliance:drill", args=["F1", city["district"].code])
    clerk = as_user(alice).get(url)
    assert clerk.status_code == 200
    page = clerk.content.decode()
    assert "鸡冠区" in page and district not in page
    assert as_user(alice).get(district).status_code == 404
    assert district in as_user(rita).get(url).content.decode()


def test_the_clerks_admin_index_has_no_third_party_screens(as_user, alice):
    html = as_user(alice).get(reverse("admin:index")).content.decode()
    assert "Access attempts" not in html and "登录尝试记录" not in html
    assert "/admin/axes/" not in html
