#include "agent/apply/job.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "agent/apply/pipeline.hpp"
#include "agent/apply/sql_thread.hpp"
#include "agent/apply/stream.hpp"
#include "agent/apply/workdir.hpp"
#include "agent/log/local.hpp"
#include "common/binlog/log_index.hpp"
#include "common/http/response.hpp"
#include "common/log/log.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"

namespace mha::agent {
namespace {

namespace fs = std::filesystem;

/// MHA raises max_allowed_packet to 1 GB for the apply (a row event can be that large).
constexpr std::uint64_t kApplyMaxAllowedPacket = 1024ULL * 1024 * 1024;
/// STOP SLAVE SQL_THREAD may wait for a non-transactional group (up to 60 s on MariaDB).
constexpr std::chrono::minutes kSessionReadTimeout{10};

ApplyAnswer error_answer(const Error& error) {
    const proto::ErrorBody body{std::string(error_code_name(error.code)), error.message};
    return {http::http_status(error.code), nlohmann::json(body)};
}

// A client option file the client reads instead of a command line (DESIGN.md §1).
Result<std::string> write_client_cnf(const config::AgentConfig& config, const std::string& dir) {
    auto options = local_connect_options(config, std::chrono::milliseconds(30000));
    if (!options) {
        return tl::unexpected(options.error());
    }
    auto quoted = [](const std::string& v) {
        std::string out = "\"";
        for (const char c : v) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        return out + "\"";
    };
    const std::string path = dir + "/client.cnf";
    const mode_t old = ::umask(077);
    std::ofstream out(path, std::ios::trunc);
    ::umask(old);
    out << "[client]\nuser=" << quoted(options->user) << "\npassword=" << quoted(options->password)
        << "\nsocket=" << quoted(options->socket) << "\n";
    out.close();
    ::chmod(path.c_str(), 0600);
    if (!out) {
        return make_error(ErrorCode::Internal, "cannot write " + path);
    }
    return path;
}

/// The local server, its dialect and its replica status (none: not a replica).
struct Local {
    std::unique_ptr<mysql::Session> session;
    std::optional<mysql::Dialect> dialect;
    std::optional<mysql::ReplicaStatus> status;
};

Result<std::optional<mysql::ReplicaStatus>> replica_status(Local& local) {
    auto rows = local.session->query(local.dialect->show_replica_status());
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<mysql::ReplicaStatus>{};
    }
    auto status = mysql::parse_replica_status(*rows);
    if (!status) {
        return tl::unexpected(status.error());
    }
    return std::optional<mysql::ReplicaStatus>{std::move(*status)};
}

// MHA's first step of an apply: the SQL thread must not run while we apply.
Result<Local> open_and_stop_sql_thread(const config::AgentConfig& config) {
    Local local;
    auto session = connect_local(config, kSessionReadTimeout);
    if (!session) {
        return tl::unexpected(session.error());
    }
    local.session = std::move(*session);
    auto version = mysql::ServerVersion::parse(local.session->server_version());
    if (!version) {
        return tl::unexpected(version.error());
    }
    local.dialect.emplace(*version);
    auto status = replica_status(local);
    if (!status) {
        return tl::unexpected(status.error());
    }
    if (*status) {
        auto stop = local.session->execute(local.dialect->stop_replica(mysql::ReplicaThreads::Sql));
        if (!stop) {
            return tl::unexpected(stop.error());
        }
        status = replica_status(local);
        if (!status) {
            return tl::unexpected(status.error());
        }
    }
    local.status = std::move(*status);
    return local;
}

Result<ApplyStreamInput> stream_input(const ApplyJob& job, const Local& local,
                                      const std::vector<std::string>& relay_files) {
    ApplyStreamInput input{{}, std::nullopt, job.segments, job.params.master_file};
    if (!job.params.include_relay_log || !local.status) {
        return input;
    }
    const auto& s = *local.status;
    for (const auto& f : relay_files) {
        if (binlog::base_name(f) == binlog::base_name(s.relay_log_file)) {
            input.relay_start = binlog::RelayPosition{f, s.relay_log_pos};
        }
    }
    if (!input.relay_start) {
        return make_error(ErrorCode::FailedPrecondition,
                          "Relay_Log_File " + s.relay_log_file + " is not in the relay-log index");
    }
    input.relay_files = relay_files;
    return input;
}

PipelineSpec pipeline_spec(const ApplyJob& job, const std::string& stream,
                           const std::string& client_cnf) {
    std::string decoder = job.config->mysqlbinlog;
    if (decoder.empty()) {
        decoder = find_program({"mariadb-binlog", "mysqlbinlog"}, "");
    }
    const std::string decoder_dir = fs::path(decoder).parent_path().string();
    PipelineSpec spec;
    spec.decoder = {decoder};
    if (binlog::base_name(decoder).rfind("mariadb", 0) == 0) {
        // Relay logs may interleave GTID domains (DESIGN.md §8).
        spec.decoder.push_back("--skip-gtid-strict-mode");
    }
    if (job.params.disable_log_bin) {
        spec.decoder.push_back("--disable-log-bin");
    }
    spec.decoder.push_back(stream);
    std::string client = find_program({"mariadb", "mysql"}, decoder_dir);
    spec.client = {client.empty() ? std::string("mysql") : client,
                   "--defaults-extra-file=" + client_cnf, "--binary-mode",
                   "--max-allowed-packet=" + std::to_string(kApplyMaxAllowedPacket)};
    spec.decoded_path = job.dir + "/apply.sql";
    spec.decoder_stderr = job.dir + "/mysqlbinlog.err";
    spec.client_stderr = job.dir + "/client.err";
    return spec;
}

ApplyAnswer failure(const PipelineSpec& spec, const ApplyStreamSummary& summary,
                    const PipelineOutcome& outcome, const std::string& stream) {
    proto::ApplyFailure body;
    body.kept_stream = stream;
    if (outcome.client_status == 0) {
        body.message = "mysqlbinlog failed (status " + std::to_string(outcome.decoder_status) +
                       "): " + file_tail(spec.decoder_stderr, 2000);
        return {422, nlohmann::json(body)};
    }
    const auto client = parse_client_error(file_tail(spec.client_stderr, 8192));
    body.message = client.message;
    body.server_errno = client.server_errno;
    body.master_log_file = summary.master_file;
    if (client.line > 0) {
        const auto at = locate_statement(spec.decoded_path, client.line);
        body.stream_offset = at.stream_offset;
        body.master_log_pos = at.end_log_pos;
        body.statement = at.statement;
        if (!at.master_file.empty()) {
            body.master_log_file = at.master_file;  // the file the failing event came from
        }
        body.source_file = section_at(summary.sections, at.stream_offset);
        if (const auto e = segment_event_at(summary.segment_events, at.stream_offset)) {
            body.source_pos = e->source_offset;  // the event's offset in that segment
        }
    }
    return {422, nlohmann::json(body)};
}

/// Raises the global max_allowed_packet for the client session the pipeline opens (a
/// session inherits the global value when it connects) and restores it afterwards.
class PacketGuard {
public:
    explicit PacketGuard(mysql::Session& session) : session_(session) {
        auto rows = session_.query("SELECT @@global.max_allowed_packet AS p");
        if (!rows || rows->empty()) {
            return;
        }
        old_ = rows->value(0, "p");
        if (std::strtoull(old_.c_str(), nullptr, 10) >= kApplyMaxAllowedPacket ||
            !session_.execute("SET GLOBAL max_allowed_packet = " +
                              std::to_string(kApplyMaxAllowedPacket))) {
            old_.clear();
        }
    }
    ~PacketGuard() {
        if (!old_.empty()) {
            (void)session_.execute("SET GLOBAL max_allowed_packet = " + old_);
        }
    }
    PacketGuard(const PacketGuard&) = delete;
    PacketGuard& operator=(const PacketGuard&) = delete;

private:
    mysql::Session& session_;
    std::string old_;
};

Result<proto::ApplyResult> server_coordinates(Local& local) {
    const auto& dialect = *local.dialect;
    const auto version = mysql::ServerVersion::parse(local.session->server_version());
    proto::ApplyResult result;
    auto status = local.session->query(dialect.show_binlog_status());
    if (!status) {
        return tl::unexpected(status.error());
    }
    if (!status->empty()) {
        if (auto parsed = mysql::parse_binlog_status(*status)) {
            result.binlog_file = parsed->file;
            result.binlog_pos = parsed->position;
        }
    }
    if (version && !version->is_mariadb()) {
        // MySQL's GTIDs: the executed set is both what the binlog holds and the position.
        result.gtid_binlog_pos = status->empty() ? "" : status->value(0, "Executed_Gtid_Set");
        result.gtid_current_pos = result.gtid_binlog_pos;
        return result;
    }
    auto gtid = local.session->query("SELECT @@gtid_binlog_pos AS b, @@gtid_current_pos AS c");
    if (gtid && !gtid->empty()) {
        result.gtid_binlog_pos = gtid->value(0, "b");
        result.gtid_current_pos = gtid->value(0, "c");
    }
    return result;
}

/// Step 1 (MHA's wait_until_relay_log_applied): the SQL thread executes what it can.
Result<std::uint64_t> sql_thread_step(const ApplyJob& job, Local& local,
                                      const std::vector<std::string>& relay_files,
                                      ProgressBoard& board, std::optional<ApplyAnswer>& failed) {
    if (!job.params.include_relay_log || !job.params.sql_thread || !local.status ||
        !sql_thread_catch_up_wanted(*local.status)) {
        return std::uint64_t{0};
    }
    auto caught =
        catch_up_with_sql_thread(*local.session, *local.dialect, relay_files, *local.status, board);
    if (!caught) {
        return tl::unexpected(caught.error());
    }
    if (caught->failure) {
        failed = ApplyAnswer{422, nlohmann::json(*caught->failure)};
    }
    local.status = std::move(caught->status);
    return caught->bytes;
}

/// Step 2: ONE stream of the rest, one mysqlbinlog | client run.
/// mysqlbinlog STREAM | client, max_allowed_packet raised meanwhile. An answer on failure.
std::optional<ApplyAnswer> apply_stream_file(const ApplyJob& job, Local& local,
                                             const ApplyStreamSummary& summary,
                                             const std::string& stream, ProgressBoard& board) {
    auto cnf = write_client_cnf(*job.config, job.dir);
    if (!cnf) {
        return error_answer(cnf.error());
    }
    auto spec = pipeline_spec(job, stream, *cnf);
    const std::uint64_t total = summary.bytes;
    spec.on_progress = [&board, total](const DecodedPosition& at) {
        board.update({"stream", at.stream_offset, total, "apply.binlog", at.stream_offset,
                      at.master_file, at.end_log_pos, 0});
    };
    Result<PipelineOutcome> ran = make_error(ErrorCode::Internal, "not run");
    {
        PacketGuard packet(*local.session);
        ran = run_pipeline(spec);
    }
    fs::remove(*cnf);
    if (!ran) {
        return error_answer(ran.error());
    }
    if (!ran->ok()) {
        mha::log::get("agent")->error("apply failed: {}", file_tail(spec.client_stderr, 500));
        return failure(spec, summary, *ran, stream);
    }
    return std::nullopt;
}

/// The 200 answer: what was applied and where the server's binlog now ends.
ApplyAnswer result_of(Local& local, const ApplyStreamSummary& summary, std::size_t segments,
                      std::uint64_t sql_thread_bytes) {
    auto result = server_coordinates(local);
    if (!result) {
        return error_answer(result.error());
    }
    result->events = summary.events;
    result->transactions = summary.transactions;
    result->relay_log_events = summary.relay_log_events;
    result->segments = static_cast<std::uint32_t>(segments);
    result->ends_in_transaction = summary.ends_in_transaction;
    result->master_log_file = summary.master_file;
    result->master_log_pos = summary.master_pos;
    result->sql_thread_bytes = sql_thread_bytes;
    if (result->master_log_file.empty() && local.status) {
        result->master_log_file = local.status->relay_master_log_file;
        result->master_log_pos = local.status->exec_master_log_pos;
    }
    return {200, nlohmann::json(*result)};
}

/// Step 2: ONE stream of the rest, one mysqlbinlog | client run.
ApplyAnswer stream_step(const ApplyJob& job, Local& local,
                        const std::vector<std::string>& relay_files, ProgressBoard& board,
                        std::uint64_t sql_thread_bytes) {
    auto input = stream_input(job, local, relay_files);
    if (!input) {
        return error_answer(input.error());
    }
    board.update({"stream", 0, 0, "apply.binlog", 0, "", 0, 0});
    const std::string stream = job.dir + "/apply.binlog";
    auto summary = build_apply_stream(*input, stream);
    if (!summary) {
        return error_answer(summary.error());
    }
    mha::log::get("agent")->info(
        "apply: {} events ({} from the local relay log, {} segments, {}), master {}:{}",
        summary->events, summary->relay_log_events, input->segments.size(),
        format_bytes(summary->bytes), summary->master_file, summary->master_pos);
    if (summary->events > 0) {
        if (auto failed = apply_stream_file(job, local, *summary, stream, board)) {
            return *failed;
        }
    }
    board.update({"finishing", summary->bytes, summary->bytes, "", 0, summary->master_file,
                  summary->master_pos, 0});
    return result_of(local, *summary, input->segments.size(), sql_thread_bytes);
}

}  // namespace

ApplyAnswer run_apply(const ApplyJob& job, ProgressBoard& board) {
    auto local = open_and_stop_sql_thread(*job.config);
    if (!local) {
        return error_answer(local.error());
    }
    std::vector<std::string> relay_files;
    if (job.params.include_relay_log && local->status) {
        auto logs = list_logs(*job.config, LogKind::RelayLog);
        if (!logs) {
            return error_answer(logs.error());
        }
        relay_files = std::move(logs->files);
    }
    std::optional<ApplyAnswer> failed;
    auto executed = sql_thread_step(job, *local, relay_files, board, failed);
    if (!executed) {
        return error_answer(executed.error());
    }
    if (failed) {
        return *failed;
    }
    auto answer = stream_step(job, *local, relay_files, board, *executed);
    if (answer.status == 200) {
        answer.body["seconds"] = board.elapsed();
        std::error_code ec;
        fs::remove_all(job.dir, ec);
    } else {
        prune_apply_dirs(job.config->workdir, kKeptFailedApplies);  // this one is the newest
    }
    return answer;
}

}  // namespace mha::agent
