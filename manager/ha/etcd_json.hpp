#pragma once

// etcd v3's JSON gateway (grpc-gateway over etcdserverpb), the parts manager HA uses: keys and
// values travel base64-encoded, 64-bit numbers as decimal strings, fields at their zero value
// are left out of answers. Pure: building request bodies and reading answers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/result.hpp"

namespace mha::manager::ha {

/// RFC 4648 base64 with padding, as protobuf's JSON mapping writes `bytes`.
std::string base64_encode(std::string_view bytes);
/// Errors: InvalidArgument on a character outside the alphabet or a bad length.
Result<std::string> base64_decode(std::string_view text);

/// One key as etcd keeps it (mvccpb.KeyValue).
struct KeyValue {
    std::string key;
    std::string value;
    std::int64_t create_revision = 0;  ///< revision of the put that created it
    std::int64_t mod_revision = 0;     ///< revision of its last put
    std::int64_t version = 0;
    std::int64_t lease = 0;  ///< 0: none
};

/// A txn compare (etcdserverpb.Compare): `target` of `key` compared with a number.
struct Compare {
    enum class Target { Create, Mod, Version, Lease };
    std::string key;
    Target target = Target::Create;
    std::int64_t value = 0;  ///< compared for EQUAL
};

/// A txn operation: a put (with an optional lease), a range of one key, or a delete.
struct TxnOp {
    enum class Kind { Put, Range, Delete };
    Kind kind = Kind::Range;
    std::string key;
    std::string value;
    std::int64_t lease = 0;
};

/// A txn: if every compare holds, `success` runs, else `failure`.
struct TxnRequest {
    std::vector<Compare> compare;
    std::vector<TxnOp> success;
    std::vector<TxnOp> failure;
};

/// What a txn answered: which branch ran, the store's revision after it, and the key each
/// range operation of that branch read (nullopt when absent), in order.
struct TxnResponse {
    bool succeeded = false;
    std::int64_t revision = 0;
    std::vector<std::optional<KeyValue>> ranges;
};

/// A lease grant or keep-alive answer: TTL 0 means the lease no longer exists.
struct LeaseAnswer {
    std::int64_t id = 0;
    std::int64_t ttl = 0;
};

nlohmann::json txn_body(const TxnRequest& txn);
nlohmann::json range_body(std::string_view key);
nlohmann::json lease_grant_body(std::int64_t ttl_seconds);
nlohmann::json lease_id_body(std::int64_t id);  ///< keep-alive, revoke

/// Errors (InvalidArgument) name what is missing or malformed in the answer.
Result<TxnResponse> parse_txn(const nlohmann::json& answer);
Result<std::optional<KeyValue>> parse_range(const nlohmann::json& answer);
Result<LeaseAnswer> parse_lease_grant(const nlohmann::json& answer);
/// The keep-alive stream's first message, {"result": {...}}.
Result<LeaseAnswer> parse_keep_alive(const nlohmann::json& answer);

/// The gateway's error body ({"error": …, "code": N}), when `answer` is one: "etcdserver:
/// requested lease not found (gRPC code 5)".
std::optional<std::string> gateway_error(const nlohmann::json& answer);

/// A decimal string or number as the gateway writes int64 fields; absent is 0.
Result<std::int64_t> int64_field(const nlohmann::json& object, std::string_view name);

}  // namespace mha::manager::ha
