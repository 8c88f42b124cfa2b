from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsyOnlineBookingCommon

# Tuesday 24 November 2026, 9:00-13:00 in Madrid (08:00-12:00 UTC): 50-minute
# sessions start every 30 minutes and must end by 12:00 UTC.
FULL_MORNING = ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00"]


@tagged("post_install", "-at_install")
class TestSlots(PsyOnlineBookingCommon):
    def test_working_hours(self):
        self.assertEqual(self._starts(self._slots()), FULL_MORNING)
        slot = self._slots()[0]
        self.assertEqual(slot["stop"] - slot["start"], timedelta(minutes=50))
        self.assertEqual(slot["professional"], self.psychologist)
        # Saturday and Sunday: no working hours.
        weekend = self._slots(
            date_from=datetime(2026, 11, 28), date_to=datetime(2026, 11, 30)
        )
        self.assertEqual(weekend, [])

    def test_afternoon_joins_morning(self):
        """Hours without a break between them make one interval: a session
        may cross the boundary."""
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "1").write(
            {"hour_to": 11}
        )
        self.env["resource.calendar.attendance"].create(
            {
                "name": "Tuesday late morning",
                "calendar_id": self.calendar.id,
                "dayofweek": "1",
                "hour_from": 11,
                "hour_to": 13,
                "day_period": "afternoon",
            }
        )
        self.assertEqual(self._starts(self._slots()), FULL_MORNING)

    def test_leaves(self):
        # A day off on Tuesday (Madrid): no slot.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Day off",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 23, 23, 0),
                "date_to": datetime(2026, 11, 24, 22, 59),
            }
        )
        self.assertEqual(self._slots(), [])
        # The other professional's hours are untouched.
        self.assertEqual(
            self._starts(self._slots(professionals=self.psychologist_2)),
            FULL_MORNING,
        )
        # Wednesday, a leave from 10:00 to 11:00 Madrid (09:00-10:00 UTC).
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 25, 9, 0),
                "date_to": datetime(2026, 11, 25, 10, 0),
            }
        )
        wednesday = self._slots(
            date_from=datetime(2026, 11, 25), date_to=datetime(2026, 11, 25, 23)
        )
        self.assertEqual(self._starts(wednesday), ["08:00", "10:00", "10:30", "11:00"])

    def test_buffer(self):
        self._session(
            start=datetime(2026, 11, 24, 9, 0),
            modality="online",
            room_id=False,
            patient_id=self.patient_2.id,
        )
        # 10 minutes kept on each side of 09:00-09:50: busy 08:50-10:00.
        self.assertEqual(
            self._starts(self._slots()), ["08:00", "10:00", "10:30", "11:00"]
        )
        self.company_a.psy_booking_buffer_minutes = 0
        self.assertEqual(
            self._starts(self._slots()), ["08:00", "09:50", "10:20", "10:50"]
        )
        self.company_a.psy_booking_buffer_minutes = 30
        self.assertEqual(self._starts(self._slots()), ["10:20", "10:50"])

    def test_cancelled_session_frees_its_time(self):
        session = self._session(
            start=datetime(2026, 11, 24, 9, 0),
            modality="online",
            room_id=False,
            patient_id=self.patient_2.id,
        )
        session.with_user(self.receptionist).action_cancel()
        self.assertEqual(self._starts(self._slots()), FULL_MORNING)

    def test_minimum_notice(self):
        # Now is Monday 08:00 UTC: Monday offers nothing with 24 hours.
        monday = self._slots(
            date_from=datetime(2026, 11, 23), date_to=datetime(2026, 11, 23, 23)
        )
        self.assertEqual(monday, [])
        self.company_a.psy_booking_notice_hours = 26
        self.assertEqual(self._starts(self._slots()), ["10:00", "10:30", "11:00"])
        self.company_a.psy_booking_notice_hours = 0
        with freeze_time("2026-11-24 09:10:00"):
            self.assertEqual(
                self._starts(self._slots()), ["09:30", "10:00", "10:30", "11:00"]
            )

    def test_horizon(self):
        self.company_a.psy_booking_horizon_days = 2
        thursday = self._slots(
            date_from=datetime(2026, 11, 26), date_to=datetime(2026, 11, 26, 23)
        )
        self.assertEqual(thursday, [])

    def test_dst_march(self):
        """Last Sunday of March 2027 (28th): 9:00 in Madrid is 08:00 UTC on
        Friday and 07:00 UTC on Monday."""
        with freeze_time("2027-03-22 08:00:00"):
            friday = self._slots(
                date_from=datetime(2027, 3, 26), date_to=datetime(2027, 3, 27)
            )
            monday = self._slots(
                date_from=datetime(2027, 3, 29), date_to=datetime(2027, 3, 30)
            )
        self.assertEqual(friday[0]["start"], datetime(2027, 3, 26, 8, 0))
        self.assertEqual(friday[-1]["start"], datetime(2027, 3, 26, 11, 0))
        self.assertEqual(monday[0]["start"], datetime(2027, 3, 29, 7, 0))
        self.assertEqual(monday[-1]["start"], datetime(2027, 3, 29, 10, 0))
        self.assertEqual(len(friday), len(monday))

    def test_dst_october(self):
        """Last Sunday of October 2027 (31st): 9:00 in Madrid is 07:00 UTC on
        Friday and 08:00 UTC on Monday."""
        with freeze_time("2027-10-25 08:00:00"):
            friday = self._slots(
                date_from=datetime(2027, 10, 29), date_to=datetime(2027, 10, 30)
            )
            monday = self._slots(
                date_from=datetime(2027, 11, 1), date_to=datetime(2027, 11, 2)
            )
        self.assertEqual(friday[0]["start"], datetime(2027, 10, 29, 7, 0))
        self.assertEqual(monday[0]["start"], datetime(2027, 11, 1, 8, 0))
        self.assertEqual(len(friday), len(monday))

    def test_another_patients_session(self):
        """A session of the professional with another patient takes the
        time; a session of the patient who books with another professional
        too, but only for that patient."""
        self._session(
            start=datetime(2026, 11, 24, 9, 0),
            professional_id=self.psychologist_2.id,
            modality="online",
            room_id=False,
        )
        self.assertEqual(self._starts(self._slots()), FULL_MORNING)
        self.assertEqual(
            # The patient's own time has no buffer.
            self._starts(self._slots(patient=self.patient)),
            ["08:00", "09:50", "10:20", "10:50"],
        )
        self.assertEqual(
            self._starts(self._slots(professionals=self.psychologist_2)),
            ["08:00", "10:00", "10:30", "11:00"],
        )

    def test_rooms(self):
        """In person, a free room must exist; online needs none."""
        director = self.director
        director.psy_booking_calendar_id = self.calendar
        self._session(
            start=datetime(2026, 11, 24, 9, 0),
            professional_id=self.psychologist_2.id,
            room_id=self.room_1.id,
            patient_id=self.patient_2.id,
        )
        in_person = self._slots(modality="in_person")
        self.assertEqual(self._starts(in_person), FULL_MORNING)
        self.assertEqual(
            {slot["start"].strftime("%H:%M"): slot["room"] for slot in in_person}[
                "09:00"
            ],
            self.room_2,
        )
        patient_3 = self._patient(firstname="Carla")
        self._session(
            start=datetime(2026, 11, 24, 9, 0),
            professional_id=director.id,
            room_id=self.room_2.id,
            patient_id=patient_3.id,
        )
        self.assertEqual(
            self._starts(self._slots(modality="in_person")),
            ["08:00", "10:00", "10:30", "11:00"],
        )
        self.assertEqual(self._starts(self._slots(modality="online")), FULL_MORNING)
        # A center without rooms offers nothing in person.
        (self.room_1 | self.room_2).active = False
        self.assertEqual(self._slots(modality="in_person"), [])

    def test_any_professional(self):
        both = self.psychologist | self.psychologist_2
        self._session(
            start=datetime(2026, 11, 24, 8, 0),
            modality="online",
            room_id=False,
            patient_id=self.patient_2.id,
        )
        slots = self._slots(professionals=both)
        at_eight = [
            s["professional"]
            for s in slots
            if s["start"].hour == 8 and not s["start"].minute
        ]
        self.assertEqual(at_eight, [self.psychologist_2])
        # Professionals without booking hours are never offered.
        self.psychologist_2.psy_booking_calendar_id = False
        self.assertEqual(
            self.Availability._psy_bookable_professionals(self.company_a),
            self.psychologist,
        )

    def _queries(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._slots()
        return self.env.cr.sql_log_count - before

    def test_window_only_queries(self):
        """The queries of one availability do not grow with the sessions
        outside the window."""
        self._slots()
        queries = self._queries()
        start = datetime(2026, 12, 7, 8, 0)
        self.Session.create(
            [
                {
                    "patient_id": self.patient_2.id,
                    "professional_id": self.psychologist.id,
                    "product_id": self.individual.id,
                    "modality": "online",
                    "start": start + timedelta(days=day, hours=hour),
                }
                for day in range(5)
                for hour in range(4)
            ]
        )
        self.assertEqual(self._queries(), queries)
