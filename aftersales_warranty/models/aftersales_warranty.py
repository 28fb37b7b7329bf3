import functools
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index, file_open, format_date

from odoo.addons.web_jalali.tools import format_reader_date

from ..tools import normalize_code

# lookup: how many serials of one product are listed before answering "several matches"
LOOKUP_MAX_CANDIDATES = 20  # an ambiguous answer lists this many serials at most
# the SQL function behind the lookup (data/aftersales_warranty_lookup.sql), as PostgreSQL names it
LOOKUP_FUNCTION = "aftersales_warranty_lookup(character varying[],integer[],integer,character varying)"


def drop_lookup_functions(cr, keep=None):
    """Drop the lookup functions of the current schema but ``keep`` (on upgrade: versions with another
    signature, which ``CREATE OR REPLACE`` would leave beside the new one; on uninstall: all)."""
    cr.execute(
        """SELECT p.oid::regprocedure::text FROM pg_proc p
            WHERE p.proname = 'aftersales_warranty_lookup'
              AND p.pronamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema())"""
    )
    for (signature,) in cr.fetchall():
        if signature != keep:
            cr.execute(SQL("DROP FUNCTION %s", SQL(signature)))


class AftersalesWarranty(models.Model):
    """The warranty of one product serial for one customer."""

    _name = "aftersales.warranty"
    _description = "Warranty Card"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Warranty serial",
        required=True,
        copy=False,
        tracking=True,
        index="trigram",
        default=lambda self: self.env._("New"),
        help="Card number printed on the warranty card; stored normalized (upper case, ASCII digits) "
        "and unique per company.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        "Product serial",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", string="Product template")
    partner_id = fields.Many2one("res.partner", "Customer", index="btree_not_null", tracking=True, check_company=True)
    warranty_type_id = fields.Many2one(
        "aftersales.warranty.type",
        "Warranty type",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_warranty_type_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    coverage = fields.Selection(related="warranty_type_id.coverage")
    date_start = fields.Date("Start date", tracking=True, index=True, copy=False)
    date_end_override = fields.Date(
        "Manual end date",
        tracking=True,
        copy=False,
        help="Set to replace the end date computed from the warranty type.",
    )
    date_end = fields.Date(
        "End date",
        compute="_compute_date_end",
        store=True,
        index=True,
        tracking=True,
        help="Last covered day: the manual end date when set, otherwise computed from the start date and the type.",
    )
    date_grace_end = fields.Date(
        "Covered until",
        compute="_compute_date_end",
        store=True,
        index=True,
        help="End date plus the grace period of the type; the card expires the day after.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("expired", "Expired"), ("void", "Void")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Draft: registered, not started (waiting for delivery, registration or activation).\n"
        "Active: the warranty runs from the start date to the end date.\n"
        "Expired: the end date and the grace period have passed.\n"
        "Void: deactivated by a user, with a reason.",
    )
    under_warranty = fields.Boolean(compute="_compute_under_warranty")
    days_left = fields.Integer(compute="_compute_under_warranty")
    void_reason = fields.Text("Void reason", tracking=True, copy=False)
    date_void = fields.Date("Voided on", copy=False, readonly=True)
    returned = fields.Boolean(tracking=True, copy=False, readonly=True, help="The serial came back from the customer.")
    date_returned = fields.Date("Returned on", copy=False, readonly=True)
    delivery_picking_id = fields.Many2one(
        "stock.picking", "Delivery", copy=False, readonly=True, index="btree_not_null"
    )
    return_picking_id = fields.Many2one("stock.picking", "Return", copy=False, readonly=True)
    sale_order_id = fields.Many2one("sale.order", "Sale order", copy=False, index="btree_not_null")
    import_batch_id = fields.Many2one(
        "aftersales.warranty.import.batch", "Import batch", copy=False, readonly=True, index="btree_not_null"
    )
    renewal_lead_ids = fields.One2many("crm.lead", "aftersales_warranty_id", "Extended warranty opportunities")
    date_renewal_offer = fields.Date(
        "Extension offered on", copy=False, readonly=True, help="Date the extended-warranty opportunity was created."
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    note = fields.Html()

    _sql_constraints = [
        ("name_company_uniq", "UNIQUE(name, company_id)", "A warranty serial must be unique per company."),
    ]

    def init(self):
        res = super().init()
        cr = self.env.cr
        # exact, normalized lookups by product serial and product code (native has only trigram/plain)
        create_index(cr, "aftersales_stock_lot_upper_name_idx", "stock_lot", ["upper(name)"])
        create_index(cr, "aftersales_stock_lot_name_btree_idx", "stock_lot", ["name"])
        create_index(
            cr,
            "aftersales_product_product_upper_code_idx",
            "product_product",
            ["upper(default_code)"],
            where="default_code IS NOT NULL",
        )
        # a product's latest cards (lookup by product code), newest first. Ordered on -id, which no other
        # index offers: ordered on id, the primary key read backwards competes, and for a product with
        # few cards that reads the whole table. Replaces two earlier versions.
        cr.execute(
            "DROP INDEX IF EXISTS aftersales_warranty_product_current_idx, aftersales_warranty_product_latest_idx"
        )
        create_index(
            cr,
            "aftersales_warranty_product_recent_idx",
            self._table,
            ["product_id", "(-id)", "company_id"],
            where="state != 'void'",
        )
        create_index(cr, "aftersales_warranty_lot_current_idx", self._table, ["lot_id", "id"], where="state != 'void'")
        # a customer's latest cards of a product (lookup by product code for a known customer), index only
        create_index(
            cr,
            "aftersales_warranty_customer_product_idx",
            self._table,
            ["product_id", "partner_id", "id", "company_id"],
            where="state != 'void'",
        )
        drop_lookup_functions(cr, keep=LOOKUP_FUNCTION)
        with file_open("aftersales_warranty/data/aftersales_warranty_lookup.sql") as sql_file:
            cr.execute(sql_file.read().replace(":max_cards", str(LOOKUP_MAX_CANDIDATES + 1)))
        return res

    # ------------------------------------------------------------------ computes
    @api.depends("lot_id")
    def _compute_product_id(self):
        for card in self:
            if card.lot_id:
                card.product_id = card.lot_id.product_id

    @api.depends("product_id")
    def _compute_warranty_type_id(self):
        for card in self:
            if card.product_id and not card.warranty_type_id:
                card.warranty_type_id = card.product_id.product_tmpl_id._get_aftersales_warranty_type()

    @api.depends(
        "date_start",
        "date_end_override",
        "warranty_type_id.duration",
        "warranty_type_id.duration_unit",
        "warranty_type_id.grace_days",
    )
    def _compute_date_end(self):
        for card in self:
            date_end = card.date_end_override or (
                card.warranty_type_id and card.warranty_type_id.compute_date_end(card.date_start)
            )
            card.date_end = date_end or False
            card.date_grace_end = date_end and date_end + timedelta(days=card.warranty_type_id.grace_days) or False

    @api.depends("state", "date_start", "date_end", "date_grace_end")
    @api.depends_context("date")
    def _compute_under_warranty(self):
        dates = {company: self._company_today(company) for company in self.company_id}
        for card in self:
            today = dates.get(card.company_id) or self._company_today()  # a new card without company
            card.under_warranty = bool(
                card.state == "active"
                and card.date_start
                and card.date_start <= today <= (card.date_grace_end or card.date_end)
            )
            card.days_left = max((card.date_end - today).days, 0) if card.date_end else 0

    # ------------------------------------------------------------------ constraints
    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        bad = self.filtered(lambda c: c.lot_id and c.lot_id.product_id != c.product_id)
        if bad:
            raise ValidationError(
                self.env._(
                    "The product serial does not belong to the product of the card: %(cards)s",
                    cards=", ".join(f"{c.name} ({c.lot_id.name})" for c in bad),
                )
            )

    @api.constrains("lot_id", "state")
    def _check_one_card_per_lot(self):
        lots = self.filtered(lambda c: c.lot_id and c.state != "void").lot_id
        if not lots:
            return
        groups = self._read_group(
            [("lot_id", "in", lots.ids), ("state", "!=", "void")], ["lot_id"], ["__count"], having=[("__count", ">", 1)]
        )
        if groups:
            raise ValidationError(
                self.env._(
                    "A product serial can have only one warranty card that is not void: %(serials)s",
                    serials=", ".join(lot.name for lot, _count in groups),
                )
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        bad = self.filtered(lambda c: c.date_start and c.date_end and c.date_end < c.date_start)
        if bad:
            raise ValidationError(
                self.env._("The end date is before the start date on: %(cards)s", cards=", ".join(bad.mapped("name")))
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        new_label = self.env._("New")
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            name = normalize_code(vals.get("name"))
            if not name or name == normalize_code(new_label):
                name = sequence.next_by_code("aftersales.warranty") or new_label
            vals["name"] = name
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals:
            vals = dict(vals, name=normalize_code(vals["name"]))
            if not vals["name"]:
                raise ValidationError(self.env._("The warranty serial cannot be empty."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered(lambda c: c.state != "draft")
        if used:
            raise UserError(
                self.env._(
                    "Only draft warranty cards can be deleted; void the others instead: %(cards)s",
                    cards=", ".join(used.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ actions
    def action_activate(self):
        """Activate draft or void cards (start today when no start date is set)."""
        wrong = self.filtered(lambda c: c.state not in ("draft", "void"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only draft or void warranty cards can be activated: %(cards)s",
                    cards=", ".join(f"{c.name} ({c._state_label()})" for c in wrong),
                )
            )
        ended = self.browse()
        for company, cards in self.grouped("company_id").items():
            today = self._company_today(company)
            cards.filtered(lambda c: not c.date_start).write({"date_start": today})
            ended |= cards.filtered(lambda c, today=today: c.date_grace_end and c.date_grace_end < today)
        if ended:
            raise UserError(
                self.env._(
                    "These warranty cards ended before today and cannot be activated: %(cards)s",
                    cards=", ".join(f"{c.name} ({c.date_end})" for c in ended),
                )
            )
        self.write({"state": "active", "void_reason": False, "date_void": False})
        return True

    def action_register(self, partner_id=False, date_start=False):
        """Registration by the customer (portal, SMS, reception): start draft cards.

        Sets the customer when given (or keeps the card's), starts on ``date_start`` (default today) and
        activates. Used for types that start on registration, but accepted for any draft card.
        """
        wrong = self.filtered(lambda c: c.state != "draft")
        if wrong:
            raise UserError(
                self.env._(
                    "Only draft warranty cards can be registered: %(cards)s",
                    cards=", ".join(f"{c.name} ({c._state_label()})" for c in wrong),
                )
            )
        vals = {"partner_id": partner_id} if partner_id else {}
        if date_start:
            vals["date_start"] = date_start
            self.write(vals)
        else:
            for company, cards in self.grouped("company_id").items():
                cards.write(dict(vals, date_start=self._company_today(company)))
        missing = self.filtered(lambda c: not c.partner_id)
        if missing:
            raise UserError(
                self.env._(
                    "A warranty card needs its customer to be registered: %(cards)s",
                    cards=", ".join(missing.mapped("name")),
                )
            )
        return self.action_activate()

    def action_open_void_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Void warranty cards"),
            "res_model": "aftersales.warranty.void",
            "view_mode": "form",
            "target": "new",
            "context": {"default_warranty_ids": [fields.Command.set(self.ids)]},
        }

    def _action_void(self, reason):
        """Void the cards with ``reason`` (required)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason to void warranty cards."))
        wrong = self.filtered(lambda c: c.state == "void")
        if wrong:
            raise UserError(
                self.env._("These warranty cards are already void: %(cards)s", cards=", ".join(wrong.mapped("name")))
            )
        for company, cards in self.grouped("company_id").items():
            cards.write({"state": "void", "void_reason": reason.strip(), "date_void": self._company_today(company)})
        return True

    def action_view_renewal_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action.update(domain=[("aftersales_warranty_id", "=", self.id)], context={"create": False})
        return action

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env)).get(self.state, self.state)

    # ------------------------------------------------------------------ stock hooks
    @api.model
    def _register_deliveries(self, move_lines):
        """Create or start the cards of serials delivered to a customer by ``move_lines`` (done).

        Called by ``stock.move._action_done``; works on the whole batch: one search for the existing
        cards, one ``create`` for the new ones, one ``write`` per (state, date, partner) group.
        """
        move_lines = move_lines.filtered(
            lambda ml: ml.lot_id
            and ml.product_id.product_tmpl_id.is_serviceable
            and ml.product_id.product_tmpl_id._get_aftersales_warranty_type()
        )
        if not move_lines:
            return self.browse()
        Card = self.sudo()  # stock users validate deliveries without after-sales rights; data comes from the move
        existing = Card.search([("lot_id", "in", move_lines.lot_id.ids), ("state", "!=", "void")])
        card_by_lot = {card.lot_id.id: card for card in existing}
        vals_list = []
        touched = self.browse()
        for ml in move_lines:
            picking = ml.picking_id
            partner = picking.partner_id or ml.move_id.partner_id
            wtype = ml.product_id.product_tmpl_id._get_aftersales_warranty_type()
            date_done = self._company_today(ml.company_id, ml.date or fields.Datetime.now())
            sale = ml.move_id.sale_line_id.order_id
            date_start = False
            if wtype.start_trigger == "delivery":
                date_start = date_done
            elif wtype.start_trigger == "sale" and sale.date_order:
                date_start = self._company_today(ml.company_id, sale.date_order)
            card = card_by_lot.get(ml.lot_id.id)
            if card:
                vals = {"delivery_picking_id": picking.id}
                if partner and not card.partner_id:
                    vals["partner_id"] = partner.id
                if sale and not card.sale_order_id:
                    vals["sale_order_id"] = sale.id
                if card.state == "draft" and date_start:
                    vals.update(state="active", date_start=card.date_start or date_start)
                if card.returned:
                    vals.update(returned=False, date_returned=False)
                    card.message_post(
                        body=self.env._("Serial delivered again to the customer (%(picking)s).", picking=picking.name)
                    )
                card.write(vals)
                touched |= card
                continue
            vals_list.append(
                {
                    "lot_id": ml.lot_id.id,
                    "product_id": ml.product_id.id,
                    "partner_id": partner.id,
                    "warranty_type_id": wtype.id,
                    "date_start": date_start,
                    "state": "active" if date_start else "draft",
                    "delivery_picking_id": picking.id,
                    "sale_order_id": sale.id,
                    "company_id": ml.company_id.id,
                }
            )
            card_by_lot[ml.lot_id.id] = True  # a serial delivered twice in the same batch gets one card
        created = Card.create(vals_list) if vals_list else Card
        return (touched | created).with_env(self.env)

    @api.model
    def _register_returns(self, move_lines):
        """Record on their cards that serials came back from a customer (``move_lines`` done)."""
        move_lines = move_lines.filtered("lot_id")
        if not move_lines:
            return self.browse()
        cards = self.sudo().search([("lot_id", "in", move_lines.lot_id.ids), ("state", "!=", "void")])
        ml_by_lot = {ml.lot_id.id: ml for ml in move_lines}
        for card in cards:
            ml = ml_by_lot[card.lot_id.id]
            date_done = self._company_today(card.company_id, ml.date or fields.Datetime.now())
            card.write({"returned": True, "date_returned": date_done, "return_picking_id": ml.picking_id.id})
            card.message_post(
                body=self.env._(
                    "Serial %(serial)s returned by the customer on %(date)s (%(picking)s).",
                    serial=card.lot_id.name,
                    date=format_date(self.env, date_done),
                    picking=ml.picking_id.name or ml.reference,
                )
            )
        return cards.with_env(self.env)

    # ------------------------------------------------------------------ crons
    @api.model
    def _cron_expire(self, batch_size=10000):
        """Expire active cards whose end date plus grace period has passed. Idempotent, by batches."""
        # each company's cards end on its own clock
        domain = expression.OR(
            [
                [("company_id", "=", company.id), ("date_grace_end", "<", self._company_today(company))]
                for company in self.env["res.company"].search([])
            ]
        )
        domain = expression.AND([[("state", "=", "active")], domain])
        cards = self.search(domain, limit=batch_size, order="id")
        cards.write({"state": "expired"})
        remaining = self.search_count(domain) if len(cards) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(cards), remaining=remaining)
        return cards

    @api.model
    def _cron_create_renewal_opportunities(self, batch_size=2000):
        """Create one extended-warranty opportunity per active card ending within the company's horizon."""
        created = self.env["crm.lead"]
        for company in self.env["res.company"].search([]):
            days = company.aftersales_renewal_days
            if days <= 0:
                continue
            today = self._company_today(company)
            cards = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("partner_id", "!=", False),
                    ("date_renewal_offer", "=", False),
                    ("date_end", ">=", today),
                    ("date_end", "<=", today + timedelta(days=days)),
                ],
                limit=batch_size,
                order="date_end, id",
            )
            if not cards:
                continue
            created |= self.env["crm.lead"].create([card._prepare_renewal_lead_vals() for card in cards])
            cards.write({"date_renewal_offer": today})
        return created

    def _prepare_renewal_lead_vals(self):
        self.ensure_one()
        return {
            "type": "opportunity",
            "name": self.env._(
                "Extended warranty: %(product)s (%(serial)s)",
                product=self.product_id.display_name,
                serial=self.lot_id.name or self.name,
            ),
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "aftersales_warranty_id": self.id,
            "date_deadline": self.date_end,
            "description": self.env._(
                "Warranty %(card)s ends on %(date)s.", card=self.name, date=format_date(self.env, self.date_end)
            ),
        }

    # ------------------------------------------------------------------ lookup
    @api.model
    def lookup(self, code, partner_id=False):
        """Find a warranty by warranty serial, product serial or product code; see :meth:`lookup_many`."""
        code = normalize_code(code)
        return self.lookup_many([code], partner_id=partner_id)[code]

    @api.model
    def lookup_many(self, codes, partner_id=False):
        """Resolve many codes at once, in one query whatever the number of codes.

        Each code is tried as a warranty serial, then as a product serial, then as a product code
        (internal reference or barcode). ``partner_id`` narrows product-code matches to the cards of
        that customer (and its contacts). Returns ``{normalized_code: result}``; a result is a dict
        with ``code, status ('found'|'not_found'|'ambiguous'), match ('warranty_serial'|
        'product_serial'|'product_code'|False), warranty_id, lot_id, product_id, partner_id, state,
        date_start, date_end, days_left, under_warranty, candidates, message``.
        Access: the user needs read access to warranty cards; only cards of the allowed companies
        that pass the record rules are answered.
        """
        self.browse().check_access("read")
        self.env.flush_all()  # the query below reads the database directly
        normalized = [normalize_code(code) for code in codes]
        norm = list(dict.fromkeys(c for c in normalized if c))
        results = {}
        if "" in normalized:
            results[""] = self._lookup_result(self._lookup_shared(), "", "not_found")
        if not norm:
            return results
        found = self._lookup_fetch(norm, partner_id)
        cards = found["cards"]
        shared = self._lookup_shared(found["labels"])
        card_by_name = {card["name"]: card for card in cards.values()}
        for code in norm:
            lots = found["lots"].get(code)
            product_ids = found["products"].get(code)
            if code in card_by_name:
                results[code] = self._lookup_result(shared, code, "found", "warranty_serial", card_by_name[code])
            elif lots and len(lots) > 1:
                results[code] = self._lookup_result(shared, code, "ambiguous", "product_serial", candidates=lots)
            elif lots:
                card = cards.get(lots[0]["card_id"])
                results[code] = self._lookup_result(shared, code, "found", "product_serial", card, lot=lots[0])
            elif product_ids:
                matches = [
                    cards[card_id]
                    for product_id in product_ids
                    for card_id in found["product_cards"][product_id]
                    if card_id in cards
                ]
                if len(matches) == 1:
                    results[code] = self._lookup_result(shared, code, "found", "product_code", matches[0])
                    continue
                candidates = [
                    {"id": card["lot_id"], "name": card["lot_name"], "product_id": card["product_id"]}
                    for card in matches
                    if card["lot_id"]
                ]
                results[code] = self._lookup_result(
                    shared,
                    code,
                    "ambiguous" if matches else "not_found",
                    "product_code",
                    product_id=product_ids[0],
                    candidates=candidates,
                )
            else:
                results[code] = self._lookup_result(shared, code, "not_found")
        return results

    def _lookup_fetch(self, codes, partner_id=False):
        """Read everything the lookup of ``codes`` needs in one query, through the SQL function
        ``aftersales_warranty_lookup`` (data/aftersales_warranty_lookup.sql), whose plan PostgreSQL keeps.

        Returns a dict:

        - ``cards``: ``{id: card row}`` of the cards the user may read (record rules apply): those
          named by a code, the current card of each matching product serial and the latest cards
          (at most ``LOOKUP_MAX_CANDIDATES + 1``, of ``partner_id`` when given) of each matching product;
        - ``lots``: ``{code: [{id, name, product_id, card_id}]}``, the product serials named by a code;
        - ``products``: ``{code: [product id]}``, the products whose internal reference or barcode is a code;
        - ``product_cards``: ``{product id: [card id, newest first]}``;
        - ``labels``: ``{product id: '[reference] name'}`` in the user's language.
        """
        self.env.cr.execute(self._lookup_query(codes, partner_id))
        found = {"cards": {}, "lots": {}, "products": {}, "product_cards": {}, "labels": {}}
        for kind, code, rid, product_id, name, card_ids, label, *card in self.env.cr.fetchall():
            if kind == "label":
                found["labels"][rid] = label
            elif kind == "card":
                lot_id, partner, state, date_start, date_end, date_grace_end = card
                found["cards"][rid] = {
                    "id": rid,
                    "name": code,
                    "lot_id": lot_id,
                    "lot_name": name,
                    "product_id": product_id,
                    "partner_id": partner,
                    "state": state,
                    "date_start": date_start,
                    "date_end": date_end,
                    "date_grace_end": date_grace_end,
                }
            elif kind == "lot":
                lot = {"id": rid, "name": name, "product_id": product_id, "card_id": card_ids[0]}
                found["lots"].setdefault(code, []).append(lot)
            else:
                found["products"].setdefault(code, []).append(rid)
                found["product_cards"][rid] = card_ids
        for lots in found["lots"].values():
            lots.sort(key=lambda lot: lot["id"])
        for product_ids in found["products"].values():
            product_ids.sort()
        return found

    def _lookup_query(self, codes, partner_id=False):
        """The query of :meth:`_lookup_fetch`: the rows of the SQL function, but the card rows the user may
        not read. The record rules are checked card row by card row through the primary key, in a
        ``LATERAL`` subquery. Not in ``EXISTS (...)``: PostgreSQL, which expects 1,000 rows from a function,
        turned that into a hash of every readable card, built at each lookup (a scan of the whole table,
        20-60 ms with 100,000 cards) until the table grew too big to hash."""
        company_ids = self.env.companies.ids
        readable = self._search([("company_id", "in", company_ids)])
        readable.add_where(SQL("found.kind = 'card' AND %s = found.id", SQL.identifier(self._table, "id")))
        return SQL(
            """SELECT found.* FROM aftersales_warranty_lookup(%s::varchar[], %s::int[], %s, %s) AS found
                 LEFT JOIN LATERAL (%s LIMIT 1) AS readable ON TRUE
                WHERE found.kind != 'card' OR readable.ok IS NOT NULL""",
            codes,
            company_ids,
            partner_id or None,
            self.env.lang or "en_US",
            readable.select(SQL("1 AS ok")),
        )

    def _lookup_result(self, shared, code, status, match=False, card=None, lot=None, product_id=False, candidates=None):
        """Build one lookup answer from a card row and/or a lot dict (see :meth:`_lookup_fetch`);
        ``shared`` comes from :meth:`_lookup_shared`."""
        card = card or {}
        if card.get("lot_id"):
            lot = {"id": card["lot_id"], "name": card["lot_name"], "product_id": card["product_id"]}
        lot = lot or {}
        date_end = card.get("date_end")
        today = shared["today"]
        result = {
            "code": code,
            "status": status,
            "match": match,
            "warranty_id": card.get("id") or False,
            "lot_id": lot.get("id") or False,
            "product_id": card.get("product_id") or lot.get("product_id") or product_id or False,
            "partner_id": card.get("partner_id") or False,
            "state": card.get("state") or False,
            "date_start": card.get("date_start") or False,
            "date_end": date_end or False,
            "days_left": max((date_end - today).days, 0) if date_end else False,
            "under_warranty": bool(
                card.get("state") == "active"
                and card.get("date_start")
                and card["date_start"] <= today <= (card.get("date_grace_end") or date_end)
            ),
            "candidates": [c["id"] for c in candidates or []],
        }
        result["message"] = self._lookup_message(shared, result, card, lot, candidates or [])
        return result

    @api.model
    def _company_today(self, company=None, at=None):
        """The date of today (or of the UTC datetime ``at``) on the clock of ``company`` (default: the
        current company).

        A warranty is the issuing company's contract: its days start and end in that company's time zone,
        whoever looks. Taking the viewer's zone instead, a card activated at 00:30 in Tehran by a clerk
        started "tomorrow" for a visitor whose zone is UTC, and was "not under warranty" to the public page
        until 03:30. The zone is the one of the company's address, else of its working hours (the
        ``resource`` calendar every company has), else UTC: never the viewer's.
        """
        company = company or self.env.company
        # flushed first: a time zone just written in this transaction counts
        self.env["res.partner"].flush_model(["tz"])
        self.env["resource.calendar"].flush_model(["tz"])
        self.env["res.company"].flush_model(["partner_id", "resource_calendar_id"])
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(p.tz, r.tz) FROM res_company c
                     JOIN res_partner p ON p.id = c.partner_id
                     LEFT JOIN resource_calendar r ON r.id = c.resource_calendar_id
                    WHERE c.id = %s""",
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        return fields.Date.context_today(self.with_context(tz=(row and row[0]) or "UTC"), at)

    def _lookup_shared(self, labels=None):
        """What the answers of one lookup call share, worked out once: today, the product labels, the
        state names and the dates already written out (Jalali in Persian)."""
        return {
            "today": self._company_today(),
            "labels": labels or {},
            "states": dict(self._fields["state"]._description_selection(self.env)),
            "date_text": functools.cache(functools.partial(format_reader_date, self.env)),
        }

    def _lookup_message(self, shared, result, card, lot, candidates):
        _ = self.env._
        labels = shared["labels"]
        code = result["code"]
        product = labels.get(result["product_id"], "")
        if not code:
            return _("Send a warranty serial, a product serial or a product code.")
        if result["status"] == "not_found":
            if product:
                return _("No warranty card is registered for product %(product)s.", product=product)
            return _("No warranty card, serial or product matches %(code)s.", code=code)
        if result["status"] == "ambiguous":
            if result["match"] == "product_serial":
                return _(
                    "Several products carry the serial %(code)s: %(products)s. Please send the warranty serial.",
                    code=code,
                    products=", ".join(labels.get(c["product_id"], "") for c in candidates),
                )
            names = ", ".join(c["name"] for c in candidates[:10])
            if len(candidates) > 10:
                names += ", …"
            return _(
                "Several serials of %(product)s match: %(serials)s. Please send the product serial.",
                product=product,
                serials=names,
            )
        if not card:
            return _(
                "%(product)s, serial %(serial)s: no warranty card is registered.", product=product, serial=lot["name"]
            )
        states = shared["states"]
        values = {
            "product": product,
            "serial": lot.get("name") or "-",
            "card": card["name"],
            "state": states.get(card["state"], card["state"]),
            "end": shared["date_text"](card["date_end"]) if card.get("date_end") else "-",
            "days": result["days_left"] or 0,
        }
        if card["state"] == "active":
            return _(
                "%(product)s, serial %(serial)s, warranty %(card)s: %(state)s until %(end)s (%(days)s days left).",
                **values,
            )
        if card["state"] == "expired":
            return _("%(product)s, serial %(serial)s, warranty %(card)s: %(state)s since %(end)s.", **values)
        return _("%(product)s, serial %(serial)s, warranty %(card)s: %(state)s.", **values)
