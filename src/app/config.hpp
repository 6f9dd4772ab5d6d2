#pragma once

#include <string>

#include "http/server/server.hpp"
#include "infra/crypto.hpp"

namespace goji::app {

struct Config {
    std::string db = "sqlite:data/goji.db";
    int db_pool = 8;
    std::size_t search_cache_entries = 4096;
    std::size_t list_cache_entries = 1024;
    int list_fresh_ms = 1000;
    http::ServerOptions server;
    std::string web_root = "web/dist";
    std::string media_dir;   // empty: "media" beside the SQLite file, or data/media
    std::string public_url;  // empty: http://<listen>
    std::string regions;     // empty: regions.bin beside the executable
    std::string access_log = "-";
    std::string log_level = "info";
    double rate_limit_rps = 50;
    double rate_limit_burst = 200;
    int session_ttl_days = 30;
    int payment_window_s = 30 * 60;  // time to pay an order before its stock goes back
    int expiry_sweep_ms = 5000;
    // Time to pay a live room's flash-sale order before its units go back to the sale.
    std::int64_t flash_sale_payment_window_ms = 5 * 60 * 1000;
    int flash_sale_tick_ms = 250;  // how often sales are started and ended on time
    // Shipped orders count as received after this long, delivered ones as
    // completed (the refund window closes) after that long.
    double auto_receive_days = 10;
    // How often, and after how long, pending payments are checked with the provider.
    int reconcile_ms = 60000;
    double complete_after_days = 7;
    std::string sandbox_secret;      // HMAC key of the sandbox payment provider (empty: random per process)
    std::string sandbox_notify_url;  // where the sandbox sends notifications (empty: this node)          // how often
                                     // unpaid orders past their time are cancelled
    std::string argon2 = "interactive";  // interactive | moderate | min (tests only)
    bool secure_cookies = false;
    bool trust_proxy = false;
    bool banner = false;
    // Live video (nginx-rtmp beside goji; see docs/OPERATIONS.md).
    std::string live_rtmp_url = "rtmp://127.0.0.1:1935/live";   // where hosts push
    std::string live_media_url = "http://127.0.0.1:8088/live";  // nginx's HLS and replays
    std::string live_dir;                                       // empty: "live" beside the SQLite file, or data/live
    std::string live_callback_secret;                           // empty: callbacks from loopback only
    std::string ffmpeg = "ffmpeg";                              // remuxes recordings into replays
    std::string redis;              // host:port carrying the live rooms' channel between nodes (empty: one node)
    std::string banned_words_file;  // words starred out of live chat, one per line
};

infra::Argon2Limits Argon2For(const std::string& name);
std::string DefaultRegionsPath();

}  // namespace goji::app
