import { registry } from "@web/core/registry";

// A psychologist writes and signs the first note of a new patient, from the
// completed session; the center requires the reason for consultation and
// the risk level, which the Sign button asks for: 7 actions.
registry.category("web_tour.tours").add("psy_clinical_record_first_note", {
    steps: () => [
        {
            content: "1. Open the note of the completed session",
            trigger: ".o_form_view button[name=action_open_clinical_note]",
            run: "click",
        },
        {
            content: "The note says which sections of the record the center requires",
            trigger: ".o_form_view .o_psy_missing_sections:contains(Reason for consultation):contains(Risk level)",
        },
        {
            content: "2. Write the note",
            trigger: ".o_form_view .o_field_widget[name=subjective] textarea",
            run: "edit Worried about work, sleeps badly.",
        },
        {
            content: "3. Sign",
            trigger: ".o_form_view button[name=action_sign]",
            run: "click",
        },
        {
            content: "4. Confirm the signature",
            trigger: ".modal .modal-footer button.btn-primary:contains(Ok)",
            run: "click",
        },
        {
            content: "5. The dialog asks for the reason for consultation",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Anxiety at work since the spring.",
        },
        {
            content: "6. ... and the risk level",
            trigger: ".modal .o_field_widget[name=risk_level] select",
            run: "selectByLabel Low",
        },
        {
            content: "Sections the center does not require are not asked",
            trigger: ".modal:not(:has(.o_field_widget[name=symptoms]))",
        },
        {
            content: "7. Save them in the record and sign",
            trigger: ".modal button[name=action_fill_and_sign]",
            run: "click",
        },
        {
            content: "The note is signed",
            trigger: ".o_form_view:not(:has(.modal)) .alert-success:contains(Signed by)",
        },
    ],
});
