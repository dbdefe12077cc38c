#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

/// The agent <-> manager contract (DESIGN.md §4): route constants and JSON bodies.
namespace mha::proto {

inline constexpr std::string_view kRouteHealth = "/health";
inline constexpr std::string_view kRouteMetrics = "/metrics";
inline constexpr std::string_view kRouteBinlogs = "/v1/binlogs";
inline constexpr std::string_view kRouteRelayPosition = "/v1/relay-logs/position";
inline constexpr std::string_view kRouteRelayDiff = "/v1/relay-logs/diff";
inline constexpr std::string_view kRouteApply = "/v1/apply";
inline constexpr std::string_view kRouteRelayPurge = "/v1/relay-logs/purge";
inline constexpr std::string_view kRouteMysqld = "/v1/mysqld";
inline constexpr std::string_view kRouteProbe = "/v1/probe";
inline constexpr std::string_view kRouteFence = "/v1/fence";
inline constexpr std::string_view kRouteUnfence = "/v1/unfence";

/// JSON error body of every 4xx/5xx answer.
struct ErrorBody {
    std::string error;    ///< code name, e.g. "invalid_argument"
    std::string message;  ///< what is wrong, naming the parameter or peer
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ErrorBody, error, message)

/// The local mysqld as GET /health sees it.
struct MysqldHealth {
    bool reachable = false;
    std::string version;
    std::uint32_t server_id = 0;
    bool read_only = false;
    bool log_bin = false;
    std::string log_bin_basename;
    std::string relay_log_basename;
    std::string error;  ///< why it is not reachable; empty when it is
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MysqldHealth, reachable, version, server_id, read_only,
                                   log_bin, log_bin_basename, relay_log_basename, error)

/// GET /health: 200 when mysqld answers, 503 (same body) when it does not.
struct Health {
    std::string status;  ///< "ok" or "mysqld_unavailable"
    std::string agent_version;
    double uptime_seconds = 0;
    std::int64_t server_time = 0;  ///< the agent host's clock, Unix seconds (clock skew)
    MysqldHealth mysqld;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Health, status, agent_version, uptime_seconds,
                                                server_time, mysqld)

}  // namespace mha::proto
