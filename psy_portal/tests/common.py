# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo.tests import new_test_user

from odoo.addons.psy_billing_bridge.tests.common import PsyBillingVoucherCommon
from odoo.addons.psy_consent.tests.common import PsyConsentCommon


class PsyPortalCommon(PsyBillingVoucherCommon, PsyConsentCommon):
    """Center A with packs, billing and consents; portal users for Ana (the
    patient), Bruno (patient 2) and Marta Serrano, mother of the minor Leo.

    The clock is frozen at 23 November 2026, 08:00 UTC (``freeze_time`` of
    PsyPatientCommon); the window of late cancellation is 24 hours, so a
    session on 24 November at 10:00 is cancelled in time and one on 23
    November at 20:00 late."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "psy_portal_join_minutes": 10,
                "psy_fee_late_cancel": True,
                "psy_fee_mode": "percentage",
                "psy_fee_percent": 50.0,
            }
        )
        cls.portal_mother = new_test_user(
            cls.env,
            login="t_portal_marta",
            groups="base.group_portal",
            partner_id=cls.mother.id,
            name=cls.mother.name,
            email=cls.mother.email,
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        for user in cls.portal_user | cls.portal_user_2 | cls.portal_mother:
            user.tz = "Europe/Madrid"
        cls.late_slot = datetime(2026, 11, 23, 20, 0)

    @classmethod
    def _bruno_session(cls, start=None, **vals):
        return cls._session(
            start=start or cls.slot,
            patient_id=cls.patient_2.id,
            professional_id=cls.psychologist_2.id,
            room_id=cls.room_2.id,
            **vals,
        )

    @classmethod
    def _online(cls, start=None, **vals):
        values = {
            "product_id": cls.online_only.id,
            "modality": "online",
            "room_id": False,
            "video_url": "https://meet.example.com/psy-session",
        }
        values.update(vals)
        return cls._session(start=start, **values)
