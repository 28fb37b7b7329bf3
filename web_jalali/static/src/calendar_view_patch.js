import { CalendarController } from "@web/views/calendar/calendar_controller";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";
import { CalendarYearRenderer } from "@web/views/calendar/calendar_year/calendar_year_renderer";
import { patch } from "@web/core/utils/patch";
import { isJalaliActive, jalaliParts } from "./jalali_calendar";

const { DateTime, Settings } = luxon;

/**
 * "آذر 1405", "آذر - دی 1405" or "اسفند 1404 - فروردین 1405": the Jalali months a range of days
 * overlaps (the calendar view lays out Gregorian weeks and months).
 *
 * @param {luxon.DateTime} start
 * @param {luxon.DateTime} end
 */
export function jalaliRangeTitle(start, end) {
    const [first, last] = [jalaliParts(start), jalaliParts(end)];
    if (first.year !== last.year) {
        return `${start.toFormat("MMMM y")} - ${end.toFormat("MMMM y")}`;
    }
    if (first.month !== last.month) {
        return `${start.toFormat("MMMM")} - ${end.toFormat("MMMM y")}`;
    }
    return start.toFormat("MMMM y");
}

/** FullCalendar formats its own labels (day numbers, year view titles) with Intl and this locale. */
function fullCalendarLocale(options) {
    if (isJalaliActive()) {
        options.locale = `${Settings.defaultLocale || "fa-IR"}-u-ca-persian-nu-latn`;
    }
    return options;
}

patch(CalendarController.prototype, {
    get currentDate() {
        const scale = this.model.meta.scale;
        if (isJalaliActive() && this.env.isSmall && ["week", "month"].includes(scale)) {
            const date = this.model.meta.date || DateTime.now();
            const unit = scale === "week" ? "week" : "month";
            return ` - ${jalaliRangeTitle(date.startOf(unit), date.endOf(unit))}`;
        }
        return super.currentDate;
    },
    get dayHeader() {
        if (isJalaliActive()) {
            return this.date.toFormat("d MMMM y");
        }
        return super.dayHeader;
    },
    get weekHeader() {
        if (isJalaliActive()) {
            return jalaliRangeTitle(this.model.rangeStart, this.model.rangeEnd);
        }
        return super.weekHeader;
    },
    get currentMonth() {
        if (isJalaliActive()) {
            return jalaliRangeTitle(this.date.startOf("month"), this.date.endOf("month"));
        }
        return super.currentMonth;
    },
});

patch(CalendarCommonRenderer.prototype, {
    get options() {
        return fullCalendarLocale(super.options);
    },
    headerTemplateProps(date) {
        const props = super.headerTemplateProps(date);
        if (isJalaliActive()) {
            const options = props.scale === "month" ? { zone: "UTC" } : {};
            props.day = jalaliParts(DateTime.fromJSDate(date, options)).day;
        }
        return props;
    },
});

patch(CalendarYearRenderer.prototype, {
    get options() {
        const options = fullCalendarLocale(super.options);
        if (isJalaliActive()) {
            // each small calendar is a Gregorian month: name the Jalali months it overlaps
            options.titleFormat = ({ date }) => {
                const month = DateTime.fromJSDate(date.marker, { zone: "UTC" });
                return jalaliRangeTitle(month.startOf("month"), month.endOf("month"));
            };
        }
        return options;
    },
});
