from odoo.tests import TransactionCase, tagged

# logins of the README's demo users, and the role each holds
DEMO_ROLES = {
    "admin": "admin",
    "reception": "reception",
    "dispatcher": "dispatcher",
    "technician": "technician",
    "qc": "qc",
    "portal": "portal",
    "agent": "agent",
    "portal_technician": "portal",
    "pars_manager": "manager",
    "pars_reception": "reception",
    "pars_technician": "technician",
    "pars_portal": "portal",
}
ROLE_GROUPS = {
    "reception": "aftersales_warranty.group_aftersales_user",
    "dispatcher": "aftersales_service.group_aftersales_dispatcher",
    "technician": "aftersales_service.group_aftersales_technician",
    "qc": "aftersales_qc.group_aftersales_qc_inspector",
    "manager": "aftersales_warranty.group_aftersales_manager",
    "admin": "base.group_system",
    "portal": "base.group_portal",
    "agent": "aftersales_portal.group_aftersales_portal_agent",
}
# payroll, HR, accounting, inventory, sales and settings: none of the office roles below the manager has them
LEAKING_GROUPS = (
    "payroll.group_payroll_user",
    "payroll.group_payroll_manager",
    "hr.group_hr_user",
    "hr.group_hr_manager",
    "hr_contract.group_hr_contract_manager",
    "account.group_account_readonly",
    "account.group_account_invoice",
    "account.group_account_user",
    "account.group_account_manager",
    "stock.group_stock_user",
    "sales_team.group_sale_salesman",
    "base.group_erp_manager",
    "base.group_system",
)
# the after-sales roles stacked from the lowest: a role has none of the groups above its own
ROLE_EXCLUDES = {
    "reception": ("dispatcher", "technician", "qc", "manager"),
    "dispatcher": ("technician", "qc", "manager"),
    "technician": ("reception", "dispatcher", "qc", "manager"),
    "qc": ("dispatcher", "technician", "manager"),
}
MAIN_USERS = ("reception", "dispatcher", "technician", "qc")
PARS_USERS = ("pars_manager", "pars_reception", "pars_technician")
AFTERSALES_MODULES = ("aftersales_warranty", "aftersales_service", "aftersales_qc", "aftersales_portal")


@tagged("post_install", "-at_install")
class TestDemoSecurity(TransactionCase):
    """Issue 14: the demo users hold exactly the groups of their role, and each company's users see
    nothing of the other company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"].with_context(active_test=False)
        cls.users = {user.login: user for user in Users.search([("login", "in", list(DEMO_ROLES))])}
        cls.pars = cls.env.ref("aftersales_service.demo_company_pars", raise_if_not_found=False)
        cls.main = cls.env.ref("base.main_company")

    def setUp(self):
        super().setUp()
        if not self.pars or not all(login in self.users for login in MAIN_USERS + PARS_USERS):
            self.skipTest("the demo data is not loaded")

    def _group(self, xmlid):
        return self.env.ref(xmlid, raise_if_not_found=False)

    def test_demo_users_hold_the_groups_of_their_role(self):
        report = {login: sorted(user.groups_id.mapped("full_name")) for login, user in self.users.items()}
        for login, user in self.users.items():
            role = DEMO_ROLES[login]
            with self.subTest(login=login, groups=report[login]):
                self.assertIn(self._group(ROLE_GROUPS[role]), user.groups_id, f"{login} lacks its role's group")
                if role in ("portal", "agent"):
                    self.assertTrue(user.share, f"{login} is a portal user")
                    self.assertFalse(user.has_group("base.group_user"))
                    continue
                if role in ROLE_EXCLUDES:
                    for other in ROLE_EXCLUDES[role]:
                        self.assertNotIn(self._group(ROLE_GROUPS[other]), user.groups_id)
                if role in ("admin", "manager"):
                    continue
                leaked = user.groups_id & self.env["res.groups"].union(
                    *filter(None, (self._group(xmlid) for xmlid in LEAKING_GROUPS))
                )
                self.assertFalse(leaked, f"{login} holds {', '.join(leaked.mapped('full_name'))}")

    def _company_models(self):
        """Every after-sales model (and service order model) with a stored company, plus stock lots."""
        names = []
        for name, model in self.env.registry.items():
            if not (name.startswith(("aftersales.", "repair.order")) or name == "stock.lot"):
                continue
            if model._abstract or model._transient:
                continue
            field = model._fields.get("company_id")
            if field and field.store and field.type == "many2one":
                names.append(name)
        return sorted(names)

    def _demo_partners(self):
        data = self.env["ir.model.data"].search([("model", "=", "res.partner"), ("module", "in", AFTERSALES_MODULES)])
        partners = self.env["res.partner"].browse(data.mapped("res_id")).exists()
        # the companies' own addresses and the users' partners are shared on purpose (Odoo's default)
        company_partners = self.env["res.company"].search([]).partner_id
        user_partners = self.env["res.users"].with_context(active_test=False).search([]).partner_id
        return partners - company_partners - user_partners

    def test_demo_partners_carry_their_company(self):
        partners = self._demo_partners()
        self.assertTrue(partners)
        self.assertFalse(
            partners.filtered(lambda p: not p.company_id),
            "demo customers and addresses belong to their company",
        )

    def test_company_users_see_nothing_of_the_other_company(self):
        models = self._company_models()
        for required in ("aftersales.warranty", "aftersales.request", "repair.order"):
            self.assertIn(required, models)
            for company in (self.main, self.pars):
                self.assertTrue(
                    self.env[required].search_count([("company_id", "=", company.id)]),
                    f"the demo data has {required} records of {company.name}: the check below means something",
                )
        partners = self._demo_partners()
        logins = [(login, self.pars) for login in MAIN_USERS] + [(login, self.main) for login in PARS_USERS]
        for login, other in logins:
            user = self.users[login]
            self.assertNotIn(other, user.company_ids)
            for name in models:
                Model = self.env[name].with_user(user)
                if not Model.has_access("read"):
                    continue
                with self.subTest(login=login, model=name):
                    self.assertEqual(Model.search_count([("company_id", "=", other.id)]), 0)
            with self.subTest(login=login, model="res.partner"):
                theirs = partners.filtered(lambda p, c=other: p.company_id == c)
                self.assertTrue(theirs)
                visible = self.env["res.partner"].with_user(user).search([("id", "in", theirs.ids)])
                self.assertFalse(visible, f"{login} sees {', '.join(visible.mapped('display_name'))}")

    def test_qc_lines_of_the_other_company_are_hidden(self):
        """QC check lines, checklist items and bonus tiers had no company: their parent's rule did not
        reach them (a search by id, or a read of the line, showed another company's lines)."""
        models = self._company_models()
        for line_model in (
            "aftersales.qc.inspection.line",
            "aftersales.qc.checklist.item",
            "aftersales.score.rule.tier",
        ):
            self.assertIn(line_model, models)
        rule = self.env["aftersales.score.rule"].create(
            {
                "name": "Pars bonus",
                "company_id": self.pars.id,
                "tier_ids": [(0, 0, {"min_score": 0.0, "amount_per_point": 1000.0})],
            }
        )
        checklist = self.env["aftersales.qc.checklist"].create(
            {"name": "Pars final check", "company_id": self.pars.id, "item_ids": [(0, 0, {"name": "Gas pressure"})]}
        )
        self.assertEqual(rule.tier_ids.company_id, self.pars)
        self.assertEqual(checklist.item_ids.company_id, self.pars)
        qc = self.users["qc"]
        self.assertFalse(self.env["aftersales.score.rule.tier"].with_user(qc).search([("id", "in", rule.tier_ids.ids)]))
        self.assertFalse(
            self.env["aftersales.qc.checklist.item"].with_user(qc).search([("id", "in", checklist.item_ids.ids)])
        )
        pars_manager = self.users["pars_manager"]
        self.assertEqual(
            self.env["aftersales.score.rule.tier"].with_user(pars_manager).search([("id", "in", rule.tier_ids.ids)]),
            rule.tier_ids,
        )
