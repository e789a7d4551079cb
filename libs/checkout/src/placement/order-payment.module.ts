import { Module } from '@nestjs/common';
import { SettingsModule } from '@app/settings';
import { CheckoutModule } from '../checkout.module';
import { ledgerModuleForApps } from '../ledger-wiring';
import { OrderAdminService } from '../orders/order-admin.service';
import { OrderPayment } from './order-payment.service';
import { OrderRecoveryWorker } from './order-recovery.worker';

/**
 * What needs the ledger as well as the checkout lib: a placed order's payment steps (OrderPayment) and the recovery
 * worker that finishes them (both apps run it; one leader at a time does the work), and the staff's order list,
 * detail, refunds and settling. The ledger itself imports CheckoutModule (its order lookup), so these cannot live in
 * CheckoutModule. Placing the order (PlaceOrder) is the checkout pages' (CheckoutPagesModule).
 */
@Module({
  imports: [CheckoutModule, SettingsModule, ledgerModuleForApps()],
  providers: [OrderPayment, OrderRecoveryWorker, OrderAdminService],
  exports: [OrderPayment, OrderAdminService],
})
export class OrderPaymentModule {}
