"""Iran's official public holidays, as Jalali (Solar Hijri) dates.

Solar holidays fall on the same Jalali day every year (``SOLAR_HOLIDAYS``). Religious holidays follow
the lunar Hijri calendar and move by about eleven days a year; Iran fixes them in the official calendar
published each autumn by the Council for Public Culture (after the Geophysics Institute of the
University of Tehran), and Eid al-Fitr may still move by a day on the moon sighting. They are therefore
shipped as a dated list per Jalali year (``LUNAR_HOLIDAYS``):

- 1404: the official calendar of 1404 (Council for Public Culture), so that SLA clocks and reports over
  last year's orders count the days that were really off;
- 1405: anchored on the official calendar of 1405 (Eid al-Fitr on 1-2 Farvardin, Eid al-Adha on
  6 Khordad, Eid al-Ghadir on 14 Khordad, Tasua and Ashura on 3-4 Tir); the other days follow from the
  lunar months these fix and match the published number of holidays per month;
- 1406: estimated from the astronomical new moons (a month starts the day after the first evening
  whose crescent is at least about 12.5 hours old at Tehran sunset), a rule that reproduces the
  religious holidays of the official 1404 calendar from Farvardin to Shahrivar; check it against the
  official 1406 calendar when it is published and correct the leaves whose date moved.

Extend ``LUNAR_HOLIDAYS`` with the next year's official list every year.
"""

import datetime

import jdatetime

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

NOWRUZ = _lt("Nowruz")

# (Jalali month, day, name)
SOLAR_HOLIDAYS = [
    (1, 1, NOWRUZ),
    (1, 2, NOWRUZ),
    (1, 3, NOWRUZ),
    (1, 4, NOWRUZ),
    (1, 12, _lt("Islamic Republic Day")),
    (1, 13, _lt("Nature Day (Sizdah Be-dar)")),
    (3, 14, _lt("Demise of Imam Khomeini")),
    (3, 15, _lt("Uprising of 15 Khordad")),
    (11, 22, _lt("Victory of the Islamic Revolution")),
    (12, 29, _lt("Oil Industry Nationalisation Day")),
]

TASUA = _lt("Tasua")
ASHURA = _lt("Ashura")
ARBAEEN = _lt("Arbaeen")
PROPHET_DEMISE = _lt("Demise of the Prophet and Martyrdom of Imam Hasan")
IMAM_REZA = _lt("Martyrdom of Imam Reza")
IMAM_ASKARI = _lt("Martyrdom of Imam Hasan al-Askari")
PROPHET_BIRTH = _lt("Birth of the Prophet and of Imam Sadiq")
FATIMAH = _lt("Martyrdom of Fatimah")
IMAM_ALI_BIRTH = _lt("Birth of Imam Ali")
MABATH = _lt("Mab'ath")
IMAM_MAHDI = _lt("Birth of Imam Mahdi")
IMAM_ALI_MARTYRDOM = _lt("Martyrdom of Imam Ali")
EID_FITR = _lt("Eid al-Fitr")
EID_FITR_2 = _lt("Eid al-Fitr holiday")
IMAM_SADIQ = _lt("Martyrdom of Imam Sadiq")
EID_ADHA = _lt("Eid al-Adha")
EID_GHADIR = _lt("Eid al-Ghadir")

# {Jalali year: [(Jalali month, day, name)]}
LUNAR_HOLIDAYS = {
    1404: [
        (1, 11, EID_FITR),
        (1, 12, EID_FITR_2),
        (2, 4, IMAM_SADIQ),
        (3, 16, EID_ADHA),
        (3, 24, EID_GHADIR),
        (4, 14, TASUA),
        (4, 15, ASHURA),
        (5, 23, ARBAEEN),
        (5, 31, PROPHET_DEMISE),
        (6, 2, IMAM_REZA),
        (6, 10, IMAM_ASKARI),
        (6, 19, PROPHET_BIRTH),
        (9, 3, FATIMAH),
        (10, 13, IMAM_ALI_BIRTH),
        (10, 27, MABATH),
        (11, 15, IMAM_MAHDI),
        (12, 20, IMAM_ALI_MARTYRDOM),
    ],
    1405: [
        (1, 1, EID_FITR),
        (1, 2, EID_FITR_2),
        (1, 25, IMAM_SADIQ),
        (3, 6, EID_ADHA),
        (3, 14, EID_GHADIR),
        (4, 3, TASUA),
        (4, 4, ASHURA),
        (5, 13, ARBAEEN),
        (5, 21, PROPHET_DEMISE),
        (5, 22, IMAM_REZA),
        (5, 30, IMAM_ASKARI),
        (6, 8, PROPHET_BIRTH),
        (8, 22, FATIMAH),
        (10, 1, IMAM_ALI_BIRTH),
        (10, 15, MABATH),
        (11, 3, IMAM_MAHDI),
        (12, 9, IMAM_ALI_MARTYRDOM),
        (12, 19, EID_FITR),
        (12, 20, EID_FITR_2),
    ],
    1406: [
        (1, 14, IMAM_SADIQ),
        (2, 27, EID_ADHA),
        (3, 4, EID_GHADIR),
        (3, 24, TASUA),
        (3, 25, ASHURA),
        (5, 2, ARBAEEN),
        (5, 10, PROPHET_DEMISE),
        (5, 12, IMAM_REZA),
        (5, 20, IMAM_ASKARI),
        (5, 29, PROPHET_BIRTH),
        (8, 11, FATIMAH),
        (9, 21, IMAM_ALI_BIRTH),
        (10, 5, MABATH),
        (10, 22, IMAM_MAHDI),
        (11, 28, IMAM_ALI_MARTYRDOM),
        (12, 8, EID_FITR),
        (12, 9, EID_FITR_2),
    ],
}


def holidays_of_year(year):
    """``[(gregorian date, [lazy names])]`` of the Jalali ``year``, sorted, one entry per day.

    Solar holidays are computed for any year; lunar ones only for the years of ``LUNAR_HOLIDAYS``.
    """
    days = {}
    for month, day, name in SOLAR_HOLIDAYS + LUNAR_HOLIDAYS.get(year, []):
        date = jdatetime.date(year, month, day).togregorian()
        names = days.setdefault(date, [])
        if all(name._source != other._source for other in names):
            names.append(name)
    return sorted(days.items())


def jalali_year(value):
    """Jalali year of a Gregorian date or datetime."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return jdatetime.date.fromgregorian(date=value).year
