import { LifeEventEntity } from './life-event.entity';
import { ServiceTypeEntity } from './service-type.entity';

export const catalogueEntities = [LifeEventEntity, ServiceTypeEntity];
export { LifeEventEntity, ServiceTypeEntity };
