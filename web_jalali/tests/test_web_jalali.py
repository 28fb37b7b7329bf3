from datetime import date

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


def hoot_hash(name):
    """Id of a hoot suite in the /web/tests URL (as odoo/addons/web/tests/test_js.py computes it)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


class TestJalaliUsers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.user = new_test_user(cls.env, login="jalali_user", groups="base.group_user")

    def test_calendar_follows_language_by_default(self):
        self.assertEqual(self.user.web_jalali_calendar, "auto")
        self.user.lang = "en_US"
        self.assertFalse(self.user._web_jalali_is_active())
        self.user.lang = "fa_IR"
        self.assertTrue(self.user._web_jalali_is_active())

    def test_calendar_chosen_in_preferences(self):
        """A user changes their own calendar (preferences), both ways, whatever the language."""
        self.user.lang = "en_US"
        self.user.with_user(self.user).write({"web_jalali_calendar": "jalali"})
        self.assertTrue(self.user._web_jalali_is_active())
        self.user.lang = "fa_IR"
        self.user.with_user(self.user).write({"web_jalali_calendar": "gregorian"})
        self.assertFalse(self.user._web_jalali_is_active())
        self.assertIn("web_jalali_calendar", self.user.with_user(self.user).SELF_WRITEABLE_FIELDS)


@tagged("post_install", "-at_install")
class TestJalaliWebClient(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.persian = new_test_user(
            cls.env, login="jalali_fa", groups="base.group_user,base.group_system", lang="fa_IR"
        )

    def test_session_says_jalali(self):
        self.authenticate("jalali_fa", "jalali_fa")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertIs(info["web_jalali_calendar"], True)
        self.persian.web_jalali_calendar = "gregorian"
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertIs(info["web_jalali_calendar"], False)

    def test_hoot_unit_tests(self):
        """Conversion, formatting, parsing, picker and search filters (static/tests/*.test.js)."""
        self.browser_js(
            f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&id={hoot_hash('@web_jalali')}",
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] Test suite succeeded",
            error_checker=lambda message: "[HOOT]" not in message,
        )

    def test_tour_jalali_date_picker(self):
        """A Persian user picks Jalali dates in a form; the Gregorian date is stored."""
        sequence = self.env["ir.sequence"].create({"name": "Jalali Picker", "use_date_range": True})
        date_range = self.env["ir.sequence.date_range"].create(
            {"sequence_id": sequence.id, "date_from": date(2025, 3, 1), "date_to": date(2025, 12, 31)}
        )
        view = self.env["ir.ui.view"].create(
            {
                "name": "ir.sequence.date_range.form.web_jalali.test",
                "model": "ir.sequence.date_range",
                "type": "form",
                "arch": '<form><sheet><group><field name="date_from"/><field name="date_to"/></group></sheet></form>',
            }
        )
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Jalali Picker",
                "res_model": "ir.sequence.date_range",
                "view_mode": "form",
                "view_id": view.id,
            }
        )
        self.start_tour(f"/odoo/action-{action.id}/{date_range.id}", "web_jalali_date_picker", login="jalali_fa")
        self.assertEqual(date_range.date_from, date(2025, 4, 2))
        self.assertEqual(date_range.date_to, date(2025, 12, 31))


class TestJalaliReadGroup(TransactionCase):
    """Pivots, graphs and grouped lists (read_group) group by Jalali periods for a Jalali user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.persian = new_test_user(cls.env, login="jalali_rg_fa", lang="fa_IR", tz="Asia/Tehran")
        cls.english = new_test_user(cls.env, login="jalali_rg_en", lang="en_US", tz="Asia/Tehran")
        cls.currency = cls.env["res.currency"].create({"name": "JLL", "symbol": "J"})
        cls.rates = cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.currency.id, "name": day, "rate": 1.0}
                # Esfand 30 1403, Farvardin 1 and 31 1404, Ordibehesht 1 1404
                for day in (date(2025, 3, 20), date(2025, 3, 21), date(2025, 4, 20), date(2025, 4, 21))
            ]
        )
        cls.domain = [("currency_id", "=", cls.currency.id)]

    def read_group(self, user, groupby):
        Rate = self.env["res.currency.rate"].with_user(user).with_context(lang=user.lang, tz=user.tz)
        return Rate.read_group(self.domain, ["rate:sum"], [groupby])

    def test_group_by_jalali_month(self):
        groups = self.read_group(self.persian, "name:month")
        self.assertEqual(
            [(g["name:month"], g["name_count"]) for g in groups],
            [("اسفند 1403", 1), ("فروردین 1404", 2), ("اردیبهشت 1404", 1)],
        )
        self.assertEqual(groups[1]["__range"]["name:month"], {"from": "2025-03-21", "to": "2025-04-21"})
        Rate = self.env["res.currency.rate"]
        self.assertEqual([Rate.search_count(g["__domain"]) for g in groups], [1, 2, 1])

    def test_group_by_jalali_quarter_and_year(self):
        groups = self.read_group(self.persian, "name:year")
        self.assertEqual([(g["name:year"], g["name_count"]) for g in groups], [("1403", 1), ("1404", 3)])
        self.assertEqual(groups[0]["__range"]["name:year"], {"from": "2024-03-20", "to": "2025-03-21"})
        groups = self.read_group(self.persian, "name:quarter")
        self.assertEqual([(g["name:quarter"], g["name_count"]) for g in groups], [("Q4 1403", 1), ("Q1 1404", 3)])

    def test_gregorian_user_and_internal_code_keep_gregorian_months(self):
        groups = self.read_group(self.english, "name:month")
        self.assertEqual([g["name_count"] for g in groups], [2, 2])
        Rate = self.env["res.currency.rate"].with_user(self.persian)
        rows = Rate._read_group(self.domain, ["name:month"], ["__count"])
        self.assertEqual([count for _month, count in rows], [2, 2])

    def test_datetime_grouped_in_user_time_zone(self):
        # 2025-03-20 21:00 UTC is 00:30 on Farvardin 1 1404 in Tehran
        self.env.cr.execute(
            "UPDATE res_currency_rate SET create_date = %s WHERE id IN %s",
            ["2025-03-20 21:00:00", tuple(self.rates[:2].ids)],
        )
        self.env.cr.execute(
            "UPDATE res_currency_rate SET create_date = %s WHERE id IN %s",
            ["2025-03-20 20:00:00", tuple(self.rates[2:].ids)],
        )
        self.env.invalidate_all()
        groups = self.read_group(self.persian, "create_date:month")
        self.assertEqual(
            [(g["create_date:month"], g["create_date_count"]) for g in groups],
            [("اسفند 1403", 2), ("فروردین 1404", 2)],
        )
        self.assertEqual(
            groups[1]["__range"]["create_date:month"], {"from": "2025-03-20 20:30:00", "to": "2025-04-20 20:30:00"}
        )
