/**
 * The external loyalty system, as the loyalty-card feature sees it. Two implementations: `http` (a REST provider,
 * wire format in docs/loyalty-provider.md) and `local` (accounts and points kept in this service's own tables, for
 * demos and development). Chosen by CUSTOMER_LOYALTY_CARD_SERVICE.
 */
export type Gender = 'male' | 'female' | 'unknown';

/** A member's profile as the external system keeps it. */
export interface ExternalProfile {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  gender: Gender;
  date_of_birth: string | null;
  email_allowed: boolean | null;
  sms_allowed: boolean | null;
  call_allowed: boolean | null;
}

export interface ExternalAccount extends ExternalProfile {
  account_number: string;
  active: boolean;
}

export interface ExternalSearch {
  email: string;
  phone?: string;
  date_of_birth?: string;
}

/**
 * `channelId` is the sales channel the customer shops in: the `local` provider keeps its members per channel; an
 * `http` provider is one external system for the installation and is not told the channel (its wire format has
 * none). Account numbers are unique in the provider, so the calls by number need no channel.
 */
export interface LoyaltyProvider {
  /** Accounts matching the e-mail or the phone (and, when given, the date of birth); at most a few. */
  search(channelId: number, query: ExternalSearch): Promise<ExternalAccount[]>;
  create(channelId: number, profile: ExternalProfile): Promise<ExternalAccount>;
  /** Current points of an account: a whole number. */
  points(accountNumber: string): Promise<number>;
  account(accountNumber: string): Promise<ExternalAccount>;
  update(accountNumber: string, profile: ExternalProfile): Promise<ExternalAccount>;
  /** Providers that cannot deactivate leave this out; deleting a card then only removes the local link. */
  deactivate?(accountNumber: string): Promise<void>;
}

export const LOYALTY_PROVIDER = Symbol('LOYALTY_PROVIDER');
