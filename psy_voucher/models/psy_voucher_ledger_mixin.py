# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# States in which a voucher still moves with consumptions and reversals.
OPEN_STATES = ("active", "exhausted")
# Vouchers expired per statement by the daily job.
EXPIRY_CHUNK = 5000


class PsyVoucherLedgerMixin(models.AbstractModel):
    """The ledger engine of the session packs: locking the balances, the one
    entry point that appends ledger lines and moves the stored balances
    (:meth:`_record_lines`), consumption and reversal, manual adjustments and
    the expiry job.

    Meant for ``psy.voucher`` (like ``contract.recurrency.mixin`` for OCA's
    contracts): it works on the model's own table and expects its
    ``remaining``, ``state`` and ``line_ids`` fields.
    """

    _name = "psy.voucher.ledger.mixin"
    _description = "Session pack ledger engine"

    # ------------------------------------------------------------------
    # The ledger: every balance movement goes through these two methods.
    # ------------------------------------------------------------------

    def _lock_balances(self):
        """Lock the rows of the vouchers (``SELECT ... FOR UPDATE``, in id
        order to avoid deadlocks) and return ``{id: (remaining, state)}`` as
        the database holds them now. Concurrent movements of the same
        vouchers wait for this transaction."""
        if not self:
            return {}
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id, remaining, state FROM %s WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _record_lines(self, vals_list):
        """Append ledger lines and move the stored balances: the single entry
        point of the ledger (public API of the module, private to RPC).

        ``vals_list`` holds one dict per voucher (at most one line per voucher
        per call) with ``voucher_id``, ``type`` and signed ``quantity``, plus
        optional line values (``session_id``, ``reason``, ``amount``...) and
        ``new_state`` to force the voucher's state (expired, refunded,
        cancelled). Without it an open voucher becomes exhausted at 0 and
        active above.

        The caller has locked the rows (:meth:`_lock_balances` or a ``FOR
        UPDATE`` selection) and made its business checks; this method checks
        that the caller may write the vouchers (access rights and record
        rules), then one UPDATE moves every balance, the database refuses a
        negative one, and each line records the balance after its movement.
        The lines are created as superuser, the only way to create them: no
        user may create, change or delete them otherwise. The state changes
        are tracked in the chatter like any other (unless tracking is
        disabled, as for any write), and :meth:`_on_ledger_lines_created` is
        called once with the new lines.
        """
        Line = self.env["psy.voucher.line"]
        if not vals_list:
            return Line
        vouchers = self.browse(list(dict.fromkeys(v["voucher_id"] for v in vals_list)))
        if len(vouchers) != len(vals_list):
            raise ValueError("_record_lines: one line per voucher and call")
        vouchers.check_access("write")
        self.flush_model(["remaining", "state"])
        if not (
            self.env.context.get("tracking_disable")
            or self.env.context.get("mail_notrack")
        ):
            # Like mail.thread's write: the state before the movement, logged
            # with the state after it when the transaction ends.
            vouchers._track_prepare(["state"])
        moves = []
        line_vals = []
        for vals in vals_list:
            vals = dict(vals)
            moves.append(
                SQL(
                    "(%s::int, %s::int, %s::varchar)",
                    vals["voucher_id"],
                    vals["quantity"],
                    vals.pop("new_state", None),
                )
            )
            line_vals.append(vals)
        now = self.env["psy.session"]._psy_now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS v
                   SET remaining = v.remaining + m.quantity,
                       state = COALESCE(m.state, CASE
                           WHEN v.state NOT IN %(open)s THEN v.state
                           WHEN v.remaining + m.quantity > 0 THEN 'active'
                           ELSE 'exhausted' END),
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (VALUES %(moves)s) AS m(id, quantity, state)
                 WHERE v.id = m.id
             RETURNING v.id, v.remaining, v.company_id, v.patient_id, v.product_id,
                       v.state
                """,
                table=SQL.identifier(self._table),
                open=OPEN_STATES,
                uid=self.env.uid,
                now=now,
                moves=SQL(", ").join(moves),
            )
        )
        after = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for vals in line_vals:
            balance, company_id, patient_id, product_id, __ = after[vals["voucher_id"]]
            vals.update(
                balance=balance,
                company_id=company_id,
                patient_id=patient_id,
                product_id=product_id,
                date=vals.get("date") or now,
                user_id=self.env.uid,
            )
        vouchers.invalidate_recordset(["write_uid", "write_date", "line_ids"])
        # The balances and states the UPDATE returned are what the database
        # holds now: no need to read them again.
        self.env.cache.update(
            vouchers, self._fields["remaining"], [after[v.id][0] for v in vouchers]
        )
        self.env.cache.update(
            vouchers, self._fields["state"], [after[v.id][4] for v in vouchers]
        )
        lines = Line.sudo()._psy_insert(line_vals)
        vouchers._on_ledger_lines_created(lines)
        return lines

    def _on_ledger_lines_created(self, lines):
        """Hook called once per batch of movements by :meth:`_record_lines`,
        after the lines are written and the balances moved (``lines`` in
        superuser mode, one per voucher of ``self``). Does nothing here; the
        billing bridge posts its deferred-revenue entries and credit notes
        from it."""
        return

    # ------------------------------------------------------------------
    # Consumption (called by psy.session)
    # ------------------------------------------------------------------

    @api.model
    def _find_eligible_voucher(self, session, patient=None):
        """Lock and return the pack that pays ``session`` (or, with
        ``patient``, the part of that participant of a group session): the
        active pack in the session's center, covering its type, allowed by
        the owner rule and not expired on the session's date, that expires
        first. Empty when none.

        Whose packs: the given ``patient``'s; else, for an individual
        session, its patient's; for a couple or family session, those of any
        participant and those paid by the session's payer (one consumption
        per joint session). A group session without ``patient`` consumes
        nothing as a whole: each participant consumes their own pack."""
        payer = self.env["res.partner"]
        if patient:
            patients = patient
        elif session.session_kind == "group":
            return self.browse()
        elif session.session_kind in ("couple", "family"):
            patients = session.participant_ids.patient_id | session.patient_id
            payer = session.payer_id
        else:
            patients = session.patient_id
        if not patients:
            return self.browse()
        self.flush_model()
        self.env["product.template"].flush_model(["psy_voucher_session_type_ids"])
        owners = SQL("v.patient_id IN %s", tuple(patients.ids))
        if payer:
            owners = SQL("(%s OR v.payer_id = %s)", owners, payer.id)
        self.env.cr.execute(
            SQL(
                """
                SELECT v.id
                  FROM %(table)s v
                  JOIN product_product pp ON pp.id = v.product_id
                 WHERE %(owners)s
                   AND v.company_id = %(company)s
                   AND v.state = 'active'
                   AND v.remaining > 0
                   AND v.expiry_date >= %(date)s
                   AND (v.professional_id IS NULL
                        OR v.professional_id = %(professional)s)
                   AND EXISTS (
                       SELECT 1 FROM psy_voucher_product_session_type_rel r
                        WHERE r.voucher_tmpl_id = pp.product_tmpl_id
                          AND r.session_tmpl_id = %(session_type)s)
                 ORDER BY v.expiry_date, v.id
                 LIMIT 1
                   FOR UPDATE OF v
                """,
                table=SQL.identifier(self._table),
                owners=owners,
                company=session.company_id.id,
                date=session.start.date(),
                professional=session.professional_id.id,
                session_type=session.product_id.product_tmpl_id.id,
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    @api.model
    def _find_eligible_vouchers(self, session, patients):
        """Lock and return ``{patient id: pack}``: for each of ``patients``
        (participants of the group ``session``), the pack that pays their
        part, chosen as :meth:`_find_eligible_voucher` does, in one
        selection."""
        if not patients:
            return {}
        self.flush_model()
        self.env["product.template"].flush_model(["psy_voucher_session_type_ids"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, patient_id FROM %(table)s
                 WHERE id IN (
                    SELECT DISTINCT ON (v.patient_id) v.id
                      FROM %(table)s v
                      JOIN product_product pp ON pp.id = v.product_id
                     WHERE v.patient_id IN %(patients)s
                       AND v.company_id = %(company)s
                       AND v.state = 'active'
                       AND v.remaining > 0
                       AND v.expiry_date >= %(date)s
                       AND (v.professional_id IS NULL
                            OR v.professional_id = %(professional)s)
                       AND EXISTS (
                           SELECT 1 FROM psy_voucher_product_session_type_rel r
                            WHERE r.voucher_tmpl_id = pp.product_tmpl_id
                              AND r.session_tmpl_id = %(session_type)s)
                     ORDER BY v.patient_id, v.expiry_date, v.id)
                 ORDER BY id
                   FOR UPDATE
                """,
                table=SQL.identifier(self._table),
                patients=tuple(patients.ids),
                company=session.company_id.id,
                date=session.start.date(),
                professional=session.professional_id.id,
                session_type=session.product_id.product_tmpl_id.id,
            )
        )
        return {
            patient_id: self.browse(voucher_id)
            for voucher_id, patient_id in self.env.cr.fetchall()
        }

    def _reverse_consumptions(self, lines, reason=None):
        """Give back the sessions of the consume ``lines`` (one per voucher
        and call). A session given back to an expired pack is lost again at
        once, with an expire line, as it would have been at expiry."""
        vouchers = lines.voucher_id
        states = vouchers._lock_balances()
        for line in lines:
            if states[line.voucher_id.id][1] in ("refunded", "cancelled"):
                raise UserError(
                    self.env._(
                        "The session of %(date)s was paid with the pack "
                        "%(code)s. %(status)s The session cannot be given back: "
                        "keep it as done or ask an administrator.",
                        date=line.session_id._psy_format_datetime(
                            line.session_id.start
                        ),
                        code=line.voucher_id.name,
                        status=line.voucher_id._psy_state_sentence(
                            states[line.voucher_id.id][1]
                        ),
                    )
                )
        reversals = self._record_lines(
            [
                {
                    "voucher_id": line.voucher_id.id,
                    "type": "reverse",
                    "quantity": -line.quantity,
                    "session_id": line.session_id.id,
                    "reversed_line_id": line.id,
                    "reason": reason,
                }
                for line in lines
            ]
        )
        expired = lines.voucher_id.filtered(lambda v: v.state == "expired")
        if expired:
            self._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "expire",
                        "quantity": -voucher.remaining,
                        "new_state": "expired",
                        "reason": self.env._("Session given back after expiry"),
                    }
                    for voucher in expired
                ]
            )
        return reversals

    # ------------------------------------------------------------------
    # Manual adjustment
    # ------------------------------------------------------------------

    def _adjust(self, quantity, reason):
        """Add (or remove, when negative) ``quantity`` sessions, with a reason.
        Psychology administrators only."""
        self.ensure_one()
        if not self.env.user.has_group("psy_patient.group_psy_manager"):
            raise AccessError(
                self.env._(
                    "Only a psychology administrator can adjust the sessions of a pack."
                )
            )
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Explain the adjustment of the pack %(code)s: the reason is "
                    "kept in its ledger.",
                    code=self.name,
                )
            )
        if not quantity:
            raise UserError(
                self.env._("Enter the number of sessions to add or remove.")
            )
        remaining, state = self._lock_balances()[self.id]
        if state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "%(status)s Only active or exhausted packs can be adjusted.",
                    status=self._psy_state_sentence(state),
                )
            )
        if remaining + quantity < 0:
            raise UserError(
                self.env._(
                    "The pack %(code)s has %(remaining)s sessions left: you cannot "
                    "remove %(quantity)s. Enter at most %(remaining)s.",
                    code=self.name,
                    remaining=remaining,
                    quantity=-quantity,
                )
            )
        return self._record_lines(
            [
                {
                    "voucher_id": self.id,
                    "type": "adjust",
                    "quantity": quantity,
                    "reason": reason.strip(),
                }
            ]
        )

    # ------------------------------------------------------------------
    # Expiry and reminders
    # ------------------------------------------------------------------

    @api.model
    def _expire_due_count(self, today=None):
        """Number of active packs past their expiry date, left to expire."""
        self.flush_model(["state", "expiry_date"])
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE state = 'active' AND expiry_date < %s",
                SQL.identifier(self._table),
                today or self._psy_today(),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _expire_due(self, today=None, limit=None):
        """Close the active packs whose expiry date has passed: an expire line
        takes their sessions left and they become expired. Works by chunks
        of ``EXPIRY_CHUNK`` packs: one locking selection, one UPDATE and one
        INSERT per chunk. Returns the number of packs expired."""
        today = today or self._psy_today()
        done = 0
        while limit is None or done < limit:
            size = EXPIRY_CHUNK if limit is None else min(EXPIRY_CHUNK, limit - done)
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, remaining FROM %s
                     WHERE state = 'active' AND expiry_date < %s
                     ORDER BY id
                     LIMIT %s
                       FOR UPDATE SKIP LOCKED
                    """,
                    SQL.identifier(self._table),
                    today,
                    size,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            self._record_lines(
                [
                    {
                        "voucher_id": voucher_id,
                        "type": "expire",
                        "quantity": -remaining,
                        "new_state": "expired",
                    }
                    for voucher_id, remaining in rows
                ]
            )
            done += len(rows)
            if len(rows) < size:
                break
        return done
