#include "common/http/detail/beast.hpp"

#include <openssl/ssl.h>

namespace mha::http::detail {

namespace {

// TLS 1.2 only: ECDHE with ECDSA certificates and AEAD ciphers (Mozilla "intermediate" subset).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305";

Result<void> set_min_version(ssl::context& context, const std::string& version) {
    int floor = 0;
    if (version == "1.3") {
        floor = TLS1_3_VERSION;
    } else if (version == "1.2") {
        floor = TLS1_2_VERSION;
    } else {
        return make_error(ErrorCode::InvalidArgument,
                          "tls_min_version: expected 1.3 or 1.2, got '" + version + "'");
    }
    SSL_CTX_set_min_proto_version(context.native_handle(), floor);
    if (SSL_CTX_set_cipher_list(context.native_handle(), kTls12Ciphers) != 1) {
        return make_error(ErrorCode::Internal, "cannot set the TLS 1.2 cipher list");
    }
    return {};
}

Result<void> load_files(ssl::context& context, const TlsFiles& files, bool own_required) {
    boost::system::error_code ec;
    if (files.ca.empty()) {
        return make_error(ErrorCode::InvalidArgument, "tls_ca: no CA file configured");
    }
    if (context.load_verify_file(files.ca, ec); ec) {
        return make_error(ErrorCode::InvalidArgument, "tls_ca " + files.ca + ": " + ec.message());
    }
    if (files.cert.empty() && files.key.empty() && !own_required) {
        return {};
    }
    if (context.use_certificate_chain_file(files.cert, ec); ec) {
        return make_error(ErrorCode::InvalidArgument,
                          "tls_cert " + files.cert + ": " + ec.message());
    }
    if (context.use_private_key_file(files.key, ssl::context::pem, ec); ec) {
        return make_error(ErrorCode::InvalidArgument, "tls_key " + files.key + ": " + ec.message());
    }
    if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
        return make_error(ErrorCode::InvalidArgument,
                          "tls_key " + files.key + ": does not match tls_cert " + files.cert);
    }
    return {};
}

Result<std::shared_ptr<ssl::context>> make_context(const TlsFiles& files, bool server) {
    auto context = std::make_shared<ssl::context>(server ? ssl::context::tls_server
                                                         : ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                         SSL_OP_NO_RENEGOTIATION);
    if (auto ok = set_min_version(*context, files.min_version); !ok) {
        return tl::unexpected(ok.error());
    }
    if (auto ok = load_files(*context, files, server); !ok) {
        return tl::unexpected(ok.error());
    }
    auto mode = ssl::verify_peer;
    if (server) {
        mode |= ssl::verify_fail_if_no_peer_cert;
    }
    context->set_verify_mode(mode);
    return context;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_context(const TlsFiles& files) {
    return make_context(files, true);
}

Result<std::shared_ptr<ssl::context>> make_client_context(const TlsFiles& files) {
    return make_context(files, false);
}

bool is_parse_error(const boost::system::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

bool is_disconnect(const boost::system::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
           ec == ssl::error::stream_truncated || ec == net::error::eof ||
           ec == net::error::connection_reset || ec == net::error::broken_pipe ||
           ec == net::error::operation_aborted;
}

Error transport_error(const boost::system::error_code& ec, const std::string& what) {
    if (ec == beast::error::timeout) {
        return Error{ErrorCode::DeadlineExceeded, what + ": timed out"};
    }
    if (is_parse_error(ec)) {
        return Error{ErrorCode::InvalidArgument, what + ": " + ec.message()};
    }
    return Error{ErrorCode::Unavailable, what + ": " + ec.message(), ec.value()};
}

}  // namespace mha::http::detail
