from odoo.tests import HttpCase, tagged

from .common import PsyClinicalCommon

# Waits for the refusal, then for anything that would stack on it, and
# reports every dialog shown: one, with the sentence, is a success.
COUNT_DIALOGS = """
(async () => {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < 100 && !document.querySelector(".o_dialog"); i++) {
        await sleep(100);
    }
    await sleep(2000);
    const dialogs = [...document.querySelectorAll(".o_dialog")].map(
        (dialog) => dialog.innerText.replace(/\\s+/g, " ").trim()
    );
    console.log("psy dialogs: " + JSON.stringify(dialogs));
    const expected = "only the patient's psychologists and the clinical director";
    if (dialogs.length === 1 && dialogs[0].includes(expected)) {
        console.log("test successful");
    } else {
        console.error("psy refusal shown " + dialogs.length + " times");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestAccessRefusalBrowser(PsyClinicalCommon, HttpCase):
    """In Chromium: a psychologist opens, by its URL, the clinical record of
    a patient they do not treat; one dialog says why, in one sentence."""

    def test_one_dialog_for_a_refused_record(self):
        action = "action-psy_clinical_record.psy_clinical_record_action"
        url = f"/odoo/{action}/{self.record.id}"
        self.browser_js(
            url,
            COUNT_DIALOGS,
            login="t_psychologist2",
            # The refused read is logged by the server as expected.
            error_checker=lambda message: "psy refusal shown" in message,
        )
