# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, models
from odoo.exceptions import AccessError


class PsyProgramDemo(models.AbstractModel):
    """What the demo data of the module calls: kept out of the production
    models, and refused outside the superuser environment in which data files
    load."""

    _name = "psy.program.demo"
    _description = "Demo data of the group programs"

    @api.model
    def _run_program(
        self,
        program_id,
        patient_ids,
        no_show_ids=(),
        cancelled_ids=(),
        withdrawn_ids=(),
        pack_patient_ids=(),
    ):
        """Demo data (loaded as superuser, checked): open the program, enrol
        the patients in this order (those beyond the capacity wait), book the
        sessions, start it, close the sessions already past with their
        attendance (the n-th patient of ``no_show_ids`` absent from the n-th
        session, of ``cancelled_ids`` excused from it; False for nobody), withdraw
        some patients (the waiting list moves up) and prepare the program pack
        of others."""
        if not self.env.su:
            raise AccessError(self.env._("Only demo data runs a program this way."))
        program = self.env["psy.program"].browse(program_id)
        program.action_open()
        Enrolment = self.env["psy.program.enrolment"]
        for patient_id in patient_ids:
            Enrolment.create({"program_id": program.id, "patient_id": patient_id})
        program.action_generate_sessions()
        program.action_start()
        now = self.env["psy.session"]._psy_now()
        past = program.session_ids.filtered(lambda s: s.stop < now).sorted("start")
        for index, session in enumerate(past):
            participants = session.participant_ids
            absent = no_show_ids[index] if index < len(no_show_ids) else False
            if absent:
                participants.filtered(
                    lambda p, pid=absent: p.patient_id.id == pid
                )._psy_write_attendance({"attendance": "no_show"})
            excused = cancelled_ids[index] if index < len(cancelled_ids) else False
            if excused:
                participants.filtered(
                    lambda p, pid=excused: p.patient_id.id == pid
                )._action_cancel(session.start - timedelta(days=2))
            # Demo sessions are closed without the completion gates (consent
            # requests of the demo patients are not all signed).
            session._action_done(session.stop)
        withdrawn = program.enrolment_ids.filtered(
            lambda e: e.patient_id.id in withdrawn_ids
        )
        if withdrawn:
            program._psy_lock()
            withdrawn._action_withdraw(now)
        for enrolment in program.enrolment_ids.filtered(
            lambda e: e.patient_id.id in pack_patient_ids and e.state == "enrolled"
        ):
            enrolment._psy_sell_pack()
        return True
