import { registry } from "@web/core/registry";
import { calendarView } from "@web/views/calendar/calendar_view";
import { PsyAgendaController } from "./agenda_controller";
import { PsyAgendaModel } from "./agenda_model";
import { PsyAgendaRenderer } from "./agenda_renderer";

export const psyAgendaView = {
    ...calendarView,
    Controller: PsyAgendaController,
    Model: PsyAgendaModel,
    Renderer: PsyAgendaRenderer,
    buttonTemplate: "psy_session.AgendaController.controlButtons",
};

registry.category("views").add("psy_agenda", psyAgendaView);
