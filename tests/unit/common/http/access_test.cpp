#include "common/http/access.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/http/response.hpp"
#include "common/http/router.hpp"

using mha::config::ClientRole;
using mha::http::Method;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

// A self-signed certificate with CN `cn` and, when `san` is not empty, that subjectAltName
// ("DNS:intruder,IP:10.0.0.9").
X509Ptr make_certificate(const std::string& cn, const std::string& san) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    X509Ptr cert(X509_new(), &X509_free);
    X509_set_version(cert.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (!san.empty()) {
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
        X509_EXTENSION* ext =
            X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(cert.get(), key.get(), EVP_sha256());
    return cert;
}

}  // namespace

TEST_CASE("certificate_names: a SAN hides the CN; the CN counts only without a SAN", "[http]") {
    const std::map<std::string, ClientRole> allowed{{"mha-manager", ClientRole::Manager}};
    SECTION("SAN names only, CN ignored") {
        auto cert = make_certificate("mha-manager", "DNS:intruder,IP:10.0.0.9");
        const auto names = mha::http::certificate_names(cert.get());
        CHECK(names == std::vector<std::string>{"intruder", "10.0.0.9"});
        CHECK_FALSE(mha::http::identify_client(names, allowed));
    }
    SECTION("no SAN: the CN") {
        auto cert = make_certificate("mha-manager", "");
        const auto names = mha::http::certificate_names(cert.get());
        CHECK(names == std::vector<std::string>{"mha-manager"});
        CHECK(mha::http::identify_client(names, allowed));
    }
}

TEST_CASE("role_allows: manager everything, monitor only GET /health and /metrics", "[http]") {
    CHECK(mha::http::role_allows(ClientRole::Manager, Method::Post, "/v1/apply"));
    CHECK(mha::http::role_allows(ClientRole::Manager, Method::Get, "/health"));
    CHECK(mha::http::role_allows(ClientRole::Monitor, Method::Get, "/health"));
    CHECK(mha::http::role_allows(ClientRole::Monitor, Method::Head, "/health"));
    CHECK(mha::http::role_allows(ClientRole::Monitor, Method::Get, "/metrics"));
    CHECK_FALSE(mha::http::role_allows(ClientRole::Monitor, Method::Post, "/health"));
    CHECK_FALSE(mha::http::role_allows(ClientRole::Monitor, Method::Get, "/v1/binlogs"));
    CHECK_FALSE(mha::http::role_allows(ClientRole::Monitor, Method::Get, "/health/x"));
    CHECK_FALSE(mha::http::role_allows(ClientRole::Monitor, Method::Post, "/v1/fence"));
}

TEST_CASE("identify_client: the first certificate name on the allow-list decides", "[http]") {
    const std::map<std::string, ClientRole> allowed{{"mha-manager", ClientRole::Manager},
                                                    {"mha-monitor", ClientRole::Monitor},
                                                    {"10.0.0.5", ClientRole::Monitor}};
    CHECK_FALSE(mha::http::identify_client({}, allowed));
    CHECK_FALSE(mha::http::identify_client({"intruder", "MHA-MANAGER"}, allowed));
    auto manager = mha::http::identify_client({"intruder", "mha-manager"}, allowed);
    REQUIRE(manager);
    CHECK(manager->name == "mha-manager");
    CHECK(manager->role == ClientRole::Manager);
    auto by_ip = mha::http::identify_client({"10.0.0.5", "mha-manager"}, allowed);
    REQUIRE(by_ip);
    CHECK(by_ip->role == ClientRole::Monitor);
}

TEST_CASE("certificate_names: SAN DNS and IP entries, once each", "[http]") {
    SECTION("client certificate made by mha-certs") {
        auto names =
            mha::http::certificate_names_from_pem(read_file(MHA_TEST_CERTS "/manager.crt"));
        REQUIRE(names);
        CHECK(*names == std::vector<std::string>{"mha-manager"});
    }
    SECTION("agent certificate with a name and addresses") {
        auto names = mha::http::certificate_names_from_pem(
            read_file(MHA_TEST_CERTS "/agent-db2.example.crt"));
        REQUIRE(names);
        CHECK(*names == std::vector<std::string>{"db2.example", "10.0.0.2", "::1"});
    }
    SECTION("not a certificate") {
        CHECK_FALSE(mha::http::certificate_names_from_pem("garbage"));
        CHECK(mha::http::certificate_names(nullptr).empty());
    }
}

TEST_CASE("Router: exact paths, 404 and 405, HEAD served by GET", "[http]") {
    mha::http::Router router;
    router.add(Method::Get, "/health", [](const mha::http::Request&) {
        return mha::http::Response::json(200, {{"ok", true}});
    });
    router.add(Method::Post, "/v1/apply", [](const mha::http::Request&) {
        return mha::http::Response::json(200, nullptr);
    }, {true});
    CHECK(router.find(Method::Get, "/health").route != nullptr);
    CHECK(router.find(Method::Head, "/health").route->method == Method::Get);
    CHECK(router.find(Method::Post, "/v1/apply").route->options.stream_request_body);
    CHECK(router.find(Method::Post, "/health").status == 405);
    CHECK(router.find(Method::Get, "/healthz").status == 404);
    CHECK(router.find(Method::Get, "/health/").route == nullptr);
}

TEST_CASE("Response: JSON error bodies and status per error code", "[http]") {
    auto response = mha::http::Response::from_error(
        mha::Error{mha::ErrorCode::InvalidArgument, "master_pos: not a number"});
    CHECK(response.status == 400);
    CHECK(response.content_type == "application/json");
    auto body = nlohmann::json::parse(response.body);
    CHECK(body["error"] == "invalid_argument");
    CHECK(body["message"] == "master_pos: not a number");
    CHECK(mha::http::http_status(mha::ErrorCode::Unavailable) == 503);
    CHECK(mha::http::http_status(mha::ErrorCode::PermissionDenied) == 403);
    CHECK(mha::http::http_status(mha::ErrorCode::DeadlineExceeded) == 504);
    CHECK(mha::http::http_status(mha::ErrorCode::Internal) == 500);
}
