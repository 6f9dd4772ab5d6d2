#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

// Fibers for request handlers: a handler that waits for something done
// elsewhere (a SQLite commit and its sync) gives its thread to the next
// request instead of sleeping on it, so a few threads serve many waiting
// requests without the kernel switching between them. Code below a handler
// stays plain blocking code: only a waiting place that knows about fibers
// (Suspend) lets go of the thread; everything else simply runs. A fiber is
// always resumed on the thread that started it, so thread-local values and
// locks stay with their thread; a fiber must not suspend while it holds a
// lock another fiber of its thread may want.
namespace goji::fiber {

class Pool;
struct Fiber;

// Resumes one suspended fiber; call Wake once, from any thread.
class Waker {
public:
    Waker() = default;
    void Wake() const;

private:
    friend class Pool;
    explicit Waker(Fiber* f) : fiber_(f) {}
    Fiber* fiber_ = nullptr;
};

// Whether the caller runs on a fiber of a Pool.
bool Running();

// Suspends the calling fiber (Running() must be true). `arm` is called
// with the fiber's Waker once the fiber has left its thread, on that
// thread; it may call Wake at once. Suspend returns when the fiber runs
// again.
void Suspend(const std::function<void(Waker)>& arm);

// A task that can be moved but not copied (a coroutine's resumption is
// such a thing), unlike std::function.
class Task {
public:
    Task() = default;
    template <typename Fn>
    Task(Fn fn) : impl_(std::make_unique<Impl<Fn>>(std::move(fn))) {}  // NOLINT(google-explicit-constructor)
    explicit operator bool() const { return impl_ != nullptr; }
    void operator()() { impl_->Run(); }

private:
    struct Base {
        virtual ~Base() = default;
        virtual void Run() = 0;
    };
    template <typename Fn>
    struct Impl final : Base {
        explicit Impl(Fn f) : fn(std::move(f)) {}
        void Run() override { fn(); }
        Fn fn;
    };
    std::unique_ptr<Base> impl_;
};

// Threads that run each posted task on a fiber of its own. New tasks go to
// whichever thread is free; a woken fiber goes back to its own thread.
class Pool {
public:
    explicit Pool(int threads, std::size_t stack_bytes = kDefaultStack);
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    void Post(Task task);
    // Runs what was posted and every fiber to its end, then stops the threads.
    void Join();

    static constexpr std::size_t kDefaultStack = std::size_t{1} << 20;

    struct Worker;  // one thread's (fiber.cpp)

private:
    friend class Waker;
    void Loop(Worker& w);
    void RunFiber(Worker& w, Fiber* f);
    Fiber* Start(Worker& w, Task task);
    void Ready(Fiber* f);

    std::size_t stack_bytes_;
    std::mutex mu_;
    std::deque<Task> tasks_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<Worker*> idle_;
    std::vector<std::thread> threads_;
    std::size_t live_ = 0;  // fibers started and not yet ended
    bool stopping_ = false;
};

}  // namespace goji::fiber
