"""Build each addon's README.rst from its readme/*.md fragments (OCA layout).

Run ``.venv/bin/python tools/gen_readme.py`` after editing a fragment; the lint step checks
that every README.rst is up to date.
"""

import io
import re
import sys
from pathlib import Path

from docutils.core import publish_doctree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ADDONS, ROOT  # noqa: E402 (tools/ is not a package)

LIST_ITEM = re.compile(r"^(\s*)([-*]|\d+\.)\s")
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def render(addon):
    manifest = eval((addon / "__manifest__.py").read_text(encoding="utf-8"))  # noqa: S307 (our own file)
    title = manifest["name"]
    out = ["=" * len(title), title, "=" * len(title), "", manifest.get("summary", ""), "", ".. contents::", ""]
    for fname, heading in SECTIONS:
        path = addon / "readme" / fname
        if not path.exists():
            continue
        if heading:
            out += [heading, "=" * len(heading), ""]
        in_list, indent = False, 0
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.lstrip("#").strip()
            is_item = bool(LIST_ITEM.match(line))
            if line.startswith("#"):
                if out and out[-1]:
                    out.append("")
                out += [stripped, ("-" if line.startswith("## ") else "~") * len(stripped), ""]
                in_list = False
                continue
            if in_list and line and not is_item and not line.startswith(" "):
                out.append("")  # RST needs a blank line between a list and what follows
            if is_item and out and out[-1] and (not in_list or len(LIST_ITEM.match(line)[1]) != indent):
                out.append("")  # and before a list or a nested level
            if is_item:
                indent = len(LIST_ITEM.match(line)[1])
            in_list = (in_list or is_item) and bool(line)
            out.append(line.replace("`", "``").replace("````", "``"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main():
    check = "--check" in sys.argv
    stale = []
    for addon in sorted(ROOT / name for name in ADDONS):
        text = render(addon)
        target = addon / "README.rst"
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target))
            warnings = io.StringIO()
            publish_doctree(text, settings_overrides={"report_level": 2, "warning_stream": warnings})
            if warnings.getvalue():
                stale.append(f"{target}: {warnings.getvalue().strip()}")
        else:
            target.write_text(text, encoding="utf-8")
    if stale:
        print("README.rst out of date or invalid (run tools/gen_readme.py):", *stale, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
