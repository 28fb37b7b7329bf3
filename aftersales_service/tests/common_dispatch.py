from odoo.tests.common import TransactionCase, new_test_user


class DispatchCommon(TransactionCase):
    """Fixtures: one centre, a 24/7 calendar, a skill with levels, technicians around Tehran."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.company.write({"aftersales_sla_at_risk_percent": 75})
        cls.calendar_always = cls.env["resource.calendar"].create(
            {
                "name": "Always on duty",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0.0,
                            "hour_to": 24.0,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        cls.centre = cls.env["aftersales.service.centre"].create({"name": "Tehran Test Centre", "code": "TST-THR"})
        cls.other_centre = cls.env["aftersales.service.centre"].create({"name": "Isfahan Test", "code": "TST-ISF"})
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Appliances",
                "skill_level_ids": [
                    (0, 0, {"name": "Beginner", "level_progress": 20}),
                    (0, 0, {"name": "Advanced", "level_progress": 80}),
                ],
                "skill_ids": [(0, 0, {"name": "Washing machines"}), (0, 0, {"name": "Refrigerators"})],
            }
        )
        cls.level_low = cls.skill_type.skill_level_ids.filtered(lambda lvl: lvl.level_progress == 20)
        cls.level_high = cls.skill_type.skill_level_ids.filtered(lambda lvl: lvl.level_progress == 80)
        cls.skill_wash = cls.skill_type.skill_ids.filtered(lambda s: s.name == "Washing machines")
        cls.skill_fridge = cls.skill_type.skill_ids - cls.skill_wash
        cls.service_type = cls.env["aftersales.service.type"].create(
            {
                "name": "Washing machine repair",
                "required_skill_ids": [(6, 0, cls.skill_wash.ids)],
                "min_skill_level": 50,
            }
        )
        cls.priority_normal = cls.env["aftersales.priority"].create({"name": "Normal", "level": 0})
        cls.priority_urgent = cls.env["aftersales.priority"].create({"name": "Urgent", "level": 3})
        cls.product = cls.env["product.product"].create({"name": "Washing Machine WM-900", "type": "consu"})
        # customer in central Tehran
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ali Karimi",
                "email": "ali.karimi@example.com",
                "mobile": "+989121234567",
                "partner_latitude": 35.7000,
                "partner_longitude": 51.4000,
            }
        )
        cls.dispatcher = new_test_user(
            cls.env, login="dispatcher_t", groups="base.group_user,aftersales_service.group_aftersales_dispatcher"
        )

    @classmethod
    def _technician(cls, name, lat, lon, skill_level=None, centre=None, max_jobs=6, login=None, **vals):
        user = (
            new_test_user(cls.env, login=login, groups="base.group_user,aftersales_service.group_aftersales_technician")
            if login
            else cls.env["res.users"]
        )
        level = cls.level_high if skill_level is None else skill_level
        values = {
            "name": name,
            "is_technician": True,
            "service_centre_id": (centre or cls.centre).id,
            "max_jobs_per_day": max_jobs,
            "last_latitude": lat,
            "last_longitude": lon,
            "resource_calendar_id": cls.calendar_always.id,
            "user_id": user.id,
            "work_email": f"{name.split()[0].lower()}@example.com",
            "mobile_phone": "+989351112233",
        }
        if level:
            values["employee_skill_ids"] = [
                (
                    0,
                    0,
                    {
                        "skill_id": cls.skill_wash.id,
                        "skill_level_id": level.id,
                        "skill_type_id": cls.skill_type.id,
                    },
                )
            ]
        values.update(vals)
        return cls.env["hr.employee"].create(values)

    @classmethod
    def _order(cls, partner=None, **vals):
        values = {
            "partner_id": (partner or cls.customer).id,
            "product_id": cls.product.id,
            "is_aftersales": True,
            "service_type_id": cls.service_type.id,
            "service_centre_id": cls.centre.id,
            "service_priority_id": cls.priority_normal.id,
        }
        values.update(vals)
        return cls.env["repair.order"].create(values)
