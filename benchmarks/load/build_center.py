# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# ruff: noqa: F821 - run by ``odoo shell``, which binds ``env``; run.py binds
# ``params``.
"""The load center of run.py, built and committed as superuser: prints
``LOAD-CENTER <json>`` for run.py."""

import json
from datetime import timedelta

from odoo import Command, fields

env = env(
    context=dict(
        env.context,
        tracking_disable=True,
        mail_create_nolog=True,
        no_reset_password=True,
    )
)
company = env["res.company"].create(
    {
        "name": "Centro de carga",
        "email": "carga@example.com",
        "currency_id": env.ref("base.EUR").id,
    }
)
env = env(context=dict(env.context, allowed_company_ids=[company.id]))
env["account.chart.template"].try_loading(
    "generic_coa", company=company, install_demo=False
)
deferred = (
    env["account.account"]
    .with_company(company)
    .create(
        {
            "name": "Deferred revenue - packs",
            "code": "289100",
            "account_type": "liability_current",
        }
    )
)
company.write(
    {
        "psy_deferred_revenue": True,
        "psy_deferred_account_id": deferred.id,
        "psy_billing_approach": "pack",
        "psy_deferred_batch": "movement",
        "psy_voucher_activation": "posted",
    }
)


def users(prefix, count, groups):
    return env["res.users"].create(
        [
            {
                "name": f"{prefix} {i}",
                "login": f"load_{prefix.lower()}_{i}",
                "email": f"load_{prefix.lower()}_{i}@example.com",
                "password": params["password"],
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [env.ref("base.group_user").id]
                        + [env.ref(g).id for g in groups]
                    )
                ],
                **(
                    {"psy_registration_number": f"M-{20000 + i}"}
                    if "Psy" in prefix
                    else {}
                ),
            }
            for i in range(count)
        ]
    )


professionals = users(
    "Psy", params["professionals"], ["psy_patient.group_psy_psychologist"]
)
front_desk = users("Desk", params["desk"], ["psy_patient.group_psy_receptionist"])
accountant = users(
    "Acc", 1, ["psy_patient.group_psy_billing", "account.group_account_invoice"]
)
session_type = env["product.product"].create(
    {
        "name": "Terapia individual",
        "type": "service",
        "is_psy_session_type": True,
        "psy_duration": 50 / 60,
        "list_price": 60.0,
        "company_id": company.id,
    }
)
# Half the patients hold a pack of 10 (their last sessions are paid
# separately), half a pack of 16 (sessions left: a prepaid liability).
packs = env["product.product"].create(
    [
        {
            "name": f"Bono {sessions} sesiones",
            "type": "service",
            "list_price": 50.0 * sessions,
            "is_psy_voucher": True,
            "psy_voucher_sessions": sessions,
            "psy_voucher_validity": 12,
            "psy_voucher_validity_unit": "months",
            "company_id": company.id,
            "psy_voucher_session_type_ids": [
                Command.set(session_type.product_tmpl_id.ids)
            ],
            "psy_voucher_owner": "center",
        }
        for sessions in (10, 16)
    ]
)
rooms = env["psy.room"].create(
    [{"name": f"Sala {i}", "company_id": company.id} for i in range(4)]
)
patients = env["psy.patient"].create(
    [
        {
            "firstname": f"Paciente{i}",
            "lastname": "Carga",
            "company_id": company.id,
            "professional_ids": [Command.set(professionals.ids)],
        }
        for i in range(params["patients"])
    ]
)
today = fields.Date.context_today(env.user)
vouchers = env["psy.voucher"].create(
    [
        {
            "patient_id": patient.id,
            "product_id": packs[index % 2].id,
            "company_id": company.id,
            "start_date": today - timedelta(days=60),
        }
        for index, patient in enumerate(patients)
    ]
)
vouchers._psy_create_invoices(post=True)
now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
count = params["sessions"]
per_hour = len(professionals)
base = now - timedelta(hours=count // per_hour + 3)
values = [
    {
        "patient_id": patients[k % len(patients)].id,
        "professional_id": professionals[k % per_hour].id,
        "product_id": session_type.id,
        "modality": "online",
        "start": base + timedelta(hours=k // per_hour),
        "company_id": company.id,
    }
    for k in range(count)
]
sessions = env["psy.session"]
for start in range(0, len(values), 500):
    sessions |= env["psy.session"].create(values[start : start + 500])
# The sessions the psychologists of the mixed day complete and sign, before
# those of the completions.
busy = professionals[: params["mixed_professionals"]]
earlier = base - timedelta(hours=params["mixed_sessions"] + 2)
sessions_mixed = env["psy.session"].create(
    [
        {
            "patient_id": patients[-1 - (k * len(busy) + p) % len(patients)].id,
            "professional_id": professional.id,
            "product_id": session_type.id,
            "modality": "online",
            "start": earlier + timedelta(hours=k),
            "company_id": company.id,
        }
        for k in range(params["mixed_sessions"])
        for p, professional in enumerate(busy)
    ]
)

# Online booking from the portal: the psychologists take online sessions
# at any hour (UTC), so that the portal books the same slots as the front
# desk; the throttle is the patients' own, not the load's.
company.partner_id.tz = "UTC"
company.write(
    {
        "psy_booking_enabled": True,
        "psy_booking_confirmation": "auto",
        "psy_booking_buffer_minutes": 0,
        "psy_booking_notice_hours": 1,
        "psy_booking_horizon_days": 28,
        "psy_booking_step_minutes": 30,
        "psy_booking_max_attempts": 1_000_000,
        "psy_booking_throttle_minutes": 1,
        # The notes of the load are signed without a first assessment.
        "psy_clinical_mandatory_field_ids": [Command.clear()],
    }
)
hours = env["resource.calendar"].create(
    {
        "name": "Horario de carga",
        "tz": "UTC",
        "company_id": company.id,
        "attendance_ids": [Command.clear()]
        + [
            Command.create(
                {
                    "name": f"{day} {start}",
                    "dayofweek": str(day),
                    "hour_from": start,
                    "hour_to": start + 12,
                    "day_period": "morning" if start < 12 else "afternoon",
                }
            )
            for day in range(7)
            for start in (0, 12)
        ],
    }
)
professionals.write({"psy_booking_calendar_id": hours.id})
session_type.psy_online_booking = True
# Patients with a portal login, and a clinical record for every patient.
portal = env["res.users"].create(
    [
        {
            "name": patient.partner_id.name,
            "login": f"load_portal_{i}",
            "password": params["password"],
            "partner_id": patient.partner_id.id,
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
        for i, patient in enumerate(patients[: params["portal"]])
    ]
)
records = env["psy.clinical.record"].create(
    [{"patient_id": patient.id, "reason": "Ansiedad (carga)"} for patient in patients]
)
env.cr.commit()
print(
    "LOAD-CENTER "
    + json.dumps(
        {
            "company": company.id,
            "sessions": sessions.ids,
            "patients": patients.ids,
            "professionals": professionals.mapped("login"),
            "professional_ids": professionals.ids,
            "desk": front_desk.mapped("login"),
            "accountant": accountant.login,
            "session_type": session_type.id,
            "rooms": rooms.ids,
            "deferred": deferred.id,
            "packs": packs.ids,
            "portal": portal.mapped("login"),
            "records": {str(r.patient_id.id): r.id for r in records},
            "note_template": env.ref("psy_clinical_record.note_template_soap").id,
            "session_professional": {str(s.id): s.professional_id.id for s in sessions},
            "session_patient": {str(s.id): s.patient_id.id for s in sessions},
        }
    )
)
