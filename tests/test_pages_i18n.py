"""Chinese by default, English on request: the English catalogue is complete and the pages use it."""

import json
import re
from html import unescape
from pathlib import Path

from django.test import Client
from django.urls import reverse

from tests.test_pages_render import main_pages

ROOT = Path(__file__).resolve().parents[1] / "luoshi"
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3400-\u9fff]")


def catalogue() -> list[dict]:
    """The catalogue's entries as {field: text}; a small reader, enough for Django's own output."""
    entries, entry, field = [], {}, None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += json.loads(line)  # a .po string is quoted and escaped as JSON is
        else:
            field, _, value = line.partition(" ")
            entry[field] = json.loads(value)
    return entries


def test_every_entry_of_the_english_catalogue_is_translated_and_none_is_fuzzy():
    entries = [e for e in catalogue() if e.get("msgid")]
    assert len(entries) > 300
    empty = [
        e["msgid"]
        for e in entries
        if not any(value for name, value in e.items() if name.startswith("msgstr"))
    ]
    assert empty == []
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert fuzzy == []


def test_every_string_the_templates_translate_is_in_the_catalogue():
    ids = {e["msgid"] for e in catalogue() if e.get("msgid")}
    used = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for quoted in re.findall(
            r"{%\s*translate\s+(\"[^\"]*\"|'[^']*')", template.read_text(encoding="utf-8")
        ):
            used.add(quoted[1:-1].replace("%", "%%") if "%" in quoted else quoted[1:-1])
    missing = sorted(text for text in used if text not in ids and text.replace("%%", "%") not in ids)
    assert missing == []


def test_pages_are_in_chinese_by_default(cast):
    client = Client()
    client.force_login(cast.supervisor)
    html = client.get(reverse("cockpit")).content.decode()
    assert '<html lang="zh-hans">' in html and "领导驾驶舱" in html


def test_in_english_no_heading_label_or_button_of_a_main_page_is_left_in_chinese(scene):
    client = Client()
    client.force_login(scene.cast.supervisor)
    client.cookies["django_language"] = "en"
    for name, url in main_pages(scene).items():
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, name
        chrome = re.findall(r"<(th|button|label|summary|h2)\b[^>]*>(.*?)</\1>", html, re.S)
        for tag, inner in chrome:
            text = unescape(re.sub(r"<select.*?</select>|<[^>]+>", "", inner, flags=re.S))
            assert not CJK.search(text), (name, tag, text.strip())


def test_pages_are_chinese_even_for_an_english_browser_until_english_is_chosen(cast):
    client = Client()
    client.force_login(cast.supervisor)
    html = client.get("/tasks/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/tasks/"})
    assert '<html lang="en">' in client.get("/tasks/").content.decode()
