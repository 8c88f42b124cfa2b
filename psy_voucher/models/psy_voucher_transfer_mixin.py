# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date


class PsyVoucherTransferMixin(models.AbstractModel):
    """Transfers of a session pack to another patient: the checks of the
    product's rule, the request waiting for a clinical director's approval,
    and the transfer itself (a new pack and a pair of ledger lines).

    Meant for ``psy.voucher``, with :class:`psy.voucher.ledger.mixin`.
    """

    _name = "psy.voucher.transfer.mixin"
    _description = "Session pack transfers"

    transfer_patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Transfer requested to",
        readonly=True,
        copy=False,
        tracking=True,
        ondelete="set null",
    )
    transfer_requested_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Transfer requested by",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    transfer_reason = fields.Text(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Transfer
    # ------------------------------------------------------------------

    def _check_transferable(self, patient):
        self.ensure_one()
        rule = self.product_id.psy_voucher_transfer
        if rule == "no" or not rule:
            raise UserError(
                self.env._(
                    "The pack %(product)s cannot be transferred to another "
                    "patient. Refund it if the product allows it.",
                    product=self.product_id.display_name,
                )
            )
        if self.state != "active" or self.remaining <= 0:
            raise UserError(
                self.env._(
                    "%(status)s Only an active pack with sessions left can be "
                    "transferred.",
                    status=self._psy_state_sentence(),
                )
            )
        if self.expiry_date < self._psy_today():
            raise UserError(
                self.env._(
                    "The pack %(code)s expired on %(date)s and cannot be transferred.",
                    code=self.name,
                    date=format_date(self.env, self.expiry_date),
                )
            )
        if patient == self.patient_id:
            raise UserError(
                self.env._(
                    "Choose another patient: the pack %(code)s already belongs to "
                    "%(patient)s.",
                    code=self.name,
                    patient=patient.name,
                )
            )
        if patient.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "%(patient)s is a patient of %(center)s: a pack can only be "
                    "transferred within its own center (%(own)s).",
                    patient=patient.name,
                    center=patient.company_id.name,
                    own=self.company_id.name,
                )
            )

    def _prepare_transfer_target_vals(self, patient, remaining):
        """Values of the pack that receives the ``remaining`` sessions of this
        one: same product, owner and expiry, the value of those sessions as
        its price, and no sessions of its own (they come with the
        transfer-in line)."""
        self.ensure_one()
        return {
            "patient_id": patient.id,
            "product_id": self.product_id.id,
            "company_id": self.company_id.id,
            "sessions_total": 0,
            "price": self.currency_id.round(self._unit_price() * remaining),
            "start_date": self._psy_today(),
            "expiry_date": self.expiry_date,
            "professional_id": self.professional_id.id,
            "origin_voucher_id": self.id,
        }

    def _transfer_to(self, patient, reason=None):
        """Move every session left to a new pack of ``patient``: same product,
        owner and expiry, a transfer-out line here and a transfer-in line
        there. Returns the new pack. Rights are checked by the callers."""
        self.ensure_one()
        self._check_transferable(patient)
        remaining, state = self._lock_balances()[self.id]
        if state != "active" or remaining <= 0:
            raise UserError(
                self.env._(
                    "The pack %(code)s has no sessions left to transfer.",
                    code=self.name,
                )
            )
        target = self._psy_create_guarded(
            [self._prepare_transfer_target_vals(patient, remaining)]
        )
        target._psy_activate()
        target._lock_balances()
        self._record_lines(
            [
                {
                    "voucher_id": self.id,
                    "type": "transfer_out",
                    "quantity": -remaining,
                    "counterpart_voucher_id": target.id,
                    "reason": reason,
                },
                {
                    "voucher_id": target.id,
                    "type": "transfer_in",
                    "quantity": remaining,
                    "counterpart_voucher_id": self.id,
                    "reason": reason,
                },
            ]
        )
        self._psy_write_guarded(
            {
                "transfer_patient_id": False,
                "transfer_requested_by_id": False,
                "transfer_reason": False,
            }
        )
        self.message_post(
            body=self.env._(
                "%(count)s sessions transferred to %(patient)s (pack %(code)s).",
                count=remaining,
                patient=patient.name,
                code=target.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return target

    def _request_transfer(self, patient, reason=None):
        """Transfer now when the product allows it, or record a request for a
        clinical director when it needs approval. Returns the new pack, or
        an empty recordset when the transfer waits for approval."""
        self.ensure_one()
        if not self.env.user.has_group("psy_patient.group_psy_receptionist"):
            raise AccessError(
                self.env._(
                    "Only the front desk or an administrator can transfer session "
                    "packs."
                )
            )
        self._check_transferable(patient)
        director = self.env.user.has_group("psy_patient.group_psy_director")
        if self.product_id.psy_voucher_transfer == "approval" and not director:
            self._psy_write_guarded(
                {
                    "transfer_patient_id": patient.id,
                    "transfer_requested_by_id": self.env.uid,
                    "transfer_reason": reason,
                }
            )
            directors = (
                self.env.ref("psy_patient.group_psy_director")
                .sudo()
                .users.filtered(lambda u: self.company_id in u.company_ids)
            )
            for user in directors:
                # Written in the language of the director who reads it.
                env = self._psy_env_of(user)
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._("Approve a pack transfer"),
                    note=env._(
                        "Transfer the %(count)s sessions left of %(code)s to "
                        "%(patient)s?",
                        count=self.remaining,
                        code=self.name,
                        patient=patient.name,
                    ),
                )
            return self.browse()
        return self._transfer_to(patient, reason)

    def _check_director(self):
        """A clinical director who can see the packs decides on their
        transfers (the director reads packs but does not sell them)."""
        if not self.env.user.has_group("psy_patient.group_psy_director"):
            raise AccessError(
                self.env._("Only a clinical director can approve pack transfers.")
            )
        self.check_access("read")

    def action_approve_transfer(self):
        self._approve_transfer()
        return True

    def _approve_transfer(self):
        """Director: carry out the requested transfers and return the new
        packs. The director reads packs but does not sell them, hence the
        superuser mode once :meth:`_check_director` has checked the role and
        the access to the packs."""
        self._check_director()
        targets = self.browse()
        for voucher in self:
            if not voucher.transfer_patient_id:
                raise UserError(
                    self.env._(
                        "The pack %(code)s has no transfer waiting for approval.",
                        code=voucher.name,
                    )
                )
            sudo_voucher = voucher.sudo()
            targets |= sudo_voucher._transfer_to(
                sudo_voucher.transfer_patient_id, sudo_voucher.transfer_reason
            )
            voucher.sudo().activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._(
                    "Transfer approved by %(user)s", user=self.env.user.name
                ),
            )
        return targets.with_env(self.env)

    def action_refuse_transfer(self):
        self._refuse_transfer()
        return True

    def _refuse_transfer(self):
        """Director: drop the requested transfers. Like the approval, it runs
        in superuser mode once :meth:`_check_director` has checked the role
        and the access to the packs."""
        self._check_director()
        for voucher in self.sudo():
            voucher.message_post(
                body=self.env._(
                    "Transfer to %(patient)s refused by %(user)s.",
                    patient=voucher.transfer_patient_id.name,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            voucher._psy_write_guarded(
                {
                    "transfer_patient_id": False,
                    "transfer_requested_by_id": False,
                    "transfer_reason": False,
                }
            )
            voucher.activity_unlink(["mail.mail_activity_data_todo"])
        return True
