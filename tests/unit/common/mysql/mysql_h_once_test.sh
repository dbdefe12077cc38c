#!/usr/bin/env bash
# STYLE.md: <mysql.h> (and any other Connector/C header) is included in exactly one file,
# common/mysql/session.cpp; everything else sees mha::mysql::Session only.
set -euo pipefail
cd "${MHA_SOURCE:?}"
headers='(mysql|mysql_com|mysql_version|mysqld_error|errmsg|my_global|my_sys|ma_[a-z_]+|mariadb_[a-z_]+|mariadb/[^>"]+|mysql/[^>"]+)\.h'
mapfile -t hits < <(grep -rlE --include='*.cpp' --include='*.hpp' --include='*.h' --include='*.cc' \
    "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]$headers[>\"]" \
    common agent manager tests bench 2>/dev/null | sort)
if [ "${hits[*]:-}" != "common/mysql/session.cpp" ]; then
    echo "FAIL: Connector/C headers are included in: ${hits[*]:-(no file)}" >&2
    echo "      expected exactly common/mysql/session.cpp" >&2
    exit 1
fi
echo "ok: <mysql.h> is included in common/mysql/session.cpp only"
