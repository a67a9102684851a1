/** The migrations every commune schema gets, provided by the application that assembles the contexts. */
export const TENANT_MIGRATIONS = Symbol('TENANT_MIGRATIONS');
