import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/common';
import { isOrderNumber } from '../orders/order-number';
import { AppSecretRepository } from '../repositories/app-secret.repository';

const SECRET_MIN_LENGTH = 32;
const TOKEN_LENGTH_MAX = 128;

const SECRET_NAME = 'order_token_key';

/**
 * Signed order tokens for the thank-you page (`/orders/completed/<token>/`): the order number and an HMAC-SHA256
 * of channel and number. The key is ORDER_TOKEN_SECRET (at least 32 characters); unset, a random key is drawn once
 * and kept in the database (`app_secret`), so every instance signs alike and tokens survive restarts.
 */
@Injectable()
export class OrderTokens implements OnModuleInit {
  private key: Buffer | undefined;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(AppSecretRepository) private readonly secrets: AppSecretRepository | undefined,
  ) {
    const configured = config.env['ORDER_TOKEN_SECRET'];
    if (typeof configured === 'string' && configured.length >= SECRET_MIN_LENGTH)
      this.key = Buffer.from(configured, 'utf8');
  }

  /** Without ORDER_TOKEN_SECRET: the shared key, drawn by whichever instance boots first. */
  async onModuleInit(): Promise<void> {
    if (this.key || !this.secrets) return;
    const stored = await this.secrets.shared(SECRET_NAME, () => randomBytes(32).toString('hex'));
    this.key = Buffer.from(stored, 'hex');
  }

  sign(channelId: number, orderNumber: string): string {
    return `${orderNumber}-${this.mac(channelId, orderNumber)}`;
  }

  /** The order number a token names, or null when the token is malformed or not ours. */
  verify(channelId: number, token: string): string | null {
    if (token.length > TOKEN_LENGTH_MAX) return null;
    const [number, mac, ...rest] = token.split('-');
    if (rest.length || !number || !mac || !isOrderNumber(number)) return null;
    const expected = Buffer.from(this.mac(channelId, number));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? number : null;
  }

  private mac(channelId: number, orderNumber: string): string {
    if (!this.key) throw new Error('order-token key not loaded (OrderTokens.onModuleInit has not run)');
    return createHmac('sha256', this.key).update(`order:${channelId}:${orderNumber}`).digest('hex');
  }
}
