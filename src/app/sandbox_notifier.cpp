#include "app/sandbox_notifier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "http/server/http_client.hpp"

namespace goji::app {

namespace {

constexpr Millis kEvery = 300;
// Notifications in flight at once, each waiting for its confirmation's
// commit. When Goji's handlers held a thread each, 64 (as many as those
// threads on two cores) made the buyers' requests wait for a thread and 48
// sold 7 % more per second; with handlers on fibers 48 is still best (24
// and 96 sold 5–7 % less, pairs of runs).
constexpr std::size_t kInFlight = 48;
// Due charges are read at most this often while notifications are under
// way.
constexpr auto kReadEvery = std::chrono::milliseconds(5);
// Charges read at once beyond those already on their way.
constexpr std::size_t kBatch = 256;
// A sender rings the loop when this many delivered charges wait for their mark.
constexpr std::size_t kMarkAfter = 32;

// The notifications on their way, shared by the loop that reads what is
// due and marks what was delivered, and the sender threads (kept for the
// notifier's lifetime, each with its own kept-alive connection) that post
// them as soon as they are queued.
class Pipeline {
public:
    Pipeline(const SandboxNotifierParts& parts, const std::string& notify_url) : p_(parts) {
        for (std::size_t t = 0; t < kInFlight; ++t) {
            posters_.push_back(std::make_unique<http::JsonPoster>(notify_url));
            threads_.emplace_back([this, poster = posters_.back().get()] { Send(*poster); });
        }
    }
    ~Pipeline() {
        {
            const std::scoped_lock lock(mu_);
            stopping_ = true;
        }
        work_.notify_all();
        for (std::thread& t : threads_) t.join();
    }
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Queues the due charges not yet on their way.
    void Add(const std::vector<orders::SandboxCharge>& due) {
        bool added = false;
        {
            const std::scoped_lock lock(mu_);
            for (const orders::SandboxCharge& c : due) {
                if (!known_.insert(c.id).second) continue;
                queue_.push_back(c);
                added = true;
            }
        }
        if (added) work_.notify_all();
    }
    // How many due charges to read so that new ones are among them.
    std::size_t ReadLimit() {
        const std::scoped_lock lock(mu_);
        return known_.size() + kBatch;
    }
    // Drops what is queued and not yet sent (the lease was lost).
    void DropQueued() {
        const std::scoped_lock lock(mu_);
        for (const orders::SandboxCharge& c : queue_) known_.erase(c.id);
        queue_.clear();
    }
    // The delivered charges waiting for their mark, taken.
    std::vector<std::int64_t> TakeDelivered() {
        const std::scoped_lock lock(mu_);
        return std::exchange(delivered_, {});
    }
    // Marked (or not: then they are still due and are read again).
    void Settled(const std::vector<std::int64_t>& ids) {
        const std::scoped_lock lock(mu_);
        for (const std::int64_t id : ids) known_.erase(id);
    }
    bool Idle() {
        const std::scoped_lock lock(mu_);
        return known_.empty();
    }

private:
    void Send(http::JsonPoster& poster) {
        for (;;) {
            orders::SandboxCharge charge;
            {
                std::unique_lock lock(mu_);
                work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (stopping_) return;
                charge = queue_.front();
                queue_.pop_front();
            }
            const std::string body = p_.sandbox.NoticeBody(charge);
            auto status = poster.Post({{"X-Sandbox-Signature", p_.sandbox.Sign(body)}}, body, std::chrono::seconds(5));
            if (status && *status >= 200 && *status < 300) {
                bool ring = false;
                {
                    const std::scoped_lock lock(mu_);
                    delivered_.push_back(charge.id);
                    ring = delivered_.size() >= kMarkAfter || queue_.empty();
                }
                if (ring) p_.sandbox.Ring();
                continue;
            }
            spdlog::warn("sandbox notification for payment {} not accepted ({}); retrying",
                         charge.payment_id.ToString(), status ? std::to_string(*status) : status.error().internal);
            (void)p_.storage.SandboxCharges().Failed(
                charge.id, p_.clock.NowMs() + infra::SandboxProvider::Backoff(charge.attempts));
            Settled({charge.id});
        }
    }

    const SandboxNotifierParts& p_;
    std::mutex mu_;
    std::condition_variable work_;
    std::deque<orders::SandboxCharge> queue_;
    std::unordered_set<std::int64_t> known_;  // queued, being sent, or delivered and not yet marked
    std::vector<std::int64_t> delivered_;
    bool stopping_ = false;
    std::vector<std::unique_ptr<http::JsonPoster>> posters_;
    std::vector<std::thread> threads_;
};

void Reconcile(const SandboxNotifierParts& p, const std::string& holder, Millis every) {
    const Millis now = p.clock.NowMs();
    auto lease = p.storage.TryLease("reconcile_payments", holder, now, every * 3);
    if (!lease || !*lease) return;
    auto n = p.payments.Reconcile(every, 200);
    if (!n) {
        spdlog::warn("reconciling payments failed: {}", n.error().internal);
    } else if (*n > 0) {
        spdlog::info("reconciliation found {} payment(s) whose notification never came", *n);
    }
}

}  // namespace

void RunSandboxNotifier(const SandboxNotifierParts& p, const std::string& notify_url, const std::string& holder,
                        Millis reconcile_every, std::stop_token stop) {
    Pipeline pipeline(p, notify_url);
    reconcile_every = std::max<Millis>(100, reconcile_every);
    Millis reconciled_at = p.clock.NowMs();
    std::optional<Millis> leased_at;
    std::optional<Millis> read_all_at;
    std::int64_t last_id = 0;
    bool holding = false;
    auto read_at = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
        const Millis now = p.clock.NowMs();
        if (now - reconciled_at >= reconcile_every) {
            reconciled_at = now;
            Reconcile(p, holder, reconcile_every);
        }
        const std::uint64_t rings = p.sandbox.Rings();  // before looking at what is due
        if (!leased_at || now - *leased_at >= kEvery) {
            auto lease = p.storage.TryLease("sandbox_notify", holder, now, kEvery * 10);
            holding = lease && *lease;
            leased_at = now;
            if (!holding) pipeline.DropQueued();
        }
        // Marks what was delivered (in one write); a crash before the mark
        // only means those notifications are sent again, which Goji ignores.
        if (auto ids = pipeline.TakeDelivered(); !ids.empty()) {
            if (auto s = p.storage.SandboxCharges().Delivered(ids, p.clock.NowMs()); !s) {
                spdlog::warn("marking sandbox notifications delivered failed: {}", s.error().internal);
            }
            pipeline.Settled(ids);
        }
        if (holding) {
            // The charges made since the last look, by id; every round all
            // that are due (retries whose time came, and charges other nodes
            // made meanwhile under ids already passed).
            read_at = std::chrono::steady_clock::now();
            const bool round = !read_all_at || now - *read_all_at >= kEvery;
            auto due = round ? p.storage.SandboxCharges().Due(p.clock.NowMs(), pipeline.ReadLimit())
                             : p.storage.SandboxCharges().DueAfter(p.clock.NowMs(), last_id, kBatch);
            if (due) {
                if (round) read_all_at = now;
                for (const orders::SandboxCharge& c : *due) last_id = std::max(last_id, c.id);
                pipeline.Add(*due);
            } else {
                spdlog::warn("reading due sandbox notifications failed: {}", due.error().internal);
            }
        }
        // A charge made here, or a sender with delivered charges to mark,
        // wakes the loop at once; charges made on other nodes wait for the
        // round. While notifications are under way it reads at most every
        // kReadEvery.
        const bool busy = holding && !pipeline.Idle();
        p.sandbox.AwaitRingAfter(rings, stop, std::chrono::milliseconds(busy ? 50 : kEvery));
        const auto next_read = read_at + kReadEvery;
        if (busy) std::this_thread::sleep_until(next_read);  // at most kReadEvery
    }
}

}  // namespace goji::app
