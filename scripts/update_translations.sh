#!/usr/bin/env bash
# Update the English translation catalogue of the user interface.
#
#   scripts/update_translations.sh           collect new/changed strings into the .po, then
#                                             compile the .mo (after translating the new entries)
#   scripts/update_translations.sh --check   only compile and report untranslated/fuzzy entries
#
# msgids are the Vietnamese texts of the templates and code; only the English catalogue
# (benvung/locale/en/LC_MESSAGES/django.po) exists. Needs GNU gettext (apt-get install gettext)
# and the project's virtualenv. The compiled django.mo is committed: CI and servers have no
# gettext.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
po="$root/benvung/locale/en/LC_MESSAGES/django.po"

cd "$root/benvung"  # scan the package only; `locale/` here is where the catalogue lives
if [ "${1:-}" != "--check" ]; then
    "$python" ../manage.py makemessages --locale en --no-obsolete --no-wrap \
        --ignore '.venv/*' --ignore '*/migrations/*' --ignore '*/static/*' \
        --ignore '*/node_modules/*' --ignore 'locale/*'
fi
"$python" ../manage.py compilemessages --locale en --ignore '.venv/*'

# Entries still to translate (empty msgstr) or to review (fuzzy).
msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' | sed 's/^/untranslated: /' || true
msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' | sed 's/^/fuzzy: /' || true
