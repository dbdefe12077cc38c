#include "agent/apply.hpp"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "agent/apply_pipeline.hpp"
#include "agent/apply_spool.hpp"
#include "agent/apply_stream.hpp"
#include "agent/log_local.hpp"
#include "agent/log_params.hpp"
#include "common/binlog/log_index.hpp"
#include "common/log/log.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {
namespace {

namespace fs = std::filesystem;

std::mutex g_apply_mutex;  // one apply at a time on this host

Result<std::string> make_apply_dir(const std::string& workdir) {
    static std::atomic<unsigned> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::string dir = workdir + "/apply-" +
                            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) +
                            "-" + std::to_string(++counter);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error(ErrorCode::Internal, "cannot create " + dir + ": " + ec.message());
    }
    fs::permissions(workdir, fs::perms::owner_all, fs::perm_options::replace, ec);
    return dir;
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

struct Replica {
    std::optional<mysql::ReplicaStatus> status;
};

// MHA's first step of an apply: the SQL thread must not run while we apply.
Result<Replica> stop_sql_thread(mysql::Session& session) {
    auto version = mysql::ServerVersion::parse(session.server_version());
    if (!version) {
        return tl::unexpected(version.error());
    }
    const mysql::Dialect dialect(*version);
    auto rows = session.query(dialect.show_replica_status());
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    Replica replica;
    if (rows->empty()) {
        return replica;
    }
    if (auto ok = session.execute(dialect.stop_replica(mysql::ReplicaThreads::Sql)); !ok) {
        return tl::unexpected(ok.error());
    }
    rows = session.query(dialect.show_replica_status());
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    auto status = mysql::parse_replica_status(*rows);
    if (!status) {
        return tl::unexpected(status.error());
    }
    replica.status = std::move(*status);
    return replica;
}

Result<ApplyStreamInput> stream_input(const config::AgentConfig& config, const ApplyParams& params,
                                      const Replica& replica, std::vector<std::string> segments) {
    ApplyStreamInput input{{}, std::nullopt, std::move(segments), params.master_file};
    if (!params.include_relay_log || !replica.status) {
        return input;
    }
    auto logs = list_logs(config, LogKind::RelayLog);
    if (!logs) {
        return tl::unexpected(logs.error());
    }
    const auto& s = *replica.status;
    for (const auto& f : logs->files) {
        if (binlog::base_name(f) == binlog::base_name(s.relay_log_file)) {
            input.relay_start = binlog::RelayPosition{f, s.relay_log_pos};
        }
    }
    if (!input.relay_start) {
        return make_error(ErrorCode::FailedPrecondition,
                          "Relay_Log_File " + s.relay_log_file + " is not in " + logs->index);
    }
    input.relay_files = std::move(logs->files);
    return input;
}

PipelineSpec pipeline_spec(const config::AgentConfig& config, const ApplyParams& params,
                           const std::string& dir, const std::string& stream,
                           const std::string& client_cnf) {
    std::string decoder = config.mysqlbinlog;
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
    if (params.disable_log_bin) {
        spec.decoder.push_back("--disable-log-bin");
    }
    spec.decoder.push_back(stream);
    std::string client = find_program({"mariadb", "mysql"}, decoder_dir);
    spec.client = {client.empty() ? std::string("mysql") : client,
                   "--defaults-extra-file=" + client_cnf, "--binary-mode"};
    spec.decoded_path = dir + "/apply.sql";
    spec.decoder_stderr = dir + "/mysqlbinlog.err";
    spec.client_stderr = dir + "/client.err";
    return spec;
}

http::Response failure(const PipelineSpec& spec, const ApplyStreamSummary& summary,
                       const PipelineOutcome& outcome, const std::string& stream) {
    proto::ApplyFailure body;
    body.kept_stream = stream;
    if (outcome.client_status == 0) {
        body.message = "mysqlbinlog failed (status " + std::to_string(outcome.decoder_status) +
                       "): " + file_tail(spec.decoder_stderr, 2000);
        return http::Response::json(422, nlohmann::json(body));
    }
    const auto client = parse_client_error(file_tail(spec.client_stderr, 8192));
    body.message = client.message;
    body.server_errno = client.server_errno;
    if (client.line > 0) {
        const auto at = locate_statement(spec.decoded_path, client.line);
        body.stream_offset = at.stream_offset;
        body.master_log_pos = at.end_log_pos;
        body.statement = at.statement;
    }
    body.master_log_file = summary.master_file;
    return http::Response::json(422, nlohmann::json(body));
}

Result<proto::ApplyResult> server_coordinates(const config::AgentConfig& config) {
    auto session = connect_local(config);
    if (!session) {
        return tl::unexpected(session.error());
    }
    auto version = mysql::ServerVersion::parse((*session)->server_version());
    if (!version) {
        return tl::unexpected(version.error());
    }
    const mysql::Dialect dialect(*version);
    proto::ApplyResult result;
    auto status = (*session)->query(dialect.show_binlog_status());
    if (!status) {
        return tl::unexpected(status.error());
    }
    if (!status->empty()) {
        if (auto parsed = mysql::parse_binlog_status(*status)) {
            result.binlog_file = parsed->file;
            result.binlog_pos = parsed->position;
        }
    }
    if (!version->is_mariadb()) {
        // MySQL's GTIDs: the executed set is both what the binlog holds and the position.
        result.gtid_binlog_pos = status->empty() ? "" : status->value(0, "Executed_Gtid_Set");
        result.gtid_current_pos = result.gtid_binlog_pos;
        return result;
    }
    auto gtid = (*session)->query("SELECT @@gtid_binlog_pos AS b, @@gtid_current_pos AS c");
    if (gtid && !gtid->empty()) {
        result.gtid_binlog_pos = gtid->value(0, "b");
        result.gtid_current_pos = gtid->value(0, "c");
    }
    return result;
}

http::Response apply_locked(const config::AgentConfig& config, const http::Request& request,
                            const ApplyParams& params, const std::string& dir) {
    auto log = mha::log::get("agent");
    auto segments = spool_segments(*request.body_stream, dir);
    if (!segments) {
        return http::Response::from_error(segments.error());
    }
    auto session = connect_local(config);
    if (!session) {
        return http::Response::from_error(session.error());
    }
    auto replica = stop_sql_thread(**session);
    if (!replica) {
        return http::Response::from_error(replica.error());
    }
    auto input = stream_input(config, params, *replica, std::move(*segments));
    if (!input) {
        return http::Response::from_error(input.error());
    }
    const std::string stream = dir + "/apply.binlog";
    auto summary = build_apply_stream(*input, stream);
    if (!summary) {
        return http::Response::from_error(summary.error());
    }
    log->info("apply: {} events ({} from the local relay log, {} segments), master {}:{}",
              summary->events, summary->relay_log_events, input->segments.size(),
              summary->master_file, summary->master_pos);
    if (summary->events > 0) {
        auto cnf = write_client_cnf(config, dir);
        if (!cnf) {
            return http::Response::from_error(cnf.error());
        }
        const auto spec = pipeline_spec(config, params, dir, stream, *cnf);
        auto outcome = run_pipeline(spec);
        fs::remove(*cnf);
        if (!outcome) {
            return http::Response::from_error(outcome.error());
        }
        if (!outcome->ok()) {
            log->error("apply failed: {}", file_tail(spec.client_stderr, 500));
            return failure(spec, *summary, *outcome, stream);
        }
    }
    auto result = server_coordinates(config);
    if (!result) {
        return http::Response::from_error(result.error());
    }
    result->events = summary->events;
    result->transactions = summary->transactions;
    result->relay_log_events = summary->relay_log_events;
    result->segments = static_cast<std::uint32_t>(input->segments.size());
    result->ends_in_transaction = summary->ends_in_transaction;
    result->master_log_file = summary->master_file;
    result->master_log_pos = summary->master_pos;
    if (result->master_log_file.empty() && replica->status) {
        result->master_log_file = replica->status->relay_master_log_file;
        result->master_log_pos = replica->status->exec_master_log_pos;
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return http::Response::json(200, nlohmann::json(*result));
}

}  // namespace

http::Response apply_route(const config::AgentConfig& config, const http::Request& request) {
    auto params = parse_apply(request.query);
    if (!params) {
        return http::Response::from_error(params.error());
    }
    if (request.body_stream == nullptr) {
        return http::Response::error(500, "internal", "apply route registered without a body stream");
    }
    std::unique_lock lock(g_apply_mutex, std::try_to_lock);
    if (!lock) {
        return http::Response::error(409, "aborted", "another apply is running on this host");
    }
    auto dir = make_apply_dir(config.workdir);
    if (!dir) {
        return http::Response::from_error(dir.error());
    }
    auto response = apply_locked(config, request, *params, *dir);
    if (response.status != 200 && response.status != 422) {
        std::error_code ec;
        fs::remove_all(*dir, ec);  // a 422 keeps its stream for the operator
    }
    return response;
}

}  // namespace mha::agent
