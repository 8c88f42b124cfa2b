/** @odoo-module **/

import { registry } from "@web/core/registry";

// A guardian sees the sessions of their minor.
registry.category("web_tour.tours").add("psy_portal_guardian", {
    steps: () => [
        {
            content: "Open the sessions from the portal home",
            trigger: "a[href='/my/sessions']",
            run: "click",
        },
        {
            content: "Open the minor's session",
            trigger: ".o_psy_sessions_upcoming tr.o_psy_session_row a",
            run: "click",
        },
        {
            content: "The minor is the one attending",
            trigger: ".o_psy_participant:contains(Leo)",
        },
    ],
});
