import { registry } from "@web/core/registry";

/**
 * The front desk marks a patient as arrived, then the session as done, from
 * the popover of the agenda: four clicks. Then the columns by room.
 */
registry.category("web_tour.tours").add("psy_agenda_arrival", {
    steps: () => [
        {
            content: "The agenda shows one column per professional",
            trigger: ".o_psy_agenda .fc-col-header-cell .o_psy_agenda_column_header:contains('Tour Psychologist')",
        },
        {
            content: "Action 1: open the session of the patient (name first)",
            trigger: ".o_psy_agenda .fc-event .o_psy_agenda_who:contains('Ana López García')",
            run: "click",
        },
        {
            content: "Action 2: the patient arrived",
            trigger: ".o_cw_popover .o_psy_agenda_action[data-action='action_arrived']",
            run: "click",
        },
        {
            content: "The block shows the arrival",
            trigger: ".o_psy_agenda .fc-event:has(.o_psy_agenda_who:contains('Ana López García')) .fa-sign-in",
        },
        {
            content: "Action 3: open the session again",
            trigger: ".o_psy_agenda .fc-event .o_psy_agenda_who:contains('Ana López García')",
            run: "click",
        },
        {
            content: "Arrived is no longer offered",
            trigger: ".o_cw_popover .o_psy_agenda_actions:not(:has([data-action='action_arrived']))",
        },
        {
            content: "Action 4: the session is done",
            trigger: ".o_cw_popover .o_psy_agenda_action[data-action='action_done']",
            run: "click",
        },
        {
            content: "The block takes the colour of done sessions",
            trigger: ".o_psy_agenda .fc-event.o_calendar_color_10:has(.o_psy_agenda_who:contains('Ana López García'))",
        },
        {
            content: "(Not part of the count) one column per room instead",
            trigger: ".o_psy_agenda_columns button[data-columns='room_id']",
            run: "click",
        },
        {
            content: "The session is in the column of its room",
            trigger: ".o_psy_agenda .o_psy_agenda_column_header:contains('Sala 1')",
        },
        {
            content: "The block is still there",
            trigger: ".o_psy_agenda .fc-event .o_psy_agenda_who:contains('Ana López García')",
        },
        {
            content: "Back to one column per professional",
            trigger: ".o_psy_agenda_columns button[data-columns='professional_id']",
            run: "click",
        },
        {
            content: "The professionals' columns are back",
            trigger: ".o_psy_agenda .o_psy_agenda_column_header:contains('Tour Psychologist')",
        },
    ],
});
