/** @odoo-module **/

import { registry } from "@web/core/registry";

// The patient opens the e-mailed link and answers the PHQ-9: items 1-4
// "More than half the days" (2), items 5-8 "Several days" (1), item 9
// "Several days" (1): 13, moderate, with a risk alert.
const answers = [2, 2, 2, 2, 1, 1, 1, 1, 1];
const labels = ["Not at all", "Several days", "More than half the days", "Nearly every day"];

registry.category("web_tour.tours").add("psy_measure_patient_phq9", {
    steps: () => [
        {
            content: "Start the questionnaire",
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        ...answers.map((score, index) => ({
            content: `Answer item ${index + 1}`,
            trigger: `div.js_question-wrapper:eq(${index}) label:contains("${labels[score]}")`,
            run: "click",
        })),
        {
            content: "Submit",
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "Thank you, and no score shown",
            trigger: 'h1:contains("Thank you!")',
        },
        {
            content: "The crisis text of the center",
            trigger: ".o_psy_measure_crisis:contains(emergency)",
        },
    ],
});

// The psychologist opens the record: score and band in the Instruments tab,
// then the trend graph.
registry.category("web_tour.tours").add("psy_measure_psychologist_trend", {
    steps: () => [
        {
            content: "The risk banner",
            trigger: ".o_form_view .alert-danger:contains(Risk alert)",
        },
        {
            content: "Open the Instruments tab",
            trigger: '.o_notebook .nav-link:contains("Instruments")',
            run: "click",
        },
        {
            content: "The result with score and band",
            trigger: '.o_field_widget[name=psy_measure_result_ids] .o_data_row:contains("PHQ-9"):contains("13"):contains("Moderate")',
        },
        {
            content: "Open the trend",
            trigger: 'button[name=action_psy_measure_trend]',
            run: "click",
        },
        {
            content: "The trend graph",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
    ],
});
