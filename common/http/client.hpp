#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "common/http/request.hpp"
#include "common/http/server.hpp"
#include "common/util/result.hpp"

namespace mha::http {

/// Where and how the client connects. The server's certificate must chain to tls.ca and name
/// `host` (DNS name or IP address) in its SAN, or `server_name` when that is set.
struct ClientOptions {
    std::string host;
    std::uint16_t port = 7443;
    std::string server_name;  ///< name to verify instead of host (empty: host)
    TlsFiles tls;             ///< CA to trust, this client's certificate and key
    std::chrono::milliseconds connect_timeout{5000};  ///< TCP connect and TLS handshake
    std::chrono::milliseconds io_timeout{30000};      ///< each read and write
    std::size_t max_body_bytes = 64 * 1024 * 1024;  ///< buffered responses only
    std::string peer_kind = "agent";  ///< what the peer is, in messages ("etcd member")
};

/// A request to send. With `source` set the body is streamed chunked from it instead of `body`:
/// it fills the buffer and returns how many bytes it wrote, 0 at the end.
struct ClientRequest {
    Method method = Method::Get;
    std::string target = "/";
    std::string body;
    std::string content_type = "application/json";
    std::function<Result<std::size_t>(std::span<char> buffer)> source;
};

/// A buffered answer.
struct ClientResponse {
    int status = 0;
    std::string content_type;
    std::string body;
};

/// Receives a streamed response body piece by piece; an error aborts the transfer.
using BodySink = std::function<Result<void>(std::string_view piece)>;

/// A synchronous HTTPS client with a client certificate (one connection per request, its own
/// io_context). Errors name the peer: "agent 127.0.0.12:7443: TLS handshake: …".
class Client {
public:
    explicit Client(ClientOptions options);

    /// Sends `request` and buffers the answer (up to max_body_bytes). Errors: Unavailable
    /// (connect, TLS, connection lost), DeadlineExceeded, InvalidArgument (bad TLS files),
    /// DataLoss (body over the limit).
    Result<ClientResponse> send(const ClientRequest& request);

    /// Sends `request` and hands the body to `sink` as it arrives; returns status and content
    /// type (body empty).
    Result<ClientResponse> send(const ClientRequest& request, const BodySink& sink);

    /// GET target, buffered.
    Result<ClientResponse> get(std::string target);

    /// POST body to target, buffered.
    Result<ClientResponse> post(std::string target, std::string body,
                                std::string content_type = "application/json");

    /// "agent HOST:PORT" (peer_kind), for messages.
    [[nodiscard]] std::string peer() const;

private:
    ClientOptions options_;
};

}  // namespace mha::http
