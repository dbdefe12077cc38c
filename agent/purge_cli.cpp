#include "agent/purge_cli.hpp"

#include "agent/log/local.hpp"

namespace mha::agent {

Result<PurgeOptions> purge_options(const config::AgentConfig& config, const PurgeFlags& flags) {
    PurgeOptions options;
    options.wait_seconds = flags.wait_seconds;
    options.disable_relay_log_purge = flags.disable_relay_log_purge;
    options.workdir = flags.workdir.value_or(config.workdir);
    if (!flags.user && !flags.password && !flags.host) {
        return options;  // the local socket with agent.cnf's credentials
    }
    auto connect = local_connect_options(config, std::chrono::milliseconds(30000));
    if (!connect) {
        return tl::unexpected(connect.error());
    }
    if (flags.host) {
        const std::string& h = *flags.host;
        if (h != "127.0.0.1" && h != "localhost" && h != "::1" && h.rfind("127.", 0) != 0) {
            return make_error(ErrorCode::InvalidArgument,
                              "--host " + h + ": purge-relay-logs runs against a local mysqld only");
        }
        connect->socket.clear();
        connect->host = h;
        connect->port = static_cast<std::uint16_t>(flags.port);
    }
    if (flags.user) {
        connect->user = *flags.user;
    }
    if (flags.password) {
        connect->password = *flags.password;
    }
    options.connect = std::move(*connect);
    return options;
}

}  // namespace mha::agent
