import { Injectable } from '@nestjs/common';
import { SmsRepository } from '../repositories/sms.repository';

/** Sends a text message; the `outbox` sender stores it instead (development and demos). */
export interface SmsSender {
  send(channelId: number, phone: string, body: string): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

export class SmsDeliveryError extends Error {
  constructor(detail: string) {
    super(`sms delivery failed: ${detail}`);
    this.name = 'SmsDeliveryError';
  }
}

@Injectable()
export class OutboxSmsSender implements SmsSender {
  constructor(private readonly sms: SmsRepository) {}

  async send(channelId: number, phone: string, body: string): Promise<void> {
    await this.sms.storeMessage(channelId, phone, body);
  }
}

/** Posts `{to, text}` as JSON to a gateway URL, within a timeout; anything but 2xx is a failure. */
export class HttpSmsSender implements SmsSender {
  constructor(private readonly options: { url: string; apiKey?: string; timeoutMs: number }) {}

  async send(_channelId: number, phone: string, body: string): Promise<void> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: phone, text: body }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
      await response.arrayBuffer();
    } catch (error) {
      throw new SmsDeliveryError((error as Error).name);
    }
    if (!response.ok) throw new SmsDeliveryError(`status ${response.status}`);
  }
}
