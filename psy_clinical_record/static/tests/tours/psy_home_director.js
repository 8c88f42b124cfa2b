/** @odoo-module **/

import { registry } from "@web/core/registry";

// The clinical director logs in, lands on the supervision home (not
// Discuss), sees one unsigned note older than the center's delay and opens it.
registry.category("web_tour.tours").add("psy_home_director", {
    steps: () => [
        {
            content: "The director lands on the supervision home",
            trigger: ".o_psy_home .o_psy_home_title:contains(Supervision)",
        },
        {
            content: "One unsigned note is overdue",
            trigger:
                ".o_psy_home_tile[data-tile='psy_clinical_record.unsigned_overdue'] .o_psy_home_value:contains(1)",
            run: "click",
        },
        {
            content: "The list shows that note only",
            trigger: ".o_list_view .o_data_row:only-child:contains(López)",
        },
    ],
});
