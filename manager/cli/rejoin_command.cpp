// mhactl rejoin (issue 30): see manager/rejoin/rejoin.hpp.
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/rejoin/rejoin.hpp"

namespace mha::manager {

int run_rejoin(const RejoinFlags& flags) {
    auto config = load_config_or_report(flags.common);
    if (!config) {
        return 1;
    }
    auto old = server_for_host(*config, flags.host, flags.port);
    if (!old) {
        print_error("--host=" + flags.host + ": the config has no server");
        return 1;
    }
    auto done = rejoin_old_master(*config, *old, flags.timeout,
                                  [](const std::string& line) { print_info(line); });
    if (!done) {
        print_error(done.error().message);
        return 1;
    }
    print_info(*done);
    return 0;
}

}  // namespace mha::manager
