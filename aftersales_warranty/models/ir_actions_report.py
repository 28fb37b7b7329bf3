from lxml import etree, html

from odoo import models

from ..tools import to_persian_number_digits


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        """Persian digits throughout a Persian after-sales document, its header and footer included.

        A document printed for a Persian reader (``data-oe-lang`` of its article, set by the external
        layout) with an after-sales page (``o_aftersales_report``) writes its numbers (dates, times,
        phone numbers, postal codes, quantities, amounts) in Persian digits; codes, serials, references
        and e-mail addresses keep the digits printed on the unit.
        """
        content, content_type = super()._render_qweb_html(report_ref, docids, data=data)
        if content_type != "html" or b"o_aftersales_report" not in content or b'data-oe-lang="fa' not in content:
            return content, content_type
        return self._aftersales_persian_digits(content), content_type

    def _aftersales_persian_digits(self, content):
        root = html.fromstring(content)
        articles = root.xpath(
            "//div[contains(@class, 'article')][starts-with(@data-oe-lang, 'fa')]"
            "[.//*[contains(concat(' ', normalize-space(@class), ' '), ' o_aftersales_report ')]]"
        )
        for article in articles:
            blocks = [article]
            # the header and footer of this document (siblings of its article in the external layout)
            previous, following = article.getprevious(), article.getnext()
            if previous is not None and "header" in (previous.get("class") or "").split():
                blocks.append(previous)
            if following is not None and "footer" in (following.get("class") or "").split():
                blocks.append(following)
            for block in blocks:
                for node in block.iter():
                    if not isinstance(node.tag, str) or node.tag in ("script", "style"):
                        continue
                    node.text = to_persian_number_digits(node.text)
                    if node is not block:
                        node.tail = to_persian_number_digits(node.tail)
        return etree.tostring(root, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")
