from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyPatientCommon


@tagged("post_install", "-at_install")
class TestPatientAccess(PsyPatientCommon):
    """Each role tries read, create, write and unlink on patients."""

    def _new_vals(self, **extra):
        return dict(
            firstname="Nuevo",
            lastname="Paciente",
            company_id=self.company_a.id,
            **extra,
        )

    def _fresh(self):
        return self._patient(lastname="Sin Historia")

    def test_receptionist(self):
        Patient = self.Patient.with_user(self.receptionist)
        self.assertIn(self.patient, Patient.search([]))
        self.assertEqual(
            self.patient.with_user(self.receptionist).national_id, "12345678Z"
        )
        created = Patient.create(self._new_vals())
        self.assertTrue(created.ref)
        self.patient.with_user(self.receptionist).write({"profession": "Teacher"})
        self.assertEqual(self.patient.profession, "Teacher")
        with self.assertRaises(AccessError):
            self._fresh().with_user(self.receptionist).unlink()

    def test_psychologist(self):
        Patient = self.Patient.with_user(self.psychologist_2)
        # Sees every patient of the center (agenda, names)...
        self.assertIn(self.patient, Patient.search([]))
        self.assertEqual(
            self.patient.with_user(self.psychologist_2).name, "Ana López García"
        )
        # ...but changes only the files of their own patients.
        with self.assertRaises(AccessError):
            self.patient.with_user(self.psychologist_2).write({"profession": "Teacher"})
        self.patient.with_user(self.psychologist).write({"profession": "Teacher"})
        self.assertEqual(self.patient.profession, "Teacher")
        own = Patient.create(self._new_vals())
        self.assertEqual(
            own.professional_ids, self.psychologist_2, "assigned to its creator"
        )
        with self.assertRaises(AccessError):
            Patient.create(
                self._new_vals(professional_ids=[(6, 0, self.psychologist.ids)])
            )
        with self.assertRaises(AccessError):
            self._fresh().with_user(self.psychologist).unlink()

    def test_director(self):
        Patient = self.Patient.with_user(self.director)
        self.assertIn(self.patient, Patient.search([]))
        self.patient.with_user(self.director).write({"profession": "Teacher"})
        self.assertTrue(Patient.create(self._new_vals()).exists())
        with self.assertRaises(AccessError):
            self._fresh().with_user(self.director).unlink()

    def test_billing_sees_partner_not_patient_file(self):
        Patient = self.Patient.with_user(self.billing)
        with self.assertRaises(AccessError):
            Patient.search([])
        with self.assertRaises(AccessError):
            self.patient.with_user(self.billing).read(["national_id", "birthdate"])
        with self.assertRaises(AccessError):
            Patient.create(self._new_vals())
        with self.assertRaises(AccessError):
            self.patient.with_user(self.billing).write({"profession": "Teacher"})
        with self.assertRaises(AccessError):
            self._fresh().with_user(self.billing).unlink()
        # The billing identity is the contact, readable for invoicing.
        partner = self.patient.partner_id.with_user(self.billing)
        self.assertEqual(partner.name, "Ana López García")

    def test_manager(self):
        Patient = self.Patient.with_user(self.manager)
        self.assertIn(self.patient, Patient.search([]))
        created = Patient.create(self._new_vals())
        created.write({"profession": "Cook"})
        created.unlink()
        self.assertFalse(created.exists())

    def test_other_company_cannot_see(self):
        env_b = self.env(
            user=self.receptionist_b,
            context=dict(self.env.context, allowed_company_ids=self.company_b.ids),
        )
        Patient = env_b["psy.patient"]
        self.assertFalse(Patient.search([("id", "=", self.patient.id)]))
        with self.assertRaises(AccessError):
            self.patient.with_env(env_b).read(["name"])
        self.assertFalse(
            env_b["psy.patient.guardian"].search([("patient_id", "=", self.patient.id)])
        )
