from odoo import models


class AftersalesWizardMixin(models.AbstractModel):
    """Shared by the after-sales wizards that show their result in the same dialog (a check, an
    error report) instead of closing it."""

    _name = "aftersales.wizard.mixin"
    _description = "After-Sales Wizard"

    def _reopen_action(self, name=None):
        """The action that shows this wizard again, in its dialog.

        :param str name: title of the dialog (translated); the wizard's own when not given
        :return: an ``ir.actions.act_window`` dict
        """
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
        if name:
            action["name"] = name
        return action
