#include "manager/ha/etcd_client.hpp"

#include "common/http/client.hpp"

namespace mha::manager::ha {
namespace {

using nlohmann::json;

ErrorCode code_of_grpc(int grpc) {
    switch (grpc) {
        case 3: return ErrorCode::InvalidArgument;
        case 4: return ErrorCode::DeadlineExceeded;
        case 5: return ErrorCode::NotFound;
        case 9: return ErrorCode::FailedPrecondition;
        default: return ErrorCode::Unavailable;
    }
}

/// gRPC codes where another member may do better: Canceled, DeadlineExceeded ("request timed
/// out"), Unavailable ("no leader", "leader changed").
bool member_trouble(int grpc) { return grpc == 1 || grpc == 4 || grpc == 14; }

/// The first JSON document of a body (the keep-alive stream sends one per line).
json first_document(const std::string& body) {
    const auto end = body.find('\n');
    return json::parse(end == std::string::npos ? body : body.substr(0, end), nullptr, false);
}

}  // namespace

Result<std::optional<EtcdSettings>> etcd_settings(const config::AppConfig& config) {
    const auto& s = config.servers.front();
    if (!s.etcd_endpoints) {
        return std::optional<EtcdSettings>();
    }
    auto endpoints = config::parse_etcd_endpoints(*s.etcd_endpoints);
    if (!endpoints) {
        return tl::unexpected(endpoints.error().wrap(config.conf_path + ": etcd_endpoints"));
    }
    if (!s.etcd_ca) {
        return make_error(ErrorCode::InvalidArgument,
                          config.conf_path + ": etcd_endpoints is set but etcd_ca is not (the CA "
                                             "file the etcd members' certificates chain to)");
    }
    if (s.etcd_cert.has_value() != s.etcd_key.has_value()) {
        return make_error(ErrorCode::InvalidArgument,
                          config.conf_path + ": etcd_cert and etcd_key go together (this "
                                             "manager's client certificate for etcd and its key)");
    }
    EtcdSettings out;
    out.endpoints = std::move(*endpoints);
    out.tls.ca = *s.etcd_ca;
    out.tls.cert = s.etcd_cert.value_or("");
    out.tls.key = s.etcd_key.value_or("");
    out.prefix = s.etcd_prefix;
    out.lease = std::chrono::seconds(s.etcd_lease_seconds);
    out.app = config.app_name;
    return std::optional<EtcdSettings>(std::move(out));
}

EtcdClient::EtcdClient(EtcdSettings settings) : settings_(std::move(settings)) {}

EtcdClient::Attempt EtcdClient::call_one(const config::EtcdEndpoint& endpoint,
                                         std::string_view path, const std::string& body,
                                         std::chrono::milliseconds timeout) const {
    http::ClientOptions options;
    options.host = endpoint.host;
    options.port = static_cast<std::uint16_t>(endpoint.port);
    options.tls = settings_.tls;
    options.connect_timeout = timeout;
    options.io_timeout = timeout;
    options.max_body_bytes = 4 * 1024 * 1024;
    options.peer_kind = "etcd member";
    http::Client client(options);
    auto response = client.post(std::string(path), body);
    if (!response) {
        return {tl::unexpected(response.error()), response.error().code != ErrorCode::InvalidArgument};
    }
    const auto answer = first_document(response->body);
    if (answer.is_discarded() || !answer.is_object()) {
        return {make_error(ErrorCode::Unavailable,
                           client.peer() + ": " + std::string(path) + ": HTTP " +
                               std::to_string(response->status) + " without a JSON answer"),
                true};
    }
    if (auto error = gateway_error(answer); error || response->status != 200) {
        const int grpc = answer.value("code", 14);
        const auto message = client.peer() + ": " + std::string(path) + ": " +
                             error.value_or("HTTP " + std::to_string(response->status));
        return {make_error(code_of_grpc(grpc), message), member_trouble(grpc)};
    }
    return {answer, false};
}

Result<json> EtcdClient::call(std::string_view path, const json& body,
                              std::chrono::milliseconds timeout) {
    const auto text = body.dump();
    std::size_t first = 0;
    {
        std::lock_guard lock(mutex_);
        first = preferred_;
    }
    std::string failures;
    const auto n = settings_.endpoints.size();
    for (std::size_t k = 0; k < n; ++k) {
        const auto i = (first + k) % n;
        auto attempt = call_one(settings_.endpoints[i], path, text, timeout);
        if (attempt.answer || !attempt.try_next) {
            if (attempt.answer) {
                std::lock_guard lock(mutex_);
                preferred_ = i;
            }
            return std::move(attempt.answer);
        }
        failures += (failures.empty() ? "" : "; ") + attempt.answer.error().message;
    }
    return make_error(ErrorCode::Unavailable, "no etcd member answered: " + failures);
}

Result<TxnResponse> EtcdClient::txn(const TxnRequest& txn, std::chrono::milliseconds timeout) {
    auto answer = call("/v3/kv/txn", txn_body(txn), timeout);
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return parse_txn(*answer);
}

Result<std::optional<KeyValue>> EtcdClient::get(const std::string& key,
                                                std::chrono::milliseconds timeout) {
    auto answer = call("/v3/kv/range", range_body(key), timeout);
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return parse_range(*answer);
}

Result<LeaseAnswer> EtcdClient::grant(std::int64_t ttl_seconds, std::chrono::milliseconds timeout) {
    auto answer = call("/v3/lease/grant", lease_grant_body(ttl_seconds), timeout);
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return parse_lease_grant(*answer);
}

Result<LeaseAnswer> EtcdClient::keep_alive(std::int64_t id, std::chrono::milliseconds timeout) {
    auto answer = call("/v3/lease/keepalive", lease_id_body(id), timeout);
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return parse_keep_alive(*answer);
}

Result<void> EtcdClient::revoke(std::int64_t id, std::chrono::milliseconds timeout) {
    auto answer = call("/v3/lease/revoke", lease_id_body(id), timeout);
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return {};
}

Result<std::int64_t> EtcdClient::time_to_live(std::int64_t id, std::chrono::milliseconds timeout) {
    auto answer = call("/v3/lease/timetolive", lease_id_body(id), timeout);
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return int64_field(*answer, "TTL");
}

}  // namespace mha::manager::ha
