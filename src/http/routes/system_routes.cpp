#include <boost/json.hpp>

#include "common/embedded.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/routes.hpp"

GOJI_DECLARE_EMBEDDED(api_document)

namespace goji::http {

void AddSystemRoutes(Router& router, Services& services) {
    router.Add(Method::kGet, "/healthz", [](Context&) { return Response::Json(200, R"({"status":"ok"})"); },
               {.run_inline = true});

    router.Add(Method::kGet, "/readyz", [&services](Context& ctx) {
        if (auto s = services.ready(); !s) return ctx.Fail(Error::Unavailable(s.error().internal));
        return Response::Json(200, R"({"status":"ready"})");
    });

    router.Add(Method::kGet, "/metrics",
               [&services](Context&) {
                   return Response::Text(200, "text/plain; version=0.0.4; charset=utf-8", services.metrics());
               },
               {.run_inline = true});

    router.Add(Method::kGet, "/api/v1/openapi.json",
               [](Context&) {
                   const auto files = embedded::api_document::Files();
                   Response r = Response::Json(200, std::string(files.front().content));
                   r.Set("Cache-Control", "no-cache");
                   return r;
               },
               {.run_inline = true});
}

void AddAllRoutes(Router& router, Services& services) {
    AddSystemRoutes(router, services);
    AddAuthRoutes(router, services);
    AddRegionRoutes(router, services);
    AddAdminRoutes(router, services);
    AddCatalogRoutes(router, services);
    AddMediaRoutes(router, services);
    AddShoppingRoutes(router, services);
    AddOrderRoutes(router, services);
    AddPaymentRoutes(router, services);
    AddAfterSaleRoutes(router, services);
    AddPricingRoutes(router, services);
}

}  // namespace goji::http
