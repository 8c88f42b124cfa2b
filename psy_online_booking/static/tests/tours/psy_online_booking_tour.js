/** @odoo-module **/

import { registry } from "@web/core/registry";

// A visitor opens the booking page, asks for the free times, picks the first
// one, gives their details, accepts the notice and books.
registry.category("web_tour.tours").add("psy_online_booking_visitor", {
    steps: () => [
        {
            content: "Show the free times of the chosen service",
            trigger: ".o_psy_booking_choose button.o_psy_booking_show",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the first free time",
            trigger: ".o_psy_booking_day:first .o_psy_booking_slot:first",
            run: "click",
        },
        {
            content: "First name",
            trigger: "#psy_booking_firstname",
            run: "edit Laura",
        },
        {
            content: "Last names",
            trigger: "#psy_booking_lastname",
            run: "edit Vidal Soto",
        },
        {
            content: "E-mail",
            trigger: "#psy_booking_email",
            run: "edit laura@example.com",
        },
        {
            content: "Phone",
            trigger: "#psy_booking_phone",
            run: "edit +34 600 000 000",
        },
        {
            content: "Accept the data-protection notice",
            trigger: "#psy_booking_privacy",
            run: "click",
        },
        {
            content: "Book",
            trigger: ".o_psy_booking_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The visitor sees the confirmation of the request",
            trigger: ".o_psy_booking_done .o_psy_booking_requested:contains(Individual therapy)",
        },
    ],
});
