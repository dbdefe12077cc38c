#pragma once

#include <list>
#include <optional>
#include <string>

#include "common/http/detail/beast.hpp"
#include "common/http/detail/server_state.hpp"
#include "common/http/request.hpp"
#include "common/http/response.hpp"

namespace mha::http::detail {

/// What happens to a connection after a request. Linger closes after an error answered before
/// the request body was read: the rest of the body is drained for a moment so the client, still
/// sending, reads the answer instead of a reset connection.
enum class Next { KeepAlive, Close, Linger, Abort };

/// Why a request is answered with an error before its handler runs.
struct Refusal {
    int status = 403;
    std::string code;
    std::string message;
    bool keep_alive = false;  ///< the connection may serve more requests afterwards
};

/// One client connection: TLS handshake, identity, then requests until close. Lives in the
/// frame of serve_connection(); registered in ServerState::connections while alive.
class Connection {
public:
    Connection(ServerState* state, tcp::socket socket, std::shared_ptr<ssl::context> tls);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    net::awaitable<void> run();

    /// Cancels pending I/O unless a handler is running (shutdown).
    void cancel_if_idle();

    /// Ends the TLS handshake in progress (the server needs the room).
    void drop_pending();

    /// The client's address (no port).
    [[nodiscard]] const std::string& address() const { return address_; }

    // Bridges for handlers on the worker pool (connection_stream.cpp): they run one I/O step on
    // the connection's executor and wait for it.
    Result<std::size_t> read_body_piece_blocking(
        bhttp::request_parser<bhttp::buffer_body>& parser, std::span<char> buffer);
    Result<void> write_piece_blocking(std::string_view piece, bool chunked);

private:
    /// Where the connection stands in the server's connection limits.
    enum class Admission { Pending, Manager, Other };

    void arm_deadline();
    void leave_pending();
    [[nodiscard]] bool admit();
    net::awaitable<bool> handshake();
    net::awaitable<Next> serve_one();
    [[nodiscard]] std::optional<Refusal> refusal(const Request& request,
                                                 const Router::Match& match) const;
    net::awaitable<Next> dispatch(bhttp::request_parser<bhttp::empty_body>& header_parser,
                                  Request request, const Route& route);
    net::awaitable<Next> serve_buffered(bhttp::request_parser<bhttp::empty_body>& header_parser,
                                        Request request, const Route& route);
    net::awaitable<Next> serve_streamed(bhttp::request_parser<bhttp::empty_body>& header_parser,
                                        Request request, const Route& route);
    net::awaitable<Response> call_handler(const Route& route, Request& request);
    net::awaitable<bool> send_continue_if_expected(
        const bhttp::request_header<>& header);
    net::awaitable<Next> send(const bhttp::request_header<>& header, Response response,
                              bool keep_alive);
    net::awaitable<Next> send_buffered(const bhttp::request_header<>& header,
                                       const Response& response, bool keep_alive);
    net::awaitable<Next> send_streamed(const bhttp::request_header<>& header,
                                       Response response, bool keep_alive);
    net::awaitable<Next> send_error(const bhttp::request_header<>& header, int status,
                                    std::string_view code, std::string_view message,
                                    bool keep_alive);
    // One read of a streamed body under io_timeout that leaves the connection open when the
    // client stalls (a timer cancels the read; Beast's own expiry would close the socket), so
    // the handler's answer still reaches the client (connection_body.cpp).
    net::awaitable<Result<std::size_t>> read_body_piece_or_stall(
        bhttp::request_parser<bhttp::buffer_body>& parser, std::span<char> buffer);
    net::awaitable<Result<void>> write_piece(std::string_view piece, bool chunked);
    net::awaitable<void> close(Next how);
    net::awaitable<void> linger();
    void log_request(const bhttp::request_header<>& header, int status);

    ServerState* state_;
    std::shared_ptr<ssl::context> tls_;  // keeps the context of this connection alive
    Stream stream_;
    beast::flat_buffer buffer_;
    std::string peer_;
    std::string address_;  // the client's address, for the per-address bound
    Admission admission_ = Admission::Pending;
    std::list<Connection*>::iterator pending_it_;
    bool slow_ = false;  // the current route runs on the slow-work pool
    std::optional<ClientIdentity> identity_;
    std::string names_;  // the certificate's names, for log lines
    std::string note_;   // why an error answer was given, for the request's log line
    std::string route_;  // the matched route's path ("" when none), for on_response
    bool busy_ = false;
};

}  // namespace mha::http::detail
