// Payments: the buyer's view and the sandbox provider's pay button.
import { api } from './client';
import type { Payment } from './types';

const id = (value: string) => encodeURIComponent(value);

export const payment = (paymentId: string) => api.get<Payment>(`/payments/${id(paymentId)}`);

/** The sandbox's pay button: the provider takes the money, then notifies the server. */
export const payInSandbox = (paymentId: string) =>
  api.post<{ status: string }>(`/payments/${id(paymentId)}/sandbox/pay`, {});

export const paymentQrUrl = (paymentId: string) => `/api/v1/payments/${id(paymentId)}/qr.svg`;
