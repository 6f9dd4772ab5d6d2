#include "storage/sqlite/wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

namespace goji::storage::sqlite {

namespace {

constexpr std::size_t kMaxGathered = std::size_t{16} << 20;
// The default VFS writes at most 128 KiB - 1 bytes per call (it masks the
// length), so what was gathered goes out in pieces of this size.
constexpr std::size_t kMaxWrite = 0x1f000;

sqlite3_vfs* g_real = nullptr;
std::atomic<std::uint64_t> g_frames{0};
std::atomic<std::uint64_t> g_writes{0};

// Frames gathered for one log file, not yet written.
struct Gathered {
    std::vector<char> bytes;
    sqlite3_int64 at = 0;      // the file offset of bytes[0]
    sqlite3_int64 end = 0;     // the end of what the log holds since it last started over
    bool commit_next = false;  // the next write is the page of a commit frame
    // A write that failed where SQLite could not be told (publishing a
    // commit): the log is in doubt, and every later call on it fails.
    int doubt = SQLITE_OK;
};

// SQLite allocates szOsFile bytes for a file and hands them to xOpen: ours
// first, the default VFS's file right after.
struct File {
    sqlite3_file base;
    sqlite3_file* real;
    Gathered* gathered;  // the log's; null for other files
};

constexpr std::size_t kOwnSize = (sizeof(File) + 7) & ~std::size_t{7};
// The log's layout: a header, then frames of a header and a page each; a
// frame header's bytes 4..7 hold the database's size after a commit, zero
// in the frames before it.
constexpr int kLogHeader = 32;
constexpr int kFrameHeader = 24;

File* Own(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Own(f)->real; }

// The log file of this thread with frames gathered (a transaction runs on
// one thread, and so do its calls).
thread_local File* t_pending = nullptr;

// Writes out what `f` gathered; a failure goes to SQLite through the call
// that caused the write-out, as a failed write of its own would (SQLite then
// rolls the transaction back and the frames past its last commit are
// ignored).
int WriteOut(File* f) {
    Gathered& g = *f->gathered;
    if (t_pending == f) t_pending = nullptr;
    if (g.doubt != SQLITE_OK) return g.doubt;
    if (g.bytes.empty()) return SQLITE_OK;
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < g.bytes.size() && rc == SQLITE_OK; done += kMaxWrite) {
        const std::size_t n = std::min(kMaxWrite, g.bytes.size() - done);
        rc = f->real->pMethods->xWrite(f->real, g.bytes.data() + done, static_cast<int>(n),
                                       g.at + static_cast<sqlite3_int64>(done));
        g_writes.fetch_add(1, std::memory_order_relaxed);
    }
    g.bytes.clear();
    return rc;
}

// Before any call but a log's next frame: write out what this thread
// gathered, and what `f` gathered if it is a log.
int Settle(sqlite3_file* f) {
    int rc = SQLITE_OK;
    if (t_pending != nullptr && t_pending != Own(f)) rc = WriteOut(t_pending);
    if (Own(f)->gathered != nullptr) {
        const int own = WriteOut(Own(f));
        if (rc == SQLITE_OK) rc = own;
    }
    return rc;
}

// Calls the default VFS's method after writing out what was gathered.
template <typename Method, typename... Args>
int Settled(sqlite3_file* f, Method sqlite3_io_methods::*method, Args... args) {
    if (int rc = Settle(f); rc != SQLITE_OK) return rc;
    return (Real(f)->pMethods->*method)(Real(f), args...);
}

int Close(sqlite3_file* f) {
    File* file = Own(f);
    const int rc = Settle(f);
    delete file->gathered;
    file->gathered = nullptr;
    const int closed = file->real->pMethods->xClose(file->real);
    return rc == SQLITE_OK ? closed : rc;
}

int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
    return Settled(f, &sqlite3_io_methods::xRead, buf, amount, offset);
}

// A log's frames are gathered while they extend the log and follow on; the
// page of a commit frame ends the gathering, so the commit's one write
// happens here, inside SQLite's commit, which sees its error like that of
// any write. A write over bytes the log already holds (SQLite rewriting the
// checksums of frames it wrote earlier in the transaction, or a page written
// again) goes straight through, after whatever was gathered: it may be the
// commit frame's last write, and nothing may wait behind it. The log starts
// over with its header at offset 0.
int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
    File* file = Own(f);
    if (file->gathered == nullptr) {
        if (int rc = Settle(f); rc != SQLITE_OK) return rc;
        return file->real->pMethods->xWrite(file->real, buf, amount, offset);
    }
    Gathered& g = *file->gathered;
    if (g.doubt != SQLITE_OK) return g.doubt;
    if (t_pending != nullptr && t_pending != file) {
        if (int rc = WriteOut(t_pending); rc != SQLITE_OK) return rc;
    }
    if (offset == 0) g.end = 0;
    const sqlite3_int64 stop = offset + amount;
    if (stop <= g.end) {
        if (int rc = WriteOut(file); rc != SQLITE_OK) return rc;
        g.commit_next = false;
        return file->real->pMethods->xWrite(file->real, buf, amount, offset);
    }
    const bool follows = !g.bytes.empty() && g.at + static_cast<sqlite3_int64>(g.bytes.size()) == offset;
    if (!follows || g.bytes.size() + static_cast<std::size_t>(amount) > kMaxGathered) {
        if (int rc = WriteOut(file); rc != SQLITE_OK) return rc;
        g.at = offset;
    }
    const auto* p = static_cast<const char*>(buf);
    g.bytes.insert(g.bytes.end(), p, p + amount);
    g.end = std::max(g.end, stop);
    t_pending = file;
    if (amount == kFrameHeader && offset >= kLogHeader) {
        g_frames.fetch_add(1, std::memory_order_relaxed);
        g.commit_next = p[4] != 0 || p[5] != 0 || p[6] != 0 || p[7] != 0;
        return SQLITE_OK;
    }
    if (g.commit_next) {
        g.commit_next = false;
        return WriteOut(file);
    }
    return SQLITE_OK;
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) { return Settled(f, &sqlite3_io_methods::xTruncate, size); }

int Sync(sqlite3_file* f, int flags) { return Settled(f, &sqlite3_io_methods::xSync, flags); }

int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Settled(f, &sqlite3_io_methods::xFileSize, size); }

int Lock(sqlite3_file* f, int level) { return Settled(f, &sqlite3_io_methods::xLock, level); }

int Unlock(sqlite3_file* f, int level) { return Settled(f, &sqlite3_io_methods::xUnlock, level); }

int CheckReservedLock(sqlite3_file* f, int* out) { return Settled(f, &sqlite3_io_methods::xCheckReservedLock, out); }

int FileControl(sqlite3_file* f, int op, void* arg) { return Settled(f, &sqlite3_io_methods::xFileControl, op, arg); }

int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }

int DeviceCharacteristics(sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); }

// Shared memory: the barrier comes before a commit is published to the other
// connections, the locks before a transaction ends; both write out first.
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return Settled(f, &sqlite3_io_methods::xShmMap, page, size, extend, out);
}

int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return Settled(f, &sqlite3_io_methods::xShmLock, offset, n, flags);
}

void ShmBarrier(sqlite3_file* f) {
    // Nothing is left by now (see Write). If something were and its write
    // failed, the commit about to be published would lack it: the log is
    // then in doubt and refuses everything from here on.
    if (File* pending = t_pending; pending != nullptr) {
        if (int rc = WriteOut(pending); rc != SQLITE_OK) pending->gathered->doubt = rc;
    }
    Real(f)->pMethods->xShmBarrier(Real(f));
}

int ShmUnmap(sqlite3_file* f, int remove) { return Settled(f, &sqlite3_io_methods::xShmUnmap, remove); }

int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return Settled(f, &sqlite3_io_methods::xFetch, offset, amount, out);
}

int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) { return Real(f)->pMethods->xUnfetch(Real(f), offset, p); }

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kOwnSize);
    file->gathered = nullptr;
    const int rc = g_real->xOpen(g_real, name, file->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (file->real->pMethods != nullptr) file->real->pMethods->xClose(file->real);
        return rc;
    }
    if (file->real->pMethods == nullptr || file->real->pMethods->iVersion < 3) {
        if (file->real->pMethods) file->real->pMethods->xClose(file->real);
        return SQLITE_CANTOPEN;
    }
    if ((flags & SQLITE_OPEN_WAL) != 0) file->gathered = new Gathered;
    file->base.pMethods = &kMethods;
    return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
    if (t_pending != nullptr) {
        if (int rc = WriteOut(t_pending); rc != SQLITE_OK) return rc;
    }
    return g_real->xDelete(g_real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void DlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }

sqlite3_vfs g_vfs{};

}  // namespace

const char* CoalescingVfs() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_real = sqlite3_vfs_find(nullptr);
        g_vfs.iVersion = 2;
        g_vfs.szOsFile = static_cast<int>(kOwnSize) + g_real->szOsFile;
        g_vfs.mxPathname = g_real->mxPathname;
        g_vfs.zName = "goji-wal";
        g_vfs.xOpen = Open;
        g_vfs.xDelete = Delete;
        g_vfs.xAccess = Access;
        g_vfs.xFullPathname = FullPathname;
        g_vfs.xDlOpen = DlOpen;
        g_vfs.xDlError = DlError;
        g_vfs.xDlSym = DlSym;
        g_vfs.xDlClose = DlClose;
        g_vfs.xRandomness = Randomness;
        g_vfs.xSleep = Sleep;
        g_vfs.xCurrentTime = CurrentTime;
        g_vfs.xGetLastError = GetLastError;
        g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return g_vfs.zName;
}

CoalescingStats CoalescingVfsStats() {
    return {g_frames.load(std::memory_order_relaxed), g_writes.load(std::memory_order_relaxed)};
}

}  // namespace goji::storage::sqlite
