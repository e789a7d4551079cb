import { Body, Controller, Get, HttpCode, Post, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponseDto } from '@app/common';
import {
  AuthThrottlerGuard,
  RequestContext,
  SignedIn,
  SignedInFailureLimit,
  type StorefrontRequestContext,
  UserResponseDto,
} from '@app/identity';
import {
  CardNumberResponseDto,
  LoyaltyCardCreateDto,
  LoyaltyCardCreatedResponseDto,
  LoyaltyCardDeletePreviewResponseDto,
  LoyaltyCardDetailResponseDto,
  LoyaltyCardEnrolmentService,
  LoyaltyCardPointsService,
  LoyaltyCardProfileService,
  LoyaltyCardSearchDto,
  LoyaltyCardUpdateDto,
  LoyaltyProfileCardResponseDto,
  LoyaltyProfileUpdatedResponseDto,
  MessageResponseDto,
} from '@app/loyalty-card';

@ApiTags('Loyalty Card')
@ApiCookieAuth('cookieAuth')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in' })
@SignedIn()
@Controller('loyalty-card')
export class LoyaltyCardController {
  constructor(
    private readonly enrolment: LoyaltyCardEnrolmentService,
    private readonly profile: LoyaltyCardProfileService,
    private readonly points: LoyaltyCardPointsService,
  ) {}

  @Get('loyalty_card')
  @ApiOperation({
    operationId: 'getLoyaltyCard',
    summary: 'The user’s card and points (points cached 2 minutes; a provider failure is reported in `errors`)',
  })
  @ApiOkResponse({ type: LoyaltyCardDetailResponseDto })
  detail(@RequestContext() ctx: StorefrontRequestContext): Promise<LoyaltyCardDetailResponseDto> {
    return this.points.detail(ctx);
  }

  @Get('add_loyalty_card')
  @ApiOperation({
    operationId: 'getLoyaltyCardForm',
    summary: 'The user’s data for the form, or a 302 when a card exists',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiFoundResponse({ description: 'The user has a card: Location /loyalty-card/loyalty_card/' })
  async addForm(
    @RequestContext() ctx: StorefrontRequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponseDto | undefined> {
    const outcome = await this.enrolment.addForm(ctx);
    if ('redirect' in outcome) {
      void reply.status(302).header('Location', outcome.redirect);
      return undefined;
    }
    return outcome.user;
  }

  @Post('add_loyalty_card')
  @UseGuards(AuthThrottlerGuard)
  @UseInterceptors(SignedInFailureLimit)
  @ApiOperation({
    operationId: 'addLoyaltyCard',
    summary:
      'Enrol with an SMS code: without `code` a code is sent (202); `resend: true` sends again (200); with `code` the card is created (201)',
  })
  @ApiAcceptedResponse({ description: 'Code sent; the submitted data echoed', type: LoyaltyCardCreateDto })
  @ApiOkResponse({ type: MessageResponseDto, description: 'Code sent again' })
  @ApiCreatedResponse({
    type: LoyaltyCardCreatedResponseDto,
    description: 'The card, and where the client goes next (the same envelope as add_loyalty_card_otp)',
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Codes requested too often' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The loyalty system or SMS gateway failed' })
  async add(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: LoyaltyCardCreateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const outcome = await this.enrolment.add(ctx, dto);
    switch (outcome.kind) {
      case 'code_sent':
        void reply.status(202);
        return outcome.echo;
      case 'code_resent':
        void reply.status(200);
        return { message: 'success' } satisfies MessageResponseDto;
      case 'enrolled':
        void reply.status(201);
        return outcome.created;
    }
  }

  @Post('add_loyalty_card_otp')
  @HttpCode(201)
  @UseGuards(AuthThrottlerGuard)
  @UseInterceptors(SignedInFailureLimit)
  @ApiOperation({
    operationId: 'addLoyaltyCardWithoutSms',
    summary: 'Enrol a user verified by other means (no SMS code)',
  })
  @ApiCreatedResponse({ type: LoyaltyCardCreatedResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The loyalty system failed' })
  addWithoutSms(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: LoyaltyCardCreateDto,
  ): Promise<LoyaltyCardCreatedResponseDto> {
    return this.enrolment.addWithoutSms(ctx, dto);
  }

  @Get('update_loyalty_card')
  @ApiOperation({ operationId: 'getLoyaltyCardProfile', summary: 'The member profile from the loyalty system' })
  @ApiOkResponse({ type: LoyaltyProfileCardResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No card' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The loyalty system failed' })
  updateForm(@RequestContext() ctx: StorefrontRequestContext): Promise<LoyaltyProfileCardResponseDto> {
    return this.profile.updateForm(ctx);
  }

  @Post('update_loyalty_card')
  @HttpCode(200)
  @UseGuards(AuthThrottlerGuard)
  @UseInterceptors(SignedInFailureLimit)
  @ApiOperation({
    operationId: 'updateLoyaltyCard',
    summary: 'Change the member profile (and the local user with is_sync)',
  })
  @ApiOkResponse({ type: LoyaltyProfileUpdatedResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No card' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The loyalty system failed' })
  update(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: LoyaltyCardUpdateDto,
  ): Promise<LoyaltyProfileUpdatedResponseDto> {
    return this.profile.update(ctx, dto);
  }

  @Get('delete_loyalty')
  @ApiOperation({ operationId: 'getLoyaltyCardDeletion', summary: 'The card, for the deletion confirmation screen' })
  @ApiOkResponse({ type: LoyaltyCardDeletePreviewResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No card' })
  deletePreview(@RequestContext() ctx: StorefrontRequestContext): Promise<LoyaltyCardDeletePreviewResponseDto> {
    return this.profile.deletePreview(ctx);
  }

  @Post('delete_loyalty')
  @HttpCode(204)
  @UseGuards(AuthThrottlerGuard)
  @UseInterceptors(SignedInFailureLimit)
  @ApiOperation({ operationId: 'deleteLoyaltyCard', summary: 'Remove the card (has_loyalty stays as it is)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No card' })
  async delete(@RequestContext() ctx: StorefrontRequestContext): Promise<void> {
    await this.profile.delete(ctx);
  }

  @Post('search_exists_create')
  @UseGuards(AuthThrottlerGuard)
  @UseInterceptors(SignedInFailureLimit)
  @ApiOperation({
    operationId: 'searchAndLinkLoyaltyAccount',
    summary: 'Link the user’s existing external account (201 with the number), or 200 when none is found',
  })
  @ApiCreatedResponse({ type: CardNumberResponseDto })
  @ApiOkResponse({ type: MessageResponseDto, description: '{"message": "not find remote account"}' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The loyalty system failed' })
  async searchAndLink(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: LoyaltyCardSearchDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const outcome = await this.enrolment.searchAndLink(ctx, dto);
    if (outcome.kind === 'not_found') {
      void reply.status(200);
      return { message: 'not find remote account' } satisfies MessageResponseDto;
    }
    void reply.status(201);
    return outcome.linked;
  }
}
