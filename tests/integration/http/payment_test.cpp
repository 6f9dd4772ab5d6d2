// The sandbox payment provider end to end: pay, signed notification to Goji,
// orders paid and stock sold; forged, wrong and repeated notifications; a
// payment for an order cancelled meanwhile is refunded automatically.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "order_fixture.hpp"

namespace goji::testing::http {
namespace {

constexpr const char* kSecret = kSandboxSecret;

// A stand-in for a flaky network between the provider and Goji: refuses the
// first `failures` notifications with 503, then passes each on to Goji and
// answers what Goji answered. Counts what it saw.
class FlakyRelay {
public:
    explicit FlakyRelay(int failures) : failures_(failures) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd_, 16);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { Loop(); });
    }
    ~FlakyRelay() {
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::uint16_t port() const { return port_; }
    void Forward(std::uint16_t goji) { goji_ = goji; }
    int seen() const { return seen_.load(); }

private:
    void Loop() {
        while (!stop_) {
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            std::string in;
            char buf[4096];
            for (;;) {
                const auto n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                in.append(buf, static_cast<std::size_t>(n));
                const auto end = in.find("\r\n\r\n");
                if (end == std::string::npos) continue;
                const auto cl = in.find("Content-Length: ");
                const std::size_t length = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
                if (in.size() >= end + 4 + length) break;
            }
            ++seen_;
            int status = 503;
            if (seen_.load() > failures_ && goji_ != 0) {
                const auto end = in.find("\r\n\r\n");
                const auto sig_at = in.find("X-Sandbox-Signature: ");
                const std::string sig = in.substr(sig_at + 21, in.find("\r\n", sig_at) - sig_at - 21);
                RequestOptions o;
                o.headers.emplace_back("X-Sandbox-Signature", sig);
                status = Request(goji_, "POST", "/api/v1/payments/notify/sandbox", in.substr(end + 4), o).status;
            }
            const std::string out =
                "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            (void)::send(c, out.data(), out.size(), MSG_NOSIGNAL);
            ::close(c);
        }
    }

    int failures_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<std::uint16_t> goji_{0};
    std::atomic<int> seen_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

class PaymentTest : public OrderWorldTest {};

TEST_P(PaymentTest, PayingInTheSandboxPaysTheOrdersThroughASignedNotification) {
    const World w = Start();
    const auto placed = Checkout(w, 3);
    const auto payment = Obj(placed, "payment");
    EXPECT_EQ(Str(payment, "provider"), "sandbox");
    EXPECT_EQ(Int(payment, "amount_fen"), 3 * 5980);
    EXPECT_EQ(Str(payment, "status"), "pending");
    const std::string payment_id = Str(payment, "id");
    EXPECT_EQ(Str(payment, "pay_url"), "/pay/" + payment_id);
    EXPECT_EQ(Str(Arr(placed, "orders")[0].as_object(), "payment_id"), payment_id) << "the reply's orders name it";
    const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");

    // Only the buyer pays (and sees) their payment.
    const auto stranger = NewBuyerOn(w.port, "paystranger");
    EXPECT_TRUE(IsProblem(
        SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &stranger, boost::json::object{}),
        404));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/payments/" + payment_id, &stranger), 404));

    const auto paid =
        SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &w.buyer, boost::json::object{});
    ASSERT_EQ(paid.status, 202) << Describe(paid);
    ASSERT_TRUE(WaitForStatus(w, order, "paid")) << OrderStatus(w, order);
    const auto view = Send(w.port, "GET", "/api/v1/payments/" + payment_id, &w.buyer);
    EXPECT_EQ(Str(JsonObject(view), "status"), "paid");
    EXPECT_EQ(Sales(w), 3);
    EXPECT_TRUE(IsProblem(
        SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &w.buyer, boost::json::object{}),
        409, "bad_state"));
    EXPECT_TRUE(
        IsProblem(SendJson(w.port, "POST", "/api/v1/orders/" + order + "/cancel", &w.buyer, boost::json::object{}), 409,
                  "bad_state"))
        << "a paid order is not cancelled by the buyer";
    StockAgreesWithTheLedger();
}

TEST_P(PaymentTest, ForgedWrongAndRepeatedNotificationsChangeNothing) {
    const World w = Start();
    const auto placed = Checkout(w, 2);
    const std::string payment_id = Str(Obj(placed, "payment"), "id");
    const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");
    const std::string body = NoticeBody(payment_id, 2 * 5980);

    EXPECT_TRUE(IsProblem(Notify(w.port, body, infra::HmacSha256Hex("another-secret", body)), 401, "bad_signature"));
    EXPECT_TRUE(IsProblem(Notify(w.port, body, ""), 401, "bad_signature"));
    const std::string cheap = NoticeBody(payment_id, 1);
    EXPECT_TRUE(IsProblem(Notify(w.port, cheap, infra::HmacSha256Hex(kSecret, cheap)), 400, "amount_fen"));
    const std::string junk = "{not json";
    EXPECT_TRUE(IsProblem(Notify(w.port, junk, infra::HmacSha256Hex(kSecret, junk)), 400));
    const std::string unknown = NoticeBody("987654321", 100);
    EXPECT_TRUE(IsProblem(Notify(w.port, unknown, infra::HmacSha256Hex(kSecret, unknown)), 404));
    EXPECT_EQ(OrderStatus(w, order), "pending_payment");
    EXPECT_EQ(Sales(w), 0);

    // The real one, twice: paid once.
    const std::string sig = infra::HmacSha256Hex(kSecret, body);
    EXPECT_EQ(Notify(w.port, body, sig).status, 200);
    EXPECT_EQ(Notify(w.port, body, sig).status, 200);
    EXPECT_EQ(OrderStatus(w, order), "paid");
    EXPECT_EQ(Sales(w), 2);
    StockAgreesWithTheLedger();
}

TEST_P(PaymentTest, MoneyForACancelledOrderIsRefundedAutomatically) {
    const World w = Start();
    const auto placed = Checkout(w, 4);
    const std::string payment_id = Str(Obj(placed, "payment"), "id");
    const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");
    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/orders/" + order + "/cancel", &w.buyer, boost::json::object{}).status,
              200);
    // Nothing left to pay for: the sandbox's pay button is refused…
    EXPECT_TRUE(IsProblem(
        SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &w.buyer, boost::json::object{}),
        409, "bad_state"));
    // …but a payment made before the cancellation and notified after it is refunded.
    const std::string body = NoticeBody(payment_id, 4 * 5980);
    ASSERT_EQ(Notify(w.port, body, infra::HmacSha256Hex(kSecret, body)).status, 200);
    const auto o = JsonObject(Send(w.port, "GET", "/api/v1/orders/" + order, &w.buyer));
    EXPECT_EQ(Str(o, "status"), "cancelled");
    const auto timeline = Arr(o, "timeline");
    ASSERT_EQ(timeline.size(), 3U);
    EXPECT_TRUE(Contains(Str(timeline[2].as_object(), "note"), "refunded automatically"))
        << boost::json::serialize(timeline);
    EXPECT_EQ(Sales(w), 0);
    StockAgreesWithTheLedger();
}

TEST_P(PaymentTest, NotificationsAreRetriedUntilGojiAnswers) {
    FlakyRelay relay(2);
    const World w = Start({"--sandbox-notify-url", "http://127.0.0.1:" + std::to_string(relay.port()) + "/notify"});
    relay.Forward(w.port);
    const auto placed = Checkout(w, 1);
    const std::string payment_id = Str(Obj(placed, "payment"), "id");
    const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");
    ASSERT_EQ(
        SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &w.buyer, boost::json::object{})
            .status,
        202);
    // Refused twice (after 1 s, then 2 s of back-off), accepted the third time.
    ASSERT_TRUE(WaitForStatus(w, order, "paid")) << "notifications seen: " << relay.seen();
    EXPECT_EQ(relay.seen(), 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(relay.seen(), 3) << "no more notifications once one was answered 2xx";
}

TEST_P(PaymentTest, APayCallRetriedWithItsKeyGetsItsAnswerAgainAndChargesOnce) {
    const World w = Start();
    const auto placed = Checkout(w, 1);
    const std::string payment_id = Str(Obj(placed, "payment"), "id");
    const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");
    RequestOptions o;
    o.headers.emplace_back("Authorization", "Bearer " + w.buyer.token);
    o.headers.emplace_back("Idempotency-Key", "pay-once");
    const std::string pay = "/api/v1/payments/" + payment_id + "/sandbox/pay";
    ASSERT_EQ(Request(w.port, "POST", pay, "{}", o).status, 202);
    ASSERT_TRUE(WaitForStatus(w, order, "paid"));
    EXPECT_EQ(Request(w.port, "POST", pay, "{}", o).status, 202) << "the retry after the payment went through";
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pay, &w.buyer, boost::json::object{}), 409, "bad_state"))
        << "without a key a second pay call is refused";
    o.headers.back().second = std::string(256, 'k');
    EXPECT_TRUE(IsProblem(Request(w.port, "POST", pay, "{}", o), 400, "Idempotency-Key"));
    EXPECT_EQ(Sales(w), 1) << "charged and sold once";
}

TEST_P(PaymentTest, APaymentWhoseNotificationNeverCameIsFoundByReconciliation) {
    // The notifications go nowhere; only the query call can tell Goji.
    const World w = Start({"--sandbox-notify-url", "http://127.0.0.1:9/notify", "--reconcile-ms", "300"});
    const auto placed = Checkout(w, 1);
    const std::string payment_id = Str(Obj(placed, "payment"), "id");
    const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");
    ASSERT_EQ(
        SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &w.buyer, boost::json::object{})
            .status,
        202);
    ASSERT_TRUE(WaitForStatus(w, order, "paid"));
    EXPECT_EQ(Sales(w), 1);
    StockAgreesWithTheLedger();
}

TEST_P(PaymentTest, MoreNotificationsThanOneBatchAreAllDeliveredOnce) {
    const World w = Start();
    constexpr int kOrders = 70;  // the sender takes up to 64 due charges at a time
    ASSERT_EQ(
        SendJson(w.port, "PUT", "/api/v1/skus/" + w.sku + "/stock", &w.seller, boost::json::object{{"stock", kOrders}})
            .status,
        200);
    for (int i = 0; i < kOrders; ++i) {
        const std::string payment_id = Str(Obj(Checkout(w, 1), "payment"), "id");
        ASSERT_EQ(
            SendJson(w.port, "POST", "/api/v1/payments/" + payment_id + "/sandbox/pay", &w.buyer, boost::json::object{})
                .status,
            202);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Sales(w) < kOrders && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(Sales(w), kOrders) << "each order's payment confirmed once";
    const auto waiting = Send(w.port, "GET", "/api/v1/orders?status=pending_payment&limit=100", &w.buyer);
    EXPECT_TRUE(Arr(JsonObject(waiting), "items").empty()) << Describe(waiting);
    StockAgreesWithTheLedger();
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
