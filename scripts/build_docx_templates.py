"""Write the default Word templates of the annual documents into
benvung/documents/templates_docx/ (committed, shipped as package data).

    python scripts/build_docx_templates.py

The layout (Nghị định 30/2020/NĐ-CP) is in benvung/documents/layout.py, the wording and the
Jinja tags in benvung/documents/builder.py; running this again gives the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benvung.documents.builder import build_all


def main() -> None:
    for path in build_all():
        print(f"Đã ghi {path}")


if __name__ == "__main__":
    main()
