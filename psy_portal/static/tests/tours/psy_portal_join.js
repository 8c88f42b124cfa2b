/** @odoo-module **/

import { registry } from "@web/core/registry";

// The patient joins an online session from the portal: the Join button
// leads to the Discuss meeting of the session.
registry.category("web_tour.tours").add("psy_portal_join", {
    steps: () => [
        {
            content: "The Join button is shown in the join window",
            trigger: "a.o_psy_join_button[href$='/join']",
        },
        {
            content: "Join the video call: the Discuss meeting opens",
            trigger: "a.o_psy_join_button",
            async run() {
                const link = document.querySelector("a.o_psy_join_button");
                const response = await fetch(link.href);
                const url = new URL(response.url);
                if (
                    !response.ok ||
                    !(url.pathname.startsWith("/chat/") || url.pathname.startsWith("/discuss/"))
                ) {
                    console.error(`The Join button led to ${response.url} (${response.status}).`);
                }
            },
        },
    ],
});
