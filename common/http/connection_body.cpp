#include "common/http/detail/connection.hpp"

namespace mha::http::detail {

net::awaitable<Result<std::size_t>> Connection::read_body_piece_or_stall(
    bhttp::request_parser<bhttp::buffer_body>& parser, std::span<char> buffer) {
    auto& lowest = beast::get_lowest_layer(stream_);
    auto& body = parser.get().body();
    std::size_t total = 0;
    while (total == 0 && !parser.is_done()) {
        body.data = buffer.data();
        body.size = buffer.size();
        lowest.expires_never();
        // The timer's handler may run after this frame is gone: it shares its flag and
        // reaches the stream through the connection, which outlives every request.
        auto stalled = std::make_shared<bool>(false);
        net::steady_timer timer(stream_.get_executor());
        timer.expires_after(state_->options.io_timeout);
        timer.async_wait([stalled, this](const boost::system::error_code& ec) {
            if (!ec) {
                *stalled = true;
                beast::get_lowest_layer(stream_).cancel();
            }
        });
        // read_some: io_timeout bounds a silence, not the time to fill `buffer`.
        auto [ec, bytes] = co_await bhttp::async_read_some(stream_, buffer_, parser, use_tuple);
        (void)bytes;
        timer.cancel();
        if (*stalled) {
            co_return make_error(ErrorCode::DeadlineExceeded,
                                 peer_ + ": request body: no bytes for " +
                                     std::to_string(state_->options.io_timeout.count() / 1000) +
                                     " s");
        }
        if (ec && ec != bhttp::error::need_buffer) {
            co_return tl::unexpected(transport_error(ec, peer_ + ": request body"));
        }
        total = buffer.size() - body.size;
    }
    co_return total;
}

}  // namespace mha::http::detail
