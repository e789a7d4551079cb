import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ADVISORY_LOCK_KEYS, entityFromJson, type ReadPart, readTogether } from '@app/database';
import { CityEntity, CountryEntity, DistrictEntity, type PlaceRows, TownshipEntity } from '@app/geography';
import { ADDRESSES_MAX } from '../dtos/address.dto';
import { AddressEntity } from '../entities/address.entity';

interface AddressJson {
  a: Record<string, unknown>;
  country: Record<string, unknown> | null;
  city: Record<string, unknown> | null;
  township: Record<string, unknown> | null;
  district: Record<string, unknown> | null;
  city_has_townships: boolean;
  township_has_districts: boolean;
}

/**
 * What an address read with its places tells of them, as GeographyService.check would read it (placeProblems
 * checks it): the checkout checks its addresses without a statement of its own.
 */
const placeFacts = new WeakMap<AddressEntity, PlaceRows>();

/** The place facts read with an address by userAddressesPart; undefined for an address read otherwise. */
export function placeFactsOf(address: AddressEntity): PlaceRows | undefined {
  return placeFacts.get(address);
}

/**
 * A user's addresses with their places, default first, then oldest first, at most ADDRESSES_MAX (creating refuses
 * more; imported or older data is still not read past the limit): what `AddressService.all` answers, as one part of
 * a statement that reads several things at once (`readTogether`). The checkout pages read it with the basket.
 */
export function userAddressesPart(
  dataSource: DataSource,
  channelId: number,
  userId: number,
): ReadPart<AddressEntity[]> {
  return {
    sql: (arg) =>
      `SELECT coalesce(json_agg(json_build_object('a', to_jsonb(a), 'country', to_jsonb(k), 'city', to_jsonb(c),
                'township', to_jsonb(t), 'district', to_jsonb(d),
                'city_has_townships', EXISTS (SELECT 1 FROM "township" x WHERE x."city_id" = c."id" AND x."is_active"),
                'township_has_districts',
                EXISTS (SELECT 1 FROM "district" x WHERE x."township_id" = t."id" AND x."is_active"))
                ORDER BY a."primary" DESC, a."id"), '[]'::json)
         FROM (SELECT * FROM "address"
                WHERE "channel_id" = ${arg(channelId)}::integer AND "user_id" = ${arg(userId)}::integer
                ORDER BY "primary" DESC, "id" LIMIT ${ADDRESSES_MAX}) a
         LEFT JOIN "country" k ON k."id" = a."country_id"
         LEFT JOIN "city" c ON c."id" = a."city_id"
         LEFT JOIN "township" t ON t."id" = a."township_id"
         LEFT JOIN "district" d ON d."id" = a."district_id"`,
    map: (value) => (value as AddressJson[]).map((row) => addressFromJson(dataSource, row)),
  };
}

function addressFromJson(dataSource: DataSource, row: AddressJson): AddressEntity {
  const address = entityFromJson(dataSource, AddressEntity, row.a);
  const place = <T extends object>(target: new () => T, json: Record<string, unknown> | null): T | null =>
    json === null ? null : entityFromJson(dataSource, target, json);
  address.country = place(CountryEntity, row.country);
  address.city = place(CityEntity, row.city);
  address.township = place(TownshipEntity, row.township);
  address.district = place(DistrictEntity, row.district);
  placeFacts.set(address, {
    country_active: address.country?.isActive ?? null,
    city_active: address.city?.isActive ?? null,
    city_parent: address.city?.countryId ?? null,
    township_active: address.township?.isActive ?? null,
    township_parent: address.township?.cityId ?? null,
    district_active: address.district?.isActive ?? null,
    district_parent: address.district?.townshipId ?? null,
    city_has_townships: row.city_has_townships,
    township_has_districts: row.township_has_districts,
  });
  return address;
}

/** An address is read with its four places. */
const RELATIONS = { country: true, city: true, township: true, district: true } as const;

/** One user's address writes, inside their transaction (AddressRepository.writing). */
export class AddressWrites {
  /**
   * The transaction, for another lib's read that must join it (the places check): the writer holds a pooled
   * connection and must not wait for a second one, which concurrent writers may all be holding.
   */
  constructor(readonly within: EntityManager) {}

  /** How many addresses the user has in the channel. */
  count(channelId: number, userId: number): Promise<number> {
    return this.within.getRepository(AddressEntity).count({ where: { channelId, userId } });
  }

  /** A new, unsaved address of the user. */
  newRow(channelId: number, userId: number): AddressEntity {
    return this.within.getRepository(AddressEntity).create({ channelId, userId, primary: false });
  }

  /** The user's address by pk with its places; null when the user has none by this pk. */
  ofUser(channelId: number, userId: number, pk: number): Promise<AddressEntity | null> {
    return addressOfUser(this.within, channelId, userId, pk);
  }

  /**
   * Saves the address with `values` over it. `primary` true makes it the user's one default: the old one stops
   * being it first, so the partial unique index never sees two. Answers the address's id.
   */
  async save(row: AddressEntity, values: Partial<AddressEntity>): Promise<number> {
    if (values.primary === true && row.id !== undefined) {
      await this.within.query(
        `UPDATE "address" SET "primary" = false WHERE "user_id" = $1 AND "primary" AND "id" <> $2`,
        [row.userId, row.id],
      );
    } else if (values.primary === true) {
      await this.within.query(`UPDATE "address" SET "primary" = false WHERE "user_id" = $1 AND "primary"`, [
        row.userId,
      ]);
    }
    // The relations loaded with the row would win over the new ids on save.
    const { country: _k, city: _c, township: _t, district: _d, ...plain } = Object.assign(row, values);
    const saved = await this.within.getRepository(AddressEntity).save({ ...plain, modifiedDate: new Date() });
    return saved.id;
  }
}

/** The storefront customers' own addresses: the pages, one by pk, the removal, and the writes under a user's lock. */
@Injectable()
export class AddressRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of the user's addresses with their places, the default first, then oldest first; and the count. */
  page(channelId: number, userId: number, offset: number, limit: number): Promise<[AddressEntity[], number]> {
    return this.dataSource.getRepository(AddressEntity).findAndCount({
      where: { channelId, userId },
      relations: RELATIONS,
      order: { primary: 'DESC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** The user's address by pk with its places; null when the user has none by this pk. */
  ofUser(channelId: number, userId: number, pk: number): Promise<AddressEntity | null> {
    return addressOfUser(this.dataSource.manager, channelId, userId, pk);
  }

  /** The user's addresses with their places (at most ADDRESSES_MAX), the default first, in one statement. */
  async all(channelId: number, userId: number): Promise<AddressEntity[]> {
    return (await readTogether(this.dataSource, { addresses: this.part(channelId, userId) })).addresses;
  }

  /** The user's addresses as `userAddressesPart` reads them, as a part of a statement that reads more. */
  part(channelId: number, userId: number): ReadPart<AddressEntity[]> {
    return userAddressesPart(this.dataSource, channelId, userId);
  }

  async delete(id: number, userId: number): Promise<void> {
    await this.dataSource.getRepository(AddressEntity).delete({ id, userId });
  }

  /** Runs `work` in one transaction holding the user's address lock: the count and the default stay one per user. */
  writing<T>(userId: number, work: (writes: AddressWrites) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK_KEYS.addressWrites, userId]);
      return work(new AddressWrites(m));
    });
  }
}

async function addressOfUser(
  m: EntityManager,
  channelId: number,
  userId: number,
  pk: number,
): Promise<AddressEntity | null> {
  // `find`, not `findOne`: with relations, findOne's row limit costs TypeORM a second query.
  const [row] = await m
    .getRepository(AddressEntity)
    .find({ where: { id: pk, channelId, userId }, relations: RELATIONS });
  return row ?? null;
}
