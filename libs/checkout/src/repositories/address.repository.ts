import type { DataSource } from 'typeorm';
import { entityFromJson, type ReadPart } from '@app/database';
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
