"""The office corrects the document's year on the review page, and the proposal is read again with it:
今年 / 年底前 targets get the corrected year."""

from django.test import Client
from django.urls import reverse

from luoshi.documents.actions import accept_proposal
from luoshi.documents.models import ImportDraft
from tests.test_text_import import draft_of

UNDATED = "政府工作报告\n一、今年主要目标\n今年，全市地区生产总值增长5%左右，城镇新增就业15万人以上，年底前建成5G基站3000个。\n"
MISDATED = "时间：2025-02-02\n" + UNDATED


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def target_years(draft: ImportDraft) -> dict[str, int | None]:
    return {t.indicator: t.year for t in ImportDraft.objects.get(pk=draft.pk).read_proposal().targets}


def test_a_document_with_no_year_gets_the_year_the_office_gives_and_its_targets_follow(cast):
    draft = draft_of(cast, UNDATED)
    client = signed_in(cast.supervisor)
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert "文件中没有找到日期或年份" in page and set(target_years(draft).values()) == {None}
    response = client.post(reverse("import_year", args=[draft.pk]), {"year": "2026"})
    assert response.status_code == 302
    assert target_years(draft) == {"地区生产总值": 2026, "城镇新增就业": 2026, "建成5G基站": 2026}
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert "文件年份：2026年（审核时改正）" in page and 'name="targets-0-year" value="2026"' in page


def test_a_wrongly_guessed_year_is_corrected_and_the_import_takes_it(cast):
    draft = draft_of(cast, MISDATED)
    assert set(target_years(draft).values()) == {2025}  # 时间：2025-02-02
    signed_in(cast.supervisor).post(reverse("import_year", args=[draft.pk]), {"year": "2026"})
    assert set(target_years(draft).values()) == {2026}
    result = accept_proposal(cast.supervisor, ImportDraft.objects.get(pk=draft.pk), plan=cast.plan)
    assert {t.due_date.year for t in result.targets} == {2026}


def test_a_year_that_is_no_year_is_refused_with_a_message_and_changes_nothing(cast):
    draft = draft_of(cast, MISDATED)
    client = signed_in(cast.supervisor)
    for bad in ("²⁰²⁶", "30000", ""):
        response = client.post(reverse("import_year", args=[draft.pk]), {"year": bad}, follow=True)
        assert response.status_code == 200 and 'class="msg error' in response.content.decode()
    assert set(target_years(draft).values()) == {2025}


def test_an_imported_draft_keeps_its_year_and_another_person_cannot_reach_it(cast):
    draft = draft_of(cast, MISDATED)
    assert (
        signed_in(cast.caizheng_manager)
        .post(reverse("import_year", args=[draft.pk]), {"year": "2026"})
        .status_code
        == 404
    )
    accept_proposal(cast.supervisor, draft, plan=cast.plan)
    response = signed_in(cast.supervisor).post(
        reverse("import_year", args=[draft.pk]), {"year": "2026"}, follow=True
    )
    assert "不能再改年份" in response.content.decode() and set(target_years(draft).values()) == {2025}
