import { communeEntities } from '@gemeng/communes';
import { DepartmentEntity } from '@gemeng/departments';

export const ENTITIES = [...communeEntities, DepartmentEntity];
