from datetime import datetime

from odoo.addons.psy_voucher.tests.common import PsyVoucherCommon


class PsyProgramCommon(PsyVoucherCommon):
    """Center A of psy_voucher plus a group session type, a group room, a few
    more patients and a helper to build programs.

    The clock is frozen on Monday 23 November 2026 at 08:00 UTC; the first
    session of the programs is on Thursday 26 November at 17:00 UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.group_type = Product.create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "group",
                "psy_capacity": 10,
                "psy_duration": 2.0,
                "psy_modality": "in_person",
                "list_price": 30.0,
            }
        )
        cls.family_type = Product.create(
            {
                "name": "Family therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "family",
                "psy_duration": 1.5,
                "list_price": 100.0,
            }
        )
        cls.program_pack = cls._pack(
            name="Mindfulness program pack",
            list_price=200.0,
            psy_voucher_sessions=8,
            psy_voucher_session_type_ids=[(6, 0, cls.group_type.product_tmpl_id.ids)],
        )
        cls.group_room = cls.env["psy.room"].create(
            {"name": "Sala Grupal", "company_id": cls.company_a.id}
        )
        cls.patients = cls.patient | cls.patient_2
        for firstname in ("Carla", "Diego", "Eva", "Fermín", "Gloria"):
            cls.patients |= cls._patient(firstname=firstname, lastname="Prueba")
        cls.Program = cls.env["psy.program"].with_company(cls.company_a)
        cls.Enrolment = cls.env["psy.program.enrolment"].with_company(cls.company_a)
        cls.first_start = datetime(2026, 11, 26, 17, 0)

    @classmethod
    def _program(cls, env=None, **vals):
        values = {
            "name": "Mindfulness (MBSR) autumn",
            "professional_id": cls.psychologist.id,
            "product_id": cls.group_type.id,
            "capacity": 3,
            "room_id": cls.group_room.id,
            "first_start": cls.first_start,
            "planned_count": 8,
            "company_id": cls.company_a.id,
        }
        values.update(vals)
        Program = env["psy.program"].with_company(cls.company_a) if env else cls.Program
        return Program.create(values)

    @classmethod
    def _open_program(cls, sessions=True, **vals):
        program = cls._program(**vals)
        if sessions:
            program.action_generate_sessions()
        program.action_open()
        return program

    def _enrol(self, program, patients, user=None):
        Enrolment = self.Enrolment.with_user(user) if user else self.Enrolment
        return Enrolment.create(
            [{"program_id": program.id, "patient_id": p.id} for p in patients]
        )
