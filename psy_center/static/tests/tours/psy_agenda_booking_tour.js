import { registry } from "@web/core/registry";

const { DateTime } = luxon;

/**
 * Press and release the mouse on the agenda's grid, in the column of the
 * professional ``name`` for today, at ``time``: what a user does on a free
 * slot (FullCalendar reads the position of the pointer).
 */
function clickFreeSlot(name, time) {
    const today = DateTime.local().toFormat("ccc d");
    const header = [...document.querySelectorAll(".o_psy_agenda .fc-col-header-cell")].find(
        (th) => th.textContent.includes(name) && th.textContent.includes(today)
    );
    if (!header) {
        throw new Error(`No column of ${name} for ${today}`);
    }
    const lane = document.querySelector(`.o_psy_agenda .fc-timegrid-slot-lane[data-time='${time}']`);
    lane.scrollIntoView({ block: "center" });
    const x = header.getBoundingClientRect().left + header.getBoundingClientRect().width / 2;
    const y = lane.getBoundingClientRect().top + lane.getBoundingClientRect().height / 2;
    const target = document.elementFromPoint(x, y);
    const init = { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons: 1 };
    target.dispatchEvent(new PointerEvent("pointerdown", init));
    target.dispatchEvent(new MouseEvent("mousedown", init));
    target.dispatchEvent(new PointerEvent("pointerup", { ...init, buttons: 0 }));
    target.dispatchEvent(new MouseEvent("mouseup", { ...init, buttons: 0 }));
    target.dispatchEvent(new MouseEvent("click", { ...init, buttons: 0 }));
}

/**
 * The front desk books a session from a free slot: four actions (the slot,
 * the patient's name, the patient in the list, Save); the professional
 * comes from the column, the type and the room are proposed, and the pack
 * balance and the missing consent show before saving.
 */
registry.category("web_tour.tours").add("psy_agenda_booking", {
    steps: () => [
        {
            content: "The agenda shows one column per professional",
            trigger: ".o_psy_agenda .o_psy_agenda_column_header:contains('Tour Psychologist')",
        },
        {
            content: "Action 1: click a free slot of the professional today at 21:00",
            trigger: ".o_psy_agenda .fc-timegrid-slot-lane[data-time='21:00:00']",
            run: () => clickFreeSlot("Tour Psychologist", "21:00:00"),
        },
        {
            content: "The dialog speaks of a session",
            trigger: ".modal .modal-title:contains('New session')",
        },
        {
            content: "Action 2: type the patient's name",
            trigger: ".modal div[name='patient_id'] input",
            run: "edit Ana López",
        },
        {
            content: "Action 3: pick the patient",
            trigger: ".modal .o-autocomplete--dropdown-item:contains('Ana López García')",
            run: "click",
        },
        {
            content: "The session type of the last session is proposed",
            trigger: ".modal div[name='product_id'] input:value('Individual therapy')",
        },
        {
            content: "A free room is proposed",
            trigger: ".modal div[name='room_id'] input:value('Sala 1')",
        },
        {
            content: "The pack balance shows before saving",
            trigger: ".modal .o_psy_booking_packs:contains('of 10 sessions left')",
        },
        {
            content: "The missing consent shows before saving",
            trigger: ".modal .alert-warning:contains('Missing consents'):contains('Treatment')",
        },
        {
            content: "Action 4: save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The session is in the agenda, patient first",
            trigger: ".o_psy_agenda .fc-event .o_psy_agenda_who:contains('Ana López García')",
        },
    ],
});
