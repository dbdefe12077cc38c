#include "manager/failover/binlog_servers.hpp"

#include <cstdio>
#include <filesystem>
#include <future>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"
#include "common/binlog/log_index.hpp"
#include "common/binlog/transaction_tracker.hpp"
#include "common/log/log.hpp"

namespace mha::manager {

Result<CompleteEnd> keep_complete_transactions(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size == 0) {
        return CompleteEnd{};
    }
    auto reader = binlog::EventReader::open_file(path);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    CompleteEnd out;
    binlog::TransactionTracker tracker;
    std::string file;
    auto read = binlog::for_each_event(*reader, [&](const binlog::Event& e) -> Result<void> {
        const auto& fd = reader->format();
        if (e.type() == binlog::EventType::Rotate) {
            auto r = binlog::decode_rotate(e, fd);
            if (!r) {
                return tl::unexpected(r.error());
            }
            file = binlog::base_name(r->next_file);
        } else if (e.type() != binlog::EventType::FormatDescription) {
            const bool was_between = tracker.between();
            tracker.feed(e, fd);
            if (!was_between && tracker.between()) {
                ++out.transactions;
                out.end = BinlogCoord{file, e.header.log_pos};
            }
        }
        if (tracker.between()) {
            out.kept_bytes = e.end();  // a boundary: everything up to here is whole
        }
        return {};
    });
    if (!read) {
        return tl::unexpected(read.error().wrap(path));
    }
    out.cut_bytes = size - out.kept_bytes;
    if (out.cut_bytes > 0) {
        std::filesystem::resize_file(path, out.kept_bytes, ec);
        if (ec) {
            return make_error(ErrorCode::Internal, path + ": cannot cut: " + ec.message());
        }
    }
    return out;
}

const config::ServerConfig& binlog_source(const FailoverContext& ctx, std::size_t host) {
    if (host == ctx.dead && ctx.binlog_server) {
        return ctx.config.binlog_servers[*ctx.binlog_server].server;
    }
    return ctx.cfg(host);
}

std::string binlog_server_name(const config::ServerConfig& s) {
    return s.block + " (" + s.hostname + ")";
}

namespace {

/// A binlog server's copy of the master's events after `from` into `out`, cut after the last
/// whole transaction.
Result<CompleteEnd> save_whole_transactions(FailoverContext& ctx,
                                            const config::ServerConfig& server,
                                            const BinlogCoord& from, const std::string& out) {
    if (auto saved = ctx.agents.save_binlog(server, from, out); !saved) {
        return tl::unexpected(saved.error());
    }
    return keep_complete_transactions(out);
}

struct Salvaged {
    std::string file;
    CompleteEnd end;
    std::string error;
};

Salvaged salvage_one(FailoverContext& ctx, std::size_t k, const BinlogCoord& from) {
    const auto& server = ctx.config.binlog_servers[k].server;
    Salvaged s;
    s.file = ctx.work_file("saved_binlog_server_" + server.block + "_from", ctx.dead);
    auto end = save_whole_transactions(ctx, server, from, s.file);
    if (!end) {
        s.error = end.error().message;
        return s;
    }
    s.end = *end;
    return s;
}

}  // namespace

Result<std::uint64_t> save_dead_binlog(FailoverContext& ctx, std::size_t host,
                                       const BinlogCoord& from, const std::string& out) {
    if (!(host == ctx.dead && ctx.binlog_server)) {
        return ctx.agents.save_binlog(binlog_source(ctx, host), from, out);
    }
    auto kept = save_whole_transactions(ctx, binlog_source(ctx, host), from, out);
    if (!kept) {
        return tl::unexpected(kept.error());
    }
    return kept->transactions == 0 ? 0 : kept->kept_bytes;
}

bool salvage_from_binlog_servers(FailoverContext& ctx, const BinlogCoord& from) {
    auto log = log::get("failover");
    const auto& servers = ctx.config.binlog_servers;
    log->info("Salvaging the dead master's binlog events after {} from {} binlog server(s)..",
              from.str(), servers.size());
    std::vector<std::future<Salvaged>> asked;
    for (std::size_t k = 0; k < servers.size(); ++k) {
        asked.push_back(mha::log::async([&ctx, k, from] { return salvage_one(ctx, k, from); }));
    }
    std::optional<std::size_t> best;
    std::vector<Salvaged> got;
    for (std::size_t k = 0; k < asked.size(); ++k) {
        got.push_back(asked[k].get());
        const auto& s = got.back();
        const auto name = binlog_server_name(servers[k].server);
        if (!s.error.empty()) {
            log->warn(" binlog server {}: {}", name, s.error);
            ctx.report.push_back("Binlog server " + name + " gave nothing: " + s.error);
            continue;
        }
        if (s.end.transactions == 0) {
            log->info(" binlog server {}: no complete transaction after {}{}.", name, from.str(),
                      s.end.cut_bytes ? " (" + std::to_string(s.end.cut_bytes) +
                                            " bytes of an unfinished one cut off)"
                                      : "");
            continue;
        }
        log->info(" binlog server {}: {} complete transaction(s) after {}, up to {}{}.", name,
                  s.end.transactions, from.str(), s.end.end.str(),
                  s.end.cut_bytes ? " (" + std::to_string(s.end.cut_bytes) +
                                        " bytes of an unfinished transaction cut off)"
                                  : "");
        if (!best || got[*best].end.end < s.end.end) {
            best = k;
        }
    }
    for (std::size_t k = 0; k < got.size(); ++k) {
        if (k != best) {
            std::remove(got[k].file.c_str());
        }
    }
    if (!best) {
        return false;
    }
    const auto& won = got[*best];
    const auto name = binlog_server_name(servers[*best].server);
    ctx.saved_binlog = won.file;
    ctx.saved_from = from;
    ctx.salvaged_from_binlog_server = name;
    ctx.binlog_server = *best;
    ctx.salvaged_to = won.end.end;
    log->info(
        "Using binlog server {}: the dead master's events after {} up to {} ({} "
        "transaction(s), {} bytes) in {}.",
        name, from.str(), won.end.end.str(), won.end.transactions, won.end.kept_bytes, won.file);
    ctx.report.push_back("Saved " + std::to_string(won.end.kept_bytes) +
                         " bytes of binlog events of the dead master " + ctx.label(ctx.dead) +
                         " from binlog server " + name + ": " +
                         std::to_string(won.end.transactions) + " transaction(s) after " +
                         from.str() + " up to " + won.end.end.str() + ".");
    return true;
}

}  // namespace mha::manager
