from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PsyPatientCommon


@tagged("post_install", "-at_install")
class TestPatient(PsyPatientCommon):
    def test_create_links_partner_and_file_number(self):
        patient = self._patient(
            firstname="  Carlos ",
            lastname="Martín   Pérez",
            email="carlos@example.com",
            phone="+34 600 000 001",
            city="Madrid",
        )
        self.assertEqual(patient.name, "Carlos Martín Pérez")
        self.assertRegex(patient.ref, r"^P\d{5}$")
        self.assertEqual(patient.partner_id.name, "Carlos Martín Pérez")
        self.assertEqual(patient.partner_id.email, "carlos@example.com")
        self.assertEqual(patient.partner_id.city, "Madrid")
        self.assertEqual(patient.partner_id.company_id, self.company_a)
        patient.lastname = "Martín Ruiz"
        self.assertEqual(patient.partner_id.name, "Carlos Martín Ruiz")

    def test_file_number_sequence_per_company(self):
        first = self._patient(lastname="Uno")
        second = self._patient(lastname="Dos")
        self.assertEqual(int(second.ref[1:]), int(first.ref[1:]) + 1)
        in_b = (
            self.env["psy.patient"]
            .with_company(self.company_b)
            .create(
                {
                    "firstname": "Beta",
                    "lastname": "Uno",
                    "company_id": self.company_b.id,
                }
            )
        )
        self.assertEqual(in_b.ref, "P00001", "a new center starts its own numbering")
        again_a = self._patient(lastname="Tres")
        self.assertEqual(int(again_a.ref[1:]), int(second.ref[1:]) + 1)

    def test_age_and_minor_on_birthday(self):
        # Born 18 years ago today: an adult from today on.
        adult = self._patient(birthdate=date(2008, 11, 23))
        self.assertEqual(adult.age, 18)
        self.assertFalse(adult.is_minor)
        # 18 years old tomorrow: still a minor today.
        minor = self._patient(birthdate=date(2008, 11, 24))
        self.assertEqual(minor.age, 17)
        self.assertTrue(minor.is_minor)
        self.assertTrue(minor.guardian_missing)
        minors = self.Patient.search(
            [("is_minor", "=", True), ("id", "in", (adult | minor).ids)]
        )
        self.assertEqual(minors, minor)
        adults = self.Patient.search(
            [("is_minor", "=", False), ("id", "in", (adult | minor).ids)]
        )
        self.assertEqual(adults, adult)
        # The age of majority is a setting of the center.
        self.company_a.psy_minor_age = 16
        self.assertFalse(minor.is_minor)
        self.assertFalse(
            self.Patient.search([("is_minor", "=", True), ("id", "=", minor.id)])
        )

    def test_birthdate_in_future_refused(self):
        with self.assertRaisesRegex(ValidationError, "birth date .* is in the future"):
            self._patient(birthdate=date(2026, 11, 24))

    def test_spanish_national_id(self):
        patient = self._patient(national_id="87.654.321-x")
        self.assertEqual(
            patient.national_id, "87654321X", "stored compact and upper-case"
        )
        nie = self._patient(national_id="x1234567l")
        self.assertEqual(nie.national_id, "X1234567L")
        with self.assertRaisesRegex(ValidationError, "control letter does not match"):
            self._patient(national_id="12345678A")
        with self.assertRaisesRegex(ValidationError, "a DNI has 8 digits and a letter"):
            self._patient(national_id="1234Z")
        with self.assertRaisesRegex(
            ValidationError, "not a valid NIE: the control letter"
        ):
            self._patient(national_id="X1234567A")

    def test_foreign_national_id(self):
        france = self.env.ref("base.fr")
        patient = self._patient(
            national_id="ab 12345", national_id_country_id=france.id
        )
        self.assertEqual(patient.national_id, "AB12345")
        with self.assertRaisesRegex(
            ValidationError, "does not look like an identity document"
        ):
            self._patient(national_id="A1", national_id_country_id=france.id)

    def test_duplicate_national_id_refused_in_same_center(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"already registered for patient Ana López García \(file P\d{5}\)",
        ):
            self._patient(national_id="12345678-z")
        # An archived file still holds its ID.
        self.patient.action_archive()
        with self.assertRaisesRegex(ValidationError, "already registered"):
            self._patient(national_id="12345678Z")
        # Another center may register the same person.
        other = (
            self.env["psy.patient"]
            .with_company(self.company_b)
            .create(
                {
                    "firstname": "Ana",
                    "lastname": "López García",
                    "national_id": "12345678Z",
                    "company_id": self.company_b.id,
                }
            )
        )
        self.assertEqual(other.national_id, "12345678Z")

    def test_same_name_and_birthdate_warns(self):
        form = Form(self.Patient)
        form.firstname = "ana"
        form.lastname = "López  García"
        form.birthdate = date(1990, 3, 14)
        self.assertEqual(form.duplicate_patient_ids[:], self.patient)
        form.birthdate = date(1990, 3, 15)
        self.assertFalse(form.duplicate_patient_ids[:])
        form.birthdate = date(1990, 3, 14)
        twin = form.save()  # a warning, not an error
        self.assertEqual(twin.duplicate_patient_ids, self.patient)
        self.assertEqual(self.patient.duplicate_patient_ids, twin)

    def test_guardians(self):
        minor = self._patient(birthdate=date(2015, 5, 2))
        mother, father, aunt = self.env["res.partner"].create(
            [{"name": "Madre"}, {"name": "Padre"}, {"name": "Tía"}]
        )
        minor.guardian_ids = [
            (0, 0, {"partner_id": mother.id, "relationship": "mother"}),
            (0, 0, {"partner_id": father.id, "relationship": "father"}),
        ]
        self.assertFalse(minor.guardian_missing)
        with self.assertRaisesRegex(ValidationError, "already has two guardians"):
            minor.guardian_ids = [
                (0, 0, {"partner_id": aunt.id, "relationship": "other"})
            ]
        with self.assertRaisesRegex(ValidationError, "cannot be their own guardian"):
            minor.write(
                {
                    "guardian_ids": [
                        (5, 0, 0),
                        (
                            0,
                            0,
                            {
                                "partner_id": minor.partner_id.id,
                                "relationship": "other",
                            },
                        ),
                    ]
                }
            )

    def test_archive_instead_of_delete(self):
        with_history = self._patient(lastname="Con Historia")
        with_history.message_post(
            body="Called to confirm the first appointment.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        with self.assertRaisesRegex(
            UserError, "cannot be deleted.*Archive them instead"
        ):
            with_history.unlink()
        discharged = self._patient(lastname="De Alta")
        discharged.action_discharge()
        self.assertEqual(discharged.state, "discharged")
        self.assertEqual(discharged.discharge_date, self.today)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            discharged.unlink()
        with_history.action_archive()
        self.assertFalse(with_history.active)
        self.assertTrue(with_history.exists())
        # A file registered by mistake, without any history, can go.
        mistake = self._patient(lastname="Error")
        partner = mistake.partner_id
        mistake.unlink()
        self.assertFalse(mistake.exists())
        self.assertTrue(partner.exists(), "the contact is kept")

    def test_discharge_and_reopen(self):
        self.patient.action_discharge()
        self.assertEqual(self.patient.state, "discharged")
        self.patient.action_reopen()
        self.assertEqual(self.patient.state, "active")
        self.assertFalse(self.patient.discharge_date)
