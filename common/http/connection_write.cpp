#include "common/http/detail/connection.hpp"

#include <future>

#include "common/log/escape.hpp"

namespace mha::http::detail {

namespace {

template <class Message>
void common_fields(Message& message, const std::string& server, const std::string& content_type,
                   bool keep_alive) {
    message.set(bhttp::field::server, "mha-" + server);
    message.set(bhttp::field::content_type, content_type);
    message.keep_alive(keep_alive);
}

// Waits for an I/O step posted to the connection's executor. The step has its own deadline
// (io_timeout); the extra wait only guards against an io_context stopped at shutdown.
template <class T>
Result<T> wait_for(std::future<Result<T>> future, std::chrono::milliseconds io_timeout) {
    try {
        if (future.wait_for(io_timeout + std::chrono::seconds(2)) != std::future_status::ready) {
            return make_error(ErrorCode::DeadlineExceeded, "connection I/O did not complete");
        }
        return future.get();
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Unavailable, std::string("connection closed: ") + e.what());
    }
}

}  // namespace

net::awaitable<Next> Connection::send(const bhttp::request_header<>& header, Response response,
                                      bool keep_alive) {
    keep_alive = keep_alive && !state_->stopping;
    if (response.producer && header.method() != bhttp::verb::head) {
        co_return co_await send_streamed(header, std::move(response), keep_alive);
    }
    co_return co_await send_buffered(header, response, keep_alive);
}

net::awaitable<Next> Connection::send_buffered(const bhttp::request_header<>& header,
                                               const Response& response, bool keep_alive) {
    log_request(header, response.status);
    const auto status = static_cast<bhttp::status>(response.status);
    boost::system::error_code ec;
    if (header.method() == bhttp::verb::head) {
        bhttp::response<bhttp::empty_body> message{status, header.version()};
        common_fields(message, state_->options.name, response.content_type, keep_alive);
        message.content_length(response.body.size());
        arm_deadline();
        std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_, message, use_tuple);
    } else {
        bhttp::response<bhttp::string_body> message{status, header.version(), response.body};
        common_fields(message, state_->options.name, response.content_type, keep_alive);
        message.prepare_payload();
        arm_deadline();
        std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_, message, use_tuple);
    }
    if (ec) {
        state_->log->info("{}: write: {}", peer_, ec.message());
        co_return Next::Abort;
    }
    co_return keep_alive ? Next::KeepAlive : Next::Close;
}

net::awaitable<Next> Connection::send_streamed(const bhttp::request_header<>& header,
                                               Response response, bool keep_alive) {
    log_request(header, response.status);
    // HTTP/1.0 has no chunked encoding: the body ends where the connection does.
    const bool chunked = header.version() >= 11;
    keep_alive = keep_alive && chunked;
    bhttp::response<bhttp::empty_body> message{static_cast<bhttp::status>(response.status),
                                               header.version()};
    common_fields(message, state_->options.name, response.content_type, keep_alive);
    message.chunked(chunked);
    bhttp::response_serializer<bhttp::empty_body> serializer{message};
    arm_deadline();
    auto [ec, bytes] = co_await bhttp::async_write_header(stream_, serializer, use_tuple);
    (void)bytes;
    if (ec) {
        co_return Next::Abort;
    }
    busy_ = true;
    /// Writes each piece through the connection's executor.
    class Writer final : public BodyWriter {
    public:
        Writer(Connection& connection, bool chunked) : connection_(connection), chunked_(chunked) {}
        Result<void> write(std::string_view piece) override {
            return connection_.write_piece_blocking(piece, chunked_);
        }

    private:
        Connection& connection_;
        bool chunked_;
    };
    // `response` lives in this frame until the producer returns.
    auto& pool = slow_ ? *state_->slow_pool : *state_->pool;
    auto produced = co_await net::co_spawn(
        pool.get_executor(),
        [&response, chunked, this]() -> net::awaitable<Result<void>> {
            Writer writer(*this, chunked);
            try {
                co_return response.producer(writer);
            } catch (const std::exception& e) {
                co_return make_error(ErrorCode::Internal, e.what());
            }
        },
        net::use_awaitable);
    if (!produced) {
        // The status line is out: cutting the connection is the only way to say "failed".
        state_->log->warn("{}: streamed body of {} failed: {}", peer_,
                          log::escape(header.target()), log::escape(produced.error().message));
        co_return Next::Abort;
    }
    if (chunked) {
        arm_deadline();
        std::tie(ec, std::ignore) =
            co_await net::async_write(stream_, bhttp::make_chunk_last(), use_tuple);
        if (ec) {
            co_return Next::Abort;
        }
    }
    co_return keep_alive ? Next::KeepAlive : Next::Close;
}

net::awaitable<Next> Connection::send_error(const bhttp::request_header<>& header, int status,
                                            std::string_view code, std::string_view message,
                                            bool keep_alive) {
    note_ = std::string(message);
    const auto next =
        co_await send_buffered(header, Response::error(status, code, message), keep_alive);
    // An error that ends the connection comes before the request was read to its end.
    co_return next == Next::Close ? Next::Linger : next;
}

net::awaitable<Result<void>> Connection::write_piece(std::string_view piece, bool chunked) {
    arm_deadline();
    boost::system::error_code ec;
    if (chunked) {
        std::tie(ec, std::ignore) = co_await net::async_write(
            stream_, bhttp::make_chunk(net::buffer(piece.data(), piece.size())), use_tuple);
    } else {
        std::tie(ec, std::ignore) =
            co_await net::async_write(stream_, net::buffer(piece.data(), piece.size()), use_tuple);
    }
    if (ec) {
        co_return tl::unexpected(transport_error(ec, peer_ + ": response body"));
    }
    co_return Result<void>{};
}

Result<std::size_t> Connection::read_body_piece_blocking(
    bhttp::request_parser<bhttp::buffer_body>& parser, std::span<char> buffer) {
    if (parser.is_done() || buffer.empty()) {
        return 0;
    }
    return wait_for(net::co_spawn(stream_.get_executor(), read_body_piece_or_stall(parser, buffer),
                                  net::use_future),
                    state_->options.io_timeout);
}

Result<void> Connection::write_piece_blocking(std::string_view piece, bool chunked) {
    if (piece.empty()) {
        return {};
    }
    return wait_for(
        net::co_spawn(stream_.get_executor(), write_piece(piece, chunked), net::use_future),
        state_->options.io_timeout);
}

}  // namespace mha::http::detail
