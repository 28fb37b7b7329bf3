import itertools
import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.web_jalali.tools import parse_date

from ..tools import normalize_code

_logger = logging.getLogger(__name__)

IMPORT_CHUNK = 10000
# lines of an import named in the message of a cancelled import
ERRORS_SHOWN = 20
HEADER_WORDS = {"WARRANTY SERIAL", "WARRANTY_SERIAL", "WARRANTY", "CARD", "CARD NUMBER", "سریال گارانتی"}


def dump_import_lines(lines, out):
    """Write ``lines`` (``(line_number, cells)``) to the text stream ``out``, one JSON array a line: the
    form the wizard hands the lines to the batch in (:func:`iter_import_lines` reads them back one at a
    time, where one JSON list of a million lines would be read back whole, as a million Python lists)."""
    for line in lines:
        out.write(json.dumps(line, separators=(",", ":")))
        out.write("\n")


def iter_import_lines(data):
    """The ``(line_number, cells)`` of the text written by :func:`dump_import_lines`, one at a time."""
    start, size = 0, len(data or "")
    while start < size:
        end = data.find("\n", start)
        end = size if end < 0 else end
        if end > start:
            yield tuple(json.loads(data[start:end]))
        start = end + 1


_SEEN_TABLES = itertools.count(1)


class _SeenKind:
    """The serials of one kind (warranty or product serial) seen so far: those of the current chunk in
    memory, those of the earlier chunks read from the temporary table for the current chunk's serials."""

    __slots__ = ("earlier", "local")

    def __init__(self):
        self.earlier, self.local = {}, {}

    def __contains__(self, key):
        return key in self.local or key in self.earlier

    def __getitem__(self, key):
        return self.earlier[key] if key in self.earlier else self.local[key]

    def __setitem__(self, key, number):
        self.local[key] = number


class _SeenSerials:
    """The warranty and product serials of the lines accepted so far in one file, with the line of each, for
    the duplicates within the file (``seen["card"]``, ``seen["lot"]``, as dicts). A file of one chunk is
    checked in memory; beyond that, the serials of the earlier chunks go to a temporary table of this
    transaction (a million lines would hold two million serials in Python: 270 MB) and each chunk reads
    back only those of its own serials that an earlier line already has."""

    KINDS = ("card", "lot")

    def __init__(self, cr):
        self.cr = cr
        self.table = None
        self.kinds = {kind: _SeenKind() for kind in self.KINDS}

    def __getitem__(self, kind):
        return self.kinds[kind]

    def start_chunk(self, keys):
        """Before a chunk: the serials of the previous chunk to the table, then ``keys`` (``{kind: set}``,
        the chunk's serials) read back from it."""
        if any(seen.local for seen in self.kinds.values()):
            if self.table is None:
                self.table = SQL.identifier(f"aftersales_import_seen_{next(_SEEN_TABLES)}")
                self.cr.execute(
                    SQL(
                        """CREATE TEMPORARY TABLE %s (kind varchar NOT NULL, name varchar NOT NULL,
                                                      line integer NOT NULL, PRIMARY KEY (kind, name))
                           ON COMMIT DROP""",
                        self.table,
                    )
                )
            for kind, seen in self.kinds.items():
                if seen.local:
                    self.cr.execute(
                        SQL(
                            "INSERT INTO %s (kind, name, line) SELECT %s, * FROM unnest(%s::varchar[], %s::int[])",
                            self.table,
                            kind,
                            list(seen.local),
                            list(seen.local.values()),
                        )
                    )
                seen.local = {}
        if self.table is None:
            return  # no serial accepted yet: nothing to read back
        for kind, seen in self.kinds.items():
            self.cr.execute(
                SQL(
                    "SELECT name, line FROM %s WHERE kind = %s AND name = ANY(%s::varchar[])",
                    self.table,
                    kind,
                    list(keys[kind]),
                )
            )
            seen.earlier = dict(self.cr.fetchall())


class AftersalesWarrantyImportBatch(models.Model):
    """One validated import of warranty serials, run at once or as a background job."""

    _name = "aftersales.warranty.import.batch"
    _description = "Warranty Import Batch"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    state = fields.Selection(
        [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    line_count = fields.Integer("Lines to import", readonly=True)
    done_count = fields.Integer("Lines imported", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    job_uuid = fields.Char("Job", readonly=True, copy=False)
    error_message = fields.Text(readonly=True)
    user_id = fields.Many2one("res.users", "Imported by", default=lambda self: self.env.user, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    warranty_ids = fields.One2many("aftersales.warranty", "import_batch_id", "Warranty cards")
    warranty_count = fields.Integer(compute="_compute_warranty_count")
    date_done = fields.Datetime("Finished on", readonly=True)
    # the lines the background job imports (see dump_import_lines), emptied when it ends; never prefetched:
    # a million lines are 70 MB of text
    lines_data = fields.Text(readonly=True, copy=False, prefetch=False)

    def init(self):
        # Live progress of the imports running as jobs, written by short transactions of their own while the
        # job's transaction holds the batch (see _notify_import_progress). A plain table: one row per
        # running batch, no ORM record, no access rights of its own (read only through ``progress``).
        self.env.cr.execute(
            """CREATE TABLE IF NOT EXISTS aftersales_warranty_import_progress (
                   batch_id integer PRIMARY KEY REFERENCES aftersales_warranty_import_batch ON DELETE CASCADE,
                   done_count integer NOT NULL,
                   write_date timestamp NOT NULL)"""
        )

    @api.depends("line_count", "done_count", "state")
    def _compute_progress(self):
        live = {}
        running = self.filtered(lambda batch: batch.state in ("queued", "running") and batch.id)
        if running:
            self.env.cr.execute(
                SQL(
                    "SELECT batch_id, done_count FROM aftersales_warranty_import_progress WHERE batch_id IN %s",
                    tuple(running.ids),
                )
            )
            live = dict(self.env.cr.fetchall())
        for batch in self:
            done = max(batch.done_count, live.get(batch.id, 0))
            batch.progress = 100.0 * done / batch.line_count if batch.line_count else 0.0

    def _compute_warranty_count(self):
        groups = self.env["aftersales.warranty"]._read_group(
            [("import_batch_id", "in", self.ids)], ["import_batch_id"], ["__count"]
        )
        counts = {batch.id: count for batch, count in groups}
        for batch in self:
            batch.warranty_count = counts.get(batch.id, 0)

    def action_view_warranties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_warranty.aftersales_warranty_action")
        action["domain"] = [("import_batch_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ validation
    @api.model
    def _validate_lines(self, lines, company=None):
        """Validate import lines in a fixed number of queries per chunk of ``IMPORT_CHUNK`` lines.

        ``lines`` is a list of ``(line_number, cells)`` where cells are strings: warranty serial, product
        serial, product code, customer (optional), start date (optional). Returns ``(valid, errors)``:
        ``valid`` a list of dicts ready for :meth:`_create_cards`, ``errors`` a list of
        ``(line_number, content, reason, blocking)`` sorted by line; non-blocking errors are ignored
        (empty) lines. Holds a dict per line: large files go through :meth:`_validate_chunks`.
        """
        valid, errors = [], []
        for _chunk, chunk_valid, chunk_errors in self._validate_chunks(lines, company):
            valid += chunk_valid
            errors += chunk_errors
        errors.sort(key=lambda e: e[0])
        return valid, errors

    @api.model
    def _validate_chunks(self, lines, company=None):
        """Validate ``lines`` (any iterable of ``(line_number, cells)``, read once) ``IMPORT_CHUNK`` at a
        time: yields ``(chunk, valid, errors)`` per chunk, as :meth:`_validate_lines` returns them for the
        chunk's lines. The checks within the whole file (a warranty or product serial already on an earlier
        line) span the chunks; the checks against the database read it when the chunk is validated, so
        the caller may create the cards of a chunk before asking for the next one. Nothing of a chunk is
        kept in memory for the next one (the serials seen so far go to a temporary table: see
        :class:`_SeenSerials`).
        """
        company = company or self.env.company
        seen = _SeenSerials(self.env.cr)
        for chunk in split_every(IMPORT_CHUNK, lines, list):
            seen.start_chunk(self._import_line_serials(chunk))
            errors, parsed = [], []
            for number, cells in chunk:
                row, error = self._parse_import_line(number, cells, seen)
                if error:
                    errors.append(error)
                else:
                    parsed.append(row)
            valid = []
            if parsed:
                context = self._fetch_import_context(parsed, company)
                for row in parsed:
                    vals, reason = self._check_import_row(row, context)
                    if reason:
                        errors.append((row["line"], row["content"], reason, True))
                    else:
                        valid.append(vals)
                del parsed, context
            errors.sort(key=lambda e: e[0])
            yield chunk, valid, errors

    @staticmethod
    def _import_cells(cells):
        """The cells of a line as text, stripped, without the empty ones at its end."""
        cells = [str(c if c is not None else "").strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        return cells

    @api.model
    def _import_line_serials(self, chunk):
        """``{"card": set, "lot": set}``: the warranty and product serials of the lines of ``chunk``, as
        :meth:`_parse_import_line` reads them."""
        keys = {"card": set(), "lot": set()}
        for _number, cells in chunk:
            cells = self._import_cells(cells)
            if cells:
                keys["card"].add(normalize_code(cells[0]))
            if len(cells) > 1:
                keys["lot"].add(normalize_code(cells[1]))
        return keys

    def _parse_import_line(self, number, cells, seen):
        """Return ``(row, None)`` for a well-formed line or ``(None, error)``; updates ``seen`` serials."""
        _ = self.env._
        cells = self._import_cells(cells)
        content = " | ".join(cells)
        if not cells:
            return None, (number, "", _("Line %(line)s is empty and was ignored.", line=number), False)
        if len(cells) > 5:
            return None, (number, content, _("Line %(line)s has more than 5 columns.", line=number), True)
        cells += [""] * (5 - len(cells))
        card, lot, code = (normalize_code(c) for c in cells[:3])
        customer, start = " ".join(cells[3].split()), cells[4]
        labels = (_("warranty serial"), _("product serial"), _("product code"))
        missing = [label for label, value in zip(labels, (card, lot, code), strict=True) if not value]
        reason = None
        date_start = parse_date(start) if start else False
        if missing:
            reason = _("Line %(line)s: missing %(fields)s.", line=number, fields=", ".join(missing))
        elif date_start is None:
            reason = _(
                "Line %(line)s: %(value)s is not a valid date (use 2025-03-21 or 1404/01/01).", line=number, value=start
            )
        elif card in seen["card"]:
            reason = _(
                "Line %(line)s: warranty serial %(serial)s is already on line %(first)s of the file.",
                line=number,
                serial=card,
                first=seen["card"][card],
            )
        elif lot in seen["lot"]:
            reason = _(
                "Line %(line)s: product serial %(serial)s is already on line %(first)s of the file.",
                line=number,
                serial=lot,
                first=seen["lot"][lot],
            )
        if reason:
            return None, (number, content, reason, True)
        seen["card"][card] = number
        seen["lot"][lot] = number
        row = {
            "line": number,
            "content": content,
            "name": card,
            "lot_name": lot,
            "code": code,
            "customer": customer,
            "date_start": date_start,
        }
        return row, None

    def _fetch_import_context(self, parsed, company):
        """Read everything the checks need in a fixed number of queries."""
        cr = self.env.cr
        context = {"company": company, "today": self.env["aftersales.warranty"]._company_today(company)}
        cr.execute(
            SQL(
                """SELECT v.code, p.id FROM unnest(%s::varchar[]) AS v(code)
                     JOIN product_product p ON upper(p.default_code) = v.code
                     JOIN product_template t ON t.id = p.product_tmpl_id
                    WHERE p.default_code IS NOT NULL AND p.active AND (t.company_id IS NULL OR t.company_id = %s)""",
                list({row["code"] for row in parsed}),
                company.id,
            )
        )
        products_by_code = {}
        for code, product_id in cr.fetchall():
            products_by_code.setdefault(code, []).append(product_id)
        context["products_by_code"] = products_by_code
        products = self.env["product.product"].browse({pid for ids in products_by_code.values() for pid in ids})
        products.fetch(["default_code", "tracking", "product_tmpl_id"])
        cr.execute(
            SQL(
                """SELECT v.name, l.id, l.product_id FROM unnest(%s::varchar[]) AS v(name)
                     JOIN stock_lot l ON upper(l.name) = v.name
                    WHERE l.company_id IS NULL OR l.company_id = %s""",
                [row["lot_name"] for row in parsed],
                company.id,
            )
        )
        lots_by_name = {}
        for name, lot_id, product_id in cr.fetchall():
            lots_by_name.setdefault(name, {})[product_id] = lot_id
        context["lots_by_name"] = lots_by_name
        cr.execute(
            SQL(
                """SELECT w.name FROM unnest(%s::varchar[]) AS v(name)
                     JOIN aftersales_warranty w ON w.name = v.name
                    WHERE w.company_id = %s""",
                [row["name"] for row in parsed],
                company.id,
            )
        )
        context["registered"] = {name for (name,) in cr.fetchall()}
        lot_ids = [lot_id for by_product in lots_by_name.values() for lot_id in by_product.values()]
        cr.execute(
            SQL(
                """SELECT w.lot_id, w.name FROM unnest(%s::int[]) AS v(id)
                     JOIN aftersales_warranty w ON w.lot_id = v.id
                    WHERE w.state != 'void'""",
                lot_ids,
            )
        )
        context["card_of_lot"] = dict(cr.fetchall())
        # customers by reference, then by exact name (several with that name: ambiguous)
        names = list({row["customer"] for row in parsed if row["customer"]})
        partner_by_key = {}
        if names:
            partners = self.env["res.partner"].search_fetch(
                ["|", ("ref", "in", names), ("name", "in", names), ("company_id", "in", [False, company.id])],
                ["ref", "name"],
            )
            by_name = {}
            for partner in partners:
                if partner.ref:
                    partner_by_key.setdefault(("ref", partner.ref), partner.id)
                by_name.setdefault(partner.name, []).append(partner.id)
            for name, ids in by_name.items():
                partner_by_key[("name", name)] = ids[0] if len(ids) == 1 else ids
        context["partner_by_key"] = partner_by_key
        return context

    def _check_import_row(self, row, context):
        """Return ``(vals, None)`` for a good row, ``(None, reason)`` for a bad one."""
        _ = self.env._
        number = row["line"]
        ids = context["products_by_code"].get(row["code"])
        if not ids:
            return None, _("Line %(line)s: unknown product code %(code)s.", line=number, code=row["code"])
        if len(ids) > 1:
            return None, _("Line %(line)s: several products have the code %(code)s.", line=number, code=row["code"])
        product = self.env["product.product"].browse(ids[0])
        if product.tracking != "serial":
            return None, _(
                "Line %(line)s: product %(product)s is not tracked by unique serial number.",
                line=number,
                product=product.display_name,
            )
        wtype = product.product_tmpl_id._get_aftersales_warranty_type()
        if not wtype:
            return None, _(
                "Line %(line)s: product %(product)s is not serviceable or has no warranty type.",
                line=number,
                product=product.display_name,
            )
        if row["name"] in context["registered"]:
            return None, _(
                "Line %(line)s: warranty serial %(serial)s is already registered.", line=number, serial=row["name"]
            )
        lots = context["lots_by_name"].get(row["lot_name"], {})
        lot_id = lots.get(product.id)
        if not lot_id and lots:
            others = self.env["product.product"].browse(list(lots)).sudo().mapped("display_name")
            return None, _(
                "Line %(line)s: product serial %(serial)s belongs to another product (%(products)s).",
                line=number,
                serial=row["lot_name"],
                products=", ".join(others),
            )
        if lot_id and lot_id in context["card_of_lot"]:
            return None, _(
                "Line %(line)s: product serial %(serial)s already has the warranty card %(card)s.",
                line=number,
                serial=row["lot_name"],
                card=context["card_of_lot"][lot_id],
            )
        partner_id = False
        if row["customer"]:
            keys = context["partner_by_key"]
            partner_id = keys.get(("ref", row["customer"])) or keys.get(("name", row["customer"]))
            if not partner_id:
                return None, _("Line %(line)s: unknown customer %(customer)s.", line=number, customer=row["customer"])
            if isinstance(partner_id, list):
                return None, _(
                    "Line %(line)s: several customers are named %(customer)s; use their reference.",
                    line=number,
                    customer=row["customer"],
                )
        state = "draft"
        if row["date_start"]:
            grace_end = wtype.compute_date_end(row["date_start"]) + timedelta(days=wtype.grace_days)
            state = "active" if grace_end >= context["today"] else "expired"
        vals = {
            "line": number,
            "name": row["name"],
            "lot_id": lot_id or False,
            "lot_name": row["lot_name"],
            "product_id": product.id,
            "partner_id": partner_id,
            "warranty_type_id": wtype.id,
            "date_start": row["date_start"],
            "state": state,
        }
        return vals, None

    # ------------------------------------------------------------------ execution
    def _run_import(self, lines):
        """Validate ``lines`` again and create all their cards, or none (raises on any blocking error).

        ``lines`` is any iterable of ``(line_number, cells)``, read once. The lines are validated and their
        cards created chunk by chunk (:meth:`_validate_chunks`), so that a million lines never live in
        memory together; after the first bad line nothing more is created, the rest is still validated
        to report every bad line, and a savepoint takes back the chunks already created.
        """
        self.ensure_one()
        if self._import_progress_published():
            self._notify_import_progress(0)
        else:
            self.write({"state": "running"})
        card_ids, blocking, blocking_count = [], [], 0
        with self.env.cr.savepoint():
            batch = self.with_company(self.company_id)
            for _chunk, valid, errors in batch._validate_chunks(lines, self.company_id):
                bad = [e for e in errors if e[3]]
                if bad or blocking_count:
                    blocking_count += len(bad)
                    blocking = sorted(blocking + bad, key=lambda e: e[0])[:ERRORS_SHOWN]
                    continue
                if valid:
                    card_ids += self._create_cards(valid, done=len(card_ids)).ids
            if blocking_count:
                raise UserError(
                    self.env._(
                        "The import was cancelled, nothing was saved: %(count)s lines are no longer valid.\n"
                        "%(reasons)s",
                        count=blocking_count,
                        reasons="\n".join(e[2] for e in blocking),
                    )
                )
        self.write(
            {"state": "done", "done_count": len(card_ids), "date_done": fields.Datetime.now(), "lines_data": False}
        )
        return self.env["aftersales.warranty"].browse(card_ids)

    def _create_cards(self, valid, done=0):
        """Create the missing serials and the cards of validated rows, in bulk.

        The rows were fully validated by :meth:`_validate_lines` (products, serials, duplicates,
        registered cards), so they are written with one multi-row ``INSERT`` per table and chunk
        (about 30 times faster than ``create(vals_list)``, which matters for 100,000 lines). Every
        stored field of both tables is written here (end dates computed in Python from the type), then
        the ORM cache is dropped and the one-card-per-serial constraint is checked again. The serials
        also get the default of every other stored field of ``stock.lot`` the ORM would fill, whichever
        module adds it (see :meth:`_lot_default_columns`); a module that adds stored *computed* fields
        depending on serials or cards must extend this method to fill them. ``done``: the lines of the
        same import created before these (for the progress shown).
        """
        self.ensure_one()
        cr = self.env.cr
        self.env.flush_all()
        company_id = self.company_id.id
        uid = self.env.uid
        now = fields.Datetime.now()
        types = {
            wtype.id: wtype
            for wtype in self.env["aftersales.warranty.type"].browse({r["warranty_type_id"] for r in valid})
        }
        products = self.env["product.product"].browse({r["product_id"] for r in valid})
        uom_of = {product.id: product.uom_id.id for product in products}
        Warranty = self.env["aftersales.warranty"]
        card_ids, lot_ids = [], []
        lot_defaults = self._lot_default_columns()
        default_columns = SQL(", ").join(SQL.identifier(name) for name in lot_defaults)
        default_values = SQL(", ").join(SQL("%s", value) for value in lot_defaults.values())
        if lot_defaults:
            default_columns, default_values = SQL(", %s", default_columns), SQL(", %s", default_values)
        for start in range(0, len(valid), IMPORT_CHUNK):
            chunk = valid[start : start + IMPORT_CHUNK]
            new_lots = [row for row in chunk if not row["lot_id"]]
            if new_lots:
                cr.execute(
                    SQL(
                        """INSERT INTO stock_lot (name, product_id, product_uom_id, company_id,
                                                  create_uid, write_uid, create_date, write_date%s)
                           SELECT name, product_id, uom_id, %s, %s, %s, %s, %s%s
                             FROM unnest(%s::varchar[], %s::int[], %s::int[]) AS v(name, product_id, uom_id)
                           RETURNING id, name, product_id""",
                        default_columns,
                        company_id,
                        uid,
                        uid,
                        now,
                        now,
                        default_values,
                        [row["lot_name"] for row in new_lots],
                        [row["product_id"] for row in new_lots],
                        [uom_of[row["product_id"]] for row in new_lots],
                    )
                )
                created = {(name, product_id): lot_id for lot_id, name, product_id in cr.fetchall()}
                for row in new_lots:
                    row["lot_id"] = created[(row["lot_name"], row["product_id"])]
                lot_ids.extend(created.values())
            date_ends, grace_ends = [], []
            for row in chunk:
                wtype = types[row["warranty_type_id"]]
                date_end = wtype.compute_date_end(row["date_start"]) if row["date_start"] else None
                date_ends.append(date_end)
                grace_ends.append(date_end + timedelta(days=wtype.grace_days) if date_end else None)
            cr.execute(
                SQL(
                    """INSERT INTO aftersales_warranty (name, lot_id, product_id, partner_id, warranty_type_id,
                                                        date_start, date_end, date_grace_end, state, company_id,
                                                        import_batch_id, create_uid, write_uid, create_date, write_date)
                       SELECT name, lot_id, product_id, partner_id, type_id, date_start, date_end, grace_end, state,
                              %s, %s, %s, %s, %s, %s
                         FROM unnest(%s::varchar[], %s::int[], %s::int[], %s::int[], %s::int[], %s::date[],
                                     %s::date[], %s::date[], %s::varchar[])
                           AS v(name, lot_id, product_id, partner_id, type_id, date_start, date_end, grace_end, state)
                       RETURNING id""",
                    company_id,
                    self.id,
                    uid,
                    uid,
                    now,
                    now,
                    [row["name"] for row in chunk],
                    [row["lot_id"] for row in chunk],
                    [row["product_id"] for row in chunk],
                    [row["partner_id"] or None for row in chunk],
                    [row["warranty_type_id"] for row in chunk],
                    [row["date_start"] or None for row in chunk],
                    date_ends,
                    grace_ends,
                    [row["state"] for row in chunk],
                )
            )
            card_ids.extend(cid for (cid,) in cr.fetchall())
            self._notify_import_progress(done + start + len(chunk))
        self.env.invalidate_all()
        cards = Warranty.browse(card_ids)
        cards._check_one_card_per_lot()
        return cards

    def _import_progress_published(self):
        """Whether progress is published while the import runs (a job, outside tests)."""
        return not self.env.registry.in_test_mode() and bool(self.env.context.get("job_uuid"))

    def _lot_default_columns(self):
        """``{column: value}`` of the stored fields of ``stock.lot`` that the bulk insert of
        :meth:`_create_cards` does not write and that ``create()`` would fill with a default (the field's
        own, one set by a user in ir.default, or one in the context), in the form ``create()`` writes them
        (``convert_to_column_insert``). Computed from the model's fields, so that a module adding a field
        with a default to serials gets it filled by the import too. Stored computed fields are not
        defaults: they are left to the module that adds them."""
        Lot = self.env["stock.lot"].with_company(self.company_id)
        written = {"id", "name", "product_id", "product_uom_id", "company_id", *models.LOG_ACCESS_COLUMNS}
        candidates = [
            name
            for name, field in Lot._fields.items()
            if field.store and field.column_type and not field.compute and name not in written
        ]
        defaults = Lot.default_get(candidates)
        return {
            name: Lot._fields[name].convert_to_column_insert(value, Lot)
            for name, value in defaults.items()
            if name in candidates
        }

    def _notify_import_progress(self, done):
        """Publish progress through a separate transaction, so that users see it while the job runs.

        Progress goes to its own table, never to the batch row: the job's transaction writes the batch at its
        end, and a row another transaction changed meanwhile would make it fail (serialization) or wait.
        """
        if not self._import_progress_published():
            return
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """INSERT INTO aftersales_warranty_import_progress (batch_id, done_count, write_date)
                       VALUES (%s, %s, now() at time zone 'UTC')
                       ON CONFLICT (batch_id) DO UPDATE SET done_count = EXCLUDED.done_count,
                                                            write_date = EXCLUDED.write_date""",
                    self.id,
                    done,
                )
            )

    def _job_import(self, lines=None):
        """queue_job entry point: run the import in one transaction; on failure mark the batch failed.

        The lines are read from ``lines_data`` (the job's own arguments, which queue_job stores as JSON and
        reads back whole, stay small); ``lines``: jobs queued before, which carried their lines.
        """
        self.ensure_one()
        if lines is None:
            if self.state not in ("queued", "running"):
                # a job run again by hand after its end: its lines are gone, and so must its batch stay
                return self.env._("This import has already run.")
            lines = iter_import_lines(self.lines_data)
        try:
            with self.env.cr.savepoint():
                cards = self.with_context(job_uuid=self.job_uuid)._run_import(lines)
        except UserError as error:
            self.write({"state": "failed", "error_message": str(error), "done_count": 0, "lines_data": False})
            _logger.warning("warranty import batch %s failed: %s", self.name, error)
            return str(error)
        return self.env._("%(count)s warranty cards imported.", count=len(cards))
