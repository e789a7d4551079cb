// @ts-check
// The back-office API, called exactly as any other client calls it: `Authorization: Token <key>`, JSON bodies,
// errors as {detail, code, field_errors} already translated for the Accept-Language sent.
import { getLang, t } from './i18n.js';

const TOKEN_KEY = 'loyalty-admin.token';
const CHANNEL_KEY = 'loyalty-admin.channel';
const TIMEOUT_MS = 20_000;
const CHANNEL_ID_MAX = 2_147_483_647;

/**
 * An error answer (ErrorResponseDto): `detail` in the request's language, a stable `code`, and for a refused field
 * its messages under the field's name.
 * @typedef {object} ErrorBody
 * @property {string} detail
 * @property {string} code
 * @property {Record<string, string[]>} [field_errors]
 */

export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status, 0 when the server could not be reached
   * @param {unknown} body the answer's JSON, an ErrorBody when the API wrote it; null when there was none
   */
  constructor(status, body) {
    // Each field is checked before use: the body may come from a proxy, or be no ErrorBody at all.
    const answer = /** @type {{ [K in keyof ErrorBody]?: unknown } | null | undefined} */ (body);
    const detail = answer && typeof answer.detail === 'string' ? answer.detail : t('unexpected_error', { status });
    super(detail);
    this.status = status;
    this.code = answer && typeof answer.code === 'string' ? answer.code : 'error';
    /** @type {Record<string, string[]>} */
    this.fieldErrors =
      answer && answer.field_errors && typeof answer.field_errors === 'object'
        ? /** @type {Record<string, string[]>} */ (answer.field_errors)
        : {};
  }
}

/** The token lives in sessionStorage: it ends with the browser tab and is never sent as a cookie. */
export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  get channel() {
    const stored = sessionStorage.getItem(CHANNEL_KEY);
    return stored && /^\d{1,10}$/.test(stored) && Number(stored) >= 1 && Number(stored) <= CHANNEL_ID_MAX
      ? stored
      : '1';
  },
  set channel(value) {
    sessionStorage.setItem(CHANNEL_KEY, String(value));
  },
};

/** Called when the API answers 401: the app shows the sign-in page. */
let onUnauthorized = () => {};
/** @param {() => void} handler */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/**
 * A money form's requests (ADR 0006, "Idempotency"): each intended change goes under one `Idempotency-Key`. After a
 * network error or a 5xx the first request may have gone through, so the next try repeats the key (the server
 * answers it once, moving the money once); after an answer that decided, a success or a refusal (4xx, which moved
 * nothing), the next submission is a new change with a new key.
 */
export function moneyRequests() {
  let key = idempotencyKey();
  /** @type {(method: string, path: string, options?: ApiOptions) => Promise<unknown>} */
  return async (method, path, options = {}) => {
    try {
      const result = await api(method, path, { ...options, key });
      key = idempotencyKey();
      return result;
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) key = idempotencyKey();
      throw error;
    }
  };
}

/** A fresh key for one form submission, so a retried click cannot move money twice. */
function idempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @typedef {object} ApiOptions
 * @property {object | string} [body] sent as JSON; a string is sent as it is (already JSON)
 * @property {Record<string, unknown>} [query] empty, null and undefined values are left out
 * @property {string} [key] the Idempotency-Key (money forms: `moneyRequests`)
 * @property {boolean} [auth] send the staff token (default true)
 */

/**
 * One API call. `path` is absolute (`/api/v1/...`) or relative to the channel (`loyalty_account/`). `body` is an
 * object sent as JSON, or a string already in JSON (settings send numbers exactly as typed). Throws ApiError.
 * @param {string} method
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<unknown>} the answer's JSON (null for 204): the caller names its shape (the typedefs below)
 */
export async function api(method, path, { body, query, key, auth = true } = {}) {
  const url = new URL(path.startsWith('/') ? path : `/api/v1/remote/${session.channel}/${path}`, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', 'Accept-Language': getLang() };
  if (auth && session.token) headers.Authorization = `Token ${session.token}`;
  if (key) headers['Idempotency-Key'] = key;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ApiError(0, { detail: t('network_error'), code: 'network' });
  }
  const text = await response.text();
  /** @type {unknown} */
  let parsed = null;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (response.status === 401 && auth) {
    session.token = null;
    onUnauthorized();
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

// The answers the pages read, as openapi/omnitron.json describes them. Amounts are decimal strings ("10.50"), never
// numbers; dates are ISO 8601 strings.

/**
 * A page of a list: the total count, the neighbouring pages' URLs (null at either end) and this page's rows.
 * @template T
 * @typedef {object} Page
 * @property {number} count
 * @property {string | null} next
 * @property {string | null} previous
 * @property {T[]} results
 */

/**
 * POST /api/v1/auth/login/ (StaffTokenResponseDto).
 * @typedef {object} StaffToken
 * @property {string} key the token sent as `Authorization: Token <key>`
 */

/**
 * A user of the channel, GET users/ (UserResponseDto; the fields the pages read).
 * @typedef {object} User
 * @property {number} pk
 * @property {string} email
 * @property {string} first_name
 * @property {string} last_name
 */

/**
 * A loyalty account (LoyaltyAccountResponseDto). The ledger's own accounts (BANK, SALE, REFUND) and invoice
 * accounts have no user.
 * @typedef {object} LoyaltyAccount
 * @property {number} pk
 * @property {string} number
 * @property {string | null} user_email
 * @property {string} balance
 * @property {boolean} debit_allowed
 * @property {string} created_date
 * @property {string} modified_date
 * @property {number | null} user
 * @property {string} currency lower case, e.g. "try"
 */

/** @typedef {'opening' | 'adjustment' | 'transfer' | 'order_payment' | 'refund' | 'cross_refund' | 'earning_reversal'} TransactionKind */

/**
 * The transaction of an account's activity (LoyaltyTransferTransactionAdminDto).
 * @typedef {object} TransferTransaction
 * @property {string} uuid
 * @property {TransactionKind} kind
 * @property {string} order the order number the transaction belongs to, '' when none
 * @property {number | null} actor the staff user who made it
 * @property {string} created_date
 */

/**
 * An account's activity: one leg of a transaction, GET loyalty_transfer/ (LoyaltyTransferAdminResponseDto).
 * @typedef {object} LoyaltyTransfer
 * @property {number} pk
 * @property {number} account
 * @property {string} amount negative when money left the account
 * @property {string | null} balance_after
 * @property {TransferTransaction} transaction
 * @property {string} created_date
 * @property {string} currency
 */

/**
 * A ledger transaction, GET loyalty-transactions/ (LoyaltyTransactionResponseDto).
 * @typedef {object} LoyaltyTransaction
 * @property {number} pk
 * @property {string} uuid
 * @property {TransactionKind} kind
 * @property {string} amount
 * @property {string} currency
 * @property {number | null} order
 * @property {string | null} order_number
 * @property {number | null} user
 * @property {string | null} user_email
 * @property {string | null} reference
 * @property {number | null} actor
 * @property {string | null} reason
 * @property {string | null} refunded_transaction the uuid of the transaction refunded
 * @property {string} earning_shortfall earned credit a refund could not take back ("0.00" when none)
 * @property {string} created_date
 * @property {LoyaltyTransfer[]} transfers
 */

/**
 * A refund or cross-refund's answer (LoyaltyRefundResponseDto): the transaction it created, without its currency.
 * @typedef {object} LoyaltyRefund
 * @property {number} pk
 * @property {string} uuid
 * @property {string} amount
 * @property {number | null} order
 * @property {number | null} user
 * @property {string | null} user_email
 * @property {string | null} reference
 */

/**
 * A line of an order. The document leaves its shape open (`additionalProperties`); these are the fields the order
 * keeps of each line (the order entity's OrderItemSnapshot).
 * @typedef {object} OrderItem
 * @property {number} product
 * @property {string} sku
 * @property {string} name
 * @property {number} quantity
 * @property {string} unit_price
 * @property {string} total_amount
 */

/**
 * An order's payment option. The document leaves its shape open; an option retired since shows its slug only.
 * @typedef {object} PaymentOption
 * @property {string} slug "credit_card" or "loyalty_money"
 * @property {string} [name]
 */

/** @typedef {'card_declined' | 'store_credit_refused' | 'placement_unfinished' | 'staff_cancelled'} CancelReason */

/**
 * An order, GET orders/ (OrderAdminResponseDto; the addresses, which the pages do not show, are left out).
 * @typedef {object} Order
 * @property {number} pk
 * @property {string} number
 * @property {string} amount
 * @property {string} loyalty_amount
 * @property {string} card_amount
 * @property {string} status pending, charging, charged, completed, cancelled or payment_review
 * @property {string} currency
 * @property {OrderItem[]} orderitem_set
 * @property {PaymentOption} payment_option
 * @property {number} installment_count
 * @property {string} interest_amount
 * @property {string | null} card_last4
 * @property {string | null} card_type
 * @property {string} created_date
 * @property {number} user
 * @property {string | null} user_email
 * @property {string} modified_date
 * @property {CancelReason | null} cancel_reason
 * @property {string | null} cancel_detail
 */

/**
 * A loyalty transaction of an order (OrderLoyaltyTransactionDto).
 * @typedef {object} OrderTransaction
 * @property {string} uuid
 * @property {string} kind
 * @property {string} amount
 * @property {string} earning_shortfall
 * @property {string} currency
 * @property {string} created_date
 */

/**
 * The card charge of an order (OrderCardChargeDto).
 * @typedef {object} CardCharge
 * @property {'approved' | 'declined' | 'voided'} status
 * @property {string} amount
 * @property {string} reference
 * @property {string} gateway
 * @property {string | null} decline_reason
 */

/**
 * How staff settled an order in payment_review (OrderSettlementDto).
 * @typedef {object} Settlement
 * @property {'complete' | 'cancel'} action
 * @property {string} reason
 * @property {number} settled_by the staff user
 * @property {string} settled_at
 */

/**
 * An order's payment state (OrderPaymentStateDto).
 * @typedef {object} OrderPayment
 * @property {CardCharge | null} card_charge
 * @property {string | null} loyalty_payment_uuid
 * @property {string | null} review_reason
 * @property {Settlement | null} settlement
 */

/**
 * GET orders/{pk}/ and the answer of POST orders/{pk}/settle/ (OrderAdminDetailResponseDto).
 * @typedef {Order & { loyalty_transactions: OrderTransaction[], payment: OrderPayment }} OrderDetail
 */

/**
 * GET dynamic_settings/ (DynamicSettingsResponseDto): the channel's settings by key. The document names
 * LOYALTY_MONEY_ENABLED and VERIFY_SMS (booleans) and LOYALTY_EARNING_RATE (a decimal string); the settings page
 * shows whatever keys come, by the type of each value.
 * @typedef {Record<string, SettingValue>} DynamicSettings
 */
/** @typedef {boolean | number | string | null} SettingValue */
