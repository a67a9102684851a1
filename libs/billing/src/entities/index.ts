import { BillingPriceEntity } from './billing-price.entity';
import { InvoiceEntity } from './invoice.entity';

export const billingEntities = [InvoiceEntity, BillingPriceEntity];
export { BillingPriceEntity, InvoiceEntity };
export type { InvoiceKind, InvoiceStatus, PaymentSnapshot } from './invoice.entity';
