import base64
import io
from datetime import date

from PIL import Image, ImageDraw

from odoo.tests import new_test_user

from odoo.addons.psy_session.tests.common import PsySessionCommon

BODY_V1 = (
    "<p>I, <t t-out='object.patient_name'/>, agree to start psychological "
    "treatment with <t t-out='object.professional_name'/> (registration "
    "<t t-out='object.professional_registration_number'/>) at "
    "<t t-out='object.center_name'/>.</p>"
    "<p>Guardians: <t t-out='object.guardian_names'/>. "
    "Date: <t t-out='object.consent_date'/>.</p>"
)
BODY_V2 = BODY_V1 + "<p>New in version 2: sessions may be held online.</p>"


def signature_image():
    """A small drawn signature, base64-encoded PNG."""
    image = Image.new("RGB", (240, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.line(
        [(10, 60), (60, 15), (110, 60), (160, 20), (230, 55)], fill="black", width=3
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


class PsyConsentCommon(PsySessionCommon):
    """Center A with consent templates (treatment, data protection,
    teletherapy), an adult patient, a minor with two guardians, and portal
    users for the adult and for patient 2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signature = signature_image()
        cls.psychologist.psy_registration_number = "M-12345"
        cls.company_a.write(
            {
                "psy_consent_guardians": "both",
                "psy_consent_minor_hearing_age": 12,
                "psy_consent_minor_hearing_required": False,
                "psy_consent_renew_on_new_version": True,
                "psy_consent_reminder_days": 3,
                "psy_consent_expiry_warning_days": 30,
            }
        )
        cls.type_treatment = cls.env.ref("psy_consent.type_treatment")
        cls.type_data = cls.env.ref("psy_consent.type_data_protection")
        cls.type_teletherapy = cls.env.ref("psy_consent.type_teletherapy")
        cls.lang_en = cls.env.ref("base.lang_en")
        cls.tpl_treatment = cls._template("Treatment consent", cls.type_treatment)
        cls.tpl_data = cls._template("Data protection", cls.type_data)
        cls.tpl_teletherapy = cls._template("Teletherapy", cls.type_teletherapy)
        cls.v1 = cls.tpl_treatment.current_version_id

        cls.patient.partner_id.lang = "en_US"
        cls.patient_2.partner_id.email = "bruno@example.com"
        Partner = cls.env["res.partner"]
        cls.mother = Partner.create(
            {"name": "Marta Serrano", "email": "marta.s@example.com"}
        )
        cls.father = Partner.create(
            {"name": "Pablo Ruiz", "email": "pablo.r@example.com"}
        )
        cls.minor = cls._patient(
            firstname="Leo",
            lastname="Ruiz Serrano",
            birthdate=date(2018, 5, 2),  # 8 years old on the pinned day
            professional_ids=[(6, 0, cls.psychologist.ids)],
            guardian_ids=[
                (0, 0, {"partner_id": cls.mother.id, "relationship": "mother"}),
                (0, 0, {"partner_id": cls.father.id, "relationship": "father"}),
            ],
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="t_portal_ana",
            groups="base.group_portal",
            partner_id=cls.patient.partner_id.id,
            name=cls.patient.partner_id.name,
            email=cls.patient.partner_id.email,
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.portal_user_2 = new_test_user(
            cls.env,
            login="t_portal_bruno",
            groups="base.group_portal",
            partner_id=cls.patient_2.partner_id.id,
            name=cls.patient_2.partner_id.name,
            email=cls.patient_2.partner_id.email,
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.Consent = cls.env["psy.consent"].with_company(cls.company_a)

    @classmethod
    def _template(cls, name, consent_type, body=BODY_V1, publish=True, **vals):
        values = {
            "name": name,
            "type_id": consent_type.id,
            "lang_id": cls.lang_en.id,
            "company_id": cls.company_a.id,
        }
        values.update(vals)
        template = cls.env["psy.consent.template"].create(values)
        version = cls.env["psy.consent.template.version"].create(
            {"template_id": template.id, "body": body}
        )
        if publish:
            version.action_publish()
        return template

    @classmethod
    def _consent(cls, patient=None, template=None, **vals):
        values = {
            "patient_id": (patient or cls.patient).id,
            "template_id": (template or cls.tpl_treatment).id,
            "professional_id": cls.psychologist.id,
        }
        values.update(vals)
        return cls.Consent.create(values)

    def _sign(self, consent, signer=None, user=None, name=None):
        """Sign in the office through the wizard, as ``user`` (receptionist by
        default)."""
        user = user or self.receptionist
        consent = consent.with_user(user)
        action = consent.action_sign_in_office()
        wizard = (
            self.env["psy.consent.sign.wizard"].with_user(user).browse(action["res_id"])
        )
        signer = signer or wizard.signer_id
        wizard.write(
            {
                "signer_id": signer.id,
                "signed_name": name or signer.partner_id.name,
                "signature": self.signature,
                "has_read": True,
            }
        )
        return wizard.action_sign()

    def _signed_consent(self, patient=None, template=None, **vals):
        consent = self._consent(patient=patient, template=template, **vals)
        while consent.state in ("draft", "sent"):
            self._sign(consent)
        return consent
