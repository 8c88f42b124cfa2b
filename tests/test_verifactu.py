"""Our invoices go through OCA's Verifactu chain (issue 16, point 1).

With ``l10n_es_verifactu_oca`` installed beside our modules (a test-only
add-on: it is AGPL-3 and none of our modules depends on it), every invoice
our flows post on a Spanish center gets its Verifactu record: a pack sold,
a monthly batch of sessions, an insurer split and the credit note of a pack
refund, each chained to the record before it, the credit note a rectifying
invoice (R1) of its original. The company is set up as the OCA module's own
tests do, in test mode; nothing is sent to the AEAT.

Skipped on a database without ``l10n_es_verifactu_oca``.
"""

import json
from datetime import datetime
from unittest import SkipTest

from odoo import Command
from odoo.tests import tagged

from odoo.addons.psy_voucher.tests.common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestVerifactuChain(PsyVoucherCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"]._get("l10n_es_verifactu_oca")
        if module.state != "installed":
            raise SkipTest(
                "The Verifactu add-on of OCA (l10n_es_verifactu_oca) is not "
                "installed in this database."
            )
        company = cls.company_a
        cls.env["account.chart.template"].try_loading(
            "es_pymes", company=company, install_demo=False
        )
        # The Verifactu set-up of the OCA module's tests (test mode).
        developer = cls.env["verifactu.developer"].create(
            {
                "name": "Odoo Developer",
                "vat": "A12345674",
                "sif_name": "odoo",
                "version": "1.0",
            }
        )
        cls.chaining = cls.env["verifactu.chaining"].create(
            {"name": "VERI*FACTU Chaining", "sif_id": "11", "installation_number": 1}
        )
        company.write(
            {
                "verifactu_enabled": True,
                "verifactu_test": True,
                "vat": "G87846952",
                "tax_agency_id": cls.env.ref("l10n_es_aeat.aeat_tax_agency_spain").id,
                "verifactu_developer_id": developer.id,
                "verifactu_chaining_id": cls.chaining.id,
            }
        )
        # Health care exempt from VAT (art. 20), 485 for deferred revenue,
        # 438 for customer advances: the Spanish chart's records.
        cls.exempt = cls._chart("account_tax_template_s_iva0_nsd")
        cls.individual.taxes_id = [Command.set(cls.exempt.ids)]
        cls.pack10.taxes_id = [Command.set(cls.exempt.ids)]
        company.write(
            {
                "psy_exempt_tax_id": cls.exempt.id,
                "psy_deferred_account_id": cls._chart("account_common_485").id,
                "psy_advance_account_id": cls._chart("account_common_438").id,
                "psy_voucher_activation": "posted",
                "psy_billing_approach": "pack",
                "psy_deferred_revenue": True,
            }
        )
        cls.psychologist.psy_registration_number = "M-12345"
        # The front desk sells and refunds packs without any Invoicing right,
        # also where Odoo locks the posted invoices of a Verifactu sales
        # journal with their hash.
        cls.front_desk = cls.receptionist
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Aseguradora Salud", "is_company": True}
        )

    @classmethod
    def _chart(cls, xmlid):
        return cls.env.ref(f"account.{cls.company_a.id}_{xmlid}")

    def _entries(self):
        return self.env["verifactu.invoice.entry"].search(
            [("verifactu_chaining_id", "=", self.chaining.id)], order="id"
        )

    def assertChained(self, moves):
        """Each posted move has its Verifactu record with its hash, and the
        records of the chain follow each other, each naming the previous one
        and carrying its hash in the string of its own."""
        self.env.flush_all()
        for move in moves:
            self.assertEqual(move.state, "posted")
            self.assertTrue(move.verifactu_enabled, move.display_name)
            entry = move.last_verifactu_invoice_entry_id
            self.assertTrue(entry, move.display_name)
            self.assertEqual(entry.model, "account.move")
            self.assertEqual(entry.document_id, move.id)
            self.assertEqual(entry.document_name, move.name)
            self.assertEqual(len(move.verifactu_hash), 64)
            self.assertEqual(entry.document_hash, move.verifactu_hash)
            self.assertTrue(entry.aeat_json_data, move.display_name)
        entries = self._entries()
        self.assertEqual(set(entries.mapped("model")), {"account.move"})
        self.assertEqual(
            sorted(entries.mapped("document_id")), sorted(moves.ids), "one each"
        )
        self.assertFalse(entries[0].previous_invoice_entry_id)
        Move = self.env["account.move"]
        first = Move.browse(entries[0].document_id)
        self.assertIn("Huella=&", first.verifactu_hash_string)
        for previous, entry in zip(entries, entries[1:], strict=False):
            self.assertEqual(entry.previous_invoice_entry_id, previous)
            self.assertIn(
                f"Huella={previous.document_hash}&",
                Move.browse(entry.document_id).verifactu_hash_string,
            )
        self.assertEqual(self.chaining.last_verifactu_invoice_entry_id, entries[-1])

    def _data(self, move):
        return json.loads(move.last_verifactu_invoice_entry_id.aeat_json_data)

    def _sell(self, user=None):
        voucher = self._voucher(activate=False)
        move = voucher.with_user(user or self.front_desk)._psy_create_invoices(
            post=True
        )
        return voucher, move.with_env(self.env)

    def test_pack_invoice(self):
        voucher, move = self._sell()
        self.assertEqual(voucher.state, "active")
        self.assertChained(move)
        self.assertEqual(move._get_verifactu_document_type(), "F1")
        record = self._data(move)["RegistroAlta"]
        self.assertEqual(record["IDFactura"]["NumSerieFactura"], move.name)
        self.assertEqual(record["TipoFactura"], "F1")

    def test_monthly_batch(self):
        sessions = self.env["psy.session"]
        for day in (3, 10, 17):
            sessions |= self._completed(start=datetime(2026, 11, day, 10, 0))
        moves = sessions.with_user(self.billing)._psy_create_invoices(
            "monthly", post=True
        )
        self.assertEqual(len(moves), 1)
        self.assertEqual(len(moves.invoice_line_ids), 3)
        self.assertChained(moves.with_env(self.env))

    def test_insurer_split(self):
        self.patient.write(
            {"psy_insurer_id": self.insurer.id, "psy_insurance_number": "POL-778"}
        )
        self.env["psy.insurer.coverage"].create(
            {
                "insurer_id": self.insurer.id,
                "product_id": self.individual.id,
                "coverage_type": "percentage",
                "amount": 40.0,
                "company_id": self.company_a.id,
            }
        )
        session = self._session(start=datetime(2026, 11, 16, 10, 0))
        session.action_done()
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        moves = moves.with_env(self.env)
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.partner_id, self.insurer | self.patient.partner_id)
        self.assertChained(moves)

    def test_refund_credit_note_rectifies_the_pack_invoice(self):
        voucher, move = self._sell()
        for __ in range(6):
            self._completed()
        voucher.with_user(self.front_desk)._refund(reason="Moving abroad")
        self.assertEqual(voucher.state, "refunded")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        self.assertEqual(len(credit_note), 1)
        self.assertChained(move | credit_note)
        self.assertEqual(credit_note.verifactu_refund_type, "I")
        self.assertEqual(credit_note._get_verifactu_document_type(), "R1")
        record = self._data(credit_note)["RegistroAlta"]
        self.assertEqual(record["TipoFactura"], "R1")
        self.assertEqual(record["TipoRectificativa"], "I")
        self.assertEqual(
            record["FacturasRectificadas"],
            [
                {
                    "IDFacturaRectificada": {
                        "IDEmisorFactura": "G87846952",
                        "NumSerieFactura": move.name,
                        "FechaExpedicionFactura": move.invoice_date.strftime(
                            "%d-%m-%Y"
                        ),
                    }
                }
            ],
        )
        self.assertEqual(
            record["Encadenamiento"]["RegistroAnterior"]["NumSerieFactura"], move.name
        )
