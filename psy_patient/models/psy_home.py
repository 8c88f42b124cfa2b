# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval


class PsyHome(models.AbstractModel):
    """The home screen of each role: tiles with a count, each opening a list.

    The home is a client action (``psy_home``, ``static/src/home``) that asks
    this model for the tiles of a home and, on a click, for the action of a
    tile. Everything runs as the user who looks: the counts are
    ``search_count`` calls under the user's own access rights and record
    rules, and a tile on a model the user may not read is left out.

    **Homes** (``_psy_home_homes``): ``front_desk``, ``psychologist``,
    ``director`` and ``accountant``, each offered to one role of
    ``psy_security.xml``. A user lands on the home of their highest role
    (``priority``) and may switch to the other homes their roles give.

    **Tiles** (``_psy_home_tiles(home)``): each module extends this method,
    calls ``super()`` and appends the tiles it owns for ``home``::

        class PsyHome(models.AbstractModel):
            _inherit = "psy.home"

            def _psy_home_tiles(self, home):
                tiles = super()._psy_home_tiles(home)
                if home == "psychologist":
                    tiles.append({
                        "key": "psy_x.my_thing",        # unique, module-prefixed
                        "sequence": 30,                 # order on the screen
                        "title": self.env._("My things"),
                        "help": self.env._("Things waiting for you."),
                        "model": "psy.thing",
                        "domain": [("user_id", "=", self.env.uid)],
                        "action": "psy_x.psy_thing_action",  # optional
                        "context": {"search_default_x": 1},  # optional
                        "level": "warning",             # info|warning|danger
                    })
                return tiles

    A tile counts the records of ``model`` matching ``domain`` and opens
    ``action`` (the xml id of a window action: its views, search view and
    help are kept, its domain is replaced by the tile's, its context updated
    with the tile's) or, without ``action``, a list and form of ``model``.
    A tile that shows something else than a count (an amount) gives
    ``value`` (a string it formatted itself) besides ``model`` and
    ``domain``, which still decide what a click opens. ``level`` colours the
    tile when its count is not zero. Optional ``views`` (a list of
    ``(view_id, view_type)``) overrides the action's views.
    """

    _name = "psy.home"
    _description = "Home screens of the roles"

    # -- the homes -----------------------------------------------------------

    @api.model
    def _psy_home_homes(self):
        """The homes, each with the group that opens it and a ``priority``:
        a user lands on the home of highest priority among those offered to
        them. Extend it with ``super()`` to add a home."""
        return [
            {
                "key": "director",
                "name": self.env._("Supervision"),
                "group": "psy_patient.group_psy_director",
                "priority": 40,
            },
            {
                "key": "psychologist",
                "name": self.env._("My day"),
                "group": "psy_patient.group_psy_psychologist",
                "priority": 30,
            },
            {
                "key": "front_desk",
                "name": self.env._("Front desk"),
                "group": "psy_patient.group_psy_receptionist",
                "priority": 20,
            },
            {
                "key": "accountant",
                "name": self.env._("Billing"),
                "group": "psy_patient.group_psy_billing",
                "priority": 10,
            },
        ]

    @api.model
    def _psy_home_user_homes(self):
        """The homes offered to the current user, highest priority first."""
        user = self.env.user
        homes = [
            home for home in self._psy_home_homes() if user.has_group(home["group"])
        ]
        return sorted(homes, key=lambda home: -home["priority"])

    @api.model
    def _psy_home_check(self, home):
        """Return ``home`` if the current user may open it, else the user's
        own home when ``home`` is empty; refuse any other home."""
        homes = self._psy_home_user_homes()
        if not homes:
            raise AccessError(
                self.env._(
                    "The home screens of the center are for its staff; ask an "
                    "administrator to give you a Psychology role."
                )
            )
        if not home:
            return homes[0]["key"]
        if home not in {h["key"] for h in homes}:
            raise AccessError(
                self.env._(
                    "This home screen belongs to another role of the center; "
                    "open your own home from the Psychology menu."
                )
            )
        return home

    # -- the tiles -----------------------------------------------------------

    @api.model
    def _psy_home_tiles(self, home):
        """The tiles of ``home`` (a key of ``_psy_home_homes``), as a list of
        dicts (see the class docstring). Extend with ``super()``."""
        return []

    @api.model
    def _psy_home_readable_tiles(self, home):
        """The tiles of ``home`` whose model the current user may read, in
        their order on the screen."""
        tiles = [
            tile
            for tile in self._psy_home_tiles(home)
            if tile.get("model") in self.env
            and self.env[tile["model"]].has_access("read")
        ]
        return sorted(tiles, key=lambda tile: (tile.get("sequence", 100), tile["key"]))

    @api.model
    def get_home(self, home=None):
        """What the home screen shows: the homes the user may switch to, the
        home shown, and its tiles with their counts, computed under the
        user's own access rights."""
        home = self._psy_home_check(home)
        tiles = []
        for tile in self._psy_home_readable_tiles(home):
            count = self.env[tile["model"]].search_count(tile["domain"])
            tiles.append(
                {
                    "key": tile["key"],
                    "title": tile["title"],
                    "help": tile.get("help", ""),
                    "count": count,
                    "value": tile.get("value") or str(count),
                    "level": tile.get("level", "info") if count else "none",
                }
            )
        return {
            "home": home,
            "homes": [
                {"key": h["key"], "name": h["name"]}
                for h in self._psy_home_user_homes()
            ],
            "tiles": tiles,
        }

    @api.model
    def action_open_tile(self, home, key):
        """The window action a click on tile ``key`` of ``home`` opens: the
        tile's records, under the user's own access rights."""
        home = self._psy_home_check(home)
        tile = next(
            (t for t in self._psy_home_readable_tiles(home) if t["key"] == key),
            None,
        )
        if not tile:
            raise AccessError(
                self.env._(
                    "This tile is not on your home screen any more; reload the "
                    "page to see the current ones."
                )
            )
        return self._psy_home_tile_action(tile)

    @api.model
    def _psy_home_tile_action(self, tile):
        if tile.get("action"):
            action = self.env["ir.actions.act_window"]._for_xml_id(tile["action"])
            context = action.get("context") or {}
            if isinstance(context, str):
                context = safe_eval(
                    context, {"uid": self.env.uid, "context": self.env.context}
                )
        else:
            action = {
                "type": "ir.actions.act_window",
                "res_model": tile["model"],
                "views": [(False, "list"), (False, "form")],
            }
            context = {}
        # The tile's domain is what the user asked for: the action's default
        # filters would narrow it further.
        context = {
            k: v for k, v in context.items() if not k.startswith("search_default_")
        }
        context.update(tile.get("context") or {})
        action.update(
            {
                "name": tile["title"],
                "domain": tile["domain"],
                "context": context,
                "target": "current",
            }
        )
        if tile.get("views"):
            action["views"] = tile["views"]
        return action

    # -- helpers for the tiles of the modules --------------------------------

    @api.model
    def _psy_home_today(self):
        """Today for the reader (``psy.patient._psy_today``)."""
        return self.env["psy.patient"]._psy_today()

    @api.model
    def _psy_home_day_bounds(self, first_day, days=1):
        """The UTC (naive) datetimes at which ``days`` days starting on
        ``first_day`` begin and end in the reader's time zone, for domains on
        datetime fields: ``[("start", ">=", begin), ("start", "<", end)]``."""
        tz = self.env["psy.patient"]._psy_tz()

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(first_day), utc(first_day + timedelta(days=days))

    # -- the landing ---------------------------------------------------------

    @api.model
    def _psy_home_action_id(self, user):
        """The action ``user`` lands on after logging in: their own home
        action (``action_id`` on the user form) when an administrator set one,
        else the role home when they have a Psychology role, else nothing
        (Odoo's default)."""
        if user.action_id:
            return user.action_id.id
        if any(user.has_group(home["group"]) for home in self._psy_home_homes()):
            return self.env.ref("psy_patient.action_psy_home").id
        return False
