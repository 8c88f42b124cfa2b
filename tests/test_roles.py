"""Roles are least privilege (issue 11, point 5).

No Psychology role makes a user an Invoicing administrator, nor gives Settings,
Access rights or technical features, whether the user comes with the demo
center or is created today and given the role: through the Users form (which
starts from Odoo's template of new users), with ``groups_id`` at creation, or
by adding the role to a user created without groups. The Billing role gives
Invoicing's billing right only, and no clinical role.

These tests need the whole graph (psy_center and its modules); the demo part
is skipped on a database without demo data.
"""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, tagged

# Groups no Psychology role may bring.
ADMIN_GROUPS = (
    "account.group_account_manager",
    "base.group_system",
    "base.group_erp_manager",
)
# Every group of Odoo Invoicing that gives access to accounting documents.
ACCOUNT_GROUPS = (
    "account.group_account_manager",
    "account.group_account_user",
    "account.group_account_basic",
    "account.group_account_readonly",
    "account.group_account_invoice",
)
CLINICAL_GROUPS = (
    "psy_patient.group_psy_psychologist",
    "psy_patient.group_psy_director",
)
# Menus that show configuration: Settings (with Technical under it) and the
# Invoicing configuration (taxes, journals, fiscal positions).
CONFIGURATION_MENUS = (
    "base.menu_administration",
    "base.menu_custom",
    "account.menu_finance_configuration",
    "account.menu_action_tax_form",
    "account.menu_action_account_journal_form",
    "account.menu_action_account_fiscal_position_form",
)

# role -> (group, demo users)
ROLES = {
    "receptionist": ("psy_patient.group_psy_receptionist", ("user_reception",)),
    "psychologist": (
        "psy_patient.group_psy_psychologist",
        ("user_marta", "user_javier", "user_lucia"),
    ),
    "director": ("psy_patient.group_psy_director", ("user_director",)),
    "accountant": ("psy_patient.group_psy_billing", ("user_accountant",)),
}
STAFF_ROLES = ("receptionist", "psychologist", "director")
# The records each role works with all day, through their lists and forms.
JOBS = {
    "receptionist": ("psy.patient", "psy.session", "psy.voucher"),
    "psychologist": (
        "psy.patient",
        "psy.session",
        "psy.voucher",
        "psy.clinical.record",
    ),
    "director": (
        "psy.patient",
        "psy.session",
        "psy.clinical.record",
        "psy.clinical.access.log",
    ),
    "accountant": ("psy.session", "psy.voucher", "psy.insurer.coverage"),
}


@tagged("post_install", "-at_install")
class TestRoles(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.main_company")
        cls.fresh = {}
        for role, (group_xmlid, __) in ROLES.items():
            cls.fresh[role] = cls._fresh_users(role, cls.env.ref(group_xmlid))

    # ------------------------------------------------------------------
    # Users of each role, made the ways an administrator makes them
    # ------------------------------------------------------------------

    @classmethod
    def _fresh_users(cls, role, group):
        Users = cls.env["res.users"].with_user(cls.env.ref("base.user_admin"))
        with_groups = Users.create(
            {
                "name": f"New {role} (groups)",
                "login": f"t_roles_{role}_groups",
                "groups_id": [Command.link(group.id)],
            }
        )
        # Created with the template's groups, then given the role.
        later = Users.create(
            {"name": f"New {role} (later)", "login": f"t_roles_{role}_later"}
        )
        later.write({"groups_id": [Command.link(group.id)]})
        return {
            "form": cls._user_from_form(Users, role, group),
            "groups": with_groups,
            "later": later,
        }

    @classmethod
    def _user_from_form(cls, Users, role, group):
        """The Users form: it starts from the template of new users and the
        administrator ticks (or selects) the Psychology role."""
        field_name, value = cls._role_field(group)
        # A selection is shown outside debug mode; Odoo puts checkboxes of
        # roles that are not a chain in the debug-only part of the form.
        assert field_name.startswith("sel_groups_"), f"{role} is not a selection"
        form = Form(Users, view="base.view_users_form")
        form.name = f"New {role} (form)"
        form.login = f"t_roles_{role}_form"
        setattr(form, field_name, value)
        return form.save()

    @classmethod
    def _role_field(cls, group):
        """The field of the Users form that gives ``group``: a checkbox, or the
        selection of its application."""
        for name in cls.env["res.users"].fields_get():
            if name == f"in_group_{group.id}":
                return name, True
            if name.startswith("sel_groups_") and str(group.id) in name[11:].split("_"):
                return name, group.id
        raise AssertionError(f"The Users form offers no field for {group.full_name}.")

    def _demo_users(self, role):
        users = self.env["res.users"]
        for xmlid in ROLES[role][1]:
            user = self.env.ref(f"psy_patient.{xmlid}", raise_if_not_found=False)
            if user:
                users |= user
        if not users:
            self.skipTest("This database has no demo data.")
        return users

    def _users(self, role):
        """The demo users of ``role`` (when the demo is loaded) and its fresh users."""
        users = self.env["res.users"].union(*self.fresh[role].values())
        for xmlid in ROLES[role][1]:
            user = self.env.ref(f"psy_patient.{xmlid}", raise_if_not_found=False)
            users |= user or users.browse()
        return users

    def _groups(self, xmlids):
        return self.env["res.groups"].union(*(self.env.ref(x) for x in xmlids))

    # ------------------------------------------------------------------
    # Groups
    # ------------------------------------------------------------------

    def assertLacks(self, users, xmlids):
        for user in users:
            extra = user.groups_id & self._groups(xmlids)
            self.assertFalse(
                extra,
                f"{user.login} should not have {', '.join(extra.mapped('full_name'))}",
            )

    def test_demo_users_have_their_role(self):
        for role, (group_xmlid, __) in ROLES.items():
            for user in self._demo_users(role):
                self.assertIn(self.env.ref(group_xmlid), user.groups_id, user.login)

    def test_fresh_users_have_their_role(self):
        for role, (group_xmlid, __) in ROLES.items():
            for way, user in self.fresh[role].items():
                self.assertIn(
                    self.env.ref(group_xmlid), user.groups_id, f"{role} by {way}"
                )
                self.assertTrue(user._is_internal(), f"{role} by {way}")

    def test_no_role_is_an_administrator(self):
        for role in ROLES:
            self.assertLacks(self._users(role), ADMIN_GROUPS)
        # Nor the Psychology administrator role: it sets the center's policies,
        # not Odoo's settings, access rights or Invoicing's configuration.
        manager = self._fresh_users(
            "manager", self.env.ref("psy_patient.group_psy_manager")
        )
        self.assertLacks(self.env["res.users"].union(*manager.values()), ADMIN_GROUPS)

    def test_staff_have_no_invoicing_rights(self):
        for role in STAFF_ROLES:
            self.assertLacks(self._users(role), ACCOUNT_GROUPS)

    def test_accountant_has_billing_rights_only(self):
        billing_user = self.env.ref("account.group_account_invoice")
        for user in self._users("accountant"):
            self.assertIn(billing_user, user.groups_id, user.login)
        self.assertLacks(
            self._users("accountant"),
            (
                "account.group_account_manager",
                "account.group_account_user",
                "account.group_account_readonly",
                *CLINICAL_GROUPS,
                "psy_patient.group_psy_receptionist",
                "psy_patient.group_psy_manager",
            ),
        )

    def test_no_technical_features(self):
        """Odoo 18 gives "Technical Features" (base.group_no_one) to every
        internal user through "Internal User" and makes it effective only in
        debug mode (res.users.has_group, ir.ui.menu, ir.ui.view). No Psychology
        role brings it otherwise, and even in debug mode none of them sees
        Settings, Technical or the Invoicing configuration."""
        no_one = self.env.ref("base.group_no_one")
        for role, (group_xmlid, __) in ROLES.items():
            self.assertNotIn(no_one, self.env.ref(group_xmlid).implied_ids, role)
            for user in self._users(role):
                self.assertFalse(user.has_group("base.group_no_one"), user.login)
                Menu = self.env["ir.ui.menu"].with_user(user)
                for debug in (False, True):
                    visible = Menu._visible_menu_ids(debug=debug)
                    for xmlid in CONFIGURATION_MENUS:
                        self.assertFalse(
                            self._reachable(self.env.ref(xmlid), visible),
                            f"{user.login} sees {xmlid} (debug={debug})",
                        )

    @staticmethod
    def _reachable(menu, visible_ids):
        """The menu is shown: it and every menu above it are visible."""
        while menu:
            if menu.id not in visible_ids:
                return False
            menu = menu.parent_id
        return True

    def test_accountant_sees_the_billing_menus(self):
        for user in self._users("accountant"):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for xmlid in (
                "account.menu_action_move_out_invoice_type",
                "account.menu_action_move_out_refund_type",
                "psy_billing_bridge.menu_psy_voucher_liability",
                "psy_billing_bridge.menu_psy_sessions_to_invoice",
            ):
                self.assertTrue(
                    self._reachable(self.env.ref(xmlid), visible),
                    f"{user.login}: {xmlid}",
                )

    def test_template_of_new_users_gives_no_invoicing_rights(self):
        template = self.env.ref("base.default_user")
        self.assertLacks(
            template, (*ACCOUNT_GROUPS, "base.group_system", "base.group_erp_manager")
        )

    def test_admin_keeps_its_rights(self):
        admin = self.env.ref("base.user_admin")
        for xmlid in (*ADMIN_GROUPS, "psy_patient.group_psy_manager"):
            self.assertIn(self.env.ref(xmlid), admin.groups_id, xmlid)

    # ------------------------------------------------------------------
    # What the rights mean: configuration and clinical content
    # ------------------------------------------------------------------

    def test_staff_cannot_read_journals_nor_change_taxes(self):
        tax = self.env["account.tax"].search(
            [*self.env["account.tax"]._check_company_domain(self.company)], limit=1
        )
        fiscal_position = self.env["account.fiscal.position"].create(
            {"name": "Roles test position", "company_id": self.company.id}
        )
        for role in STAFF_ROLES:
            for user in self._users(role):
                env = self.env(user=user)
                with self.assertRaises(AccessError, msg=user.login):
                    env["account.journal"].search([], limit=1)
                with self.assertRaises(AccessError, msg=user.login):
                    env["account.move"].search([], limit=1)
                with self.assertRaises(AccessError, msg=user.login):
                    env["account.tax"].create({"name": "Roles test tax", "amount": 1})
                if tax:
                    with self.assertRaises(AccessError, msg=user.login):
                        tax.with_user(user).write({"amount": 99})
                with self.assertRaises(AccessError, msg=user.login):
                    fiscal_position.with_user(user).write({"name": "Changed"})
        if tax:
            self.assertNotEqual(tax.amount, 99)
        self.assertEqual(fiscal_position.name, "Roles test position")

    def test_accountant_reads_but_does_not_configure_invoicing(self):
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company)], limit=1
        )
        for user in self._users("accountant"):
            env = self.env(user=user)
            env["account.journal"].search([], limit=1)
            env["account.tax"].search([], limit=1)
            env["account.move"].search([], limit=1)
            with self.assertRaises(AccessError, msg=user.login):
                env["account.tax"].create({"name": "Roles test tax", "amount": 1})
            if journal:
                with self.assertRaises(AccessError, msg=user.login):
                    journal.with_user(user).write({"name": "Changed"})
            with self.assertRaises(AccessError, msg=user.login):
                env["account.fiscal.position"].create({"name": "Roles test position"})

    def test_accountant_has_no_clinical_access(self):
        for user in self._users("accountant"):
            env = self.env(user=user)
            for model in (
                "psy.patient",
                "psy.clinical.record",
                "psy.session.note",
                "psy.private.note",
                "psy.diagnosis",
                "psy.consent",
            ):
                with self.assertRaises(AccessError, msg=f"{user.login}: {model}"):
                    env[model].search([], limit=1)

    # ------------------------------------------------------------------
    # Without Invoicing rights, the staff still open their records
    # ------------------------------------------------------------------

    @staticmethod
    def _view_fields(arch):
        """The fields a view reads on its own records (not those of its
        embedded sub-views)."""
        names = set()

        def walk(node):
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "field":
                    names.add(child.get("name"))
                else:
                    walk(child)

        walk(etree.fromstring(arch))
        return names

    def _records_of_job(self, model, user):
        """Some records of ``model`` the user may read, among them those that
        carry invoices (the fields that show them must not break the view)."""
        Model = self.env[model].sudo()
        records = Model.search([], limit=10)
        for field_name in ("psy_invoice_id", "psy_invoice_line_ids"):
            if field_name in Model._fields:
                records |= Model.search([(field_name, "!=", False)], limit=5)
        return records.with_user(user)._filtered_access("read")

    def _view_types(self, model):
        types = (
            self.env["ir.ui.view"].sudo().search([("model", "=", model)]).mapped("type")
        )
        return [vt for vt in ("list", "form", "kanban", "calendar") if vt in types]

    def test_roles_open_the_views_of_their_job(self):
        for role, models in JOBS.items():
            for model in models:
                opened = False
                for user in self._demo_users(role):
                    records = self._records_of_job(model, user)
                    opened = opened or bool(records)
                    for view_type in self._view_types(model):
                        views = records.get_views([(False, view_type)])
                        fields = views["models"][model]["fields"]
                        spec = {
                            name: {"fields": {"display_name": {}}}
                            if fields[name]["type"] == "many2one"
                            else {}
                            for name in self._view_fields(
                                views["views"][view_type]["arch"]
                            )
                            if name in fields
                        }
                        # Raises AccessError when a field the view shows needs a
                        # right the role does not have.
                        records.web_read(spec)
                        self.env.invalidate_all()
                self.assertTrue(opened, f"no {role} of the demo reads a {model}")
