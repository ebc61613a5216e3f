"""QuickSelect writes a <select> in Python: the same HTML as Django's Select (whitespace aside), so
that a picker of 500 units does not cost a page most of its time."""

import re

from django import forms

from luoshi.core.forms import QuickSelect

CHOICES = [
    ("", "全部单位"),
    ("1", "财政局 <总局> & “x”"),
    ("局属", [("2", "　经发局"), ("3", "'引号'")]),
]


def _same(a: str, b: str) -> bool:
    return re.sub(r">\s+<", "><", a) == re.sub(r">\s+<", "><", b)


def test_quick_select_writes_what_djangos_select_writes():
    for value in ("", "1", "3", "nothing"):
        attrs = {"id": "id_unit", "required": True, "disabled": False, "data-filter": "输入<名称>"}
        quick = QuickSelect(choices=CHOICES).render("unit", value, attrs=dict(attrs))
        plain = forms.Select(choices=CHOICES).render("unit", value, attrs=dict(attrs))
        assert _same(quick, plain), (quick, plain)
    assert "&lt;总局&gt; &amp;" in quick and " required" in quick and "disabled" not in quick


def test_the_trees_unit_filter_keeps_its_choice_when_shown_again(cast):
    from luoshi.plans.views.tree import TaskFilter

    form = TaskFilter({"unit": str(cast.caizheng.pk), "status": "assigned"})
    form.values()
    assert f'<option value="{cast.caizheng.pk}" selected>' in str(form["unit"])
    assert '<option value="assigned" selected>' in str(form["status"])
