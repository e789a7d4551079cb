import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';

export const SUPERUSER_ONLY = 'staffSuperuserOnly';
/** Marks a superuser-only operation in the OpenAPI document; the route-table test reads it (403 expected). */
export const SUPERUSER_ONLY_EXTENSION = 'x-superuser-only';

/**
 * A resource that is global by nature (staff users, geography, the channels themselves) rather than owned by one
 * channel: only a superuser may use it, a channel-limited staff user gets a 403 whatever channel the path names.
 * On a class or a handler under `@StaffEndpoint()`; `@StaffEndpoint({ superuserOnly: true })` is the same on a class.
 */
export const SuperuserOnly = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    SetMetadata(SUPERUSER_ONLY, true),
    ApiExtension(SUPERUSER_ONLY_EXTENSION, true),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only a superuser may use this' }),
  );
