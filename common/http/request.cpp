#include "common/http/request.hpp"

namespace mha::http {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Decoded text must hold no control character: inet_pton stops at a NUL ("127.0.0.1%00evil"
// would pass as 127.0.0.1) and a newline would end a log line.
Result<void> check_printable(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            return make_error(ErrorCode::InvalidArgument,
                              std::string("control character 0x") + kHex[byte >> 4U] +
                                  kHex[byte & 0xfU] + " not allowed");
        }
    }
    return {};
}

Result<void> add_param(std::string_view pair, std::multimap<std::string, std::string>& query) {
    if (pair.empty()) {
        return {};
    }
    const auto eq = pair.find('=');
    auto name = url_decode(pair.substr(0, eq), true);
    if (!name) {
        return tl::unexpected(name.error());
    }
    if (auto ok = check_printable(*name); !ok) {
        return tl::unexpected(ok.error().wrap("query parameter name"));
    }
    const std::string where = "query parameter " + *name;
    std::string value;
    if (eq != std::string_view::npos) {
        auto decoded = url_decode(pair.substr(eq + 1), true);
        if (!decoded) {
            return tl::unexpected(decoded.error().wrap(where));
        }
        value = std::move(*decoded);
    }
    if (auto ok = check_printable(value); !ok) {
        return tl::unexpected(ok.error().wrap(where));
    }
    // One meaning per name on every route: a repeated parameter is an error, not "the first".
    if (query.contains(*name)) {
        return make_error(ErrorCode::InvalidArgument, where + ": given more than once");
    }
    query.emplace(std::move(*name), std::move(value));
    return {};
}

}  // namespace

std::string_view method_name(Method method) {
    switch (method) {
        case Method::Get: return "GET";
        case Method::Head: return "HEAD";
        case Method::Post: return "POST";
        case Method::Put: return "PUT";
        case Method::Delete: return "DELETE";
        case Method::Other: break;
    }
    return "OTHER";
}

std::optional<std::string> Request::param(std::string_view name) const {
    const auto it = query.find(std::string(name));
    if (it == query.end()) {
        return std::nullopt;
    }
    return it->second;
}

Result<std::string> url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else if (c == '%') {
            const bool complete = i + 2 < text.size();
            const int hi = complete ? hex_value(text[i + 1]) : -1;
            const int lo = complete ? hex_value(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                return make_error(ErrorCode::InvalidArgument,
                                  "bad percent escape at offset " + std::to_string(i));
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Result<Target> parse_target(std::string_view target) {
    if (target.empty() || target.front() != '/') {
        return make_error(ErrorCode::InvalidArgument, "request target is not a path");
    }
    Target out;
    const auto qmark = target.find('?');
    auto path = url_decode(target.substr(0, qmark), false);
    if (!path) {
        return tl::unexpected(path.error().wrap("path"));
    }
    if (auto ok = check_printable(*path); !ok) {
        return tl::unexpected(ok.error().wrap("path"));
    }
    out.path = std::move(*path);
    if (qmark == std::string_view::npos) {
        return out;
    }
    std::string_view rest = target.substr(qmark + 1);
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
        rest = rest.substr(0, hash);
    }
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        if (auto added = add_param(rest.substr(0, amp), out.query); !added) {
            return tl::unexpected(added.error());
        }
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
    return out;
}

}  // namespace mha::http
