"""The demo center tells its story (issue 12, point 8).

In any database where psy_center is installed with its demo data, English
(the test database) or Spanish (``./dev/start``): a signed treatment consent
is needed to complete a session and the patients with sessions ahead hold
it, but for the two whose consent is the story; the invoices spread over the
past months, paid and open; the portal logins of a patient and of a guardian
see their own sessions, packs and invoices. In the Spanish database of
``./dev/start`` (Spanish as the default language of partners): the center,
its users and its patients speak Spanish, in euros, on the Spanish chart.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCenter(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref(
            "psy_center.consent_adrian_campos_treatment", raise_if_not_found=False
        ):
            cls.skipTest(cls, "needs the demo center")
        cls.company = cls.env.ref("base.main_company")
        cls.laura = cls.env.ref("psy_patient.patient_laura_gomez")
        cls.david = cls.env.ref("psy_patient.patient_david_romero")

    def test_sessions_ahead_hold_the_treatment_consent(self):
        self.assertEqual(
            self.company.psy_consent_type_ids,
            self.env.ref("psy_consent.type_treatment"),
        )
        ahead = self.env["psy.session"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "scheduled"),
                ("start", ">", fields.Datetime.now()),
            ]
        )
        self.assertTrue(ahead)
        missing = ahead._consent_missing_by_patient()
        Patient = self.env["psy.patient"]
        patients = Patient.union(
            *(Patient.union(*by_patient) for by_patient in missing.values())
        )
        # Laura's request waits for her signature, David revoked his consent;
        # every other patient with sessions ahead signed it.
        self.assertEqual(patients, self.laura | self.david)

    def test_a_session_without_consent_cannot_be_done(self):
        session = self.env["psy.session"].search(
            [
                ("patient_id", "=", self.laura.id),
                ("state", "=", "scheduled"),
                ("start", ">", fields.Datetime.now()),
            ],
            order="start",
            limit=1,
        )
        lucia = self.env.ref("psy_patient.user_lucia")
        with freeze_time(session.start + timedelta(hours=1)):
            with self.assertRaisesRegex(UserError, "no valid consent"):
                session.with_user(lucia).with_context(lang="en_US").action_done()
        self.assertEqual(session.state, "scheduled")

    def test_invoices_spread_over_the_past_months(self):
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("invoice_line_ids.psy_session_id", "!=", False),
            ]
        )
        months = {invoice.invoice_date.strftime("%Y-%m") for invoice in invoices}
        self.assertGreaterEqual(len(months), 5, months)
        states = set(invoices.mapped("payment_state"))
        self.assertTrue(states & {"paid", "in_payment"}, states)
        self.assertIn("not_paid", states)
        # Therapy is health care, exempt from VAT.
        self.assertFalse(invoices.filtered("amount_tax"))

    def test_portal_logins_see_their_own_records(self):
        ana = self.env["res.users"].search([("login", "=", "ana")])
        ines = self.env["res.users"].search([("login", "=", "ines")])
        self.assertTrue(ana.share and ines.share)
        patient = self.env.ref("psy_patient.patient_ana_lopez")
        hugo = self.env.ref("psy_patient.patient_hugo_serrano")
        sessions = self.env["psy.session"].with_user(ana).search([])
        self.assertTrue(sessions)
        self.assertEqual(sessions.patient_id, patient)
        self.assertTrue(self.env["psy.voucher"].with_user(ana).search([]))
        invoices = (
            self.env["account.move"]
            .with_user(ana)
            .search([("move_type", "=", "out_invoice")])
        )
        self.assertTrue(invoices)
        self.assertEqual(invoices.partner_id.commercial_partner_id, patient.partner_id)
        ines_sessions = self.env["psy.session"].with_user(ines).search([])
        self.assertIn(hugo, ines_sessions.patient_id)

    def test_spanish_database(self):
        default_lang = self.env["ir.default"]._get("res.partner", "lang")
        if default_lang != "es_ES":
            self.skipTest("the database was not created in Spanish (./dev/start)")
        self.assertEqual(self.company.currency_id.name, "EUR")
        self.assertTrue(self.company.chart_template.startswith("es_"))
        self.assertEqual(self.company.partner_id.lang, "es_ES")
        spanish = self.env["res.lang"]._lang_get("es_ES")
        self.assertEqual(spanish.date_format, "%d/%m/%Y")
        staff = self.env["res.users"].search(
            [("login", "in", ("reception", "marta", "ana", "ines"))]
        )
        self.assertEqual(set(staff.mapped("lang")), {"es_ES"})
        patients = self.env["psy.patient"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(set(patients.mapped("lang")), {"es_ES"})
        product = self.env.ref("psy_session.product_session_individual")
        self.assertTrue(self.company.psy_exempt_tax_id)
        self.assertEqual(product.taxes_id, self.company.psy_exempt_tax_id)
        self.assertEqual(product.with_context(lang="es_ES").name, "Terapia individual")
