#include "common/fiber.hpp"

#include <algorithm>
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <cassert>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace goji::fiber {

namespace ctx = boost::context;

namespace {

// AddressSanitizer must be told of every switch between stacks, or it takes
// a fiber's frames for the thread's and reports errors that are none.
struct StackBounds {
    const void* bottom = nullptr;
    std::size_t size = 0;
};

#if defined(__SANITIZE_ADDRESS__)
void StartSwitch(void** fake, StackBounds to) { __sanitizer_start_switch_fiber(fake, to.bottom, to.size); }
void FinishSwitch(void* fake, StackBounds* from) {
    __sanitizer_finish_switch_fiber(fake, from ? &from->bottom : nullptr, from ? &from->size : nullptr);
}
// The frames a fiber left when it ended keep their marks; the memory would
// otherwise look like a stack's to whatever uses it next.
void Forget(const ctx::stack_context& s) { ASAN_UNPOISON_MEMORY_REGION(static_cast<char*>(s.sp) - s.size, s.size); }
#else
void StartSwitch(void**, StackBounds) {}
void FinishSwitch(void*, StackBounds*) {}
void Forget(const ctx::stack_context&) {}
#endif

// Stacks kept for reuse by one thread: a fiber per request would otherwise
// map and unmap a stack each time.
class StackCache {
public:
    explicit StackCache(std::size_t bytes) : alloc_(bytes) {}
    StackCache(const StackCache&) = delete;
    StackCache& operator=(const StackCache&) = delete;
    ~StackCache() {
        for (auto& s : free_) alloc_.deallocate(s);
    }
    ctx::stack_context Take() {
        if (free_.empty()) return alloc_.allocate();
        ctx::stack_context s = free_.back();
        free_.pop_back();
        return s;
    }
    void Give(ctx::stack_context& s) {
        Forget(s);
        if (free_.size() < kKeep) {
            free_.push_back(s);
        } else {
            alloc_.deallocate(s);
        }
    }

private:
    static constexpr std::size_t kKeep = 64;
    ctx::protected_fixedsize_stack alloc_;
    std::vector<ctx::stack_context> free_;
};

// The allocator Boost.Context keeps inside a fiber: takes from and gives
// back to its thread's cache (a fiber starts and ends on the same thread).
class CachedStack {
public:
    CachedStack(StackCache& cache, StackBounds& bounds) : cache_(&cache), bounds_(&bounds) {}
    ctx::stack_context allocate() {
        ctx::stack_context s = cache_->Take();
        bounds_->bottom = static_cast<const char*>(s.sp) - s.size;
        bounds_->size = s.size;
        return s;
    }
    void deallocate(ctx::stack_context& s) noexcept { cache_->Give(s); }

private:
    StackCache* cache_;
    StackBounds* bounds_;
};

}  // namespace

struct Pool::Worker {
    explicit Worker(Pool& p, std::size_t stack_bytes) : pool(p), stacks(stack_bytes) {}
    Pool& pool;
    std::condition_variable cv;
    std::deque<Fiber*> ready;  // woken fibers of this thread
    StackCache stacks;
    void* fake_stack = nullptr;  // the thread's own stack while a fiber runs (AddressSanitizer)
    StackBounds own;             // the thread's own stack, as the first fiber learnt it
};

struct Fiber {
    Pool::Worker* home = nullptr;
    Task task;
    ctx::fiber other;  // while running: the thread's scheduler; while suspended: this fiber
    StackBounds stack;
    void* fake_stack = nullptr;
    const std::function<void(Waker)>* arm = nullptr;  // set while it suspends
    bool ended = false;
};

namespace {
thread_local Fiber* t_fiber = nullptr;
}  // namespace

bool Running() { return t_fiber != nullptr; }

void Suspend(const std::function<void(Waker)>& arm) {
    Fiber* f = t_fiber;
    assert(f != nullptr);
    f->arm = &arm;
    StartSwitch(&f->fake_stack, f->home->own);
    f->other = std::move(f->other).resume();
    FinishSwitch(f->fake_stack, &f->home->own);
}

void Waker::Wake() const { fiber_->home->pool.Ready(fiber_); }

Pool::Pool(int threads, std::size_t stack_bytes) : stack_bytes_(stack_bytes) {
    const int n = std::max(1, threads);
    for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>(*this, stack_bytes_));
    for (auto& w : workers_) threads_.emplace_back([this, &w] { Loop(*w); });
}

Pool::~Pool() { Join(); }

void Pool::Post(Task task) {
    Worker* wake = nullptr;
    {
        const std::scoped_lock lock(mu_);
        tasks_.push_back(std::move(task));
        if (!idle_.empty()) {
            wake = idle_.back();
            idle_.pop_back();
        }
    }
    if (wake) wake->cv.notify_one();
}

void Pool::Ready(Fiber* f) {
    Worker& w = *f->home;
    bool wake = false;
    {
        const std::scoped_lock lock(mu_);
        w.ready.push_back(f);
        if (auto it = std::find(idle_.begin(), idle_.end(), &w); it != idle_.end()) {
            idle_.erase(it);
            wake = true;
        }
    }
    if (wake) w.cv.notify_one();
}

void Pool::Join() {
    {
        const std::scoped_lock lock(mu_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
        for (Worker* w : idle_) w->cv.notify_one();
        idle_.clear();
    }
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    const std::scoped_lock lock(mu_);
    threads_.clear();
}

void Pool::Loop(Worker& w) {
    std::unique_lock lock(mu_);
    for (;;) {
        Fiber* f = nullptr;
        if (!w.ready.empty()) {
            f = w.ready.front();
            w.ready.pop_front();
        } else if (!tasks_.empty()) {
            Task task = std::move(tasks_.front());
            tasks_.pop_front();
            ++live_;
            lock.unlock();
            f = Start(w, std::move(task));
            RunFiber(w, f);
            lock.lock();
            continue;
        } else if (stopping_ && live_ == 0) {
            // The last one out wakes the others, which have nothing left either.
            for (Worker* other : idle_) other->cv.notify_one();
            idle_.clear();
            return;
        } else {
            idle_.push_back(&w);
            w.cv.wait(lock);
            std::erase(idle_, &w);  // whoever woke it took it off the list, unless the wake was spurious
            continue;
        }
        lock.unlock();
        RunFiber(w, f);
        lock.lock();
    }
}

Fiber* Pool::Start(Worker& w, Task task) {
    auto* f = new Fiber;
    f->home = &w;
    f->task = std::move(task);
    f->other = ctx::fiber(std::allocator_arg, CachedStack(w.stacks, f->stack), [f](ctx::fiber&& scheduler) {
        FinishSwitch(nullptr, &f->home->own);
        f->other = std::move(scheduler);
        f->task();
        f->task = Task();
        f->ended = true;
        StartSwitch(nullptr, f->home->own);  // this stack ends here
        return std::move(f->other);
    });
    return f;
}

// Runs the fiber until it ends or suspends; a suspended one is armed with
// its Waker here, after it has left the thread, so a Wake cannot come before
// it is ready to be resumed.
void Pool::RunFiber(Worker& w, Fiber* f) {
    t_fiber = f;
    StartSwitch(&w.fake_stack, f->stack);
    f->other = std::move(f->other).resume();
    FinishSwitch(w.fake_stack, nullptr);
    t_fiber = nullptr;
    if (f->ended) {
        delete f;
        const std::scoped_lock lock(mu_);
        --live_;
        return;
    }
    const auto* arm = f->arm;
    f->arm = nullptr;
    (*arm)(Waker(f));
}

}  // namespace goji::fiber
