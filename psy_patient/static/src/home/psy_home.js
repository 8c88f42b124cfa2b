import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The home of a role: tiles with a count, each opening the list it counts.
 * The tiles come from psy.home (server side, under the user's own rights);
 * each module adds its own through psy.home._psy_home_tiles(home).
 */
export class PsyHome extends Component {
    static template = "psy_patient.PsyHome";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ home: null, homes: [], tiles: [] });
        onWillStart(() => this.load(this.props.action.params?.home || null));
    }

    async load(home) {
        const data = await this.orm.call("psy.home", "get_home", [home]);
        Object.assign(this.state, data);
    }

    async openTile(tile) {
        const action = await this.orm.call("psy.home", "action_open_tile", [
            this.state.home,
            tile.key,
        ]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("psy_home", PsyHome);
