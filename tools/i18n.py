"""Translation upkeep for the four addons.

    python tools/i18n.py export DB   write <addon>/i18n/<addon>.pot from database DB (addons installed)
                                     and merge new terms into <addon>/i18n/fa.po, keeping translations
    python tools/i18n.py check DB    fail when a translatable term of our addons has no Persian translation,
                                     or when fa.po has a term its .pot lacks (Odoo drops it when loading)
    python tools/i18n.py untranslated ADDON   list the fa.po entries still to translate

DB must have the addons installed (the test database of ``./aftersales test`` does).
"""

import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ADDONS, ROOT, odoo_cmd  # noqa: E402 (tools/ is not a package)


def export_pots(db, addons):
    """Return {addon: polib.POFile} of the terms Odoo extracts for each addon."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "terms.tgz"
        cmd = odoo_cmd(
            db, f"--i18n-export={target}", f"--modules={','.join(addons)}", "--log-level=warn", "--stop-after-init"
        )
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not target.exists():
            sys.stderr.write(proc.stdout + proc.stderr)
            raise subprocess.CalledProcessError(proc.returncode, cmd)
        pots = {}
        with tarfile.open(target) as tar:
            for member in tar.getmembers():
                parts = Path(member.name).parts
                if member.isfile() and parts[0] in addons and member.name.endswith(".pot"):
                    pots[parts[0]] = polib.pofile(tar.extractfile(member).read().decode("utf-8"))
        return pots


def fa_path(addon):
    return ROOT / addon / "i18n" / "fa.po"


def load_fa(addon):
    path = fa_path(addon)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "Language": "fa",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    return po


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def cmd_export(db):
    addons = [a for a in ADDONS if (ROOT / a).is_dir()]
    pots = export_pots(db, addons)
    for addon, pot in pots.items():
        (ROOT / addon / "i18n").mkdir(exist_ok=True)
        pot.wrapwidth = 0
        pot.save(str(ROOT / addon / "i18n" / f"{addon}.pot"))
        fa = load_fa(addon)
        known = {key(e): e for e in fa}
        merged = polib.POFile(wrapwidth=0)
        merged.metadata = fa.metadata
        for entry in pot:
            old = known.get(key(entry))
            entry.msgstr = old.msgstr if old else ""
            merged.append(entry)
        merged.save(str(fa_path(addon)))
        todo = sum(1 for e in merged if not e.msgstr)
        print(f"{addon}: {len(merged)} terms, {todo} without Persian translation")


def missing_terms(db, addons):
    pots = export_pots(db, addons)
    result = {}
    for addon, pot in pots.items():
        fa = load_fa(addon)
        done = {key(e) for e in fa if e.msgstr.strip() and "fuzzy" not in e.flags}
        result[addon] = [e.msgid for e in pot if key(e) not in done]
    return result


def ignored_terms(addon):
    """fa.po entries that the addon's .pot lacks: Odoo merges the .pot into fa.po when it loads it and
    drops them (polib marks them obsolete), so their translations never reach the screen."""
    pot_path = ROOT / addon / "i18n" / f"{addon}.pot"
    if not pot_path.exists() or not fa_path(addon).exists():
        return []
    in_pot = {key(e) for e in polib.pofile(str(pot_path))}
    return [e.msgid for e in load_fa(addon) if not e.obsolete and key(e) not in in_pot]


def cmd_check(db):
    addons = [a for a in ADDONS if (ROOT / a).is_dir()]
    bad = False
    for addon, missing in missing_terms(db, addons).items():
        if missing:
            bad = True
            print(f"{addon}: {len(missing)} terms without Persian translation, e.g.:")
            for msgid in missing[:15]:
                print(f"   {msgid[:100]!r}")
        else:
            print(f"{addon}: every term has a Persian translation")
        ignored = ignored_terms(addon)
        if ignored:
            bad = True
            print(f"{addon}: {len(ignored)} fa.po terms missing from {addon}.pot, ignored by Odoo (run export), e.g.:")
            for msgid in ignored[:15]:
                print(f"   {msgid[:100]!r}")
    sys.exit(1 if bad else 0)


def cmd_untranslated(addon):
    out = io.StringIO()
    for entry in load_fa(addon):
        if not entry.msgstr:
            out.write(f"{entry.msgid!r}\n")
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"export", "check", "untranslated"}:
        sys.exit(__doc__)
    {"export": cmd_export, "check": cmd_check, "untranslated": cmd_untranslated}[sys.argv[1]](sys.argv[2])
