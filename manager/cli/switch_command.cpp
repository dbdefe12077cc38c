// masterha_master_switch: --master_state=dead runs the failover engine by hand.
#include <iostream>

#include "common/log/log.hpp"
#include "manager/agents/failover_ops.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/failover/failover_runner.hpp"

namespace mha::manager {

int run_switch(const SwitchFlags& flags) {
    if (flags.master_state != "dead") {
        print_error("--master_state=" + flags.master_state +
                    ": only --master_state=dead (a failover the operator starts) is available in "
                    "this version; online switchover (alive) is not.");
        return 1;
    }
    if (flags.dead_master_host.empty()) {
        print_error("--dead_master_host is required with --master_state=dead.");
        return 1;
    }
    auto config = load_config_or_report(flags.common);
    if (!config) {
        return 1;
    }
    log::Options lo;
    lo.level = config->log_level();
    log::init(lo);  // interactive failover logs to the terminal, as MHA
    FailoverOptions f = flags.failover;
    f.dead_master_host = flags.dead_master_host;
    if (flags.dead_master_port > 0) {
        f.dead_master_port = flags.dead_master_port;
    }
    if (!flags.new_master_host.empty()) {
        f.new_master_host = flags.new_master_host;
    }
    if (flags.new_master_port > 0) {
        f.new_master_port = flags.new_master_port;
    }
    AgentFailoverOps agents;
    auto result = run_failover(*config, f, agents);
    return result.exit_code;
}

}  // namespace mha::manager
