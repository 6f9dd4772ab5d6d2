#pragma once

#include <cstdint>

namespace goji::storage::sqlite {

// The name of a SQLite VFS (registered at the first call) that is SQLite's
// default one except for one thing: the frames a commit appends to the
// write-ahead log are written with one system call instead of two per page.
// SQLite writes each frame's header and page apart; a group commit of a few
// dozen orders writes a hundred pages, and on a virtual machine those
// hundreds of small writes cost more than the commit's statements. The
// frames are gathered in memory as they come (they are consecutive) and
// written out before anything could read them or depend on them being in
// the file: before the commit is published to other connections (the
// shared-memory barrier SQLite calls first), before any other call on the
// thread's files, and when they do not follow on. A crash meanwhile loses
// what a crash a moment earlier would have: frames of a commit not yet
// published, which recovery discards by their checksums as it always does.
const char* CoalescingVfs();

// What the VFS has done since the process started, for tests and metrics:
// frames SQLite wrote to logs, and the writes that took them to the files.
struct CoalescingStats {
    std::uint64_t frames = 0;
    std::uint64_t writes = 0;
};
CoalescingStats CoalescingVfsStats();

}  // namespace goji::storage::sqlite
