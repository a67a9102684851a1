import { catalogueEntities } from '@gemeng/catalogue';
import { communeEntities } from '@gemeng/communes';
import { DepartmentEntity } from '@gemeng/departments';
import { DocumentEntity } from '@gemeng/documents';
import { DossierEntity, DossierEventEntity, DossierTypeEntity } from '@gemeng/dossiers';
import { CitizenEntity, StaffMemberEntity } from '@gemeng/identity';
import { OutboxMessageEntity } from '@gemeng/notifications';
// A deep import: billing's service needs this library's configuration token, so its entry point
// depends on this library, and this library must not depend on its entry point in return.
import { billingEntities } from '../../billing/src/entities';

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
  ...billingEntities,
];
