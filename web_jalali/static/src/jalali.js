/**
 * Jalali (Solar Hijri, the Iranian civil calendar) <-> Gregorian conversion.
 *
 * Arithmetic of the 33-year cycles with the break years of Borkowski, as in the widely used
 * "jalaali-js" library: exact for Jalali years -61..3177, i.e. every date Odoo accepts
 * (Gregorian years 1000..9999 are clamped by the web client anyway).
 *
 * Months are 1-based everywhere: 1 = Farvardin ... 12 = Esfand.
 */

const BREAKS = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];

/** Persian month names (Farvardin ... Esfand). */
export const JALALI_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

function div(a, b) {
    return ~~(a / b);
}

function mod(a, b) {
    return a - ~~(a / b) * b;
}

/**
 * @param {number} jy Jalali year
 * @param {boolean} [withoutLeap]
 * @returns {{ leap?: number, gy: number, march: number }} leap: 0 for a leap year; march: the
 *  day of March (of Gregorian year gy) on which Farvardin 1 falls
 */
function jalCal(jy, withoutLeap) {
    const gy = jy + 621;
    let leapJ = -14;
    let jp = BREAKS[0];
    let jump = 0;
    if (jy < jp || jy >= BREAKS[BREAKS.length - 1]) {
        throw new Error(`Invalid Jalali year ${jy}`);
    }
    for (let i = 1; i < BREAKS.length; i++) {
        const jm = BREAKS[i];
        jump = jm - jp;
        if (jy < jm) {
            break;
        }
        leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
        jp = jm;
    }
    let n = jy - jp;
    leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) {
        leapJ += 1;
    }
    const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    const march = 20 + leapJ - leapG;
    if (withoutLeap) {
        return { gy, march };
    }
    if (jump - n < 6) {
        n = n - jump + div(jump + 4, 33) * 33;
    }
    let leap = mod(mod(n + 1, 33) - 1, 4);
    if (leap === -1) {
        leap = 4;
    }
    return { leap, gy, march };
}

/** Julian day number of a Gregorian date. */
function g2d(gy, gm, gd) {
    const d =
        div((gy + div(gm - 8, 6) + 100100) * 1461, 4) +
        div(153 * mod(gm + 9, 12) + 2, 5) +
        gd -
        34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
}

/** Gregorian date of a Julian day number. */
function d2g(jdn) {
    let j = 4 * jdn + 139361631;
    j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    const i = div(mod(j, 1461), 4) * 5 + 308;
    const gd = div(mod(i, 153), 5) + 1;
    const gm = mod(div(i, 153), 12) + 1;
    const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
    return { year: gy, month: gm, day: gd };
}

/** Julian day number of a Jalali date. */
function j2d(jy, jm, jd) {
    const { gy, march } = jalCal(jy, true);
    return g2d(gy, 3, march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
}

/** Jalali date of a Julian day number. */
function d2j(jdn) {
    const gy = d2g(jdn).year;
    let jy = gy - 621;
    const { leap, march } = jalCal(jy, false);
    let k = jdn - g2d(gy, 3, march);
    if (k >= 0) {
        if (k <= 185) {
            return { year: jy, month: 1 + div(k, 31), day: mod(k, 31) + 1 };
        }
        k -= 186;
    } else {
        jy -= 1;
        k += 179;
        if (leap === 1) {
            k += 1;
        }
    }
    return { year: jy, month: 7 + div(k, 30), day: mod(k, 30) + 1 };
}

/**
 * @param {number} year Gregorian year
 * @param {number} month Gregorian month (1-12)
 * @param {number} day
 * @returns {{ year: number, month: number, day: number }} the Jalali date
 */
export function toJalali(year, month, day) {
    return d2j(g2d(year, month, day));
}

/**
 * @param {number} year Jalali year
 * @param {number} month Jalali month (1-12)
 * @param {number} day
 * @returns {{ year: number, month: number, day: number }} the Gregorian date
 */
export function toGregorian(year, month, day) {
    return d2g(j2d(year, month, day));
}

/**
 * @param {number} year Jalali year
 * @returns {boolean} whether Esfand has 30 days that year
 */
export function isJalaliLeapYear(year) {
    return jalCal(year, false).leap === 0;
}

/**
 * @param {number} year Jalali year
 * @param {number} month Jalali month (1-12)
 * @returns {number} 31 for the first six months, 30 for the next five, 29 or 30 for Esfand
 */
export function jalaliMonthLength(year, month) {
    if (month <= 6) {
        return 31;
    }
    if (month <= 11) {
        return 30;
    }
    return isJalaliLeapYear(year) ? 30 : 29;
}

/**
 * @param {number} year Jalali year
 * @param {number} month Jalali month (1-12)
 * @param {number} day
 * @returns {boolean} whether the three numbers make a Jalali date
 */
export function isValidJalaliDate(year, month, day) {
    return (
        Number.isInteger(year) &&
        Number.isInteger(month) &&
        Number.isInteger(day) &&
        year >= -61 &&
        year < 3178 &&
        month >= 1 &&
        month <= 12 &&
        day >= 1 &&
        day <= jalaliMonthLength(year, month)
    );
}
