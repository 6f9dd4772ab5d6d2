// After the payment, over HTTP: ship, confirm receipt, refunds (automatic
// before shipping, the seller's after), reviews with the product's average,
// shipments imported from CSV, and the job that settles old orders.
#include <algorithm>
#include <functional>
#include <thread>

#include "order_fixture.hpp"

namespace goji::testing::http {
namespace {

// Request options of `as`, sending `content_type`.
RequestOptions OptionsOf(const Session& as, std::string content_type = "application/json") {
    RequestOptions o;
    o.content_type = std::move(content_type);
    o.headers.emplace_back("Authorization", "Bearer " + as.token);
    return o;
}

class AfterSaleTest : public OrderWorldTest {
protected:
    // A paid order of `quantity` units; returns its id.
    std::string PaidOrder(const World& w, std::int64_t quantity) {
        const auto placed = Checkout(w, quantity);
        PayNow(w, placed);
        const std::string order = Str(Arr(placed, "orders")[0].as_object(), "id");
        EXPECT_EQ(OrderStatus(w, order), "paid");
        return order;
    }

    static HttpResponse Ship(const World& w, const std::string& order, const Session& as,
                             const std::string& tracking = "SF1234567890") {
        return SendJson(w.port, "POST", "/api/v1/orders/" + order + "/ship", &as,
                        boost::json::object{{"carrier", "顺丰速运"}, {"tracking_no", tracking}});
    }

    static HttpResponse AskRefund(const World& w, const std::string& order, std::int64_t amount,
                                  const std::string& key = "") {
        RequestOptions o = OptionsOf(w.buyer);
        if (!key.empty()) o.headers.emplace_back("Idempotency-Key", key);
        return Request(w.port, "POST", "/api/v1/orders/" + order + "/refunds",
                       boost::json::serialize(boost::json::object{{"amount_fen", amount}, {"reason", "枸杞受潮了"}}),
                       o);
    }

    static boost::json::object Order(const World& w, const std::string& order) {
        return JsonObject(Send(w.port, "GET", "/api/v1/orders/" + order, &w.buyer));
    }
};

TEST_P(AfterSaleTest, TheSellerShipsAndTheBuyerConfirmsReceiptThenReviews) {
    const World w = Start();
    const std::string unpaid = Str(Arr(Checkout(w, 1), "orders")[0].as_object(), "id");
    const std::string order = PaidOrder(w, 2);
    const auto stranger = NewBuyerOn(w.port, "shipstranger");

    EXPECT_TRUE(IsProblem(Ship(w, unpaid, w.seller), 409, "bad_state")) << "no shipping before payment";
    EXPECT_TRUE(IsProblem(Ship(w, order, stranger), 404)) << "another shop's order does not exist for them";
    EXPECT_TRUE(IsProblem(Ship(w, order, w.buyer), 403)) << "the buyer sees the order but may not ship it";
    EXPECT_TRUE(IsProblem(Ship(w, order, w.seller, "<script>"), 400, "tracking_no"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/orders/" + order + "/ship", &w.seller,
                                   boost::json::object{{"carrier", ""}, {"tracking_no", "SF1234567890"}}),
                          400, "carrier"));
    EXPECT_EQ(OrderStatus(w, order), "paid") << "bad input changed nothing";
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/orders/" + order + "/reviews", &w.buyer,
                                   boost::json::object{{"rating", 5}, {"text", "好"}}),
                          409, "bad_state"))
        << "no review before delivery";

    const auto shipped = Ship(w, order, w.seller);
    ASSERT_EQ(shipped.status, 200) << Describe(shipped);
    EXPECT_EQ(Str(JsonObject(shipped), "status"), "shipped");
    EXPECT_EQ(Str(JsonObject(shipped), "tracking_no"), "SF1234567890");
    EXPECT_TRUE(IsProblem(Ship(w, order, w.seller), 409, "bad_state")) << "shipped once";

    const std::string receipt = "/api/v1/orders/" + order + "/confirm-receipt";
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", receipt, &stranger, boost::json::object{}), 404));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", receipt, &w.seller, boost::json::object{}), 404))
        << "only the buyer confirms receipt";
    const auto received = SendJson(w.port, "POST", receipt, &w.buyer, boost::json::object{});
    ASSERT_EQ(received.status, 200) << Describe(received);
    EXPECT_EQ(Str(JsonObject(received), "status"), "delivered");
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", receipt, &w.buyer, boost::json::object{}), 409, "bad_state"));

    const std::string reviews = "/api/v1/orders/" + order + "/reviews";
    for (const std::int64_t bad : {0, 6, -1}) {
        EXPECT_TRUE(
            IsProblem(SendJson(w.port, "POST", reviews, &w.buyer, boost::json::object{{"rating", bad}, {"text", "x"}}),
                      400, "rating"));
    }
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", reviews, &w.buyer,
                                   boost::json::object{{"rating", 4}, {"text", std::string(501, 'x')}}),
                          400, "text"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", reviews, &w.buyer,
                                   boost::json::object{{"sku_id", "999999"}, {"rating", 4}, {"text", "x"}}),
                          400, "sku_id"));
    EXPECT_TRUE(IsProblem(
        SendJson(w.port, "POST", reviews, &stranger, boost::json::object{{"rating", 1}, {"text", "x"}}), 404));
    const auto reviewed = SendJson(w.port, "POST", reviews, &w.buyer,
                                   boost::json::object{{"rating", 4}, {"text", "<b>颗粒饱满</b>，很甜"}});
    ASSERT_EQ(reviewed.status, 201) << Describe(reviewed);
    EXPECT_TRUE(
        IsProblem(SendJson(w.port, "POST", reviews, &w.buyer, boost::json::object{{"rating", 5}, {"text", "again"}}),
                  409, "already_reviewed"));

    const auto page = JsonObject(Send(w.port, "GET", "/api/v1/products/" + w.product + "/reviews", nullptr));
    EXPECT_EQ(Int(page, "count"), 1);
    EXPECT_DOUBLE_EQ(page.at("average").to_number<double>(), 4.0);
    const auto first = Arr(page, "items")[0].as_object();
    EXPECT_EQ(Str(first, "text"), "<b>颗粒饱满</b>，很甜") << "stored as text; escaped where shown";
    EXPECT_TRUE(Contains(Str(first, "buyer"), "**")) << "strangers see a masked name";
    EXPECT_EQ(Arr(Order(w, order), "reviews").size(), 1U);
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/products/999999/reviews", nullptr), 404));
}

TEST_P(AfterSaleTest, RefundsBeforeShippingAreApprovedAtOnce) {
    const World w = Start();
    const std::int64_t before = Available(w);
    const std::string order = PaidOrder(w, 3);
    EXPECT_EQ(Available(w), before - 3);
    const std::int64_t total = Int(Order(w, order), "total_fen");

    EXPECT_TRUE(IsProblem(AskRefund(w, order, 0), 400, "amount_fen"));
    EXPECT_TRUE(IsProblem(AskRefund(w, order, -5), 400, "amount_fen"));
    EXPECT_TRUE(IsProblem(AskRefund(w, order, total + 1), 422, "amount_too_large"));
    const auto stranger = NewBuyerOn(w.port, "refundstranger");
    const RequestOptions o = OptionsOf(stranger);
    EXPECT_TRUE(IsProblem(
        Request(w.port, "POST", "/api/v1/orders/" + order + "/refunds", R"({"amount_fen":100,"reason":"mine"})", o),
        404));
    EXPECT_EQ(Int(Order(w, order), "refunded_fen"), 0) << "bad input changed nothing";

    // Part of it, retried with the same key: one refund; the order stays paid.
    const auto part = AskRefund(w, order, 1000, "refund-key-1");
    ASSERT_EQ(part.status, 201) << Describe(part);
    EXPECT_EQ(AskRefund(w, order, 1000, "refund-key-1").body, part.body);
    EXPECT_TRUE(IsProblem(AskRefund(w, order, 2000, "refund-key-1"), 422, "idempotency_mismatch"));
    const auto refund = Obj(JsonObject(part), "refund");
    EXPECT_EQ(Str(refund, "status"), "approved");
    EXPECT_TRUE(refund.at("automatic").as_bool());
    auto now = Order(w, order);
    EXPECT_EQ(Str(now, "status"), "paid");
    EXPECT_EQ(Int(now, "refunded_fen"), 1000);
    EXPECT_EQ(Int(now, "refundable_fen"), total - 1000);
    EXPECT_EQ(Available(w), before - 3) << "a partial refund keeps the units sold";

    // The rest: the order is refunded and, never shipped, its units are back on offer.
    const auto rest = AskRefund(w, order, total - 1000);
    ASSERT_EQ(rest.status, 201) << Describe(rest);
    now = Order(w, order);
    EXPECT_EQ(Str(now, "status"), "refunded");
    EXPECT_EQ(Int(now, "refunded_fen"), total);
    EXPECT_EQ(Arr(now, "refunds").size(), 2U);
    EXPECT_TRUE(Obj(JsonObject(rest), "refund").at("restocked").as_bool());
    EXPECT_EQ(Available(w), before);
    EXPECT_TRUE(IsProblem(AskRefund(w, order, 1), 409, "bad_state"));
    StockAgreesWithTheLedger();
}

TEST_P(AfterSaleTest, RefundsAfterShippingWaitForTheSeller) {
    const World w = Start();
    const std::int64_t before = Available(w);
    const std::string order = PaidOrder(w, 2);
    ASSERT_EQ(Ship(w, order, w.seller).status, 200);
    const std::int64_t total = Int(Order(w, order), "total_fen");

    const auto asked = AskRefund(w, order, total);
    ASSERT_EQ(asked.status, 201) << Describe(asked);
    const std::string refund = Str(Obj(JsonObject(asked), "refund"), "id");
    EXPECT_EQ(Str(Obj(JsonObject(asked), "refund"), "status"), "requested");
    EXPECT_EQ(OrderStatus(w, order), "refunding");
    EXPECT_TRUE(IsProblem(AskRefund(w, order, 1), 409, "refund_open"));
    EXPECT_TRUE(IsProblem(
        SendJson(w.port, "POST", "/api/v1/orders/" + order + "/confirm-receipt", &w.buyer, boost::json::object{}), 409,
        "bad_state"));

    const auto list = Send(w.port, "GET", "/api/v1/refunds?shop_id=" + w.shop + "&status=requested", &w.seller);
    ASSERT_EQ(list.status, 200) << Describe(list);
    ASSERT_EQ(Arr(JsonObject(list), "items").size(), 1U);
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/refunds?shop_id=" + w.shop, &w.buyer), 404));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/refunds?shop_id=" + w.shop + "&status=maybe", &w.seller), 400));

    const std::string approve = "/api/v1/refunds/" + refund + "/approve";
    const std::string refuse = "/api/v1/refunds/" + refund + "/refuse";
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", approve, &w.buyer, boost::json::object{}), 404))
        << "the buyer does not approve their own refund";
    EXPECT_TRUE(
        IsProblem(SendJson(w.port, "POST", refuse, &w.seller, boost::json::object{{"reason", ""}}), 400, "reason"));

    // Refused: back to shipped. Asked again and approved with the units back.
    const auto refused =
        SendJson(w.port, "POST", refuse, &w.seller, boost::json::object{{"reason", "包裹已签收，请先退货"}});
    ASSERT_EQ(refused.status, 200) << Describe(refused);
    EXPECT_EQ(OrderStatus(w, order), "shipped");
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", approve, &w.seller, boost::json::object{}), 409, "bad_state"))
        << "a refused refund stays refused";

    const auto again = AskRefund(w, order, total);
    ASSERT_EQ(again.status, 201) << Describe(again);
    const std::string second = Str(Obj(JsonObject(again), "refund"), "id");
    const auto approved = SendJson(w.port, "POST", "/api/v1/refunds/" + second + "/approve", &w.seller,
                                   boost::json::object{{"restock", true}});
    ASSERT_EQ(approved.status, 200) << Describe(approved);
    EXPECT_EQ(Str(Obj(JsonObject(approved), "order"), "status"), "refunded");
    EXPECT_EQ(Available(w), before) << "the seller chose to put the returned units back";
    StockAgreesWithTheLedger();
}

TEST_P(AfterSaleTest, APartialRefundAfterShippingCannotRestock) {
    const World w = Start();
    const std::int64_t before = Available(w);
    const std::string order = PaidOrder(w, 2);
    ASSERT_EQ(Ship(w, order, w.seller).status, 200);
    const auto asked = AskRefund(w, order, 500);
    ASSERT_EQ(asked.status, 201) << Describe(asked);
    const std::string approve = "/api/v1/refunds/" + Str(Obj(JsonObject(asked), "refund"), "id") + "/approve";
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", approve, &w.seller, boost::json::object{{"restock", true}}), 422,
                          "restock_needs_full_refund"));
    EXPECT_EQ(OrderStatus(w, order), "refunding") << "the refused approval changed nothing";
    const auto approved = SendJson(w.port, "POST", approve, &w.seller, boost::json::object{});
    ASSERT_EQ(approved.status, 200) << Describe(approved);
    EXPECT_EQ(OrderStatus(w, order), "shipped");
    EXPECT_EQ(Int(Order(w, order), "refunded_fen"), 500);
    EXPECT_EQ(Available(w), before - 2);
    StockAgreesWithTheLedger();
}

TEST_P(AfterSaleTest, ShipmentsImportedFromCsvReportEachRow) {
    const World w = Start();
    const std::string a = PaidOrder(w, 1);
    const std::string b = PaidOrder(w, 1);
    const std::string unpaid = Str(Arr(Checkout(w, 1), "orders")[0].as_object(), "id");
    const std::string csv = "order_id,carrier,tracking_no\r\n" + a + ",顺丰速运,SF1000000001\r\n" + b +
                            ",\"中通, 快递\",ZT2000000002\r\n" + unpaid + ",圆通,YT3000000003\r\n" +
                            "123456789,圆通,YT3000000004\r\nnot-a-number,圆通,YT1\r\n" + a +
                            ",顺丰速运,SF1000000001\r\n";
    const std::string target = "/api/v1/shops/" + w.shop + "/shipments/import";
    const RequestOptions o = OptionsOf(w.seller, "text/csv");
    const auto r = Request(w.port, "POST", target, csv, o);
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto out = JsonObject(r);
    EXPECT_EQ(Int(out, "shipped"), 2);
    EXPECT_EQ(Int(out, "failed"), 4);
    const auto rows = Arr(out, "results");
    ASSERT_EQ(rows.size(), 6U);
    EXPECT_EQ(Int(rows[0].as_object(), "line"), 2);
    EXPECT_EQ(Str(rows[2].as_object(), "code"), "bad_state");
    EXPECT_EQ(Str(rows[3].as_object(), "code"), "not_found");
    EXPECT_EQ(Str(rows[4].as_object(), "code"), "order_id:invalid");
    EXPECT_EQ(Str(rows[5].as_object(), "code"), "bad_state") << "shipped once";
    EXPECT_EQ(Str(Order(w, b), "carrier"), "中通, 快递");
    EXPECT_EQ(OrderStatus(w, unpaid), "pending_payment");

    EXPECT_TRUE(IsProblem(Request(w.port, "POST", target, "order_id,carrier\r\n1,x\r\n", o), 400, "tracking_no"));
    EXPECT_TRUE(IsProblem(Request(w.port, "POST", target, "order_id,carrier,tracking_no\r\n\"1,x", o), 400, "csv"));
    EXPECT_TRUE(IsProblem(Request(w.port, "POST", target, "{}", OptionsOf(w.seller)), 415));
    const auto stranger = NewBuyerOn(w.port, "importstranger");
    EXPECT_TRUE(IsProblem(Request(w.port, "POST", target, csv, OptionsOf(stranger, "text/csv")), 404));
}

TEST_P(AfterSaleTest, OldOrdersAreReceivedAndCompletedByTheJob) {
    const World w = Start({"--auto-receive-days", "0", "--complete-after-days", "0", "--expiry-sweep-ms", "200"});
    const std::string order = PaidOrder(w, 1);
    ASSERT_EQ(Ship(w, order, w.seller).status, 200);
    ASSERT_TRUE(WaitForStatus(w, order, "completed")) << OrderStatus(w, order);
    const auto timeline = Arr(Order(w, order), "timeline");
    ASSERT_GE(timeline.size(), 5U);
    EXPECT_EQ(Str(timeline[timeline.size() - 2].as_object(), "note"), "received automatically");
    EXPECT_TRUE(IsProblem(AskRefund(w, order, 1), 409, "bad_state")) << "the refund window closed";
}

TEST_P(AfterSaleTest, ConcurrentChangesOfOneOrderHaveOneWinner) {
    const World w = Start();
    const std::string order = PaidOrder(w, 2);
    const std::int64_t total = Int(Order(w, order), "total_fen");
    constexpr int kTries = 8;
    // Runs `call` from kTries threads at once; returns the statuses.
    auto race = [&](const std::function<int(int)>& call) {
        std::vector<int> statuses(kTries);
        std::vector<std::thread> threads;
        for (int i = 0; i < kTries; ++i) threads.emplace_back([&, i] { statuses[i] = call(i); });
        for (auto& t : threads) t.join();
        return statuses;
    };
    auto count = [](const std::vector<int>& v, int status) { return std::count(v.begin(), v.end(), status); };

    const auto shipped =
        race([&](int i) { return Ship(w, order, w.seller, "SF900000000" + std::to_string(i)).status; });
    EXPECT_EQ(count(shipped, 200), 1);
    EXPECT_EQ(count(shipped, 409), kTries - 1);

    const auto asked = race([&](int i) { return AskRefund(w, order, total, "race-" + std::to_string(i)).status; });
    EXPECT_EQ(count(asked, 201), 1);
    EXPECT_EQ(count(asked, 409), kTries - 1);
    const auto refunds = Arr(Order(w, order), "refunds");
    ASSERT_EQ(refunds.size(), 1U);
    const std::string approve = "/api/v1/refunds/" + Str(refunds[0].as_object(), "id") + "/approve";

    const auto approved = race([&](int) {
        return SendJson(w.port, "POST", approve, &w.seller, boost::json::object{{"restock", true}}).status;
    });
    EXPECT_EQ(count(approved, 200), 1);
    EXPECT_EQ(count(approved, 409), kTries - 1);
    const auto after = Order(w, order);
    EXPECT_EQ(Str(after, "status"), "refunded");
    EXPECT_EQ(Int(after, "refunded_fen"), total) << "the money went back once";
    StockAgreesWithTheLedger();
}

INSTANTIATE_TEST_SUITE_P(Backends, AfterSaleTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
