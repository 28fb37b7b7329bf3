import { _t } from "@web/core/l10n/translation";
import { clampDate, isInRange, today } from "@web/core/l10n/dates";
import { DateTimePicker } from "@web/core/datetime/datetime_picker";
import { patch } from "@web/core/utils/patch";
import {
    endOfJalali,
    isJalaliActive,
    jalaliParts,
    plusJalaliMonths,
    setJalali,
    startOfJalali,
} from "./jalali_calendar";

const { Info } = luxon;

/** luxon weekday of the first day of a Jalali week: Saturday. */
export const JALALI_WEEK_START = 6;
const DAYS_PER_WEEK = 7;
const WEEKS_PER_MONTH = 6;
const GRID_COUNT = 10;
const GRID_MARGIN = 1;

const numberRange = (min, max) => [...Array(max - min)].map((_, i) => i + min);

/**
 * @param {luxon.DateTime} date
 * @returns {luxon.DateTime} the Saturday on or before `date`
 */
function startOfJalaliWeek(date) {
    return date.minus({ days: (date.weekday - JALALI_WEEK_START + 7) % 7 }).startOf("day");
}

/**
 * @param {luxon.DateTime} date
 * @returns {number} the number of the Saturday-first week of the Jalali year holding `date`
 */
export function jalaliWeekNumber(date) {
    const firstWeek = startOfJalaliWeek(startOfJalali(date, "year"));
    return Math.floor(date.startOf("day").diff(firstWeek, "days").days / 7) + 1;
}

function toDateItem({ isOutOfRange = false, isValid = true, label, range, extraClass = "" }) {
    return {
        id: range[0].toISODate(),
        includesToday: isInRange(today(), range),
        isOutOfRange,
        isValid,
        label: String(label),
        range,
        extraClass,
    };
}

const jalaliYearStart = (year, base) => setJalali(year, 1, 1, base).startOf("day");
const startOfJalaliDecade = (date) => Math.floor(jalaliParts(date).year / 10) * 10;
const startOfJalaliCentury = (date) => Math.floor(jalaliParts(date).year / 100) * 100;

/**
 * The precision levels of the picker ("days", "months", "years", "decades") in the Jalali
 * calendar: same shape as the DateTimePicker's own, plus `shift(date, n)` to move by n panels.
 */
export const JALALI_PRECISION_LEVELS = new Map()
    .set("days", {
        mainTitle: _t("Select month"),
        nextTitle: _t("Next month"),
        prevTitle: _t("Previous month"),
        shift: (date, n) => plusJalaliMonths(date, n),
        getTitle: (date, { additionalMonth }) => {
            const dates = additionalMonth ? [date, plusJalaliMonths(date, 1)] : [date];
            return dates.map((d) => `${d.monthLong} ${jalaliParts(d).year}`);
        },
        getItems: (
            date,
            { additionalMonth, maxDate, minDate, showWeekNumbers, isDateValid, dayCellClass }
        ) => {
            const startDates = [startOfJalali(date, "month")];
            if (additionalMonth) {
                startDates.push(plusJalaliMonths(startDates[0], 1));
            }
            const lastWeeks = [];
            let shouldAddLastWeek = false;
            const dayItems = startDates.map((monthStart, i) => {
                const monthRange = [monthStart, endOfJalali(monthStart, "month")];
                const weeks = [];
                let weekStart = startOfJalaliWeek(monthRange[0]);
                for (let w = 0; w < WEEKS_PER_MONTH; w++) {
                    const days = [];
                    for (let d = 0; d < DAYS_PER_WEEK; d++) {
                        const day = weekStart.plus({ day: d });
                        const range = [day, day.endOf("day")];
                        const dayItem = toDateItem({
                            isOutOfRange: !isInRange(day, monthRange),
                            isValid:
                                isInRange(range, [minDate, maxDate]) &&
                                (isDateValid ? isDateValid(day) : true),
                            label: jalaliParts(day).day,
                            range,
                            extraClass: dayCellClass?.(day) || "",
                        });
                        days.push(dayItem);
                        if (w === WEEKS_PER_MONTH - 1) {
                            shouldAddLastWeek ||= !dayItem.isOutOfRange;
                        }
                    }
                    weekStart = weekStart.plus({ days: DAYS_PER_WEEK });
                    const weekItem = { number: jalaliWeekNumber(days[0].range[0]), days };
                    if (w === WEEKS_PER_MONTH - 1) {
                        lastWeeks.push(weekItem);
                    } else {
                        weeks.push(weekItem);
                    }
                }
                const daysOfWeek = weeks[0].days.map((d) => [
                    d.range[0].weekdayShort,
                    d.range[0].weekdayLong,
                    Info.weekdays("narrow", { locale: d.range[0].locale })[d.range[0].weekday - 1],
                ]);
                if (showWeekNumbers) {
                    daysOfWeek.unshift(["#", _t("Week numbers"), "#"]);
                }
                return {
                    id: `__month__${i}`,
                    number: jalaliParts(monthStart).month,
                    daysOfWeek,
                    weeks,
                };
            });
            if (shouldAddLastWeek) {
                for (let i = 0; i < dayItems.length; i++) {
                    dayItems[i].weeks.push(lastWeeks[i]);
                }
            }
            return dayItems;
        },
    })
    .set("months", {
        mainTitle: _t("Select year"),
        nextTitle: _t("Next year"),
        prevTitle: _t("Previous year"),
        shift: (date, n) => plusJalaliMonths(date, 12 * n),
        getTitle: (date) => String(jalaliParts(date).year),
        getItems: (date, { maxDate, minDate }) => {
            const yearStart = startOfJalali(date, "year");
            return numberRange(0, 12).map((i) => {
                const monthStart = plusJalaliMonths(yearStart, i);
                const range = [monthStart, endOfJalali(monthStart, "month")];
                return toDateItem({
                    isValid: isInRange(range, [minDate, maxDate]),
                    label: monthStart.monthShort,
                    range,
                });
            });
        },
    })
    .set("years", {
        mainTitle: _t("Select decade"),
        nextTitle: _t("Next decade"),
        prevTitle: _t("Previous decade"),
        shift: (date, n) => plusJalaliMonths(date, 120 * n),
        getTitle: (date) => `${startOfJalaliDecade(date) - 1} - ${startOfJalaliDecade(date) + 10}`,
        getItems: (date, { maxDate, minDate }) => {
            const decade = startOfJalaliDecade(date);
            return numberRange(-GRID_MARGIN, GRID_COUNT + GRID_MARGIN).map((i) => {
                const yearStart = jalaliYearStart(decade + i, date);
                const range = [yearStart, endOfJalali(yearStart, "year")];
                return toDateItem({
                    isOutOfRange: i < 0 || i >= GRID_COUNT,
                    isValid: isInRange(range, [minDate, maxDate]),
                    label: decade + i,
                    range,
                });
            });
        },
    })
    .set("decades", {
        mainTitle: _t("Select century"),
        nextTitle: _t("Next century"),
        prevTitle: _t("Previous century"),
        shift: (date, n) => plusJalaliMonths(date, 1200 * n),
        getTitle: (date) => `${startOfJalaliCentury(date) - 10} - ${startOfJalaliCentury(date) + 100}`,
        getItems: (date, { maxDate, minDate }) => {
            const century = startOfJalaliCentury(date);
            return numberRange(-GRID_MARGIN, GRID_COUNT + GRID_MARGIN).map((i) => {
                const decadeStart = jalaliYearStart(century + i * 10, date);
                const range = [
                    decadeStart,
                    jalaliYearStart(century + i * 10 + 10, date).minus({ millisecond: 1 }),
                ];
                return toDateItem({
                    label: century + i * 10,
                    isOutOfRange: i < 0 || i >= GRID_COUNT,
                    isValid: isInRange(range, [minDate, maxDate]),
                    range,
                });
            });
        },
    });

patch(DateTimePicker.prototype, {
    get activePrecisionLevel() {
        if (isJalaliActive()) {
            return JALALI_PRECISION_LEVELS.get(this.state.precision);
        }
        return super.activePrecisionLevel;
    },

    adjustFocus(values, focusedDateIndex) {
        if (!isJalaliActive()) {
            return super.adjustFocus(...arguments);
        }
        if (!this.shouldAdjustFocusDate && this.state.focusDate) {
            return;
        }
        let dateToFocus =
            values[focusedDateIndex] || values[focusedDateIndex === 1 ? 0 : 1] || today();
        if (
            this.additionalMonth &&
            focusedDateIndex === 1 &&
            values[0] &&
            values[1] &&
            jalaliParts(values[0]).month !== jalaliParts(values[1]).month
        ) {
            dateToFocus = plusJalaliMonths(dateToFocus, -1);
        }
        this.shouldAdjustFocusDate = false;
        this.state.focusDate = clampDate(
            startOfJalali(dateToFocus, "month"),
            startOfJalali(this.minDate, "month"),
            this.maxDate
        );
    },

    next(ev) {
        if (!isJalaliActive()) {
            return super.next(...arguments);
        }
        ev.preventDefault();
        this.state.focusDate = this.clamp(this.activePrecisionLevel.shift(this.state.focusDate, 1));
    },

    previous(ev) {
        if (!isJalaliActive()) {
            return super.previous(...arguments);
        }
        ev.preventDefault();
        this.state.focusDate = this.clamp(
            this.activePrecisionLevel.shift(this.state.focusDate, -1)
        );
    },
});
