from odoo.tests import tagged

from .common import PsyPatientCommon


@tagged("post_install", "-at_install")
class TestPatientSearch(PsyPatientCommon):
    """Patients are found without accents or case, by file number, national
    ID or phone, with or without the database's ``unaccent``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patient.write({"phone": "+34 600 12 34 56", "mobile": "611-222-333"})
        cls.other = cls._patient(firstname="Íñigo", lastname="Núñez Peña")
        cls.unrelated = cls._patient(firstname="Luis", lastname="Lopera")

    def _names(self, value, user=None):
        Patient = self.env["psy.patient"].with_user(user or self.receptionist)
        return {name for _id, name in Patient.name_search(value, limit=20)}

    def _list(self, value, user=None):
        """What the search box of the patient list finds (its filter)."""
        Patient = self.env["psy.patient"].with_user(user or self.receptionist)
        found = Patient.search([("display_name", "ilike", value)])
        return set(found.mapped("name"))

    def test_search_without_accents(self):
        for search in (self._names, self._list):
            for value in ("lopez", "LÓPEZ", "ana lopez", "garcia ana", "lópez garcía"):
                with self.subTest(search=search.__name__, value=value):
                    self.assertEqual(search(value), {"Ana López García"})
            with self.subTest(search=search.__name__, value="inigo nunez"):
                self.assertEqual(search("inigo nunez"), {"Íñigo Núñez Peña"})

    def test_search_by_file_national_id_and_phone(self):
        ref = self.patient.ref
        for value in (
            "12345678Z",
            "12345678-z",
            "600123456",
            "600 12 34 56",
            "+34600123456",
            "611222333",
        ) + ((ref,) if ref else ()):
            for search in (self._names, self._list):
                with self.subTest(search=search.__name__, value=value):
                    self.assertEqual(search(value), {"Ana López García"})

    def test_search_key_follows_changes(self):
        self.patient.with_user(self.receptionist).lastname = "Martínez"
        self.assertEqual(self._names("martinez"), {"Ana Martínez"})
        self.assertFalse(self._names("lopez garcia"))
        self.patient.partner_id.phone = "699 000 111"
        self.assertEqual(self._names("699000111"), {"Ana Martínez"})

    def test_negative_and_other_operators(self):
        Patient = self.env["psy.patient"].with_user(self.receptionist)
        mine = self.patient | self.other | self.unrelated
        found = Patient.search(
            [("id", "in", mine.ids), ("display_name", "not ilike", "lopez")]
        )
        self.assertEqual(found, self.other | self.unrelated)
        # Any other search of the name still works as Odoo's.
        found = Patient.search([("display_name", "=", "Ana López García")])
        self.assertEqual(found, self.patient)

    def test_unaccent_or_not(self):
        """The normalized key is what is compared, both sides without
        accents: the search needs no ``unaccent`` in the database (Odoo uses
        it only when started with ``--unaccent``), and gives the same result
        with it."""
        self.assertIn("ana lopez garcia", self.patient.search_key)
        self.assertIn("34600123456", self.patient.search_key)
        domain = self.env["psy.patient"]._search_display_name("ilike", "López")
        self.assertEqual(domain, [("search_key", "ilike", "lopez")])
        self.assertEqual(self._names("lopez"), {"Ana López García"})

    def test_psychologist_finds_patients_too(self):
        self.assertEqual(self._names("lopez", self.psychologist), {"Ana López García"})
