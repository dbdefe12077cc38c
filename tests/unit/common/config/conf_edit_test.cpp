#include "common/config/conf_edit.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

using namespace mha::config;

namespace {

const std::string kConf =
    "# app1 (hand-written)\r\n"
    "[server default]\n"
    "user=manager   \n"
    "\n"
    "# the old master\n"
    "[server1]\n"
    "hostname=10.0.0.1\n"
    "; keep me\n"
    "port=3306\n"
    "\n"
    "# the replica in dc2\n"
    "[server2]\n"
    "hostname=10.0.0.2\n"
    "\n"
    "[server3]\n"
    "hostname=10.0.0.3\n";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("ConfEdit: block names as masterha_conf_host makes them", "[config]") {
    CHECK(conf_host_block_name("100", "db101") == "server100");
    CHECK(conf_host_block_name("server7", "db101") == "server7");
    CHECK(conf_host_block_name("", "db101") == "server_db101");
    CHECK(conf_host_block_name("", "").empty());
}

TEST_CASE("ConfEdit: --params are checked against the parameter list", "[config]") {
    auto params = parse_conf_host_params("no_master=1; ignore_fail=1;password=a=b;");
    REQUIRE(params);
    CHECK(*params == ConfParams{{"no_master", "1"}, {"ignore_fail", "1"}, {"password", "a=b"}});
    CHECK(parse_conf_host_params("nomaster=1").error().message ==
          "params: nomaster: unknown parameter");
    CHECK(parse_conf_host_params("no_master").error().message ==
          "params: expected key=value;key=value");
}

TEST_CASE("ConfEdit: adding a block keeps every existing byte", "[config]") {
    auto out = add_conf_block(kConf, "app1.cnf", "server100", "db101", {{"no_master", "1"}});
    REQUIRE(out);
    CHECK(*out == kConf + "\n[server100]\nhostname=db101\nno_master=1\n");
    SECTION("a file without a final newline or ending in a blank line") {
        CHECK(*add_conf_block("[server1]\nhostname=a", "f", "server2", "b", {}) ==
              "[server1]\nhostname=a\n\n[server2]\nhostname=b\n");
        CHECK(*add_conf_block("[server1]\nhostname=a\n\n", "f", "server2", "b", {}) ==
              "[server1]\nhostname=a\n\n[server2]\nhostname=b\n");
        CHECK(*add_conf_block("", "f", "server2", "b", {}) == "[server2]\nhostname=b\n");
    }
    SECTION("an existing block") {
        auto again = add_conf_block(kConf, "app1.cnf", "server2", "db101", {});
        REQUIRE_FALSE(again);
        CHECK(again.error().code == mha::ErrorCode::AlreadyExists);
        CHECK(again.error().message == "Entry server2 already exists on app1.cnf .");
    }
    SECTION("a value with a line break cannot inject lines") {
        auto bad = add_conf_block(kConf, "app1.cnf", "server9", "db9\n[server1]", {});
        REQUIRE_FALSE(bad);
        CHECK(bad.error().message == "hostname: a value cannot contain a line break");
    }
}

TEST_CASE("ConfEdit: deleting a block keeps every other line and comment", "[config]") {
    SECTION("a middle block with an interleaved comment") {
        auto out = delete_conf_block(kConf, "app1.cnf", "server1");
        REQUIRE(out);
        CHECK(
            *out ==
            "# app1 (hand-written)\r\n[server default]\nuser=manager   \n\n# the old master\n"
            "# the replica in dc2\n[server2]\nhostname=10.0.0.2\n\n[server3]\nhostname=10.0.0.3\n");
    }
    SECTION("the block before another") {
        auto out = delete_conf_block(kConf, "app1.cnf", "server2");
        REQUIRE(out);
        CHECK(*out ==
              "# app1 (hand-written)\r\n[server default]\nuser=manager   \n\n# the old master\n"
              "[server1]\nhostname=10.0.0.1\n; keep me\nport=3306\n\n# the replica in dc2\n"
              "[server3]\nhostname=10.0.0.3\n");
    }
    SECTION("the last block") {
        auto out = delete_conf_block(kConf, "app1.cnf", "server3");
        REQUIRE(out);
        CHECK(*out == kConf.substr(0, kConf.find("\n[server3]")));
    }
    SECTION("an absent block") {
        auto out = delete_conf_block(kConf, "app1.cnf", "server9");
        REQUIRE_FALSE(out);
        CHECK(out.error().code == mha::ErrorCode::NotFound);
        CHECK(out.error().message == "Entry server9 not found from app1.cnf .");
    }
    SECTION("add then delete gives the file back") {
        auto added = add_conf_block(kConf, "f", "server_db101", "db101", {{"ignore_fail", "1"}});
        REQUIRE(added);
        CHECK(delete_conf_block(*added, "f", "server_db101") == kConf);
    }
}

TEST_CASE("ConfEdit: files are edited in place with their mode", "[config]") {
    const std::string path = "unit_config_conf_edit_test.cnf";
    {
        std::ofstream out(path, std::ios::binary);
        out << kConf;
    }
    REQUIRE(::chmod(path.c_str(), 0640) == 0);
    REQUIRE(add_conf_block_to_file(path, "server4", "10.0.0.4", {}));
    CHECK(slurp(path) == kConf + "\n[server4]\nhostname=10.0.0.4\n");
    REQUIRE(delete_conf_block_from_file(path, "server4"));
    CHECK(slurp(path) == kConf);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    std::remove(path.c_str());
    CHECK(delete_conf_block_from_file(path, "server4").error().code == mha::ErrorCode::NotFound);
}

TEST_CASE("ConfEdit: commenting a block out keeps it, and the file still loads without it",
          "[config]") {
    auto out = comment_conf_block(kConf, "app1.cnf", "server1", "failed over at T");
    REQUIRE(out);
    CHECK(*out ==
          "# app1 (hand-written)\r\n[server default]\nuser=manager   \n\n# the old master\n"
          "# failed over at T\n#[server1]\n#hostname=10.0.0.1\n#; keep me\n#port=3306\n\n"
          "# the replica in dc2\n[server2]\nhostname=10.0.0.2\n\n[server3]\nhostname=10.0.0.3\n");
    CHECK(delete_conf_block(*out, "f", "server1").error().code == mha::ErrorCode::NotFound);
    CHECK_FALSE(comment_conf_block(kConf, "f", "server9", "x"));
    CHECK_FALSE(comment_conf_block(kConf, "f", "server1", "two\nlines"));
}
