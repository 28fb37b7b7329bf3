import { session } from "@web/session";
import { setJalaliActive } from "./jalali_calendar";

// The server says whether this user reads the Jalali calendar (Persian language, or the calendar
// chosen in the preferences): see res.users._web_jalali_is_active.
setJalaliActive(session.web_jalali_calendar);
