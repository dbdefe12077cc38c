#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/util/result.hpp"

namespace mha::agent {

/// One run of `mysqlbinlog STREAM | client`: the decoded SQL also goes to `decoded_path` (to
/// name a failing statement), each program's stderr to its own file.
struct PipelineSpec {
    std::vector<std::string> decoder;  ///< argv of mysqlbinlog/mariadb-binlog
    std::vector<std::string> client;   ///< argv of mariadb/mysql
    std::string decoded_path;
    std::string decoder_stderr;
    std::string client_stderr;
    /// Called after each piece handed to the client (on the calling thread).
    std::function<void(const struct DecodedPosition&)> on_progress;
};

/// How far the decoded text handed to the client reaches: the last "# at N" (the stream
/// offset of the event being applied), the last end_log_pos (its master position) and the
/// master file of the last artificial Rotate seen.
struct DecodedPosition {
    std::uint64_t decoded_bytes = 0;
    std::uint64_t stream_offset = 0;
    std::uint64_t end_log_pos = 0;
    std::string master_file;
};

/// Updates `at` from one piece of mysqlbinlog's text (markers cut between pieces are missed:
/// this is for progress, not for locating failures).
void scan_decoded(std::string_view piece, DecodedPosition& at);

/// How the run ended.
struct PipelineOutcome {
    int decoder_status = 0;  ///< wait status as a shell reports it (128+signal when killed)
    int client_status = 0;
    std::uint64_t decoded_bytes = 0;
    [[nodiscard]] bool ok() const { return decoder_status == 0 && client_status == 0; }
};

/// Runs the pipeline to its end. Errors: Internal when a program cannot be started.
Result<PipelineOutcome> run_pipeline(const PipelineSpec& spec);

/// What the client said about a failed statement: "ERROR 1062 (23000) at line 57: …".
struct ClientFailure {
    std::string message;  ///< the client's error line (or the stderr tail)
    int server_errno = 0;
    std::uint64_t line = 0;  ///< 0 when the client named none
};
ClientFailure parse_client_error(const std::string& stderr_text);

/// Where statement `line` of mysqlbinlog's output lies: the "# at N" before it, the
/// end_log_pos of its event header comment, the master file the stream's last Rotate before
/// it names, and the statement text (≤ 4 KB).
struct DecodedStatement {
    std::uint64_t stream_offset = 0;
    std::uint64_t end_log_pos = 0;
    std::string master_file;  ///< of the last Rotate before it ("" when none)
    std::string statement;
};
DecodedStatement locate_statement(const std::string& decoded_path, std::uint64_t line);

/// The last `max` bytes of a text file ("" when missing).
std::string file_tail(const std::string& path, std::size_t max);

/// A program in PATH (or `dir` first when not empty); "" when none of `names` is found.
std::string find_program(const std::vector<std::string>& names, const std::string& dir);

}  // namespace mha::agent
