import { Injectable } from '@nestjs/common';
import {
  type FieldMessage,
  isPk,
  NotAuthenticatedError,
  type Page,
  type PageQueryDto,
  toPage,
  ValidationFailedError,
} from '@app/common';
import type { ReadPart } from '@app/database';
import { GeographyService, type PlaceIds, placeProblems } from '@app/geography';
import type { StorefrontRequestContext, UserEntity } from '@app/identity';
import {
  ADDRESSES_MAX,
  type AddressCreateDto,
  type AddressResponseDto,
  type AddressUpdateDto,
} from '../dtos/address.dto';
import { toAddressResponse } from '../checkout.mapper';
import { AddressEntity } from '../entities/address.entity';
import { AddressesExceededError, AddressNotFoundError } from '../errors';
import { AddressRepository, type AddressWrites, placeFactsOf } from '../repositories/address.repository';

const CORPORATE_FIELDS = ['company_name', 'tax_no', 'tax_office'] as const;

/** What a checkout page needs of an address: its shape, and whether it can be delivered to as it is. */
export interface CheckoutAddress {
  address: AddressResponseDto;
  complete: boolean;
}

/** The entity's own fields from a request body; `undefined` leaves a field as it is (PATCH). */
function fields(dto: AddressUpdateDto): Partial<AddressEntity> {
  const values: Partial<AddressEntity> = {
    title: dto.title,
    firstName: dto.first_name,
    lastName: dto.last_name,
    line: dto.line,
    postcode: dto.postcode,
    phoneNumber: dto.phone_number,
    email: dto.email,
    identityNumber: dto.identity_number,
    notes: dto.notes,
    companyName: dto.company_name,
    taxOffice: dto.tax_office,
    taxNo: dto.tax_no,
    eBillTaxpayer: dto.e_bill_taxpayer,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** Optional fields a full write (create, PUT) resets when they are not sent. */
const BLANK: Partial<AddressEntity> = {
  postcode: '',
  email: '',
  identityNumber: '',
  notes: '',
  isCorporate: false,
  companyName: '',
  taxOffice: '',
  taxNo: '',
  eBillTaxpayer: false,
};

/** `user` as sent: a pk (number or string) or `{pk}`. */
function isUser(value: unknown, id: number): boolean {
  const pk = value !== null && typeof value === 'object' ? (value as { pk?: unknown }).pk : value;
  return pk === id || pk === String(id);
}

/** The signed-in user's own addresses; another user's address is answered as not found. */
@Injectable()
export class AddressService {
  constructor(
    private readonly rows: AddressRepository,
    private readonly geography: GeographyService,
  ) {}

  /** The default address first, then oldest first: the client takes the first one at checkout. */
  async list(ctx: StorefrontRequestContext, query: PageQueryDto, url: URL): Promise<Page<AddressResponseDto>> {
    const user = this.requireUser(ctx);
    const [rows, count] = await this.rows.page(ctx.channel.id, user.id, query.offset, query.page_size);
    return toPage(rows.map(toAddressResponse), count, query, url);
  }

  async get(ctx: StorefrontRequestContext, pk: number): Promise<AddressResponseDto> {
    return toAddressResponse(await this.find(this.rows, this.requireUser(ctx), ctx, pk));
  }

  /** All of the caller's addresses (at most ADDRESSES_MAX), primary first. */
  async all(ctx: StorefrontRequestContext): Promise<AddressResponseDto[]> {
    if (!ctx.user) return [];
    return (await this.rows.all(ctx.channel.id, ctx.user.id)).map(toAddressResponse);
  }

  /** What `all` reads, as a part of a statement that reads more (`readTogether`); undefined for a visitor. */
  addressesPart(ctx: StorefrontRequestContext): ReadPart<AddressEntity[]> | undefined {
    return ctx.user ? this.rows.part(ctx.channel.id, ctx.user.id) : undefined;
  }

  /** One of the caller's addresses with its places, or null when the caller has none by this pk. */
  row(ctx: StorefrontRequestContext, pk: number): Promise<AddressEntity | null> {
    return this.find(this.rows, this.requireUser(ctx), ctx, pk).catch((error: unknown) => {
      if (error instanceof AddressNotFoundError) return null;
      throw error;
    });
  }

  /** An address for checkout, or null when the user has none by this pk. */
  async forCheckout(ctx: StorefrontRequestContext, pk: number): Promise<CheckoutAddress | null> {
    const row = await this.row(ctx, pk);
    return row ? this.checked(row) : null;
  }

  /** One of the caller's addresses (as read with its places) and whether it can be delivered to as it is. */
  async checked(row: AddressEntity): Promise<CheckoutAddress> {
    // Read with its places (the checkout's page read), the address is checked from that read, without a statement.
    const facts = placeFactsOf(row);
    const problems = facts ? placeProblems(placeIds(row), facts) : (await this.geography.check(placeIds(row))).problems;
    return { address: toAddressResponse(row), complete: Object.keys(problems).length === 0 };
  }

  async create(ctx: StorefrontRequestContext, dto: AddressCreateDto): Promise<AddressResponseDto> {
    const user = this.requireUser(ctx);
    const id = await this.rows.writing(user.id, async (writes) => {
      if ((await writes.count(ctx.channel.id, user.id)) >= ADDRESSES_MAX) {
        throw new AddressesExceededError(ADDRESSES_MAX);
      }
      return this.write(writes, user, writes.newRow(ctx.channel.id, user.id), dto, 'full');
    });
    return this.get(ctx, id);
  }

  /** PUT replaces the whole address (unsent optional fields become blank); PATCH changes only what is sent. */
  async update(
    ctx: StorefrontRequestContext,
    pk: number,
    dto: AddressUpdateDto,
    mode: 'replace' | 'patch',
  ): Promise<AddressResponseDto> {
    const user = this.requireUser(ctx);
    await this.rows.writing(user.id, async (writes) => {
      const row = await this.find(writes, user, ctx, pk);
      await this.write(writes, user, row, dto, mode === 'replace' ? 'full' : 'patch');
    });
    return this.get(ctx, pk);
  }

  async delete(ctx: StorefrontRequestContext, pk: number): Promise<void> {
    const user = this.requireUser(ctx);
    const row = await this.find(this.rows, user, ctx, pk);
    await this.rows.delete(row.id, user.id);
  }

  /**
   * Checks and saves an address (the caller holds the user's address lock). Every rule's problem is reported at
   * once, each on its field: the owner, type against is_corporate, the corporate fields of a corporate address,
   * and the places (see GeographyService.check). A personal address keeps no corporate fields.
   */
  private async write(
    writes: AddressWrites,
    user: UserEntity,
    row: AddressEntity,
    dto: AddressUpdateDto,
    mode: 'full' | 'patch',
  ): Promise<number> {
    const errors: Record<string, FieldMessage[]> = {};
    if (dto.user !== undefined && !isUser(dto.user, user.id)) errors.user = [{ key: 'address.user_mismatch' }];
    // null is not a type: it says nothing (never "personal"), as if the field were not sent.
    const typeSaysCorporate = dto.type === undefined || dto.type === null ? undefined : dto.type === 'corporate';
    if (dto.is_corporate !== undefined && typeSaysCorporate !== undefined && dto.is_corporate !== typeSaysCorporate) {
      errors.type = [{ key: 'address.type_mismatch' }];
    }
    const values: Partial<AddressEntity> = { ...(mode === 'full' ? BLANK : {}), ...fields(dto) };
    values.isCorporate = dto.is_corporate ?? typeSaysCorporate ?? (mode === 'full' ? false : row.isCorporate);
    if (values.isCorporate) {
      const stored = {
        company_name: values.companyName ?? row.companyName,
        tax_no: values.taxNo ?? row.taxNo,
        tax_office: values.taxOffice ?? row.taxOffice,
      };
      for (const field of CORPORATE_FIELDS) {
        if (!stored[field]?.trim()) errors[field] = [{ key: 'validation.required' }];
      }
    } else {
      Object.assign(values, { companyName: '', taxNo: '', taxOffice: '', eBillTaxpayer: false });
    }
    const placeFields = ['country', 'city', 'township', 'district'] as const;
    if (mode === 'full' || placeFields.some((field) => dto[field] !== undefined)) {
      const stored = placeIds(row);
      const ids = Object.fromEntries(
        placeFields.map((field) => {
          const sent = dto[field];
          return [field, sent !== undefined ? (sent ?? null) : mode === 'full' ? null : stored[field]];
        }),
      ) as unknown as PlaceIds;
      Object.assign(errors, (await this.geography.check(ids, writes.within)).problems);
      Object.assign(values, {
        countryId: ids.country,
        cityId: ids.city,
        townshipId: ids.township,
        districtId: ids.district,
      });
    }
    if (Object.keys(errors).length > 0) throw new ValidationFailedError(errors);
    // One default per user (AddressWrites.save).
    if (dto.primary !== undefined) values.primary = dto.primary;
    return writes.save(row, values);
  }

  /** The user's address by pk, read by `on` (inside a write's transaction, or not); otherwise not found. */
  private async find(
    on: AddressRepository | AddressWrites,
    user: UserEntity,
    ctx: StorefrontRequestContext,
    pk: number,
  ): Promise<AddressEntity> {
    if (!isPk(pk)) throw new AddressNotFoundError();
    const row = await on.ofUser(ctx.channel.id, user.id, pk);
    if (!row) throw new AddressNotFoundError();
    return row;
  }

  private requireUser(ctx: StorefrontRequestContext): UserEntity {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }
}

function placeIds(row: AddressEntity): PlaceIds {
  return { country: row.countryId, city: row.cityId, township: row.townshipId, district: row.districtId };
}
