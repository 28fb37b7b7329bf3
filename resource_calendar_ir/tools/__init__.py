from .holidays import LUNAR_HOLIDAYS, SOLAR_HOLIDAYS, holidays_of_year
