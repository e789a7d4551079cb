import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiPageResponse, ErrorResponseDto, type Page, PageQueryDto, PageUrl, ParseIdPipe } from '@app/common';
import { AddressCreateDto, AddressResponseDto, AddressService, AddressUpdateDto } from '@app/checkout';
import { RequestContext, SignedIn, type StorefrontRequestContext } from '@app/identity';

@ApiTags('Address')
@ApiCookieAuth('cookieAuth')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in' })
@SignedIn()
@Controller('address')
export class AddressController {
  constructor(private readonly addresses: AddressService) {}

  @Get()
  @ApiOperation({
    operationId: 'listAddresses',
    summary: 'The signed-in user’s addresses: the default one first, then oldest first',
  })
  @ApiPageResponse(AddressResponseDto, 'A page of the user’s addresses')
  list(
    @RequestContext() ctx: StorefrontRequestContext,
    @Query() query: PageQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<AddressResponseDto>> {
    return this.addresses.list(ctx, query, url);
  }

  @Get('detailed')
  @ApiOperation({
    operationId: 'listAddressesDetailed',
    summary: 'The signed-in user’s addresses, the same shape and order as `/address/`',
  })
  @ApiPageResponse(AddressResponseDto, 'A page of the user’s addresses')
  listDetailed(
    @RequestContext() ctx: StorefrontRequestContext,
    @Query() query: PageQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<AddressResponseDto>> {
    return this.addresses.list(ctx, query, url);
  }

  @Post()
  @ApiOperation({ operationId: 'createAddress', summary: 'Save an address (at most 50 per user)' })
  @ApiCreatedResponse({ type: AddressResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  create(@RequestContext() ctx: StorefrontRequestContext, @Body() dto: AddressCreateDto): Promise<AddressResponseDto> {
    return this.addresses.create(ctx, dto);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getAddress', summary: 'One of the user’s addresses' })
  @ApiParam({ name: 'pk', type: Number, example: 4 })
  @ApiOkResponse({ type: AddressResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not an address of this user' })
  get(
    @RequestContext() ctx: StorefrontRequestContext,
    @Param('pk', ParseIdPipe) pk: number,
  ): Promise<AddressResponseDto> {
    return this.addresses.get(ctx, pk);
  }

  @Put(':pk')
  @ApiOperation({ operationId: 'replaceAddress', summary: 'Replace an address (optional fields not sent are blanked)' })
  @ApiParam({ name: 'pk', type: Number, example: 4 })
  @ApiOkResponse({ type: AddressResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not an address of this user' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  replace(
    @RequestContext() ctx: StorefrontRequestContext,
    @Param('pk', ParseIdPipe) pk: number,
    @Body() dto: AddressCreateDto,
  ): Promise<AddressResponseDto> {
    return this.addresses.update(ctx, pk, dto, 'replace');
  }

  @Patch(':pk')
  @ApiOperation({
    operationId: 'updateAddress',
    summary: 'Change the fields sent; `{"primary": true}` makes it the default address',
  })
  @ApiParam({ name: 'pk', type: Number, example: 4 })
  @ApiOkResponse({ type: AddressResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not an address of this user' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  update(
    @RequestContext() ctx: StorefrontRequestContext,
    @Param('pk', ParseIdPipe) pk: number,
    @Body() dto: AddressUpdateDto,
  ): Promise<AddressResponseDto> {
    return this.addresses.update(ctx, pk, dto, 'patch');
  }

  @Delete(':pk')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAddress', summary: 'Delete an address' })
  @ApiParam({ name: 'pk', type: Number, example: 4 })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not an address of this user' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  async delete(@RequestContext() ctx: StorefrontRequestContext, @Param('pk', ParseIdPipe) pk: number): Promise<void> {
    await this.addresses.delete(ctx, pk);
  }
}
