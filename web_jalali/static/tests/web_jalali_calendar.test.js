import { after, beforeEach, expect, test } from "@odoo/hoot";
import { mockDate } from "@odoo/hoot-mock";
import {
    defineModels,
    fields,
    models,
    mountView,
    preloadBundle,
} from "@web/../tests/web_test_helpers";
import { setJalaliActive } from "@web_jalali/jalali_calendar";

class Event extends models.Model {
    name = fields.Char();
    start = fields.Datetime();
    stop = fields.Datetime();
    is_all_day = fields.Boolean();

    has_access() {
        return true;
    }

    _records = [{ id: 1, name: "Visit", start: "2026-12-03 10:00:00", stop: "2026-12-03 11:00:00" }];
}

defineModels([Event]);
preloadBundle("web.fullcalendar_lib");

beforeEach(() => {
    mockDate("2026-12-05T08:00:00");
    setJalaliActive(true);
    after(() => setJalaliActive(false));
});

test("month scale: the title names the Jalali months of the Gregorian grid", async () => {
    await mountView({
        resModel: "event",
        type: "calendar",
        arch: `<calendar date_start="start" date_stop="stop" mode="month"/>`,
    });
    expect(".o_calendar_header h5").toHaveText("Azar - Dey 1405");
});

test("week scale: Jalali title and day numbers", async () => {
    await mountView({
        resModel: "event",
        type: "calendar",
        arch: `<calendar date_start="start" date_stop="stop" mode="week"/>`,
    });
    // the week of 2026-11-29 (Sunday) to 2026-12-05: 8 to 14 Azar 1405
    expect(".o_calendar_header h5").toHaveText(/^Azar 1405/);
    expect(".fc-col-header-cell .o_cw_day_number:eq(0)").toHaveText("8");
    expect(".fc-col-header-cell .o_cw_day_number:eq(-1)").toHaveText("14");
});

test("day scale: Jalali day, month and year", async () => {
    await mountView({
        resModel: "event",
        type: "calendar",
        arch: `<calendar date_start="start" date_stop="stop" mode="day"/>`,
    });
    expect(".o_calendar_header h5").toHaveText("14 Azar 1405");
});
