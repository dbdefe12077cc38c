#include "manager/checks/errant_scan.hpp"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/agents/failover_ops.hpp"

namespace mha::manager {
namespace {

/// Sequence numbers of (domain, server) in `server`'s binlogs.
Result<std::vector<std::uint64_t>> scan_one(const config::AppConfig& config,
                                            const config::ServerConfig& server,
                                            std::uint32_t domain, std::uint32_t server_id) {
    AgentClient agent(server, std::chrono::seconds(5));
    auto listing = agent.binlogs();
    if (!listing) {
        return tl::unexpected(listing.error());
    }
    auto body = nlohmann::json::parse(*listing, nullptr, false);
    if (body.is_discarded() || !body.contains("binlogs") || body["binlogs"].empty()) {
        return make_error(ErrorCode::NotFound, agent.peer() + ": no binlog files listed");
    }
    const std::string first = body["binlogs"][0].value("name", "");
    const std::string out = config.manager_workdir() + "/errant_scan_" + server.hostname + "_" +
                            std::to_string(server.port) + "_" + std::to_string(::getpid()) +
                            ".binlog";
    AgentFailoverOps ops;
    auto saved = ops.save_binlog(server, BinlogCoord{first, 4}, out);
    std::vector<std::uint64_t> seqs;
    Result<void> read_ok;
    if (!saved) {
        read_ok = tl::unexpected(saved.error());
    } else if (*saved > 0) {
        auto reader = binlog::EventReader::open_file(out);
        if (!reader) {
            read_ok = tl::unexpected(reader.error());
        } else {
            read_ok = binlog::for_each_event(*reader, [&](const binlog::Event& event) {
                if (event.type() == binlog::EventType::MariadbGtid) {
                    auto g = binlog::decode_mariadb_gtid(event, reader->format());
                    if (g && g->gtid.domain_id == domain && g->gtid.server_id == server_id) {
                        seqs.push_back(g->gtid.seq_no);
                    }
                }
                return Result<void>{};
            });
        }
    }
    std::remove(out.c_str());
    if (!read_ok) {
        return tl::unexpected(read_ok.error());
    }
    return seqs;
}

}  // namespace

std::vector<ErrantScanResult> scan_binlogs_for_errant(
    const config::AppConfig& config, std::size_t master,
    const std::vector<ErrantScanRequest>& requests) {
    std::vector<ErrantScanResult> out;
    for (const auto& r : requests) {
        ErrantScanResult result{r.replica, r.domain_id, r.server_id, "", {}, {}};
        auto mine = scan_one(config, config.servers[r.replica], r.domain_id, r.server_id);
        auto theirs = mine ? scan_one(config, config.servers[master], r.domain_id, r.server_id)
                           : Result<std::vector<std::uint64_t>>{};
        if (!mine || !theirs) {
            result.error = !mine ? mine.error().message : theirs.error().message;
        } else {
            result.replica_seqs = std::move(*mine);
            result.master_seqs = std::move(*theirs);
        }
        out.push_back(std::move(result));
    }
    return out;
}

}  // namespace mha::manager
