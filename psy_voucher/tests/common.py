import itertools
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, Command, api

from odoo.addons.psy_session.tests.common import PsySessionCommon

# Distinct start times, so that sessions of a test never overlap.
_PAST_SLOTS = itertools.count()
_FUTURE_SLOTS = itertools.count()

# The consents a company may require before a session is done (psy_consent).
CONSENT_GATING_FIELDS = ("psy_consent_type_ids", "psy_consent_online_type_ids")


def without_consent_gating(test):
    """Take the consent requirement off the main company while ``test`` runs.

    The demo center requires a signed treatment consent (psy_consent's
    gating). A test of the packs that commits its rows for a second cursor
    works on the main company: it lifts the requirement in a committed
    transaction of its own and puts it back when the test ends, whatever its
    outcome."""

    def main_company(cr):
        return api.Environment(cr, SUPERUSER_ID, {}).ref("base.main_company")

    with test.registry.cursor() as cr:
        company = main_company(cr)
        names = [name for name in CONSENT_GATING_FIELDS if name in company._fields]
        if not names:
            return
        saved = {name: company[name].ids for name in names}
        company.write({name: [Command.clear()] for name in names})

    def restore():
        with test.registry.cursor() as cr:
            main_company(cr).write(
                {name: [Command.set(ids)] for name, ids in saved.items()}
            )

    test.addCleanup(restore)


class PsyVoucherCommon(PsySessionCommon):
    """Center A of psy_session plus pack products and helpers.

    "Today" is 23 November 2026 and "now" 08:00 (UTC) that day: the clock is
    frozen there for the whole class by ``freeze_time`` of PsyPatientCommon
    (``freezegun``). Completed sessions are placed before, cancelled-in-time
    sessions after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "psy_voucher_validity": 6,
                "psy_voucher_validity_unit": "months",
                "psy_voucher_late_cancel_policy": "consume",
                "psy_voucher_no_show_policy": "consume",
                "psy_voucher_reminder_days": 15,
            }
        )
        Product = cls.env["product.product"]
        cls.couples = Product.create(
            {
                "name": "Couples therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 80 / 60,
                "list_price": 90.0,
            }
        )
        cls.pack10 = cls._pack()
        cls.Voucher = cls.env["psy.voucher"].with_company(cls.company_a)

    @classmethod
    def _pack(cls, **vals):
        values = {
            "name": "Pack 10 sessions",
            "type": "service",
            "list_price": 500.0,
            "is_psy_voucher": True,
            "psy_voucher_sessions": 10,
            "psy_voucher_validity": 6,
            "psy_voucher_validity_unit": "months",
            "psy_voucher_session_type_ids": [
                (6, 0, (cls.individual | cls.online_only).product_tmpl_id.ids)
            ],
            "psy_voucher_owner": "center",
            "psy_voucher_transfer": "yes",
            "psy_voucher_refund_model": "unused",
        }
        values.update(vals)
        return cls.env["product.product"].create(values)

    @classmethod
    def _voucher(cls, product=None, patient=None, activate=True, **vals):
        values = {
            "patient_id": (patient or cls.patient).id,
            "product_id": (product or cls.pack10).id,
        }
        values.update(vals)
        voucher = cls.Voucher.create(values)
        if activate:
            # A sold pack for the fixtures: activated through the private
            # door of every seller, as action_activate does here and the
            # invoice does once psy_billing_bridge is installed (where
            # action_activate refuses a priced pack without its invoice).
            voucher._psy_check_draft_sellable()
            voucher._psy_activate()
        return voucher

    @classmethod
    def _past_start(cls):
        """A distinct start in the weeks before "now"."""
        return datetime(2026, 10, 1, 0, 0) + timedelta(
            hours=2 * (next(_PAST_SLOTS) % 300)
        )

    @classmethod
    def _future_start(cls):
        """A distinct start more than a day after "now" (cancel in time)."""
        return datetime(2026, 12, 1, 0, 0) + timedelta(
            hours=2 * (next(_FUTURE_SLOTS) % 300)
        )

    @classmethod
    def _past_session(cls, **vals):
        values = {"room_id": False, "start": cls._past_start()}
        values.update(vals)
        return cls._session(**values)

    @classmethod
    def _completed(cls, **vals):
        session = cls._past_session(**vals)
        session.action_done()
        return session

    def assertBalance(self, voucher, remaining, state=None):
        """The stored balance, the state, and the ledger agree: remaining is
        the sessions sold plus every movement, and the last line holds it."""
        voucher.invalidate_recordset()
        self.assertEqual(voucher.remaining, remaining)
        if state:
            self.assertEqual(voucher.state, state)
        lines = voucher.line_ids.sorted("id")
        self.assertEqual(
            voucher.sessions_total + sum(lines.mapped("quantity")), remaining
        )
        if lines:
            self.assertEqual(lines[-1].balance, remaining)
        self.env.cr.execute(
            "SELECT remaining FROM psy_voucher WHERE id = %s", [voucher.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], remaining)
