import { localization } from "@web/core/l10n/localization";
import { SearchModel } from "@web/search/search_model";
import { patch } from "@web/core/utils/patch";
import { isJalaliActive, jalaliParts, setJalali, startOfJalali, endOfJalali } from "./jalali_calendar";

/**
 * A moment that counts years, quarters and months in the Jalali calendar, for the search model's
 * date filters: the period options ("آذر", "1405", "Q3") and their domains are computed by
 * @web/search/utils/dates from the search model's `referenceMoment` with `year`, `month`,
 * `quarter`, `set`, `plus`, `startOf`, `endOf` and `toFormat`: given a JalaliMoment, those
 * functions offer Jalali months and years and filter on their exact Gregorian bounds.
 */
export class JalaliMoment {
    /**
     * @param {luxon.DateTime} date
     */
    constructor(date) {
        this.date = date;
        this.jalali = jalaliParts(date);
    }

    get isValid() {
        return this.date.isValid;
    }

    get year() {
        return this.jalali.year;
    }

    get month() {
        return this.jalali.month;
    }

    get day() {
        return this.jalali.day;
    }

    get quarter() {
        return Math.ceil(this.jalali.month / 3);
    }

    /**
     * @param {{ years?: number, quarters?: number, months?: number }} values other units
     *  (weeks, days, hours...) are added as they are
     */
    plus(values = {}) {
        const { year, years, quarter, quarters, month, months, ...others } = values;
        const shift = 12 * ((years || 0) + (year || 0)) + 3 * ((quarters || 0) + (quarter || 0)) + (months || 0) + (month || 0);
        const { year: jy, month: jm, day: jd } = this.jalali;
        return new JalaliMoment(setJalali(jy, jm + shift, jd, this.date).plus(others));
    }

    minus(values = {}) {
        return this.plus(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, -v])));
    }

    /**
     * @param {{ year?: number, quarter?: number, month?: number, day?: number }} values (Jalali)
     */
    set(values = {}) {
        const { year, quarter, month, day, ...others } = values;
        let jm = month ?? this.jalali.month;
        if (quarter !== undefined && month === undefined) {
            jm = (quarter - 1) * 3 + 1;
        }
        const date = setJalali(year ?? this.jalali.year, jm, day ?? this.jalali.day, this.date);
        return new JalaliMoment(date.set(others));
    }

    startOf(unit) {
        if (["year", "quarter", "month"].includes(unit)) {
            return new JalaliMoment(startOfJalali(this.date, unit));
        }
        return new JalaliMoment(this.date.startOf(unit));
    }

    endOf(unit) {
        if (["year", "quarter", "month"].includes(unit)) {
            return new JalaliMoment(endOfJalali(this.date, unit));
        }
        return new JalaliMoment(this.date.endOf(unit));
    }

    setZone(...args) {
        return new JalaliMoment(this.date.setZone(...args));
    }

    /**
     * Display formats come out Jalali (see jalali_calendar.js); serializeDate/serializeDateTime
     * pass a numbering system and get the Gregorian value the server expects.
     */
    toFormat(format, options) {
        return this.date.toFormat(format, options);
    }

    toISO(...args) {
        return this.date.toISO(...args);
    }

    toJSDate() {
        return this.date.toJSDate();
    }

    valueOf() {
        return this.date.valueOf();
    }
}

/**
 * The web client writes a period "2026 December" in a right-to-left language (year first, so that
 * it reads "December 2026" from right to left once the digits are laid out). Persian puts the
 * month first in reading order: "آذر 1405", "سه ماهه اول 1405".
 *
 * @param {string} description periods joined by "/", as @web/search/utils/dates writes them
 */
export function jalaliPeriodDescription(description) {
    if (localization.direction !== "rtl" || typeof description !== "string") {
        return description;
    }
    return description
        .split("/")
        .map((period) => period.replace(/^(\d{4}) (\S.*)$/, "$2 $1"))
        .join("/");
}

patch(SearchModel.prototype, {
    setup() {
        super.setup(...arguments);
        if (isJalaliActive()) {
            this.referenceMoment = new JalaliMoment(this.referenceMoment);
        }
    },

    getFullComparison() {
        const comparison = super.getFullComparison(...arguments);
        if (comparison && isJalaliActive()) {
            comparison.rangeDescription = jalaliPeriodDescription(comparison.rangeDescription);
            comparison.comparisonRangeDescription = jalaliPeriodDescription(
                comparison.comparisonRangeDescription
            );
        }
        return comparison;
    },

    _getDateFilterDomain(dateFilter, generatorIds, key = "domain") {
        const result = super._getDateFilterDomain(...arguments);
        if (key === "description" && isJalaliActive()) {
            return jalaliPeriodDescription(result);
        }
        return result;
    },
});
