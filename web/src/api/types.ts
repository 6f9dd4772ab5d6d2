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
