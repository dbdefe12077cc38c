#include "common/http/detail/connection.hpp"

#include <array>
#include <chrono>
#include <limits>

#include <openssl/ssl.h>

#include "common/http/access.hpp"
#include "common/log/escape.hpp"

namespace mha::http::detail {

namespace {

Method to_method(bhttp::verb verb) {
    switch (verb) {
        case bhttp::verb::get: return Method::Get;
        case bhttp::verb::head: return Method::Head;
        case bhttp::verb::post: return Method::Post;
        case bhttp::verb::put: return Method::Put;
        case bhttp::verb::delete_: return Method::Delete;
        default: return Method::Other;
    }
}

std::string endpoint_text(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) {
        return "unknown peer";
    }
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

std::string address_text(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : endpoint.address().to_string();
}

// Only chunked is decoded here: "gzip, chunked" would hand handlers compressed bytes.
bool transfer_encoding_ok(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
    }
    return value.empty() || beast::iequals(value, "chunked");
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : ", ") + name;
    }
    return out.empty() ? "no names" : out;
}

// A handler must not take the server down: anything it throws becomes a 500.
Response invoke(const Route& route, const Request& request) {
    try {
        return route.handler(request);
    } catch (const std::exception& e) {
        return Response::error(500, "internal", std::string("handler failed: ") + e.what());
    }
}

}  // namespace

Connection::Connection(ServerState* state, tcp::socket socket, std::shared_ptr<ssl::context> tls)
    : state_(state), tls_(std::move(tls)), stream_(std::move(socket), *tls_) {
    peer_ = endpoint_text(beast::get_lowest_layer(stream_).socket());
    address_ = address_text(beast::get_lowest_layer(stream_).socket());
    state_->connections.insert(this);
    pending_it_ = state_->pending.insert(state_->pending.end(), this);
    ++state_->pending_by_address[address_];
}

Connection::~Connection() {
    leave_pending();
    if (admission_ == Admission::Manager) {
        --state_->managers;
    } else if (admission_ == Admission::Other) {
        --state_->others;
    }
    state_->connection_closed(this);
}

void Connection::arm_deadline() {
    beast::get_lowest_layer(stream_).expires_after(state_->options.io_timeout);
}

void Connection::cancel_if_idle() {
    if (!busy_) {
        beast::get_lowest_layer(stream_).cancel();
    }
}

net::awaitable<void> Connection::run() {
    if (!co_await handshake()) {
        co_return;
    }
    Next next = Next::KeepAlive;
    while (next == Next::KeepAlive && !state_->stopping) {
        next = co_await serve_one();
    }
    co_await close(next == Next::KeepAlive ? Next::Close : next);
}

net::awaitable<bool> Connection::handshake() {
    // A deadline of its own, short: a connection that never speaks TLS holds a pending slot.
    beast::get_lowest_layer(stream_).expires_after(state_->options.handshake_timeout);
    auto [ec] = co_await stream_.async_handshake(ssl::stream_base::server, use_tuple);
    if (ec) {
        leave_pending();
        if (const auto left_out = state_->handshake_failures.admit(log::Throttle::Clock::now())) {
            state_->log->info("{}: TLS handshake: {}{}", peer_,
                              ec == beast::error::timeout ? "timed out" : ec.message(),
                              *left_out == 0 ? std::string()
                                             : " (" + std::to_string(*left_out) +
                                                   " more failed handshake(s) not logged)");
        }
        co_return false;
    }
    // The peer's names are read once per connection (STYLE.md, TLS).
    const auto names = certificate_names(SSL_get0_peer_certificate(stream_.native_handle()));
    names_ = join(names);
    identity_ = identify_client(names, state_->options.allowed_clients);
    if (!identity_) {
        state_->log->warn("{}: client certificate ({}) is not on the allow-list", peer_,
                          log::escape(names_));
    }
    co_return admit();
}

net::awaitable<Next> Connection::serve_one() {
    bhttp::request_parser<bhttp::empty_body> header_parser;
    header_parser.header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
    // The body's size is judged per route once the header is read (413 for buffered routes,
    // none for streamed ones), not by Beast's 1 MB default here.
    header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    route_.clear();
    // One deadline for the whole header, the keep-alive wait included: a client that sends
    // it a byte at a time (slowloris) is closed when it passes.
    beast::get_lowest_layer(stream_).expires_after(state_->options.header_timeout);
    auto [ec, bytes] = co_await bhttp::async_read_header(stream_, buffer_, header_parser, use_tuple);
    (void)bytes;
    const bhttp::request_header<> empty;
    if (ec == bhttp::error::header_limit) {
        co_return co_await send_error(empty, 431, "invalid_argument",
                                      "request header larger than max_header_bytes", false);
    }
    if (is_parse_error(ec)) {
        co_return co_await send_error(empty, 400, "invalid_argument",
                                      "malformed request: " + ec.message(), false);
    }
    if (ec) {
        if (ec == beast::error::timeout) {
            state_->log->debug("{}: closing idle connection", peer_);
        }
        co_return Next::Abort;
    }
    const auto& header = header_parser.get();
    if (!transfer_encoding_ok(header[bhttp::field::transfer_encoding])) {
        co_return co_await send_error(header, 400, "invalid_argument",
                                      "Transfer-Encoding: only chunked is accepted", false);
    }
    auto target = parse_target(header.target());
    if (!target) {
        co_return co_await send_error(header, 400, "invalid_argument", target.error().message,
                                      false);
    }
    Request request;
    request.method = to_method(header.method());
    request.target = std::string(header.target());
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    request.content_type = std::string(header[bhttp::field::content_type]);
    const bool body_pending = !header_parser.is_done();
    const auto match = state_->router.find(request.method, request.path);
    route_ = match.route != nullptr ? match.route->path : "";
    slow_ = match.route != nullptr && match.route->options.slow;
    if (auto refused = refusal(request, match)) {
        // An unread body cannot be skipped reliably: answer and close.
        co_return co_await send_error(header, refused->status, refused->code, refused->message,
                                      refused->keep_alive && header.keep_alive() && !body_pending);
    }
    request.client = *identity_;
    co_return co_await dispatch(header_parser, std::move(request), *match.route);
}

std::optional<Refusal> Connection::refusal(const Request& request,
                                           const Router::Match& match) const {
    if (!identity_) {
        return Refusal{403, "permission_denied",
                       "client certificate (" + names_ + ") is not on the " + state_->options.name +
                           "'s allow-list",
                       false};
    }
    const auto& authorize = state_->options.authorize;
    if (authorize ? !authorize(identity_->role, request.method, request.path)
                  : !role_allows(identity_->role, request.method, request.path)) {
        return Refusal{403, "permission_denied",
                       "role " + std::string(role_name(identity_->role)) + " may not call " +
                           std::string(method_name(request.method)) + " " + request.path,
                       true};
    }
    if (match.route == nullptr) {
        const bool found = match.status == 405;
        return Refusal{match.status, found ? "method_not_allowed" : "not_found",
                       (found ? "method not allowed on " : "no such route: ") + request.path,
                       true};
    }
    return std::nullopt;
}

net::awaitable<Next> Connection::dispatch(bhttp::request_parser<bhttp::empty_body>& header_parser,
                                          Request request, const Route& route) {
    if (route.options.stream_request_body) {
        co_return co_await serve_streamed(header_parser, std::move(request), route);
    }
    co_return co_await serve_buffered(header_parser, std::move(request), route);
}

net::awaitable<Next> Connection::serve_buffered(
    bhttp::request_parser<bhttp::empty_body>& header_parser, Request request,
    const Route& route) {
    const auto header = header_parser.get().base();
    const bool keep_alive = header_parser.get().keep_alive();
    const auto limit = state_->options.max_body_bytes;
    if (const auto length = header_parser.content_length(); length && *length > limit) {
        co_return co_await send_error(header, 413, "invalid_argument",
                                      "request body larger than max_body_bytes (" +
                                          std::to_string(limit) + ")",
                                      false);
    }
    bhttp::request_parser<bhttp::string_body> parser{std::move(header_parser)};
    parser.body_limit(limit);
    if (!parser.is_done()) {
        if (!co_await send_continue_if_expected(header)) {
            co_return Next::Abort;
        }
        arm_deadline();
        auto [ec, bytes] = co_await bhttp::async_read(stream_, buffer_, parser, use_tuple);
        (void)bytes;
        if (ec == bhttp::error::body_limit) {
            co_return co_await send_error(header, 413, "invalid_argument",
                                          "request body larger than max_body_bytes", false);
        }
        if (is_parse_error(ec)) {
            co_return co_await send_error(header, 400, "invalid_argument",
                                          "malformed request body: " + ec.message(), false);
        }
        if (ec) {
            co_return Next::Abort;
        }
    }
    request.body = std::move(parser.get().body());
    auto response = co_await call_handler(route, request);
    co_return co_await send(header, std::move(response), keep_alive);
}

net::awaitable<Next> Connection::serve_streamed(
    bhttp::request_parser<bhttp::empty_body>& header_parser, Request request,
    const Route& route) {
    const auto header = header_parser.get().base();
    const bool keep_alive = header_parser.get().keep_alive();
    bhttp::request_parser<bhttp::buffer_body> parser{std::move(header_parser)};
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (!parser.is_done() && !co_await send_continue_if_expected(header)) {
        co_return Next::Abort;
    }
    /// Hands the handler the body as it arrives (read on the I/O thread, piece by piece).
    class Reader final : public BodyReader {
    public:
        Reader(Connection& connection, bhttp::request_parser<bhttp::buffer_body>& parser)
            : connection_(connection), parser_(parser) {}
        Result<std::size_t> read(std::span<char> buffer) override {
            return connection_.read_body_piece_blocking(parser_, buffer);
        }

    private:
        Connection& connection_;
        bhttp::request_parser<bhttp::buffer_body>& parser_;
    };
    Reader reader(*this, parser);
    request.body_stream = &reader;
    auto response = co_await call_handler(route, request);
    // A body the handler left unread cannot be skipped reliably: close after answering.
    const auto next =
        co_await send(header, std::move(response), keep_alive && parser.is_done());
    co_return next == Next::Close && !parser.is_done() ? Next::Linger : next;
}

net::awaitable<Response> Connection::call_handler(const Route& route, Request& request) {
    busy_ = true;
    // `route` lives in the server's router and `request` in this frame, both until the
    // handler completes.
    auto& pool = slow_ ? *state_->slow_pool : *state_->pool;
    auto response = co_await net::co_spawn(
        pool.get_executor(),
        [&route, &request]() -> net::awaitable<Response> { co_return invoke(route, request); },
        net::use_awaitable);
    co_return response;
}

net::awaitable<bool> Connection::send_continue_if_expected(const bhttp::request_header<>& header) {
    if (!beast::iequals(header[bhttp::field::expect], "100-continue")) {
        co_return true;
    }
    bhttp::response<bhttp::empty_body> interim{bhttp::status::continue_, header.version()};
    arm_deadline();
    auto [ec, bytes] = co_await bhttp::async_write(stream_, interim, use_tuple);
    (void)bytes;
    co_return !ec;
}

net::awaitable<void> Connection::close(Next how) {
    busy_ = false;
    if (how == Next::Linger) {
        co_await linger();
    } else if (how == Next::Close) {
        // Graceful TLS close_notify, bounded by the deadline; the peer may already be gone.
        arm_deadline();
        auto [ec] = co_await stream_.async_shutdown(use_tuple);
        (void)ec;
    }
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
}

net::awaitable<void> Connection::linger() {
    // Closing a socket with unread input sends a reset, and a client still sending its body
    // would see "broken pipe" instead of the answer already written. So: no more writes (FIN),
    // then read and drop what still comes, for a bounded time and amount, like nginx's
    // lingering_close.
    constexpr auto kLingerTime = std::chrono::seconds(2);
    constexpr std::size_t kLingerBytes = 64U << 20U;
    auto& lowest = beast::get_lowest_layer(stream_);
    boost::system::error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest.expires_after(kLingerTime);
    std::array<char, 16384> sink{};
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
        auto [ec, bytes] = co_await lowest.async_read_some(net::buffer(sink), use_tuple);
        if (ec) {
            break;
        }
        drained += bytes;
    }
}

void Connection::log_request(const bhttp::request_header<>& header, int status) {
    const auto client = identity_ ? identity_->name : "(" + names_ + ")";
    // Everything here but the status came from the client: escaped, so it stays one line.
    state_->log->info("{} {} {} {} {}{}{}", peer_, log::escape(client),
                      log::escape(header.method_string()), log::escape(header.target()), status,
                      note_.empty() ? "" : ": ", log::escape(note_));
    note_.clear();
    if (state_->options.on_response) {
        state_->options.on_response(route_, status);
    }
}

net::awaitable<void> serve_connection(ServerState* state, tcp::socket socket,
                                      std::shared_ptr<ssl::context> tls) {
    Connection connection(state, std::move(socket), std::move(tls));
    co_await connection.run();
}

void cancel_if_idle(Connection* connection) { connection->cancel_if_idle(); }

void drop_pending(Connection* connection) { connection->drop_pending(); }

const std::string& pending_address(const Connection* connection) { return connection->address(); }

}  // namespace mha::http::detail
