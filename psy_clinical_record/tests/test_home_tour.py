from odoo.tests import HttpCase, tagged

from .common import PsyClinicalCommon


@tagged("post_install", "-at_install")
class TestHomeTour(PsyClinicalCommon, HttpCase):
    """In a real browser: the clinical director logs in, lands on their home
    and sees the note left unsigned past the center's delay to sign."""

    def test_director_home_tour(self):
        session = self._done_session(days_ago=5)
        self.env(user=self.psychologist)["psy.session.note"].create(
            {
                "record_id": self.record.id,
                "session_id": session.id,
                "template_id": self.soap.id,
            }
        )
        self.start_tour("/odoo", "psy_home_director", login="t_director")
