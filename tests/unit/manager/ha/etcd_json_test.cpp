#include "manager/ha/etcd_json.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace mha::manager::ha;
using nlohmann::json;

TEST_CASE("etcd json: base64 as protobuf writes bytes", "[ha]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("/mha/app1/leader") == "L21oYS9hcHAxL2xlYWRlcg==");
    for (const auto& s :
         std::vector<std::string>{"", "a", "ab", "abc", std::string("\0\xff\x10", 3)}) {
        auto back = base64_decode(base64_encode(s));
        REQUIRE(back);
        CHECK(*back == s);
    }
    CHECK_FALSE(base64_decode("Zm9!"));  // a character outside the alphabet
    CHECK_FALSE(base64_decode("Zm9"));   // not a multiple of 4
}

TEST_CASE("etcd json: a txn body carries base64 keys and int64 as strings", "[ha]") {
    TxnRequest txn;
    txn.compare.push_back(Compare{"k", Compare::Target::Create, 0});
    txn.success.push_back(TxnOp{TxnOp::Kind::Put, "k", "v", 7});
    txn.failure.push_back(TxnOp{TxnOp::Kind::Range, "k", "", 0});
    const auto body = txn_body(txn);
    CHECK(
        body["compare"][0] ==
        json{{"key", "aw=="}, {"target", "CREATE"}, {"result", "EQUAL"}, {"create_revision", "0"}});
    CHECK(body["success"][0]["request_put"] ==
          json{{"key", "aw=="}, {"value", "dg=="}, {"lease", "7"}});
    CHECK(body["failure"][0]["request_range"] == json{{"key", "aw=="}});
    CHECK(lease_grant_body(5) == json{{"TTL", "5"}});
    CHECK(lease_id_body(42) == json{{"ID", "42"}});
}

TEST_CASE("etcd json: answers as the gateway writes them", "[ha]") {
    // a failed create-if-absent: the failure branch read the holder
    const auto answer = json::parse(R"({"header": {"revision": "17"}, "responses": [
        {"response_range": {"kvs": [{"key": "aw==", "value": "dg==", "create_revision": "12",
         "mod_revision": "12", "version": "1", "lease": "7587"}], "count": "1"}}]})");
    auto txn = parse_txn(answer);
    REQUIRE(txn);
    CHECK_FALSE(txn->succeeded);  // absent: false
    CHECK(txn->revision == 17);
    REQUIRE(txn->ranges.size() == 1);
    REQUIRE(txn->ranges[0]);
    CHECK(txn->ranges[0]->key == "k");
    CHECK(txn->ranges[0]->value == "v");
    CHECK(txn->ranges[0]->create_revision == 12);
    CHECK(txn->ranges[0]->lease == 7587);
    auto empty = parse_range(json::parse(R"({"header": {"revision": "3"}})"));
    REQUIRE(empty);
    CHECK_FALSE(*empty);
    CHECK_FALSE(parse_range(json::parse(R"({"kvs": [{"key": "not base64!"}]})")));
    auto grant = parse_lease_grant(json::parse(R"({"ID": "7587", "TTL": "5"})"));
    REQUIRE(grant);
    CHECK(grant->id == 7587);
    CHECK(grant->ttl == 5);
    CHECK_FALSE(parse_lease_grant(json::parse(R"({"ID": "0", "TTL": "5"})")));
    auto gone = parse_keep_alive(json::parse(R"({"result": {"ID": "7587"}})"));
    REQUIRE(gone);
    CHECK(gone->ttl == 0);  // the lease no longer exists
    CHECK_FALSE(parse_keep_alive(json::parse(R"({"error": "x"})")));
    CHECK(gateway_error(json::parse(R"({"error": "etcdserver: requested lease not found",
        "code": 5})")) == std::optional<std::string>("etcdserver: requested lease not found "
                                                     "(gRPC code 5)"));
    CHECK_FALSE(gateway_error(json::parse(R"({"header": {}})")));
    CHECK(int64_field(json::parse(R"({"a": "12", "b": 13})"), "a") == 12);
    CHECK(int64_field(json::parse(R"({"a": "12", "b": 13})"), "b") == 13);
    CHECK(int64_field(json::object(), "c") == 0);
    CHECK_FALSE(int64_field(json::parse(R"({"a": "x1"})"), "a"));
}
