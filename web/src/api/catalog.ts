// Shops, categories, products, images and batches (see the server's OpenAPI).
import { api } from './client';
import type {
  Batch,
  Category,
  Page,
  Product,
  ProductImage,
  SearchReply,
  Shop,
  ShopKind,
  ShopStatus,
  Sku,
} from './types';

export const SHOP_KINDS: ShopKind[] = ['farmer', 'cooperative', 'company', 'wholesaler'];
export const SORTS = ['relevance', 'sales', 'price_asc', 'price_desc', 'new'] as const;
export type Sort = (typeof SORTS)[number];

const id = (value: string) => encodeURIComponent(value);

// ---- categories ----

let categoryTree: Promise<Category[]> | null = null;

/** The category tree, fetched once per page load (the server caches it too). */
export function categories(): Promise<Category[]> {
  if (!categoryTree) {
    categoryTree = api.get<{ items: Category[] }>('/categories').then((r) => r.items);
    categoryTree.catch(() => (categoryTree = null));
  }
  return categoryTree;
}

/** Every category with its depth, parents first: for selects and lookups. */
export function flattenCategories(tree: Category[], depth = 0, out: { category: Category; depth: number }[] = []) {
  for (const c of tree) {
    out.push({ category: c, depth });
    flattenCategories(c.children, depth + 1, out);
  }
  return out;
}

export function findCategory(tree: Category[], categoryId: string): Category | null {
  for (const c of tree) {
    if (c.id === categoryId) return c;
    const inner = findCategory(c.children, categoryId);
    if (inner) return inner;
  }
  return null;
}

// ---- products ----

export interface SearchParams {
  q?: string;
  category?: string;
  region?: string;
  shop_kind?: string;
  min_price_fen?: string;
  max_price_fen?: string;
  sort?: Sort;
  limit?: number;
  cursor?: string | null;
}

export function searchProducts(params: SearchParams): Promise<SearchReply> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const qs = query.toString();
  return api.get<SearchReply>(`/products${qs ? `?${qs}` : ''}`);
}

export const getProduct = (productId: string) => api.get<Product>(`/products/${id(productId)}`);

export interface ProductFields {
  title: string;
  description: string;
  category_id: string;
  origin_region_code: string;
}

export interface NewSku {
  spec: string;
  price_fen: number;
  stock: number;
  weight_g: number;
}

export const createProduct = (shopId: string, fields: ProductFields & { skus: NewSku[] }) =>
  api.post<Product>(`/shops/${id(shopId)}/products`, fields);

export const editProduct = (productId: string, fields: ProductFields) =>
  api.patch<Product>(`/products/${id(productId)}`, fields);

export const addSku = (productId: string, sku: NewSku) => api.post<Sku>(`/products/${id(productId)}/skus`, sku);

export const editSku = (skuId: string, fields: { spec?: string; price_fen?: number; weight_g?: number }) =>
  api.patch<Sku>(`/skus/${id(skuId)}`, fields);

export const retireSku = (skuId: string) => api.del<void>(`/skus/${id(skuId)}`);

export const setStock = (skuId: string, stock: number) =>
  api.put<{ id: string; stock: number }>(`/skus/${id(skuId)}/stock`, { stock });

export const setOnSale = (shopId: string, productIds: string[], onSale: boolean) =>
  api.post<{ changed: number }>(`/shops/${id(shopId)}/products/on-sale`, { product_ids: productIds, on_sale: onSale });

export function uploadImage(productId: string, file: Blob, name = 'image'): Promise<ProductImage> {
  const form = new FormData();
  form.append('image', file, name);
  return api.upload<ProductImage>(`/products/${id(productId)}/images`, form);
}

export const deleteImage = (productId: string, hash: string) =>
  api.del<void>(`/products/${id(productId)}/images/${id(hash)}`);

export const reorderImages = (productId: string, hashes: string[]) =>
  api.put<Product>(`/products/${id(productId)}/images/order`, { hashes });

export const createBatch = (
  productId: string,
  batch: { harvested_on: string; origin_region_code: string; certification: string },
) => api.post<Batch>(`/products/${id(productId)}/batches`, batch);

export const qrUrl = (code: string) => `/api/v1/batches/${id(code)}/qr.svg`;

// ---- shops ----

export const getShop = (shopId: string) => api.get<Shop>(`/shops/${id(shopId)}`);

export function shopProducts(shopId: string, cursor?: string | null, limit = 20): Promise<Page<Product>> {
  const query = `?limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
  return api.get<Page<Product>>(`/shops/${id(shopId)}/products${query}`);
}

export const myShops = () => api.get<Page<Shop>>('/shops?mine=1');

export function pendingShops(cursor?: string | null): Promise<Page<Shop>> {
  return api.get<Page<Shop>>('/shops?status=pending' + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
}

export const applyForShop = (shop: { name: string; kind: ShopKind; region_code: string; poverty_relief: boolean }) =>
  api.post<Shop>('/shops', shop);

export const verifyShop = (shopId: string) => api.post<Shop>(`/shops/${id(shopId)}/verify`);
export const rejectShop = (shopId: string, reason: string) =>
  api.post<Shop>(`/shops/${id(shopId)}/reject`, { reason });

export type { ShopStatus };
