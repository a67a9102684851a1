import { communeEntities } from '@gemeng/communes';
import { DepartmentEntity } from '@gemeng/departments';
import { CitizenEntity, StaffMemberEntity } from '@gemeng/identity';

export const ENTITIES = [...communeEntities, DepartmentEntity, CitizenEntity, StaffMemberEntity];
