/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * Draw a stroke on the signature canvas with pointer events, as a finger or a
 * mouse would.
 */
async function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const points = [
        [0.1, 0.7],
        [0.25, 0.2],
        [0.4, 0.75],
        [0.55, 0.25],
        [0.7, 0.7],
        [0.9, 0.3],
    ];
    const eventAt = (type, [x, y]) =>
        new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            pointerId: 1,
            pointerType: "mouse",
            isPrimary: true,
            buttons: type === "pointerup" ? 0 : 1,
            clientX: rect.left + x * rect.width,
            clientY: rect.top + y * rect.height,
        });
    canvas.dispatchEvent(eventAt("pointerdown", points[0]));
    for (const point of points.slice(1)) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        canvas.dispatchEvent(eventAt("pointermove", point));
    }
    canvas.ownerDocument.dispatchEvent(eventAt("pointerup", points.at(-1)));
}

registry.category("web_tour.tours").add("psy_consent_portal_sign", {
    steps: () => [
        {
            content: "The consent text is shown",
            trigger: ".o_psy_consent_body:contains(agree to start psychological treatment)",
        },
        {
            content: "Open the signature dialog",
            trigger: ".o_psy_consent_sign_button",
            run: "click",
        },
        {
            content: "The full name is filled in",
            trigger: ".modal .o_web_sign_name_and_signature input:value(Ana López García)",
        },
        {
            content: "Draw the signature",
            trigger: ".modal canvas.o_web_sign_signature",
            async run() {
                await drawSignature(this.anchor);
            },
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The consent is signed",
            trigger: ".o_psy_consent_state[data-state=signed]",
        },
        {
            content: "The signed document can be downloaded",
            trigger: ".o_psy_consent_download",
        },
    ],
});
