import { Inject, Injectable } from '@nestjs/common';
import { Clock, isPk, type Language, SUPPORTED_LANGUAGES } from '@app/common';
import type { ChannelEntity } from '../entities/channel.entity';
import { ChannelRepository } from '../repositories/channel.repository';

/** A channel as the rest of the code sees it (immutable, no ORM entity). */
export interface Channel {
  readonly id: number;
  readonly name: string;
  readonly defaultCurrency: string;
  readonly currencies: readonly string[];
  readonly defaultLanguage: Language;
}

/** Channels change rarely and are read on every request: a short cache spares the database. */
const CACHE_TTL_MS = 30_000;
const CACHE_ENTRIES_MAX = 1_000;

@Injectable()
export class ChannelService {
  private readonly cache = new Map<number, { channel: Channel | undefined; until: number }>();

  constructor(
    private readonly channels: ChannelRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async find(id: number): Promise<Channel | undefined> {
    if (!isPk(id)) return undefined;
    const now = this.clock.nowMs();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.channel;
    const row = await this.channels.findById(id);
    const channel = row ? toChannel(row) : undefined;
    if (this.cache.size >= CACHE_ENTRIES_MAX) this.cache.clear();
    this.cache.set(id, { channel, until: now + CACHE_TTL_MS });
    return channel;
  }
}

function toChannel(row: ChannelEntity): Channel {
  const language = (SUPPORTED_LANGUAGES as readonly string[]).includes(row.defaultLanguage)
    ? (row.defaultLanguage as Language)
    : 'tr';
  return {
    id: row.id,
    name: row.name,
    defaultCurrency: row.defaultCurrency.toLowerCase(),
    currencies: row.currencies.map((c) => c.toLowerCase()),
    defaultLanguage: language,
  };
}
