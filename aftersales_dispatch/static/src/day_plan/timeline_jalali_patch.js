/** @odoo-module **/
/**
 * Jalali axis labels on the day plan: vis-timeline formats its own axis (Gregorian, English month
 * names); when the Jalali calendar is active (web_jalali) the labels are formatted through luxon, whose
 * display formats web_jalali renders in the Persian calendar.
 */
import { patch } from "@web/core/utils/patch";
import { isJalaliActive } from "@web_jalali/jalali_calendar";
import { TimelineRenderer } from "@web_timeline/views/timeline/timeline_renderer.esm";

const MINOR = {
    millisecond: "HH:mm:ss",
    second: "HH:mm:ss",
    minute: "HH:mm",
    hour: "HH:mm",
    weekday: "ccc d",
    day: "d",
    week: "d",
    month: "MMMM",
    year: "yyyy",
};
const MAJOR = {
    millisecond: "cccc d MMMM yyyy",
    second: "cccc d MMMM yyyy",
    minute: "cccc d MMMM yyyy",
    hour: "cccc d MMMM yyyy",
    weekday: "MMMM yyyy",
    day: "MMMM yyyy",
    week: "MMMM yyyy",
    month: "yyyy",
    year: "",
};

function labeller(formats) {
    return (date, scale) => {
        const format = formats[scale];
        if (!format) {
            return "";
        }
        const jsDate = date && date.toDate ? date.toDate() : new Date(date);
        return luxon.DateTime.fromJSDate(jsDate).toFormat(format);
    };
}

patch(TimelineRenderer.prototype, {
    init_timeline() {
        if (isJalaliActive()) {
            this.options.format = { minorLabels: labeller(MINOR), majorLabels: labeller(MAJOR) };
        }
        return super.init_timeline(...arguments);
    },
});
