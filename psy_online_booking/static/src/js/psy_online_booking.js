/** @odoo-module **/

// The booking page shows times in the visitor's time zone: the browser tells
// it, the server checks the name.
function fillTimeZone() {
    let tz = "";
    try {
        tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch {
        tz = "";
    }
    if (!tz) {
        return;
    }
    for (const input of document.querySelectorAll("input.o_psy_booking_tz")) {
        if (!input.dataset.sent) {
            input.value = tz;
        }
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fillTimeZone);
} else {
    fillTimeZone();
}
