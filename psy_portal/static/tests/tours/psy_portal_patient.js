/** @odoo-module **/

import { registry } from "@web/core/registry";

// The patient sees their pack and upcoming sessions, cancels one in time
// (nothing charged) and one late (a pack session, as announced).
registry.category("web_tour.tours").add("psy_portal_patient", {
    steps: () => [
        {
            content: "Open the packs from the portal home",
            trigger: "a[href='/my/packs']",
            run: "click",
        },
        {
            content: "The pack has its ten sessions left",
            trigger: ".o_psy_pack_row .o_psy_pack_remaining:contains(10)",
        },
        {
            content: "Back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the sessions",
            trigger: "a[href='/my/sessions']",
            run: "click",
        },
        {
            content: "Two upcoming sessions: open the later one",
            trigger: ".o_psy_sessions_upcoming tr.o_psy_session_row:nth-child(2) a",
            run: "click",
        },
        {
            content: "Ask to cancel",
            trigger: "summary.o_psy_cancel_open",
            run: "click",
        },
        {
            content: "The page says it is in time and free",
            trigger: ".o_psy_cancel_terms[data-late='0'] .o_psy_cancel_in_time",
        },
        {
            content: "Confirm",
            trigger: ".o_psy_cancel_confirm",
            run: "click",
        },
        {
            content: "The cancellation is recorded",
            trigger: ".o_psy_message:contains(cancellation has been recorded)",
        },
        {
            content: "Back to the sessions",
            trigger: ".o_portal_submenu a[href='/my/sessions']",
            run: "click",
        },
        {
            content: "Open the session of this evening",
            trigger: ".o_psy_sessions_upcoming tr.o_psy_session_row:first-child a",
            run: "click",
        },
        {
            content: "Ask to cancel",
            trigger: "summary.o_psy_cancel_open",
            run: "click",
        },
        {
            content: "The page says it is late and costs a pack session",
            trigger: ".o_psy_cancel_terms[data-late='1'] .o_psy_cancel_cost_pack:contains(10 sessions left)",
        },
        {
            content: "Confirm",
            trigger: ".o_psy_cancel_confirm",
            run: "click",
        },
        {
            content: "The cancellation is recorded as late",
            trigger: ".o_psy_attendance[data-attendance='late_cancelled']",
        },
        {
            content: "Open the packs",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the packs",
            trigger: "a[href='/my/packs']",
            run: "click",
        },
        {
            content: "Open the pack",
            trigger: ".o_psy_pack_row a",
            run: "click",
        },
        {
            content: "Nine sessions left, the late cancellation consumed one",
            trigger: ".o_psy_pack_remaining:contains(9 / 10)",
        },
        {
            content: "The ledger shows it",
            trigger: ".o_psy_pack_lines .o_psy_pack_line_type:contains(Consumed)",
        },
    ],
});
