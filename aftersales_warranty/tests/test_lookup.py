import re
from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.aftersales_warranty import uninstall_hook
from odoo.addons.aftersales_warranty.models.aftersales_warranty import LOOKUP_FUNCTION

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestLookup(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot_a = cls._lot("LK-SN-A")
        cls.lot_b = cls._lot("LK-SN-B")
        cls.lot_c = cls._lot("LK-SN-C", cls.product_other)
        cls.card_a = cls._card(
            "LK-WC-A", cls.lot_a, partner_id=cls.customer.id, date_start=cls.today - timedelta(days=10), state="active"
        )
        cls.card_b = cls._card("LK-WC-B", cls.lot_b, partner_id=cls.customer2.id)
        cls.card_c = cls._card(
            "LK-WC-C", cls.lot_c, partner_id=cls.customer.id, date_start=cls.today - timedelta(days=5), state="active"
        )
        cls.Warranty = cls.env["aftersales.warranty"]

    def test_by_warranty_serial(self):
        result = self.Warranty.lookup(" lk-wc-a ")
        self.assertEqual(result["code"], "LK-WC-A")
        self.assertEqual((result["status"], result["match"]), ("found", "warranty_serial"))
        self.assertEqual(result["warranty_id"], self.card_a.id)
        self.assertEqual(result["lot_id"], self.lot_a.id)
        self.assertEqual(result["product_id"], self.product.id)
        self.assertEqual(result["partner_id"], self.customer.id)
        self.assertEqual(result["state"], "active")
        self.assertEqual(result["date_start"], self.card_a.date_start)
        self.assertEqual(result["date_end"], self.card_a.date_end)
        self.assertEqual(result["days_left"], (self.card_a.date_end - self.today).days)
        self.assertTrue(result["under_warranty"])
        self.assertIn("LK-SN-A", result["message"])
        self.assertIn("days left", result["message"])

    def test_by_product_serial(self):
        result = self.Warranty.lookup("lk-sn-b")
        self.assertEqual((result["status"], result["match"]), ("found", "product_serial"))
        self.assertEqual(result["warranty_id"], self.card_b.id)
        self.assertEqual(result["state"], "draft")
        self.assertFalse(result["under_warranty"])
        self.assertFalse(result["date_end"])

    def test_serial_without_card(self):
        lot = self._lot("LK-SN-NOCARD")
        result = self.Warranty.lookup("LK-SN-NOCARD")
        self.assertEqual((result["status"], result["lot_id"], result["warranty_id"]), ("found", lot.id, False))
        self.assertIn("no warranty card", result["message"])

    def test_by_product_code(self):
        result = self.Warranty.lookup("twm-01")
        self.assertEqual((result["status"], result["match"]), ("ambiguous", "product_code"))
        self.assertEqual(set(result["candidates"]), {self.lot_a.id, self.lot_b.id})
        self.assertIn("Several serials", result["message"])
        # narrowed to the customer: a single card answers
        result = self.Warranty.lookup("TWM-01", partner_id=self.customer_contact.id)
        self.assertEqual((result["status"], result["warranty_id"]), ("found", self.card_a.id))
        result = self.Warranty.lookup("TRF-01", partner_id=self.customer2.id)
        self.assertEqual((result["status"], result["match"]), ("not_found", "product_code"))
        self.assertEqual(result["product_id"], self.product_other.id)

    def test_product_code_many_cards_of_the_customer(self):
        """An agency holding many cards of one product: the newest serials are listed, a bounded number."""
        lots = self.env["stock.lot"].create(
            [
                {"name": f"LK-AG-{i:03d}", "product_id": self.product.id, "company_id": self.company.id}
                for i in range(30)
            ]
        )
        cards = self.env["aftersales.warranty"].create(
            [
                {
                    "name": f"LK-AGW-{i:03d}",
                    "lot_id": lot.id,
                    "product_id": self.product.id,
                    "partner_id": self.customer2.id,
                    "company_id": self.company.id,
                }
                for i, lot in enumerate(lots)
            ]
        )
        cards[-1].state = "void"
        result = self.Warranty.lookup("TWM-01", partner_id=self.customer2.id)
        self.assertEqual((result["status"], result["match"]), ("ambiguous", "product_code"))
        # newest first, the void card left out, card B (older) beyond the bound
        self.assertEqual(result["candidates"][:3], lots[-2:-5:-1].ids)
        self.assertNotIn(lots[-1].id, result["candidates"])
        self.assertNotIn(self.lot_b.id, result["candidates"])
        self.assertLessEqual(len(result["candidates"]), 21)
        self.assertIn("LK-AG-028", result["message"])
        self.assertIn("…", result["message"])

    def test_not_found_and_void(self):
        result = self.Warranty.lookup("NO-SUCH-CODE")
        self.assertEqual((result["status"], result["match"], result["warranty_id"]), ("not_found", False, False))
        self.assertIn("NO-SUCH-CODE", result["message"])
        self.assertEqual(self.Warranty.lookup("  ")["status"], "not_found")
        self.card_c._action_void("test")
        result = self.Warranty.lookup("LK-WC-C")
        self.assertEqual((result["status"], result["state"]), ("found", "void"))
        self.assertFalse(result["under_warranty"])

    def test_lookup_many_fixed_queries(self):
        codes = ["LK-WC-A", "lk-sn-b", "TRF-01", "nothing", "LK-WC-A"]
        results = self.Warranty.lookup_many(codes)
        self.assertEqual(set(results), {"LK-WC-A", "LK-SN-B", "TRF-01", "NOTHING"})
        self.assertEqual(results["LK-SN-B"]["warranty_id"], self.card_b.id)
        self.assertEqual(results["TRF-01"]["warranty_id"], self.card_c.id)
        self.assertEqual(results["NOTHING"]["status"], "not_found")
        lots = self.env["stock.lot"].create(
            [{"name": f"LK-MANY-{i}", "product_id": self.product.id} for i in range(60)]
        )
        self.env["aftersales.warranty"].create(
            [{"name": f"LK-MANY-WC-{i}", "lot_id": lot.id} for i, lot in enumerate(lots)]
        )

        def count_queries(codes):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = self.Warranty.lookup_many(codes)
            return self.env.cr.sql_log_count - before, result

        few_count, _few = count_queries(["lk-many-1", "LK-MANY-WC-2", "zz"])
        many_count, many = count_queries([f"lk-many-{i}" for i in range(60)] + ["LK-MANY-WC-1", "zz"])
        more_count, _more = count_queries([f"lk-many-{i}" for i in range(60)] + [f"none-{i}" for i in range(500)])
        # one query for the codes, one for the company's clock (its time zone), whatever the number of codes
        self.assertEqual((few_count, many_count, more_count), (2, 2, 2), "two queries, whatever the number of codes")
        self.assertEqual(len(many), 62)
        self.assertEqual(many["LK-MANY-7"]["warranty_id"], lots[7].warranty_id.id)

    def test_persian_digits_code(self):
        self._card("LK-123", self._lot("LK-SN-456"))
        self.assertEqual(self.Warranty.lookup("lk-۱۲۳")["match"], "warranty_serial")
        self.assertEqual(self.Warranty.lookup("LK-SN-٤٥٦")["match"], "product_serial")

    def test_lookup_function_upgrade_and_uninstall(self):
        """Upgrading replaces the SQL function behind the lookup, whatever the old version's signature;
        uninstalling drops it."""
        cr = self.env.cr

        def functions():
            cr.execute("SELECT oid::regprocedure::text FROM pg_proc WHERE proname = 'aftersales_warranty_lookup'")
            return sorted(row[0] for row in cr.fetchall())

        cr.execute("CREATE FUNCTION aftersales_warranty_lookup(int) RETURNS int LANGUAGE sql AS 'SELECT 1'")
        self.assertEqual(len(functions()), 2)
        self.Warranty.init()
        self.assertEqual(functions(), [LOOKUP_FUNCTION])
        self.assertEqual(self.Warranty.lookup("LK-WC-A")["warranty_id"], self.card_a.id)
        uninstall_hook(self.env)
        self.assertEqual(functions(), [])


@tagged("post_install", "-at_install")
class TestLookupPlan(WarrantyCommon):
    """The lookup's plan does not depend on the size of the tables: made while they are small and kept
    by the connection, it still reads every table through an index once they have grown (plans are
    inspected, not timed)."""

    TABLES = ("stock_lot", "aftersales_warranty", "product_product", "product_template")

    def _grow(self, count):
        """Add ``count`` serials and cards with SQL, without ANALYZE: what a bulk import does to the tables
        before autovacuum comes by."""
        cr = self.env.cr
        cr.execute(
            """INSERT INTO stock_lot (name, product_id, product_uom_id, company_id)
               SELECT 'LKP-SN-' || i, %s, %s, %s FROM generate_series(1, %s) AS i""",
            [self.product.id, self.product.uom_id.id, self.company.id, count],
        )
        cr.execute(
            """INSERT INTO aftersales_warranty (name, lot_id, product_id, warranty_type_id, state, company_id)
               SELECT 'LKP-WC-' || substr(l.name, 8), l.id, l.product_id, %s, 'active', %s
                 FROM stock_lot l WHERE l.name LIKE 'LKP-SN-%%'""",
            [self.type_18m.id, self.company.id],
        )

    def _seq_scans(self):
        """Sequential scans of the lookup's tables so far in this transaction."""
        self.env.cr.execute("SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relname IN %s", [self.TABLES])
        return dict(self.env.cr.fetchall())

    def _skip_unless_indexes_usable(self):
        """An index built while the table held updated rows (``indcheckxmin``) serves only transactions that
        started after every transaction older than the index had ended, in the whole cluster. Right after
        an install, a transaction still open elsewhere (another database's tests, a long report) keeps such
        an index from this one, and PostgreSQL plans without it whatever the query: the plan would then
        say nothing about the lookup. Only then is the test skipped, saying which index and why."""
        cr = self.env.cr
        cr.execute(
            """SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = ANY(%s::regclass[]) AND i.indcheckxmin
                  AND i.xmin::text::bigint >= txid_snapshot_xmin(txid_current_snapshot()) %% 4294967296""",
            [list(self.TABLES)],
        )
        waiting = [row[0] for row in cr.fetchall()]
        if waiting:
            self.skipTest(
                f"indexes {', '.join(waiting)} are not usable by this transaction yet (built while older "
                "transactions were open in the cluster: indcheckxmin)"
            )

    def _prepare_function_body(self):
        """The statement of the installed function as a prepared statement: PostgreSQL keeps its generic
        plan as it keeps the function's, and EXPLAIN can show it."""
        cr = self.env.cr
        cr.execute("SELECT prosrc, proconfig FROM pg_proc WHERE oid = %s::regprocedure", [LOOKUP_FUNCTION])
        source, self.function_config = cr.fetchone()
        body = source.split("RETURN QUERY", 1)[1].rsplit("END", 1)[0].strip().rstrip(";")
        for name, number in (("p_codes", 1), ("p_companies", 2), ("p_lang", 3), ("v_owners", 4)):
            body = re.sub(rf"\b{name}\b", f"${number}", body)
        cr.execute(SQL("PREPARE aftersales_lookup_plan(varchar[], int[], varchar, int[]) AS %s", SQL(body)))
        self.addCleanup(cr.execute, "DEALLOCATE aftersales_lookup_plan")

    def _explain_function_body(self, owners):
        """EXPLAIN the prepared statement with the function's settings (SET clauses), as the function runs
        it; the settings are put back afterwards, so that they do not help the other queries of the test."""
        cr = self.env.cr
        saved = []
        for setting in self.function_config:
            name, value = setting.split("=", 1)
            cr.execute("SELECT current_setting(%s)", [name])
            saved.append((name, cr.fetchone()[0]))
            cr.execute("SELECT set_config(%s, %s, true)", [name, value])
        try:
            cr.execute(
                "EXPLAIN EXECUTE aftersales_lookup_plan(%s::varchar[], %s::int[], 'en_US', %s::int[])",
                [["LK-WC-A", "TWM-01"], self.company.ids, owners],
            )
            return "\n".join(row[0] for row in cr.fetchall())
        finally:
            for name, value in saved:
                cr.execute("SELECT set_config(%s, %s, true)", [name, value])

    def assertIndexOnly(self, plan):
        for table in self.TABLES:
            self.assertNotIn(f"Seq Scan on {table}", plan)
        self.assertNotIn("Bitmap", plan)
        self.assertNotIn("hashed SubPlan", plan)
        self.assertNotIn("Hash Join", plan)
        self.assertNotIn("Merge Join", plan)

    def test_plan_stays_index_based_as_tables_grow(self):
        Warranty = self.env["aftersales.warranty"].with_user(self.user_reception)
        codes = ["LK-WC-A", "LK-SN-B", "TWM-01", "NOTHING"]
        self._skip_unless_indexes_usable()
        self._prepare_function_body()
        # the plan made while the tables hold a few rows (both branches: with and without a customer)
        small = self._explain_function_body([self.customer.id])
        Warranty.lookup_many(codes)
        Warranty.lookup("TWM-01", partner_id=self.customer.id)
        self._grow(5000)
        grown = self._explain_function_body(None)
        self.assertEqual(grown, small, "the plan kept by the connection")
        self.assertIndexOnly(grown)
        # the function, with the plan it keeps, and the query around it (record rules) read no table whole
        before = self._seq_scans()
        results = Warranty.lookup_many(codes + ["LKP-SN-4000", "lkp-wc-17"])
        Warranty.lookup("TWM-01", partner_id=self.customer.id)
        self.assertEqual(self._seq_scans(), before)
        self.assertEqual(results["LKP-SN-4000"]["status"], "found")
        self.assertEqual(results["LKP-WC-17"]["match"], "warranty_serial")
        self.env.cr.execute(SQL("EXPLAIN %s", Warranty._lookup_query(codes)))
        outer = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("Index Scan using aftersales_warranty_pkey", outer)
        self.assertIndexOnly(outer)
