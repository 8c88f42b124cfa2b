from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionTitle(PsySessionCommon):
    """A session's title is read in the reader's language, patient first,
    whoever booked it and in whatever language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.individual.with_context(lang="es_ES").name = "Terapia individual"
        cls.couple = cls.env["product.product"].create(
            {
                "name": "Couple therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "couple",
                "psy_duration": 1.0,
                "list_price": 80.0,
            }
        )
        cls.couple.with_context(lang="es_ES").name = "Terapia de pareja"
        cls.psychologist.lang = "es_ES"
        cls.receptionist.lang = "en_US"

    def _book(self, user, start, **vals):
        """A session booked by ``user``, in ``user``'s language."""
        values = {
            "patient_id": self.patient.id,
            "professional_id": self.psychologist.id,
            "product_id": self.individual.id,
            "room_id": self.room_1.id,
            "start": start,
        }
        values.update(vals)
        Session = self.env["psy.session"].with_user(user).with_company(self.company_a)
        return Session.with_context(lang=user.lang).create(values)

    def test_title_in_each_readers_language(self):
        spanish = self._book(self.psychologist, self.slot)
        english = self._book(self.receptionist, self.slot + self._hours(2))
        sessions = spanish | english
        for lang, title in (
            ("es_ES", "Ana López García · Terapia individual"),
            ("en_US", "Ana López García · Individual therapy"),
        ):
            with self.subTest(lang=lang):
                read = sessions.with_context(lang=lang)
                self.assertEqual(read.mapped("name"), [title, title])
                self.assertEqual(read.mapped("display_name"), [title, title])
        # Each reader's own language (the web client sends it in the context).
        rows = (
            self.env["psy.session"]
            .with_user(self.psychologist)
            .with_context(lang="es_ES")
            .web_search_read(
                [("id", "in", sessions.ids)], {"name": {}, "display_name": {}}
            )["records"]
        )
        self.assertEqual(
            {row["name"] for row in rows}, {"Ana López García · Terapia individual"}
        )

    def test_no_title_is_stored(self):
        self.assertFalse(self.Session._fields["name"].store)
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'psy_session' AND column_name = 'name'"
        )
        self.assertFalse(self.env.cr.fetchall())

    def test_couple_title_and_billing_reader(self):
        session = self._book(
            self.receptionist,
            self.slot,
            product_id=self.couple.id,
            participant_ids=[
                (0, 0, {"patient_id": self.patient.id}),
                (0, 0, {"patient_id": self.patient_2.id}),
            ],
        )
        self.assertEqual(
            session.with_context(lang="es_ES").name, "Ana y Bruno · Terapia de pareja"
        )
        # Billing reads no patient file, but reads the titles of the agenda.
        billing = session.with_user(self.billing).with_context(lang="en_US")
        self.assertEqual(billing.name, "Ana & Bruno · Couple therapy")

    def test_search_and_sort_by_title(self):
        first = self._book(self.receptionist, self.slot)
        second = self._book(
            self.receptionist, self.slot + self._hours(2), patient_id=self.patient_2.id
        )
        Session = self.env["psy.session"].with_context(lang="es_ES")
        for value, expected in (
            ("lopez", first),
            ("Ana López", first),
            ("Ana López García · Terapia individual", first),
            ("terapia", first | second),
            ("Individual therapy", self.env["psy.session"]),
            ("diaz", second),
        ):
            with self.subTest(value=value):
                found = Session.search(
                    [("id", "in", (first | second).ids), ("name", "ilike", value)]
                )
                self.assertEqual(found, expected)
        self.assertEqual(
            Session.search(
                [("id", "in", (first | second).ids), ("name", "not ilike", "lopez")]
            ),
            second,
        )
        # name_search (the many2one of a note, an invoice line...) too.
        self.assertEqual(
            [
                row[0]
                for row in Session.name_search(
                    "lopez", [("id", "in", (first | second).ids)], limit=10
                )
            ],
            first.ids,
        )
        # Lists sort by the title they show: patient, then type.
        self.assertTrue(Session.fields_get(["name"])["name"]["sortable"])
        ordered = Session.search([("id", "in", (first | second).ids)], order="name")
        self.assertEqual(ordered.ids, [first.id, second.id])
        ordered = Session.search(
            [("id", "in", (first | second).ids)], order="participants_label desc"
        )
        self.assertEqual(ordered.ids, [second.id, first.id])

    def test_calendar_entry_has_no_stale_language(self):
        session = self._book(self.psychologist, self.slot)
        event = session.calendar_event_id
        # Stored: who the session is for, in no one's language.
        self.assertEqual(event.name, "Ana López García")
        # Shown: the title in the language of the attendee reading it.
        spanish = event.with_user(self.psychologist).with_context(lang="es_ES")
        self.assertEqual(spanish.display_name, "Ana López García · Terapia individual")
        english = event.with_user(self.psychologist).with_context(lang="en_US")
        self.assertEqual(english.display_name, "Ana López García · Individual therapy")
        # Someone else's private entry stays "Busy".
        other = event.with_user(self.psychologist_2).with_context(lang="en_US")
        self.assertEqual(other.display_name, "Busy")
        # A renamed patient renames the entries of their sessions.
        self.patient.with_user(self.receptionist).lastname = "López Ruiz"
        self.assertEqual(event.name, "Ana López Ruiz")

    def test_activity_in_the_language_of_its_reader(self):
        """The to-do of a session left open is stored for the one professional
        who reads it: in their language, not the cron's or the booker's."""
        spanish = self._book(self.receptionist, self.slot)
        english = self._book(
            self.receptionist,
            self.slot + self._hours(2),
            professional_id=self.psychologist_2.id,
            patient_id=self.patient_2.id,
        )
        self.psychologist_2.lang = "en_US"
        self.env["res.lang"]._activate_lang("es_ES")
        with freeze_time(self.slot + self._hours(5)):
            self.env["psy.session"].with_context(lang="en_US")._cron_flag_overdue()
        self.assertEqual(spanish.activity_ids.summary, "Cierre esta sesión")
        self.assertEqual(english.activity_ids.summary, "Close this session")
