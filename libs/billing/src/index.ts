export * from './documents/billing-document';
export { formatAmount, PEPPOL_CUSTOMIZATION_ID, PEPPOL_PROFILE_ID, renderUbl } from './documents/ubl.renderer';
export { renderPdf, type RenderPdfOptions } from './documents/pdf.renderer';
export { INVOICE_LABELS, type InvoiceLocale } from './documents/pdf.labels';
export * from './services/billing.service';
export * from './billing.module';
export * from './graphql/billing-overview';
export * from './graphql/money';
