from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .common import PsyPatientCommon

# Every context key that once changed a guard or the clock.
OLD_CONTEXTS = (
    {},
    {"psy_today": date(2020, 1, 1)},
    {"psy_now": datetime(2020, 1, 1, 8, 0)},
    {"psy_session_sync": True},
    {"psy_today": date(2020, 1, 1), "psy_now": datetime(2020, 1, 1, 8, 0)},
)


@tagged("post_install", "-at_install")
class TestPatientWritePaths(PsyPatientCommon):
    """The status of a patient file and its discharge date change only with
    the Discharge and Reopen buttons, whatever the role and the context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guarded_values = {
            "state": ["discharged"],
            "discharge_date": [date(2026, 11, 1), False],
        }

    def _snapshot(self, patient):
        patient.invalidate_recordset()
        return (patient.state, patient.discharge_date)

    def test_write_refused_for_every_role_and_context(self):
        for patient, expected in (
            (self.patient, ("active", False)),
            (self._discharged(), ("discharged", self.today)),
        ):
            for role, user in self.roles.items():
                for context in OLD_CONTEXTS:
                    for field, values in self.guarded_values.items():
                        for value in values + ["active"] * (field == "state"):
                            with self.subTest(role=role, context=context, field=field):
                                with self.assertRaises(UserError):
                                    patient.with_user(user).with_context(
                                        **context
                                    ).write({field: value})
                                self.assertEqual(self._snapshot(patient), expected)

    def _discharged(self):
        patient = self._patient(lastname="De Alta")
        patient.action_discharge()
        return patient

    def test_guard_message_names_the_buttons(self):
        with self.assertRaisesRegex(UserError, "Discharge and Reopen file buttons"):
            self.patient.with_user(self.receptionist).write({"state": "discharged"})

    def test_create_refused_for_every_role_and_context(self):
        count = self.env["psy.patient"].search_count([])
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for vals in (
                    {"state": "discharged"},
                    {"discharge_date": date(2026, 11, 1)},
                ):
                    with self.subTest(role=role, context=context, vals=vals):
                        with self.assertRaises(UserError):
                            self.Patient.with_user(user).with_context(**context).create(
                                {
                                    "firstname": "Hostile",
                                    "lastname": "Create",
                                    "company_id": self.company_a.id,
                                    **vals,
                                }
                            )
        self.assertEqual(self.env["psy.patient"].search_count([]), count)
        # Nor through the defaults of the context, which Odoo applies after
        # the values are checked.
        for role, user in self.roles.items():
            for context in (
                {"default_state": "discharged"},
                {"default_discharge_date": "2026-11-01"},
            ):
                with self.subTest(role=role, context=context):
                    with self.assertRaises(UserError):
                        self.Patient.with_user(user).with_context(**context).create(
                            {"firstname": "Hostile", "lastname": "Default"}
                        )
        self.assertEqual(self.env["psy.patient"].search_count([]), count)
        created = self.Patient.with_user(self.receptionist).create(
            {"firstname": "New", "lastname": "File", "state": "active"}
        )
        self.assertEqual(created.state, "active")

    def test_unlink_with_history_refused_whatever_the_context(self):
        discharged = self._discharged()
        for role, user in self.roles.items():
            for context in (*OLD_CONTEXTS, {MODULE_UNINSTALL_FLAG: True}):
                with self.subTest(role=role, context=context):
                    # Only the manager may delete files; none with a history.
                    with self.assertRaises(UserError):
                        discharged.with_user(user).with_context(**context).unlink()
        self.assertTrue(discharged.exists())

    def test_discharge_date_is_the_real_today(self):
        with freeze_time("2026-12-01 10:00:00"):
            self.patient.with_user(self.receptionist).with_context(
                psy_today=date(2020, 1, 1)
            ).action_discharge()
        self.assertEqual(self.patient.state, "discharged")
        self.assertEqual(self.patient.discharge_date, date(2026, 12, 1))
        self.patient.with_user(self.psychologist).action_reopen()
        self.assertEqual(self._snapshot(self.patient), ("active", False))
        with self.assertRaises(AccessError):
            self.patient.with_user(self.billing).action_discharge()
        self.assertEqual(self.patient.state, "active")
