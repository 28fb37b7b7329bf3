from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesQcCommon


@tagged("post_install", "-at_install")
class TestQcSettings(AftersalesQcCommon):
    """An after-sales manager switches QC on without being an administrator; nobody else can."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="qc_test_manager", groups="base.group_user,aftersales_warranty.group_aftersales_manager"
        )
        cls.company.aftersales_qc_enabled = False

    def test_manager_switches_qc_on(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        menu = self.env.ref("aftersales_qc.aftersales_qc_settings_menu")
        self.assertIn(menu, self.env["ir.ui.menu"].with_user(self.manager).search([("id", "=", menu.id)]))
        wizard = self.env["res.company.qc.settings"].with_user(self.manager).create({})
        self.assertFalse(wizard.aftersales_qc_enabled, "the form opens with the company's values")
        wizard.write({"aftersales_qc_enabled": True, "aftersales_qc_sample_rate": 40})
        wizard.action_save()
        self.assertTrue(self.company.aftersales_qc_enabled)
        self.assertEqual(self.company.aftersales_qc_sample_rate, 40)

    def test_technician_cannot_switch_qc(self):
        with self.assertRaises(AccessError):
            self.env["res.company.qc.settings"].with_user(self.tech_user_1).create({"aftersales_qc_enabled": True})
        self.assertFalse(self.company.aftersales_qc_enabled)

    def test_settings_sidebar_one_app_named_after_its_module(self):
        """Odoo takes the sidebar icon from /<app name>/static/description/icon.png: every app of the
        settings form must be a module, and the suite shows one After-Sales entry."""
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        apps = etree.fromstring(arch).xpath("//app")
        names = [app.get("name") for app in apps if not app.get("logo")]  # a logo= app brings its own icon
        modules = set(self.env["ir.module.module"].search([("name", "in", names)]).mapped("name"))
        self.assertEqual(set(names) - modules, set(), "app names that are not modules have no icon")
        ours = [app for app in apps if app.get("name", "").startswith("aftersales")]
        self.assertEqual([app.get("name") for app in ours], ["aftersales_warranty"])
        blocks = {block.get("name") for block in ours[0].xpath(".//block")}
        self.assertTrue({"aftersales_worklog_settings", "aftersales_qc_block"} <= blocks, blocks)
