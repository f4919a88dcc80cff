"""The English catalogue is complete and safe, and the language choice reaches the pages.

The messages are extracted from the source tree exactly as `make extract` does (babel.cfg, the
keywords _l and lazy_gettext besides Babel's defaults), so a new Danish string without an English
translation in server/translations/en/LC_MESSAGES/messages.po fails here and is listed by name.
"""
import os
import re
import tempfile
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "server" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# A Python %-conversion: %(name)s, %d, %.1f ... and the literal %%.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrs%])")


def _source_messages() -> dict:
    """(msgid, context) -> the first file it appears in; a plural msgid is (singular, plural)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if isinstance(message, (list, tuple)):
            message = tuple(message)
            if not all(message):
                continue
        elif not message:
            continue
        found.setdefault((message, context), filename)
    return found


@pytest.fixture(scope="module")
def source_messages():
    messages = _source_messages()
    assert len(messages) > 100, "extraction found suspiciously few messages; is babel.cfg read?"
    return messages


@pytest.fixture(scope="module")
def english():
    with open(EN_PO, "rb") as fh:
        return read_po(fh, locale="en")


def _key(msgid):
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _placeholders(text: str) -> set:
    return {(m.group("name"), m.group("type")) for m in PLACEHOLDER.finditer(text)}


def test_every_source_message_has_an_english_translation(source_messages, english):
    missing = []
    for (msgid, context), filename in sorted(source_messages.items(), key=lambda item: str(item[0])):
        entry = english.get(_key(msgid), context=context)
        if entry is None:
            missing.append(f"{filename}: {msgid!r} (not in the catalogue; run `make extract`)")
        elif entry.fuzzy:
            missing.append(f"{filename}: {msgid!r} (fuzzy)")
        elif isinstance(msgid, tuple) and not isinstance(entry.id, tuple):
            missing.append(f"{filename}: {msgid!r} (plural in the source, singular in the catalogue)")
        else:
            forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if isinstance(msgid, tuple) and len(forms) < english.num_plurals:
                missing.append(f"{filename}: {msgid!r} (needs {english.num_plurals} plural forms)")
            elif not all(form and form.strip() for form in forms):
                missing.append(f"{filename}: {msgid!r} (empty)")
    assert not missing, f"{len(missing)} message(s) without an English translation:\n" + "\n".join(missing)


def test_placeholders_are_kept(source_messages, english):
    wrong = []
    for msgid, context in source_messages:
        entry = english.get(_key(msgid), context=context)
        if entry is None or not entry.string:
            continue  # reported by the completeness test
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not (entry.python_format or any(PLACEHOLDER.search(s) for s in strings if s)):
            continue
        for index, text in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            if _placeholders(source) != _placeholders(text):
                wrong.append(f"{source!r} -> {text!r}: {sorted(_placeholders(source), key=str)} "
                             f"!= {sorted(_placeholders(text), key=str)}")
            elif "%" in PLACEHOLDER.sub("", text):
                wrong.append(f"{source!r} -> {text!r}: a lone % (write %% for a literal percent sign)")
    assert not wrong, "python-format placeholders differ:\n" + "\n".join(wrong)


def test_catalogue_has_english_plural_rule(english):
    assert str(english.locale) == "en"
    assert english.num_plurals == 2


# --- The compiled catalogue reaches the pages --------------------------------------------------


@pytest.fixture(scope="session")
def compiled_catalogues(app):
    """Compile every .po the way `make translations` does, if its .mo is missing or older."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name)
        # Write next to the target and rename, so parallel workers never read half a file.
        fd, tmp = tempfile.mkstemp(dir=mo_path.parent, prefix=".messages-", suffix=".mo")
        try:
            with os.fdopen(fd, "wb") as out:
                write_mo(out, catalog, use_fuzzy=True)
            os.chmod(tmp, 0o644)
            os.replace(tmp, mo_path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    # Flask-Babel caches loaded catalogues per process: forget any loaded before compiling.
    from flask_babel import get_domain

    with app.app_context():
        get_domain().cache.clear()
    yield


def test_login_page_in_english_with_cookie(client, compiled_catalogues):
    client.set_cookie("lang", "en")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in to Ledsager" in page
    assert "Staff: log in with a password" in page
    assert "Log ind i Ledsager" not in page


def test_login_page_in_danish_without_cookie(client, compiled_catalogues):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="da">' in page
    assert "Log ind i Ledsager" in page
    assert "Log in to Ledsager" not in page
