#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/util/result.hpp"

namespace mha::agent {

/// Failed applies keep their work directory (the stream, the decoded SQL, stderr files) for
/// the operator; only this many, the newest, stay.
inline constexpr std::size_t kKeptFailedApplies = 3;

/// An apply work directory found in workdir.
struct ApplyDir {
    std::string path;
    std::int64_t mtime_ns = 0;
};

/// Which of `dirs` to remove so that the newest `keep` stay (ties: by path).
std::vector<std::string> apply_dirs_to_prune(std::vector<ApplyDir> dirs, std::size_t keep);

/// Removes all but the newest `keep` apply-* directories of `workdir`; returns how many went.
std::size_t prune_apply_dirs(const std::string& workdir, std::size_t keep);

/// Creates a new workdir/apply-<time>-<n> (workdir mode 0700). Errors: Internal.
Result<std::string> make_apply_dir(const std::string& workdir);

}  // namespace mha::agent
