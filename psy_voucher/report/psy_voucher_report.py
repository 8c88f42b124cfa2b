from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists


class PsyVoucherReport(models.Model):
    """Sessions sold, consumed and expired, per day, center, pack product and
    patient: the monthly report of packs is its pivot grouped by month."""

    _name = "psy.voucher.report"
    _description = "Session packs: sessions sold, consumed and expired"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", string="Center", readonly=True)
    product_id = fields.Many2one("product.product", string="Pack", readonly=True)
    patient_id = fields.Many2one("psy.patient", readonly=True)
    voucher_id = fields.Many2one("psy.voucher", string="Pack sold", readonly=True)
    sessions_sold = fields.Integer(readonly=True)
    sessions_consumed = fields.Integer(
        readonly=True, help="Sessions consumed minus those given back."
    )
    sessions_expired = fields.Integer(
        readonly=True, help="Sessions left in packs when they expired."
    )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW psy_voucher_report AS (
                    SELECT v.id * 2 AS id,
                           v.start_date AS date,
                           v.company_id,
                           v.product_id,
                           v.patient_id,
                           v.id AS voucher_id,
                           v.sessions_total AS sessions_sold,
                           0 AS sessions_consumed,
                           0 AS sessions_expired
                      FROM psy_voucher v
                     WHERE v.state NOT IN ('draft', 'cancelled')
                       AND v.sessions_total > 0
                    UNION ALL
                    SELECT l.id * 2 + 1 AS id,
                           l.date::date AS date,
                           l.company_id,
                           l.product_id,
                           l.patient_id,
                           l.voucher_id,
                           0 AS sessions_sold,
                           CASE WHEN l.type IN ('consume', 'reverse')
                                THEN -l.quantity ELSE 0 END AS sessions_consumed,
                           CASE WHEN l.type = 'expire'
                                THEN -l.quantity ELSE 0 END AS sessions_expired
                      FROM psy_voucher_line l
                     WHERE l.type IN ('consume', 'reverse', 'expire')
                )
                """
            )
        )
