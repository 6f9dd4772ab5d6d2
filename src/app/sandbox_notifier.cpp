#include "app/sandbox_notifier.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "http/server/http_client.hpp"

namespace goji::app {

namespace {

constexpr Millis kEvery = 300;
constexpr std::size_t kBatch = 256;
constexpr std::size_t kInFlight = 64;

// Runs fn(thread, item) for every item of a batch on threads kept for the
// gang's lifetime; Run returns when the whole batch is done.
class Gang {
public:
    using Fn = std::function<void(std::size_t thread, std::size_t item)>;

    explicit Gang(std::size_t size) {
        for (std::size_t t = 0; t < size; ++t) threads_.emplace_back([this, t] { Loop(t); });
    }
    ~Gang() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        start_.notify_all();
        for (std::thread& t : threads_) t.join();
    }
    Gang(const Gang&) = delete;
    Gang& operator=(const Gang&) = delete;

    void Run(std::size_t items, Fn fn) {
        std::unique_lock lock(mu_);
        fn_ = std::move(fn);
        items_ = items;
        next_ = 0;
        busy_ = threads_.size();
        ++generation_;
        start_.notify_all();
        done_.wait(lock, [this] { return busy_ == 0; });
    }

private:
    void Loop(std::size_t t) {
        std::uint64_t seen = 0;
        for (;;) {
            {
                std::unique_lock lock(mu_);
                start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
                if (stopping_) return;
                seen = generation_;
            }
            for (std::size_t i = next_++; i < items_; i = next_++) fn_(t, i);
            std::lock_guard lock(mu_);
            if (--busy_ == 0) done_.notify_all();
        }
    }

    std::mutex mu_;
    std::condition_variable start_;
    std::condition_variable done_;
    std::vector<std::thread> threads_;
    Fn fn_;
    std::size_t items_ = 0;
    std::atomic<std::size_t> next_{0};
    std::size_t busy_ = 0;
    std::uint64_t generation_ = 0;
    bool stopping_ = false;
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
    std::deque<http::JsonPoster> posters;
    for (std::size_t i = 0; i < kInFlight; ++i) posters.emplace_back(notify_url);
    Gang gang(kInFlight);
    std::mutex mu;
    std::condition_variable_any cv;
    reconcile_every = std::max<Millis>(100, reconcile_every);
    Millis reconciled_at = p.clock.NowMs();
    while (!stop.stop_requested()) {
        if (p.clock.NowMs() - reconciled_at >= reconcile_every) {
            reconciled_at = p.clock.NowMs();
            Reconcile(p, holder, reconcile_every);
        }
        std::size_t delivered = 0;
        const std::uint64_t charges = p.sandbox.ChargesMade();  // before looking at what is due
        auto lease = p.storage.TryLease("sandbox_notify", holder, p.clock.NowMs(), kEvery * 10);
        const bool holding = lease && *lease;
        if (holding) {
            auto due = p.storage.SandboxCharges().Due(p.clock.NowMs(), kBatch);
            if (due && !due->empty()) {
                std::vector<char> accepted(due->size(), 0);
                gang.Run(due->size(), [&](std::size_t t, std::size_t i) {
                    const orders::SandboxCharge& charge = (*due)[i];
                    const std::string body = p.sandbox.NoticeBody(charge);
                    auto status =
                        posters[t].Post({{"X-Sandbox-Signature", p.sandbox.Sign(body)}}, body, std::chrono::seconds(5));
                    if (status && *status >= 200 && *status < 300) {
                        accepted[i] = 1;
                        return;
                    }
                    spdlog::warn("sandbox notification for payment {} not accepted ({}); retrying",
                                 charge.payment_id.ToString(),
                                 status ? std::to_string(*status) : status.error().internal);
                    (void)p.storage.SandboxCharges().Failed(
                        charge.id, p.clock.NowMs() + infra::SandboxProvider::Backoff(charge.attempts));
                });
                std::vector<std::int64_t> ids;
                for (std::size_t i = 0; i < due->size(); ++i) {
                    if (accepted[i]) ids.push_back((*due)[i].id);
                }
                if (!ids.empty()) {
                    if (auto s = p.storage.SandboxCharges().Delivered(ids, p.clock.NowMs()); s) {
                        delivered = ids.size();
                    } else {
                        spdlog::warn("marking sandbox notifications delivered failed: {}", s.error().internal);
                    }
                }
            }
        }
        if (delivered > 0) continue;  // more are likely due already
        if (holding) {
            // A charge made here wakes the sender at once; ones made on other nodes wait for the round.
            p.sandbox.AwaitChargeAfter(charges, stop, std::chrono::milliseconds(kEvery));
            continue;
        }
        std::unique_lock lock(mu);
        cv.wait_for(lock, stop, std::chrono::milliseconds(kEvery), [] { return false; });
    }
}

}  // namespace goji::app
