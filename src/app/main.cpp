// The composition root: parses the command line, builds every part and wires
// the routes. Nothing else in the program constructs services.
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/bench_catalog.hpp"
#include "app/config.hpp"
#include "app/nginx_config.hpp"
#include "app/sandbox_notifier.hpp"
#include "app/seed.hpp"
#include "app/seed_live.hpp"
#include "app/seed_orders.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/live/flash_sale_service.hpp"
#include "domain/live/live_service.hpp"
#include "domain/stats/stats_service.hpp"
#include "http/messages.hpp"
#include "http/middleware/middleware.hpp"
#include "http/pipeline.hpp"
#include "http/routes/flash_sale_routes.hpp"
#include "http/routes/live_channel_routes.hpp"
#include "http/routes/live_routes.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/stats_routes.hpp"
#include "http/server/server.hpp"
#include "http/static_files.hpp"
#include "infra/codes.hpp"
#include "infra/crypto.hpp"
#include "infra/image_ingest.hpp"
#include "infra/images.hpp"
#include "infra/live_media.hpp"
#include "infra/logging.hpp"
#include "infra/pubsub.hpp"
#include "infra/qr.hpp"
#include "infra/region_file.hpp"
#include "infra/sandbox_pay.hpp"
#include "infra/search_tokens.hpp"
#include "infra/stats_report.hpp"
#include "storage/sql/flash_sale_repository.hpp"
#include "storage/sql/live_repository.hpp"
#include "storage/sql/sales_ledger.hpp"
#include "storage/storage.hpp"

namespace goji::app {

infra::Argon2Limits Argon2For(const std::string& name) {
    if (name == "min") return {1, 8192};  // for tests only: fast and weak
    if (name == "moderate") return {3, 256ULL * 1024 * 1024};
    return {2, 64ULL * 1024 * 1024};
}

std::string DefaultRegionsPath() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto beside = exe.parent_path() / "regions.bin";
        if (std::filesystem::exists(beside, ec)) return beside.string();
    }
    return "/usr/share/goji/regions.bin";
}

namespace {

int Fail(const Error& e) {
    std::fprintf(stderr, "goji: %s%s%s\n", e.code.c_str(), e.internal.empty() ? "" : ": ", e.internal.c_str());
    return 1;
}

Result<std::unique_ptr<storage::Storage>> OpenStorage(const Config& c, bool migrate) {
    if (c.db.rfind("sqlite:", 0) == 0) {
        const std::filesystem::path p(c.db.substr(7));
        std::error_code ec;
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
    }
    storage::StorageOptions options{c.db, c.db_pool, true, {}};
    options.search_cache.entries = c.search_cache_entries;
    auto st = storage::Storage::Open(options);
    if (!st) return st;
    if (migrate) {
        auto n = (*st)->Migrate(SystemClock().NowMs());
        if (!n) return std::move(n).error();
        if (*n > 0) spdlog::info("applied {} migration(s)", *n);
    }
    return st;
}

// Everything the commands share: storage, regions and the account service.
struct Core {
    std::unique_ptr<storage::Storage> storage;
    std::unique_ptr<infra::RegionFile> regions;
    SystemClock clock;
    std::unique_ptr<infra::SodiumPasswordHasher> hasher;
    infra::SodiumSecretSource secrets;
    std::unique_ptr<accounts::AccountService> accounts;
    std::unique_ptr<infra::PinyinSearchTokenizer> tokenizer;
    infra::RandomCodeSource codes;
    std::unique_ptr<infra::ImageStore> media;
    std::unique_ptr<infra::StoredImageIngest> images;
    std::unique_ptr<catalog::CatalogService> catalog;
    std::unique_ptr<orders::AddressBook> addresses;
    std::unique_ptr<orders::CartService> cart;
    std::unique_ptr<orders::OrderService> orders;
    std::unique_ptr<infra::SandboxProvider> sandbox;
    std::unique_ptr<orders::PaymentService> payments;
    std::unique_ptr<orders::AfterSaleService> aftersale;
    std::unique_ptr<orders::PricingService> pricing;
    std::unique_ptr<stats::StatsRepository> stats_repo;
    infra::StatsReportRenderer report_renderer;
    std::unique_ptr<stats::StatsService> stats;
    std::unique_ptr<live::LiveRepository> live_repo;
    infra::SodiumStreamKeys stream_keys;
    std::unique_ptr<infra::FfmpegRecordingConverter> recordings;
    std::unique_ptr<live::LiveService> live;
    std::unique_ptr<live::FlashSaleRepository> flash_repo;
    std::unique_ptr<live::FlashSaleService> flash;
};

// The live folder: given, or "live" beside the SQLite file, or data/live.
std::string LiveDir(const Config& c) {
    if (!c.live_dir.empty()) return c.live_dir;
    if (c.db.rfind("sqlite:", 0) != 0) return "data/live";
    const auto parent = std::filesystem::path(c.db.substr(7)).parent_path();
    return parent.empty() ? std::string("live") : (parent / "live").string();
}

Result<std::unique_ptr<Core>> MakeCore(const Config& c) {
    auto core = std::make_unique<Core>();
    auto regions = infra::RegionFile::Open(c.regions.empty() ? DefaultRegionsPath() : c.regions);
    if (!regions) return std::move(regions).error();
    core->regions = std::move(regions).value();
    auto st = OpenStorage(c, true);
    if (!st) return std::move(st).error();
    core->storage = std::move(st).value();
    core->hasher = std::make_unique<infra::SodiumPasswordHasher>(Argon2For(c.argon2));
    accounts::AccountConfig ac;
    ac.session_ttl_ms = static_cast<Millis>(c.session_ttl_days) * 24 * 3600 * 1000;
    core->accounts =
        std::make_unique<accounts::AccountService>(core->storage->Users(), core->storage->Sessions(), *core->hasher,
                                                   core->secrets, *core->regions, core->clock, ac);
    core->tokenizer = std::make_unique<infra::PinyinSearchTokenizer>();
    std::string media_dir = c.media_dir;
    if (media_dir.empty()) {
        const bool sqlite = c.db.rfind("sqlite:", 0) == 0;
        const std::filesystem::path beside = std::filesystem::path(c.db.substr(7)).parent_path() / "media";
        media_dir = sqlite ? beside.string() : std::string("data/media");
        if (media_dir == "media") media_dir = "./media";
    }
    core->media = std::make_unique<infra::ImageStore>(media_dir);
    core->images = std::make_unique<infra::StoredImageIngest>(*core->media, infra::ImageLimits{});
    core->catalog = std::make_unique<catalog::CatalogService>(
        core->storage->Catalog(), *core->regions, *core->tokenizer, core->codes, *core->images, core->clock);
    core->addresses = std::make_unique<orders::AddressBook>(core->storage->Addresses(), *core->regions, core->clock);
    core->cart = std::make_unique<orders::CartService>(core->storage->Carts(), core->clock);
    auto* catalog_repo = &core->storage->Catalog();
    core->orders = std::make_unique<orders::OrderService>(
        core->storage->Orders(), *core->addresses, *core->cart,
        [catalog_repo](ShopId shop, UserId user) { return catalog_repo->IsMember(shop, user); }, core->clock,
        static_cast<Millis>(c.payment_window_s) * 1000);
    core->sandbox = std::make_unique<infra::SandboxProvider>(
        core->storage->SandboxCharges(), c.sandbox_secret.empty() ? infra::RandomBase64Url(32) : c.sandbox_secret);
    core->payments = std::make_unique<orders::PaymentService>(core->storage->Payments(), *core->sandbox, core->clock);
    constexpr double kDayMs = 24.0 * 3600 * 1000;
    core->aftersale = std::make_unique<orders::AfterSaleService>(
        core->storage->AfterSale(), core->storage->Orders(),
        [catalog_repo](ShopId shop, UserId user) { return catalog_repo->IsMember(shop, user); }, core->clock,
        orders::SettleTimes{static_cast<Millis>(c.auto_receive_days * kDayMs),
                            static_cast<Millis>(c.complete_after_days * kDayMs)});
    core->pricing = std::make_unique<orders::PricingService>(
        core->storage->Pricing(), *core->catalog,
        [catalog_repo](ShopId shop, UserId user) { return catalog_repo->IsMember(shop, user); }, *core->regions,
        core->codes, core->clock);
    core->stats_repo = storage::MakeStatsRepository(core->storage->Sql(), core->clock);
    core->stats =
        std::make_unique<stats::StatsService>(*core->stats_repo, *core->regions, core->clock, &core->report_renderer);
    core->live_repo = storage::MakeLiveRepository(core->storage->Sql());
    const std::filesystem::path live_dir = LiveDir(c);
    core->recordings =
        std::make_unique<infra::FfmpegRecordingConverter>(live_dir / "recordings", live_dir / "replays", c.ffmpeg);
    core->live = std::make_unique<live::LiveService>(*core->live_repo, core->storage->Catalog(), core->stream_keys,
                                                     *core->recordings, core->clock);
    core->flash_repo = storage::MakeFlashSaleRepository(core->storage->Sql());
    core->flash =
        std::make_unique<live::FlashSaleService>(*core->flash_repo, *core->live_repo, *catalog_repo, *core->addresses,
                                                 core->clock, static_cast<Millis>(c.flash_sale_payment_window_ms));
    return core;
}

void PrintBanner(const Config& c, std::uint16_t port) {
    std::string host = c.server.listen.substr(0, c.server.listen.rfind(':'));
    std::printf("\nGoji is serving http://%s:%u\n", host.c_str(), static_cast<unsigned>(port));
    std::printf("Demo logins (public demo passwords, change them for real use):\n");
    for (const auto& l : DemoLogins()) {
        std::printf("  %-16s %-20s %s\n", l.login.c_str(), l.password.c_str(), l.what.c_str());
    }
    std::printf("Demo coupons (claim them as the buyer, or type them at checkout):\n");
    for (const auto& c : DemoCoupons()) std::printf("  %-16s %s\n", c.code.c_str(), c.what.c_str());
    PrintLiveBanner(c.live_rtmp_url, "http://" + host + ":" + std::to_string(port));
    std::printf("\n");
    std::fflush(stdout);
}

int Serve(const Config& c) {
    auto access = infra::SetupLogging(c.access_log, c.log_level);
    auto made = MakeCore(c);
    if (!made) return Fail(made.error());
    Core& core = **made;

    http::Messages messages;
    // The live rooms' channel, in this process or across nodes through Redis;
    // declared before the server, whose sockets hold seats in it.
    std::unique_ptr<PubSub> bus;
    if (c.redis.empty()) {
        bus = infra::MakeLocalPubSub();
    } else {
        auto redis = infra::MakeRedisPubSub(c.redis);
        if (!redis) return Fail(redis.error());
        bus = std::move(redis).value();
    }
    live::ChannelOptions channel_options;
    channel_options.node = c.server.listen + "/" + std::to_string(::getpid()) + "/" + infra::RandomBase64Url(6);
    if (!c.banned_words_file.empty()) {
        std::ifstream words(c.banned_words_file);
        if (!words) return Fail(Error::BadInput("banned_words_file", "unreadable"));
        for (std::string w; std::getline(words, w);) {
            if (!w.empty() && w.back() == '\r') w.pop_back();
            if (!w.empty()) channel_options.banned_words.push_back(w);
        }
    }
    live::RoomChannels channels(*bus, core.clock, channel_options);
    // Every second the likes this node's viewers gave and the peak viewer
    // counts it saw are added to the rooms' stored figures (and at the end).
    const auto save_counters = [&channels, &core] {
        for (const auto& c : channels.TakeCounters()) {
            if (auto saved = core.live->AddCounters(LiveRoomId{c.room}, c.likes, c.peak_viewers); !saved) {
                spdlog::warn("live room {}: likes and peak viewers not saved: {}", c.room, saved.error().internal);
            }
        }
    };
    std::jthread channel_timer([&channels, &save_counters](std::stop_token stop) {
        std::mutex mu;
        std::condition_variable_any cv;
        int ticks = 0;
        while (!stop.stop_requested()) {
            channels.Tick();
            if (++ticks % 10 == 0) save_counters();
            std::unique_lock lock(mu);
            cv.wait_for(lock, stop, std::chrono::milliseconds(100), [] { return false; });
        }
    });

    http::Router router;
    std::unique_ptr<http::Metrics> metrics;
    std::unique_ptr<http::Server> server;
    http::Services services{
        *core.accounts,
        *core.catalog,
        *core.addresses,
        *core.cart,
        *core.orders,
        *core.payments,
        *core.aftersale,
        *core.pricing,
        *core.regions,
        core.clock,
        [&core] { return core.storage->Ping(); },
        [&metrics] { return metrics->Render(); },
        {c.secure_cookies},
        [&core](std::string_view hash, std::string_view variant) { return core.media->PathFor(hash, variant); },
        [](std::string_view text) { return infra::QrSvg(text); },
        c.public_url.empty() ? "http://" + c.server.listen : c.public_url,
        c.list_cache_entries,
        std::chrono::milliseconds(c.list_fresh_ms)};
    http::AddAllRoutes(router, services);
    http::AddStatsRoutes(router, *core.stats);
    // The domain's events into the room channel, sent after their commits.
    http::RoomChannelEvents room_events(channels, *core.regions, core.clock);
    core.flash->SetEvents(&room_events);
    core.payments->OnRoomOrdersPaid([&core, &room_events](const std::vector<OrderId>& ids) {
        for (const OrderId id : ids) {
            if (auto order = core.storage->Orders().Find(id)) room_events.OrderPaid(*order);
        }
    });
    // Recordings become replays one at a time on a thread of their own, away
    // from the RTMP server's requests; those a stop left behind are taken
    // up at the next start.
    struct {
        std::mutex mu;
        std::condition_variable_any cv;
        std::deque<live::Recording> waiting;
    } recordings;
    const auto convert_later = [&recordings](live::Recording r) {
        {
            std::lock_guard lock(recordings.mu);
            recordings.waiting.push_back(std::move(r));
        }
        recordings.cv.notify_one();
    };
    std::jthread replay_maker([&core, &recordings, convert_later](std::stop_token stop) {
        for (live::Recording& r : core.live->LeftoverRecordings()) convert_later(std::move(r));
        for (;;) {
            live::Recording r;
            {
                std::unique_lock lock(recordings.mu);
                if (!recordings.cv.wait(lock, stop, [&recordings] { return !recordings.waiting.empty(); })) return;
                r = std::move(recordings.waiting.front());
                recordings.waiting.pop_front();
            }
            if (auto replay = core.live->ConvertRecording(r)) {
                spdlog::info("live room {}: replay {} ready", replay->room_id.value, replay->file);
            } else {
                spdlog::warn("live room {}: a recording did not become a replay: {} {}", r.room.value,
                             replay.error().code, replay.error().internal);
            }
        }
    });
    http::LiveRouteOptions live_options{c.live_rtmp_url, c.live_media_url, {}};
    live_options.convert_later = convert_later;
    live_options.flash_sales = core.flash.get();
    live_options.on_pin = [&room_events](const live::Room& room) { room_events.Pinned(room); };
    live_options.on_status = [&room_events](const live::Room& room) { room_events.StatusChanged(room); };
    live_options.channel_viewers = [&channels](LiveRoomId room) {
        return std::pair{channels.Viewers(room.value), channels.PeakViewers(room.value)};
    };
    if (!c.live_callback_secret.empty()) {
        live_options.callback_secret_ok = [secret = c.live_callback_secret](std::string_view given) {
            return infra::ConstantTimeEqual(given, secret);
        };
    }
    http::AddLiveRoutes(router, *core.live, live_options);
    http::AddLiveChannelRoutes(router, *core.live, channels, core.clock);
    http::AddFlashSaleRoutes(router, *core.flash);
    http::StaticFiles statics(c.web_root);
    router.SetFallback([&statics](http::Context& ctx) { return statics.Serve(ctx); });

    metrics = std::make_unique<http::Metrics>(router);
    metrics->AddSource([&core, &server](std::string& out) {
        const auto s = core.storage->Stats();
        const std::string d(core.storage->Dialect());
        out += "# TYPE goji_db_pool_connections gauge\ngoji_db_pool_connections{dialect=\"" + d + "\"} " +
               std::to_string(s.connections) + "\n";
        out += "# TYPE goji_db_pool_in_use gauge\ngoji_db_pool_in_use{dialect=\"" + d + "\"} " +
               std::to_string(s.in_use) + "\n";
        out += "# TYPE goji_db_pool_acquired_total counter\ngoji_db_pool_acquired_total{dialect=\"" + d + "\"} " +
               std::to_string(s.acquired_total) + "\n";
        out += "# TYPE goji_db_pool_waited_total counter\ngoji_db_pool_waited_total{dialect=\"" + d + "\"} " +
               std::to_string(s.waited_total) + "\n";
        out += "# TYPE goji_db_pool_timeouts_total counter\ngoji_db_pool_timeouts_total{dialect=\"" + d + "\"} " +
               std::to_string(s.timeouts_total) + "\n";
        if (server) {
            const auto ss = server->Stats();
            out += "# TYPE goji_http_connections_open gauge\ngoji_http_connections_open " +
                   std::to_string(ss.connections_open) + "\n";
            out += "# TYPE goji_http_connections_refused_total counter\ngoji_http_connections_refused_total " +
                   std::to_string(ss.connections_refused) + "\n";
            out += "# TYPE goji_http_requests_queued gauge\ngoji_http_requests_queued " +
                   std::to_string(ss.requests_queued) + "\n";
        }
    });

    http::Pipeline pipeline(router, messages, *metrics,
                            [&core](std::string_view token) { return core.accounts->Authenticate(token); });
    pipeline.Use(std::make_unique<http::RequestIdMiddleware>(c.trust_proxy));
    pipeline.Use(std::make_unique<http::AccessLogMiddleware>(access, *metrics));
    pipeline.Use(std::make_unique<http::RateLimitMiddleware>(core.clock,
                                                             RateLimiter::Rule{c.rate_limit_rps, c.rate_limit_burst}));
    pipeline.Use(std::make_unique<http::SessionMiddleware>(
        [&core](const accounts::Session& s, std::string_view t) { return core.accounts->CsrfMatches(s, t); }));

    http::ServerOptions server_options = c.server;
    if (server_options.worker_threads <= 0 && core.storage->Dialect() == "sqlite") {
        // A handler waiting for SQLite's commit lets go of its thread (a fiber, common/fiber.hpp), so a few
        // threads per core serve every request (2 per core sold as much as 4 or 6 in the checkout benchmark;
        // 4 leave room for handlers that hold theirs: password hashing, pictures); PostgreSQL's calls block
        // theirs (the server's default).
        const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
        server_options.worker_threads = std::max(8, 4 * cores);
    }
    server = std::make_unique<http::Server>(server_options, pipeline);
    if (auto s = server->Listen(); !s) return Fail(s.error());
    // A room's events go out on every I/O thread at once (each viewer on its seat's lane); once the
    // server has stopped, whatever the channel still sends (the last ticks, a flash sale ending) is sent
    // on the calling thread (the sockets are closed by then: nothing is written).
    struct Lanes {
        std::mutex mu;
        http::Server* server = nullptr;
    };
    auto lanes = std::make_shared<Lanes>();
    lanes->server = server.get();
    channels.SpreadSending(server->IoThreads(), [lanes](std::size_t lane, std::function<void()> task) {
        {
            std::lock_guard lock(lanes->mu);
            if (lanes->server != nullptr) {
                lanes->server->RunOnLane(lane, std::move(task));
                return;
            }
        }
        task();
    });
    spdlog::info("listening on {} (port {}), database {}", c.server.listen, server->port(), core.storage->Dialect());
    if (c.banner) PrintBanner(c, server->port());
    // Expired sessions are deleted now and then; the delete is idempotent, so
    // with several nodes it does not matter which one does it.
    std::jthread sweeper([&core](std::stop_token stop) {
        std::mutex mu;
        std::condition_variable_any cv;
        while (!stop.stop_requested()) {
            if (auto n = core.accounts->PurgeExpiredSessions(); n && *n > 0) {
                spdlog::info("deleted {} expired session(s)", *n);
            }
            std::unique_lock lock(mu);
            cv.wait_for(lock, stop, std::chrono::minutes(10), [] { return false; });
        }
    });
    // Unpaid orders past their time are cancelled and their stock released by
    // one node at a time: the one holding the job's lease in the database.
    const std::string holder = c.server.listen + "/" + std::to_string(::getpid()) + "/" + infra::RandomBase64Url(6);
    std::jthread expirer([&core, &c, holder](std::stop_token stop) {
        std::mutex mu;
        std::condition_variable_any cv;
        const Millis every = std::max(100, c.expiry_sweep_ms);
        while (!stop.stop_requested()) {
            auto lease = core.storage->TryLease("expire_unpaid_orders", holder, core.clock.NowMs(), every * 3);
            if (lease && *lease) {
                auto n = core.orders->ExpireUnpaid(500);
                if (!n) {
                    spdlog::warn("expiring unpaid orders failed: {}", n.error().internal);
                } else if (*n > 0) {
                    spdlog::info("cancelled {} unpaid order(s) past their time", *n);
                }
            }
            // Shipped orders nobody confirmed are received, delivered ones completed.
            lease = core.storage->TryLease("settle_orders", holder, core.clock.NowMs(), every * 3);
            if (lease && *lease) {
                auto n = core.aftersale->Settle(500);
                if (!n) {
                    spdlog::warn("settling orders failed: {}", n.error().internal);
                } else if (*n > 0) {
                    spdlog::info("settled {} order(s): received or completed", *n);
                }
            }
            std::unique_lock lock(mu);
            cv.wait_for(lock, stop, std::chrono::milliseconds(every), [] { return false; });
        }
    });
    // Flash sales start and end on time: one node announces starts and
    // gives the unsold units of ended sales back to their SKUs.
    std::jthread flash_timer([&core, &c, holder](std::stop_token stop) {
        std::mutex mu;
        std::condition_variable_any cv;
        const Millis every = std::max(50, c.flash_sale_tick_ms);
        Millis since = core.clock.NowMs();
        while (!stop.stop_requested()) {
            const Millis now = core.clock.NowMs();
            auto lease = core.storage->TryLease("flash_sales", holder, now, every * 4);
            if (lease && *lease) {
                if (auto n = core.flash->Tick(since, now); !n) {
                    spdlog::warn("flash sale timer failed: {}", n.error().internal);
                } else {
                    since = now;
                }
            } else {
                since = now;
            }
            std::unique_lock lock(mu);
            cv.wait_for(lock, stop, std::chrono::milliseconds(every), [] { return false; });
        }
    });
    // The sandbox provider's notifications (app/sandbox_notifier.hpp).
    const std::string notify_url = c.sandbox_notify_url.empty() ? "http://127.0.0.1:" + std::to_string(server->port()) +
                                                                      "/api/v1/payments/notify/sandbox"
                                                                : c.sandbox_notify_url;
    std::jthread notifier([&core, &c, holder, notify_url](std::stop_token stop) {
        RunSandboxNotifier({*core.storage, *core.sandbox, *core.payments, core.clock}, notify_url, holder,
                           c.reconcile_ms, stop);
    });
    server->Run();
    {
        std::lock_guard lock(lanes->mu);
        lanes->server = nullptr;
    }
    channel_timer.request_stop();
    channel_timer.join();
    channels.Tick();  // the last likes taken
    save_counters();
    notifier.request_stop();
    flash_timer.request_stop();
    expirer.request_stop();
    sweeper.request_stop();
    replay_maker.request_stop();  // a remux under way is finished; what waits is taken up at the next start
    replay_maker.join();
    spdlog::info("stopped");
    spdlog::shutdown();
    return 0;
}

}  // namespace
}  // namespace goji::app

int main(int argc, char** argv) {
    using goji::app::Config;
    goji::infra::InitCrypto();
    Config c;
    CLI::App cli{"Goji: the county e-commerce platform"};
    cli.require_subcommand(1);
    const auto add_db = [&c](CLI::App* cmd) {
        cmd->add_option("--media-dir", c.media_dir, "where product pictures are stored (default: beside the database)");
        cmd->add_option("--db", c.db, "sqlite:PATH or postgres://…")->capture_default_str();
        cmd->add_option("--db-pool", c.db_pool, "PostgreSQL connections / SQLite readers")->capture_default_str();
        cmd->add_option("--search-cache", c.search_cache_entries, "searches whose results are kept (0: none)")
            ->capture_default_str();
        cmd->add_option("--regions", c.regions, "region data file (default: regions.bin beside the binary)");
        cmd->add_option("--argon2", c.argon2, "password hashing cost: interactive, moderate, min (tests only)")
            ->capture_default_str();
    };

    auto* serve = cli.add_subcommand("serve", "Serve HTTP");
    add_db(serve);
    serve->add_option("--listen", c.server.listen, "address:port")->capture_default_str();
    serve->add_option("--io-threads", c.server.io_threads, "I/O threads (0: one per core)");
    serve->add_option("--workers", c.server.worker_threads,
                      "threads that run the handlers (0: 4 per core on SQLite, 16 per core on PostgreSQL)");
    serve->add_option("--max-connections", c.server.max_connections)->capture_default_str();
    serve->add_option("--web-root", c.web_root, "built web app")->capture_default_str();
    serve->add_option("--access-log", c.access_log, "'-' (stdout), 'off' or a file")->capture_default_str();
    serve->add_option("--log-level", c.log_level)->capture_default_str();
    serve->add_option("--rate-limit-rps", c.rate_limit_rps, "requests per second per client address (0: off)")
        ->capture_default_str();
    serve->add_option("--rate-limit-burst", c.rate_limit_burst)->capture_default_str();
    serve->add_option("--session-ttl-days", c.session_ttl_days)->capture_default_str();
    serve->add_option("--payment-window-s", c.payment_window_s, "time to pay an order before its stock goes back")
        ->capture_default_str()
        ->check(CLI::Range(1, 7 * 24 * 3600));
    serve->add_option("--sandbox-secret", c.sandbox_secret,
                      "HMAC key of the sandbox payment provider (the same on every node; default: random)");
    serve->add_option("--sandbox-notify-url", c.sandbox_notify_url,
                      "where the sandbox provider sends its notifications (default: this node)");
    serve
        ->add_option("--flash-sale-payment-window-ms", c.flash_sale_payment_window_ms,
                     "time to pay a flash-sale order before its units go back to the sale")
        ->check(CLI::Range(std::int64_t{1000}, std::int64_t{24} * 3600 * 1000))
        ->capture_default_str();
    serve->add_option("--flash-sale-tick-ms", c.flash_sale_tick_ms, "how often flash sales are started and ended")
        ->check(CLI::Range(50, 60000))
        ->capture_default_str();
    serve->add_option("--expiry-sweep-ms", c.expiry_sweep_ms, "how often unpaid orders past their time are cancelled")
        ->capture_default_str();
    serve
        ->add_option("--reconcile-ms", c.reconcile_ms,
                     "how often pending payments older than this are checked with the provider")
        ->capture_default_str()
        ->check(CLI::Range(100, 24 * 3600 * 1000));
    serve->add_option("--auto-receive-days", c.auto_receive_days, "shipped orders count as received after this long")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 365.0));
    serve
        ->add_option("--complete-after-days", c.complete_after_days,
                     "delivered orders are completed (refund window closed) after this long")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 365.0));
    serve->add_flag("--secure-cookies", c.secure_cookies, "mark cookies Secure (behind HTTPS)");
    serve->add_flag("--banner", c.banner, "print the URL and the demo logins");
    serve->add_option("--list-cache", c.list_cache_entries, "rendered product lists kept (0: none)")
        ->capture_default_str();
    serve->add_option("--list-fresh-ms", c.list_fresh_ms, "how old stock shown in a cached list may be")
        ->capture_default_str()
        ->check(CLI::Range(0, 60'000));
    serve->add_option("--public-url", c.public_url, "the address buyers use, for links printed on bags");
    serve->add_flag("--trust-proxy", c.trust_proxy, "take the client address from X-Forwarded-For (behind HAProxy)");
    int header_timeout_ms = 10'000;
    int idle_timeout_ms = 60'000;
    int body_timeout_ms = 60'000;
    serve->add_option("--header-timeout-ms", header_timeout_ms, "time for a request's headers to arrive")
        ->capture_default_str();
    serve->add_option("--idle-timeout-ms", idle_timeout_ms, "keep-alive wait between requests")->capture_default_str();
    serve->add_option("--body-timeout-ms", body_timeout_ms, "time for a request's body to arrive")
        ->capture_default_str();
    serve->add_option("--max-queued", c.server.max_queued_requests, "requests waiting for a worker before 503")
        ->capture_default_str();

    serve->add_option("--live-rtmp-url", c.live_rtmp_url, "where hosts push RTMP (the stream key follows)")
        ->capture_default_str();
    serve->add_option("--live-media-url", c.live_media_url, "nginx's address of live HLS and replays")
        ->capture_default_str();
    serve->add_option("--live-callback-secret", c.live_callback_secret,
                      "shared secret of the RTMP server's callbacks (as given to goji nginx-config)");
    serve->add_option("--redis", c.redis,
                      "Redis address (host:port) that carries the live rooms' channel between nodes (default: none, "
                      "one node)");
    serve->add_option("--banned-words-file", c.banned_words_file,
                      "words starred out of live chat, one per line (UTF-8)");
    serve->add_option("--ffmpeg", c.ffmpeg, "ffmpeg program, to remux recordings into replays")->capture_default_str();
    for (auto* cmd : {serve}) {
        cmd->add_option("--live-dir", c.live_dir,
                        "live video folder shared with nginx (default: live beside the database, or data/live)");
    }

    auto* nginx_cmd = cli.add_subcommand("nginx-config", "Write the nginx (RTMP + HLS) configuration for live video");
    goji::app::NginxConfigOptions nginx;
    std::string nginx_out;
    nginx_cmd->add_option("--out", nginx_out, "file to write ('-': standard output)")->required();
    nginx_cmd->add_option("--rtmp-listen", nginx.rtmp_listen, "RTMP address:port (hosts push here)")
        ->capture_default_str();
    nginx_cmd->add_option("--http-listen", nginx.http_listen, "HTTP address:port of HLS and replays")
        ->capture_default_str();
    nginx_cmd->add_option("--live-dir", nginx.live_dir, "the same folder as goji serve --live-dir")
        ->capture_default_str();
    nginx_cmd->add_option("--goji-url", nginx.goji_url, "goji's address as nginx reaches it (loopback)")
        ->capture_default_str();
    nginx_cmd->add_option("--callback-secret", nginx.callback_secret,
                          "shared secret for the callbacks (the same as goji serve --live-callback-secret)");
    nginx_cmd->add_option("--rtmp-module", nginx.rtmp_module, "the nginx-rtmp module")->capture_default_str();
    nginx_cmd->add_option("--hls-fragment-s", nginx.hls_fragment_s, "HLS fragment length")
        ->capture_default_str()
        ->check(CLI::Range(1, 10));
    nginx_cmd->add_option("--hls-playlist-s", nginx.hls_playlist_s, "HLS playlist length")
        ->capture_default_str()
        ->check(CLI::Range(3, 120));

    auto* migrate = cli.add_subcommand("migrate", "Apply database migrations");
    add_db(migrate);

    auto* seed = cli.add_subcommand("seed", "Fill the database");
    add_db(seed);
    bool demo = false;
    bool if_empty = false;
    std::int64_t bench_products = 0;
    auto* demo_flag = seed->add_flag("--demo", demo, "the demo county");
    auto* bench_flag =
        seed->add_option("--bench-catalog", bench_products, "a generated catalog of this many products (benchmarks)");
    std::int64_t bench_buyers = 0;
    std::string bench_out;
    auto* buyers_flag = seed->add_option("--bench-buyers", bench_buyers,
                                         "buyers with an address and a session, and products to check out (the "
                                         "checkout benchmark; an empty database)");
    seed->add_option("--bench-out", bench_out, "where --bench-buyers writes its buyers, sessions and SKUs")
        ->needs(buyers_flag);
    buyers_flag->needs("--bench-out");
    demo_flag->excludes(bench_flag);
    demo_flag->excludes(buyers_flag);
    bench_flag->excludes(buyers_flag);
    seed->add_flag("--if-empty", if_empty, "only when there are no users yet");

    auto* check = cli.add_subcommand("check", "Verify invariants of the stored data");
    check->require_subcommand(1);
    auto* check_stock = check->add_subcommand("stock", "Every SKU's figures against its stock ledger");
    add_db(check_stock);

    auto* stats_cmd = cli.add_subcommand("stats", "Statistics");
    stats_cmd->require_subcommand(1);
    auto* stats_verify =
        stats_cmd->add_subcommand("verify", "Recompute the daily figures from orders, refunds and imports");
    add_db(stats_verify);
    bool rebuild = false;
    stats_verify->add_flag("--rebuild", rebuild, "replace the stored figures with the recomputed ones");

    auto* import_cmd = cli.add_subcommand("import", "Import data");
    import_cmd->require_subcommand(1);
    auto* import_orders = import_cmd->add_subcommand("orders", "Historical sales from a CSV file");
    add_db(import_orders);
    std::string import_file;
    import_orders->add_option("file", import_file, "CSV with the header of POST /api/v1/admin/imports/orders")
        ->required();

    auto* user = cli.add_subcommand("user", "Manage users");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand("add", "Add a user");
    add_db(user_add);
    std::string login;
    std::string role;
    std::string region;
    std::string display_name;
    bool password_stdin = false;
    user_add->add_option("--login", login)->required();
    user_add->add_option("--role", role, "trainer, county_officer or admin");
    user_add->add_option("--region", region, "region code (county officers)");
    user_add->add_option("--display-name", display_name);
    user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input");

    CLI11_PARSE(cli, argc, argv);
    c.server.header_timeout = std::chrono::milliseconds(header_timeout_ms);
    c.server.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
    c.server.body_timeout = std::chrono::milliseconds(body_timeout_ms);

    using namespace goji;
    if (serve->parsed()) return app::Serve(c);
    if (nginx_cmd->parsed()) {
        auto text = app::RenderNginxConfig(nginx);
        if (!text) return app::Fail(text.error());
        if (auto s = app::MakeLiveFolders(nginx.live_dir); !s) return app::Fail(s.error());
        if (nginx_out == "-") {
            std::fwrite(text->data(), 1, text->size(), stdout);
            return 0;
        }
        std::ofstream file(nginx_out, std::ios::binary | std::ios::trunc);
        file << *text;
        if (!file.flush()) return app::Fail(Error::Internal("cannot write " + nginx_out));
        return 0;
    }
    if (migrate->parsed()) {
        auto st = app::OpenStorage(c, true);
        if (!st) return app::Fail(st.error());
        auto v = (*st)->SchemaVersion();
        std::printf("schema version %d (%s)\n", v ? *v : -1, std::string((*st)->Dialect()).c_str());
        return 0;
    }
    auto core = app::MakeCore(c);
    if (!core) return app::Fail(core.error());
    if (seed->parsed() && bench_products > 0) {
        auto made = app::SeedBenchCatalog(*(*core)->accounts, *(*core)->catalog, *(*core)->regions, bench_products);
        if (!made) return app::Fail(made.error());
        std::printf("%lld products generated\n", static_cast<long long>(*made));
        return 0;
    }
    if (seed->parsed() && bench_buyers > 0) {
        auto made = app::SeedBenchBuyers(*(*core)->accounts, *(*core)->catalog, *(*core)->addresses, *(*core)->pricing,
                                         *(*core)->regions, bench_buyers);
        if (!made) return app::Fail(made.error());
        std::ofstream file(bench_out, std::ios::binary | std::ios::trunc);
        file << app::BenchCheckoutFile(*made);
        if (!file.flush()) return app::Fail(Error::Internal("cannot write " + bench_out));
        std::printf("%zu buyers and %zu SKUs generated, written to %s\n", made->buyers.size(), made->skus.size(),
                    bench_out.c_str());
        return 0;
    }
    if (seed->parsed()) {
        if (!demo) return app::Fail(Error::BadInput("seed", "choose --demo, --bench-catalog N or --bench-buyers N"));
        auto done = app::SeedDemo(*(*core)->accounts, (*core)->storage->Users(), *(*core)->catalog, *(*core)->addresses,
                                  *(*core)->cart, *(*core)->orders, (*core)->clock, if_empty);
        if (!done) return app::Fail(done.error());
        if (*done) {
            auto priced =
                app::SeedDemoPricing(*(*core)->accounts, *(*core)->catalog, *(*core)->pricing, (*core)->clock);
            if (!priced) return app::Fail(priced.error());
            auto& k = **core;
            auto more = app::SeedDemoOrders(
                {*k.accounts, *k.catalog, *k.addresses, *k.orders, k.storage->Payments(), *k.aftersale, k.clock});
            if (!more) return app::Fail(more.error());
            auto room = app::SeedDemoLive(*k.accounts, *k.catalog, *k.live, *k.flash, k.clock);
            if (!room) return app::Fail(room.error());
            auto history = app::SeedDemoHistory(*k.accounts, *k.catalog, *k.stats, k.clock);
            if (!history) return app::Fail(history.error());
            std::printf("%lld past orders imported for the statistics\n", static_cast<long long>(*history));
        }
        std::printf(*done ? "demo county seeded\n" : "database not empty: demo seed skipped\n");
        return 0;
    }
    if (check_stock->parsed()) {
        auto problems = (*core)->storage->Catalog().CheckStock();
        if (!problems) return app::Fail(problems.error());
        for (const auto& p : *problems) std::printf("%s\n", p.Describe().c_str());
        if (!problems->empty()) {
            std::printf("stock: %zu SKU(s) disagree with the ledger\n", problems->size());
            return 1;
        }
        std::printf("stock: every SKU agrees with its ledger\n");
        auto sales = (*core)->flash_repo->Check();
        if (!sales) return app::Fail(sales.error());
        for (const auto& p : *sales) std::printf("%s\n", p.Describe().c_str());
        if (!sales->empty()) {
            std::printf("stock: %zu flash sale(s) disagree with their orders\n", sales->size());
            return 1;
        }
        std::printf("stock: every flash sale agrees with its orders\n");
        return 0;
    }
    if (stats_verify->parsed()) {
        auto diffs = (*core)->stats->Verify(rebuild);
        if (!diffs) return app::Fail(diffs.error());
        for (const auto& d : *diffs) {
            std::printf(
                "%s %s: stored gross %lld refunds %lld orders %lld, recomputed gross %lld refunds %lld "
                "orders %lld\n",
                d.table.c_str(), d.key.c_str(), static_cast<long long>(d.stored.gross_fen),
                static_cast<long long>(d.stored.refunds_fen), static_cast<long long>(d.stored.orders),
                static_cast<long long>(d.recomputed.gross_fen), static_cast<long long>(d.recomputed.refunds_fen),
                static_cast<long long>(d.recomputed.orders));
        }
        if (!diffs->empty()) {
            std::printf(rebuild ? "stats: %zu row(s) differed and were rebuilt\n"
                                : "stats: %zu row(s) differ from the orders\n",
                        diffs->size());
            return rebuild ? 0 : 1;
        }
        std::printf("stats: every daily figure agrees with the orders\n");
        return 0;
    }
    if (import_orders->parsed()) {
        std::ifstream in(import_file, std::ios::binary);
        if (!in) return app::Fail(Error::BadInput("file", "unreadable"));
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        auto r = (*core)->stats->ImportCsvAsOperator(text);
        if (!r) return app::Fail(r.error());
        for (const auto& x : r->rejected) std::printf("line %zu: %s\n", x.line, x.code.c_str());
        std::printf("imported %lld, skipped %lld (imported before), rejected %zu\n",
                    static_cast<long long>(r->imported), static_cast<long long>(r->skipped), r->rejected.size());
        return r->rejected.empty() ? 0 : 1;
    }
    if (user_add->parsed()) {
        std::optional<accounts::Role> r;
        if (!role.empty()) {
            r = accounts::ParseRole(role);
            if (!r) return app::Fail(Error::BadInput("role", "unknown_role"));
        }
        std::string password;
        if (password_stdin) {
            std::getline(std::cin, password);
        } else {
            password = infra::RandomBase64Url(12);
            std::printf("generated password: %s\n", password.c_str());
        }
        auto added =
            (*core)->accounts->AddUser({login, password, display_name.empty() ? login : display_name}, r, region);
        if (!added) return app::Fail(added.error());
        std::printf("user %s added with id %s\n", added->login.c_str(), added->id.ToString().c_str());
        return 0;
    }
    return 0;
}
