#include "common/http/server.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "common/http/client.hpp"

using mha::config::ClientRole;
using mha::http::Method;

namespace {

constexpr const char* kAddress = "127.0.3.10";
constexpr std::size_t kStreamBytes = 3 * 1024 * 1024 + 17;

mha::http::Router test_router() {
    mha::http::Router router;
    router.add(Method::Get, "/echo", [](const mha::http::Request& request) {
        return mha::http::Response::json(
            200, {{"x", request.param("x").value_or("")}, {"client", request.client.name}});
    });
    // Streams kStreamBytes in uneven pieces: byte i is 'a' + i % 26.
    router.add(Method::Get, "/download", [](const mha::http::Request&) {
        return mha::http::Response::stream(
            200, "application/octet-stream", [](mha::http::BodyWriter& writer) {
                std::size_t sent = 0;
                std::string piece;
                while (sent < kStreamBytes) {
                    piece.clear();
                    for (std::size_t i = 0; i < 10007 && sent + i < kStreamBytes; ++i) {
                        piece.push_back(static_cast<char>('a' + (sent + i) % 26));
                    }
                    if (auto ok = writer.write(piece); !ok) {
                        return ok;
                    }
                    sent += piece.size();
                }
                return mha::Result<void>{};
            });
    });
    // Ten lines, 150 ms apart: a slow stream that is never silent for long.
    router.add(Method::Get, "/trickle", [](const mha::http::Request&) {
        return mha::http::Response::stream(200, "text/plain", [](mha::http::BodyWriter& writer) {
            for (int i = 0; i < 10; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(150));
                if (auto ok = writer.write("line\n"); !ok) {
                    return ok;
                }
            }
            return mha::Result<void>{};
        });
    });
    // Counts a streamed request body larger than max_body_bytes without buffering it.
    router.add(
        Method::Post, "/upload",
        [](const mha::http::Request& request) {
            std::vector<char> buffer(4096);
            std::size_t total = 0;
            bool ordered = true;
            for (;;) {
                auto got = request.body_stream->read(buffer);
                if (!got) {
                    return mha::http::Response::from_error(got.error());
                }
                if (*got == 0) {
                    break;
                }
                for (std::size_t i = 0; i < *got; ++i) {
                    ordered = ordered && buffer[i] == static_cast<char>('a' + (total + i) % 26);
                }
                total += *got;
            }
            return mha::http::Response::json(200, {{"bytes", total}, {"ordered", ordered}});
        },
        {true});
    return router;
}

mha::http::TlsFiles client_tls(const std::string& name) {
    const std::string dir = MHA_TEST_CERTS;
    return {dir + "/ca.crt", dir + "/" + name + ".crt", dir + "/" + name + ".key", "1.3"};
}

/// A server on kAddress:0 running on its own thread for one test.
struct RunningServer {
    explicit RunningServer(std::chrono::milliseconds io_timeout = std::chrono::milliseconds(3000))
        : server(options(io_timeout), test_router()) {
        REQUIRE(server.start());
        thread = std::thread([this] { server.run(); });
    }
    ~RunningServer() {
        server.stop();
        thread.join();
    }
    static mha::http::ServerOptions options(
        std::chrono::milliseconds io_timeout = std::chrono::milliseconds(3000)) {
        mha::http::ServerOptions options;
        options.address = kAddress;
        options.port = 0;
        options.tls = client_tls("agent-" + std::string(kAddress));
        options.allowed_clients = {{"mha-manager", ClientRole::Manager},
                                   {"mha-monitor", ClientRole::Monitor}};
        options.max_body_bytes = 1024;
        options.io_timeout = io_timeout;
        options.worker_threads = 2;
        return options;
    }
    mha::http::Client client(const std::string& name, std::string server_name = "") {
        mha::http::ClientOptions options;
        options.host = kAddress;
        options.server_name = std::move(server_name);
        options.port = server.port();
        options.tls = client_tls(name);
        options.io_timeout = std::chrono::milliseconds(3000);
        return mha::http::Client(options);
    }
    mha::http::Server server;
    std::thread thread;
};

}  // namespace

TEST_CASE("Server: answers an allowed client with decoded query parameters", "[http][tls]") {
    RunningServer running;
    auto response = running.client("manager").get("/echo?x=a%20b");
    REQUIRE(response);
    CHECK(response->status == 200);
    auto body = nlohmann::json::parse(response->body);
    CHECK(body["x"] == "a b");
    CHECK(body["client"] == "mha-manager");
}

TEST_CASE("Server: 403 for names off the allow-list and for monitor off its routes",
          "[http][tls]") {
    RunningServer running;
    auto intruder = running.client("client-intruder").get("/echo");
    REQUIRE(intruder);
    CHECK(intruder->status == 403);
    CHECK(nlohmann::json::parse(intruder->body)["error"] == "permission_denied");
    auto monitor = running.client("monitor").get("/echo");
    REQUIRE(monitor);
    CHECK(monitor->status == 403);
}

TEST_CASE("Server: streams a response body to the client's sink in pieces", "[http][tls]") {
    RunningServer running;
    std::size_t total = 0;
    int pieces = 0;
    bool ordered = true;
    mha::http::ClientRequest request;
    request.target = "/download";
    auto response = running.client("manager").send(request, [&](std::string_view piece) {
        for (std::size_t i = 0; i < piece.size(); ++i) {
            ordered = ordered && piece[i] == static_cast<char>('a' + (total + i) % 26);
        }
        total += piece.size();
        ++pieces;
        return mha::Result<void>{};
    });
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->content_type == "application/octet-stream");
    CHECK(total == kStreamBytes);
    CHECK(pieces > 1);
    CHECK(ordered);
}

TEST_CASE("Server: a streamed request body passes the body limit of buffered routes",
          "[http][tls]") {
    RunningServer running;
    std::size_t produced = 0;
    mha::http::ClientRequest request;
    request.method = Method::Post;
    request.target = "/upload";
    request.content_type = "application/octet-stream";
    request.source = [&produced](std::span<char> buffer) -> mha::Result<std::size_t> {
        std::size_t n = 0;
        for (; n < buffer.size() && produced < kStreamBytes; ++n, ++produced) {
            buffer[n] = static_cast<char>('a' + produced % 26);
        }
        return n;
    };
    auto response = running.client("manager").send(request);
    REQUIRE(response);
    CHECK(response->status == 200);
    auto body = nlohmann::json::parse(response->body);
    CHECK(body["bytes"] == kStreamBytes);
    CHECK(body["ordered"] == true);

    auto too_big = running.client("manager").post("/echo", std::string(4096, 'x'));
    REQUIRE(too_big);
    CHECK(too_big->status == 405);
}

TEST_CASE("Client: refuses a server whose certificate does not name the host", "[http][tls]") {
    RunningServer running;
    auto named = running.client("manager", kAddress).get("/echo");
    REQUIRE(named);
    CHECK(named->status == 200);
    auto client = running.client("manager", "127.0.3.11");
    auto response = client.get("/echo");
    REQUIRE_FALSE(response);
    CHECK(response.error().code == mha::ErrorCode::Unavailable);
    CHECK(response.error().message.find("TLS handshake") != std::string::npos);
}

TEST_CASE("Client: connect errors name the peer", "[http][tls]") {
    mha::http::ClientOptions options;
    options.host = kAddress;
    options.port = 1;
    options.tls = client_tls("manager");
    auto response = mha::http::Client(options).get("/health");
    REQUIRE_FALSE(response);
    CHECK(response.error().message.find("agent 127.0.3.10:1: connect") == 0);
}

TEST_CASE("Server: start fails with a clear error on unreadable certificates", "[http][tls]") {
    auto options = RunningServer::options();
    options.tls.cert = "/nonexistent/agent.crt";
    mha::http::Server server(options, test_router());
    auto started = server.start();
    REQUIRE_FALSE(started);
    CHECK(started.error().message.find("tls_cert /nonexistent/agent.crt") == 0);
}

TEST_CASE("Server: on_response sees every answer with its route and status", "[http][tls]") {
    std::mutex mutex;
    std::vector<std::pair<std::string, int>> seen;
    auto options = RunningServer::options();
    options.on_response = [&](std::string_view route, int status) {
        const std::lock_guard lock(mutex);
        seen.emplace_back(route, status);
    };
    mha::http::Server server(options, test_router());
    REQUIRE(server.start());
    std::thread thread([&server] { server.run(); });
    mha::http::ClientOptions client_options;
    client_options.host = kAddress;
    client_options.port = server.port();
    client_options.io_timeout = std::chrono::milliseconds(3000);
    client_options.tls = client_tls("manager");
    mha::http::Client manager(client_options);
    client_options.tls = client_tls("monitor");
    mha::http::Client monitor(client_options);
    CHECK(manager.get("/echo")->status == 200);
    CHECK(manager.get("/nowhere")->status == 404);
    CHECK(monitor.get("/echo")->status == 403);
    server.stop();
    thread.join();
    const std::lock_guard lock(mutex);
    CHECK(seen ==
          std::vector<std::pair<std::string, int>>{{"/echo", 200}, {"", 404}, {"/echo", 403}});
}

TEST_CASE("Server: a streamed request body that stalls is answered at io_timeout", "[http][tls]") {
    RunningServer running(std::chrono::milliseconds(500));
    int calls = 0;
    mha::http::ClientRequest request;
    request.method = Method::Post;
    request.target = "/upload";
    request.content_type = "application/octet-stream";
    request.source = [&calls](std::span<char> buffer) -> mha::Result<std::size_t> {
        if (++calls == 1) {
            buffer[0] = 'a';
            return std::size_t{1};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the client stalls
        return std::size_t{0};
    };
    auto response = running.client("manager").send(request);
    REQUIRE(response);
    CHECK(response->status == 504);  // the handler's answer to DeadlineExceeded reached us
    CHECK(response->body.find("no bytes for") != std::string::npos);

    SECTION("a slow body that is never silent that long is read to its end") {
        std::size_t sent = 0;
        request.source = [&sent](std::span<char> buffer) -> mha::Result<std::size_t> {
            if (sent == 5) {
                return std::size_t{0};
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            buffer[0] = static_cast<char>('a' + sent++ % 26);
            return std::size_t{1};
        };
        auto slow = running.client("manager").send(request);
        REQUIRE(slow);
        CHECK(slow->status == 200);
        CHECK(nlohmann::json::parse(slow->body)["bytes"] == 5);
    }
}

TEST_CASE("Client: io_timeout bounds each silence of a streamed answer, not its length",
          "[http][tls]") {
    RunningServer running;
    mha::http::ClientOptions options;
    options.host = kAddress;
    options.port = running.server.port();
    options.tls = client_tls("manager");
    options.io_timeout = std::chrono::milliseconds(600);  // the answer takes 1.5 s
    mha::http::Client client(options);
    int lines = 0;
    mha::http::ClientRequest request;
    request.target = "/trickle";
    auto response = client.send(request, [&lines](std::string_view piece) {
        lines += static_cast<int>(std::count(piece.begin(), piece.end(), '\n'));
        return mha::Result<void>{};
    });
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(lines == 10);
}

TEST_CASE("Server: an authorize hook replaces the agent's role policy; refusals name the server",
          "[http][tls]") {
    auto options = RunningServer::options();
    options.name = "manager";
    options.authorize = [](ClientRole role, Method method, std::string_view path) {
        return role == ClientRole::Manager || (method == Method::Get && path != "/download");
    };
    mha::http::Server server(options, test_router());
    REQUIRE(server.start());
    std::thread thread([&server] { server.run(); });
    mha::http::ClientOptions client_options;
    client_options.host = kAddress;
    client_options.port = server.port();
    client_options.io_timeout = std::chrono::milliseconds(3000);
    client_options.tls = client_tls("monitor");
    mha::http::Client monitor(client_options);
    CHECK(monitor.get("/echo")->status == 200);  // the agent's policy would refuse it
    CHECK(monitor.get("/download")->status == 403);
    client_options.tls = client_tls("client-intruder");
    auto intruder = mha::http::Client(client_options).get("/echo");
    REQUIRE(intruder);
    CHECK(intruder->status == 403);
    CHECK(nlohmann::json::parse(intruder->body)["message"].get<std::string>().find(
              "is not on the manager's allow-list") != std::string::npos);
    server.stop();
    thread.join();
}
