"""Build each addon's README.rst from its readme/*.md fragments (OCA layout).

Run ``.venv/bin/python tools/gen_readme.py`` after editing a fragment; the lint step checks
that every README.rst is up to date.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.lstrip("#").strip()
            if line.startswith("## "):
                out += [stripped, "-" * len(stripped)]
            elif line.startswith("# "):
                out += [stripped, "~" * len(stripped)]
            else:
                out.append(line.replace("`", "``").replace("````", "``"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main():
    check = "--check" in sys.argv
    stale = []
    for addon in sorted(ROOT.glob("aftersales_*")):
        text = render(addon)
        target = addon / "README.rst"
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target))
        else:
            target.write_text(text, encoding="utf-8")
    if stale:
        print("README.rst out of date (run tools/gen_readme.py):", *stale, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
