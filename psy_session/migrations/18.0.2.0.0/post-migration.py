# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.2.0.0: every existing session gets its patient as its one
participant, with the attendance its status says, so that nothing changes
for the sessions booked before: their slots, their pack consumptions (kept
on the session) and their notes stay as they were."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        INSERT INTO psy_session_participant (
            session_id, patient_id, sequence, company_id, start, stop,
            session_state, attendance, cancel_date,
            create_uid, create_date, write_uid, write_date
        )
        SELECT s.id, s.patient_id, 10, s.company_id, s.start, s.stop,
               s.state,
               CASE s.state
                    WHEN 'done' THEN 'present'
                    WHEN 'no_show' THEN 'no_show'
                    WHEN 'cancelled' THEN 'cancelled'
                    WHEN 'late_cancelled' THEN 'late_cancelled'
                    ELSE 'expected'
               END,
               s.cancel_date,
               s.create_uid, s.create_date, s.write_uid, s.write_date
          FROM psy_session s
         WHERE s.patient_id IS NOT NULL
           AND NOT EXISTS (
               SELECT 1 FROM psy_session_participant p WHERE p.session_id = s.id
           )
        """
    )
    cr.execute(
        """
        INSERT INTO psy_session_patient_rel (session_id, patient_id)
        SELECT p.session_id, p.patient_id
          FROM psy_session_participant p
        ON CONFLICT DO NOTHING
        """
    )
    cr.execute(
        """
        UPDATE psy_session s
           SET participant_count = c.count
          FROM (
              SELECT session_id, count(*) AS count
                FROM psy_session_participant
               GROUP BY session_id
          ) c
         WHERE c.session_id = s.id
        """
    )
