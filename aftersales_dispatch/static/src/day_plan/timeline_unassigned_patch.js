/** @odoo-module **/
/**
 * The timeline's first line, for the items without a group (unassigned service orders on the day plan),
 * in the reader's language: web_timeline writes it in English capitals whatever the language.
 */
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { escape } from "@web/core/utils/strings";
import { TimelineRenderer } from "@web_timeline/views/timeline/timeline_renderer.esm";

patch(TimelineRenderer.prototype, {
    async split_groups(records) {
        const groups = await super.split_groups(...arguments);
        const unassigned = groups.find((group) => group.id === -1);
        if (unassigned) {
            unassigned.content = `<b>${escape(_t("Unassigned"))}</b>`;
        }
        return groups;
    },
});
