#include "agent/log/routes.hpp"

#include <sys/stat.h>

#include <memory>

#include "agent/apply/route.hpp"
#include "agent/log/local.hpp"
#include "agent/log/params.hpp"
#include "agent/log/stream.hpp"
#include "agent/purge_relay.hpp"
#include "common/binlog/log_index.hpp"
#include "common/log/log.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {
namespace {

constexpr std::size_t kFlushBytes = 256 * 1024;

/// Collects stream bytes into pieces of ~256 KB for the HTTP body (bounded memory).
class BufferedBody {
public:
    explicit BufferedBody(http::BodyWriter& writer) : writer_(writer) {
        buffer_.reserve(kFlushBytes);
    }

    Result<void> write(std::span<const std::uint8_t> bytes) {
        buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return buffer_.size() >= kFlushBytes ? flush() : Result<void>{};
    }
    Result<void> flush() {
        auto ok = writer_.write(buffer_);
        buffer_.clear();
        return ok;
    }

private:
    http::BodyWriter& writer_;
    std::string buffer_;
};

std::uint64_t file_size(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

/// A streamed binlog answer: `run` fills the stream; a failure after the first byte cuts it.
template <class Run>
http::Response binlog_stream(const char* what, Run run) {
    return http::Response::stream(
        200, "application/octet-stream", [what, run](http::BodyWriter& writer) -> Result<void> {
            BufferedBody body(writer);
            CoordinatedStream out(
                [&body](std::span<const std::uint8_t> b) { return body.write(b); });
            auto ok = run(out);
            if (!ok) {
                mha::log::get("agent")->error("{}: {}", what, ok.error().message);
                return ok;
            }
            return body.flush();
        });
}

http::Response list_binlogs(const config::AgentConfig& config) {
    auto logs = list_logs(config, LogKind::Binlog);
    if (!logs) {
        return http::Response::from_error(logs.error());
    }
    proto::BinlogList list{logs->index, {}};
    for (const auto& f : logs->files) {
        list.binlogs.push_back({binlog::base_name(f), file_size(f)});
    }
    return http::Response::json(200, nlohmann::json(list));
}

http::Response get_binlog(const config::AgentConfig& config, const http::Request& request) {
    const std::string rest = request.path.substr(proto::kRouteBinlogFilePrefix.size());
    auto params = parse_binlog_stream(rest, request.query);
    if (!params) {
        return http::Response::from_error(params.error());
    }
    auto logs = list_logs(config, LogKind::Binlog);
    if (!logs) {
        return http::Response::from_error(logs.error());
    }
    auto path = resolve_listed_log(params->file, logs->files, logs->dir);
    if (!path) {
        return http::Response::from_error(path.error());
    }
    if (auto ok = check_boundary(*path, params->from); !ok) {
        return http::Response::from_error(ok.error());
    }
    std::size_t index = 0;
    while (logs->files[index] != *path) {
        ++index;
    }
    auto files = std::make_shared<std::vector<std::string>>(std::move(logs->files));
    const std::uint64_t from = params->from;
    return binlog_stream("binlog stream", [files, index, from](CoordinatedStream& out) {
        return stream_binlogs(*files, index, from, out);
    });
}

struct RelayLookup {
    std::vector<std::string> files;
    binlog::RelayPosition position;
};

Result<RelayLookup> lookup_relay(const config::AgentConfig& config, const http::Request& request,
                                 bool allow_inside_transaction) {
    auto coords = parse_master_coordinates(request.query);
    if (!coords) {
        return tl::unexpected(coords.error());
    }
    auto logs = list_logs(config, LogKind::RelayLog);
    if (!logs) {
        return tl::unexpected(logs.error());
    }
    binlog::RelayLookupOptions options;
    options.allow_inside_transaction = allow_inside_transaction;
    auto position = binlog::find_relay_position(logs->files, {coords->file, coords->pos}, options);
    if (!position) {
        return tl::unexpected(position.error());
    }
    return RelayLookup{std::move(logs->files), std::move(*position)};
}

http::Response relay_position(const config::AgentConfig& config, const http::Request& request) {
    // 409 for a position inside a transaction unless the caller asks for it (as a diff does).
    bool inside = false;
    if (auto flag = request.param("inside_transaction")) {
        auto parsed = parse_flag("inside_transaction", *flag);
        if (!parsed) {
            return http::Response::from_error(parsed.error());
        }
        inside = *parsed;
    }
    auto found = lookup_relay(config, request, inside);
    if (!found) {
        return http::Response::from_error(found.error());
    }
    const auto& p = found->position;
    proto::RelayLogPosition answer{*request.param("master_file"),
                                   std::stoull(*request.param("master_pos")),
                                   binlog::base_name(p.file), p.pos, false};
    answer.at_end = p.file == found->files.back() && p.pos >= file_size(p.file);
    return http::Response::json(200, nlohmann::json(answer));
}

http::Response relay_diff(const config::AgentConfig& config, const http::Request& request) {
    // MHA's diff starts right after the last event the target received, even mid-transaction:
    // the apply joins it to the target's own partial transaction in one stream.
    auto found = lookup_relay(config, request, true);
    if (!found) {
        return http::Response::from_error(found.error());
    }
    auto shared = std::make_shared<RelayLookup>(std::move(*found));
    return binlog_stream("relay-log diff", [shared](CoordinatedStream& out) {
        return stream_relay_logs(shared->files, shared->position, out);
    });
}

http::Response relay_end(const config::AgentConfig& config) {
    auto logs = list_logs(config, LogKind::RelayLog);
    if (!logs) {
        return http::Response::from_error(logs.error());
    }
    if (logs->files.empty()) {
        return http::Response::from_error(
            Error{ErrorCode::NotFound, "no relay log is listed in " + logs->index});
    }
    auto end = binlog::relay_end(logs->files);
    if (!end) {
        return http::Response::from_error(end.error());
    }
    const auto& last = logs->files.back();
    proto::RelayLogPosition answer{end->file, end->pos, binlog::base_name(last), file_size(last),
                                   true};
    return http::Response::json(200, nlohmann::json(answer));
}

}  // namespace

void add_log_routes(http::Router& router, const config::AgentConfig& config) {
    using http::Method;
    using http::Request;
    // Every log route reads files or streams for as long as they take: the slow-work pool, so
    // /health, /metrics and fencing never wait behind them.
    constexpr http::RouteOptions kSlow{.slow = true};
    // `config` outlives the router (agent.cpp keeps both for the server's lifetime).
    router.add(
        Method::Get, std::string(proto::kRouteBinlogs),
        [&config](const Request&) { return list_binlogs(config); }, kSlow);
    router.add(
        Method::Get, std::string(proto::kRouteBinlogFilePrefix),
        [&config](const Request& r) { return get_binlog(config, r); },
        http::RouteOptions{.match_prefix = true, .slow = true});
    router.add(
        Method::Get, std::string(proto::kRouteRelayPosition),
        [&config](const Request& r) { return relay_position(config, r); }, kSlow);
    router.add(
        Method::Get, std::string(proto::kRouteRelayDiff),
        [&config](const Request& r) { return relay_diff(config, r); }, kSlow);
    router.add(
        Method::Get, std::string(proto::kRouteRelayEnd),
        [&config](const Request&) { return relay_end(config); }, kSlow);
    router.add(
        Method::Post, std::string(proto::kRouteApply),
        [&config](const Request& r) { return apply_route(config, r); },
        http::RouteOptions{.stream_request_body = true, .slow = true});
    router.add(
        Method::Post, std::string(proto::kRouteRelayPurge),
        [&config](const Request& r) { return purge_route(config, r); }, kSlow);
}

}  // namespace mha::agent
