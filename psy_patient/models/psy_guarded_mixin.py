# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def module_uninstalling(env):
    """True only while the server uninstalls a module.

    Odoo skips every ``@api.ondelete(at_uninstall=False)`` method when the
    context holds ``MODULE_UNINSTALL_FLAG``, and a client may send that key.
    Our delete guards are therefore ``at_uninstall=True`` and return early on
    this test, which also needs the superuser environment the uninstall runs
    in, something no client can set."""
    return bool(env.su and env.context.get(MODULE_UNINSTALL_FLAG))


class PsyGuardedMixin(models.AbstractModel):
    """Fields that only the record's own actions may change.

    A browser or an RPC script may call ``create`` and ``write`` with any value
    its access rights allow, and with any ``context``. The fields returned by
    :meth:`_psy_guarded_fields` (states, signatures, hashes, ledger links,
    overrides...) are therefore refused on such calls, whoever makes them and
    with whatever context: the guard is keyed on ``env.su`` only, which no
    client can set. The model's actions change them through
    :meth:`_psy_write_guarded`, which checks that the caller may write the
    records before it writes as superuser (the author of the chatter message
    stays the user).

    At creation a guarded field may only take one of the values returned by
    :meth:`_psy_guarded_initial_values` (the start of the state machine).
    """

    _name = "psy.guarded.mixin"
    _description = "Fields changed only by the record's actions"

    @api.model
    def _psy_guarded_fields(self):
        """Names of the fields that only the actions of the model may write."""
        return set()

    @api.model
    def _psy_guarded_initial_values(self):
        """``{field: (values...)}``: what a new record may say for a guarded
        field (a field absent here may only be left empty or default)."""
        return {}

    @api.model
    def _psy_guard_error(self, field_names):
        """The refusal, naming the fields and the way to change them. Models
        override it to name their actions."""
        labels = ", ".join(
            sorted(
                self._fields[name]._description_string(self.env) for name in field_names
            )
        )
        return UserError(
            self.env._(
                "%(fields)s of a %(model)s cannot be set directly: they change "
                "only through the buttons of the record. Use those instead.",
                fields=labels,
                model=self._description,
            )
        )

    @api.model
    def _psy_check_guarded_vals(self, vals, creating=False):
        if self.env.su:
            return
        touched = self._psy_guarded_fields() & set(vals)
        if creating:
            initial = self._psy_guarded_initial_values()
            touched = {
                name
                for name in touched
                if vals[name] and vals[name] not in initial.get(name, ())
            }
        if touched:
            raise self._psy_guard_error(touched)

    @api.model
    def _psy_context_defaults(self):
        """The guarded fields a ``default_<field>`` key of the context would
        fill at creation: Odoo adds those defaults after this guard sees the
        values, so the guard reads them from the context itself."""
        if self.env.su:
            return {}
        guarded = self._psy_guarded_fields()
        return {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[8:] in guarded
        }

    @api.model_create_multi
    def create(self, vals_list):
        defaults = self._psy_context_defaults()
        for vals in vals_list:
            self._psy_check_guarded_vals({**defaults, **vals}, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._psy_check_guarded_vals(vals)
        return super().write(vals)

    def _psy_write_guarded(self, vals):
        """The one door of the actions to the guarded fields.

        The caller must be allowed to write these records (access rights and
        record rules); the write then runs as superuser so that the guard of
        :meth:`write` lets it through. Business checks (may this user cancel
        this session?) belong to the action that calls it, before the call.
        """
        self.check_access("write")
        return self.sudo().write(vals)

    @api.model
    def _psy_create_guarded(self, vals_list):
        """Create records whose guarded fields are set by an action (a ledger
        line, a signature): the caller must be allowed to create them."""
        self.check_access("create")
        return self.sudo().create(vals_list).sudo(self.env.su)
