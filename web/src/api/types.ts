// Shapes of the API's replies (see src/http/api/openapi.json in the server).

export interface User {
  id: string;
  login: string;
  display_name: string;
  roles: string[];
  grants: { role: string; region_code?: string }[];
  created_at: string;
}

export interface LoginReply {
  user: User;
  token: string;
  csrf_token: string;
  expires_at: string;
}

export interface MeReply {
  user: User;
  session_expires_at: string;
}

export type RegionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  urban: boolean;
  parent_code: string | null;
}

export interface RegionWithPath extends Region {
  path: Region[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// ---- catalog ----

export type ShopKind = 'farmer' | 'cooperative' | 'company' | 'wholesaler';
export type ShopStatus = 'pending' | 'verified' | 'rejected';

export interface Shop {
  id: string;
  owner_id: string;
  name: string;
  kind: ShopKind;
  region_code: string;
  poverty_relief: boolean;
  status: ShopStatus;
  reject_reason?: string;
  created_at: string;
  decided_at?: string;
}

/** Names of a category (or a facet) in every UI language. */
export type Names = Partial<Record<'zh-CN' | 'ug' | 'en', string>>;

export interface Category {
  id: string;
  slug: string;
  names: Names;
  children: Category[];
}

export interface Sku {
  id: string;
  spec: string;
  price_fen: number;
  stock: number;
  weight_g: number;
}

export interface ProductImage {
  hash: string;
  width: number;
  height: number;
  thumb_url: string;
  medium_url: string;
  large_url: string;
}

export interface Batch {
  id?: string;
  code: string;
  product_id?: string;
  harvested_on: string;
  origin_region_code: string;
  certification: string;
  trace_url: string;
  created_at?: string;
}

export interface Product {
  id: string;
  shop_id: string;
  title: string;
  description: string;
  category_id: string;
  origin_region_code: string;
  on_sale: boolean;
  sales: number;
  skus: Sku[];
  min_price_fen: number;
  stock: number;
  images: ProductImage[];
  created_at: string;
  updated_at: string;
  shop?: Shop;
  batches?: Batch[];
}

/** One hit of GET /products (search and lists). */
export interface ProductSummary {
  id: string;
  title: string;
  min_price_fen: number;
  stock: number;
  sales: number;
  category_id: string;
  shop_id: string;
  shop_name: string;
  shop_kind: ShopKind;
  region_code: string;
  thumb_url: string | null;
}

export interface Facet {
  key: string;
  count: number;
}

export interface SearchFacets {
  category?: (Facet & { names: Names })[];
  township?: (Facet & { name: string })[];
  price_band?: (Facet & { min_fen: number; max_fen: number | null })[];
  shop_kind?: Facet[];
}

export interface SearchReply extends Page<ProductSummary> {
  /** How many products match in all (all pages). */
  total?: number;
  facets?: SearchFacets;
}

// ---- cart and addresses ----

/** A delivery address of the logged-in buyer. */
export interface Address {
  id: string;
  name: string;
  phone: string;
  /** A township (9 digits) or a village (12 digits). */
  region_code: string;
  detail: string;
  is_default: boolean;
}

/** One line of the cart: a SKU, how many, and what the buyer needs to see of it. */
export interface CartLine {
  sku_id: string;
  quantity: number;
  spec: string;
  price_fen: number;
  stock: number;
  weight_g: number;
  product_id: string;
  title: string;
  thumb_url: string | null;
  shop_id: string;
  shop_name: string;
  /** False when the product is off sale, the shop not verified or the SKU retired. */
  available: boolean;
}

export interface CartMergeReply {
  /** The whole cart after merging. */
  items: CartLine[];
  /** Lines that could not be merged (a SKU no longer public, a full cart…). */
  rejected: { sku_id: string; code: string }[];
}

// ---- orders ----

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'cancelled'
  | 'refunding'
  | 'refunded';

export interface OrderItem {
  sku_id: string;
  product_id: string;
  title: string;
  spec: string;
  unit_price_fen: number;
  quantity: number;
  weight_g: number;
}

export interface OrderChange {
  /** null for the order's creation. */
  from: OrderStatus | null;
  to: OrderStatus;
  at: string;
  note: string;
}

/** One shop's part of a checkout, with prices and the address copied at the time. */
export interface Order {
  id: string;
  shop_id: string;
  shop_name: string;
  checkout_id: string;
  payment_id: string;
  status: OrderStatus;
  goods_fen: number;
  shipping_fen: number;
  discount_fen: number;
  total_fen: number;
  items: OrderItem[];
  ship_to: { name: string; phone: string; region_code: string; detail: string };
  live_room_id: string | null;
  /** Unpaid orders are cancelled at this time and their stock released. */
  expires_at: string;
  created_at: string;
  timeline: OrderChange[];
  /** The parcel, once shipped (empty strings before). */
  carrier?: string;
  tracking_no?: string;
  shipped_at?: string | null;
  delivered_at?: string | null;
  /** Money given back so far, and what the buyer may still ask for (0 unless paid, shipped or delivered). */
  refunded_fen?: number;
  refundable_fen?: number;
}

export type RefundStatus = 'requested' | 'approved' | 'refused';

export interface Refund {
  id: string;
  order_id: string;
  shop_id: string;
  amount_fen: number;
  reason: string;
  status: RefundStatus;
  /** Approved at once because the order had not left the shop. */
  automatic: boolean;
  /** The units went back on offer. */
  restocked: boolean;
  /** The seller's reason when refused. */
  note: string;
  created_at: string;
  decided_at: string | null;
}

/** A review as its buyer and the shop see it on the order. */
export interface Review {
  id?: string;
  order_id?: string;
  sku_id?: string;
  product_id?: string;
  /** The buyer's name; masked on the product page. */
  buyer: string;
  spec: string;
  rating: number;
  text: string;
  created_at: string;
}

/** GET /orders/{id}: the order with its refunds and reviews. */
export interface OrderDetails extends Order {
  refunds: Refund[];
  reviews: Review[];
}

/** What a refund request or decision answers: the refund and the order after it. */
export interface RefundOutcome {
  refund: Refund;
  order: Order;
}

export interface ProductReviews extends Page<Review> {
  count: number;
  /** To one decimal; 0 without reviews. */
  average: number;
}

export interface ShipmentRow {
  line: number;
  order_id: string;
  status: 'shipped' | 'failed';
  /** Why a row failed: "not_found", "bad_state", or "field:reason" such as "tracking_no:invalid". */
  code: string | null;
}

export interface ShipmentImportReply {
  shipped: number;
  failed: number;
  results: ShipmentRow[];
}

// ---- pricing: shipping fees and coupons ----

export interface PreviewOrder {
  shop_id: string;
  shop_name: string;
  goods_fen: number;
  shipping_fen: number;
  discount_fen: number;
  total_fen: number;
  items: OrderItem[];
}

export interface CheckoutPreview {
  amount_fen: number;
  orders: PreviewOrder[];
  coupons: { code: string; shop_id?: string | null; discount_fen: number }[];
}

export interface ShippingRule {
  /** Province codes (2 digits); empty for the default rule. */
  provinces: string[];
  first_weight_g: number;
  first_fen: number;
  additional_weight_g: number;
  additional_fen: number;
  /** Remote areas, shown to buyers as such. */
  remote: boolean;
}

export interface ShippingTemplate {
  /** Orders of at least this much ship free; 0 for never. */
  free_over_fen: number;
  rules: ShippingRule[];
  /** False while the shop has none (it ships free). */
  configured?: boolean;
  shop_id?: string;
  updated_at?: string | null;
}

export type CouponKind = 'fixed' | 'percent';

export interface Coupon {
  id?: string;
  code: string;
  title: string;
  kind: CouponKind;
  amount_fen?: number | null;
  percent_off?: number | null;
  max_discount_fen?: number | null;
  min_spend_fen: number;
  starts_at: string;
  ends_at: string;
  per_user_limit?: number;
  total_count?: number;
  /** How many were claimed and used: for the shop's own members only. */
  issued_count?: number;
  used_count?: number;
  /** null for a platform coupon. */
  shop_id?: string | null;
  shop_name?: string | null;
}

/** A coupon a buyer claimed (by code, or by typing it at checkout). */
export interface CouponClaim {
  id: string;
  status: 'available' | 'used' | 'expired';
  claimed_at: string;
  discount_fen: number;
  coupon: Coupon;
  order_id: string | null;
  checkout_id: string | null;
}

export interface CheckoutReply {
  checkout_id: string;
  amount_fen: number;
  orders: Order[];
  payment: Payment;
}

export interface Payment {
  id: string;
  checkout_id: string;
  amount_fen: number;
  provider: string;
  status: 'pending' | 'paid';
  pay_url: string;
  paid_at: string | null;
}
