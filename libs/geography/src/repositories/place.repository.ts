import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { sqlRows } from '@app/database';
import { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from '../entities/geography.entity';

/** The four places of an address, by pk; null where none is chosen. */
export interface PlaceIds {
  country: number | null;
  city: number | null;
  township: number | null;
  district: number | null;
}

/**
 * What `check` reads of an address's four places; nulls where a pk names no row. A read that has the places at hand
 * (the checkout's addresses with their places) builds it itself and calls `placeProblems`, without a statement.
 */
export interface PlaceRows {
  country_active: boolean | null;
  city_active: boolean | null;
  city_parent: number | null;
  township_active: boolean | null;
  township_parent: number | null;
  district_active: boolean | null;
  district_parent: number | null;
  city_has_townships: boolean;
  township_has_districts: boolean;
}

/**
 * The storefront's reads of the four place tables: each level's list query (joined to the places above it, in list
 * order, for the caller to filter and page) and what an address's places are (PlaceRows, for the rules).
 */
@Injectable()
export class PlaceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Countries in list order: name, then pk (alias `k`). */
  countries(): SelectQueryBuilder<CountryEntity> {
    return this.dataSource.getRepository(CountryEntity).createQueryBuilder('k').orderBy('k.name').addOrderBy('k.id');
  }

  /** Cities with their country (`c`, `k`). */
  cities(): SelectQueryBuilder<CityEntity> {
    return citiesQuery(this.dataSource.getRepository(CityEntity).createQueryBuilder('c'));
  }

  /** Townships with their city and country (`t`, `c`, `k`). */
  townships(): SelectQueryBuilder<TownshipEntity> {
    return townshipsQuery(this.dataSource.getRepository(TownshipEntity).createQueryBuilder('t'));
  }

  /** Districts with their township, joined to its city and country (`d`, `t`, `c`, `k`). */
  districts(): SelectQueryBuilder<DistrictEntity> {
    return districtsQuery(this.dataSource.getRepository(DistrictEntity).createQueryBuilder('d'));
  }

  /**
   * What GeographyService.check needs of an address's four places, in one statement (on every address write and
   * every checkout address step): nulls where a pk names no row. `within` is the caller's transaction, if any: a
   * caller that holds a pooled connection must not wait for a second one.
   */
  async placeRows(ids: PlaceIds, within: EntityManager = this.dataSource.manager): Promise<PlaceRows> {
    const [found] = await sqlRows<PlaceRows>(
      within,
      `SELECT k."is_active" AS country_active,
              c."is_active" AS city_active, c."country_id" AS city_parent,
              t."is_active" AS township_active, t."city_id" AS township_parent,
              d."is_active" AS district_active, d."township_id" AS district_parent,
              EXISTS (SELECT 1 FROM "township" x WHERE x."city_id" = c."id" AND x."is_active") AS city_has_townships,
              EXISTS (SELECT 1 FROM "district" x WHERE x."township_id" = t."id" AND x."is_active") AS township_has_districts
         FROM (SELECT 1) AS one
         LEFT JOIN "country" k ON k."id" = $1
         LEFT JOIN "city" c ON c."id" = $2
         LEFT JOIN "township" t ON t."id" = $3
         LEFT JOIN "district" d ON d."id" = $4`,
      [ids.country, ids.city, ids.township, ids.district],
    );
    return found;
  }
}

/** Cities with their country, in list order: priority (lower first, none last), then name. */
export function citiesQuery(builder: SelectQueryBuilder<CityEntity>): SelectQueryBuilder<CityEntity> {
  return builder
    .innerJoinAndSelect('c.country', 'k')
    .orderBy('c.priority', 'ASC', 'NULLS LAST')
    .addOrderBy('c.name')
    .addOrderBy('c.id');
}

export function townshipsQuery(builder: SelectQueryBuilder<TownshipEntity>): SelectQueryBuilder<TownshipEntity> {
  return builder
    .innerJoinAndSelect('t.city', 'c')
    .innerJoinAndSelect('c.country', 'k')
    .orderBy('t.name')
    .addOrderBy('t.id');
}

export function districtsQuery(builder: SelectQueryBuilder<DistrictEntity>): SelectQueryBuilder<DistrictEntity> {
  return builder
    .innerJoinAndSelect('d.township', 't')
    .innerJoin('t.city', 'c')
    .innerJoin('c.country', 'k')
    .orderBy('d.name')
    .addOrderBy('d.id');
}
