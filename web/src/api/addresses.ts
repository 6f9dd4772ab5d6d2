// The logged-in buyer's delivery addresses (see the server's OpenAPI).
import { api } from './client';
import type { Address } from './types';

/** The most addresses a buyer keeps (the server answers too_many_addresses beyond). */
export const MAX_ADDRESSES = 20;
export const NAME_MAX = 20;
export const DETAIL_MAX = 120;

export interface AddressFields {
  name: string;
  phone: string;
  region_code: string;
  detail: string;
  is_default?: boolean;
}

const id = (value: string) => encodeURIComponent(value);

/** Newest first, the default at the top. */
export const addresses = () => api.get<{ items: Address[] }>('/addresses').then((r) => r.items);

export const createAddress = (fields: AddressFields) => api.post<Address>('/addresses', fields);

export const editAddress = (addressId: string, fields: Partial<AddressFields>) =>
  api.patch<Address>(`/addresses/${id(addressId)}`, fields);

export const deleteAddress = (addressId: string) => api.del<void>(`/addresses/${id(addressId)}`);

/**
 * The server's rule: digits with optional dashes or spaces; a mainland mobile
 * (11 digits, 13…–19…) or a landline with its area code (10–12 digits
 * starting with 0, e.g. 0909-5234567).
 */
export function isPhone(text: string): boolean {
  if (!/^[\d\- ]+$/.test(text)) return false;
  const digits = text.replace(/[- ]/g, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return true;
  return /^0\d{9,11}$/.test(digits);
}

/** Length in characters as people count them (code points, not UTF-16 units). */
export const charCount = (text: string) => [...text].length;
