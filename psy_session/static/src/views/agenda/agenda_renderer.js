import { renderToString } from "@web/core/utils/render";
import { CalendarRenderer } from "@web/views/calendar/calendar_renderer";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";
import { PsyAgendaPopover } from "./agenda_popover";

const { DateTime } = luxon;

/**
 * Odoo's day and week grid with one column per professional or room.
 *
 * FullCalendar's community build has no resource columns, so each column is
 * one "day" of a time grid as long as days x columns: a session is drawn in
 * the column of its day and of its professional (or room), and a slot picked
 * in a column is turned back into its real day and that resource before the
 * booking form opens. Moving sessions by dragging is left to the form in
 * this mode.
 */
export class PsyAgendaCommonRenderer extends CalendarCommonRenderer {
    static components = { ...CalendarCommonRenderer.components, Popover: PsyAgendaPopover };
    static eventTemplate = "psy_session.AgendaEvent";

    setup() {
        const model = this.props.model;
        this.psyColumns = model.psyHasColumns ? model.psyResources : [];
        this.psyDays = [];
        if (this.psyColumns.length) {
            let day = model.rangeStart.startOf("day");
            while (day <= model.rangeEnd) {
                if (model.scale === "day" || model.psyShowWeekend || day.weekday < 6) {
                    this.psyDays.push(day);
                }
                day = day.plus({ days: 1 });
            }
        }
        super.setup();
    }

    get psyActive() {
        return this.psyColumns.length > 0 && this.psyDays.length > 0;
    }

    get options() {
        const options = super.options;
        if (!this.psyActive) {
            return options;
        }
        return {
            ...options,
            initialView: "psyAgendaColumns",
            initialDate: this.psyDays[0].toISODate(),
            views: {
                psyAgendaColumns: {
                    type: "timeGrid",
                    duration: { days: this.psyDays.length * this.psyColumns.length },
                },
            },
            weekends: true,
            weekNumbers: false,
            nowIndicator: false,
            editable: false,
            dayCellClassNames: this.psyColumnClassNames,
            dayHeaderClassNames: this.psyColumnClassNames,
        };
    }

    psyIndexOf(date) {
        const day = DateTime.fromJSDate(date).startOf("day");
        return Math.round(day.diff(this.psyDays[0], "days").days);
    }

    psyColumnClassNames({ date }) {
        const index = this.psyIndexOf(date);
        const classes = ["o_psy_agenda_column"];
        if (index % this.psyColumns.length === 0) {
            classes.push("o_psy_agenda_day_start");
        }
        return classes;
    }

    getHeaderHtml({ date }) {
        if (!this.psyActive) {
            return super.getHeaderHtml(...arguments);
        }
        const index = this.psyIndexOf(date);
        const count = this.psyColumns.length;
        const day = this.psyDays[Math.floor(index / count)];
        const resource = this.psyColumns[index % count];
        return {
            html: renderToString("psy_session.AgendaColumnHeader", {
                name: resource ? resource.name : "",
                day: this.props.model.scale === "week" && day ? day.toFormat("ccc d") : "",
            }),
        };
    }

    getDayCellClassNames(info) {
        return this.psyActive ? [] : super.getDayCellClassNames(info);
    }

    mapRecordsToEvents() {
        const events = super.mapRecordsToEvents();
        if (!this.psyActive) {
            return events;
        }
        const fieldName = this.props.model.psyResourceField;
        const count = this.psyColumns.length;
        const result = [];
        for (const event of events) {
            const record = this.props.model.records[event.id];
            const raw = record.rawRecord[fieldName];
            const resourceId = Array.isArray(raw) ? raw[0] : raw || false;
            const column = this.psyColumns.findIndex((r) => r.id === resourceId);
            const dayIndex = this.psyDays.findIndex((d) => d.hasSame(record.start, "day"));
            if (column < 0 || dayIndex < 0) {
                continue;
            }
            const shift = dayIndex * count + column;
            const start = this.psyDays[0]
                .plus({ days: shift })
                .set({ hour: record.start.hour, minute: record.start.minute });
            const end = start.plus(record.end.diff(record.start));
            result.push({ ...event, start: start.toISO(), end: end.toISO(), allDay: false });
        }
        return result;
    }

    fcEventToRecord(event) {
        const res = super.fcEventToRecord(event);
        if (!this.psyActive || event.id) {
            return res;
        }
        const count = this.psyColumns.length;
        const index = Math.round(res.start.startOf("day").diff(this.psyDays[0], "days").days);
        const day = this.psyDays[Math.floor(index / count)];
        const resource = this.psyColumns[index % count];
        const start = day.set({ hour: res.start.hour, minute: res.start.minute });
        if (res.end) {
            res.end = start.plus(res.end.diff(res.start));
        }
        res.start = start;
        res.psyResourceId = resource ? resource.id : false;
        return res;
    }
}

export class PsyAgendaRenderer extends CalendarRenderer {
    static components = {
        ...CalendarRenderer.components,
        day: PsyAgendaCommonRenderer,
        week: PsyAgendaCommonRenderer,
        month: PsyAgendaCommonRenderer,
    };

    get calendarKey() {
        const model = this.props.model;
        const columns = model.psyHasColumns
            ? model.psyResources.map((r) => r.id).join(",")
            : "";
        return `${super.calendarKey}_${model.psyResourceField}_${columns}_${model.psyShowWeekend}`;
    }
}
