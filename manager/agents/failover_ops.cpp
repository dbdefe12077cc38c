#include "manager/agents/failover_ops.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/binlog/event_reader.hpp"
#include "common/http/client.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/agents/apply_progress.hpp"

namespace mha::manager {
namespace {

/// Streams (transfers, an apply's progress lines) may last any time; each read waits up to
/// the server's agent_silence_timeout.
http::ClientOptions options_for(const config::ServerConfig& s, std::chrono::milliseconds timeout) {
    return agent_client_options(s, timeout, std::chrono::seconds(s.agent_silence_timeout));
}

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string error_of(const std::string& peer, const std::string& what,
                     const http::ClientResponse& r) {
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    std::string message = "HTTP " + std::to_string(r.status);
    if (!body.is_discarded() && body.is_object() && body.contains("message")) {
        message += ": " + body["message"].get<std::string>();
    }
    return peer + ": " + what + ": " + message;
}

/// GETs `target` into the file `out`. Errors name the agent.
Result<void> download(const config::ServerConfig& s, std::chrono::milliseconds timeout,
                      const std::string& target, const std::string& out) {
    http::Client client(options_for(s, timeout));
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    if (!file) {
        return make_error(ErrorCode::Unavailable, out + ": cannot write");
    }
    std::string error_body;
    auto r = client.send(http::ClientRequest{http::Method::Get, target, "", "", {}},
                         [&](std::string_view piece) -> Result<void> {
                             file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
                             if (error_body.size() < 4096) {
                                 error_body.append(piece.substr(0, 4096));
                             }
                             return {};
                         });
    file.close();
    if (!r) {
        return tl::unexpected(r.error());
    }
    if (r->status != 200) {
        r->body = error_body;
        std::remove(out.c_str());
        return make_error(r->status == 404 ? ErrorCode::NotFound : ErrorCode::FailedPrecondition,
                          error_of(client.peer(), target.substr(0, target.find('?')), *r));
    }
    return {};
}

}  // namespace

Result<std::uint64_t> data_event_bytes(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) == 0 && !ec) {
        return std::uint64_t{0};  // nothing after the position: the agent sent no stream
    }
    auto reader = binlog::EventReader::open_file(path);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    std::uint64_t bytes = 0;
    auto counted = binlog::for_each_event(*reader, [&bytes](const binlog::Event& event) {
        switch (event.type()) {
            case binlog::EventType::FormatDescription:
            case binlog::EventType::Rotate:
            case binlog::EventType::MariadbGtidList:
            case binlog::EventType::BinlogCheckpoint:
            case binlog::EventType::MysqlPreviousGtids:
            case binlog::EventType::Stop:
            case binlog::EventType::Heartbeat:
                break;
            default:
                bytes += event.header.event_size;
        }
        return Result<void>{};
    });
    if (!counted) {
        return tl::unexpected(counted.error());
    }
    return bytes;
}

bool AgentFailoverOps::reachable(const config::ServerConfig& server) {
    AgentClient agent(server, timeout_);
    return agent.health().has_value();
}

Result<std::string> AgentFailoverOps::fence(const config::ServerConfig& server) {
    http::Client client(options_for(server, timeout_));
    auto r = client.post(std::string(proto::kRouteFence), "{}");
    if (!r) {
        return tl::unexpected(r.error());
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || body.is_discarded()) {
        return make_error(ErrorCode::Aborted, error_of(client.peer(), "fence", *r));
    }
    auto f = body.get<proto::FenceResult>();
    return f.action + (f.fence_file_written ? ", fence file " + f.fence_file + " written" : "");
}

Result<bool> AgentFailoverOps::answers_to(const config::ServerConfig& from,
                                          const config::ServerConfig& target) {
    AgentClient agent(from, timeout_);
    auto probe = agent.probe(target.hostname, target.port, 1000);
    if (!probe) {
        return tl::unexpected(probe.error());
    }
    return probe->answers;
}

Result<std::uint64_t> AgentFailoverOps::save_binlog(const config::ServerConfig& dead,
                                                    const BinlogCoord& from,
                                                    const std::string& out) {
    std::string target = std::string(proto::kRouteBinlogFilePrefix) + url_encode(from.file) +
                         "?from=" + std::to_string(from.pos);
    if (auto r = download(dead, timeout_, target, out); !r) {
        return tl::unexpected(r.error());
    }
    return data_event_bytes(out);
}

Result<std::vector<std::string>> AgentFailoverOps::binlog_files(
    const config::ServerConfig& server) {
    http::Client client(options_for(server, timeout_));
    auto r = client.get(std::string(proto::kRouteBinlogs));
    if (!r) {
        return tl::unexpected(r.error());
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || body.is_discarded() || !body.is_object()) {
        return make_error(ErrorCode::Unavailable, error_of(client.peer(), "binlog list", *r));
    }
    std::vector<std::string> names;
    for (const auto& f : body.get<proto::BinlogList>().binlogs) {
        names.push_back(f.name);
    }
    return names;
}

Result<BinlogCoord> AgentFailoverOps::relay_end(const config::ServerConfig& server) {
    http::Client client(options_for(server, timeout_));
    auto r = client.get(std::string(proto::kRouteRelayEnd));
    if (!r) {
        return tl::unexpected(r.error());
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || body.is_discarded() || !body.is_object()) {
        return make_error(ErrorCode::Unavailable, error_of(client.peer(), "relay-log end", *r));
    }
    try {
        const auto end = body.get<proto::RelayLogPosition>();
        if (end.master_file.empty()) {
            return make_error(ErrorCode::InvalidArgument,
                              client.peer() + ": relay-log end without a master file");
        }
        return BinlogCoord{end.master_file, end.master_pos};
    } catch (const nlohmann::json::exception& e) {
        return make_error(ErrorCode::InvalidArgument,
                          client.peer() + ": relay-log end: " + std::string(e.what()));
    }
}

Result<void> AgentFailoverOps::relay_position(const config::ServerConfig& latest,
                                              const BinlogCoord& from) {
    http::Client client(options_for(latest, timeout_));
    auto r = client.get(std::string(proto::kRouteRelayPosition) + "?master_file=" +
                        url_encode(from.file) + "&master_pos=" + std::to_string(from.pos) +
                        "&inside_transaction=1");
    if (!r) {
        return tl::unexpected(r.error());
    }
    if (r->status != 200) {
        return make_error(ErrorCode::NotFound, error_of(client.peer(), "relay-log position", *r));
    }
    return {};
}

Result<std::uint64_t> AgentFailoverOps::relay_diff(const config::ServerConfig& latest,
                                                   const BinlogCoord& from,
                                                   const std::string& out) {
    std::string target = std::string(proto::kRouteRelayDiff) +
                         "?master_file=" + url_encode(from.file) +
                         "&master_pos=" + std::to_string(from.pos);
    if (auto r = download(latest, timeout_, target, out); !r) {
        return tl::unexpected(r.error());
    }
    return data_event_bytes(out);
}

Result<ApplyOutcome> AgentFailoverOps::apply(const config::ServerConfig& target,
                                             const std::vector<std::string>& segments) {
    http::Client client(options_for(target, timeout_));
    std::size_t current = 0;
    std::ifstream file;
    const auto interval = progress_interval(std::chrono::seconds(target.agent_silence_timeout));
    http::ClientRequest request;
    request.method = http::Method::Post;
    request.target = std::string(proto::kRouteApply) +
                     "?progress_ms=" + std::to_string(interval.count()) +
                     (target.disable_log_bin ? "&disable_log_bin=1" : "");
    request.content_type = "application/octet-stream";
    // The segments go out one after another as one streamed body.
    request.source = [&](std::span<char> buffer) -> Result<std::size_t> {
        while (current < segments.size()) {
            if (!file.is_open()) {
                file.open(segments[current], std::ios::binary);
                if (!file) {
                    return make_error(ErrorCode::NotFound, segments[current] + ": cannot read");
                }
            }
            file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            auto n = static_cast<std::size_t>(file.gcount());
            if (n > 0) {
                return n;
            }
            file.close();
            ++current;
        }
        return std::size_t{0};
    };
    // The answer: progress lines (logged as they come, so a long apply shows it is alive)
    // and one last line; errors before the apply started come as one JSON body.
    ApplyLines lines(target.hostname + "(" + (target.ip.empty() ? target.hostname : target.ip) +
                     ":" + std::to_string(target.port) + ")");
    auto r = client.send(request, [&lines](std::string_view piece) { return lines.feed(piece); });
    if (!r) {
        return tl::unexpected(r.error().wrap(lines.where()));
    }
    auto end = lines.finish(r->status);
    if (!end) {
        return make_error(ErrorCode::Aborted, client.peer() + ": apply: " + end.error().message);
    }
    const auto& a = *end;
    ApplyOutcome out;
    out.events = a.events;
    out.transactions = a.transactions;
    out.binlog = {a.binlog_file, a.binlog_pos};
    out.gtid_binlog_pos = a.gtid_binlog_pos;
    out.master_reached = {a.master_log_file, a.master_log_pos};
    return out;
}

}  // namespace mha::manager
