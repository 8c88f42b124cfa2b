import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { CalendarModel } from "@web/views/calendar/calendar_model";

const STORAGE_KEY = "psy_agenda.columns";
export const RESOURCE_FIELDS = ["professional_id", "room_id"];

/**
 * The agenda's model: Odoo's calendar model plus the columns of the day and
 * week scales (one per professional or per room), loaded with the records.
 */
export class PsyAgendaModel extends CalendarModel {
    setup() {
        super.setup(...arguments);
        const stored = browser.localStorage.getItem(STORAGE_KEY);
        this.psyResourceField = stored !== null ? stored : "professional_id";
        if (this.psyResourceField && !RESOURCE_FIELDS.includes(this.psyResourceField)) {
            this.psyResourceField = "";
        }
        this.psyShowWeekend = true;
    }

    get psyResources() {
        return this.data.psyResources || [];
    }

    get psyHasColumns() {
        return ["day", "week"].includes(this.meta.scale) && this.psyResources.length > 0;
    }

    async setPsyResourceField(fieldName) {
        this.psyResourceField = fieldName;
        browser.localStorage.setItem(STORAGE_KEY, fieldName);
        await this.load();
    }

    async updateData(data) {
        await super.updateData(data);
        data.psyResources = [];
        const fieldName = this.psyResourceField;
        if (!fieldName || !["day", "week"].includes(this.meta.scale)) {
            return;
        }
        const resources = await this.orm.call(this.meta.resModel, "psy_agenda_resources", [
            fieldName,
        ]);
        // A professional or room unticked in the side panel has no column.
        const section = data.filterSections[fieldName];
        const hidden = new Set(
            (section ? section.filters : [])
                .filter((filter) => filter.type === "record" && !filter.active)
                .map((filter) => filter.value)
        );
        data.psyResources = resources.filter((resource) => !hidden.has(resource.id));
        const withoutResource = Object.values(data.records).some(
            (record) => !record.rawRecord[fieldName]
        );
        if (withoutResource) {
            data.psyResources.push({
                id: false,
                name: fieldName === "room_id" ? _t("No room (online)") : _t("Unassigned"),
            });
        }
    }
}
