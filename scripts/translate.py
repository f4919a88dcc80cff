"""Fill English translations into the catalogue from a small JSON/dict file of msgid -> msgstr.

Used for the few strings added after the main translation pass:
  .venv/bin/python scripts/translate.py '{"Dansk tekst": "English text"}'
"""
import json
import sys

from babel.messages.pofile import read_po, write_po

PATH = "server/translations/en/LC_MESSAGES/messages.po"

with open(PATH, "rb") as f:
    catalog = read_po(f)
for msgid, msgstr in json.loads(sys.argv[1]).items():
    message = catalog.get(msgid)
    if message is None:
        sys.exit(f"not in the catalogue: {msgid!r} (run make extract first)")
    message.string = msgstr
    message.flags.discard("fuzzy")
with open(PATH, "wb") as f:
    write_po(f, catalog, width=76, sort_output=True, omit_header=False)
