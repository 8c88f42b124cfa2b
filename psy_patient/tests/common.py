from datetime import date

from odoo.tests import TransactionCase, new_test_user


class PsyPatientCommon(TransactionCase):
    """Two centers, one user per role, and a few patients of center A.

    The clock is frozen at 23 November 2026, 08:00 UTC (``freeze_time`` of
    Odoo's test case, i.e. ``freezegun``) for the whole class; a test moves it
    with ``with freeze_time(...)``. No context key sets the clock."""

    freeze_time = "2026-11-23 08:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.today = date(2026, 11, 23)
        cls.company_a = cls.env["res.company"].create(
            {"name": "Centro Alfa", "country_id": cls.env.ref("base.es").id}
        )
        cls.company_b = cls.env["res.company"].create(
            {"name": "Centro Beta", "country_id": cls.env.ref("base.es").id}
        )
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=[cls.company_a.id],
            )
        )

        def user(login, group, company=None):
            company = company or cls.company_a
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,psy_patient.{group}",
                company_id=company.id,
                company_ids=[company.id],
            )

        cls.receptionist = user("t_reception", "group_psy_receptionist")
        cls.psychologist = user("t_psychologist", "group_psy_psychologist")
        cls.psychologist_2 = user("t_psychologist2", "group_psy_psychologist")
        cls.director = user("t_director", "group_psy_director")
        cls.billing = user("t_billing", "group_psy_billing")
        cls.manager = user("t_manager", "group_psy_manager")
        cls.receptionist_b = user(
            "t_reception_b", "group_psy_receptionist", cls.company_b
        )
        # One user of each staff role of the design, for the tests that try
        # every role in turn.
        cls.roles = {
            "receptionist": cls.receptionist,
            "psychologist": cls.psychologist,
            "director": cls.director,
            "billing": cls.billing,
            "manager": cls.manager,
        }

        cls.Patient = cls.env["psy.patient"].with_company(cls.company_a)
        cls.patient = cls.Patient.create(
            {
                "firstname": "Ana",
                "lastname": "López García",
                "birthdate": date(1990, 3, 14),
                "national_id": "12345678Z",
                "professional_ids": [(6, 0, cls.psychologist.ids)],
                "company_id": cls.company_a.id,
            }
        )

    @classmethod
    def _patient(cls, **vals):
        values = {
            "firstname": "Test",
            "lastname": "Patient",
            "company_id": cls.company_a.id,
        }
        values.update(vals)
        return cls.Patient.create(values)
