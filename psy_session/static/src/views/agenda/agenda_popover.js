import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { useService } from "@web/core/utils/hooks";
import { CalendarCommonPopover } from "@web/views/calendar/calendar_common/calendar_common_popover";

import { onWillStart, useState } from "@odoo/owl";

/**
 * The popover of a session: the day's actions (arrived, done, no-show,
 * cancel in time or late, and what other modules add), as the server says
 * the user may run them now.
 */
export class PsyAgendaPopover extends CalendarCommonPopover {
    static subTemplates = {
        ...CalendarCommonPopover.subTemplates,
        footer: "psy_session.AgendaPopover.footer",
    };

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.dialog = useService("dialog");
        this.psyState = useState({ actions: [] });
        onWillStart(async () => {
            this.psyState.actions = await this.orm.call(
                this.props.model.resModel,
                "psy_agenda_actions",
                [[this.props.record.id]]
            );
        });
    }

    onPsyAction(action) {
        if (action.confirm) {
            this.dialog.add(ConfirmationDialog, {
                body: action.confirm,
                confirm: () => this.runPsyAction(action),
                cancel: () => {},
            });
        } else {
            return this.runPsyAction(action);
        }
    }

    async runPsyAction(action) {
        const model = this.props.model;
        const result = await this.orm.call(model.resModel, action.name, [[this.props.record.id]]);
        this.props.close();
        if (result && typeof result === "object") {
            await this.actionService.doAction(result, { onClose: () => model.load() });
        }
        await model.load();
    }
}
