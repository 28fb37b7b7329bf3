/**
 * The Jalali calendar in the web client.
 *
 * When the calendar is active (see `setJalaliActive`, set from the session for a Persian user or
 * one who chose the Jalali calendar), luxon's formatting and parsing are patched so that every
 * date the web client shows is Jalali:
 * - `DateTime#toFormat` renders display formats in the Persian calendar (through `Intl`,
 *   luxon's `outputCalendar: "persian"`); machine formats (`yyyy-MM-dd...`, ISO, and any call
 *   that passes its own `numberingSystem`, as `serializeDate` and `serializeDateTime` do) stay
 *   Gregorian, so what the client sends to the server never changes;
 * - `DateTime#toLocaleString` and the `monthLong`/`monthShort` getters follow;
 * - `DateTime.fromFormat` (used by `parseDate`/`parseDateTime`) reads a typed date whose year is
 *   a Jalali year (1200-1699) as a Jalali date, Persian and Arabic-Indic digits included.
 * The DateTime values themselves (year, month, day, arithmetic) stay Gregorian.
 */
import { isValidJalaliDate, jalaliMonthLength, toGregorian, toJalali } from "./jalali";

const { DateTime } = luxon;

export const jalaliCalendar = {
    active: false,
};

/**
 * @param {boolean} active
 */
export function setJalaliActive(active) {
    jalaliCalendar.active = Boolean(active);
}

export function isJalaliActive() {
    return jalaliCalendar.active;
}

//-----------------------------------------------------------------------------
// Helpers on luxon DateTime values
//-----------------------------------------------------------------------------

/**
 * @param {luxon.DateTime} date
 * @returns {{ year: number, month: number, day: number }} the Jalali date of `date` (in its zone)
 */
export function jalaliParts(date) {
    return toJalali(date.year, date.month, date.day);
}

/**
 * Returns `base` moved to the given Jalali date (time and zone kept). A day past the end of the
 * month is clamped to the month's last day (as luxon does for Gregorian months).
 *
 * @param {number} year Jalali year
 * @param {number} month Jalali month, may be out of 1-12 (the year is carried)
 * @param {number} day
 * @param {luxon.DateTime} [base]
 * @returns {luxon.DateTime}
 */
export function setJalali(year, month, day, base = DateTime.local()) {
    const index = year * 12 + (month - 1);
    year = Math.floor(index / 12);
    month = index - year * 12 + 1;
    day = Math.min(Math.max(day, 1), jalaliMonthLength(year, month));
    const gregorian = toGregorian(year, month, day);
    return base.set(gregorian);
}

/**
 * @param {luxon.DateTime} date
 * @param {"year" | "quarter" | "month"} unit
 * @returns {luxon.DateTime} the first moment of the Jalali year/quarter/month of `date`
 */
export function startOfJalali(date, unit) {
    const { year, month } = jalaliParts(date);
    const firstMonth = { year: 1, quarter: month - ((month - 1) % 3), month }[unit];
    return setJalali(year, firstMonth, 1, date).startOf("day");
}

/**
 * @param {luxon.DateTime} date
 * @param {"year" | "quarter" | "month"} unit
 * @returns {luxon.DateTime} the last moment of the Jalali year/quarter/month of `date`
 */
export function endOfJalali(date, unit) {
    const { year, month } = jalaliParts(date);
    const lastMonth = { year: 12, quarter: month - ((month - 1) % 3) + 2, month }[unit];
    return setJalali(year, lastMonth, 31, date).endOf("day");
}

/**
 * @param {luxon.DateTime} date
 * @param {number} months number of Jalali months to add (negative to go back)
 * @returns {luxon.DateTime}
 */
export function plusJalaliMonths(date, months) {
    const { year, month, day } = jalaliParts(date);
    return setJalali(year, month + months, day, date);
}

//-----------------------------------------------------------------------------
// Parsing
//-----------------------------------------------------------------------------

const NON_LATIN_DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;

/**
 * @param {string} value
 * @returns {string} `value` with Persian and Arabic-Indic digits written as ASCII digits
 */
export function toLatinDigits(value) {
    return value.replace(NON_LATIN_DIGITS, (c) => String((c.charCodeAt(0) & 0xf) % 10));
}

const TOKEN_UNITS = { y: "year", M: "month", L: "month", d: "day", H: "hour", m: "minute", s: "second" };

/**
 * Parses a date typed in the Jalali calendar with a luxon format ("yyyy/MM/dd HH:mm:ss" ...):
 * the numbers of the value are read in the order of the format's tokens, with or without
 * separators ("1404/1/5", "14040105"). Returns null when the value is not a Jalali date (no
 * Jalali year, unknown token, impossible date such as Esfand 30 of a common year).
 *
 * @param {string} value
 * @param {string} format luxon format
 * @param {{ zone?: string | luxon.Zone }} [options]
 * @returns {luxon.DateTime | null}
 */
export function parseJalali(value, format, options = {}) {
    if (typeof value !== "string" || typeof format !== "string") {
        return null;
    }
    // strip luxon literals ('...'), then split the format into runs of letters
    const tokens = format.replace(/'[^']*'/g, " ").match(/([a-zA-Z])\1*/g) || [];
    if (tokens.some((token) => !TOKEN_UNITS[token[0]])) {
        return null; // month names, meridiem, week numbers...: not for this parser
    }
    const units = tokens.map((token) => TOKEN_UNITS[token[0]]);
    if (!["year", "month", "day"].every((unit) => units.includes(unit))) {
        return null;
    }
    const text = toLatinDigits(value.trim());
    let numbers = text.match(/\d+/g) || [];
    if (numbers.length === 1 && /^\d+$/.test(text) && text.length === tokens.join("").length) {
        // no separators: cut the digits by the width of the tokens
        let position = 0;
        numbers = tokens.map((token) => {
            const part = text.slice(position, position + token.length);
            position += token.length;
            return part;
        });
    } else if (/[^\d\s/.\-:,]/.test(text)) {
        return null;
    }
    if (numbers.length < 3 || numbers.length > tokens.length) {
        return null;
    }
    const parts = { hour: 0, minute: 0, second: 0 };
    numbers.forEach((number, index) => {
        parts[units[index]] = parseInt(number, 10);
    });
    if (parts.year < 1200 || parts.year >= 1700) {
        return null; // a Gregorian year: left to luxon
    }
    if (
        !isValidJalaliDate(parts.year, parts.month, parts.day) ||
        parts.hour > 23 ||
        parts.minute > 59 ||
        parts.second > 59
    ) {
        return null;
    }
    const gregorian = toGregorian(parts.year, parts.month, parts.day);
    const result = DateTime.fromObject(
        { ...gregorian, hour: parts.hour, minute: parts.minute, second: parts.second },
        { zone: options.zone || "default" }
    );
    return result.isValid ? result : null;
}

//-----------------------------------------------------------------------------
// luxon patches
//-----------------------------------------------------------------------------

const DATE_TOKENS = /[yMLdD]/;
const MACHINE_FORMAT = /y{4}-[ML]{2}|'T'/;

/**
 * @param {string} format
 * @param {Object} [options]
 * @returns {boolean} whether `format` shows a date to a person (and not to a machine)
 */
export function isDisplayFormat(format, options) {
    if (options && (options.numberingSystem || options.outputCalendar)) {
        return false; // serializeDate/serializeDateTime and explicit requests
    }
    const withoutLiterals = String(format).replace(/'[^']*'/g, "");
    return DATE_TOKENS.test(withoutLiterals) && !MACHINE_FORMAT.test(format);
}

function isGregorianLoc(date) {
    const calendar = date.loc && date.loc.outputCalendar;
    return !calendar || calendar === "gregory";
}

const proto = DateTime.prototype;
const originalToFormat = proto.toFormat;
const originalToLocaleString = proto.toLocaleString;
const originalFromFormat = DateTime.fromFormat;
const monthLongDescriptor = Object.getOwnPropertyDescriptor(proto, "monthLong");
const monthShortDescriptor = Object.getOwnPropertyDescriptor(proto, "monthShort");

/**
 * @param {luxon.DateTime} date
 */
function toPersianCalendar(date) {
    return date.reconfigure({ outputCalendar: "persian" });
}

proto.toFormat = function toFormat(format, options) {
    if (jalaliCalendar.active && this.isValid && isGregorianLoc(this) && isDisplayFormat(format, options)) {
        return originalToFormat.call(toPersianCalendar(this), format, options);
    }
    return originalToFormat.call(this, format, options);
};

proto.toLocaleString = function toLocaleString(format, options) {
    if (jalaliCalendar.active && this.isValid && isGregorianLoc(this)) {
        return originalToLocaleString.call(toPersianCalendar(this), format, options);
    }
    return originalToLocaleString.call(this, format, options);
};

Object.defineProperty(proto, "monthLong", {
    ...monthLongDescriptor,
    get() {
        if (jalaliCalendar.active && this.isValid) {
            return this.toFormat("LLLL");
        }
        return monthLongDescriptor.get.call(this);
    },
});

Object.defineProperty(proto, "monthShort", {
    ...monthShortDescriptor,
    get() {
        if (jalaliCalendar.active && this.isValid) {
            return this.toFormat("LLL");
        }
        return monthShortDescriptor.get.call(this);
    },
});

DateTime.fromFormat = function fromFormat(text, format, options = {}) {
    if (jalaliCalendar.active) {
        const jalali = parseJalali(text, format, options);
        if (jalali) {
            return jalali;
        }
    }
    const result = originalFromFormat.call(this, text, format, options);
    if (jalaliCalendar.active && result.isValid && result.year >= 1200 && result.year < 1700) {
        // a Jalali year with an impossible Jalali date (Esfand 30 of a common year...): not a
        // Gregorian date of the 13th-17th century either
        return DateTime.invalid("not a Jalali date");
    }
    return result;
};
