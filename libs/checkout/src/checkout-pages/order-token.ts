import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/common';
import { isOrderNumber } from '../orders/order-number';

const SECRET_MIN_LENGTH = 32;
const TOKEN_MAX_LENGTH = 128;

/**
 * Signed order tokens for the thank-you page (`/orders/completed/<token>/`): the order number and an HMAC-SHA256
 * of channel and number. The key is ORDER_TOKEN_SECRET (at least 32 characters); unset, a random key is drawn at
 * boot, so tokens stop working after a restart (set the variable in production).
 */
@Injectable()
export class OrderTokens {
  private readonly key: Buffer;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const configured = config.env['ORDER_TOKEN_SECRET'];
    this.key =
      typeof configured === 'string' && configured.length >= SECRET_MIN_LENGTH
        ? Buffer.from(configured, 'utf8')
        : randomBytes(32);
  }

  sign(channelId: number, orderNumber: string): string {
    return `${orderNumber}-${this.mac(channelId, orderNumber)}`;
  }

  /** The order number a token names, or null when the token is malformed or not ours. */
  verify(channelId: number, token: string): string | null {
    if (token.length > TOKEN_MAX_LENGTH) return null;
    const [number, mac, ...rest] = token.split('-');
    if (rest.length || !number || !mac || !isOrderNumber(number)) return null;
    const expected = Buffer.from(this.mac(channelId, number));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? number : null;
  }

  private mac(channelId: number, orderNumber: string): string {
    return createHmac('sha256', this.key).update(`order:${channelId}:${orderNumber}`).digest('hex');
  }
}
