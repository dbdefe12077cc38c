#pragma once

// Private to common/http: Beast, Asio and SSL headers cost ~30 s per translation unit, so only
// this folder's .cpp files include them (STYLE.md, Build).

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "common/http/server.hpp"
#include "common/util/result.hpp"

namespace mha::http::detail {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

/// Completion token: no exceptions, (error_code, value…) tuples.
inline constexpr auto use_tuple = net::experimental::as_tuple(net::use_awaitable);

/// A server TLS context: certificate and key, client certificates required and verified
/// against files.ca, TLS 1.3 (or 1.2 with min_version "1.2") and ECDHE-ECDSA AEAD suites.
Result<std::shared_ptr<ssl::context>> make_server_context(const TlsFiles& files);

/// A client TLS context: trusts files.ca, presents files.cert/key when set.
Result<std::shared_ptr<ssl::context>> make_client_context(const TlsFiles& files);

/// Is `ec` a malformed-HTTP error (as opposed to an I/O one)?
bool is_parse_error(const boost::system::error_code& ec);

/// Is `ec` the peer going away (EOF, TLS truncation, reset) rather than a failure?
bool is_disconnect(const boost::system::error_code& ec);

/// Maps a transport error to a Result error: timeout → DeadlineExceeded, parse → InvalidArgument,
/// else Unavailable; the message is "<what>: <cause>".
Error transport_error(const boost::system::error_code& ec, const std::string& what);

}  // namespace mha::http::detail
