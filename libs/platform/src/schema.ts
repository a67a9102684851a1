import { catalogueEntities } from '@gemeng/catalogue';
import { communeEntities } from '@gemeng/communes';
import { DepartmentEntity } from '@gemeng/departments';
import { DocumentEntity } from '@gemeng/documents';
import { DossierEntity, DossierEventEntity, DossierTypeEntity } from '@gemeng/dossiers';
import { CitizenEntity, StaffMemberEntity } from '@gemeng/identity';
import { OutboxMessageEntity } from '@gemeng/notifications';

export const ENTITIES = [
  ...communeEntities,
  ...catalogueEntities,
  DepartmentEntity,
  CitizenEntity,
  StaffMemberEntity,
  DocumentEntity,
  OutboxMessageEntity,
  DossierTypeEntity,
  DossierEntity,
  DossierEventEntity,
];
