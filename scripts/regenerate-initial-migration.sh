#!/usr/bin/env bash
# Until the first release, the schema is one initial Alembic revision regenerated from the models.
# After release, never run this: write new revisions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
mv migrations/versions/0001_initial_schema.py "$tmp/old.py"
seed=$(sed -n '/^def seed_life_dimensions/,/^def downgrade/p' "$tmp/old.py" | sed '$d')
DATABASE_URL="sqlite:///$tmp/empty.sqlite" .venv/bin/python - <<'PY'
from alembic import command
from server import create_app
from server.cli import alembic_config
app = create_app()
with app.app_context():
    command.revision(alembic_config(), message="initial schema", autogenerate=True, rev_id="0001")
PY
python3 - "$tmp/seed.txt" <<PY
import sys
p = "migrations/versions/0001_initial_schema.py"
s = open(p).read()
seed = '''$seed'''
s = s.replace("    # ### end Alembic commands ###\n\n\ndef downgrade", "    # ### end Alembic commands ###\n    seed_life_dimensions()\n\n\n" + seed.rstrip() + "\n\n\ndef downgrade", 1)
open(p, "w").write(s)
PY
rm -rf "$tmp"
echo "regenerated migrations/versions/0001_initial_schema.py"
