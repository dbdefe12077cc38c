#include "manager/agents/agent_client.hpp"

#include <nlohmann/json.hpp>


namespace mha::manager {
namespace {

/// The JSON error body's message, or the status when there is none.
std::string error_text(const http::ClientResponse& r) {
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_discarded() && body.is_object() && body.contains("message")) {
        return "HTTP " + std::to_string(r.status) + ": " + body["message"].get<std::string>();
    }
    return "HTTP " + std::to_string(r.status);
}

}  // namespace

http::ClientOptions agent_client_options(const config::ServerConfig& server,
                                         std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds io_timeout) {
    http::ClientOptions o;
    o.host = server.agent_host.empty() ? server.hostname : server.agent_host;
    o.port = static_cast<std::uint16_t>(server.agent_port);
    o.tls.ca = server.agent_ca.value_or("");
    o.tls.cert = server.agent_cert.value_or("");
    o.tls.key = server.agent_key.value_or("");
    o.tls.min_version = "1.2";
    o.connect_timeout = timeout;
    o.io_timeout = io_timeout;
    return o;
}

AgentClient::AgentClient(const config::ServerConfig& server, std::chrono::milliseconds timeout)
    : client_(std::make_unique<http::Client>(agent_client_options(server, timeout, timeout))) {}
AgentClient::~AgentClient() = default;
AgentClient::AgentClient(AgentClient&&) noexcept = default;
AgentClient& AgentClient::operator=(AgentClient&&) noexcept = default;

std::string AgentClient::peer() const { return client_->peer(); }

Result<proto::Health> AgentClient::health() {
    auto r = client_->get(std::string(proto::kRouteHealth));
    if (!r) {
        return tl::unexpected(r.error());
    }
    if (r->status != 200 && r->status != 503) {
        return make_error(ErrorCode::Unavailable, peer() + ": /health: " + error_text(*r));
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return make_error(ErrorCode::DataLoss, peer() + ": /health: answer is not JSON");
    }
    proto::Health h;
    try {
        h = body.get<proto::Health>();
    } catch (const nlohmann::json::exception& e) {
        return make_error(ErrorCode::DataLoss, peer() + ": /health: " + e.what());
    }
    return h;
}

namespace {

template <class T>
Result<T> get_json(http::Client& client, const std::string& peer, const std::string& target) {
    auto r = client.get(target);
    if (!r) {
        return tl::unexpected(r.error());
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || body.is_discarded() || !body.is_object()) {
        return make_error(ErrorCode::Unavailable,
                          peer + ": " + target.substr(0, target.find('?')) + ": " + error_text(*r));
    }
    try {
        return body.get<T>();
    } catch (const nlohmann::json::exception& e) {
        return make_error(ErrorCode::DataLoss, peer + ": " + target + ": " + e.what());
    }
}

}  // namespace

Result<proto::MysqldLiveness> AgentClient::mysqld(int timeout_ms) {
    return get_json<proto::MysqldLiveness>(
        *client_, peer(), std::string(proto::kRouteMysqld) + "?timeout_ms=" + std::to_string(timeout_ms));
}

Result<proto::ProbeResult> AgentClient::probe(const std::string& host, int port, int timeout_ms) {
    return get_json<proto::ProbeResult>(
        *client_, peer(),
        std::string(proto::kRouteProbe) + "?host=" + host + "&port=" + std::to_string(port) +
            "&timeout_ms=" + std::to_string(timeout_ms));
}

Result<std::string> AgentClient::unfence() {
    auto r = client_->post(std::string(proto::kRouteUnfence), "{}");
    if (!r) {
        return tl::unexpected(r.error());
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || body.is_discarded()) {
        return make_error(ErrorCode::Aborted, peer() + ": unfence: " + error_text(*r));
    }
    auto u = body.get<proto::UnfenceResult>();
    return peer() + ": fence file " + u.fence_file +
           (u.existed ? " removed; restart mysqld to make it writable" : " was not there");
}

Result<std::string> AgentClient::binlogs() {
    auto r = client_->get(std::string(proto::kRouteBinlogs));
    if (!r) {
        return tl::unexpected(r.error());
    }
    if (r->status != 200) {
        return make_error(ErrorCode::FailedPrecondition,
                          peer() + ": " + std::string(proto::kRouteBinlogs) + ": " +
                              error_text(*r));
    }
    return r->body;
}

}  // namespace mha::manager
