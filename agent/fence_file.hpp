#pragma once

#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mha::agent {

/// What the fence file says about super_read_only, decided from the server's version.
enum class SuperReadOnly {
    No,     ///< MariaDB (it has no super_read_only; the option would stop it from starting)
    Yes,    ///< MySQL >= 5.7.8
    Loose,  ///< version unknown (server down): "loose-" makes servers without it ignore it
};

/// Decides from the greeting's version ("" when unknown).
SuperReadOnly super_read_only_for(std::string_view version);

/// The fence file's text: a comment naming who wrote it and how to undo it, then
/// "[mysqld]\nread_only=1\n" and super_read_only per `super`.
std::string fence_file_text(SuperReadOnly super, std::string_view written_at);

/// Writes `text` to `path` atomically: a temporary file in the same directory (named so that
/// !includedir, which reads *.cnf only, never sees it), fsync, rename, fsync of the directory.
Result<void> write_file_atomically(const std::string& path, std::string_view text);

/// Removes the fence file. Returns whether it existed. Errors: Internal (cannot remove).
Result<bool> remove_fence_file(const std::string& path);

}  // namespace mha::agent
