import { createDepartments } from './202611230101-create-departments';

export const departmentsTenantMigrations = [createDepartments];
