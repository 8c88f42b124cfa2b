import { _t } from "@web/core/l10n/translation";
import { CalendarController } from "@web/views/calendar/calendar_controller";

/**
 * The agenda's controller: the booking dialog speaks of sessions, a slot
 * picked in a column books that professional or room, and the columns are
 * chosen in the control panel.
 */
export class PsyAgendaController extends CalendarController {
    get className() {
        return [super.className, "o_psy_agenda"].filter(Boolean).join(" ");
    }

    get editRecordDefaultDisplayText() {
        return _t("New session");
    }

    get psyColumnChoices() {
        return [
            { value: "professional_id", label: _t("By professional") },
            { value: "room_id", label: _t("By room") },
            { value: "", label: _t("One column") },
        ];
    }

    onPsyColumns(value) {
        return this.model.setPsyResourceField(value);
    }

    get rendererProps() {
        const props = super.rendererProps;
        this.model.psyShowWeekend = props.isWeekendVisible;
        if (this.model.psyHasColumns) {
            // The columns are days of the grid: none of them is a weekend
            // to hide; the renderer leaves the weekend days out itself.
            props.isWeekendVisible = true;
        }
        return props;
    }

    editRecordInCreation(record) {
        const rawRecord = this.model.buildRawRecord(record);
        const context = this.model.makeContextDefaults(rawRecord);
        if (record.psyResourceId) {
            context[`default_${this.model.psyResourceField}`] = record.psyResourceId;
        }
        return this.editRecord(record, context, false);
    }
}
