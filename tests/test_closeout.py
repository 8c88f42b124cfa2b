"""Session close-out (issue 12, point 5), across the modules that each add
their condition: attendance (psy_session), a signed note
(psy_clinical_record), valid consents (psy_consent), payment (psy_voucher,
psy_billing_bridge); and the center's setting that requires a signed note
before a session is invoiced.

These tests need the whole graph (psy_center and its modules).
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.psy_billing_bridge.tests.common import PsyBillingVoucherCommon

FLAGS = (
    "closeout_attendance_missing",
    "closeout_note_missing",
    "closeout_consent_missing",
    "closeout_payment_missing",
)


class CloseoutCommon(PsyBillingVoucherCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "psy_clinical_mandatory_field_ids": [Command.clear()],
                "psy_consent_type_ids": [Command.clear()],
                "psy_consent_online_type_ids": [Command.clear()],
                "psy_fee_no_show": False,
                "psy_fee_late_cancel": False,
                "psy_voucher_no_show_policy": "no_consume",
                "psy_voucher_late_cancel_policy": "no_consume",
            }
        )
        cls.record = (
            cls.env["psy.clinical.record"]
            .with_user(cls.psychologist)
            .create({"patient_id": cls.patient.id, "reason": "Anxiety (test)"})
        )
        cls.record_2 = (
            cls.env["psy.clinical.record"]
            .with_user(cls.psychologist_2)
            .create({"patient_id": cls.patient_2.id, "reason": "Insomnia (test)"})
        )
        cls.soap = cls.env.ref("psy_clinical_record.note_template_soap")

    def _note(self, session, sign=True):
        user = session.professional_id
        record = self.record if session.patient_id == self.patient else self.record_2
        note = (
            self.env["psy.session.note"]
            .with_user(user)
            .create(
                {
                    "record_id": record.id,
                    "session_id": session.id,
                    "template_id": self.soap.id,
                    "subjective": "Reports less worry",
                }
            )
        )
        if sign:
            note.action_sign()
        return note

    def _invoice_and_pay(self, sessions):
        moves = sessions.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self._pay(moves.with_env(self.env))
        return moves

    def _missing(self, session):
        return {flag for flag in FLAGS if session[flag]}


@tagged("post_install", "-at_install")
class TestCloseoutRules(CloseoutCommon):
    def test_each_condition_alone_keeps_the_session_open(self):
        # Attendance alone: the session took place and nobody recorded it.
        scheduled = self._session(start=self._nov(20))
        self.assertEqual(self._missing(scheduled), {"closeout_attendance_missing"})
        self.assertEqual(scheduled.closeout_state, "open")
        self.assertEqual(scheduled.closeout_missing, "Attendance")

        # Note alone: done and paid, the note not signed.
        unsigned = self._done_session(self._nov(16))
        self._note(unsigned, sign=False)
        self._invoice_and_pay(unsigned)
        self.assertEqual(unsigned.psy_invoice_state, "paid")
        self.assertEqual(self._missing(unsigned), {"closeout_note_missing"})
        self.assertEqual(unsigned.closeout_state, "open")
        self.assertEqual(unsigned.closeout_missing, "Signed note")

        # Payment alone: done, signed, invoiced but not paid.
        unpaid = self._done_session(self._nov(17))
        self._note(unpaid)
        unpaid.with_user(self.billing)._psy_create_invoices("session", post=True)
        self.assertEqual(self._missing(unpaid), {"closeout_payment_missing"})
        self.assertEqual(unpaid.closeout_missing, "Payment (invoice not paid)")

        # Consents alone: the center needs a consent the patient never
        # signed (required since the session took place).
        consent_less = self._done_session(self._nov(18))
        self._note(consent_less)
        self._invoice_and_pay(consent_less)
        self.assertEqual(consent_less.closeout_state, "closed")
        treatment = self.env.ref("psy_consent.type_treatment")
        self.company_a.psy_consent_type_ids = [Command.set(treatment.ids)]
        self.assertEqual(self._missing(consent_less), {"closeout_consent_missing"})
        self.assertEqual(consent_less.closeout_state, "open")
        self.assertEqual(consent_less.closeout_missing, "Consents (Treatment)")
        # A clinical director's override counts as valid.
        consent_less.with_user(self.director)._override_consent_check(
            "Consent given on paper, being scanned."
        )
        self.assertEqual(consent_less.closeout_state, "closed")

    def test_all_conditions_close_the_session(self):
        session = self._done_session(self._nov(16))
        self.assertEqual(
            self._missing(session),
            {"closeout_note_missing", "closeout_payment_missing"},
        )
        self.assertEqual(session.closeout_missing, "Signed note, payment (to invoice)")
        note = self._note(session, sign=False)
        self.assertEqual(session.closeout_state, "open")
        note.action_sign()
        self.assertEqual(self._missing(session), {"closeout_payment_missing"})
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(session.closeout_state, "open")
        self._pay(moves.with_env(self.env))
        self.assertEqual(self._missing(session), set())
        self.assertEqual(session.closeout_state, "closed")
        self.assertFalse(session.closeout_missing)
        # What the front desk reads of it: the state, never the note.
        as_reception = session.with_user(self.receptionist)
        self.assertEqual(as_reception.closeout_state, "closed")
        self.assertFalse(as_reception.closeout_note_missing)

    def test_no_role_writes_the_closeout(self):
        """Every flag and the state, for every role and whatever the context:
        refused; and a note is never attached through the session."""
        session = self._done_session(self._nov(16))
        before = {name: session[name] for name in (*FLAGS, "closeout_state")}
        for user in (
            self.receptionist,
            self.psychologist,
            self.director,
            self.billing,
            self.manager,
        ):
            for name in (*FLAGS, "closeout_state"):
                value = "closed" if name == "closeout_state" else False
                for context in ({}, {"tracking_disable": True, "install_mode": True}):
                    with self.assertRaises(UserError, msg=name):
                        session.with_user(user).with_context(**context).write(
                            {name: value}
                        )
        with self.assertRaises(UserError):
            session.with_user(self.psychologist).write(
                {
                    "psy_note_ids": [
                        Command.create(
                            {
                                "record_id": self.record.id,
                                "template_id": self.soap.id,
                                "subjective": "Through the session",
                            }
                        )
                    ]
                }
            )
        self.assertFalse(
            self.env["psy.session.note"].search([("session_id", "=", session.id)])
        )
        self.assertEqual(
            {name: session[name] for name in (*FLAGS, "closeout_state")}, before
        )

    def test_missing_in_the_readers_language(self):
        """What is missing is read in the language of who reads it, not
        stored in the language of whoever closed the session."""
        self.env["res.lang"]._activate_lang("es_ES")
        session = self._done_session(self._nov(16))
        self.assertEqual(
            session.with_context(lang="es_ES").closeout_missing,
            "Nota firmada, pago (por facturar)",
        )
        self.assertEqual(
            session.with_context(lang="en_US").closeout_missing,
            "Signed note, payment (to invoice)",
        )

    def test_paid_by_pack_needs_no_invoice(self):
        """A session paid with a pack invoiced at sale (approach A) is paid."""
        self._voucher()
        session = self._done_session(self._nov(16))
        self.assertTrue(session.voucher_id)
        self.assertEqual(session.psy_invoice_state, "none")
        self.assertFalse(session.closeout_payment_missing)
        self._note(session)
        self.assertEqual(session.closeout_state, "closed")

    def test_cancelled_and_no_show(self):
        """Cancelled in time: closed at once. Late cancellation or no-show:
        no note and no consent needed; closed at once without a fee, open
        until the fee is paid when the center charges one."""
        in_time = self._session(start=self.now + timedelta(days=3))
        in_time.action_cancel()
        self.assertEqual(in_time.closeout_state, "closed")

        no_show = self._session(start=self._nov(20))
        no_show.action_no_show()
        self.assertEqual(no_show.closeout_state, "closed")

        self.company_a.psy_fee_no_show = True
        self.company_a.psy_fee_late_cancel = True
        charged = self._session(start=self._nov(21))
        charged.action_no_show()
        self.assertEqual(self._missing(charged), {"closeout_payment_missing"})
        self._invoice_and_pay(charged)
        self.assertEqual(charged.closeout_state, "closed")

        late = self._session(start=self.now + timedelta(hours=5))
        late.action_cancel()
        self.assertEqual(late.state, "late_cancelled")
        self.assertEqual(self._missing(late), {"closeout_payment_missing"})
        # No consent is asked of a session that did not take place.
        treatment = self.env.ref("psy_consent.type_treatment")
        self.company_a.psy_consent_type_ids = [Command.set(treatment.ids)]
        self.assertFalse(late.closeout_consent_missing)
        self.assertFalse(charged.closeout_consent_missing)

    def test_group_is_paid_when_every_participant_is(self):
        group_type = self.env["product.product"].create(
            {
                "name": "Group therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "group",
                "psy_capacity": 6,
                "psy_duration": 1.0,
                "list_price": 30.0,
                "taxes_id": [Command.set(self.tax_exempt.ids)],
            }
        )
        session = self.Session.create(
            {
                "product_id": group_type.id,
                "professional_id": self.psychologist.id,
                "room_id": self.room_2.id,
                "start": self._nov(19),
                "participant_ids": [
                    Command.create({"patient_id": self.patient.id}),
                    Command.create({"patient_id": self.patient_2.id}),
                ],
            }
        )
        session.action_done()
        first, second = session.participant_ids
        self.assertEqual(
            set(session.participant_ids.mapped("psy_invoice_state")), {"to_invoice"}
        )
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(len(moves), 2)
        self.assertEqual(
            session.with_user(self.billing).closeout_missing,
            "Signed note, payment (Ana López García: invoice not paid; "
            "Bruno Díaz: invoice not paid)",
        )
        self._pay(first.psy_invoice_line_ids.move_id.with_env(self.env))
        self.assertTrue(session.closeout_payment_missing)
        self.assertEqual(
            session.with_user(self.receptionist).closeout_missing,
            "Signed note, payment (Bruno Díaz: invoice not paid)",
        )
        self._pay(second.psy_invoice_line_ids.move_id.with_env(self.env))
        self.assertFalse(session.closeout_payment_missing)
        # Consents are per participant too.
        treatment = self.env.ref("psy_consent.type_treatment")
        self.company_a.psy_consent_type_ids = [Command.set(treatment.ids)]
        self.assertTrue(session.closeout_consent_missing)
        self.assertEqual(
            session.with_user(self.billing).closeout_missing,
            "Signed note, consents (Ana López García: Treatment; Bruno Díaz: "
            "Treatment)",
        )

    def test_closeout_of_a_batch_reads_no_row_alone(self):
        """Computing the close-out of many sessions costs what it costs for
        a few: no query per session."""
        Session = self.env["psy.session"]

        def make(count, day):
            sessions = Session
            for index in range(count):
                start = datetime(2026, 11, day, 8, 0) + timedelta(hours=index)
                sessions |= self._done_session(start)
            return sessions

        few = make(8, 2)
        many = make(24, 9)

        def recompute(sessions):
            self.env.invalidate_all()
            for name in (*FLAGS, "closeout_state"):
                self.env.add_to_compute(Session._fields[name], sessions)
            self.env.flush_all()

        recompute(few)
        self.env.flush_all()
        queries_before = self.env.cr.sql_log_count
        recompute(few)
        baseline = self.env.cr.sql_log_count - queries_before
        self.assertLess(baseline, 12)
        with self.assertQueryCount(baseline):
            recompute(many)
        self.assertEqual(set(many.mapped("closeout_state")), {"open"})


@tagged("post_install", "-at_install")
class TestNoteBeforeInvoice(CloseoutCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.psy_invoice_requires_signed_note = True
        cls.signed = cls._done_session(cls._nov(3))
        cls.unsigned = cls._done_session(cls._nov(10))

    def setUp(self):
        super().setUp()
        self._note(self.signed)

    def test_direct_invoicing_is_refused(self):
        with self.assertRaises(UserError) as error:
            self.unsigned.with_user(self.billing).action_psy_create_invoice()
        message = str(error.exception)
        self.assertIn("no signed note", message)
        self.assertIn("Ana López García", message)
        self.assertEqual(self.unsigned.psy_invoice_state, "to_invoice")
        self.assertFalse(self.unsigned.psy_invoice_line_ids)

    def test_fee_needs_no_note(self):
        self.company_a.psy_fee_no_show = True
        no_show = self._session(start=self._nov(20))
        no_show.action_no_show()
        no_show.with_user(self.billing).action_psy_create_invoice()
        self.assertEqual(no_show.psy_invoice_state, "invoiced")

    def test_wizard_skips_and_reports(self):
        wizard = (
            self.env["psy.session.invoice.wizard"]
            .with_user(self.billing)
            .create(
                {
                    "grouping": "session",
                    "date_from": datetime(2026, 11, 1).date(),
                    "date_to": datetime(2026, 11, 30).date(),
                }
            )
        )
        result = wizard.action_create_invoices()
        self.assertEqual(result["tag"], "display_notification")
        message = result["params"]["message"]
        self.assertIn("Invoices created: 1.", message)
        self.assertIn("no signed note", message)
        self.assertIn(self.unsigned.participants_label, message)
        self.assertEqual(result["params"]["next"]["res_model"], "account.move")
        self.assertEqual(self.signed.psy_invoice_state, "invoiced")
        self.assertEqual(self.unsigned.psy_invoice_state, "to_invoice")
        logged = self.unsigned.message_ids.filtered(
            lambda m: "Left out of the invoicing" in str(m.body)
        )
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.author_id, self.billing.partner_id)

    def test_wizard_with_only_blocked_sessions_says_why(self):
        wizard = (
            self.env["psy.session.invoice.wizard"]
            .with_user(self.billing)
            .with_context(active_model="psy.session", active_ids=self.unsigned.ids)
            .create({"grouping": "session"})
        )
        with self.assertRaises(UserError) as error:
            wizard.action_create_invoices()
        self.assertIn("No session was invoiced", str(error.exception))
        self.assertIn("no signed note", str(error.exception))

    def test_monthly_cron_skips_and_logs(self):
        self.company_a.write({"psy_invoice_policy": "monthly"})
        self.env["psy.session"]._cron_psy_monthly_invoicing(
            date_ref=datetime(2026, 12, 1).date()
        )
        self.assertEqual(self.signed.psy_invoice_state, "invoiced")
        self.assertEqual(self.unsigned.psy_invoice_state, "to_invoice")
        self.assertTrue(
            self.unsigned.message_ids.filtered(
                lambda m: "Left out of the monthly invoicing" in str(m.body)
            )
        )
        # Signed later, it goes into the next run.
        self._note(self.unsigned)
        self.env["psy.session"]._cron_psy_monthly_invoicing(
            date_ref=datetime(2026, 12, 1).date()
        )
        self.assertEqual(self.unsigned.psy_invoice_state, "invoiced")

    def test_setting_off_invoices(self):
        self.company_a.psy_invoice_requires_signed_note = False
        self.unsigned.with_user(self.billing).action_psy_create_invoice()
        self.assertEqual(self.unsigned.psy_invoice_state, "invoiced")
        with freeze_time(self.now):
            self.assertTrue(self.unsigned.closeout_note_missing)
