import { after, beforeEach, describe, expect, test } from "@odoo/hoot";
import { click, queryAllTexts } from "@odoo/hoot-dom";
import { animationFrame, mockDate } from "@odoo/hoot-mock";
import {
    mountWithCleanup,
    patchTranslations,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { DateTimePicker } from "@web/core/datetime/datetime_picker";
import {
    formatDate,
    formatDateTime,
    parseDate,
    parseDateTime,
    serializeDate,
    serializeDateTime,
} from "@web/core/l10n/dates";
import { localization } from "@web/core/l10n/localization";
import { constructDateDomain, getPeriodOptions } from "@web/search/utils/dates";
import {
    isJalaliLeapYear,
    isValidJalaliDate,
    jalaliMonthLength,
    toGregorian,
    toJalali,
} from "@web_jalali/jalali";
import { parseJalali, setJalaliActive } from "@web_jalali/jalali_calendar";
import { jalaliWeekNumber } from "@web_jalali/datetime_picker_patch";
import { JalaliMoment, jalaliPeriodDescription } from "@web_jalali/search_model_patch";
import { jalaliRangeTitle } from "@web_jalali/calendar_view_patch";

const { DateTime } = luxon;

/** A DateTime as the web client of a Persian user makes them (locale fa-IR, latin digits). */
const fa = (iso) => DateTime.fromISO(iso, { locale: "fa-IR", numberingSystem: "latn" });

function useJalali() {
    patchTranslations();
    setJalaliActive(true);
    after(() => setJalaliActive(false));
    patchWithCleanup(localization, {
        dateFormat: "yyyy/MM/dd",
        dateTimeFormat: "yyyy/MM/dd HH:mm:ss",
        timeFormat: "HH:mm:ss",
        shortTimeFormat: "HH:mm",
        direction: "ltr",
    });
}

describe("conversion", () => {
    test("Nowruz and the last day of the year", () => {
        expect(toGregorian(1404, 1, 1)).toEqual({ year: 2025, month: 3, day: 21 });
        expect(toJalali(2025, 3, 21)).toEqual({ year: 1404, month: 1, day: 1 });
        expect(toGregorian(1403, 12, 30)).toEqual({ year: 2025, month: 3, day: 20 });
        expect(toJalali(2025, 3, 20)).toEqual({ year: 1403, month: 12, day: 30 });
        expect(toGregorian(1404, 12, 29)).toEqual({ year: 2026, month: 3, day: 20 });
        expect(toGregorian(1405, 1, 1)).toEqual({ year: 2026, month: 3, day: 21 });
        expect(toGregorian(1403, 1, 1)).toEqual({ year: 2024, month: 3, day: 20 });
        expect(toJalali(2026, 11, 22)).toEqual({ year: 1405, month: 9, day: 1 });
        expect(toJalali(2024, 12, 31)).toEqual({ year: 1403, month: 10, day: 11 });
    });

    test("leap year 1403: Esfand 30 exists in 1403, not in 1404", () => {
        expect(isJalaliLeapYear(1403)).toBe(true);
        expect(isJalaliLeapYear(1404)).toBe(false);
        expect(isJalaliLeapYear(1399)).toBe(true);
        expect(jalaliMonthLength(1403, 12)).toBe(30);
        expect(jalaliMonthLength(1404, 12)).toBe(29);
        expect(isValidJalaliDate(1403, 12, 30)).toBe(true);
        expect(isValidJalaliDate(1404, 12, 30)).toBe(false);
        expect(isValidJalaliDate(1404, 13, 1)).toBe(false);
    });

    test("month ends: 31 days for months 1-6, 30 for 7-11", () => {
        expect([...Array(11)].map((_, i) => jalaliMonthLength(1404, i + 1))).toEqual([
            31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30,
        ]);
        expect(toGregorian(1404, 6, 31)).toEqual({ year: 2025, month: 9, day: 22 });
        expect(toGregorian(1404, 7, 1)).toEqual({ year: 2025, month: 9, day: 23 });
        expect(toGregorian(1404, 7, 30)).toEqual({ year: 2025, month: 10, day: 22 });
    });

    test("round trip on every day of 2000-2040", () => {
        let date = DateTime.utc(2000, 1, 1);
        let previous = toJalali(1999, 12, 31);
        let failures = 0;
        while (date.year < 2041) {
            const jalali = toJalali(date.year, date.month, date.day);
            const back = toGregorian(jalali.year, jalali.month, jalali.day);
            const next =
                previous.day < jalaliMonthLength(previous.year, previous.month)
                    ? { ...previous, day: previous.day + 1 }
                    : previous.month < 12
                    ? { year: previous.year, month: previous.month + 1, day: 1 }
                    : { year: previous.year + 1, month: 1, day: 1 };
            if (
                back.year !== date.year ||
                back.month !== date.month ||
                back.day !== date.day ||
                JSON.stringify(next) !== JSON.stringify(jalali)
            ) {
                failures++;
            }
            previous = jalali;
            date = date.plus({ days: 1 });
        }
        expect(failures).toBe(0);
    });
});

describe("formatting", () => {
    test("dates and datetimes are shown Jalali, serialized Gregorian", () => {
        useJalali();
        const nowruz = fa("2025-03-21");
        expect(formatDate(nowruz)).toBe("1404/01/01");
        expect(formatDate(fa("2025-03-20"))).toBe("1403/12/30");
        expect(formatDate(fa("2026-03-20"))).toBe("1404/12/29");
        expect(formatDateTime(fa("2025-03-20T23:59:00"))).toBe("1403/12/30 23:59:00");
        expect(serializeDate(nowruz)).toBe("2025-03-21");
        expect(serializeDateTime(DateTime.utc(2025, 3, 20, 21, 0, 0))).toBe("2025-03-20 21:00:00");
        expect(nowruz.toFormat("yyyy-MM-dd")).toBe("2025-03-21");
        expect(nowruz.toISODate()).toBe("2025-03-21");
        expect(nowruz.monthLong).toBe("فروردین");
        expect(fa("2026-12-05").toFormat("MMMM yyyy")).toBe("آذر 1405");
        // the value itself stays Gregorian
        expect(nowruz.year).toBe(2025);
    });

    test("Gregorian for the other users", () => {
        patchWithCleanup(localization, { dateFormat: "yyyy/MM/dd" });
        expect(formatDate(fa("2025-03-21"))).toBe("2025/03/21");
        expect(parseDate("1404/01/01").toISODate()).toBe("1404-01-01");
    });
});

describe("parsing", () => {
    test("a Jalali date typed by the user", () => {
        useJalali();
        expect(parseDate("1404/01/01").toISODate()).toBe("2025-03-21");
        expect(parseDate("1403/12/30").toISODate()).toBe("2025-03-20");
        expect(parseDate("۱۴۰۳/۱۲/۳۰").toISODate()).toBe("2025-03-20");
        expect(parseDate("1404/1/5").toISODate()).toBe("2025-03-25");
        expect(parseDate("14040105").toISODate()).toBe("2025-03-25");
        expect(parseDate("1404/06/31").toISODate()).toBe("2025-09-22");
        expect(() => parseDate("1404/12/30")).toThrow();
        // a Gregorian date is still understood
        expect(parseDate("2025/03/21").toISODate()).toBe("2025-03-21");
        const dateTime = parseDateTime("1404/01/01 08:30:00");
        expect(dateTime.toFormat("yyyy-MM-dd HH:mm:ss")).toBe("2025-03-21 08:30:00");
    });

    test("parseJalali refuses what is not a Jalali date", () => {
        expect(parseJalali("2025/03/21", "yyyy/MM/dd")).toBe(null);
        expect(parseJalali("1404/12/30", "yyyy/MM/dd")).toBe(null);
        expect(parseJalali("1404/01/01", "MMMM yyyy")).toBe(null);
        expect(parseJalali("abc 1404/01/01", "yyyy/MM/dd")).toBe(null);
        expect(parseJalali("01/02/1404", "dd/MM/yyyy").toISODate()).toBe("2025-04-21");
    });
});

describe("date picker", () => {
    beforeEach(() => mockDate("2025-03-20T10:00:00"));

    test("Jalali month grid, Saturday first, writes the Gregorian date", async () => {
        useJalali();
        const selected = [];
        await mountWithCleanup(DateTimePicker, {
            props: {
                type: "date",
                value: DateTime.local(2025, 3, 20),
                onSelect: (value) => selected.push(value.toISODate()),
            },
        });
        expect(".o_datetime_picker_header").toHaveText("Esfand 1403");
        const weekdays = queryAllTexts(".o_day_of_week_cell");
        expect(weekdays.slice(0, 2)).toEqual(["#", "Sat"]);
        // Esfand 1403 starts on Wednesday 2025-02-19 and has 30 days
        const days = queryAllTexts(".o_date_item_cell:not(.o_out_of_range)");
        expect(days[0]).toBe("1");
        expect(days.at(-1)).toBe("30");
        expect(".o_date_picker .o_out_of_range").toHaveCount(4 + 1);
        expect(".o_selected").toHaveText("30");

        await click(".o_next");
        await animationFrame();
        expect(".o_datetime_picker_header").toHaveText("Farvardin 1404");
        await click(".o_date_item_cell:not(.o_out_of_range):first");
        expect(selected).toEqual(["2025-03-21"]);

        await click(".o_previous");
        await animationFrame();
        await click(".o_previous");
        await animationFrame();
        expect(".o_datetime_picker_header").toHaveText("Bahman 1403");
        await click(".o_zoom_out");
        await animationFrame();
        expect(".o_datetime_picker_header").toHaveText("1403");
        expect(queryAllTexts(".o_date_item_cell")[0]).toBe("Farvardin");
    });

    test("Jalali week numbers", () => {
        // Farvardin 1 1404 is a Friday: its week (from Saturday 1403/12/25) is week 1
        expect(jalaliWeekNumber(DateTime.local(2025, 3, 21))).toBe(1);
        expect(jalaliWeekNumber(DateTime.local(2025, 3, 22))).toBe(2);
    });
});

describe("search filters", () => {
    beforeEach(() => mockDate("2026-12-05T10:00:00"));

    const optionsParams = { startYear: -2, endYear: 0, startMonth: -2, endMonth: 0, customOptions: [] };

    test("month and year options are Jalali months and years", () => {
        useJalali();
        const reference = new JalaliMoment(DateTime.local().reconfigure({ locale: "fa-IR", numberingSystem: "latn" }));
        const options = getPeriodOptions(reference, optionsParams);
        const descriptions = options.map((o) => o.description);
        expect(descriptions.slice(0, 3)).toEqual(["آذر", "آبان", "مهر"]);
        expect(descriptions.slice(-3)).toEqual(["1405", "1404", "1403"]);
    });

    test("a Jalali month filters on its Gregorian bounds", () => {
        useJalali();
        const reference = new JalaliMoment(DateTime.local().reconfigure({ locale: "fa-IR", numberingSystem: "latn" }));
        const searchItem = { fieldName: "date", fieldType: "date", optionsParams, domain: "[]" };
        const { domain, description } = constructDateDomain(reference, searchItem, ["month", "year"]);
        expect(domain.toList()).toEqual([
            "&",
            ["date", ">=", "2026-11-22"],
            ["date", "<=", "2026-12-21"],
        ]);
        expect(description).toBe("آذر 1405");
        // Azar 1403, two years back
        const azar1403 = constructDateDomain(reference, searchItem, ["month", "year-2"]);
        expect(azar1403.domain.toList()).toEqual([
            "&",
            ["date", ">=", "2024-11-21"],
            ["date", "<=", "2024-12-20"],
        ]);
        // the leap year 1403 ends on Esfand 30 = 2025-03-20
        const year1403 = constructDateDomain(reference, searchItem, ["year-2"]);
        expect(year1403.domain.toList()).toEqual([
            "&",
            ["date", ">=", "2024-03-20"],
            ["date", "<=", "2025-03-20"],
        ]);
        const datetimeItem = { ...searchItem, fieldType: "datetime" };
        const q3 = constructDateDomain(reference, datetimeItem, ["third_quarter", "year"]);
        expect(q3.description).toBe("Q3 1405");
        expect(q3.domain.toList()[1][2]).toBe(
            serializeDateTime(DateTime.local(2026, 9, 23).startOf("day"))
        );
    });

    test("a Persian facet reads month then year", () => {
        useJalali();
        patchWithCleanup(localization, { direction: "rtl" });
        const reference = new JalaliMoment(
            DateTime.local().reconfigure({ locale: "fa-IR", numberingSystem: "latn" })
        );
        const searchItem = { fieldName: "date", fieldType: "date", optionsParams, domain: "[]" };
        const { description } = constructDateDomain(reference, searchItem, ["month", "year"]);
        expect(description).toBe("1405 آذر"); // the web client's order for right-to-left
        expect(jalaliPeriodDescription(description)).toBe("آذر 1405");
        expect(jalaliPeriodDescription("1405 آذر/1404 آذر")).toBe("آذر 1405/آذر 1404");
        expect(jalaliPeriodDescription("1405")).toBe("1405");
    });
});

describe("calendar view", () => {
    test("titles name the Jalali months a Gregorian range overlaps", () => {
        useJalali();
        const december = fa("2026-12-01");
        expect(jalaliRangeTitle(december.startOf("month"), december.endOf("month"))).toBe(
            "آذر - دی 1405"
        );
        expect(jalaliRangeTitle(fa("2025-03-15"), fa("2025-03-21"))).toBe(
            "اسفند 1403 - فروردین 1404"
        );
        expect(jalaliRangeTitle(fa("2026-11-22"), fa("2026-11-28"))).toBe("آذر 1405");
    });
});
