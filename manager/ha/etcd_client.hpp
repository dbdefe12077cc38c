#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/config/app_config.hpp"
#include "common/http/server.hpp"
#include "common/util/result.hpp"
#include "manager/ha/etcd_json.hpp"

namespace mha::manager::ha {

/// Where the managers of one app meet: etcd's members, the TLS files, the keys, the lease.
struct EtcdSettings {
    std::vector<config::EtcdEndpoint> endpoints;
    http::TlsFiles tls;
    std::string prefix = "/mha";  ///< the app's keys live under <prefix>/<app>/
    std::chrono::seconds lease{5};
    std::string app;

    [[nodiscard]] std::string leader_key() const { return prefix + "/" + app + "/leader"; }
    [[nodiscard]] std::string journal_key() const { return prefix + "/" + app + "/journal"; }
};

/// The settings from the app config (its first server, as every app-scope key), nullopt when
/// etcd_endpoints is unset (single-manager mode). Errors: InvalidArgument naming the key
/// (etcd_ca missing, etcd_cert without etcd_key or the reverse).
Result<std::optional<EtcdSettings>> etcd_settings(const config::AppConfig& config);

/// etcd's v3 JSON gateway through the project's HTTPS client: one request per connection,
/// to the member that answered last, then to the others in turn. Safe to call from several
/// threads.
class EtcdClient {
public:
    explicit EtcdClient(EtcdSettings settings);

    /// POSTs `body` to `path` ("/v3/kv/txn"), each member given `timeout` to connect and
    /// answer. A member that cannot be reached or has no quorum ("no leader", "request timed
    /// out") passes the request on to the next. Errors: Unavailable naming every member's
    /// failure; the gateway's own error (NotFound, FailedPrecondition, InvalidArgument) when a
    /// member refused the request.
    Result<nlohmann::json> call(std::string_view path, const nlohmann::json& body,
                                std::chrono::milliseconds timeout);

    Result<TxnResponse> txn(const TxnRequest& txn, std::chrono::milliseconds timeout);
    Result<std::optional<KeyValue>> get(const std::string& key, std::chrono::milliseconds timeout);
    Result<LeaseAnswer> grant(std::int64_t ttl_seconds, std::chrono::milliseconds timeout);
    /// TTL 0 in the answer: the lease is gone.
    Result<LeaseAnswer> keep_alive(std::int64_t id, std::chrono::milliseconds timeout);
    Result<void> revoke(std::int64_t id, std::chrono::milliseconds timeout);
    /// Seconds the lease has left as etcd counts them (rounded); -1 when it is gone.
    Result<std::int64_t> time_to_live(std::int64_t id, std::chrono::milliseconds timeout);

    [[nodiscard]] const EtcdSettings& settings() const { return settings_; }

private:
    struct Attempt {
        Result<nlohmann::json> answer;
        bool try_next = false;  ///< unreachable or without quorum: another member may do
    };
    Attempt call_one(const config::EtcdEndpoint& endpoint, std::string_view path,
                     const std::string& body, std::chrono::milliseconds timeout) const;

    EtcdSettings settings_;
    std::mutex mutex_;
    std::size_t preferred_ = 0;  ///< the member that answered last
};

}  // namespace mha::manager::ha
