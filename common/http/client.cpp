#include "common/http/client.hpp"

#include <array>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/http/detail/beast.hpp"

namespace mha::http {

using namespace detail;

namespace {

constexpr std::size_t kPiece = 64 * 1024;

bhttp::verb to_verb(Method method) {
    switch (method) {
        case Method::Get: return bhttp::verb::get;
        case Method::Head: return bhttp::verb::head;
        case Method::Post: return bhttp::verb::post;
        case Method::Put: return bhttp::verb::put;
        case Method::Delete: return bhttp::verb::delete_;
        case Method::Other: break;
    }
    return bhttp::verb::unknown;
}

/// One request on one connection, run to completion on a private io_context.
class Exchange {
public:
    Exchange(const ClientOptions& options, std::string peer, ssl::context& context,
             net::io_context& ioc)
        : options_(options), peer_(std::move(peer)), stream_(ioc, context) {}

    net::awaitable<Result<ClientResponse>> run(const ClientRequest& request, const BodySink& sink) {
        if (auto ok = co_await connect(); !ok) {
            co_return tl::unexpected(ok.error());
        }
        if (auto ok = co_await write(request); !ok) {
            co_return tl::unexpected(ok.error());
        }
        auto response = co_await read(request.method, sink);
        // Best effort close_notify; the answer is complete either way.
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(1));
        auto [ec] = co_await stream_.async_shutdown(use_tuple);
        (void)ec;
        co_return response;
    }

private:
    Error fail(const boost::system::error_code& ec, const std::string& what) const {
        return transport_error(ec, peer_ + ": " + what);
    }

    Result<void> verify_name() {
        const auto& name = options_.server_name.empty() ? options_.host : options_.server_name;
        SSL* ssl = stream_.native_handle();
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        boost::system::error_code ec;
        net::ip::make_address(name, ec);
        // An IP address must be in the certificate's SAN as an IP entry, a name as DNS.
        const int ok = !ec ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                           : (SSL_set_tlsext_host_name(ssl, name.c_str()),
                              X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()));
        if (ok != 1) {
            return make_error(ErrorCode::InvalidArgument, peer_ + ": bad server name " + name);
        }
        return {};
    }

    net::awaitable<Result<void>> connect() {
        if (auto ok = verify_name(); !ok) {
            co_return ok;
        }
        tcp::resolver resolver(stream_.get_executor());
        auto [rec, endpoints] = co_await resolver.async_resolve(
            options_.host, std::to_string(options_.port), use_tuple);
        if (rec) {
            co_return tl::unexpected(fail(rec, "resolve"));
        }
        auto& lowest = beast::get_lowest_layer(stream_);
        lowest.expires_after(options_.connect_timeout);
        auto [cec, endpoint] = co_await lowest.async_connect(endpoints, use_tuple);
        (void)endpoint;
        if (cec) {
            co_return tl::unexpected(fail(cec, "connect"));
        }
        lowest.expires_after(options_.connect_timeout);
        auto [hec] = co_await stream_.async_handshake(ssl::stream_base::client, use_tuple);
        if (hec) {
            co_return tl::unexpected(fail(hec, "TLS handshake"));
        }
        co_return Result<void>{};
    }

    template <class Message>
    void fields(Message& message, const ClientRequest& request) const {
        message.set(bhttp::field::host, options_.host);
        message.set(bhttp::field::user_agent, "mha/" MHA_VERSION);
        if (request.method == Method::Post || request.method == Method::Put) {
            message.set(bhttp::field::content_type, request.content_type);
        }
        message.keep_alive(false);
    }

    net::awaitable<Result<void>> write(const ClientRequest& request) {
        auto& lowest = beast::get_lowest_layer(stream_);
        if (!request.source) {
            bhttp::request<bhttp::string_body> message{to_verb(request.method), request.target,
                                                       11, request.body};
            fields(message, request);
            message.prepare_payload();
            lowest.expires_after(options_.io_timeout);
            auto [ec, bytes] = co_await bhttp::async_write(stream_, message, use_tuple);
            (void)bytes;
            co_return ec ? Result<void>(tl::unexpected(fail(ec, "write"))) : Result<void>{};
        }
        co_return co_await write_streamed(request);
    }

    net::awaitable<Result<void>> write_streamed(const ClientRequest& request) {
        auto& lowest = beast::get_lowest_layer(stream_);
        bhttp::request<bhttp::empty_body> message{to_verb(request.method), request.target, 11};
        fields(message, request);
        message.chunked(true);
        bhttp::request_serializer<bhttp::empty_body> serializer{message};
        lowest.expires_after(options_.io_timeout);
        auto [ec, bytes] = co_await bhttp::async_write_header(stream_, serializer, use_tuple);
        std::vector<char> buffer(kPiece);
        for (;;) {
            if (ec) {
                co_return tl::unexpected(fail(ec, "write"));
            }
            auto produced = request.source(std::span<char>(buffer));
            if (!produced) {
                co_return tl::unexpected(produced.error().wrap(peer_ + ": request body"));
            }
            lowest.expires_after(options_.io_timeout);
            if (*produced == 0) {
                std::tie(ec, bytes) =
                    co_await net::async_write(stream_, bhttp::make_chunk_last(), use_tuple);
                co_return ec ? Result<void>(tl::unexpected(fail(ec, "write"))) : Result<void>{};
            }
            std::tie(ec, bytes) = co_await net::async_write(
                stream_, bhttp::make_chunk(net::buffer(buffer.data(), *produced)), use_tuple);
        }
    }

    net::awaitable<Result<ClientResponse>> read(Method method, const BodySink& sink) {
        auto& lowest = beast::get_lowest_layer(stream_);
        bhttp::response_parser<bhttp::buffer_body> parser;
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        if (method == Method::Head) {
            parser.skip(true);
        }
        lowest.expires_after(options_.io_timeout);
        auto [ec, bytes] = co_await bhttp::async_read_header(stream_, buffer_, parser, use_tuple);
        if (ec) {
            co_return tl::unexpected(fail(ec, "read"));
        }
        ClientResponse response;
        response.status = static_cast<int>(parser.get().result_int());
        response.content_type = std::string(parser.get()[bhttp::field::content_type]);
        std::array<char, kPiece> piece{};
        while (!parser.is_done()) {
            parser.get().body().data = piece.data();
            parser.get().body().size = piece.size();
            // io_timeout bounds each silence, not the whole body: read_some returns with what
            // has come (a progress line), where read would wait to fill the piece.
            lowest.expires_after(options_.io_timeout);
            std::tie(ec, bytes) =
                co_await bhttp::async_read_some(stream_, buffer_, parser, use_tuple);
            if (ec && ec != bhttp::error::need_buffer) {
                co_return tl::unexpected(fail(ec, "read body"));
            }
            const std::size_t got = piece.size() - parser.get().body().size;
            if (got == 0) {
                continue;
            }
            if (auto ok = sink(std::string_view(piece.data(), got)); !ok) {
                co_return tl::unexpected(ok.error());
            }
        }
        co_return response;
    }

    const ClientOptions& options_;
    std::string peer_;
    Stream stream_;
    beast::flat_buffer buffer_;
};

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {}

std::string Client::peer() const {
    return options_.peer_kind + " " + options_.host + ":" + std::to_string(options_.port);
}

Result<ClientResponse> Client::send(const ClientRequest& request, const BodySink& sink) {
    auto context = make_client_context(options_.tls);
    if (!context) {
        return tl::unexpected(context.error().wrap(peer()));
    }
    net::io_context ioc{1};
    Exchange exchange(options_, peer(), **context, ioc);
    Result<ClientResponse> result = make_error(ErrorCode::Internal, peer() + ": not run");
    net::co_spawn(ioc, exchange.run(request, sink),
                  [&result, this](const std::exception_ptr& error, Result<ClientResponse> value) {
                      if (error) {
                          result = make_error(ErrorCode::Internal, peer() + ": request failed");
                          return;
                      }
                      result = std::move(value);
                  });
    ioc.run();
    return result;
}

Result<ClientResponse> Client::send(const ClientRequest& request) {
    std::string body;
    const auto limit = options_.max_body_bytes;
    auto response = send(request, [&body, limit, this](std::string_view piece) -> Result<void> {
        if (body.size() + piece.size() > limit) {
            return make_error(ErrorCode::DataLoss, peer() + ": response body over " +
                                                       std::to_string(limit) + " bytes");
        }
        body.append(piece);
        return {};
    });
    if (response) {
        response->body = std::move(body);
    }
    return response;
}

Result<ClientResponse> Client::get(std::string target) {
    ClientRequest request;
    request.target = std::move(target);
    return send(request);
}

Result<ClientResponse> Client::post(std::string target, std::string body,
                                    std::string content_type) {
    ClientRequest request;
    request.method = Method::Post;
    request.target = std::move(target);
    request.body = std::move(body);
    request.content_type = std::move(content_type);
    return send(request);
}

}  // namespace mha::http
