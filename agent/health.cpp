#include "agent/health.hpp"

#include <sys/stat.h>

#include <charconv>

#include "agent/log/local.hpp"
#include "agent/mysqld/pid_file.hpp"
#include "common/mysql/session.hpp"

namespace mha::agent {

namespace {

// One round trip; MariaDB 10.11 and MySQL 8 both have every one of these variables.
constexpr std::string_view kHealthQuery =
    "SELECT @@version AS version, @@server_id AS server_id, @@read_only AS read_only, "
    "@@log_bin AS log_bin, @@log_bin_basename AS log_bin_basename, "
    "@@relay_log_basename AS relay_log_basename";

bool flag(const std::string& value) { return value == "1" || value == "ON"; }

std::uint32_t to_u32(const std::string& value) {
    std::uint32_t out = 0;
    std::from_chars(value.data(), value.data() + value.size(), out);
    return out;
}

}  // namespace

proto::MysqldHealth check_mysqld(const config::AgentConfig& config) {
    proto::MysqldHealth health;
    auto options = local_connect_options(config, config.connect_timeout * 2);
    if (!options) {
        health.error = options.error().message;
        return health;
    }
    auto session = mysql::connect(*options);
    if (!session) {
        health.error = session.error().message;
        return health;
    }
    auto rows = (*session)->query(kHealthQuery);
    if (!rows) {
        health.error = rows.error().message;
        return health;
    }
    if (rows->empty()) {
        health.error = "mysqld " + options->peer() + ": health query returned no row";
        return health;
    }
    health.reachable = true;
    (void)learn_pid_file(config, **session);  // without pid_file in agent.cnf: keep it known
    health.version = rows->value(0, "version", (*session)->server_version());
    health.server_id = to_u32(rows->value(0, "server_id"));
    health.read_only = flag(rows->value(0, "read_only"));
    health.log_bin = flag(rows->value(0, "log_bin"));
    health.log_bin_basename = rows->value(0, "log_bin_basename");
    health.relay_log_basename = rows->value(0, "relay_log_basename");
    return health;
}

proto::Health make_health(proto::MysqldHealth mysqld, std::chrono::steady_clock::duration uptime) {
    proto::Health health;
    health.status = mysqld.reachable ? "ok" : "mysqld_unavailable";
    health.agent_version = MHA_VERSION;
    health.uptime_seconds = std::chrono::duration<double>(uptime).count();
    health.server_time = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    health.mysqld = std::move(mysqld);
    return health;
}

std::string fence_state(const std::string& fence_file) {
    if (fence_file.empty()) {
        return "not_configured";
    }
    struct stat st {};
    return stat(fence_file.c_str(), &st) == 0 ? "fenced" : "none";
}

http::Response health_response(const proto::Health& health) {
    return http::Response::json(health.mysqld.reachable ? 200 : 503, nlohmann::json(health));
}

}  // namespace mha::agent
