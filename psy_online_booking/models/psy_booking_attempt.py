# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
from datetime import timedelta

from odoo import api, fields, models

# Attempts older than this are deleted by the daily cron.
KEEP_DAYS = 2


class PsyBookingAttempt(models.Model):
    """One submission of the booking form, to throttle repeated ones.

    Only a keyed hash of the connection (address, browser session) is kept,
    never the address itself, and rows are deleted after two days. Nobody
    reads these rows but the booking page (as superuser, after counting is
    the only thing it does) and the system administrator."""

    _name = "psy.booking.attempt"
    _description = "Online booking submission (throttling)"
    _order = "date desc, id desc"

    key = fields.Char(required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, index=True, readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        readonly=True,
        ondelete="cascade",
    )

    @api.model
    def _psy_key(self, kind, value):
        """A keyed hash of ``value`` (database secret), so that the table
        holds no address."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        raw = f"{secret}:{kind}:{value}".encode()
        return hashlib.sha256(raw).hexdigest()

    @api.model
    def _psy_register(self, company, keys, now=None):
        """Count this submission for each of ``keys``; return False when one
        of them already reached the center's limit in its window (the
        submission is then refused and not counted).

        Called by the public booking page for the visitor's own connection:
        it only counts and adds rows of this model, as superuser, because
        visitors have no access to it."""
        now = now or fields.Datetime.now()
        since = now - timedelta(minutes=company.psy_booking_throttle_minutes)
        Attempt = self.sudo()
        counts = Attempt._read_group(
            [
                ("key", "in", keys),
                ("company_id", "=", company.id),
                ("date", ">=", since),
            ],
            ["key"],
            ["__count"],
        )
        if any(count >= company.psy_booking_max_attempts for _key, count in counts):
            return False
        Attempt.create(
            [{"key": key, "company_id": company.id, "date": now} for key in keys]
        )
        return True

    @api.model
    def _cron_purge(self):
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.sudo().search([("date", "<", limit)]).unlink()
