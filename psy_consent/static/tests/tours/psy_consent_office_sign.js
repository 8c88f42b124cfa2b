/** @odoo-module **/

import { registry } from "@web/core/registry";

// Back office: the receptionist hands the tablet to the patient, who signs in
// the wizard; the consent is then signed.
registry.category("web_tour.tours").add("psy_consent_office_sign", {
    steps: () => [
        {
            content: "Open the in-office signature",
            trigger: ".o_form_view button[name=action_sign_in_office]",
            run: "click",
        },
        {
            content: "The text is shown to the signer",
            trigger: ".modal .o_field_widget[name=body_html]:contains(agree to start psychological treatment)",
        },
        {
            content: "The signer has read the text",
            trigger: ".modal .o_field_widget[name=has_read] input",
            run: "click",
        },
        {
            content: "Open the signature pad",
            trigger: ".modal .o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer button.btn-primary:contains(Adopt):enabled",
            run: "click",
        },
        {
            content: "The signature is in the wizard",
            trigger: ".modal .o_field_widget[name=signature] img.o_signature",
        },
        {
            content: "Sign",
            trigger: ".modal button[name=action_sign]",
            run: "click",
        },
        {
            content: "The consent is signed",
            trigger: ".o_form_view .ribbon:contains(Signed)",
        },
    ],
});
