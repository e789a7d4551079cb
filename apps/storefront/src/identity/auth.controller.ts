import { Body, Controller, Get, HttpCode, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig, ErrorResponseDto } from '@app/common';
import {
  csrfCookie,
  CsrfExempt,
  CsrfTokenResponseDto,
  FieldErrorsResponseDto,
  LoginDto,
  LoginResponseDto,
  LogoutFormDto,
  LogoutResponseDto,
  newCsrfToken,
  RegistrationDto,
  RequestContext,
  AuthThrottlerGuard,
  type StorefrontRequestContext,
  UserService,
} from '@app/identity';
import { FieldErrorsFilter } from './field-errors.filter';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

@ApiTags('Users')
@ApiExtraModels(LogoutResponseDto)
@Controller()
export class AuthController {
  constructor(
    private readonly users: UserService,
    private readonly config: AppConfig,
  ) {}

  @Post('users/registration')
  @CsrfExempt()
  @UseGuards(AuthThrottlerGuard)
  @UseFilters(FieldErrorsFilter)
  @HttpCode(201)
  @ApiOperation({
    operationId: 'registerUser',
    summary: 'Create an account and sign in (sets the `osessionid` cookie); no CSRF header needed',
  })
  @ApiCreatedResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ type: FieldErrorsResponseDto, description: 'Messages keyed by field' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many attempts; see Retry-After' })
  register(@RequestContext() ctx: StorefrontRequestContext, @Body() dto: RegistrationDto): Promise<LoginResponseDto> {
    return this.users.register(ctx, dto);
  }

  @Post('users/login')
  @CsrfExempt()
  @UseGuards(AuthThrottlerGuard)
  @UseFilters(FieldErrorsFilter)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'loginUser',
    summary: 'Sign in with e-mail and password (sets a new `osessionid` cookie); no CSRF header needed',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({
    type: FieldErrorsResponseDto,
    description: 'Messages keyed by field, or `non_field_errors` for wrong credentials',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many attempts; see Retry-After' })
  login(@RequestContext() ctx: StorefrontRequestContext, @Body() dto: LoginDto): Promise<LoginResponseDto> {
    return this.users.login(ctx, dto);
  }

  @Post('users/logout')
  @CsrfExempt()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'logoutUser',
    summary:
      'Two-step logout: without `csrfmiddlewaretoken`, an HTML form carrying a token; posting that token as a form ' +
      'with `Cookie: csrftoken=<same>` ends the session',
  })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({
    description: 'First step: HTML with the hidden `csrfmiddlewaretoken` input. Second step: JSON.',
    content: {
      'text/html': {
        schema: { type: 'string' },
        example: '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="..."></form>',
      },
      'application/json': { schema: { $ref: getSchemaPath(LogoutResponseDto) } },
    },
  })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The token does not match the `csrftoken` cookie' })
  async logout(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() form: LogoutFormDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LogoutResponseDto | string> {
    const result = await this.users.logout(ctx, form.csrfmiddlewaretoken);
    if (result.step === 'done') return { logged_out: true };
    void reply.header('Content-Type', 'text/html; charset=utf-8');
    const token = escapeHtml(result.csrfToken);
    return (
      '<!DOCTYPE html><html><body><form method="post" action="/users/logout">' +
      `<input type="hidden" name="csrfmiddlewaretoken" value="${token}">` +
      '<button type="submit">Log out</button></form></body></html>'
    );
  }

  @Get('csrf_token')
  @ApiOperation({
    operationId: 'getCsrfToken',
    summary:
      'A CSRF token, also set as the `csrftoken` cookie (the only Set-Cookie of the answer): send it back as ' +
      '`X-CSRFToken` on state-changing calls (double submit: the header must equal the cookie)',
  })
  @ApiOkResponse({
    type: CsrfTokenResponseDto,
    headers: {
      'Set-Cookie': {
        description: '`csrftoken=<token>; Max-Age=31449600; Path=/; SameSite=Lax`',
        schema: { type: 'string' },
      },
    },
  })
  csrfToken(@Res({ passthrough: true }) reply: FastifyReply): CsrfTokenResponseDto {
    const token = newCsrfToken();
    // A browser on the API's own origin (Swagger UI) then holds the pair; the platform's storefront stores the
    // token itself and ignores the cookie.
    void reply.header('set-cookie', csrfCookie(token, this.config.sessionCookieSecure));
    return { csrf_token: token };
  }
}
