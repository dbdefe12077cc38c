#include "manager/ha/etcd_json.hpp"

#include <array>
#include <charconv>

namespace mha::manager::ha {
namespace {

using nlohmann::json;

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decode_char(char c) {
    const auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

tl::unexpected<Error> bad_answer(std::string_view what) {
    return make_error(ErrorCode::InvalidArgument, "etcd answer: " + std::string(what));
}

std::string_view target_name(Compare::Target target) {
    switch (target) {
        case Compare::Target::Create: return "CREATE";
        case Compare::Target::Mod: return "MOD";
        case Compare::Target::Version: return "VERSION";
        case Compare::Target::Lease: return "LEASE";
    }
    return "CREATE";
}

/// The field of etcdserverpb.Compare's target_union that goes with `target`.
std::string_view target_field(Compare::Target target) {
    switch (target) {
        case Compare::Target::Create: return "create_revision";
        case Compare::Target::Mod: return "mod_revision";
        case Compare::Target::Version: return "version";
        case Compare::Target::Lease: return "lease";
    }
    return "create_revision";
}

json op_body(const TxnOp& op) {
    switch (op.kind) {
        case TxnOp::Kind::Put: {
            json put = {{"key", base64_encode(op.key)}, {"value", base64_encode(op.value)}};
            if (op.lease != 0) {
                put["lease"] = std::to_string(op.lease);
            }
            return json{{"request_put", put}};
        }
        case TxnOp::Kind::Range: return json{{"request_range", range_body(op.key)}};
        case TxnOp::Kind::Delete:
            return json{{"request_delete_range", json{{"key", base64_encode(op.key)}}}};
    }
    return json::object();
}

Result<KeyValue> parse_kv(const json& kv) {
    if (!kv.is_object()) {
        return bad_answer("a key-value is not an object");
    }
    KeyValue out;
    for (auto [name, field] : {std::pair{"key", &out.key}, std::pair{"value", &out.value}}) {
        if (kv.contains(name)) {
            if (!kv[name].is_string()) {
                return bad_answer(std::string(name) + " is not a string");
            }
            auto decoded = base64_decode(kv[name].get<std::string>());
            if (!decoded) {
                return tl::unexpected(decoded.error().wrap("etcd answer: " + std::string(name)));
            }
            *field = std::move(*decoded);
        }
    }
    for (auto [name, field] : {std::pair{"create_revision", &out.create_revision},
                               std::pair{"mod_revision", &out.mod_revision},
                               std::pair{"version", &out.version}, std::pair{"lease", &out.lease}}) {
        auto value = int64_field(kv, name);
        if (!value) {
            return tl::unexpected(value.error());
        }
        *field = *value;
    }
    return out;
}

Result<std::int64_t> header_revision(const json& answer) {
    if (!answer.contains("header") || !answer["header"].is_object()) {
        return bad_answer("no header");
    }
    return int64_field(answer["header"], "revision");
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (const auto left = bytes.size() - i; left > 0) {
        auto n = static_cast<unsigned char>(bytes[i]) << 16;
        if (left == 2) {
            n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += left == 2 ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

Result<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return make_error(ErrorCode::InvalidArgument,
                          "base64: length " + std::to_string(text.size()) +
                              " is not a multiple of 4");
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        int pad = 0;  // only the last quartet may end in "=" or "=="
        if (i + 4 == text.size() && text[i + 3] == '=') {
            pad = text[i + 2] == '=' ? 2 : 1;
        }
        std::array<int, 4> v{};
        for (std::size_t j = 0; j < 4 - static_cast<std::size_t>(pad); ++j) {
            v[j] = decode_char(text[i + j]);
            if (v[j] < 0) {
                return make_error(ErrorCode::InvalidArgument,
                                  "base64: bad character at offset " + std::to_string(i + j));
            }
        }
        const auto n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
        out += static_cast<char>((n >> 16) & 0xff);
        if (pad < 2) {
            out += static_cast<char>((n >> 8) & 0xff);
        }
        if (pad < 1) {
            out += static_cast<char>(n & 0xff);
        }
    }
    return out;
}

Result<std::int64_t> int64_field(const json& object, std::string_view name) {
    const std::string key(name);
    if (!object.is_object() || !object.contains(key)) {
        return 0;
    }
    const auto& field = object[key];
    if (field.is_number_integer()) {
        return field.get<std::int64_t>();
    }
    if (field.is_string()) {
        const auto text = field.get<std::string>();
        std::int64_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty()) {
            return value;
        }
    }
    return bad_answer(key + " is not a 64-bit number");
}

json txn_body(const TxnRequest& txn) {
    json body = json::object();
    json compares = json::array();
    for (const auto& c : txn.compare) {
        compares.push_back({{"key", base64_encode(c.key)},
                            {"target", target_name(c.target)},
                            {"result", "EQUAL"},
                            {std::string(target_field(c.target)), std::to_string(c.value)}});
    }
    body["compare"] = compares;
    for (auto [name, ops] : {std::pair{"success", &txn.success}, std::pair{"failure", &txn.failure}}) {
        json list = json::array();
        for (const auto& op : *ops) {
            list.push_back(op_body(op));
        }
        body[name] = list;
    }
    return body;
}

json range_body(std::string_view key) { return json{{"key", base64_encode(key)}}; }

json lease_grant_body(std::int64_t ttl_seconds) { return json{{"TTL", std::to_string(ttl_seconds)}}; }

json lease_id_body(std::int64_t id) { return json{{"ID", std::to_string(id)}}; }

std::optional<std::string> gateway_error(const json& answer) {
    if (!answer.is_object() || !answer.contains("error")) {
        return std::nullopt;
    }
    std::string text = answer["error"].is_string() ? answer["error"].get<std::string>()
                                                   : answer["error"].dump();
    if (answer.contains("code") && answer["code"].is_number_integer()) {
        text += " (gRPC code " + std::to_string(answer["code"].get<int>()) + ")";
    }
    return text;
}

Result<TxnResponse> parse_txn(const json& answer) {
    TxnResponse out;
    auto revision = header_revision(answer);
    if (!revision) {
        return tl::unexpected(revision.error());
    }
    out.revision = *revision;
    out.succeeded = answer.value("succeeded", false);
    if (!answer.contains("responses")) {
        return out;
    }
    if (!answer["responses"].is_array()) {
        return bad_answer("responses is not a list");
    }
    for (const auto& r : answer["responses"]) {
        if (!r.is_object() || !r.contains("response_range")) {
            continue;  // a put's or a delete's answer: nothing to read
        }
        auto kv = parse_range(r["response_range"]);
        if (!kv) {
            return tl::unexpected(kv.error());
        }
        out.ranges.push_back(std::move(*kv));
    }
    return out;
}

Result<std::optional<KeyValue>> parse_range(const json& answer) {
    if (!answer.is_object()) {
        return bad_answer("a range answer is not an object");
    }
    if (!answer.contains("kvs")) {
        return std::optional<KeyValue>();
    }
    if (!answer["kvs"].is_array()) {
        return bad_answer("kvs is not a list");
    }
    if (answer["kvs"].empty()) {
        return std::optional<KeyValue>();
    }
    auto kv = parse_kv(answer["kvs"].front());
    if (!kv) {
        return tl::unexpected(kv.error());
    }
    return std::optional<KeyValue>(std::move(*kv));
}

Result<LeaseAnswer> parse_lease_grant(const json& answer) {
    if (auto error = answer.value("error", std::string()); !error.empty()) {
        return bad_answer("lease grant: " + error);
    }
    auto id = int64_field(answer, "ID");
    auto ttl = int64_field(answer, "TTL");
    if (!id || !ttl) {
        return tl::unexpected(!id ? id.error() : ttl.error());
    }
    if (*id == 0 || *ttl <= 0) {
        return bad_answer("lease grant without an ID and a TTL");
    }
    return LeaseAnswer{*id, *ttl};
}

Result<LeaseAnswer> parse_keep_alive(const json& answer) {
    if (!answer.is_object() || !answer.contains("result") || !answer["result"].is_object()) {
        return bad_answer("keep-alive without a result");
    }
    const auto& result = answer["result"];
    auto id = int64_field(result, "ID");
    auto ttl = int64_field(result, "TTL");
    if (!id || !ttl) {
        return tl::unexpected(!id ? id.error() : ttl.error());
    }
    return LeaseAnswer{*id, *ttl};
}

}  // namespace mha::manager::ha
