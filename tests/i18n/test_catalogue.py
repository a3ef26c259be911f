"""The English catalogue is complete, consistent and compiled: the shipped django.mo is what
servers and CI use (they have no gettext), so it must match the django.po that people edit."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

import benvung

LOCALE = Path(benvung.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([a-zA-Z_0-9]+\))?[sdf%]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def translations(
    catalogue: polib.POFile | polib.MOFile,
) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(context, msgid) → its translation(s), the header left out."""
    found: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in catalogue:
        if not entry.msgid or entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            found[key] = tuple(forms[index] for index in sorted(forms))
        else:
            found[key] = (entry.msgstr,)
    return found


def test_every_entry_is_translated_and_none_is_fuzzy(po: polib.POFile) -> None:
    assert len(po) > 500  # the whole interface, not a stub
    untranslated = [e.msgid for e in po if not e.obsolete and not all(translations_of(e))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def translations_of(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


def test_translations_keep_the_placeholders(po: polib.POFile) -> None:
    """A lost or renamed %(name)s would crash the page (KeyError) or drop a figure."""
    wrong = []
    for entry in po:
        if "python-format" not in entry.flags:
            continue
        expected = sorted(set(PLACEHOLDER.findall(entry.msgid)))
        for text in translations_of(entry):
            if sorted(set(PLACEHOLDER.findall(text))) != expected:
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(po: polib.POFile) -> None:
    """Run scripts/update_translations.sh after editing the .po file."""
    mo = polib.mofile(str(LOCALE / "django.mo"))
    assert translations(mo) == translations(po)
